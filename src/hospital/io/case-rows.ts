/**
 * Settlement lists for estimation, read as they are (no QC filter: the estimate reports what QC would reject as
 * before-care prompts instead of dropping the case). Rows use the flat-file contract (model/columns.ts, 4101 field
 * names); a header may also be a column's Chinese label, its short form or an accepted alias, as `yibao ingest`
 * takes them (医疗总费用, 主要诊断, …), so the file an agency ingests is the file a hospital estimates.
 * CSV (UTF-8 or GB18030) or the first sheet of an XLSX. Money in yuan → fen exactly.
 */
import { basename } from 'node:path';
import { type DischargeWay, FEE_FIELDS, type InpatientCase, type Sex } from '../../model/case.ts';
import { acceptedNames, CASE_COLUMNS, isColumnUnit, shortLabel, splitUnit } from '../../model/columns.ts';
import { yuanToFen } from '../../model/money.ts';
import { readCsvTable, readXlsxTables } from '../../tables/index.ts';
import { HospitalError } from '../types.ts';

/** Every accepted header name of a case column → the column's 4101 name (a name claimed twice keeps the first). */
const CASE_HEADER = (() => {
  const m = new Map<string, string>();
  for (const col of CASE_COLUMNS) for (const n of acceptedNames(col)) if (!m.has(n)) m.set(n, col.name);
  return m;
})();

/**
 * The 4101 column a header cell names, or the cell as it is. A name with its column's own unit after it names the
 * column as `yibao ingest` reads it (医疗总费用(元), 住院天数（天）); another unit (医疗总费用(万元)) names none.
 */
export function caseColumnOf(header: string): string {
  const cell = header.trim();
  const named = CASE_HEADER.get(cell);
  if (named) return named;
  const split = splitUnit(cell);
  const base = split && CASE_HEADER.get(split.base);
  const col = base === undefined ? undefined : CASE_COLUMNS.find((c) => c.name === base);
  return col && split && isColumnUnit(col, split.unit) ? col.name : cell;
}

/** A column as a reader knows it: `医疗费总额（medfee_sumamt）` / `medfee_sumamt`. */
function columnWord(name: string, lang: 'zh' | 'en'): string {
  const col = CASE_COLUMNS.find((c) => c.name === name);
  if (!col || lang === 'en') return name;
  return `${shortLabel(col.zh)}（${name}）`;
}

const list = (v: string | undefined) => (v ? v.split('|').map((s) => s.trim()) : []);

function isoDateTime(v: string): string {
  const t = v.trim().replace(' ', 'T');
  return t.length === 10 ? `${t}T00:00:00` : t;
}

/** A place in the user's language ("cases.csv 第 3 行" / "cases.csv row 3"); a plain string serves both. */
export type Where = string | { zh: string; en: string };

/** One row (column name → text) as a case; `place` names the row in errors, in each language. */
export function caseFromRecord(r: Readonly<Record<string, string>>, place: Where): InpatientCase {
  const where = typeof place === 'string' ? { zh: place, en: place } : place;
  const need = (k: string) => {
    const v = r[k]?.trim();
    if (!v)
      throw new HospitalError(
        'CASE_FIELD',
        `${where.zh}：缺少 ${columnWord(k, 'zh')}`,
        `${where.en}: ${columnWord(k, 'en')} is missing`,
      );
    return v;
  };
  const money = (k: string, required = false) => {
    const v = required ? need(k) : r[k]?.trim();
    if (!v) return 0;
    try {
      return yuanToFen(v);
    } catch {
      throw new HospitalError(
        'CASE_FIELD',
        `${where.zh}：${columnWord(k, 'zh')} 不是金额：${v}`,
        `${where.en}: ${columnWord(k, 'en')} is not an amount: ${v}`,
      );
    }
  };
  const int = (k: string) => {
    const v = r[k]?.trim();
    if (!v) return undefined;
    const n = Number(v);
    if (!Number.isInteger(n))
      throw new HospitalError(
        'CASE_FIELD',
        `${where.zh}：${columnWord(k, 'zh')} 不是整数`,
        `${where.en}: ${columnWord(k, 'en')} is not an integer`,
      );
    return n;
  };
  const dx = list(r.diag_codes);
  const dxNames = list(r.diag_names);
  const procs = list(r.oprn_oprt_codes);
  const procDates = list(r.oprn_oprt_dates);
  const total = money('medfee_sumamt', true);
  const fund = money('hifp_pay', true);
  const c: InpatientCase = {
    setlId: need('setl_id'),
    mdtrtId: r.mdtrt_id?.trim() || need('setl_id'),
    psnNo: r.psn_no?.trim() ?? '',
    institutionCode: need('fixmedins_code'),
    insuranceType: r.insutype?.trim() === '390' ? 'resident' : 'employee',
    sex: (r.gend?.trim() || '9') as Sex,
    ageYears: int('age') ?? 0,
    admissionTime: isoDateTime(need('adm_time')),
    dischargeTime: isoDateTime(need('dscg_time')),
    losDays: int('act_ipt_days') ?? 0,
    dischargeWay: (r.dscg_way?.trim() || '1') as DischargeWay,
    diagnoses: dx.map((code, i) => (dxNames[i] ? { code, name: dxNames[i]! } : { code })),
    procedures: procs.map((code, i) => (procDates[i] ? { code, date: procDates[i]! } : { code })),
    icuDays: int('icu_days') ?? 0,
    readmit31: r.days_rinp_flag_31?.trim() === '1',
    totalCost: total,
    fundPay: fund,
    selfPay: money('psn_selfpay'),
    ownPay: money('psn_ownpay'),
    accountPay: money('acct_pay'),
    cashPay: money('psn_cashpay'),
  };
  const ageDays = int('nwb_age');
  if (ageDays !== undefined) c.ageDays = ageDays;
  const bw = int('nwb_bir_wt');
  if (bw !== undefined) c.newbornBirthWeightG = bw;
  if (r.dscg_caty?.trim()) c.department = r.dscg_caty.trim();
  if (r.chfpdr_code?.trim()) c.doctorCode = r.chfpdr_code.trim();
  if (r.chfpdr_name?.trim()) c.doctorName = r.chfpdr_name.trim();
  const costs: Record<string, number> = {};
  for (const [col, field] of FEE_FIELDS) if (r[col]?.trim()) costs[field] = money(col);
  if (Object.keys(costs).length > 0) c.costs = costs;
  return c;
}

/** The columns an estimate cannot do without: a row holding all of them (by any accepted name) is the header. */
const HEADER_COLUMNS = ['setl_id', 'fixmedins_code', 'adm_time', 'dscg_time', 'medfee_sumamt', 'hifp_pay'] as const;
/** How many rows from the top may hold the header (title rows above it are skipped), as `yibao ingest` searches. */
const HEADER_SEARCH_ROWS = 20;

/** A case file read: its cases, the header's row and the non-empty rows above it (skipped: titles, notes). */
export interface CaseFile {
  cases: InpatientCase[];
  header: { row: number; above: { row: number; text: string }[] };
}

/**
 * Every case of a CSV or XLSX file. The header is the first row within the first 20 that names every column an
 * estimate needs (a title row or two above it are skipped, as `yibao qc` / `ingest` skip them); when none does, the
 * closest row's missing columns are named.
 */
export async function readCaseFile(path: string): Promise<CaseFile> {
  const t = /\.xlsx$/i.test(path) ? (await readXlsxTables(path))[0] : readCsvTable(path, basename(path));
  const file = basename(path);
  if (!t || t.rows.length === 0) return { cases: [], header: { row: 1, above: [] } };
  const missingOf = (cells: readonly string[]) => {
    const named = new Set(cells.map(caseColumnOf));
    return HEADER_COLUMNS.filter((c) => !named.has(c));
  };
  let at = -1;
  let closest = { index: 0, missing: missingOf(t.rows[0]!) };
  for (let i = 0; i < t.rows.length && t.rowNumbers[i]! <= HEADER_SEARCH_ROWS; i++) {
    const missing = missingOf(t.rows[i]!);
    if (missing.length === 0) {
      at = i;
      break;
    }
    if (missing.length < closest.missing.length) closest = { index: i, missing };
  }
  if (at < 0) {
    const row = t.rowNumbers[closest.index]!;
    const zh = closest.missing.map((c) => columnWord(c, 'zh')).join('、');
    const en = closest.missing.join(', ');
    throw closest.index === 0
      ? new HospitalError(
          'CASE_HEADER',
          `${file}：表头（第 ${row} 行）缺少列：${zh}`,
          `${file}: the header (row ${row}) lacks the columns ${en}`,
        )
      : new HospitalError(
          'CASE_HEADER',
          `${file}：前 ${HEADER_SEARCH_ROWS} 行中没有含全部必需列的表头行；最接近的是第 ${row} 行，缺少列：${zh}`,
          `${file}: no row among the first ${HEADER_SEARCH_ROWS} is a header with every column needed; the closest, row ${row}, lacks: ${en}`,
        );
  }
  const header = t.rows[at]!.map(caseColumnOf);
  const above = t.rows.slice(0, at).map((cells, i) => ({
    row: t.rowNumbers[i]!,
    text: cells
      .map((c) => c.trim())
      .filter((c) => c !== '')
      .join(' '),
  }));
  const cases = t.rows.slice(at + 1).map((row, i) => {
    const rec: Record<string, string> = {};
    header.forEach((h, k) => {
      rec[h] = row[k] ?? '';
    });
    const n = t.rowNumbers[at + 1 + i];
    return caseFromRecord(rec, { zh: `${file} 第 ${n} 行`, en: `${file} row ${n}` });
  });
  return { cases, header: { row: t.rowNumbers[at]!, above } };
}

/** Every case of a CSV or XLSX file (`readCaseFile` without where its header was). */
export async function readCaseRows(path: string): Promise<InpatientCase[]> {
  return (await readCaseFile(path)).cases;
}

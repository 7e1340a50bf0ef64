/**
 * The hospital's own view for reconciliation (对账), CSV (UTF-8 or GB18030) or an XLSX (its first sheet with a 结算ID
 * column), one row per case. Columns (English or Chinese header; others are ignored):
 *   setl_id | 结算ID              required
 *   group | 病组编码 | 病种编码 | 分组 | 病种/分组   the group the hospital expects (blank = ungrouped; a comprehensive group as code
 *                                C34#conservative or as the statements write it, C34 综合病种（保守治疗）)
 *   points | 点数 | 病例点数         points, up to 4 decimals (blank when the case is priced in money)
 *   amount | 金额 | 支付金额 | 预测支付金额   the amount the hospital expects, yuan
 * (病例点数, 预测支付金额 and 病例类型 are the columns `yibao hospital settle` writes in hospital-cases.csv, so its
 * own estimate reconciles as it is.)
 *   fixmedins_code | 定点医疗机构编号  optional
 *   status | 病例类型              optional: paid|正常|正常病例, low-cost|低倍率|低倍率病例, high-cost|高倍率|高倍率病例,
 *                                special-review|特例单议, ungrouped|未入组
 *   diag_codes | 诊断编码           optional: the hospital's coding, "|" or ";" between codes, principal first
 *   oprn_oprt_codes | 手术操作编码   optional: the same for procedures, main first
 * With the coding columns, a case whose group differs shows the hospital's own grouping path beside the agency's.
 */
import { basename } from 'node:path';
import { groupCodeOf } from '../../grouping/dip/treatment.ts';
import { parseDecimal, yuanToFen } from '../../model/money.ts';
import { toPoints } from '../../model/points.ts';
import { readCsvTable, readXlsxTables } from '../../tables/index.ts';
import { xlsxProblem } from '../../tables/xlsx-problem.ts';
import type { HospitalViewCase } from '../reconcile.ts';
import { HospitalError } from '../types.ts';

// The English headers `hospital settle --lang en` writes in hospital-cases.csv (settlement id, DIP group / DRG,
// points, expected payment, institution, case type) read as their Chinese twins: its own file reconciles as it is.
const ALIASES: Record<string, readonly string[]> = {
  setlId: ['setl_id', '结算ID', '结算id', '结算编号', 'settlement id'],
  group: ['group', '病组编码', '病种编码', '分组', '分组编码', '病种/分组', '病组/分组', 'DIP group', 'DRG'],
  points: ['points', '点数', '病例点数'],
  amount: ['amount', '金额', '支付金额', '预测支付金额', 'expected payment'],
  institution: ['fixmedins_code', '定点医疗机构编号', '机构编码', 'institution'],
  status: ['status', '病例类型', 'case type'],
  diagnoses: ['diag_codes', '诊断编码', '诊断代码'],
  procedures: ['oprn_oprt_codes', '手术操作编码', '手术操作代码'],
};

const codes = (v: string) =>
  v
    .split(/[|;；]/)
    .map((x) => x.trim())
    .filter((x) => x !== '');

/** The hospital's case type in its words (glossary.md: 正常病例 / 低倍率病例 / 高倍率病例, or the short forms). */
const STATUS: Record<string, string> = {
  正常: 'paid',
  正常病例: 'paid',
  低倍率: 'low-cost',
  低倍率病例: 'low-cost',
  高倍率: 'high-cost',
  高倍率病例: 'high-cost',
  特例单议: 'special-review',
  未入组: 'ungrouped',
  // the case types as `hospital settle --lang en` writes them (glossary.md)
  'normal case': 'paid',
  'low-cost case': 'low-cost',
  'high-cost case': 'high-cost',
  'special review': 'special-review',
  'ungrouped case': 'ungrouped',
};

/** Where column `k` is in a header row (trimmed, any of its ALIASES); −1 when absent. */
const columnOf = (header: readonly string[], k: string): number =>
  header.findIndex((h) => ALIASES[k]!.includes(String(h).trim()));

/**
 * Where the header is: the first of the first 20 rows naming both required columns (结算ID, 金额), so a title row or
 * two above it are skipped as `yibao qc` and `hospital settle` skip them; the first row when none does.
 */
function headerIndex(rows: readonly (readonly string[])[]): number {
  for (let i = 0; i < Math.min(rows.length, 20); i++)
    if (columnOf(rows[i]!, 'setlId') >= 0 && columnOf(rows[i]!, 'amount') >= 0) return i;
  return 0;
}

/** Rows (header first, maybe under title rows) as the hospital's view; `file` names rows in errors. */
export function viewFromRows(
  allRows: readonly (readonly string[])[],
  file: string,
  rowNumbers?: readonly number[],
): HospitalViewCase[] {
  if (allRows.length === 0) return [];
  const h = headerIndex(allRows);
  const rows = allRows.slice(h);
  const rowNumber = (i: number) => rowNumbers?.[h + i] ?? h + i + 1;
  const at = Object.fromEntries(Object.keys(ALIASES).map((k) => [k, columnOf(rows[0]!, k)] as const));
  for (const k of ['setlId', 'amount'])
    if (at[k]! < 0)
      throw new HospitalError(
        'VIEW_COLUMN',
        `${file}：缺少列 ${ALIASES[k]!.join(' / ')}`,
        `${file}: column ${ALIASES[k]!.filter((a) => !/[\u4e00-\u9fff]/.test(a)).join(' / ')} is missing (a Chinese header reads too: ${ALIASES[k]!.find((a) => /[\u4e00-\u9fff]/.test(a))})`,
      );
  const cell = (r: readonly string[], k: string) => (at[k]! >= 0 ? (r[at[k]!] ?? '').trim() : '');
  return rows.slice(1).flatMap((r, i) => {
    const setlId = cell(r, 'setlId');
    if (!setlId) return [];
    const where = `${file} 第 ${rowNumber(i + 1)} 行`;
    try {
      const points = cell(r, 'points');
      const status = cell(r, 'status');
      const diagnoses = codes(cell(r, 'diagnoses'));
      const procedures = codes(cell(r, 'procedures'));
      return [
        {
          setlId,
          institution: cell(r, 'institution') || null,
          // A comprehensive group copied from a statement (C34 综合病种（保守治疗）) is its code (C34#conservative).
          group: cell(r, 'group') ? groupCodeOf(cell(r, 'group')) : null,
          points: points ? toPoints(parseDecimal(points)) : null,
          amount: yuanToFen(cell(r, 'amount') || '0'),
          status: status ? (STATUS[status] ?? status) : null,
          // A view without the diagnosis column has no coding of its own (procedures alone cannot be grouped).
          coding: at.diagnoses! >= 0 && diagnoses.length > 0 ? { diagnoses, procedures } : null,
        },
      ];
    } catch (e) {
      throw new HospitalError('VIEW_ROW', `${where}：${String(e)}`, `${file} row ${rowNumber(i + 1)}: ${String(e)}`);
    }
  });
}

/** A view's workbook; one that cannot be read says why (a truncated file, not an XLSX …) instead of exceljs's English. */
async function readViewWorkbook(path: string) {
  try {
    return await readXlsxTables(path);
  } catch (e) {
    const p = xlsxProblem(path, e);
    throw new HospitalError('VIEW_FILE', p.zh, p.en);
  }
}

/**
 * A CSV, or of a workbook the first sheet with a 结算ID column (the workbook `yibao hospital settle` and the demo write
 * has its cases on the sheet 病例预测明细, after the summaries), else its first sheet.
 */
export async function readHospitalView(path: string): Promise<HospitalViewCase[]> {
  const sheets = /\.xlsx$/i.test(path) ? await readViewWorkbook(path) : null;
  const t = sheets
    ? (sheets.find((x) => columnOf(x.rows[headerIndex(x.rows)] ?? [], 'setlId') >= 0) ?? sheets[0])
    : readCsvTable(path, basename(path));
  return t ? viewFromRows(t.rows, basename(path), t.rowNumbers) : [];
}

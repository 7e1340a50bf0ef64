/**
 * The case file of a year as typed columns (`typed-parquet.ts`): what `caseCsvLine` writes as text, row for row
 * and value for value, without the text. Ids are rebuilt in SQL from the row and person numbers, codes that
 * repeat (institution, department, doctor, ways) cross as ENUM indices, money as fen and times as day numbers.
 * Injected bad rows carry their changed cells as JSON (`o`), applied in the SELECT with the contract's types, so
 * a bad row reads exactly as its CSV text does.
 */
import { DISCHARGE_WAY_DEATH } from '../model/case.ts';
import { CASE_COLUMNS } from '../model/columns.ts';
import { LOW_STANDARD_PROFILE } from './anomalies.ts';
import type { DateTexts } from './calendar.ts';
import { departmentDoctors } from './doctors.ts';
import { parquetType } from './output.ts';
import { FEE_CATEGORIES, SYNTH_PARAMS } from './params.ts';
import { PROFILES } from './profiles/index.ts';
import type { County, SynthInstitution } from './region.ts';
import type { SampleCodes } from './sample-codes.ts';
import type { SynthCase } from './synth-case.ts';
import { BATCH_ROWS, type RawBatch, type RawColumn, sqlString, type TypedParquetJob } from './typed-parquet.ts';

const MONEY = [
  ['medfee_sumamt', (c: SynthCase) => c.total],
  ['hifp_pay', (c: SynthCase) => c.fund],
  ['psn_selfpay', (c: SynthCase) => c.selfPay],
  ['psn_ownpay', (c: SynthCase) => c.ownPay],
  ['acct_pay', (c: SynthCase) => c.account],
  ['psn_cashpay', (c: SynthCase) => c.cash],
] as const;

const US_PER_MINUTE = 60_000_000;

/** The list columns, sent as one text joined by LIST_SEPARATOR (never inside a code, name or date). */
const LIST_COLUMNS = [
  'diag_codes',
  'diag_names',
  'adm_cond_types',
  'oprn_oprt_codes',
  'oprn_oprt_names',
  'oprn_oprt_dates',
] as const;
const LIST_SEPARATOR = '\x1f';
const MINUTES_PER_DAY = 1440;

/** Index of each text in an ENUM's value list. */
function indexOf(values: readonly string[]): Map<string, number> {
  return new Map(values.map((v, i) => [v, i]));
}

function lookup(map: ReadonlyMap<string, number>, value: string, column: string): number {
  const i = map.get(value);
  if (i === undefined) throw new Error(`synth: ${column} "${value}" is missing from its typed-column dictionary`);
  return i;
}

export interface CaseParquetSetup {
  institutions: readonly SynthInstitution[];
  counties: readonly County[];
  codes: SampleCodes;
  calendar: DateTexts;
}

/** Writes cases into batches of typed columns; one per generated region (its dictionaries are the region's). */
export class CaseColumns {
  readonly raw: readonly RawColumn[];
  private readonly inst = new Map<SynthInstitution, number>();
  private readonly county = new Map<County, number>();
  private readonly doctorCode = new Map<string, number>();
  private readonly doctorName = new Map<string, number>();
  private readonly dept: Map<string, number>;
  private readonly admWay: Map<string, number>;
  private readonly dscgWay: Map<string, number>;

  constructor(private readonly s: CaseParquetSetup) {
    for (const [i, x] of s.institutions.entries()) this.inst.set(x, i);
    for (const [i, x] of s.counties.entries()) this.county.set(x, i);
    // Departments: every profile's, the TCM department (50) and general practice (02) that institutions use.
    const depts = [...new Set([...PROFILES.map((p) => p.dept), LOW_STANDARD_PROFILE.dept, '50', '02'])].sort();
    this.dept = indexOf(depts);
    const codes: string[] = [];
    const names: string[] = [];
    for (const x of s.institutions) {
      for (const d of depts) {
        for (const doc of departmentDoctors(x, d)) {
          if (!this.doctorCode.has(doc.code)) this.doctorCode.set(doc.code, codes.push(doc.code) - 1);
          if (!this.doctorName.has(doc.name)) this.doctorName.set(doc.name, names.push(doc.name) - 1);
        }
      }
    }
    const admWays = ['1', '2', '3'];
    const dscgWays = [
      ...new Set(['1', '2', DISCHARGE_WAY_DEATH, ...SYNTH_PARAMS.dischargeWays.map(([w]) => w)]),
    ].sort();
    this.admWay = indexOf(admWays);
    this.dscgWay = indexOf(dscgWays);
    this.raw = [
      { name: 'row', kind: 'int' },
      { name: 'person', kind: 'int' },
      { name: 'county', kind: 'enum', values: s.counties.map((c) => c.code) },
      { name: 'inst', kind: 'enum', values: s.institutions.map((i) => i.code) },
      { name: 'insutype', kind: 'enum', values: ['310', '390'] },
      { name: 'gend', kind: 'enum', values: ['1', '2'] },
      { name: 'brdy', kind: 'date' },
      { name: 'age', kind: 'int' },
      { name: 'nwb_age', kind: 'int' },
      { name: 'nwb_bir_wt', kind: 'int' },
      { name: 'nwb_adm_wt', kind: 'int' },
      { name: 'adm_time', kind: 'timestamp' },
      { name: 'dscg_time', kind: 'timestamp' },
      { name: 'act_ipt_days', kind: 'int' },
      { name: 'adm_way', kind: 'enum', values: admWays },
      { name: 'dscg_way', kind: 'enum', values: dscgWays },
      { name: 'dscg_caty', kind: 'enum', values: depts },
      { name: 'chfpdr_code', kind: 'enum', values: codes },
      { name: 'chfpdr_name', kind: 'enum', values: names },
      // The six list texts in one string (one native call per row instead of six), split again in SQL.
      { name: 'lists', kind: 'text' },
      { name: 'icu_days', kind: 'int' },
      { name: 'days_rinp_flag_31', kind: 'enum', values: ['0', '1'] },
      ...MONEY.map(([name]) => ({ name, kind: 'money' as const })),
      ...FEE_CATEGORIES.map((f) => ({ name: f.column, kind: 'money' as const })),
      { name: 'o', kind: 'text' },
    ];
    // `put` addresses the buffers by position: keep it in step with the list above.
    const at: Record<number, string> = { 13: 'act_ipt_days', 14: 'adm_way', 19: 'lists', 21: 'days_rinp_flag_31' };
    for (const [i, name] of Object.entries(at)) {
      if (this.raw[Number(i)]?.name !== name) throw new Error(`synth: raw case column ${i} is not ${name}`);
    }
    if (this.raw.length !== 23 + MONEY.length + FEE_CATEGORIES.length) throw new Error('synth: raw case columns');
  }

  /** The SELECT list giving the contract's columns (CASE_COLUMNS order) of the year's file. */
  select(year: number, overrides: boolean): string {
    const y = String(year);
    const clean: Record<string, string> = {
      setl_id: `'JS${y}' || lpad(row::VARCHAR, 9, '0')`,
      mdtrt_id: `'ZY${y}' || lpad(row::VARCHAR, 9, '0')`,
      psn_no: `county::VARCHAR || lpad(person::VARCHAR, 10, '0')`,
      fixmedins_code: 'inst::VARCHAR',
    };
    for (const [i, name] of LIST_COLUMNS.entries()) clean[name] = `nullif(lists[${i + 1}], '')`;
    return CASE_COLUMNS.map((col) => {
      const raw = this.raw.find((r) => r.name === col.name);
      let e = clean[col.name] ?? (raw?.kind === 'enum' ? `${col.name}::VARCHAR` : col.name);
      if (overrides) {
        const path = sqlString(`$."${col.name}"`);
        e = `CASE WHEN o IS NOT NULL AND json_exists(o, ${path}) THEN CAST(json_extract_string(o, ${path}) AS ${parquetType(col.type)}) ELSE ${e} END`;
      }
      return `${e} AS "${col.name}"`;
    }).join(', ');
  }

  /** The raw relation the SELECT reads: the table function's rows with the list texts split apart. */
  source(fn: string): string {
    return this.sourceFrom(`${fn}()`);
  }

  /** The same over any relation of raw rows (e.g. `read_parquet` of the shards' raw parts). */
  sourceFrom(relation: string): string {
    return `(SELECT * REPLACE (string_split(lists, chr(${LIST_SEPARATOR.charCodeAt(0)})) AS lists) FROM ${relation})`;
  }

  /**
   * A job writing the raw columns as they are (a shard's part: integers, ENUM texts, the joined lists), for
   * `select` over `sourceFrom` to turn into the year's file.
   */
  rawJob(path: string, next: () => SynthCase | null): TypedParquetJob {
    return this.jobOf(path, '*', undefined, next);
  }

  /** A job writing the cases `next` gives (null when the year is done) to `path`. */
  job(path: string, year: number, overrides: boolean, next: () => SynthCase | null): TypedParquetJob {
    return this.jobOf(path, this.select(year, overrides), (fn) => this.source(fn), next);
  }

  private jobOf(
    path: string,
    select: string,
    source: TypedParquetJob['source'],
    next: () => SynthCase | null,
  ): TypedParquetJob {
    return {
      path,
      columns: this.raw,
      select,
      source,
      fill: (batch) => {
        let n = 0;
        while (n < BATCH_ROWS) {
          const c = next();
          if (c === null) break;
          this.put(batch, n++, c);
        }
        return n;
      },
    };
  }

  private put(b: RawBatch, r: number, c: SynthCase): void {
    const s = this.s;
    const [row, person, county, inst, insutype, gend, brdy, age, nwbAge, birWt, admWt, admTime, dscgTime, los] =
      b.buffers;
    row!.ints[r] = c.row;
    person!.ints[r] = c.person.index;
    county!.ints[r] = this.county.get(c.person.county)!;
    inst!.ints[r] = this.inst.get(c.inst)!;
    insutype!.ints[r] = c.insutype === '310' ? 0 : 1;
    gend!.ints[r] = c.person.sex === '1' ? 0 : 1;
    brdy!.ints[r] = c.person.birthDay;
    age!.ints[r] = c.age;
    if (c.ageDays === null) nwbAge!.setNull(r);
    else nwbAge!.ints[r] = c.ageDays;
    if (c.birthWeightG === null) birWt!.setNull(r);
    else birWt!.ints[r] = c.birthWeightG;
    if (c.admissionWeightG === null) admWt!.setNull(r);
    else admWt!.ints[r] = c.admissionWeightG;
    admTime!.nums[r] = (c.admDay * MINUTES_PER_DAY + c.admMinute) * US_PER_MINUTE;
    dscgTime!.nums[r] = (c.dscgDay * MINUTES_PER_DAY + c.dscgMinute) * US_PER_MINUTE;
    los!.ints[r] = c.los;
    const bs = b.buffers;
    bs[14]!.ints[r] = lookup(this.admWay, c.admWay, 'adm_way');
    bs[15]!.ints[r] = lookup(this.dscgWay, c.dscgWay, 'dscg_way');
    bs[16]!.ints[r] = lookup(this.dept, c.dept, 'dscg_caty');
    bs[17]!.ints[r] = lookup(this.doctorCode, c.doctor.code, 'chfpdr_code');
    bs[18]!.ints[r] = lookup(this.doctorName, c.doctor.name, 'chfpdr_name');
    const d = c.diagnoses;
    const p = c.procedures;
    let dNames = s.codes.diagnoses.get(d[0]!) ?? '';
    for (let i = 1; i < d.length; i++) dNames += `|${s.codes.diagnoses.get(d[i]!) ?? ''}`;
    let pNames = '';
    let pDates = '';
    for (let i = 0; i < p.length; i++) {
      pNames += `${i > 0 ? '|' : ''}${s.codes.procedures.get(p[i]!)?.name ?? ''}`;
      pDates += `${i > 0 ? '|' : ''}${s.calendar.date(c.procDays[i]!)}`;
    }
    const sep = LIST_SEPARATOR;
    bs[19]!.texts[r] =
      `${d.join('|')}${sep}${dNames}${sep}${c.admConds.join('|')}${sep}${p.join('|')}${sep}${pNames}${sep}${pDates}`;
    bs[20]!.ints[r] = c.icuDays;
    bs[21]!.ints[r] = c.readmitFlag === '1' ? 1 : 0;
    let k = 22;
    for (const [, get] of MONEY) bs[k++]!.nums[r] = get(c);
    for (let i = 0; i < FEE_CATEGORIES.length; i++) bs[k++]!.nums[r] = c.fees[i]!;
    bs[k]!.texts[r] = c.overrides === null ? null : JSON.stringify(Object.fromEntries(c.overrides));
  }
}

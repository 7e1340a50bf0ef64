/**
 * Outpatient special-disease settlements as typed columns (`typed-parquet.ts`): the visits arrive enrolment by
 * enrolment, across years, so each year's rows go to a temporary table and become `outpatient-<year>.parquet`
 * once all enrolments are done. Same values as the CSV line `CsvVisits` writes (ids rebuilt in SQL).
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { OUTPATIENT_COLUMNS } from '../model/columns.ts';
import { SPECIAL_DISEASES } from './enrolments.ts';
import type { OutpatientVisit, VisitSink } from './outpatient.ts';
import type { County, SynthInstitution } from './region.ts';
import { type RawColumn, TypedTable } from './typed-parquet.ts';

const US_PER_MINUTE = 60_000_000;

export class TypedVisits {
  private readonly tables = new Map<number, TypedTable>();
  private readonly inst = new Map<string, number>();
  private readonly county = new Map<string, number>();
  private readonly disease = new Map<string, number>();
  private lastPsn = '';
  private lastPerson = 0;
  private lastCounty = 0;

  private constructor(institutions: readonly SynthInstitution[], counties: readonly County[]) {
    for (const [i, x] of institutions.entries()) this.inst.set(x.code, i);
    for (const [i, x] of counties.entries()) this.county.set(x.code, i);
    for (const [i, x] of SPECIAL_DISEASES.entries()) this.disease.set(x.code, i);
  }

  static async create(
    conn: DuckDBConnection,
    years: readonly number[],
    institutions: readonly SynthInstitution[],
    counties: readonly County[],
  ): Promise<TypedVisits> {
    const v = new TypedVisits(institutions, counties);
    const columns: RawColumn[] = [
      { name: 'seq', kind: 'int' },
      { name: 'person', kind: 'int' },
      { name: 'county', kind: 'enum', values: counties.map((c) => c.code) },
      { name: 'inst', kind: 'enum', values: institutions.map((i) => i.code) },
      { name: 'insutype', kind: 'enum', values: ['310', '390'] },
      { name: 'disease', kind: 'enum', values: SPECIAL_DISEASES.map((d) => d.code) },
      { name: 'disease_name', kind: 'enum', values: SPECIAL_DISEASES.map((d) => d.zh) },
      { name: 'setl_time', kind: 'timestamp' },
      ...['medfee_sumamt', 'hifp_pay', 'outp_adj_fee', 'psn_selfpay', 'psn_ownpay', 'acct_pay', 'psn_cashpay'].map(
        (name) => ({ name, kind: 'money' as const }),
      ),
    ];
    for (const y of years) v.tables.set(y, await TypedTable.create(conn, columns));
    return v;
  }

  readonly sink: VisitSink = (v: OutpatientVisit) => {
    const t = this.tables.get(v.year);
    if (!t) throw new Error(`synth: outpatient visit in ${v.year}, outside the generated years`);
    const r = t.row();
    const b = t.batch.buffers;
    const psn = v.row.psnNo;
    if (psn !== this.lastPsn) {
      // psn_no = county code + population index in 10 digits (population.ts).
      this.lastPsn = psn;
      this.lastPerson = Number(psn.slice(-10));
      this.lastCounty = this.county.get(psn.slice(0, -10))!;
    }
    b[0]!.ints[r] = v.seq;
    b[1]!.ints[r] = this.lastPerson;
    b[2]!.ints[r] = this.lastCounty;
    b[3]!.ints[r] = this.inst.get(v.inst.code)!;
    b[4]!.ints[r] = v.row.insutype === '310' ? 0 : 1;
    const d = this.disease.get(v.row.disease.code)!;
    b[5]!.ints[r] = d;
    b[6]!.ints[r] = d;
    b[7]!.nums[r] = (v.day * 1440 + v.minute) * US_PER_MINUTE;
    b[8]!.nums[r] = v.total;
    b[9]!.nums[r] = v.fund;
    b[10]!.nums[r] = v.adj;
    b[11]!.nums[r] = v.selfPay;
    b[12]!.nums[r] = v.ownPay;
    b[13]!.nums[r] = v.account;
    b[14]!.nums[r] = v.cash;
  };

  /** Write every year that has visits to `pathOf(year)`; the rows per year written. */
  async finish(pathOf: (year: number) => string): Promise<[number, number][]> {
    const written: [number, number][] = [];
    for (const [year, t] of [...this.tables].sort((a, b) => a[0] - b[0])) {
      if (t.rows === 0) {
        await t.discard();
        continue;
      }
      const y = String(year);
      const expr: Record<string, string> = {
        setl_id: `'MT${y}' || lpad(seq::VARCHAR, 9, '0')`,
        mdtrt_id: `'V${y}' || lpad(seq::VARCHAR, 9, '0')`,
        psn_no: `county::VARCHAR || lpad(person::VARCHAR, 10, '0')`,
        fixmedins_code: 'inst::VARCHAR',
        insutype: 'insutype::VARCHAR',
        opsp_dise_code: 'disease::VARCHAR',
        opsp_dise_name: 'disease_name::VARCHAR',
        medfee_sumamt: 'medfee_sumamt',
      };
      const select = OUTPATIENT_COLUMNS.map((c) => `${expr[c.name] ?? c.name} AS "${c.name}"`).join(', ');
      await t.copyTo(pathOf(year), select);
      written.push([year, t.rows]);
    }
    return written;
  }
}

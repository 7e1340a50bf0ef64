/**
 * The contract suite every store back-end passes (DuckDB now, ClickHouse later). A back-end's test calls
 * `storeContract(name, open)` where `open` returns a fresh store loaded with `CONTRACT_FIXTURE`.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { InpatientCase } from '../model/case.ts';
import { type CaseColumns, caseColumnsFromCases } from '../model/case-columns.ts';
import type { HistoryKeys } from '../model/history-keys.ts';
import { floorsAndLargestRemainders } from '../model/money.ts';
import type { RunUnitRow } from './settlement-runs.ts';
import type { ResultRow, RunRecord, Store } from './store.ts';
import { testInstitutionYearRow, testRunRecord, testUnitRow } from './testing.ts';

/** Rows in the flat-file (4101) column names; money as yuan text. Loaded by each back-end's test its own way. */
export const CONTRACT_FIXTURE = {
  cases: [
    {
      setl_id: 'S003',
      mdtrt_id: 'M3',
      psn_no: 'P2',
      fixmedins_code: 'H002',
      insutype: '390',
      gend: '2',
      brdy: '1990-05-06',
      age: '34',
      adm_time: '2025-03-01 08:00:00',
      dscg_time: '2025-03-05 10:30:00',
      act_ipt_days: '4',
      dscg_way: '1',
      diag_codes: ['O80.000', 'Z37.000'],
      diag_names: ['单胎顺产', '单胎活产'],
      adm_cond_types: ['1', '1'],
      oprn_oprt_codes: [],
      icu_days: '0',
      days_rinp_flag_31: false,
      medfee_sumamt: '98765432.10',
      hifp_pay: '90000000.01',
      psn_selfpay: '0.09',
      fee_bed: '98765432.10',
    },
    {
      setl_id: 'S001',
      mdtrt_id: 'M1',
      psn_no: 'P1',
      fixmedins_code: 'H001',
      insutype: '310',
      gend: '1',
      brdy: '1960-01-31',
      age: '64',
      nwb_age: null,
      adm_time: '2024-12-20 09:00:00',
      dscg_time: '2024-12-31 23:59:59',
      act_ipt_days: '11',
      adm_way: '2',
      dscg_way: '1',
      dscg_caty: 'A03',
      diag_codes: ['K35.800', 'I10.x00'],
      diag_names: ['急性阑尾炎', '高血压'],
      adm_cond_types: ['1', '3'],
      oprn_oprt_codes: ['47.0100', '99.2100'],
      oprn_oprt_names: ['腹腔镜下阑尾切除术', '注射'],
      oprn_oprt_dates: ['2024-12-21', '2024-12-22'],
      icu_days: '2',
      days_rinp_flag_31: true,
      medfee_sumamt: '12345.67',
      hifp_pay: '10000.00',
      psn_selfpay: '2000.00',
      psn_ownpay: '345.67',
      acct_pay: '0.00',
      psn_cashpay: '2345.67',
      fee_oprn: '5000.00',
      fee_wm: '7345.67',
    },
    {
      setl_id: 'S002',
      mdtrt_id: 'M2',
      psn_no: 'P1',
      fixmedins_code: 'H001',
      insutype: '310',
      gend: '1',
      brdy: null,
      age: '0',
      nwb_age: '12',
      nwb_bir_wt: '3200',
      nwb_adm_wt: '3100',
      adm_time: '2025-01-01 00:00:00',
      dscg_time: '2025-01-01 12:00:00',
      act_ipt_days: '1',
      dscg_way: '5',
      diag_codes: ['P07.100'],
      medfee_sumamt: '0.01',
      hifp_pay: '0.00',
    },
  ],
  feeItems: [
    {
      setl_id: 'S001',
      line_no: 2,
      med_list_codg: 'X2',
      med_list_name: '药品',
      chrgitm_lv: '02',
      med_chrgitm_type: '09',
      cnt: '2.5',
      pric: '10.00',
      det_item_fee_sumamt: '25.00',
    },
    {
      setl_id: 'S001',
      line_no: 1,
      med_list_codg: 'X1',
      med_list_name: '手术',
      chrgitm_lv: '01',
      med_chrgitm_type: '06',
      cnt: '1',
      pric: '5000.00',
      det_item_fee_sumamt: '5000.00',
    },
    {
      setl_id: 'S003',
      line_no: 1,
      med_list_codg: 'X3',
      med_list_name: '床位',
      chrgitm_lv: '03',
      med_chrgitm_type: '01',
      cnt: '3',
      pric: '0.03',
      det_item_fee_sumamt: '0.09',
    },
  ],
  institutions: [
    {
      fixmedins_code: 'H002',
      fixmedins_name: '县人民医院',
      hosp_lv: '2',
      inst_type: 'general',
      admdvs: '100102',
      mc_id: 'MC1',
      mc_lead: true,
    },
    {
      fixmedins_code: 'H001',
      fixmedins_name: '市第一医院',
      hosp_lv: '3',
      inst_type: 'general',
      admdvs: '100101',
      mc_id: null,
      mc_lead: null,
    },
  ],
  persons: [
    { psn_no: 'P2', gend: '2', brdy: '1990-05-06', insutype: '390', admdvs: '100102' },
    { psn_no: 'P1', gend: '1', brdy: '1960-01-31', insutype: '310', admdvs: '100101' },
  ],
  enrolments: [
    {
      psn_no: 'P1',
      opsp_dise_code: 'M00500',
      dise_class: 1,
      insutype: '310',
      treat_fixmedins_code: 'H001',
      fd_fixmedins_code: 'H002',
      begndate: '2025-01-01',
      enddate: '2025-06-30',
    },
    {
      psn_no: 'P2',
      opsp_dise_code: 'M00600',
      dise_class: 2,
      insutype: '390',
      treat_fixmedins_code: 'H002',
      fd_fixmedins_code: null,
      begndate: '2024-01-01',
      enddate: '2024-12-31',
    },
  ],
  outpatient: [
    {
      setl_id: 'MT002',
      mdtrt_id: null,
      psn_no: 'P2',
      fixmedins_code: 'H002',
      insutype: '390',
      opsp_dise_code: 'M00600',
      opsp_dise_name: null,
      setl_time: '2025-01-01 00:00:00',
      medfee_sumamt: '0.01',
      hifp_pay: '0.00',
    },
    {
      setl_id: 'MT001',
      mdtrt_id: 'V1',
      psn_no: 'P1',
      fixmedins_code: 'H001',
      insutype: '310',
      opsp_dise_code: 'M00500',
      opsp_dise_name: '高血压',
      setl_time: '2024-12-31 23:59:59',
      medfee_sumamt: '98765432.10',
      hifp_pay: '90000000.01',
      outp_adj_fee: '0.09',
      psn_selfpay: '8765432.00',
      psn_ownpay: '0.00',
      acct_pay: '8765432.00',
      psn_cashpay: '0.00',
    },
    {
      setl_id: 'MT003',
      psn_no: 'P1',
      fixmedins_code: 'H002',
      insutype: '310',
      opsp_dise_code: 'M00500',
      setl_time: '2025-06-30 10:00:00',
      medfee_sumamt: '120.50',
      hifp_pay: '90.00',
      outp_adj_fee: '3.00',
    },
  ],
  codes: [
    { kind: 'icd10', code: 'K35.800', name: '急性阑尾炎' },
    { kind: 'icd9', code: '47.0100', name: '腹腔镜下阑尾切除术', proc_type: 'surgery' },
  ],
  /**
   * Rows ingest rejected (table `rejects`, each with its own run: loaded as they are, no fixture run id). The runs
   * are recorded by the contract case (run-late started after run-early, though its id sorts first); rows of a run
   * out of their order; another key, another kind; one stored before row_unit was kept (NULL).
   */
  rejects: [
    {
      run_id: 'run-late',
      kind: 'cases',
      source: 'b.parquet',
      row_no: 7,
      row_unit: 'record',
      record_key: 'X9',
      field: 'gend',
      code: 'E_CODE_INVALID',
      message_zh: 'gend（性别） 的值 "3" 不在允许的代码中',
      message_en: 'gend: "3" is not an allowed code',
      raw: '{"setl_id":"X9","gend":"3"}',
    },
    {
      run_id: 'run-early',
      kind: 'cases',
      source: 'a.csv',
      row_no: 12,
      row_unit: 'row',
      record_key: 'X9',
      field: 'brdy',
      code: 'E_FORMAT',
      message_zh: 'brdy（出生日期） 的 "1960-02-30" 不是真实的日期',
      message_en: 'brdy: "1960-02-30" is not a real calendar date',
      raw: null,
    },
    {
      run_id: 'run-early',
      kind: 'cases',
      source: 'a.csv',
      row_no: 12,
      row_unit: 'row',
      record_key: 'X9',
      field: 'age',
      code: 'E_RANGE',
      message_zh: 'age（年龄） 超出范围',
      message_en: 'age is out of range',
      raw: null,
    },
    {
      run_id: 'run-early',
      kind: 'cases',
      source: 'a.csv',
      row_no: 2,
      row_unit: 'row',
      record_key: 'X9',
      field: null,
      code: 'E_CSV_SHAPE',
      message_zh: '该行有 3 个字段，表头有 18 个',
      message_en: 'the row has 3 fields, the header 18',
      raw: null,
    },
    {
      run_id: 'run-early',
      kind: 'cases',
      source: 'a.csv',
      row_no: 13,
      row_unit: 'row',
      record_key: 'X10',
      field: 'gend',
      code: 'E_CODE_INVALID',
      message_zh: '另一病例',
      message_en: 'another case',
      raw: null,
    },
    {
      run_id: 'run-early',
      kind: 'institutions',
      source: 'i.csv',
      row_no: 4,
      row_unit: 'row',
      record_key: 'X9',
      field: 'fixmedins_code',
      code: 'E_REQUIRED',
      message_zh: '另一种数据',
      message_en: 'another kind',
      raw: null,
    },
    {
      run_id: 'run-legacy',
      kind: 'cases',
      source: 'old.csv',
      row_no: 3,
      row_unit: null,
      record_key: 'X9',
      field: 'age',
      code: 'E_RANGE',
      message_zh: '旧的拒收',
      message_en: 'an old reject',
      raw: null,
    },
  ],
} as const;

/** Case columns read back row by row (every field, its codes through the dictionaries), and the batch count. */
export async function caseColumnRows(it: AsyncIterable<CaseColumns>): Promise<{ batches: number; rows: unknown[] }> {
  const out: unknown[] = [];
  let batches = 0;
  for await (const c of it) {
    batches++;
    for (let i = 0; i < c.n; i++) {
      out.push({
        year: c.year[i],
        los: c.losDays[i],
        icu: c.icuDays[i],
        age: c.ageYears[i],
        ageDays: c.ageDays[i],
        weight: c.birthWeightG[i],
        cost: c.totalCost[i],
        fund: c.fundPay[i],
        attributes: c.dict.attributes[c.attributes[i]!],
        diagnoses: c.dict.diagnoses[c.diagnoses[i]!],
        procedures: c.dict.procedures[c.procedures[i]!],
        setlId: c.setlId[i],
        ...(c.settlement
          ? {
              id: c.settlement.setlIds[i],
              month: c.settlement.month[i],
              department: c.dict.departments[c.settlement.department[i]!],
            }
          : {}),
      });
    }
  }
  return { batches, rows: out };
}

async function collect<T>(it: AsyncIterable<T[]>): Promise<{ batches: number; items: T[] }> {
  const items: T[] = [];
  let batches = 0;
  for await (const b of it) {
    batches++;
    items.push(...b);
  }
  return { batches, items };
}

/** A finished test run `id` of the demo region (the streaming writer's and the settled-amount tests'). */
const runRecord = (id: string) =>
  testRunRecord(id, 'demo', {
    command: 'test',
    startedAt: '2026-01-01T00:00:00.000Z',
    finishedAt: '2026-01-01T00:00:00.000Z',
  });

/** An institution's year-end row with only what the per-case split reads (its points value + fixed amounts). */
const yearRow = (poolId: string, institution: string, valueFen: number) =>
  testInstitutionYearRow(poolId, institution, valueFen);

/** The contract's rows, as each back-end's test loads them. */
export type ContractFixture = typeof CONTRACT_FIXTURE;

/** A history case (issue 9's keys): H001 unless said, 47.0100 as the procedure list unless said, age 40, 5 days. */
const histCase = (
  setl: string,
  year: number,
  yuan: string,
  fund: string,
  o: { inst?: string; dx?: string[]; px?: string[] | null; age?: number; los?: number } = {},
) => ({
  setl_id: setl,
  mdtrt_id: setl,
  psn_no: 'P1',
  fixmedins_code: o.inst ?? 'H001',
  insutype: '310',
  gend: '1',
  age: String(o.age ?? 40),
  adm_time: `${year}-03-01 08:00:00`,
  dscg_time: `${year}-03-06 08:00:00`,
  act_ipt_days: String(o.los ?? 5),
  dscg_way: '1',
  diag_codes: o.dx ?? ['K35.800'],
  // null: the column left out (NULL on DuckDB, the empty array on ClickHouse)
  ...(o.px === null ? {} : { oprn_oprt_codes: o.px ?? ['47.0100'] }),
  medfee_sumamt: yuan,
  hifp_pay: fund,
});

/**
 * The history fixture of the DIP keys (issue 9, R-DIP-1/2/4): appendicitis (K35.800, principal of two lists) with
 * ties at both ends, a psychiatric stay paid per bed-day and one that is not, lists without procedures (left out
 * and empty: the same list), a cost whose square passes 2^63, and a case outside the history years.
 */
export const HISTORY_FIXTURE: ContractFixture = {
  ...CONTRACT_FIXTURE,
  cases: [
    histCase('A1', 2023, '100.00', '80.00'),
    histCase('A2', 2023, '100.00', '80.00'),
    histCase('A0', 2024, '100.00', '80.00'),
    histCase('A4', 2023, '500.00', '400.00', { dx: ['K35.800', 'I10.x00'], age: 70 }),
    histCase('A5', 2024, '900.00', '720.00', { inst: 'H002' }),
    histCase('A6', 2024, '900.00', '720.00', { inst: 'H002' }),
    histCase('A9', 2023, '900.00', '720.00'),
    histCase('A8', 2024, '300.00', '240.00', { dx: ['K35.800', 'I10.x00'] }),
    histCase('F1', 2024, '300.00', '270.00', { dx: ['F20.000'], px: null, los: 20 }),
    histCase('F2', 2024, '150.00', '135.00', { dx: ['F20.000'], px: null, los: 5 }),
    histCase('F3', 2024, '0.01', '0.00', { dx: ['F20.000'], px: [], los: 3 }),
    histCase('J1', 2024, '1234.56', '987.65', { inst: 'H002', dx: ['J18.900'], px: [] }),
    histCase('B1', 2023, '98765432.10', '90000000.01', { inst: 'H002', dx: ['O80.000'], px: [] }),
    histCase('Z1', 2025, '777.00', '700.00'),
  ] as unknown as ContractFixture['cases'],
};

export function storeContract(name: string, open: (fixture?: ContractFixture) => Promise<Store>): void {
  describe(`Store contract: ${name}`, () => {
    it('streams cases in setl_id order, in batches, with exact fen and the 4101 fields mapped', async () => {
      const store = await open();
      try {
        const { batches, items } = await collect(store.iterateCases({}, 2));
        expect(batches).toBe(2);
        expect(items.map((c) => c.setlId)).toEqual(['S001', 'S002', 'S003']);
        const s1 = items[0]!;
        const expected: InpatientCase = {
          setlId: 'S001',
          mdtrtId: 'M1',
          psnNo: 'P1',
          institutionCode: 'H001',
          insuranceType: 'employee',
          sex: '1',
          birthDate: '1960-01-31',
          ageYears: 64,
          admissionTime: '2024-12-20T09:00:00',
          dischargeTime: '2024-12-31T23:59:59',
          losDays: 11,
          admissionRoute: '2',
          dischargeWay: '1',
          department: 'A03',
          diagnoses: [
            { code: 'K35.800', name: '急性阑尾炎', admissionCondition: '1' },
            { code: 'I10.x00', name: '高血压', admissionCondition: '3' },
          ],
          procedures: [
            { code: '47.0100', name: '腹腔镜下阑尾切除术', date: '2024-12-21' },
            { code: '99.2100', name: '注射', date: '2024-12-22' },
          ],
          icuDays: 2,
          readmit31: true,
          totalCost: 1234567,
          fundPay: 1000000,
          selfPay: 200000,
          ownPay: 34567,
          accountPay: 0,
          cashPay: 234567,
          costs: { surgery: 500000, westernDrugs: 734567 },
        };
        expect(s1).toEqual(expected);
        const s2 = items[1]!;
        expect(s2.ageDays).toBe(12);
        expect(s2.newbornBirthWeightG).toBe(3200);
        expect(s2.totalCost).toBe(1);
        expect(s2.procedures).toEqual([]);
        expect(s2.costs).toBeUndefined();
        expect(s2.birthDate).toBeUndefined();
        expect(items[2]!.totalCost).toBe(9876543210);
        expect(items[2]!.selfPay).toBe(9);
        expect(items[2]!.insuranceType).toBe('resident');
      } finally {
        await store.close();
      }
    });

    it('gives the cases as typed columns with interned codes: the same rows, order and values as the objects', async () => {
      const store = await open();
      try {
        for (const f of [{}, { year: 2025 }, { year: 2024 }, { year: 2023 }]) {
          const got = await caseColumnRows(store.iterateCaseColumns(f, { batchSize: 2, idsFor: ['K35', 'O'] }));
          const want = await caseColumnRows(caseColumnsFromCases(store.iterateCases(f, 2), ['K35', 'O']));
          expect(got).toEqual(want);
          // The settlement year's fields: every row's id, its discharge month and department.
          const year = await caseColumnRows(
            store.iterateCaseColumns(f, { batchSize: 2, idsFor: ['K35'], settlement: true }),
          );
          expect(year).toEqual(await caseColumnRows(caseColumnsFromCases(store.iterateCases(f, 2), ['K35'], true)));
          const cases = (await collect(store.iterateCases(f, 10))).items;
          expect(year.rows).toMatchObject(
            cases.map((c) => ({
              id: c.setlId,
              month: Number(c.dischargeTime.slice(5, 7)),
              department: c.department ?? '',
            })),
          );
        }
        const all = await caseColumnRows(store.iterateCaseColumns({}, { batchSize: 2, idsFor: ['K35', 'O'] }));
        expect(all.batches).toBe(2);
        expect(all.rows[0]).toEqual({
          year: 2024,
          los: 11,
          icu: 2,
          age: 64,
          ageDays: -1,
          weight: -1,
          cost: 1234567,
          fund: 1000000,
          attributes: { institutionCode: 'H001', insuranceType: 'employee', sex: '1', dischargeWay: '1' },
          diagnoses: [
            { code: 'K35.800', admissionCondition: '1' },
            { code: 'I10.x00', admissionCondition: '3' },
          ],
          procedures: ['47.0100', '99.2100'],
          setlId: 'S001',
        });
        expect((all.rows as { setlId: string | null; cost: number }[]).map((r) => [r.setlId, r.cost])).toEqual([
          ['S001', 1234567],
          [null, 1],
          ['S003', 9876543210],
        ]);
      } finally {
        await store.close();
      }
    });

    it('numbers each case-column dictionary in the sort order of its values, so both stores give the same ids', async () => {
      const store = await open();
      try {
        const batches: CaseColumns[] = [];
        for await (const c of store.iterateCaseColumns({}, { batchSize: 2, settlement: true })) batches.push(c);
        const ids = (f: (c: CaseColumns) => Int32Array) => batches.flatMap((c) => [...f(c).subarray(0, c.n)]);
        const dict = batches[0]!.dict;
        // Rows S001, S002, S003. Attributes ordered by (institution, insutype, sex, discharge way):
        // (H001 310 1 1) < (H001 310 1 5) < (H002 390 2 1).
        expect(dict.attributes.map((a) => `${a.institutionCode} ${a.sex} ${a.dischargeWay}`)).toEqual([
          'H001 1 1',
          'H001 1 5',
          'H002 2 1',
        ]);
        expect(ids((c) => c.attributes)).toEqual([0, 1, 2]);
        // Diagnosis lists ordered by their codes: K35.800… < O80.000… < P07.100.
        expect(dict.diagnoses.map((d) => d[0]!.code)).toEqual(['K35.800', 'O80.000', 'P07.100']);
        expect(ids((c) => c.diagnoses)).toEqual([0, 2, 1]);
        // Departments: 'A03' before the missing one (NULL sorts last on both engines, read as '').
        expect(dict.departments).toEqual(['A03', '']);
        expect(ids((c) => c.settlement!.department)).toEqual([0, 1, 1]);
        // Procedure lists: [] < [47.0100, 99.2100]. S002 has none: a NULL list on DuckDB (an id of its own, after
        // every list), the empty list on ClickHouse (whose arrays are never NULL); both read as [].
        expect(dict.procedures.slice(0, 2)).toEqual([[], ['47.0100', '99.2100']]);
        const px = ids((c) => c.procedures);
        expect([px[0], px[2]]).toEqual([1, 0]);
        expect(dict.procedures[px[1]!]).toEqual([]);
      } finally {
        await store.close();
      }
    });

    it('groups the DIP history by key in SQL with exact sums and trims by (cost, year position, setl_id) (issue 9, R-DIP-1, R-DIP-4)', async () => {
      const store = await open(HISTORY_FIXTURE);
      try {
        expect(store.historyKeys).toBeDefined();
        const keyText = (k: HistoryKeys, r: number) =>
          [
            k.year[r],
            k.institutions[k.institution[r]!],
            k.diagnoses[k.diagnosisList[r]!]!.join(','),
            k.procedures[k.procedureList[r]!]!.join(','),
            k.bits[r],
            k.excluded[r],
          ].join(' ');
        const rows = (k: HistoryKeys) =>
          Array.from({ length: k.n }, (_, r) =>
            [keyText(k, r), k.cases[r], k.cost[r], k.fundPay[r], k.costSquares[r], k.firstId[r]].join(' '),
          );
        let planned: HistoryKeys | undefined;
        const { keys, tails } = await store.historyKeys!(
          {
            years: [2023, 2024],
            bits: [{ value: 1, of: 'age-years', from: 65 }],
            // R-DIP-4: a psychiatric stay of at least 10 days at H001 is paid per bed-day.
            exclude: [{ principalPrefixes: ['F20'], institutions: ['H001'], minLosDays: 10 }],
            firstIds: true,
          },
          (k) => {
            planned = k;
            const d = k.diagnoses.findIndex((l) => l.join(',') === 'K35.800');
            const p = k.procedures.findIndex((l) => l.join(',') === '47.0100');
            const j = k.diagnoses.findIndex((l) => l.join(',') === 'J18.900');
            const e = k.procedures.findIndex((l) => l.length === 0);
            // Group 0: the eight appendicitis stays (both lists with principal K35.800, either institution), its two
            // lowest and two highest trimmed; group 1 (one pneumonia stay) trims none.
            return {
              pairs: [
                { diagnosisList: d, procedureList: p, group: 0 },
                { diagnosisList: j, procedureList: e, group: 1 },
              ],
              cases: [8, 1],
              low: [2, 0],
              high: [2, 0],
            };
          },
        );
        expect(planned).toBe(keys);
        // Dictionaries in the sort order of their values (the same ids on both stores).
        expect(keys.diagnoses).toEqual([['F20.000'], ['J18.900'], ['K35.800'], ['K35.800', 'I10.x00'], ['O80.000']]);
        expect(keys.procedures).toEqual([[], ['47.0100']]);
        expect(keys.institutions).toEqual(['H001', 'H002']);
        // Keys in (year, institution, diagnosis list, procedure list, bits, excluded) order; fen exact, Σ cost² in
        // fen² (9 876 543 210² passes 2^63); F2 (no procedure column) and F3 (the same list) one key; Z1 (2025) out.
        expect(rows(keys)).toEqual([
          '2023 H001 K35.800 47.0100 0 0 3 110000 88000 8300000000 A1',
          '2023 H001 K35.800,I10.x00 47.0100 1 0 1 50000 40000 2500000000 A4',
          '2023 H002 O80.000  0 0 1 9876543210 9000000001 97546105778997104100 B1',
          '2024 H001 F20.000  0 0 2 15001 13500 225000001 F2',
          '2024 H001 F20.000  0 1 1 30000 27000 900000000 F1',
          '2024 H001 K35.800 47.0100 0 0 1 10000 8000 100000000 A0',
          '2024 H001 K35.800,I10.x00 47.0100 0 0 1 30000 24000 900000000 A8',
          '2024 H002 J18.900  0 0 1 123456 98765 15241383936 J1',
          '2024 H002 K35.800 47.0100 0 0 2 180000 144000 16200000000 A5',
        ]);
        // Trimmed: low by (cost, year position, setl_id) — A1, A2 (2023) before A0 (2024, the smallest setl_id);
        // high by the reverse — A6, A5 (2024) before A9 (2023, the largest setl_id).
        const trimmed = Array.from({ length: tails.n }, (_, i) =>
          [keyText(keys, tails.row[i]!), tails.group[i], tails.cost[i]].join(' '),
        ).sort();
        expect(trimmed).toEqual([
          '2023 H001 K35.800 47.0100 0 0 0 10000',
          '2023 H001 K35.800 47.0100 0 0 0 10000',
          '2024 H002 K35.800 47.0100 0 0 0 90000',
          '2024 H002 K35.800 47.0100 0 0 0 90000',
        ]);
        // Without firstIds and without a plan: no first ids, no trimmed cases; the years' order moves the ties.
        const again = await store.historyKeys!(
          { years: [2024, 2023], bits: [], exclude: [], firstIds: false },
          () => null,
        );
        expect(again.tails.n).toBe(0);
        expect(again.keys.firstId.every((f) => f === null)).toBe(true);
        expect(again.keys.n).toBe(8);
        const late = await store.historyKeys!({ years: [2024, 2023], bits: [], exclude: [] }, (k) => ({
          pairs: [
            {
              diagnosisList: k.diagnoses.findIndex((l) => l.join(',') === 'K35.800'),
              procedureList: k.procedures.findIndex((l) => l.join(',') === '47.0100'),
              group: 0,
            },
          ],
          cases: [8],
          low: [1],
          high: [1],
        }));
        // 2024 first now: A0 is the lowest; A9 (2023, now last) the highest.
        expect(Array.from({ length: late.tails.n }, (_, i) => keyText(late.keys, late.tails.row[i]!)).sort()).toEqual([
          '2023 H001 K35.800 47.0100 0 0',
          '2024 H001 K35.800 47.0100 0 0',
        ]);
        // A plan that does not match the store's cases is refused.
        await expect(
          store.historyKeys!({ years: [2023, 2024], bits: [], exclude: [] }, (k) => ({
            pairs: [{ diagnosisList: k.diagnoses.findIndex((l) => l[0] === 'K35.800'), procedureList: 1, group: 0 }],
            cases: [7],
            low: [1],
            high: [0],
          })),
        ).rejects.toThrow(/group 0 has 8 cases in the store, 7 in the plan/);
        // The stays by principal-diagnosis prefix, ascending.
        expect(await store.caseIdsByPrincipal!({ year: 2024 }, ['F20', 'J18'])).toEqual(['F1', 'F2', 'F3', 'J1']);
        expect(await store.caseIdsByPrincipal!({}, ['O80'])).toEqual(['B1']);
        expect(await store.caseIdsByPrincipal!({}, [])).toEqual([]);
      } finally {
        await store.close();
      }
    });

    it('filters cases by discharge year, inclusive date range and institution', async () => {
      const store = await open();
      try {
        const ids = async (f: Parameters<Store['iterateCases']>[0]) =>
          (await collect(store.iterateCases(f))).items.map((c) => c.setlId);
        expect(await ids({ year: 2024 })).toEqual(['S001']);
        expect(await ids({ year: 2025 })).toEqual(['S002', 'S003']);
        expect(await ids({ from: '2024-12-31', to: '2025-01-01' })).toEqual(['S001', 'S002']);
        expect(await ids({ year: 2025, institution: 'H001' })).toEqual(['S002']);
        expect(await store.countCases({ year: 2025 })).toBe(2);
        expect(await store.sumCaseCost({})).toBe(1234567 + 1 + 9876543210);
        await expect(store.countCases({ from: '2025-13-01' })).rejects.toThrow(/YYYY-MM-DD/);
      } finally {
        await store.close();
      }
    });

    it('reads fee items, institutions, persons, enrolments and codes', async () => {
      const store = await open();
      try {
        const fee = (await collect(store.iterateFeeItems({ year: 2024 }))).items;
        expect(fee.map((f) => f.itemCode)).toEqual(['X1', 'X2']);
        expect(fee[1]).toEqual({
          setlId: 'S001',
          itemCode: 'X2',
          itemName: '药品',
          catalogClass: 'B',
          chargeCategory: '09',
          quantity: '2.5',
          unitPrice: 1000,
          amount: 2500,
        });
        expect((await store.readFeeItems(['S003'])).map((f) => [f.quantity, f.unitPrice, f.amount])).toEqual([
          ['3', 3, 9],
        ]);
        const inst = await store.readInstitutions();
        expect(inst.map((i) => i.code)).toEqual(['H001', 'H002']);
        expect(inst[1]).toEqual({
          code: 'H002',
          name: '县人民医院',
          level: '2',
          type: 'general',
          county: '100102',
          communityId: 'MC1',
          isLead: true,
        });
        const persons = (await collect(store.iteratePersons(1))).items;
        expect(persons.map((p) => [p.psnNo, p.insuranceType, p.birthDate])).toEqual([
          ['P1', 'employee', '1960-01-31'],
          ['P2', 'resident', '1990-05-06'],
        ]);
        const enr = await store.readEnrolments({ from: '2025-01-01', to: '2025-12-31' });
        expect(enr).toEqual([
          {
            psnNo: 'P1',
            diseaseCode: 'M00500',
            diseaseClass: 1,
            insuranceType: 'employee',
            treatingInstitution: 'H001',
            familyDoctorInstitution: 'H002',
            from: '2025-01-01',
            to: '2025-06-30',
          },
        ]);
        expect(await store.readEnrolments()).toHaveLength(2);
        // One person's rows (explain of one capitation head, issue 9).
        expect((await store.readEnrolments({ psnNo: 'P2' })).map((e) => e.psnNo)).toEqual(['P2']);
        expect(await store.readEnrolments({ psnNo: 'P2', from: '2025-01-01', to: '2025-12-31' })).toEqual([]);
        expect(await store.readEnrolments({ psnNo: 'P1', from: '2025-01-01', to: '2025-12-31' })).toEqual(enr);
        expect(await store.countCodes('icd9')).toBe(1);
        const codes = await store.lookupCodes('icd9', ['47.0100', 'nope']);
        expect([...codes.values()]).toEqual([
          { code: '47.0100', name: '腹腔镜下阑尾切除术', procedureType: 'surgery' },
        ]);
      } finally {
        await store.close();
      }
    });

    it('streams outpatient special-disease settlements by setl_id with exact fen, filtered by settlement date', async () => {
      const store = await open();
      try {
        const { batches, items } = await collect(store.iterateOutpatient({}, 2));
        expect(batches).toBe(2);
        expect(items.map((o) => o.setlId)).toEqual(['MT001', 'MT002', 'MT003']);
        expect(items[0]).toEqual({
          setlId: 'MT001',
          mdtrtId: 'V1',
          psnNo: 'P1',
          institutionCode: 'H001',
          insuranceType: 'employee',
          diseaseCode: 'M00500',
          diseaseName: '高血压',
          settleTime: '2024-12-31T23:59:59',
          totalCost: 9876543210,
          fundPay: 9000000001,
          outpatientAdjustment: 9,
          selfPay: 876543200,
          ownPay: 0,
          accountPay: 876543200,
          cashPay: 0,
        });
        expect(items[1]).toMatchObject({
          totalCost: 1,
          fundPay: 0,
          outpatientAdjustment: 0,
          insuranceType: 'resident',
        });
        expect(items[1]!.mdtrtId).toBeUndefined();
        expect(items[1]!.diseaseName).toBeUndefined();
        const ids = async (f: Parameters<Store['iterateOutpatient']>[0]) =>
          (await collect(store.iterateOutpatient(f))).items.map((o) => o.setlId);
        expect(await ids({ year: 2024 })).toEqual(['MT001']);
        expect(await ids({ year: 2025 })).toEqual(['MT002', 'MT003']);
        expect(await ids({ from: '2024-12-31', to: '2025-01-01' })).toEqual(['MT001', 'MT002']);
        expect(await ids({ year: 2025, institution: 'H002' })).toEqual(['MT002', 'MT003']);
        expect(await ids({ psnNo: 'P1' })).toEqual(['MT001', 'MT003']);
        expect(await ids({ year: 2025, psnNo: 'P2' })).toEqual(['MT002']);
        await expect(ids({ to: '2025-02-30' })).rejects.toThrow(/YYYY-MM-DD/);
      } finally {
        await store.close();
      }
    });

    it('sums and groups set-based (issue 9): fund pay by insurance type, visits per person-year, persons by enrolment or visit', async () => {
      const store = await open();
      try {
        expect(await store.sumCaseFundPay({ year: 2025 })).toEqual({ employee: 0, resident: 9000000001 });
        expect(await store.sumCaseFundPay()).toEqual({ employee: 1000000, resident: 9000000001 });
        expect(await store.countOutpatient()).toBe(3);
        expect(await store.countOutpatient({ year: 2025 })).toBe(2);
        // 统筹支付 + 门诊调增费用 (a missing outp_adj_fee counts 0)
        expect(await store.sumOutpatientFundPay({ year: 2025 })).toEqual({ employee: 9300, resident: 0 });
        expect(await store.sumOutpatientFundPay({ year: 2024 })).toEqual({ employee: 9000000010, resident: 0 });
        // The history heads grouped (R-CAP-1, R-CAP-2): P1 born 1960-01-31 is 63 on 2024-01-01 and 64 on
        // 2025-01-01 (64 ≥ 64: over age); P1 holds a class-1 row from 2025-01-01 (so 2025 only); P2 class 2 only.
        const group = (
          insuranceType: string,
          diseaseCode: string,
          year: number,
          overAge: boolean,
          hasClass1: boolean,
          fundPay: number,
          outpatientAdjustment: number,
        ) => ({
          insuranceType,
          diseaseCode,
          year,
          personKnown: true,
          overAge,
          hasClass1,
          heads: 1,
          visits: 1,
          fundPay,
          outpatientAdjustment,
        });
        const groups = (years: number[], ageThreshold: number, ageOn: 'year-start' | 'year-end') =>
          store.outpatientHistoryGroups({ years, diseaseCodes: ['M00500', 'M00600'], ageThreshold, ageOn });
        expect(await groups([2025, 2024], 64, 'year-start')).toEqual([
          group('employee', 'M00500', 2024, false, false, 9000000001, 9),
          group('employee', 'M00500', 2025, true, true, 9000, 300),
          group('resident', 'M00600', 2025, false, false, 0, 0),
        ]);
        // On 31 December P1 is 64 in 2024 and 65 in 2025.
        expect((await groups([2024, 2025], 65, 'year-end')).map((g) => [g.year, g.overAge])).toEqual([
          [2024, false],
          [2025, true],
          [2025, false],
        ]);
        expect((await groups([2024], 64, 'year-start')).map((g) => g.year)).toEqual([2024]);
        expect(
          await store.outpatientHistoryGroups({
            years: [2025],
            diseaseCodes: [],
            ageThreshold: 65,
            ageOn: 'year-start',
          }),
        ).toEqual([]);
        await expect(groups([2025.5], 65, 'year-start')).rejects.toThrow(/year/);
        // Each disease's class as the enrolment rows in force in the period give it.
        expect(await store.enrolmentDiseaseClasses({ from: '2024-01-01', to: '2025-12-31' })).toEqual([
          { code: 'M00500', diseaseClass: 1 },
          { code: 'M00600', diseaseClass: 2 },
        ]);
        expect(await store.enrolmentDiseaseClasses({ from: '2025-01-01', to: '2025-12-31' })).toEqual([
          { code: 'M00500', diseaseClass: 1 },
        ]);
        await expect(store.enrolmentDiseaseClasses({ from: '2025-02-30', to: '2025-12-31' })).rejects.toThrow(
          /YYYY-MM-DD/,
        );
        const psn = async (f: Parameters<Store['iteratePersons']>[1]) =>
          (await collect(store.iteratePersons(undefined, f))).items.map((p) => p.psnNo);
        expect(await psn({})).toEqual(['P1', 'P2']);
        expect(await psn({ enrolled: { from: '2025-01-01', to: '2025-12-31' } })).toEqual(['P1']);
        expect(await psn({ enrolled: { from: '2024-06-01', to: '2024-06-01' } })).toEqual(['P2']);
        expect(await psn({ visited: { from: '2024-12-31', to: '2024-12-31' } })).toEqual(['P1']);
        const both = {
          enrolled: { from: '2025-02-01', to: '2025-12-31' },
          visited: { from: '2025-01-01', to: '2025-01-01' },
        };
        expect(await psn(both)).toEqual(['P1', 'P2']);
        expect(await store.countPersons(both)).toBe(2);
        expect(await store.countPersons({ visited: { from: '2026-01-01', to: '2026-12-31' } })).toBe(0);
        // One person, and one person among those the periods select (AND, the periods still a union).
        expect(await psn({ psnNo: 'P2' })).toEqual(['P2']);
        expect(await psn({ ...both, psnNo: 'P1' })).toEqual(['P1']);
        expect(await psn({ enrolled: { from: '2025-01-01', to: '2025-12-31' }, psnNo: 'P2' })).toEqual([]);
        expect(await store.countPersons({ psnNo: 'P9' })).toBe(0);
        await expect(psn({ enrolled: { from: '2025-02-30', to: '2025-12-31' } })).rejects.toThrow(/YYYY-MM-DD/);
      } finally {
        await store.close();
      }
    });

    it('matches the year’s settlements to head segments set-based (issue 9, R-CAP-3): sums per segment, the rest as rows', async () => {
      const store = await open();
      try {
        const seg = (
          id: string,
          psnNo: string,
          diseaseCode: string,
          institution: string,
          from: string,
          to: string,
        ) => ({
          id,
          psnNo,
          diseaseCode,
          institution,
          from,
          to,
        });
        const periods = [
          { id: 0, psnNo: 'P1', from: '2025-06-01', to: '2025-06-30' },
          { id: 1, psnNo: 'P2', from: '2025-02-01', to: '2025-12-31' },
          { id: 2, psnNo: 'P1', from: '2024-12-31', to: '2024-12-31' },
        ];
        const m = await store.matchOutpatientToSegments(
          { year: 2025 },
          {
            segments: [
              seg('S1', 'P1', 'M00500', 'H002', '2025-01-01', '2025-06-30'),
              seg('S2', 'P2', 'M00600', 'H001', '2025-01-01', '2025-12-31'),
            ],
            excludeDiseases: [],
            periods,
          },
        );
        expect(m.visits).toBe(2);
        expect(m.excludedVisits).toBe(0);
        // MT003: 120.50 / 90.00 / 3.00 yuan, at the segment's institution on its last day
        expect(m.bySegment).toEqual([
          { id: 'S1', segment: 0, visits: 1, totalCost: 12050, fundPay: 9000, outpatientAdjustment: 300 },
        ]);
        // MT002: P2 fits S2 by day, but at H002, not the treating institution H001
        expect(
          m.unmatched.map((u) => [
            u.setlId,
            u.psnNo,
            u.institutionCode,
            u.diseaseCode,
            u.day,
            u.totalCost,
            u.fundPay,
            u.outpatientAdjustment,
            u.candidates,
            u.atInstitution,
            u.firstInstitution,
            u.firstSegment,
          ]),
        ).toEqual([['MT002', 'P2', 'H002', 'M00600', '2025-01-01', 1, 0, 0, 1, 0, 'H001', 1]]);
        expect(m.periodsWithVisit).toEqual([0]);
        // The sums come back in the order the segments are given, not by id: MT002 fits A0 (P2 at H002 that day).
        const ordered = await store.matchOutpatientToSegments(
          { year: 2025 },
          {
            segments: [
              seg('S1', 'P1', 'M00500', 'H002', '2025-01-01', '2025-06-30'),
              seg('A0', 'P2', 'M00600', 'H002', '2025-01-01', '2025-01-31'),
            ],
            excludeDiseases: [],
            periods: [],
          },
        );
        expect(ordered.bySegment.map((g) => [g.id, g.segment, g.visits, g.totalCost])).toEqual([
          ['S1', 0, 1, 12050],
          ['A0', 1, 1, 1],
        ]);
        expect(ordered.unmatched).toEqual([]);
        // One person's settlements only (explain of one head): P1's visit, P1's segment and period.
        const one = await store.matchOutpatientToSegments(
          { year: 2025, psnNo: 'P1' },
          { segments: [seg('S1', 'P1', 'M00500', 'H002', '2025-01-01', '2025-06-30')], excludeDiseases: [], periods },
        );
        expect([one.visits, one.bySegment.map((g) => g.id), one.unmatched, one.periodsWithVisit]).toEqual([
          1,
          ['S1'],
          [],
          [0],
        ]);
        const excluded = await store.matchOutpatientToSegments(
          { year: 2025 },
          {
            segments: [
              seg('S1', 'P1', 'M00500', 'H002', '2025-01-01', '2025-06-30'),
              seg('S1b', 'P1', 'M00500', 'H002', '2025-06-30', '2025-12-31'),
            ],
            excludeDiseases: ['M00600'],
            periods: [],
          },
        );
        expect(excluded.excludedVisits).toBe(1);
        expect(excluded.bySegment).toEqual([]);
        // two segments at its institution that day: ambiguous, listed
        expect(excluded.unmatched.map((u) => [u.setlId, u.candidates, u.atInstitution, u.firstSegment])).toEqual([
          ['MT003', 2, 2, 0],
        ]);
        expect(excluded.periodsWithVisit).toEqual([]);
      } finally {
        await store.close();
      }
    });

    it('stores a run whose units come in many batches, the final record last (issue 9: the streaming writer)', async () => {
      const store = await open();
      try {
        const rec = runRecord('run-stream');
        const unit = (i: number) => ({
          poolId: 'demo-dip-2025',
          unitId: `S${String(i).padStart(5, '0')}`,
          method: 'dip',
          institution: `H00${i % 3}`,
          month: `2025-0${(i % 9) + 1}`,
          group: i % 4 === 0 ? null : `G${i % 7}`,
          status: 'paid',
          points: i % 5 === 0 ? null : 12_345_678 + i,
          amountFen: i % 5 === 0 ? 9_007_199_254_740_991 - i : null,
          billedFen: 100 * i,
          patientPaidFen: i,
          basis: i % 2 ? null : JSON.stringify({ zh: `依据 ${i % 3}`, en: `basis ${i % 3}` }),
          trace: i % 3 ? null : JSON.stringify([{ ruleId: 'R-DIP-2', step: i }]),
        });
        const all = Array.from({ length: 2_500 }, (_, i) => unit(i));
        const streamGroup = {
          poolId: 'demo-dip-2025',
          method: 'dip',
          group: 'G1',
          units: 1,
          points: 1,
          amountFen: 0,
          valueFen: 2,
          billedFen: 3,
          differenceFen: -1,
        };
        let seen: number | undefined;
        await store.saveSettlementRun(rec, async (w) => {
          for (let i = 0; i < all.length; i += 700) await w.units(all.slice(i, i + 700));
          await w.groups([streamGroup]);
          seen = (await store.listSettlementRuns({ kind: 'all' })).filter((r) => r.id === rec.id).length;
          return { ...rec, counts: { units: all.length }, finishedAt: '2026-01-01T00:01:00.000Z' };
        });
        // Not visible while being written; stored with the record the writer returned.
        expect(seen).toBe(0);
        const r = store.runResults(rec.id);
        expect((await r.record()).counts).toEqual({ units: 2_500 });
        const back: unknown[] = [];
        for await (const b of r.units({ poolId: 'demo-dip-2025' }, 1_000)) back.push(...b);
        // No settled amounts were split for this run (病例结算金额, migration 12): each reads as not stored.
        expect(back).toEqual(all.map((u) => ({ ...u, settledFen: null })));
        // Without the kept traces (the per-unit sheets): every other column as stored, the trace null.
        const bare: unknown[] = [];
        for await (const b of r.units({ poolId: 'demo-dip-2025', trace: false }, 1_000)) bare.push(...b);
        expect(bare).toEqual(all.map((u) => ({ ...u, trace: null, settledFen: null })));
        // …and a group's settled amount reads as not stored either (its sheet keeps points × point value).
        expect(await r.groups('demo-dip-2025')).toEqual([{ ...streamGroup, settledFen: null }]);
        await expect(
          store.saveSettlementRun({ ...rec, id: 'run-broken' }, async (w) => {
            await w.units(all.slice(0, 10));
            throw new Error('evaluation failed');
          }),
        ).rejects.toThrow(/evaluation failed/);
        expect((await store.listSettlementRuns({ kind: 'all' })).map((x) => x.id)).toEqual(['run-stream']);
      } finally {
        await store.close();
      }
    });

    it('R-DIP-6 病例结算金额: each case floor(points × point value), the institution’s leftover fen to the largest remainders, ties by unit id', async () => {
      // Point value 1000/7 fen per point (≈ 1.428571 元/点). H1: C1 10 points → 1428.571… fen, C2 20 → 2857.142…,
      // C3 30 → 4285.714…, C4 a fixed amount of 50.00. H1's points value: 60 × 1000/7 = 8571.428… → 8571 (half-up,
      // once), + 5000 = 13571 = value_fen. Floors 1428 + 2857 + 4285 = 8570: one fen left, to the largest remainder
      // (C3, .714) → 1428, 2857, 4286, 5000 (rounding each case half-up would give 1429 + 2857 + 4286 = 8572: a fen
      // too many). H2: C5 and C6 5 points each → 714.285… each, 10 points → 1428.571… → 1429: one fen left, a tie,
      // to the lower unit id C5 → 715, 714. C7 is excluded (another method's) and F1 is another pool's: no amount.
      const store = await open();
      try {
        const pool = 'demo-dip-2025';
        const rec = runRecord('run-amounts');
        const unit = (
          unitId: string,
          institution: string,
          points: number | null,
          amountFen: number | null,
          o: Partial<RunUnitRow> = {},
        ) => testUnitRow(pool, unitId, { institution, points, amountFen, ...o });
        const units = [
          unit('C1', 'H1', 100_000, null, { group: 'G1' }),
          unit('C2', 'H1', 200_000, null, { group: 'G1' }),
          unit('C3', 'H1', 300_000, null, { group: 'G2' }),
          unit('C4', 'H1', null, 5_000, { method: 'single-disease' }),
          unit('C5', 'H2', 50_000, null, { group: 'G2' }),
          unit('C6', 'H2', 50_000, null, { group: 'G2' }),
          unit('C7', 'H2', 1_000_000, null, { status: 'excluded', group: 'G1' }),
          unit('F1', 'H1', null, 777, { poolId: 'demo-ffs-2025', method: 'ffs' }),
        ];
        // The groups as the settlement sums them (method, group; excluded units left out), value rounded once per
        // group: dip G1 (C1, C2) = 30 points × 1000/7 = 4285.71… → 4286, G2 (C3, C5, C6) = 40 points → 5714.28… →
        // 5714, single-disease '' (C4) 5000.
        const group = (
          method: string,
          grp: string,
          units: number,
          points: number,
          amountFen: number,
          valueFen: number,
        ) => ({
          poolId: pool,
          method,
          group: grp,
          units,
          points,
          amountFen,
          valueFen,
          billedFen: 0,
          differenceFen: valueFen,
        });
        const groups = [
          group('dip', 'G1', 2, 300_000, 0, 4_286),
          group('dip', 'G2', 3, 400_000, 0, 5_714),
          group('single-disease', '', 1, 0, 5_000, 5_000),
        ];
        const year = (institution: string, points: number, amountFen: number, valueFen: number) =>
          testInstitutionYearRow(pool, institution, valueFen, { points, amountFen });
        let given = 0;
        await store.saveSettlementRun(rec, async (w) => {
          await w.units(units);
          await w.institutionYear([year('H1', 600_000, 5_000, 13_571), year('H2', 100_000, 0, 1_429)]);
          await w.groups(groups);
          given = await w.caseAmounts(pool, { num: '1000', den: '7' });
        });
        expect(given).toBe(6);
        const r = store.runResults(rec.id);
        const back: Record<string, number | null | undefined> = {};
        for (const p of [pool, 'demo-ffs-2025'])
          for await (const b of r.units({ poolId: p, trace: false }, 3))
            for (const u of b) back[u.unitId] = u.settledFen;
        expect(back).toEqual({ C1: 1428, C2: 2857, C3: 4286, C4: 5000, C5: 715, C6: 714, C7: null, F1: null });
        expect((await r.unit('C3'))?.settledFen).toBe(4286);
        expect((await r.unit('F1'))?.settledFen).toBeNull();
        // Each group reads back with its cases' settled amounts summed in the store: G1 = C1 1428 + C2 2857 = 4285
        // (a fen under its own rounding), G2 = C3 4286 + C5 715 + C6 714 = 5715 (C7 excluded: none), the fixed amount
        // 5000; Σ 15000 = H1 13571 + H2 1429 to the fen.
        expect(await r.groups(pool)).toEqual([
          { ...groups[0], settledFen: 4_285 },
          { ...groups[1], settledFen: 5_715 },
          { ...groups[2], settledFen: 5_000 },
        ]);
        // An institution whose stored amount its units cannot make (value_fen below the floors) is refused loudly.
        await expect(
          store.saveSettlementRun({ ...rec, id: 'run-amounts-wrong' }, async (w) => {
            await w.units(units.slice(0, 3));
            await w.institutionYear([year('H1', 600_000, 0, 8_000)]);
            await w.caseAmounts(pool, { num: '1000', den: '7' });
          }),
        ).rejects.toThrow(/do not add up/);
        // …and so is an institution with cases but no year-end row.
        await expect(
          store.saveSettlementRun({ ...rec, id: 'run-amounts-no-year' }, async (w) => {
            await w.units(units.slice(0, 6));
            await w.institutionYear([year('H1', 600_000, 5_000, 13_571)]);
            await w.caseAmounts(pool, { num: '1000', den: '7' });
          }),
        ).rejects.toThrow(/H2 \(amount null/);
      } finally {
        await store.close();
      }
    });

    it('R-PAY-DRG 病例结算金额 of a case holding points and a fixed amount (a DRG high-cost excess as money): its points’ floor + the amount, and it takes a leftover fen by its points’ remainder', async () => {
      // Point value 1000/7 fen per point. H1: M1 10 points + 900.00 of excess → 1428.571… + 90000, M2 20 points →
      // 2857.142…; H1's value round(30 × 1000/7 = 4285.714…) = 4286 + 90000 = 94286. Floors 91428 + 2857 = 94285: one
      // fen left, to the larger remainder (M1, .571) → M1 91429, M2 2857.
      const store = await open();
      try {
        const pool = 'demo-drg-2025';
        const rec = runRecord('run-mixed-amounts');
        const units = [
          testUnitRow(pool, 'M1', { institution: 'H1', method: 'drg', points: 100_000, amountFen: 90_000 }),
          testUnitRow(pool, 'M2', { institution: 'H1', method: 'drg', points: 200_000, amountFen: null }),
        ];
        await store.saveSettlementRun(rec, async (w) => {
          await w.units(units);
          await w.institutionYear([testInstitutionYearRow(pool, 'H1', 94_286, { points: 300_000, amountFen: 90_000 })]);
          await w.caseAmounts(pool, { num: '1000', den: '7' });
        });
        const back: Record<string, number | null | undefined> = {};
        for await (const b of store.runResults(rec.id).units({ poolId: pool, trace: false }, 10))
          for (const u of b) back[u.unitId] = u.settledFen;
        expect(back).toEqual({ M1: 91_429, M2: 2_857 });
        // Both figures of the case read back.
        expect(await store.runResults(rec.id).unit('M1')).toMatchObject({ points: 100_000, amountFen: 90_000 });
      } finally {
        await store.close();
      }
    });

    it('sums a pool’s units by method in the store (issue 9, R-DIP-6): per institution and month, excluded left out, settled amounts where stored', async () => {
      // Point value 1000/7 fen per point. H1: C1 dip 10 points (2025-01) → 1428.57…, C2 dip 20 (2025-02) → 2857.14…,
      // C3 per-bed-day 30 (2025-02) → 4285.71…, C4 single-disease 50.00 fixed (2025-01); H1's value 60 × 1000/7 =
      // 8571.43 → 8571 + 5000 = 13571, floors 8570, the fen left to C3 (.714) → 1428, 2857, 4286, 5000. H2: C5 dip 5
      // points → 714.29, value 714 → 714. C6 is excluded (100 points, not summed). F1 is the FFS pool's: no split.
      const store = await open();
      try {
        const pool = 'demo-dip-2025';
        const ffs = 'demo-ffs-2025';
        const rec = runRecord('run-method-sums');
        const unit = (unitId: string, o: Partial<RunUnitRow>) => testUnitRow(pool, unitId, o);
        const units = [
          unit('C1', { points: 100_000, month: '2025-01', billedFen: 20_000, patientPaidFen: 5_000 }),
          unit('C2', { points: 200_000, month: '2025-02', billedFen: 30_000, patientPaidFen: 6_000 }),
          unit('C3', {
            method: 'per-diem',
            points: 300_000,
            month: '2025-02',
            billedFen: 40_000,
            patientPaidFen: 8_000,
          }),
          unit('C4', {
            method: 'single-disease',
            amountFen: 5_000,
            month: '2025-01',
            billedFen: 7_000,
            patientPaidFen: 1_000,
          }),
          unit('C5', { institution: 'H2', points: 50_000, month: '2025-01', billedFen: 1_000 }),
          unit('C6', { status: 'excluded', points: 1_000_000, month: '2025-01', billedFen: 99_999 }),
          testUnitRow(ffs, 'F1', { method: 'ffs', billedFen: 777, patientPaidFen: 100 }),
        ];
        await store.saveSettlementRun(rec, async (w) => {
          await w.units(units);
          await w.institutionYear([
            testInstitutionYearRow(pool, 'H1', 13_571, { points: 600_000, amountFen: 5_000 }),
            testInstitutionYearRow(pool, 'H2', 714, { points: 50_000 }),
          ]);
          await w.caseAmounts(pool, { num: '1000', den: '7' });
        });
        const r = store.runResults(rec.id);
        const sum = (method: string, units: number, points: number, amountFen: number, settled: [number, number]) => ({
          method,
          units,
          points,
          amountFen,
          settledFen: settled[0],
          settledUnits: settled[1],
        });
        // H1's year: dip C1 + C2 (settled 1428 + 2857), per-bed-day C3, single-disease C4; Σ settled 13571 = its value.
        expect(await r.methodSums({ poolId: pool, institution: 'H1' })).toEqual([
          { ...sum('dip', 2, 300_000, 0, [4_285, 2]), billedFen: 50_000, patientPaidFen: 11_000 },
          { ...sum('per-diem', 1, 300_000, 0, [4_286, 1]), billedFen: 40_000, patientPaidFen: 8_000 },
          { ...sum('single-disease', 1, 0, 5_000, [5_000, 1]), billedFen: 7_000, patientPaidFen: 1_000 },
        ]);
        // H1's January: C1 and C4 (C6 excluded); no per-bed-day case that month, so no row.
        expect(await r.methodSums({ poolId: pool, institution: 'H1', month: '2025-01' })).toEqual([
          { ...sum('dip', 1, 100_000, 0, [1_428, 1]), billedFen: 20_000, patientPaidFen: 5_000 },
          { ...sum('single-disease', 1, 0, 5_000, [5_000, 1]), billedFen: 7_000, patientPaidFen: 1_000 },
        ]);
        // The whole pool: dip adds H2's C5 (714).
        expect((await r.methodSums({ poolId: pool })).map((x) => [x.method, x.units, x.points, x.settledFen])).toEqual([
          ['dip', 3, 350_000, 4_999],
          ['per-diem', 1, 300_000, 4_286],
          ['single-disease', 1, 0, 5_000],
        ]);
        // A pool the run split no amounts for: none stored, none counted.
        expect(await r.methodSums({ poolId: ffs, institution: 'H1' })).toEqual([
          { ...sum('ffs', 1, 0, 0, [0, 0]), billedFen: 777, patientPaidFen: 100 },
        ]);
        expect(await r.methodSums({ poolId: pool, institution: 'H9' })).toEqual([]);
        expect(await r.methodSums({ poolId: pool, institution: 'H1', month: '2025-12' })).toEqual([]);
      } finally {
        await store.close();
      }
    });

    it('R-DIP-6 病例结算金额 of two pools in one run: each pool split on its own institutions’ amounts', async () => {
      // Pool pa, point value 1000/7 fen per point: H1's A1 1 point → 142.857… and A2 2 points → 285.714…; H1's
      // value 3 × 1000/7 = 428.57… → 429, floors 142 + 285 = 427: two fen left, one each → 143, 286. Pool pb, 1000/3:
      // H1's B1 and B3 1 point each → 333.33… each, value 666.66… → 667, one fen left, a tie, to the lower id B1 →
      // 334, 333; H2's B2 half a point → 166.66… → value 167: floor 166 + its one fen → 167. H1 has a year row in
      // each pool: each split reads its own.
      const store = await open();
      try {
        const unit = (pool: string, unitId: string, institution: string, points: number) =>
          testUnitRow(pool, unitId, { institution, points, amountFen: null });
        const given: number[] = [];
        await store.saveSettlementRun(runRecord('run-two-pools'), async (w) => {
          await w.units([
            unit('pa', 'A1', 'H1', 10_000),
            unit('pa', 'A2', 'H1', 20_000),
            unit('pb', 'B1', 'H1', 10_000),
            unit('pb', 'B2', 'H2', 5_000),
            unit('pb', 'B3', 'H1', 10_000),
          ]);
          await w.institutionYear([yearRow('pa', 'H1', 429), yearRow('pb', 'H1', 667), yearRow('pb', 'H2', 167)]);
          given.push(await w.caseAmounts('pa', { num: '1000', den: '7' }));
          given.push(await w.caseAmounts('pb', { num: '1000', den: '3' }));
        });
        expect(given).toEqual([2, 3]);
        const back: Record<string, number | null | undefined> = {};
        for (const p of ['pa', 'pb'])
          for await (const b of store.runResults('run-two-pools').units({ poolId: p, trace: false }))
            for (const u of b) back[u.unitId] = u.settledFen;
        expect(back).toEqual({ A1: 143, A2: 286, B1: 334, B2: 167, B3: 333 });
      } finally {
        await store.close();
      }
    });

    it('R-DIP-6 病例结算金额 = floorsAndLargestRemainders per institution, for any points and point value (property)', async () => {
      const store = await open();
      let n = 0;
      try {
        await fc.assert(
          fc.asyncProperty(
            fc.array(
              fc.record({
                institution: fc.constantFrom('H1', 'H2', 'H2', 'H3'),
                // equal points make equal remainders: the tie goes to the lower unit id
                points: fc.option(
                  fc.oneof(
                    { arbitrary: fc.constantFrom(1, 3, 10_000, 33_333), weight: 3 },
                    { arbitrary: fc.integer({ min: 0, max: 2e8 }), weight: 1 },
                    // a province's largest cases (up to 2^36 ten-thousandths of a point)
                    { arbitrary: fc.integer({ min: 0, max: 2 ** 36 }), weight: 1 },
                    // beyond any case (2^44): a unit's quotient above 2^40, where DuckDB divides exactly instead
                    // of estimating it in DOUBLE
                    { arbitrary: fc.integer({ min: 2 ** 40, max: 2 ** 44 }), weight: 1 },
                  ),
                  { nil: null, freq: 6 },
                ),
                amount: fc.integer({ min: 0, max: 9_000_000 }),
                excluded: fc.constantFrom(false, false, false, true),
              }),
              { minLength: 8, maxLength: 40 },
            ),
            // fen per point as the demo's (≈ 1369.67 fen = 13.696726 元 per point as 599455619130781045000 /
            // 437663447774348679): a denominator far beyond what 64-bit products hold, or a small one (ties), and up to
            // 50 元 per point
            fc
              .tuple(
                fc.oneof(
                  fc.bigInt({ min: 1n, max: 10n ** 18n }),
                  fc.bigInt({ min: 1n, max: 7n }),
                  // a province's point value (20M cases: a denominator near 2^91) and beyond: points × b overflows
                  // 128 bits, so DuckDB splits the points into limbs
                  fc.bigInt({ min: 2n ** 85n, max: 2n ** 100n }),
                ),
                fc.integer({ min: 0, max: 5_000 }),
                fc.double({ min: 0, max: 1, noNaN: true }),
              )
              .map(([den, whole, part]) => ({
                den,
                num: den * BigInt(whole) + (den * BigInt(Math.floor(part * 1e6))) / 1_000_000n,
              })),
            async (specs, { num, den }) => {
              const id = `run-split-${++n}`;
              const pool = 'p-2025';
              const units = specs.map((x, i) => ({
                poolId: pool,
                unitId: `S${String(i).padStart(3, '0')}`,
                method: x.points === null ? 'single-disease' : 'dip',
                institution: x.institution,
                month: '2025-06',
                group: null,
                status: x.excluded ? 'excluded' : 'paid',
                points: x.points,
                amountFen: x.points === null ? x.amount : null,
                billedFen: 0,
                patientPaidFen: 0,
                basis: null,
                trace: null,
              }));
              const scale = den * 10_000n;
              const expected = new Map<string, number | null>();
              const years: { institution: string; value: number }[] = [];
              for (const inst of ['H1', 'H2', 'H3']) {
                const mine = units.filter((u) => u.institution === inst && u.status !== 'excluded');
                const pts = mine.filter((u) => u.points !== null);
                const amounts = mine.reduce((a, u) => a + (u.amountFen ?? 0), 0);
                const exact = pts.reduce((a, u) => a + BigInt(u.points!) * num, 0n);
                const value = Number((2n * exact + scale) / (2n * scale)) + amounts; // half-up once, as settle.ts
                const split = floorsAndLargestRemainders(
                  pts.map((u) => ({ key: u.unitId, num: BigInt(u.points!) * num })),
                  scale,
                  value - amounts,
                );
                pts.forEach((u, k) => {
                  expected.set(u.unitId, split[k]!);
                });
                for (const u of mine) if (u.points === null) expected.set(u.unitId, u.amountFen);
                if (mine.length > 0) years.push({ institution: inst, value });
              }
              for (const u of units) if (!expected.has(u.unitId)) expected.set(u.unitId, null);
              await store.saveSettlementRun(runRecord(id), async (w) => {
                await w.units(units);
                await w.institutionYear(years.map((y) => yearRow(pool, y.institution, y.value)));
                await w.caseAmounts(pool, { num: num.toString(), den: den.toString() });
              });
              const back = new Map<string, number | null | undefined>();
              for await (const b of store.runResults(id).units({ poolId: pool, trace: false }, 9))
                for (const u of b) back.set(u.unitId, u.settledFen);
              expect(back).toEqual(expected);
            },
          ),
          { numRuns: 20, seed: 2025 },
        );
      } finally {
        await store.close();
      }
    });

    it('writes result tables in bulk and reads them back with the same values', async () => {
      const store = await open();
      try {
        const spec = {
          name: 'test_results',
          columns: [
            { name: 'setl_id', type: 'text' },
            { name: 'points', type: 'decimal' },
            { name: 'amount', type: 'money' },
            { name: 'n', type: 'int' },
            { name: 'big', type: 'bigint' },
            { name: 'ok', type: 'bool' },
            { name: 'day', type: 'date' },
            { name: 'at', type: 'datetime' },
            { name: 'tags', type: 'text-list' },
            { name: 'share', type: 'double' },
          ],
        } as const;
        const w = await store.openResultWriter(spec);
        const rows: ResultRow[] = [
          {
            setl_id: 'S1',
            points: '1234.5678901234',
            amount: -12345678901,
            n: 7,
            big: 9007199254740993n,
            ok: true,
            day: '2025-02-28',
            at: '2025-02-28T12:34:56',
            tags: ['a', 'b'],
            share: 0.25,
          },
          {
            setl_id: 'S2',
            points: '3',
            amount: 5,
            n: null,
            big: 1,
            ok: false,
            day: null,
            at: null,
            tags: [],
            share: null,
          },
        ];
        await w.append(rows);
        expect(await w.close()).toBe(2);
        const back = (await collect(store.iterateResults('test_results', { orderBy: ['setl_id'] }))).items;
        expect(back).toEqual([rows[0], { ...rows[1], points: '3' }]);
        await expect(
          store.openResultWriter({ name: 'test_results', columns: [{ name: 'x', type: 'int' }] }),
        ).rejects.toThrow(/other columns/);
        const w2 = await store.openResultWriter(
          { name: 'test_results', columns: [{ name: 'x', type: 'int' }] },
          { replace: true },
        );
        await w2.append([{ x: 1 }]);
        await w2.close();
        expect((await collect(store.iterateResults('test_results'))).items).toEqual([{ x: 1 }]);
        await expect(store.openResultWriter({ name: 'cases', columns: [{ name: 'x', type: 'int' }] })).rejects.toThrow(
          /core table/,
        );
      } finally {
        await store.close();
      }
    });

    it('rolls a failed transaction back completely (all-or-nothing)', async () => {
      const store = await open();
      try {
        const spec = { name: 'tx_results', columns: [{ name: 'x', type: 'int' }] } as const;
        await expect(
          store.transaction(async (tx) => {
            const w = await tx.openResultWriter(spec);
            await w.append([{ x: 1 }, { x: 2 }]);
            await w.close();
            await tx.recordRun(sampleRun('r-rolled-back'));
            throw new Error('boom');
          }),
        ).rejects.toThrow('boom');
        expect((await store.listRuns()).map((r) => r.id)).not.toContain('r-rolled-back');
        await expect(collect(store.iterateResults('tx_results'))).rejects.toThrow(/no result table/);
        const n = await store.transaction(async (tx) => {
          const w = await tx.openResultWriter(spec);
          await w.append([{ x: 1 }]);
          return w.close();
        });
        expect(n).toBe(1);
        expect((await collect(store.iterateResults('tx_results'))).items).toEqual([{ x: 1 }]);
      } finally {
        await store.close();
      }
    });

    it('R-DATA-1 reads a record’s rejects: its kind and key only, oldest run first, by row and field; what the row counts', async () => {
      const store = await open();
      try {
        await store.recordRun(sampleRun('run-legacy', '2024-12-01T00:00:00.000Z'));
        await store.recordRun(sampleRun('run-late', '2025-02-01T00:00:00.000Z'));
        await store.recordRun(sampleRun('run-early', '2025-01-01T00:00:00.000Z'));
        const found = await store.readRejects('cases', 'X9');
        expect(found.map((r) => [r.runId, r.source, r.row, r.unit, r.field, r.code])).toEqual([
          // Stored before the unit was kept: those rows counted records.
          ['run-legacy', 'old.csv', 3, 'record', 'age', 'E_RANGE'],
          ['run-early', 'a.csv', 2, 'row', null, 'E_CSV_SHAPE'],
          ['run-early', 'a.csv', 12, 'row', 'age', 'E_RANGE'],
          ['run-early', 'a.csv', 12, 'row', 'brdy', 'E_FORMAT'],
          ['run-late', 'b.parquet', 7, 'record', 'gend', 'E_CODE_INVALID'],
        ]);
        expect(found[4]).toEqual({
          runId: 'run-late',
          kind: 'cases',
          source: 'b.parquet',
          row: 7,
          unit: 'record',
          field: 'gend',
          code: 'E_CODE_INVALID',
          zh: 'gend（性别） 的值 "3" 不在允许的代码中',
          en: 'gend: "3" is not an allowed code',
        });
        expect((await store.readRejects('institutions', 'X9')).map((r) => r.code)).toEqual(['E_REQUIRED']);
        expect(await store.readRejects('cases', 'NOPE')).toEqual([]);
        expect(await store.readRejects('persons', 'X9')).toEqual([]);
      } finally {
        await store.close();
      }
    });

    it('records runs and lists them most recent first', async () => {
      const store = await open();
      try {
        const a = sampleRun('r-a', '2025-01-01T00:00:00.000Z');
        const b = { ...sampleRun('r-b', '2025-01-02T00:00:00.000Z'), policy: { id: 'demo-qc', version: '1' } };
        await store.recordRun(a);
        await store.recordRun(b);
        const runs = await store.listRuns();
        expect(runs.map((r) => r.id)).toEqual(['r-b', 'r-a']);
        expect(runs[1]).toEqual(a);
        expect(runs[0]!.policy).toEqual({ id: 'demo-qc', version: '1' });
        expect(await store.listRuns({ limit: 1 })).toHaveLength(1);
      } finally {
        await store.close();
      }
    });

    it('R-BUD-4: keeps communities’ budgets by region, year and fund; a later reconciliation of the year replaces', async () => {
      const store = await open();
      try {
        const row = (fund: 'employee' | 'resident', budgetFen: number, actualFen: number | null, runId: string) => ({
          region: 'r',
          year: 2024,
          communityId: 'MC1',
          fund,
          budgetFen,
          actualFen,
          savedByControl: actualFen !== null && actualFen < budgetFen,
          runId,
        });
        expect(await store.readCommunityBudgets({ region: 'r', year: 2024 })).toEqual([]);
        await store.saveCommunityBudgets([row('resident', 500_000_001, null, 'A'), row('employee', 1, 2, 'A')]);
        await store.saveCommunityBudgets([row('employee', 123_456_789_012, 120_000_000_000, 'B')]);
        expect(await store.readCommunityBudgets({ region: 'r', year: 2024 })).toEqual([
          row('employee', 123_456_789_012, 120_000_000_000, 'B'),
          row('resident', 500_000_001, null, 'A'),
        ]);
        expect(await store.readCommunityBudgets({ region: 'r', year: 2025 })).toEqual([]);
        expect(await store.readCommunityBudgets({ region: 'other', year: 2024 })).toEqual([]);
      } finally {
        await store.close();
      }
    });
  });
}

function sampleRun(id: string, startedAt = '2025-01-01T00:00:00.000Z'): RunRecord {
  return {
    id,
    command: 'ingest cases',
    inputs: [{ path: 'x.csv', sha256: 'ab'.repeat(32), bytes: 10, role: 'cases' }],
    counts: { read: 3, accepted: 2, rejected: 1, alreadyPresent: 0 },
    startedAt,
    finishedAt: startedAt.replace('00.000Z', '01.500Z'),
    durationMs: 1500,
    status: 'data-problems',
  };
}

/**
 * R-DATA-1 settlement-list quality control: every rule with a passing and a failing row. Each test ingests a
 * two-row file (row 1 passes, row 2 fails) as a dry run and reads the rejects file, so the rule, the error
 * code and the blamed field are checked exactly as a user sees them. Boundaries come from the demo qc policy
 * (policies/demo/qc.yaml): losToleranceDays 1, maxLosDays 365, maxAgeYears 130, newborn weight 100–9999 g.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importCodes } from '../codes/import.ts';
import { SAMPLE_CODE_LISTS } from '../codes/index.ts';
import type { DuckDbStore } from '../store/duckdb/duckdb-store.ts';
import { type IngestReport, ingestFile } from './pipeline.ts';
import { memoryStore, type Row, tempDir, toCsv, validCase } from './testing.ts';

const tmp = tempDir('yibao-qc-');
let store: DuckDbStore;
let bare: DuckDbStore;

beforeAll(async () => {
  store = await memoryStore();
  await importCodes(store, { kind: 'icd10', file: SAMPLE_CODE_LISTS.icd10 });
  await importCodes(store, { kind: 'icd9', file: SAMPLE_CODE_LISTS.icd9 });
  const inst = tmp.file(
    'inst.csv',
    toCsv([
      { fixmedins_code: 'H001', fixmedins_name: '市第一医院', hosp_lv: '3', inst_type: 'general', admdvs: '100101' },
    ]),
  );
  await ingestFile(store, { kind: 'institutions', file: inst });
  bare = await memoryStore();
});
afterAll(async () => {
  await store.close();
  await bare.close();
  tmp.remove();
});

interface Reject {
  qc_row: string;
  qc_setl_id: string;
  qc_field: string;
  qc_code: string;
  qc_message_zh: string;
  qc_message_en: string;
}

let n = 0;
async function check(rows: Row[], on: DuckDbStore = store): Promise<{ report: IngestReport; rejects: Reject[] }> {
  const file = tmp.file(`c${++n}.csv`, toCsv(rows));
  const rejectsFile = `${tmp.path}/c${n}.rejects.csv`;
  const report = await ingestFile(on, { kind: 'cases', file, rejectsFile, dryRun: true });
  const rejects = report.rejectsFile
    ? (parse(readFileSync(rejectsFile, 'utf8'), { columns: true, bom: true }) as Reject[])
    : [];
  return { report, rejects };
}

/** Row 1 = base + pass, row 2 = base + fail; row 2 must fail with `code` on `field`, row 1 must pass. */
async function passFail(pass: Row, fail: Row, code: string, field: string) {
  const { report, rejects } = await check([
    validCase({ setl_id: 'S1', ...pass }),
    validCase({ setl_id: 'S2', ...fail }),
  ]);
  expect(rejects.filter((r) => r.qc_row === '1')).toEqual([]);
  const row2 = rejects.filter((r) => r.qc_row === '2');
  expect(row2.map((r) => [r.qc_code, r.qc_field])).toContainEqual([code, field]);
  expect(row2.every((r) => r.qc_message_zh.length > 0 && r.qc_message_en.length > 0)).toBe(true);
  expect(report.read).toBe(2);
  expect(report.accepted + report.rejected + report.alreadyPresent).toBe(2);
  return row2;
}

describe('R-DATA-1 QC rules: one passing and one failing row each', () => {
  it('R-DATA-1 required fields: setl_id present passes, empty fails (E_REQUIRED)', async () => {
    await passFail({}, { setl_id: '' }, 'E_REQUIRED', 'setl_id');
  });

  it('R-DATA-1 required: diagnoses present pass, none fails (E_REQUIRED diag_codes)', async () => {
    await passFail({ diag_codes: 'K35.800' }, { diag_codes: ' ' }, 'E_REQUIRED', 'diag_codes');
  });

  it('R-DATA-1 required under one year: age 0 with nwb_age passes, without fails (4101: 小于1岁时必填)', async () => {
    const baby = { age: '0', brdy: '2025-02-20', diag_codes: 'P59.900', nwb_bir_wt: '3200' };
    await passFail({ ...baby, nwb_age: '9' }, { ...baby, nwb_age: '' }, 'E_REQUIRED', 'nwb_age');
  });

  it('R-DATA-1 money format: "12345.670" passes (trailing zero), "12345.675" fails (E_FORMAT, no rounding)', async () => {
    const row2 = await passFail(
      { medfee_sumamt: '12345.670' },
      { medfee_sumamt: '12345.675' },
      'E_FORMAT',
      'medfee_sumamt',
    );
    expect(row2[0]!.qc_message_zh).toContain('12345.675');
  });

  it('R-DATA-1 integer format: LOS "4" passes, "four" fails (E_FORMAT)', async () => {
    await passFail({ act_ipt_days: '4.0' }, { act_ipt_days: 'four' }, 'E_FORMAT', 'act_ipt_days');
  });

  it('R-DATA-1 date format: 19600131 passes, 1960-02-30 fails (E_FORMAT)', async () => {
    await passFail({ brdy: '19600131' }, { brdy: '1960-02-30' }, 'E_FORMAT', 'brdy');
  });

  it('R-DATA-1 date-time format: 2025/03/01 08:00 passes, "yesterday" fails (E_FORMAT)', async () => {
    await passFail({ adm_time: '2025/03/01 08:00' }, { adm_time: 'yesterday' }, 'E_FORMAT', 'adm_time');
  });

  it('R-DATA-1 flag format: days_rinp_flag_31 1 passes, 2 fails (E_FORMAT)', async () => {
    await passFail({ days_rinp_flag_31: '1' }, { days_rinp_flag_31: '2' }, 'E_FORMAT', 'days_rinp_flag_31');
  });

  it('R-DATA-1 code lists: "K35.800|I10.x00" passes, an empty item fails (E_FORMAT)', async () => {
    await passFail({}, { diag_codes: 'K35.800||I10.x00' }, 'E_FORMAT', 'diag_codes');
  });

  it('R-DATA-1 code sets: gend 9 passes, 3 fails; insutype 390 passes, 320 fails; dscg_way 5 passes, 7 fails', async () => {
    await passFail({ gend: '9' }, { gend: '3' }, 'E_CODE_INVALID', 'gend');
    await passFail({ insutype: '390' }, { insutype: '320' }, 'E_CODE_INVALID', 'insutype');
    await passFail({ dscg_way: '5' }, { dscg_way: '7' }, 'E_CODE_INVALID', 'dscg_way');
  });

  it('R-DATA-1 code validity: ICD-10 code in the imported list passes, unknown fails (E_CODE_UNKNOWN)', async () => {
    const row2 = await passFail(
      { diag_codes: 'K35.800|J18.900' },
      { diag_codes: 'K35.800|X99.999' },
      'E_CODE_UNKNOWN',
      'diag_codes',
    );
    expect(row2[0]!.qc_message_en).toContain('X99.999');
  });

  it('R-DATA-1 code validity: ICD-9-CM-3 procedure in the list passes, unknown fails (E_CODE_UNKNOWN)', async () => {
    await passFail(
      { oprn_oprt_codes: '47.0900' },
      { oprn_oprt_codes: '47.0100|12.3456' },
      'E_CODE_UNKNOWN',
      'oprn_oprt_codes',
    );
  });

  it('R-DATA-1 code validity: a registered institution passes, an unknown one fails (E_CODE_UNKNOWN)', async () => {
    await passFail({}, { fixmedins_code: 'H999' }, 'E_CODE_UNKNOWN', 'fixmedins_code');
  });

  it('R-DATA-1 code validity is skipped and reported when no code list or institutions are loaded', async () => {
    const { report, rejects } = await check([validCase({ diag_codes: 'X99.999', fixmedins_code: 'H999' })], bare);
    expect(rejects).toEqual([]);
    expect(report.skippedChecks.map((s) => s.rule)).toEqual(['code-icd10', 'code-icd9', 'institution']);
  });

  it('R-DATA-1 sex-specific diagnoses: D25 (uterine leiomyoma) for a woman passes, for a man fails (E_SEX_DIAGNOSIS)', async () => {
    const row2 = await passFail(
      { gend: '2', diag_codes: 'D25.900' },
      { gend: '1', diag_codes: 'D25.900' },
      'E_SEX_DIAGNOSIS',
      'diag_codes',
    );
    expect(row2[0]!.qc_message_zh).toContain('仅限女性');
  });

  it('R-DATA-1 sex-specific diagnoses: C61 (prostate) as a secondary diagnosis of a man passes, of a woman fails', async () => {
    await passFail(
      { gend: '1', diag_codes: 'K35.800|C61.x00' },
      { gend: '2', diag_codes: 'K35.800|C61.x00' },
      'E_SEX_DIAGNOSIS',
      'diag_codes',
    );
  });

  it('R-DATA-1 age-specific diagnoses: P07.3 at 0 years passes, at 2 years fails (E_AGE_DIAGNOSIS)', async () => {
    const baby = { brdy: '2025-02-20', diag_codes: 'P07.300', nwb_bir_wt: '2000' };
    await passFail(
      { ...baby, age: '0', nwb_age: '9' },
      { ...baby, age: '2', brdy: '2023-01-01' },
      'E_AGE_DIAGNOSIS',
      'diag_codes',
    );
  });

  it('R-DATA-1 age-specific diagnoses: O80 at 55 passes (upper bound), at 56 fails', async () => {
    const mother = { gend: '2', brdy: '1969-01-01', diag_codes: 'O80.000|Z37.000' };
    await passFail({ ...mother, age: '55' }, { ...mother, age: '56' }, 'E_AGE_DIAGNOSIS', 'diag_codes');
  });

  it('R-DATA-1 date order: discharge after admission passes, before fails (E_DATE_ORDER)', async () => {
    await passFail(
      { dscg_time: '2025-03-01 09:00:00', act_ipt_days: '1' },
      { dscg_time: '2025-02-28 10:00:00', act_ipt_days: '1' },
      'E_DATE_ORDER',
      'dscg_time',
    );
  });

  it('R-DATA-1 date order: birth on the admission day passes, after it fails (E_DATE_ORDER)', async () => {
    await passFail(
      { brdy: '2025-03-01', age: '0', nwb_age: '0', diag_codes: 'Z37.000' },
      { brdy: '2025-03-02', age: '0', nwb_age: '0', diag_codes: 'Z37.000' },
      'E_DATE_ORDER',
      'brdy',
    );
  });

  it('R-DATA-1 LOS vs dates: 4 days apart with LOS 5 passes (tolerance 1), LOS 6 fails (E_LOS_MISMATCH)', async () => {
    await passFail({ act_ipt_days: '5' }, { act_ipt_days: '6' }, 'E_LOS_MISMATCH', 'act_ipt_days');
  });

  it('R-DATA-1 LOS vs dates: same-day stay counts as 1 day (LOS 1 passes), LOS 3 fails', async () => {
    const sameDay = { adm_time: '2025-03-01 08:00:00', dscg_time: '2025-03-01 18:00:00' };
    await passFail(
      { ...sameDay, act_ipt_days: '1' },
      { ...sameDay, act_ipt_days: '3' },
      'E_LOS_MISMATCH',
      'act_ipt_days',
    );
  });

  it('R-DATA-1 ranges: LOS 365 passes, 366 fails (E_RANGE); age 130 passes, 131 fails', async () => {
    const year = { adm_time: '2024-03-05 08:00:00', dscg_time: '2025-03-05 08:00:00' };
    await passFail({ ...year, act_ipt_days: '365' }, { ...year, act_ipt_days: '366' }, 'E_RANGE', 'act_ipt_days');
    await passFail({ age: '130', brdy: '' }, { age: '131', brdy: '' }, 'E_RANGE', 'age');
  });

  it('R-DATA-1 ranges: newborn birth weight 100 g passes, 99 g fails (E_RANGE)', async () => {
    const baby = { age: '0', nwb_age: '3', brdy: '2025-02-26', diag_codes: 'P07.300' };
    await passFail({ ...baby, nwb_bir_wt: '100' }, { ...baby, nwb_bir_wt: '99' }, 'E_RANGE', 'nwb_bir_wt');
  });

  it('R-DATA-1 non-negative amounts: 0.00 passes, -0.01 fails (E_NEGATIVE_AMOUNT)', async () => {
    await passFail(
      { acct_pay: '0.00' },
      { acct_pay: '-0.01', psn_cashpay: '2345.68' },
      'E_NEGATIVE_AMOUNT',
      'acct_pay',
    );
  });

  it('R-DATA-1 components: fund + account + cash equal to the total passes, one fen over fails', async () => {
    await passFail({}, { psn_cashpay: '2345.68' }, 'E_COMPONENTS_EXCEED_TOTAL', 'hifp_pay');
  });

  it('R-DATA-1 components: fund + co-pay + own-pay within the total passes, over fails', async () => {
    await passFail({ psn_ownpay: '0' }, { psn_ownpay: '345.68' }, 'E_COMPONENTS_EXCEED_TOTAL', 'psn_selfpay');
  });

  it('R-DATA-1 cost categories: adding up to the total passes (or absent), off by one fen fails', async () => {
    await passFail({ fee_oprn: '', fee_wm: '' }, { fee_wm: '7345.66' }, 'E_FEE_SUM_MISMATCH', 'medfee_sumamt');
  });

  it('R-DATA-1 duplicate setl_id in the file: an exact repeat keeps the first; differing repeats are all refused', async () => {
    const a = validCase({ setl_id: 'S1' });
    const { rejects, report } = await check([
      a,
      a,
      validCase({ setl_id: 'S2' }),
      validCase({ setl_id: 'S2', age: '65' }),
    ]);
    expect(rejects.map((r) => [r.qc_row, r.qc_code])).toEqual([
      ['2', 'E_DUPLICATE_IN_FILE'],
      ['3', 'E_DUPLICATE_CONFLICT'],
      ['4', 'E_DUPLICATE_CONFLICT'],
    ]);
    expect([report.accepted, report.rejected]).toEqual([1, 3]);
  });
});

/**
 * R-DATA-1 settlement-list quality control: every rule with a passing and a failing row. All pairs go into one
 * file (pair k = row 2k+1 passing, row 2k+2 failing), ingested once as a dry run with the sample code lists and
 * one institution loaded; each test reads its pair from the rejects file, so the rule, the error code and the
 * blamed field are checked as a user sees them. Boundaries come from the demo qc policy
 * (policies/demo/qc.yaml): losToleranceDays 1, maxLosDays 365, maxAgeYears 130, newborn weight 100–9999 g.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DuckDbStore } from '../store/duckdb/duckdb-store.ts';
import { type IngestReport, ingestFile } from './pipeline.ts';
import { memoryStore, type Row, sampleStore, tempDir, toCsv, validCase } from './testing.ts';

interface Reject {
  qc_row: string;
  qc_setl_id: string;
  qc_field: string;
  qc_code: string;
  qc_message_zh: string;
  qc_message_en: string;
}

interface Pair {
  rule: string;
  pass: Row;
  fail: Row;
  code: string;
  field: string;
}

const baby = { age: '0', nwb_age: '9', brdy: '2025-02-20', diag_codes: 'P59.900', nwb_bir_wt: '3200' };
const mother = { gend: '2', brdy: '1969-01-01', diag_codes: 'O80.000|Z37.000x001' };
const sameDay = { adm_time: '2025-03-01 08:00:00', dscg_time: '2025-03-01 18:00:00' };
const wholeYear = { adm_time: '2024-03-05 08:00:00', dscg_time: '2025-03-05 08:00:00' };

/** The base row is `validCase()`; each pair changes it one way that passes and one that fails. */
const PAIRS: Pair[] = [
  { rule: 'required setl_id', pass: {}, fail: { setl_id: '' }, code: 'E_REQUIRED', field: 'setl_id' },
  {
    rule: 'required diagnoses',
    pass: { diag_codes: 'K35.800' },
    fail: { diag_codes: ' ' },
    code: 'E_REQUIRED',
    field: 'diag_codes',
  },
  {
    rule: 'required nwb_age under one year',
    pass: baby,
    fail: { ...baby, nwb_age: '' },
    code: 'E_REQUIRED',
    field: 'nwb_age',
  },
  {
    rule: 'attending doctor name with its code',
    pass: { chfpdr_code: 'D110100000011', chfpdr_name: '王伟' },
    fail: { chfpdr_code: 'D110100000011', chfpdr_name: '' },
    code: 'E_REQUIRED',
    field: 'chfpdr_name',
  },
  {
    rule: 'procedure date within the stay',
    pass: { oprn_oprt_dates: '2025-03-02' },
    fail: { oprn_oprt_dates: '2025-03-07' },
    code: 'E_DATE_ORDER',
    field: 'oprn_oprt_dates',
  },
  {
    rule: 'procedure date is a date',
    pass: { oprn_oprt_dates: '2025-03-05 09:30:00' },
    fail: { oprn_oprt_dates: '2025-13-01' },
    code: 'E_FORMAT',
    field: 'oprn_oprt_dates',
  },
  {
    rule: 'money format',
    pass: { medfee_sumamt: '12345.670' },
    fail: { medfee_sumamt: '12345.675' },
    code: 'E_FORMAT',
    field: 'medfee_sumamt',
  },
  {
    rule: 'integer format',
    pass: { act_ipt_days: '4.0' },
    fail: { act_ipt_days: 'four' },
    code: 'E_FORMAT',
    field: 'act_ipt_days',
  },
  { rule: 'date format', pass: { brdy: '19600131' }, fail: { brdy: '1960-02-30' }, code: 'E_FORMAT', field: 'brdy' },
  {
    rule: 'date-time format',
    pass: { adm_time: '2025/03/01 08:00' },
    fail: { adm_time: 'yesterday' },
    code: 'E_FORMAT',
    field: 'adm_time',
  },
  {
    rule: 'flag format',
    pass: { days_rinp_flag_31: '1' },
    fail: { days_rinp_flag_31: '2' },
    code: 'E_FORMAT',
    field: 'days_rinp_flag_31',
  },
  {
    rule: 'code list format',
    pass: {},
    fail: { diag_codes: 'K35.800||I10.x00' },
    code: 'E_FORMAT',
    field: 'diag_codes',
  },
  { rule: 'code set gend', pass: { gend: '9' }, fail: { gend: '3' }, code: 'E_CODE_INVALID', field: 'gend' },
  {
    rule: 'code set insutype',
    pass: { insutype: '390' },
    fail: { insutype: '320' },
    code: 'E_CODE_INVALID',
    field: 'insutype',
  },
  {
    rule: 'code set dscg_way',
    pass: { dscg_way: '5' },
    fail: { dscg_way: '7' },
    code: 'E_CODE_INVALID',
    field: 'dscg_way',
  },
  {
    rule: 'ICD-10 code in the list',
    pass: { diag_codes: 'K35.800|J18.900' },
    fail: { diag_codes: 'K35.800|X99.999' },
    code: 'E_CODE_UNKNOWN',
    field: 'diag_codes',
  },
  {
    rule: 'ICD-9-CM-3 code in the list',
    pass: { oprn_oprt_codes: '47.0900' },
    fail: { oprn_oprt_codes: '47.0100|12.3456' },
    code: 'E_CODE_UNKNOWN',
    field: 'oprn_oprt_codes',
  },
  {
    rule: 'institution registered',
    pass: {},
    fail: { fixmedins_code: 'H999' },
    code: 'E_CODE_UNKNOWN',
    field: 'fixmedins_code',
  },
  {
    rule: 'sex D25 (uterine leiomyoma)',
    pass: { gend: '2', diag_codes: 'D25.900' },
    fail: { gend: '1', diag_codes: 'D25.900' },
    code: 'E_SEX_DIAGNOSIS',
    field: 'diag_codes',
  },
  {
    rule: 'sex C61 (prostate) as a secondary diagnosis',
    pass: { gend: '1', diag_codes: 'K35.800|C61.x00' },
    fail: { gend: '2', diag_codes: 'K35.800|C61.x00' },
    code: 'E_SEX_DIAGNOSIS',
    field: 'diag_codes',
  },
  // The hospital's before-care prompt said 质控将拒收 for Z37 first, but the ingest accepted it: the same rule now.
  {
    rule: 'principal diagnosis Z37 (outcome of delivery) may only be secondary',
    pass: { ...mother, age: '55' },
    fail: { ...mother, age: '55', diag_codes: 'Z37.000x001|O80.000' },
    code: 'E_PRINCIPAL_DIAGNOSIS',
    field: 'diag_codes',
  },
  {
    rule: 'age P07.3 under one year',
    pass: { ...baby, diag_codes: 'P07.300' },
    fail: { ...baby, diag_codes: 'P07.300', age: '2', nwb_age: '', brdy: '2023-01-01' },
    code: 'E_AGE_DIAGNOSIS',
    field: 'diag_codes',
  },
  {
    rule: 'age O80 at most 55',
    pass: { ...mother, age: '55' },
    fail: { ...mother, age: '56' },
    code: 'E_AGE_DIAGNOSIS',
    field: 'diag_codes',
  },
  {
    rule: 'discharge not before admission',
    pass: { dscg_time: '2025-03-01 09:00:00', act_ipt_days: '1' },
    fail: { dscg_time: '2025-02-28 10:00:00', act_ipt_days: '1' },
    code: 'E_DATE_ORDER',
    field: 'dscg_time',
  },
  {
    rule: 'birth not after admission',
    // A newborn's own list (Z37 outcome of delivery is the mother's secondary code, never a principal one).
    pass: { brdy: '2025-03-01', age: '0', nwb_age: '0', diag_codes: 'P07.300' },
    fail: { brdy: '2025-03-02', age: '0', nwb_age: '0', diag_codes: 'P07.300' },
    code: 'E_DATE_ORDER',
    field: 'brdy',
  },
  {
    rule: 'LOS vs dates, tolerance 1',
    pass: { act_ipt_days: '5' },
    fail: { act_ipt_days: '6' },
    code: 'E_LOS_MISMATCH',
    field: 'act_ipt_days',
  },
  {
    rule: 'LOS of a same-day stay is 1',
    pass: { ...sameDay, act_ipt_days: '1' },
    fail: { ...sameDay, act_ipt_days: '3' },
    code: 'E_LOS_MISMATCH',
    field: 'act_ipt_days',
  },
  {
    rule: 'LOS at most 365',
    pass: { ...wholeYear, act_ipt_days: '365' },
    fail: { ...wholeYear, act_ipt_days: '366' },
    code: 'E_RANGE',
    field: 'act_ipt_days',
  },
  {
    rule: 'age at most 130',
    pass: { age: '130', brdy: '' },
    fail: { age: '131', brdy: '' },
    code: 'E_RANGE',
    field: 'age',
  },
  {
    rule: 'newborn weight at least 100 g',
    pass: { ...baby, nwb_bir_wt: '100' },
    fail: { ...baby, nwb_bir_wt: '99' },
    code: 'E_RANGE',
    field: 'nwb_bir_wt',
  },
  {
    rule: 'amounts not negative',
    pass: { acct_pay: '0.00' },
    fail: { acct_pay: '-0.01', psn_cashpay: '2345.68' },
    code: 'E_NEGATIVE_AMOUNT',
    field: 'acct_pay',
  },
  {
    rule: 'fund + account + cash within the total',
    pass: {},
    fail: { psn_cashpay: '2345.68' },
    code: 'E_COMPONENTS_EXCEED_TOTAL',
    field: 'hifp_pay',
  },
  {
    rule: 'fund + co-pay + own-pay within the total',
    pass: { psn_ownpay: '0' },
    fail: { psn_ownpay: '345.68' },
    code: 'E_COMPONENTS_EXCEED_TOTAL',
    field: 'psn_selfpay',
  },
  {
    rule: 'cost categories add up to the total',
    pass: { fee_oprn: '', fee_wm: '' },
    fail: { fee_wm: '7345.66' },
    code: 'E_FEE_SUM_MISMATCH',
    field: 'medfee_sumamt',
  },
];

const tmp = tempDir('yibao-qc-');
let store: DuckDbStore;
let bare: DuckDbStore;
let all: { report: IngestReport; rejects: Reject[] };

async function check(rows: Row[], on: DuckDbStore, name: string) {
  const file = tmp.file(`${name}.csv`, toCsv(rows));
  const rejectsFile = `${tmp.path}/${name}.rejects.csv`;
  const report = await ingestFile(on, { kind: 'cases', file, rejectsFile, dryRun: true });
  const rejects = report.rejectsFile
    ? (parse(readFileSync(rejectsFile, 'utf8'), { columns: true, bom: true }) as Reject[])
    : [];
  return { report, rejects };
}

beforeAll(async () => {
  store = await sampleStore(tmp);
  bare = await memoryStore();
  const rows = PAIRS.flatMap((p, k) => [
    validCase({ setl_id: `S${k}P`, ...p.pass }),
    validCase({ setl_id: `S${k}F`, ...p.fail }),
  ]);
  all = await check(rows, store, 'pairs');
});
afterAll(async () => {
  await store.close();
  await bare.close();
  tmp.remove();
});

describe('R-DATA-1 QC rules: one passing and one failing row each', () => {
  PAIRS.forEach((p, k) => {
    it(`R-DATA-1 ${p.rule}: the passing row passes, the failing row fails with ${p.code} on ${p.field}`, () => {
      // Lines of the file: the header is line 1, pair k's passing row line 2k + 2, its failing row 2k + 3.
      const rows = (r: number) => all.rejects.filter((x) => x.qc_row === String(r));
      expect(rows(2 * k + 2)).toEqual([]);
      const failing = rows(2 * k + 3);
      expect(failing.map((r) => [r.qc_code, r.qc_field])).toContainEqual([p.code, p.field]);
      expect(failing.every((r) => r.qc_message_zh.length > 0 && r.qc_message_en.length > 0)).toBe(true);
    });
  });

  it('R-DATA-1 every row is counted once: read = accepted + rejected + already present', () => {
    const { report } = all;
    expect(report.read).toBe(PAIRS.length * 2);
    expect([report.accepted, report.rejected, report.alreadyPresent]).toEqual([PAIRS.length, PAIRS.length, 0]);
  });

  it('R-DATA-1 messages name the value: a money value with three decimals is refused, not rounded', () => {
    const k = PAIRS.findIndex((p) => p.rule === 'money format');
    const failing = all.rejects.filter((x) => x.qc_row === String(2 * k + 3));
    expect(failing[0]!.qc_message_zh).toContain('12345.675');
    const sex = PAIRS.findIndex((p) => p.rule.startsWith('sex D25'));
    expect(all.rejects.find((x) => x.qc_row === String(2 * sex + 3))!.qc_message_zh).toContain('仅限女性');
  });

  it('R-DATA-1 a principal diagnosis that may not be one: the code and why, in zh and en (ICD-10 Z37 note)', () => {
    const k = PAIRS.findIndex((p) => p.code === 'E_PRINCIPAL_DIAGNOSIS');
    const failing = all.rejects.filter((x) => x.qc_row === String(2 * k + 3));
    expect(failing.map((r) => [r.qc_setl_id, r.qc_field, r.qc_code])).toEqual([
      [`S${k}F`, 'diag_codes', 'E_PRINCIPAL_DIAGNOSIS'],
    ]);
    expect(failing[0]!.qc_message_zh).toBe('主要诊断 Z37.000x001 属于“分娩的结局”，不能作为主要诊断');
    expect(failing[0]!.qc_message_en).toBe(
      'principal diagnosis Z37.000x001 is outcome of delivery, which may not be the principal diagnosis',
    );
  });

  it('R-DATA-1 a date that is not of the calendar is said to be so, not "should be a date-time"', () => {
    const failing = (rule: string) => {
      const k = PAIRS.findIndex((p) => p.rule === rule);
      return all.rejects.find((x) => x.qc_row === String(2 * k + 3) && x.qc_code === 'E_FORMAT')!;
    };
    expect(failing('date format').qc_message_zh).toBe(
      'brdy（出生日期） 的 "1960-02-30" 不是真实的日期（该月没有这一天，或月份不在 1–12）',
    );
    expect(failing('date format').qc_message_en).toBe(
      'brdy: "1960-02-30" is not a real calendar date (no such day in that month, or no such month)',
    );
    // Not written like a date at all: the expected form.
    expect(failing('date-time format').qc_message_zh).toBe(
      'adm_time（入院时间） 应为日期时间（如 2025-01-31 08:00:00），实际为 "yesterday"',
    );
  });

  it('R-DATA-1 a negative amount names its column in Chinese in the zh message', () => {
    const k = PAIRS.findIndex((p) => p.rule === 'amounts not negative');
    const failing = all.rejects.filter((x) => x.qc_row === String(2 * k + 3) && x.qc_code === 'E_NEGATIVE_AMOUNT');
    // Only acct_pay is negative in the failing row: one reject, naming it and its value.
    expect(failing.map((r) => [r.qc_message_zh, r.qc_message_en])).toEqual([
      ['acct_pay（个人账户支出） 金额为负数：-0.01', 'acct_pay (personal account payment) is negative: -0.01'],
    ]);
    for (const r of failing) {
      expect(r.qc_message_zh).toMatch(/^[a-z_]+（[\u4e00-\u9fff]+） 金额为负数：-/);
      expect(r.qc_message_en).toMatch(/^[a-z_]+ \([a-z -]+\) is negative: -/);
    }
  });

  it('R-DATA-1 code validity is skipped and reported when no code list or institutions are loaded', async () => {
    const { report, rejects } = await check(
      // A code of no list (K35.999), not an external cause (X99 may not be a principal diagnosis, whatever the list).
      [validCase({ diag_codes: 'K35.999', fixmedins_code: 'H999' })],
      bare,
      'skipped',
    );
    expect(rejects).toEqual([]);
    expect(report.skippedChecks.map((s) => s.rule)).toEqual(['code-icd10', 'code-icd9', 'institution']);
    // Each list by its name in both languages, not the --kind word (icd10).
    expect(report.skippedChecks[0]!.en).toMatch(/^"diagnosis codes in the ICD-10 code list" \(/);
    expect(report.skippedChecks[1]!.en).toMatch(/^"procedure codes in the ICD-9-CM-3 code list" \(/);
    expect(report.skippedChecks[0]!.zh).toMatch(/^「诊断编码在编码库中」（/);
  });

  it('R-DATA-1 duplicate setl_id in the file: an exact repeat keeps the first; differing repeats are all refused', async () => {
    const a = validCase({ setl_id: 'S1' });
    const { rejects, report } = await check(
      [a, a, validCase({ setl_id: 'S2' }), validCase({ setl_id: 'S2', age: '65' })],
      store,
      'duplicates',
    );
    // Lines 2 and 3: S1 twice; lines 4 and 5: S2 with two contents.
    expect(rejects.map((r) => [r.qc_row, r.qc_code])).toEqual([
      ['3', 'E_DUPLICATE_IN_FILE'],
      ['4', 'E_DUPLICATE_CONFLICT'],
      ['5', 'E_DUPLICATE_CONFLICT'],
    ]);
    expect(rejects[0]!.qc_message_zh).toBe('与第 2 行完全重复（结算ID S1）');
    expect(rejects[1]!.qc_message_en).toBe(
      'setl_id S2 appears 2 times with different content (first at row 4); all refused',
    );
    expect([report.accepted, report.rejected]).toEqual([1, 3]);
  });
});

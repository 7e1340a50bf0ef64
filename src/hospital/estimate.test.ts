import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { testCase } from '../payment/testing.ts';
import { estimateCase } from './estimate.ts';
import { dipParams, drgParams } from './testing.ts';

/** An appendectomy at H1 (level 2), department 外科, doctor D1; cost and fund in fen. */
const appendix = (setlId: string, cost: number, fund = Math.round(cost * 0.75)) =>
  testCase({
    setlId,
    institutionCode: 'H1',
    department: '03',
    doctorCode: 'D1',
    doctorName: '王伟',
    diagnoses: [{ code: 'K35.800' }],
    procedures: [{ code: '47.0901', date: '2025-03-02' }],
    totalCost: cost,
    fundPay: fund,
  });

describe('R-DIP-3 R-DIP-5 estimateCase under DIP (score 1000, coefficient 0.9, reference 10 元/点, forecast 9.5 元/点)', () => {
  const p = dipParams();
  // base points = 1000 × 0.9 = 900; standard at the reference value = 900 × 10 = 9,000 元;
  // low-cost below 0.5 × 9,000 = 4,500 元; high-cost above 2 × 9,000 = 18,000 元; standard payment 900 × 9.5 = 8,550 元.
  it('a normal case: 900 points, expected 8,550 元, profit 8,550 − 8,000 = +550 元, fund 8,550 − 2,000 = 6,550 元', () => {
    const e = estimateCase(appendix('N', 800_000, 600_000), p);
    expect(e.group).toBe('K35.8|47.0901');
    expect(e.path[0]!.zh).toContain('完全一致');
    expect([e.standardPoints, e.points, e.standardPayment]).toEqual([9_000_000, 9_000_000, 855_000]);
    expect(e.thresholds).toEqual({ low: 450_000, high: 1_800_000 });
    expect([e.position, e.expectedPayment, e.profit, e.expectedFund]).toEqual(['normal', 855_000, 55_000, 655_000]);
    expect(e.prompts).toEqual([]);
  });
  it('a low-cost case (4,000 元 < 4,500 元): points = 4,000 ÷ 10 = 400, expected 3,800 元, loss −200 元', () => {
    const e = estimateCase(appendix('L', 400_000), p);
    expect([e.position, e.points, e.expectedPayment, e.profit]).toEqual(['low-cost', 4_000_000, 380_000, -20_000]);
  });
  it('a high-cost case (20,000 元 > 18,000 元): points = 900 × ((20,000 ÷ 9,000 − 2) × 1 + 1) = 1,100, expected 10,450 元, loss −9,550 元', () => {
    const e = estimateCase(appendix('H', 2_000_000), p);
    expect([e.position, e.points, e.expectedPayment, e.profit]).toEqual(['high-cost', 11_000_000, 1_045_000, -955_000]);
  });
  it('at exactly the low threshold (4,500 元) the case is normal, one fen below it is low-cost (strict comparison)', () => {
    expect(estimateCase(appendix('B1', 450_000), p).position).toBe('normal');
    expect(estimateCase(appendix('B2', 449_999), p).position).toBe('low-cost');
  });
});

/** d1 principal; m1 (MCC, exclusion table 1 = the principal's) and m2 (MCC, table 2) secondary. */
const drgCase = (setlId: string, cost: number) =>
  testCase({
    setlId,
    institutionCode: 'H1',
    department: '03',
    doctorCode: 'D1',
    diagnoses: [{ code: 'd1' }, { code: 'm1' }, { code: 'm2' }],
    totalCost: cost,
  });

describe('R-PAY-DRG estimateCase under DRG (BR11: RW 1.2, mean 12,000 元; base rate 10,000 元; coefficient 0.9)', () => {
  const p = drgParams();
  // standard payment = 1.2 × 10,000 × 0.9 = 10,800 元; low-cost below 0.4 × 12,000 = 4,800 元;
  // RW 1.2 ≥ 1 → high-cost above 2 × 12,000 = 24,000 元.
  it('a normal case groups MDC B → BR1 → BR11 with m2 counted and m1 excluded; expected 10,800 元, profit +1,800 元', () => {
    const e = estimateCase(drgCase('N', 900_000), p);
    expect(e.group).toBe('BR11');
    expect(e.path.map((s) => s.stage)).toEqual(['mdc', 'adrg', 'severity', 'severity', 'drg']);
    expect(e.path[0]!.zh).toContain('进入 MDCB organ');
    expect(e.path[1]!.zh).toContain('BB1');
    expect(e.severity.map((s) => [s.code, s.list, s.counted, s.excludedBy])).toEqual([
      ['m1', 'MCC', false, '1'],
      ['m2', 'MCC', true, null],
    ]);
    expect([e.standardPayment, e.thresholds, e.position]).toEqual([
      1_080_000,
      { low: 480_000, high: 2_400_000 },
      'normal',
    ]);
    expect([e.expectedPayment, e.profit]).toEqual([1_080_000, 180_000]);
  });
  it('a low-cost case (4,000 元 < 4,800 元) is paid its cost: expected 4,000 元, profit 0', () => {
    const e = estimateCase(drgCase('L', 400_000), p);
    expect([e.position, e.expectedPayment, e.profit]).toEqual(['low-cost', 400_000, 0]);
  });
  it('a high-cost case (30,000 元 > 24,000 元): 10,800 + (30,000 − 24,000) × 0.9 = 16,200 元, loss −13,800 元', () => {
    const e = estimateCase(drgCase('H', 3_000_000), p);
    expect([e.position, e.expectedPayment, e.profit]).toEqual(['high-cost', 1_620_000, -1_380_000]);
  });
  it('under the point method: 1.2 × 100 × 0.9 = 108 points × 100 元/点 = 10,800 元', () => {
    const e = estimateCase(drgCase('P', 900_000), drgParams('points'));
    expect([e.standardPoints, e.points, e.standardPayment, e.expectedPayment]).toEqual([
      1_080_000, 1_080_000, 1_080_000, 1_080_000,
    ]);
  });
});

describe('R-DIP-1 an ungrouped case at discharge', () => {
  it('R-DIP-6 claiming nothing (unpaid): the fund pays 0 and the hospital keeps the patient’s 300.00 (was fund −300.00)', () => {
    // 1,000.00 cost, fund 700.00 on the list: the patient paid 300.00; no group, the demo's rule pays no points.
    const c = testCase({ setlId: 'U', institutionCode: 'H1', diagnoses: [{ code: 'X99.900' }], totalCost: 100_000 });
    const e = estimateCase(c, dipParams());
    expect([e.status, e.expectedPayment, e.patientPaid]).toEqual(['ungrouped', 0, 30_000]);
    // Settlement policy `unpaidCases: outside` (the default): nothing netted, so the fund's part is 0, not −300.00,
    // and the loss is 1,000.00 − 300.00 = 700.00, not the whole cost.
    expect(e.expectedFund).toBe(0);
    expect(e.profit).toBe(-70_000);
    expect(e.path.at(-1)!.zh).toContain('患者已付的 300.00 元不冲抵');
    expect(e.path.at(-1)!.en).toContain("the patient's 300.00 yuan is not netted");
  });
  it('its path says why in one language each (zh had "… / no core group and no comprehensive group …")', () => {
    const c = testCase({ setlId: 'U', institutionCode: 'H1', diagnoses: [{ code: 'X99.900' }] });
    const step = estimateCase(c, dipParams()).path[0]!;
    expect(step.zh).toMatch(/^未能入组：目录中无 X99 的/);
    expect(step.zh).not.toMatch(/[a-z]{3,} [a-z]{3,}/);
    expect(step.en).toBe(
      'ungrouped: the catalog has no X99 comprehensive group (conservative treatment) and no matching core group',
    );
  });
});

describe('R-DATA-1 before-care prompts (事前提示)', () => {
  const p = dipParams();
  it('a principal diagnosis that may only be secondary, a procedure without a date and a missing doctor are flagged', () => {
    const c = testCase({
      setlId: 'Q',
      institutionCode: 'H1',
      department: '03',
      diagnoses: [{ code: 'Z37.000' }, { code: 'O80.000' }],
      procedures: [{ code: '73.5900' }],
      sex: '2',
      ageYears: 30,
    });
    const e = estimateCase(c, p);
    expect(e.prompts.map((x) => [x.level, x.code, x.field])).toEqual([
      ['reject', 'E_PRINCIPAL_DIAGNOSIS', 'diag_codes'],
      ['incomplete', 'E_REQUIRED', 'oprn_oprt_dates'],
      ['incomplete', 'E_REQUIRED', 'chfpdr_code'],
    ]);
    expect(e.prompts[0]!.zh).toContain('分娩的结局');
  });
  it('a male patient with a female-only diagnosis and a procedure dated outside the stay are QC rejects', () => {
    const c = testCase({
      setlId: 'S',
      institutionCode: 'H1',
      department: '03',
      doctorCode: 'D1',
      diagnoses: [{ code: 'N70.900' }],
      procedures: [{ code: '47.0901', date: '2025-04-30' }],
    });
    expect(estimateCase(c, p).prompts.map((x) => x.code)).toEqual(['E_SEX_DIAGNOSIS', 'E_DATE_ORDER']);
  });
  it('what the ingest QC refuses is prompted too: a date not of the calendar, a negative amount, an age that does not fit the birth date', () => {
    // The agency's ingest rejects these lists (E_FORMAT, E_NEGATIVE_AMOUNT, E_AGE_BIRTH); hospital mode said
    // "质控将拒收 0" for them.
    const q = { ...p, prompts: { losToleranceDays: 1, ageToleranceYears: 1 } };
    const base = {
      setlId: 'V',
      institutionCode: 'H1',
      department: '03',
      doctorCode: 'D1',
      diagnoses: [{ code: 'K35.800' }],
    };
    const badDate = testCase({ ...base, admissionTime: '2025-02-30', dischargeTime: '2025-03-04' });
    expect(estimateCase(badDate, q).prompts.map((x) => [x.level, x.code, x.field])).toEqual([
      ['reject', 'E_FORMAT', 'adm_time'],
    ]);
    const negative = testCase({ ...base, totalCost: -10_000, fundPay: 0, selfPay: -10_000, cashPay: -10_000 });
    const neg = estimateCase(negative, q).prompts.filter((x) => x.code === 'E_NEGATIVE_AMOUNT');
    expect(neg.map((x) => x.field)).toEqual(['medfee_sumamt', 'psn_selfpay', 'psn_cashpay']);
    expect(neg[0]!.zh).toBe('医疗费总额 金额为负数：-100.00');
    // Born 1950-05-05, admitted 2025-09-01: 75 complete years, not 30 (tolerance 1 year); 74 on 2025-05-04.
    const age = testCase({ ...base, birthDate: '1950-05-05', ageYears: 30, admissionTime: '2025-09-01' });
    expect(estimateCase(age, q).prompts.map((x) => [x.code, x.zh])).toEqual([
      ['E_AGE_BIRTH', '年龄 30 岁与出生日期 1950-05-05、入院时间 2025-09-01 推算的 75 周岁相差超过 1 岁'],
    ]);
    const dayBefore = testCase({ ...base, birthDate: '1950-05-05', ageYears: 73, admissionTime: '2025-05-04' });
    expect(estimateCase(dayBefore, q).prompts).toEqual([]);
    // Without a tolerance in the region's qc policy the age check is not made (as in ingest).
    expect(estimateCase(age, p).prompts).toEqual([]);
  });
  it('prompts name the problem only: no prompt text carries a code the case does not already have', () => {
    const c = testCase({ setlId: 'T', institutionCode: 'H1', diagnoses: [{ code: 'V89.200' }] });
    const codes = new Set(c.diagnoses.map((d) => d.code));
    for (const x of estimateCase(c, p).prompts) {
      for (const m of x.zh.matchAll(/[A-Z]\d{2}\.[0-9x]{1,3}/g)) expect(codes.has(m[0])).toBe(true);
    }
  });
});

describe('R-DIP-3 R-PAY-DRG invariants of estimateCase (property)', () => {
  const dip = dipParams();
  const drg = drgParams();
  it('the position agrees with the thresholds in money, and profit = payment − cost, fund = payment − patient paid', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6_000_000 }), fc.boolean(), (cost, useDrg) => {
        const e = useDrg ? estimateCase(drgCase('X', cost), drg) : estimateCase(appendix('X', cost), dip);
        const t = e.thresholds!;
        // Thresholds are shown rounded to the fen; the position uses the exact comparison, so allow one fen.
        if (cost < t.low - 1) expect(e.position).toBe('low-cost');
        else if (cost > t.high + 1) expect(e.position).toBe('high-cost');
        else if (cost > t.low && cost < t.high) expect(e.position).toBe('normal');
        expect(e.profit).toBe(e.expectedPayment! - cost);
        expect(e.expectedFund).toBe(e.expectedPayment! - e.patientPaid);
      }),
      { numRuns: 300 },
    );
  });
});

/**
 * Cases the pool pays nothing for (未入组 under DIP `ungrouped: unpaid` or DRG `ungrouped: hold`: status ungrouped, no
 * claim) and the settlement policy's `unpaidCases` (R-DIP-6). The monthly formula nets "patients' payments" against
 * the value of the points they go with — (当月点数 × 预结算点值 − 患者负担) × 预结算比例 — and the year end does the
 * same through the fund payment ratio (基金支付比例 = 统筹基金支付 ÷ 医疗总费用). `outside` (default) keeps an unpaid case
 * out of the month, the quota's point value, the ratio and the item-billing comparison; `netted` counts it in all four.
 * Also: a year-end point value far from the opening one is reported (`pointValueChange`), and what a negative month
 * carries is not taken back by the year end.
 */
import { describe, expect, it } from 'vitest';
import type { Institution } from '../model/institution.ts';
import { type Ratio, ratio } from '../model/money.ts';
import type { Claim, UnitResult } from '../model/unit-result.ts';
import { dipSettlementValues } from '../policy/testing.ts';
import { monthlyTable } from '../report/settlement-rows.ts';
import { pointValueWarningText, unpaidCasesText } from '../report/summary.ts';
import { settlementRules } from './policy-rules.ts';
import { sumPool, unpaidCase } from './pool.ts';
import type { SettlementRules, UnpaidCasesRule } from './rules.ts';
import { type PoolInput, settlePool } from './settle.ts';

const yuan = (y: number) => Math.round(y * 100);
const pts = (p: number) => Math.round(p * 10_000);
const r = (n: number, d = 1): Ratio => ratio(BigInt(n), BigInt(d));

const rules = (over: Partial<SettlementRules> = {}): SettlementRules => ({
  fundPaymentRatio: { value: { kind: 'computed' }, source: '技术规范 基金支付比例 = 统筹基金支付 ÷ 医疗总费用' },
  pointValue: { value: { kind: 'floating' }, source: '002 四(三) 年终点值' },
  // 002 四(三) 月度预结算总额 = 上年度统筹基金住院支付 ÷ 12 × 比例 (1 here).
  provisionalPointValue: { value: { kind: 'monthly-quota', quotaRatio: r(1) }, source: '002 四(三) 月度预结算总额' },
  prepayRatio: { value: r(9, 10), source: '技术规范 预结算 90%' },
  advanceMonths: { value: {}, source: '不预付' },
  sharing: { value: null, source: '不分担' },
  defaultAssessment: { value: r(1), source: '考核系数 1' },
  ...over,
});

function unit(
  id: string,
  inst: string,
  month: string,
  claim: Claim,
  billed: number,
  patientPaid: number,
  status: UnitResult['status'] = 'paid',
): UnitResult {
  return {
    unitId: id,
    institutionCode: inst,
    month,
    method: 'dip',
    group: status === 'ungrouped' ? '' : 'G',
    status,
    claim,
    billed,
    patientPaid,
    explanation: [],
  };
}
const points = (p: number): Claim => ({ kind: 'points', points: pts(p) });
const amount = (y: number): Claim => ({ kind: 'amount', amount: yuan(y) });

const insts: Institution[] = [
  { code: 'A', name: 'A', level: '3', type: 'general', county: '1' },
  { code: 'B', name: 'B', level: '3', type: 'general', county: '1' },
];

// March 2025: A and B each one case of 1000 points, cost 10,000.00, the patient paid 3,000.00; B also one ungrouped case
// that claims nothing, cost 70,000.00, the patient paid 35,000.00. Last year's fund payment 168,000.00 → monthly
// quota 168,000.00 ÷ 12 × 1 = 14,000.00. Fund 28,000.00, opening point value 10 yuan/point.
const units = [
  unit('S1', 'A', '2025-03', points(1000), yuan(10_000), yuan(3_000)),
  unit('S2', 'B', '2025-03', points(1000), yuan(10_000), yuan(3_000)),
  unit('S3', 'B', '2025-03', points(0), yuan(70_000), yuan(35_000), 'ungrouped'),
];
const input = (over: Partial<SettlementRules>, u: UnitResult[] = units): PoolInput => ({
  poolId: 'p',
  region: 'r',
  year: 2025,
  units: u,
  budget: { fund: yuan(28_000), steps: [] } as never,
  openingPointValue: { value: r(1000), source: '年初点值' },
  institutions: insts,
  lastYearFundPaid: new Map([
    ['A', yuan(84_000)],
    ['B', yuan(84_000)],
  ]),
  deductions: [],
  assessments: [],
  rules: rules(over),
});
const reading = (value: UnpaidCasesRule) => ({ unpaidCases: { value, source: '002 四(三) 月预结算' } });

describe('R-DIP-6 unpaidCases: an ungrouped case claiming nothing', () => {
  it('is an unpaid case; a case paid at cost (低倍率) or at a discount (未入组 discounted) is not', () => {
    expect(unpaidCase(units[2]!)).toBe(true);
    expect(unpaidCase(unit('x', 'A', '2025-03', amount(0), 1, 1, 'ungrouped'))).toBe(true); // DRG `hold`
    expect(unpaidCase(unit('x', 'A', '2025-03', amount(4_000), 1, 1, 'low-cost'))).toBe(false);
    expect(unpaidCase(unit('x', 'A', '2025-03', amount(49_000), 1, 1, 'ungrouped'))).toBe(false);
    expect(unpaidCase(unit('x', 'A', '2025-03', points(0), 1, 1, 'paid'))).toBe(false);
    expect(sumPool(units).byInstitution.get('B')!.unpaid).toEqual({
      units: 1,
      billed: yuan(70_000),
      patientPaid: yuan(35_000),
    });
  });

  // outside: the month's patient payments are A's and B's grouped cases' 3,000.00 + 3,000.00 = 6,000.00;
  // point value (14,000.00 + 6,000.00) ÷ 2000 = 10 yuan/point; each 10,000.00 − 3,000.00 = 7,000.00 × 90 % = 6,300.00.
  // The ratio: (20,000.00 − 6,000.00) ÷ 20,000.00 = 0.7; year-end value 28,000.00 ÷ 0.7 ÷ 2000 = 20 yuan/point;
  // each 1000 × 20 × 0.7 = 14,000.00; clearing 14,000.00 − 6,300.00 = 7,700.00. B's item billing compared: 7,000.00.
  it('outside (default): not netted against B’s month nor counted in the quota’s point value or the fund payment ratio', () => {
    for (const over of [{}, reading('outside')]) {
      const s = settlePool(input(over));
      const march = s.months[0]!;
      expect(march.pointValue).toEqual(r(1000)); // fen per point
      expect(march.lines.map((l) => [l.institutionCode, l.value, l.patientPaid, l.gross, l.payment])).toEqual([
        ['A', yuan(10_000), yuan(3_000), yuan(7_000), yuan(6_300)],
        ['B', yuan(10_000), yuan(3_000), yuan(7_000), yuan(6_300)],
      ]);
      expect(s.notices).toEqual([]);
      expect(s.fundPaymentRatio).toEqual(r(7, 10));
      expect(s.pointValue.pointValue).toEqual(r(2000));
      expect(s.institutions.map((i) => [i.yearEnd, i.monthlyPaid, i.clearing, i.ffsFund])).toEqual([
        [yuan(14_000), yuan(6_300), yuan(7_700), yuan(7_000)],
        [yuan(14_000), yuan(6_300), yuan(7_700), yuan(7_000)],
      ]);
      // The facts stay whole: B's cases, cost and patients' payments include the unpaid case.
      expect([s.institutions[1]!.units, s.institutions[1]!.billed, s.institutions[1]!.patientPaid]).toEqual([
        2,
        yuan(80_000),
        yuan(38_000),
      ]);
      expect(s.summary.unpaidCases).toMatchObject({
        rule: 'outside',
        units: 1,
        billed: yuan(70_000),
        patientPaid: yuan(35_000),
      });
    }
    const s = settlePool(input(reading('outside')));
    // Said in B's month and in the ratio's step, with the clause.
    expect(s.months[0]!.lines[1]!.steps[1]!.zh).toBe(
      '未入组且不计点数的病例 1 例：基金不予支付，其患者负担由医疗机构留用，不冲抵当月预结算',
    );
    expect(s.months[0]!.lines[1]!.steps[1]!.clause).toBe('002 四(三) 月预结算');
    const ratioStep = s.steps.find((x) => x.zh.startsWith('基金支付比例'))!;
    expect(ratioStep.values).toMatchObject({
      医疗总费用: '20000.00',
      患者负担: '6000.00',
      未入组不计点数病例医疗总费用: '70000.00',
    });
    // The monthly statement shows it beside 患者负担 (which leaves it out), B's March 35,000.00, A's 0.00.
    const table = monthlyTable(s);
    expect(table.columns.find((c) => c.key === 'unpaidPatientPaid')?.zh).toBe('未入组不计点数病例的患者负担（不冲抵）');
    expect([...table.rows].map((row) => [row.institution, row.patientPaid, row.unpaidPatientPaid])).toEqual([
      ['A', yuan(3_000), 0],
      ['B', yuan(3_000), yuan(35_000)],
    ]);
    expect(unpaidCasesText(s.summary.unpaidCases!, 'en')).toContain(
      'the fund pays nothing; the patients’ payments stay with the institutions, are not netted against the months',
    );
  });

  // netted: the month's patient payments 3,000.00 + 3,000.00 + 35,000.00 = 41,000.00; point value (14,000.00 +
  // 41,000.00) ÷ 2000 = 27.5 yuan/point — B's patient's money raises A's month: A 27,500.00 − 3,000.00 = 24,500.00 ×
  // 90 % = 22,050.00; B 27,500.00 − 38,000.00 = −10,500.00, paid 0.00, 10,500.00 carried. The ratio (90,000.00 −
  // 41,000.00) ÷ 90,000.00 = 49/90; year-end value 28,000.00 ÷ 49/90 ÷ 2000 = 25.714286 yuan/point; each still
  // 14,000.00 (a floating value spends the fund by points). B's clearing 14,000.00 − 0.00: the carry is not taken back.
  it('netted: B’s month −10,500.00 and A’s month raised by B’s patient payment; the ratio 49/90', () => {
    const s = settlePool(input(reading('netted')));
    const march = s.months[0]!;
    expect(march.pointValue).toEqual(r(5_500_000, 2000)); // 2,750 fen per point
    expect(march.lines.map((l) => [l.institutionCode, l.patientPaid, l.gross, l.payment, l.carriedOut])).toEqual([
      ['A', yuan(3_000), yuan(24_500), yuan(22_050), 0],
      ['B', yuan(38_000), yuan(-10_500), 0, yuan(10_500)],
    ]);
    expect(s.fundPaymentRatio).toEqual(r(4_900_000, 9_000_000));
    expect(s.institutions.map((i) => [i.yearEnd, i.monthlyPaid, i.clearing, i.ffsFund])).toEqual([
      [yuan(14_000), yuan(22_050), yuan(-8_050), yuan(7_000)],
      [yuan(14_000), 0, yuan(14_000), yuan(42_000)],
    ]);
    expect(s.months[0]!.lines[1]!.steps[1]!.zh).toContain('其患者负担仍冲抵当月预结算');
    expect(monthlyTable(s).columns.find((c) => c.key === 'unpaidPatientPaid')?.zh).toBe(
      '其中未入组不计点数病例的患者负担',
    );
    // Without unpaid cases, no such column.
    expect(
      monthlyTable(settlePool(input({}, units.slice(0, 2)))).columns.some((c) => c.key === 'unpaidPatientPaid'),
    ).toBe(false);
    // R-DIP-6 clearing = year-end amount − paid monthly − advance: the 10,500.00 still carried after B's last month
    // (March: no later month of B takes it) is not subtracted again, and the notice says so (it read 年度清算时扣回).
    expect(s.notices!.map((n) => n.zh)).toEqual([
      'B 2025-03 月度预结算为负（-10500.00 元）：当月不付；本年度此后没有该机构的月度预结算可扣减，10500.00 元年度清算也不另行扣回',
    ]);
    expect(s.notices![0]!.en).toBe(
      'B 2025-03: the monthly pre-settlement is negative (-10500.00 yuan): nothing paid this month; the institution has no later monthly pre-settlement this year to subtract 10500.00 yuan from, and the year end takes nothing back separately',
    );
    expect(s.months[0]!.notices).toEqual(s.notices);
    // With a later month of B (May: 1000 points, 10,000.00, patient 3,000.00; quota 14,000.00 + 3,000.00 = 17 yuan/point,
    // 17,000.00 − 3,000.00 = 14,000.00 × 90 % = 12,600.00), March's notice says the carry comes off later months, and
    // May pays 12,600.00 − 10,500.00 = 2,100.00.
    const later = settlePool(
      input(reading('netted'), [...units, unit('S4', 'B', '2025-05', points(1000), yuan(10_000), yuan(3_000))]),
    );
    expect(later.notices!.map((n) => n.zh)).toEqual([
      'B 2025-03 月度预结算为负（-10500.00 元）：当月不付，10500.00 元从本年度后续月份的月度预结算中扣减，年度清算不另行扣回',
    ]);
    expect(later.months[1]!.lines.map((l) => [l.institutionCode, l.carriedIn, l.payment])).toEqual([
      ['B', yuan(10_500), yuan(2_100)],
    ]);
  });

  // DRG amounts (费率法): A a case at 8,000.00 (patient 2,400.00); B a `hold` case (amount 0), cost 50,000.00, patient
  // 15,000.00. Opening rule, so each month's value is its amounts: outside A 5,600.00 × 90 % = 5,040.00, B 0.00.
  it('a DRG pool: an ungrouped case held (amount 0) is kept out the same way; netted, B’s month is −15,000.00', () => {
    const drg = [
      { ...unit('D1', 'A', '2025-05', amount(8_000), yuan(8_000), yuan(2_400)), method: 'drg' as const },
      { ...unit('D2', 'B', '2025-05', amount(0), yuan(50_000), yuan(15_000), 'ungrouped'), method: 'drg' as const },
    ];
    const over = { provisionalPointValue: { value: { kind: 'opening' as const }, source: '年初' } };
    const out = settlePool(input(over, drg)).months[0]!.lines;
    expect(out.map((l) => [l.institutionCode, l.gross, l.payment])).toEqual([
      ['A', yuan(5_600), yuan(5_040)],
      ['B', 0, 0],
    ]);
    const net = settlePool(input({ ...over, ...reading('netted') }, drg)).months[0]!.lines;
    expect(net.map((l) => [l.institutionCode, l.gross, l.carriedOut])).toEqual([
      ['A', yuan(5_600), 0],
      ['B', yuan(-15_000), yuan(15_000)],
    ]);
  });

  // 低倍率 paid its cost (costPaidCases: year-end): claim 4,000.00, patient 1,200.00 → 2,800.00 × 90 % = 2,520.00 either way.
  it('a case paid at cost is netted under both readings (it claims a value)', () => {
    const low = [unit('L1', 'A', '2025-04', amount(4_000), yuan(4_000), yuan(1_200), 'low-cost')];
    const over = { provisionalPointValue: { value: { kind: 'opening' as const }, source: '年初' } };
    for (const v of ['outside', 'netted'] as const) {
      const l = settlePool(input({ ...over, ...reading(v) }, low)).months[0]!.lines[0]!;
      expect([l.gross, l.payment]).toEqual([yuan(2_800), yuan(2_520)]);
    }
  });
});

describe('R-DIP-6 pointValueChange: a year-end point value far from the opening one is reported', () => {
  const bound = (num: number, den: number) => ({ pointValueChange: { value: r(num, den), source: '本地核对规则' } });
  // Opening 10 yuan/point; year-end 28,000.00 ÷ 0.7 ÷ 2000 = 20 yuan/point, 2 × the opening value.
  it('20 against 10 yuan/point is 2.00 ×, beyond ±50 %: a warning with both values, kept in the summary', () => {
    const s = settlePool(input(bound(1, 2)));
    expect(s.summary.pointValueWarning).toMatchObject({ change: r(2000, 1000), maxChange: r(1, 2) });
    expect(pointValueWarningText(s.summary.pointValueWarning!, 'zh')).toContain(
      '年度点值 20.000000 元/点 是年初点值 10.000000 元/点 的 2.00 倍，相差超过 50%',
    );
    expect(pointValueWarningText(s.summary.pointValueWarning!, 'en')).toContain(
      'the year-end point value 20.000000 yuan/point is 2.00 × the opening point value 10.000000 yuan/point, a change of more than 50%',
    );
  });
  it('exactly at the bound (±100 %: 2 ×) no warning; without the rule none; a fixed point value none', () => {
    expect(settlePool(input(bound(1, 1))).summary.pointValueWarning).toBeUndefined();
    expect(settlePool(input({})).summary.pointValueWarning).toBeUndefined();
    const fixed = { pointValue: { value: { kind: 'fixed' as const, pointValue: r(3000) }, source: '固定点值' } };
    expect(settlePool(input({ ...fixed, ...bound(1, 2) })).summary.pointValueWarning).toBeUndefined();
  });
  // A budget of 9,800.00: 9,800.00 ÷ 0.7 ÷ 2000 = 7 yuan/point, 0.70 × — within ±50 %; 6,300.00 → 4.5, 0.45 ×: below.
  it('a value that fell: 0.45 × is reported, 0.70 × is not', () => {
    const at = (fund: number) =>
      settlePool({ ...input(bound(1, 2)), budget: { fund: yuan(fund), steps: [] } as never }).summary;
    expect(at(9_800).pointValueWarning).toBeUndefined();
    expect(at(6_300).pointValueWarning?.change).toEqual(r(450, 1000));
  });
});

describe('policy fields dip-settlement.unpaidCases and pointValueChange', () => {
  const read = (extra: string) => settlementRules(dipSettlementValues(extra));
  it('absent: outside and ±50 %, cited as the yibao default (existing files stay valid)', () => {
    const x = read('');
    expect(x.unpaidCases!.value).toBe('outside');
    expect(x.unpaidCases!.source).toMatch(/^yibao default: 002 四\(三\)/);
    expect(x.pointValueChange).toEqual({ value: r(1, 2), source: expect.stringMatching(/^yibao default/) });
  });
  it('netted and a bound are read with their clauses; any other word is refused naming the field', () => {
    const x = read(
      '  unpaidCases: { value: netted, source: "本地办法" }\n  pointValueChange: { value: { maxChange: 0.3 }, source: "本地核对" }',
    );
    expect(x.unpaidCases).toEqual({ value: 'netted', source: '本地办法' });
    expect(x.pointValueChange).toEqual({ value: r(3, 10), source: '本地核对' });
    expect(() => read('  unpaidCases: { value: kept, source: "本地办法" }')).toThrow(/unpaidCases/);
    expect(() => read('  pointValueChange: { value: 0.5, source: "本地" }')).toThrow(/pointValueChange/);
  });
});

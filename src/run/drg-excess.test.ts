/**
 * R-PAY-DRG, a base rate derived from the budget (费率 = 预算 ÷ 总权重) and a high-cost case paid "standard + the excess at a
 * policy rate": the two readings of where the excess goes (DRG policy `excessInPointPool`).
 *
 * Hand-computed region (people who never read the code can redo it): one DRG A, RW 1.0, mean cost 10,000.00 元, 100
 * points per RW, level coefficient 1 (both institutions tertiary), high-cost threshold 3 × mean = 30,000.00, excess rate
 * 0.9, low-cost below 0.4 × mean = 4,000.00 (paid by items, its cost as a fixed amount); budget 40,000.00 元, fund
 * payment ratio 1 (given), floating point value.
 *
 *   case  institution  cost        status     points reading            amount reading
 *   S1    H1           10,000.00   normal     100 points                100 points
 *   S2    H2           12,000.00   normal     100 points                100 points
 *   S3    H1           40,000.00   high-cost  100 + (4 − 3) × 0.9 × 100  100 points + (40,000 − 30,000) × 0.9
 *                                             = 190 points              = 100 points + 9,000.00 元
 *   S4    H2            3,000.00   low-cost   3,000.00 元               3,000.00 元
 *
 * points (default): point value = (40,000 − 3,000) ÷ 390 = 94.871794… 元/点, base rate = × 100 = 9,487.18 元/RW;
 *   H1 = 290 × 94.871794… = 27,512.8205…, H2 = 100 × 94.871794… + 3,000 = 12,487.1794… → largest remainder:
 *   H1 27,512.82, H2 12,487.18 (Σ 40,000.00).
 * amount: point value = (40,000 − 3,000 − 9,000) ÷ 300 = 93.333333… 元/点, base rate = (budget − items paid as money −
 *   excess) ÷ Σ RW = 28,000 ÷ 3 = 9,333.33 元/RW; H1 = 200 × 93.3333… + 9,000 = 27,666.666…, H2 = 100 × 93.3333… +
 *   3,000 = 12,333.333… → H1 27,666.67, H2 12,333.33 (Σ 40,000.00). S3 alone: 9,333.33 + 9,000.00 = 18,333.33 against
 *   190 × 94.871794… = 18,025.64 under points.
 */
import { describe, expect, it } from 'vitest';
import type { Institution } from '../model/institution.ts';
import { formatRatio, ratio } from '../model/money.ts';
import { claimAmount, claimPoints, type UnitResult } from '../model/unit-result.ts';
import { checkResults } from '../payment/contract.ts';
import { pricingFromPolicy } from '../payment/drg/policy.ts';
import type { DrgPricing } from '../payment/drg/price.ts';
import { priceDrgCase, priceDrgUnit } from '../payment/drg/price.ts';
import type { DrgCase, DrgWeightTable } from '../payment/drg/types.ts';
import { resolvePolicyFile } from '../payment/testing.ts';
import { drgKind } from '../policy/kinds/drg.ts';
import { poolBudget } from '../settlement/budget.ts';
import type { SettlementRules } from '../settlement/rules.ts';
import { settlePool } from '../settlement/settle.ts';
import { formatPointValue, valueOfPoints } from '../settlement/value.ts';
import { baseRateOf, withBaseRateStep, withExcessAsAmounts } from './drg-pool.ts';
import { unitResultOf, unitRow } from './results.ts';

const r = (n: number, d = 1) => ratio(BigInt(n), BigInt(d));
const table: DrgWeightTable = {
  source: 'test',
  overallMean: 1_000_000,
  weights: new Map([['A', { drg: 'A', rw: r(1), meanCost: 1_000_000, cases: 0, cv: 0 }]]),
};
const pricing = (excessInPointPool: 'points' | 'amount'): DrgPricing => ({
  mode: 'points',
  pointsPerRw: 100,
  levelCoefficients: { '3': r(1), '2': r(9, 10), '1': r(8, 10), primary: r(7, 10) },
  lowRatio: r(4, 10),
  highTiers: [{ multiple: r(3) }],
  highVariant: 'standard-plus-excess',
  excessRate: r(9, 10),
  ungrouped: 'items',
  itemsInPointPool: 'amount',
  excessInPointPool,
  sources: { method: '费率 = 预算 ÷ 总权重', baseRate: 'b', level: 'l', low: 'lo', high: '高倍率 90%', ungrouped: 'u' },
});
const kase = (setlId: string, institutionCode: string, cost: number): DrgCase => ({
  setlId,
  institutionCode,
  level: '3',
  insuranceType: 'employee',
  month: '2025-03',
  drg: 'A',
  groupStatus: 'SUCCESS',
  losDays: 5,
  died: false,
  cost,
  patientPaid: 0,
});
const cases = [
  kase('S1', 'H1', 1_000_000),
  kase('S2', 'H2', 1_200_000),
  kase('S3', 'H1', 4_000_000),
  kase('S4', 'H2', 300_000),
];
const rules: SettlementRules = {
  fundPaymentRatio: { value: { kind: 'given', ratio: r(1) }, source: '基金支付比例 1' },
  pointValue: { value: { kind: 'floating' }, source: '浮动点值' },
  provisionalPointValue: { value: { kind: 'fixed', pointValue: r(10_000) }, source: '预结算点值' },
  prepayRatio: { value: r(1), source: '预结算 100%' },
  advanceMonths: { value: { '3': r(0), '2': r(0), '1': r(0) }, source: '不预付' },
  sharing: { value: null, source: '不分担' },
  defaultAssessment: { value: r(1), source: '考核系数 1' },
};
const insts: Institution[] = [
  { code: 'H1', name: '市第一人民医院', level: '3', type: 'general', county: '150101' },
  { code: 'H2', name: '市第二人民医院', level: '3', type: 'general', county: '150101' },
];
const settle = (units: UnitResult[]) =>
  settlePool({
    poolId: 'city-drg-2025',
    region: 'city',
    year: 2025,
    units,
    budget: poolBudget({ value: { kind: 'given', amount: 4_000_000 }, source: 'test' }, 0),
    openingPointValue: { value: r(10_000), source: 'history' },
    institutions: insts,
    lastYearFundPaid: new Map(),
    deductions: [],
    assessments: [],
    rules,
  });
const unitsOf = (p: DrgPricing) => cases.map((c) => priceDrgCase(c, table, p));

describe('R-PAY-DRG a high-cost case in a point pool whose base rate comes from the budget: two readings of "standard + the excess at a policy rate"', () => {
  it('points (default): S3 claims 100 + (4 − 3) × 0.9 × 100 = 190 points, nothing as money', () => {
    const s3 = unitsOf(pricing('points'))[2]!;
    expect(s3.status).toBe('high-cost');
    expect(s3.claim).toEqual({ kind: 'points', points: 1_900_000 });
  });

  it('amount: S3 claims its standard 100 points and the excess (40,000.00 − 30,000.00) × 0.9 = 9,000.00 元 as money', () => {
    const s3 = unitsOf(pricing('amount'))[2]!;
    expect(s3.status).toBe('high-cost');
    expect(s3.claim).toEqual({ kind: 'points', points: 1_000_000, amount: 900_000 });
    // The trace arrives at both: the excess as its own step, the points as the basis.
    const excessStep = s3.explanation.find((st) => st.zh.startsWith('超出部分金额'))!;
    expect(excessStep.result).toBe('9000.00');
    expect(excessStep.values).toMatchObject({ cost: '40000.00', threshold: '30000.00', excessRate: '0.9000' });
    expect(s3.explanation.at(-1)!.result).toBe('100.0000');
    expect(s3.explanation.at(-1)!.zh).toContain('作为定额金额从点数池中先行支付');
    expect(checkResults('drg', unitsOf(pricing('amount')))).toEqual([]);
  });

  it('the normal and the low-cost cases are the same under both readings (100 points; 3,000.00 元 by items)', () => {
    for (const p of [pricing('points'), pricing('amount')]) {
      const u = unitsOf(p);
      expect([u[0]!.claim, u[1]!.claim, u[3]!.claim]).toEqual([
        { kind: 'points', points: 1_000_000 },
        { kind: 'points', points: 1_000_000 },
        { kind: 'amount', amount: 300_000 },
      ]);
    }
  });

  it('points: point value (40,000 − 3,000) ÷ 390 = 94.871795 元/点, base rate 9,487.18 元/RW; H1 27,512.82, H2 12,487.18', () => {
    const s = settle(unitsOf(pricing('points')));
    expect(s.summary.totalPoints).toBe(3_900_000);
    expect(s.summary.amountClaims).toBe(300_000);
    expect(formatPointValue(s.pointValue.pointValue)).toBe('94.871795');
    expect(formatRatio(baseRateOf(s.pointValue.pointValue, 100), 2)).toBe('9487.18');
    expect(s.institutions.map((i) => [i.institutionCode, i.gross])).toEqual([
      ['H1', 2_751_282],
      ['H2', 1_248_718],
    ]);
    // S3 alone: 190 × 94.871794… = 18,025.64.
    expect(valueOfPoints(1_900_000, s.pointValue.pointValue)).toBe(1_802_564);
  });

  it('amount: point value (40,000 − 3,000 − 9,000) ÷ 300 = 93.333333, base rate (budget − items − excess) ÷ Σ RW = 9,333.33; H1 27,666.67, H2 12,333.33', () => {
    const s = settle(unitsOf(pricing('amount')));
    expect(s.summary.totalPoints).toBe(3_000_000);
    expect(s.summary.amountClaims).toBe(1_200_000); // 3,000.00 by items + 9,000.00 of excess
    expect(formatPointValue(s.pointValue.pointValue)).toBe('93.333333');
    expect(formatRatio(baseRateOf(s.pointValue.pointValue, 100), 2)).toBe('9333.33');
    expect(s.institutions.map((i) => [i.institutionCode, i.gross])).toEqual([
      ['H1', 2_766_667],
      ['H2', 1_233_333],
    ]);
    expect(s.institutions.reduce((x, i) => x + i.gross, 0)).toBe(4_000_000);
    // S3 alone: 100 × 93.3333… + 9,000.00 = 18,333.33.
    expect(valueOfPoints(1_000_000, s.pointValue.pointValue) + 900_000).toBe(1_833_333);
  });

  it('amount: the month pays the excess beside the points (当月点数 × 预结算点值 + 定额金额): H1 March 2 × 100 × 100.00 + 9,000.00 = 29,000.00', () => {
    const s = settle(unitsOf(pricing('amount')));
    const h1 = s.months[0]!.lines.find((l) => l.institutionCode === 'H1')!;
    expect([h1.points, h1.amountClaims, h1.gross]).toEqual([2_000_000, 900_000, 2_900_000]);
  });

  it('a stored unit keeps both (points and amount columns) and reads back the same claim', () => {
    const s3 = priceDrgUnit(cases[2]!, table, pricing('amount'));
    const row = unitRow('p', s3, false);
    expect([row.points, row.amountFen]).toEqual([1_000_000, 900_000]);
    const back = unitResultOf(row).claim;
    expect([claimPoints(back), claimAmount(back)]).toEqual([1_000_000, 900_000]);
    // The default keeps the row as it was: points only, no amount.
    const d = unitRow('p', priceDrgUnit(cases[2]!, table, pricing('points')), false);
    expect([d.points, d.amountFen]).toEqual([1_900_000, null]);
  });
});

describe('R-PAY-DRG the DRG policy chooses the reading (`excessInPointPool`)', () => {
  const demo = resolvePolicyFile(drgKind, 'policies/demo/drg-2025.yaml', '2025-06-30');

  it('the demo states points, citing 资府办函〔2018〕52号 一(三) (点数法与总额预算相结合)', () => {
    expect(demo.excessInPointPool.value).toBe('points');
    expect(demo.excessInPointPool.source).toContain('52号 一(三)');
    expect(pricingFromPolicy(demo).excessInPointPool).toBe('points');
  });

  it('with amount, the settlement steps say the base rate is (budget − items − excess) ÷ Σ RW and the fixed amounts hold the excess', () => {
    const v = {
      ...demo,
      method: { value: 'base-rate' as const, source: '费率法' },
      baseRate: { value: 'budget' as const, source: '费率 = 预算 ÷ 总权重' },
      excessInPointPool: { value: 'amount' as const, source: '超出部分按金额支付' },
    };
    const s = withExcessAsAmounts(withBaseRateStep(settle(unitsOf(pricing('amount'))), v), v);
    const rate = s.steps.find((st) => st.zh.startsWith('费率 = 年度点值'))!;
    expect(rate.zh).toContain('费率 = (基金预算 − 按项目付费金额 − 高倍率病例超出部分金额) ÷ 总权重');
    expect(rate.en).toContain('base rate = (budget − items paid as money − high-cost excesses) ÷ total RW');
    expect(rate.result).toBe('9333.33 元/RW');
    const value = s.steps.find((st) => st.zh.startsWith('浮动点值'))!;
    expect(value.zh).toContain('定额结算金额含高倍率病例按金额支付的超出部分');
    expect(value.clause).toContain('超出部分按金额支付');
  });

  it('with points (default) the steps are as they were', () => {
    const v = { ...demo, method: { value: 'base-rate' as const, source: '费率法' }, baseRate: demo.baseRate };
    const s = withExcessAsAmounts(withBaseRateStep(settle(unitsOf(pricing('points'))), v), v);
    expect(s.steps.find((st) => st.zh.startsWith('费率 = 年度点值'))!.zh).toContain('费率 = 基金预算 ÷ 总权重');
  });
});

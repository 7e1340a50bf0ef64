import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileDrgPack } from '../../grouping/drg/compile.ts';
import { groupCase } from '../../grouping/drg/group-case.ts';
import { miniPack } from '../../grouping/drg/mini-pack.ts';
import { ratio } from '../../model/money.ts';
import { drgKind } from '../../policy/kinds/drg.ts';
import { resolvePolicyFile } from '../testing.ts';
import { type DrgPayableFields, drgCaseOf } from './cases.ts';
import { pricingFromPolicy } from './policy.ts';
import { type DrgPricing, impliedBaseRate, priceDrg, priceDrgCase, priceDrgUnit } from './price.ts';
import type { DrgCase, DrgWeightTable } from './types.ts';

// GZ13 with Harbin's 2024 weight: RW 0.5418, reference base rate 12,252.70 元 (employees) → mean/standard
// 0.5418 × 12,252.70 = 6,638.51 元 (reference/harbin-drg-weights/README.md).
const table: DrgWeightTable = {
  source: 'test',
  overallMean: 1_225_270,
  weights: new Map([['GZ13', { drg: 'GZ13', rw: ratio(5418n, 10000n), meanCost: 663_851, cases: 0, cv: 0 }]]),
};

const levels = { '3': ratio(1n), '2': ratio(9n, 10n), '1': ratio(8n, 10n), primary: ratio(7n, 10n) };
const common = {
  pointsPerRw: 100,
  levelCoefficients: levels,
  lowRatio: ratio(4n, 10n),
  itemsInPointPool: 'amount' as const,
  highTiers: [
    { rwBelow: ratio(1n), multiple: ratio(3n) },
    { rwBelow: ratio(2n), multiple: ratio(5n, 2n) },
    { multiple: ratio(2n) },
  ],
  highVariant: 'standard-plus-excess' as const,
  excessRate: ratio(9n, 10n),
  ungrouped: 'items' as const,
  sources: { method: 'm', baseRate: 'b', level: 'l', low: 'lo', high: 'hi', ungrouped: 'u' },
};
const baseRate: DrgPricing = { ...common, mode: 'amount', baseRate: { employee: 1_225_270, resident: 964_924 } };
const points: DrgPricing = { ...common, mode: 'points' };

const kase = (cost: number, level: DrgCase['level'] = '3'): DrgCase => ({
  setlId: 'S1',
  institutionCode: 'H1',
  level,
  insuranceType: 'employee',
  month: '2025-03',
  drg: 'GZ13',
  groupStatus: 'SUCCESS',
  losDays: 5,
  died: false,
  cost,
  patientPaid: 0,
});

describe('R-PAY-DRG base-rate method (standard = RW × 费率 × 等级系数)', () => {
  it('R-PAY-DRG: a normal case at a tertiary hospital is paid 0.5418 × 12,252.70 = 6,638.51 元', () => {
    const r = priceDrgCase(kase(500_000), table, baseRate);
    expect(r.status).toBe('paid');
    expect(r.claim).toEqual({ kind: 'amount', amount: 663_851 });
    expect(r.explanation.length).toBeGreaterThanOrEqual(3);
    // grouping, standard, basis: a normal case has no outlier step.
    expect(r.explanation.map((s) => s.clause ?? '')).toEqual(['', 'l', 'b']);
  });

  it('R-PAY-DRG: the grouping step names the grouper status in words (分组成功, 无法入组), no English enum word in zh', () => {
    const r = priceDrgCase(kase(500_000), table, baseRate);
    expect(r.explanation[0]!.zh).toBe('分组结果 GZ13（分组成功）');
    expect(r.explanation[0]!.en).toBe('grouped as GZ13 (grouped)');
    const fail = priceDrgCase({ ...kase(500_000), drg: null, groupStatus: 'FAIL' }, table, baseRate);
    expect(fail.explanation[0]!.zh).toBe('分组结果 未入组（无法入组）');
    expect(fail.explanation[0]!.en).toBe('grouped as no DRG (not groupable)');
  });

  it('R-PAY-DRG: the level coefficient 0.9 gives 6,638.51286 × 0.9 = 5,974.66 元 (half-up)', () => {
    expect(priceDrgCase(kase(500_000, '2'), table, baseRate).claim).toEqual({ kind: 'amount', amount: 597_466 });
  });

  it('R-PAY-DRG low outlier: 2,000.00 元 < 0.4 × 6,638.51 = 2,655.40 元 → paid its cost 2,000.00 元', () => {
    const r = priceDrgCase(kase(200_000), table, baseRate);
    expect(r.status).toBe('low-cost');
    expect(r.claim).toEqual({ kind: 'amount', amount: 200_000 });
  });

  it('R-PAY-DRG low outlier boundary: exactly 0.4 × mean is not low', () => {
    // 0.4 × 663,851 fen = 265,540.4 fen; 265,541 fen is above it, 265,540 below.
    expect(priceDrgCase(kase(265_541), table, baseRate).status).toBe('paid');
    expect(priceDrgCase(kase(265_540), table, baseRate).status).toBe('low-cost');
  });

  it('R-PAY-DRG high outlier (RW < 1 → 3×): 25,000.00 元 → 6,638.51 + (25,000.00 − 19,915.53) × 0.9 = 11,214.53 元', () => {
    const r = priceDrgCase(kase(2_500_000), table, baseRate);
    expect(r.status).toBe('high-cost');
    expect(r.claim).toEqual({ kind: 'amount', amount: 1_121_453 });
  });

  it('R-PAY-DRG explain: the high-cost step names the variant in words (glossary), no policy enum word in zh or en', () => {
    for (const [highVariant, zhWord, enWord] of [
      ['standard-plus-excess', '支付标准加超出部分', 'the standard plus the excess'],
      ['cap', '按界值封顶', 'capped at the threshold'],
      ['items', '按项目付费', 'fee-for-service'],
    ] as const) {
      const step = priceDrgCase(kase(2_500_000), table, { ...baseRate, highVariant }).explanation.find((s) =>
        s.zh.startsWith('高倍率病例'),
      )!;
      expect(step.zh).toContain(zhWord);
      expect(step.zh).not.toMatch(/[a-z]{3,}/);
      expect(step.en).toMatch(/^high-cost case: /);
      expect(step.en).toContain(enWord);
      expect(step.en).not.toContain(
        highVariant === 'standard-plus-excess' ? 'standard-plus-excess' : `(${highVariant})`,
      );
    }
  });

  it('R-PAY-DRG high outlier, cap variant: paid 3 × the standard = 19,915.54 元', () => {
    // u = 3 → 3 × 0.5418 × 12,252.70 = 19,915.53858 → 19,915.54 元
    const r = priceDrgCase(kase(2_500_000), table, { ...baseRate, highVariant: 'cap' });
    expect(r.claim).toEqual({ kind: 'amount', amount: 1_991_554 });
  });

  it('R-PAY-DRG: an ungrouped case is paid by items (never a silent zero), or held when the policy says so', () => {
    // Status `ungrouped` either way, so the statements count it as 未入组 (walk3 #2: it was `fallback` when paid by
    // items and the annual statement's 其中未入组病例数 said 0); its basis cites the policy's `ungrouped` clause
    // (walk3 #8: it cited the RW pricing clause).
    const items = priceDrgCase({ ...kase(300_000), drg: null, groupStatus: 'FAIL' }, table, baseRate);
    expect([items.status, items.claim]).toEqual(['ungrouped', { kind: 'amount', amount: 300_000 }]);
    expect(items.explanation.at(-1)!.clause).toBe('u');
    expect(priceDrgUnit({ ...kase(300_000), drg: null, groupStatus: 'QY' }, table, points).explanation[0]!.clause).toBe(
      'u',
    );
    // A grouped case whose DRG has no weight is no 未入组 case: it falls back to items (转按项目).
    const noWeight = priceDrgCase({ ...kase(300_000), drg: 'XX99' }, table, baseRate);
    expect([noWeight.status, noWeight.claim]).toEqual(['fallback', { kind: 'amount', amount: 300_000 }]);
    const hold = priceDrgCase({ ...kase(300_000), drg: null, groupStatus: 'FAIL' }, table, {
      ...baseRate,
      ungrouped: 'hold',
    });
    expect(hold.status).toBe('ungrouped');
  });
});

describe('R-PAY-DRG point method (points = RW × 100 × 等级系数)', () => {
  it('R-PAY-DRG: a normal case has 0.5418 × 100 = 54.1800 points; at level 2, 48.7620', () => {
    expect(priceDrgCase(kase(500_000), table, points).claim).toEqual({ kind: 'points', points: 541_800 });
    expect(priceDrgCase(kase(500_000, '2'), table, points).claim).toEqual({ kind: 'points', points: 487_620 });
  });

  it('R-PAY-DRG low outlier, paid by items: 2,000.00 元 as an amount (itemsInPointPool amount, the default)', () => {
    expect(priceDrgCase(kase(200_000), table, points).claim).toEqual({ kind: 'amount', amount: 200_000 });
  });

  it('R-PAY-DRG low outlier, points-at-mean: 54.18 × 2,000.00 / 6,638.51 = 16.3229 points, at level 2 too', () => {
    const atMean: DrgPricing = { ...points, itemsInPointPool: 'points-at-mean' };
    expect(priceDrgCase(kase(200_000), table, atMean).claim).toEqual({ kind: 'points', points: 163_229 });
    expect(priceDrgCase(kase(200_000, '2'), table, atMean).claim).toEqual({ kind: 'points', points: 163_229 });
  });

  it('R-PAY-DRG high outlier: 54.18 × (1 + (25,000.00/6,638.51 − 3) × 0.9) = 91.5271 points', () => {
    expect(priceDrgCase(kase(2_500_000), table, points).claim).toEqual({ kind: 'points', points: 915_271 });
  });

  it('R-PAY-DRG: base rate from the budget = 1,000,000.00 元 ÷ Σ RW (5,418 points = 54.18 RW) = 18,456.995 元/RW', () => {
    const rate = impliedBaseRate(100_000_000, 54_180_000, 100);
    expect(Number(rate.num) / Number(rate.den)).toBeCloseTo(1_845_699.52, 2);
  });
});

describe('R-PAY-DRG audit region (hand-computed): the level coefficient scales the standard, not what a deviating case is paid by items or beyond the threshold', () => {
  // GE19 calibrated from the audit's hand region: weighted means 12,000.00 (GE19) and 8,000.00 (all cases), RW 1.5;
  // a tertiary hospital with level coefficient 1.2; low below 0.4 × 12,000.00 = 4,800.00; high above 2.5 × 12,000.00
  // = 30,000.00 (RW 1.5 < 2), the excess at 0.8.
  const ge19: DrgWeightTable = {
    source: 'audit',
    overallMean: 800_000,
    weights: new Map([['GE19', { drg: 'GE19', rw: ratio(3n, 2n), meanCost: 1_200_000, cases: 6, cv: 0 }]]),
  };
  const coef = { ...levels, '3': ratio(6n, 5n), '2': ratio(1n) };
  const pool: DrgPricing = { ...points, levelCoefficients: coef, excessRate: ratio(4n, 5n) };
  const given: DrgPricing = {
    ...pool,
    mode: 'amount',
    baseRate: { employee: 900_000, resident: 900_000 },
  };
  const ge = (cost: number): DrgCase => ({ ...kase(cost), drg: 'GE19' });

  it('R-PAY-DRG normal: 1.5 × 100 × 1.2 = 180 points; with a base rate of 9,000.00 元: 1.5 × 9,000.00 × 1.2 = 16,200.00 元', () => {
    expect(priceDrgCase(ge(1_400_000), ge19, pool).claim).toEqual({ kind: 'points', points: 1_800_000 });
    expect(priceDrgCase(ge(1_400_000), ge19, given).claim).toEqual({ kind: 'amount', amount: 1_620_000 });
  });

  it('R-PAY-DRG low outlier 3,000.00 元 (< 4,800.00) is paid by items: 3,000.00 元 in a point pool (was 45 points = 3,000 ÷ 12,000 × 150 × 1.2)', () => {
    const r = priceDrgCase(ge(300_000), ge19, pool);
    expect([r.status, r.claim]).toEqual(['low-cost', { kind: 'amount', amount: 300_000 }]);
    expect(r.explanation.at(-1)!.zh).toBe(
      '按项目付费：病例结算金额 = 医疗总费用（作为定额金额从点数池中先行支付，不计点数）',
    );
    expect(r.explanation.at(-1)!.result).toBe('3000.00');
    // points-at-mean: 3,000 ÷ 12,000 × 1.5 × 100 = 37.5 points, no level coefficient
    const atMean = priceDrgCase(ge(300_000), ge19, { ...pool, itemsInPointPool: 'points-at-mean' });
    expect(atMean.claim).toEqual({ kind: 'points', points: 375_000 });
    // Its steps do not say it is paid its actual cost (37.5 points × the year's value is not 3,000.00).
    expect(atMean.explanation.map((s) => s.zh).join('\n')).not.toContain('按实际费用支付');
    expect(atMean.explanation.at(-2)!.en).toContain('converted to points at the DRG mean cost');
    expect(priceDrgCase(ge(300_000), ge19, given).claim).toEqual({ kind: 'amount', amount: 300_000 });
  });

  it('R-PAY-DRG high outlier 40,000.00 元: 180 + (40,000 ÷ 12,000 − 2.5) × 0.8 × 150 = 280 points (was 300: the excess × 1.2); 16,200.00 + 10,000.00 × 0.8 = 24,200.00 元', () => {
    const r = priceDrgCase(ge(4_000_000), ge19, pool);
    expect([r.status, r.claim]).toEqual(['high-cost', { kind: 'points', points: 2_800_000 }]);
    expect(r.explanation.at(-1)!.values).toMatchObject({
      rw: '1.5000',
      levelCoefficient: '1.2000',
      highMultiple: '2.50',
    });
    const money = priceDrgCase(ge(4_000_000), ge19, given);
    expect(money.claim).toEqual({ kind: 'amount', amount: 2_420_000 });
    expect(money.explanation.at(-1)!.zh).toBe('支付金额 = RW × 费率 × 等级系数 + (医疗总费用 − 界值) × 超出部分比例');
    expect(money.explanation.at(-1)!.values).toMatchObject({ threshold: '30000.00', excessRate: '0.8000' });
  });

  it('R-PAY-DRG high outlier paid by items (variant items): its cost, 40,000.00 元, in a point pool too', () => {
    const r = priceDrgCase(ge(4_000_000), ge19, { ...pool, highVariant: 'items' });
    expect(r.claim).toEqual({ kind: 'amount', amount: 4_000_000 });
  });
});

describe('only money is rounded: the DRG mean cost divides exactly (CHS-DRG 高倍率病例)', () => {
  // The same GZ13 with its exact mean 0.5418 × 12,252.70 = 6,638.51286 元 (not 6,638.51).
  const exact: DrgWeightTable = {
    ...table,
    weights: new Map([
      [
        'GZ13',
        {
          drg: 'GZ13',
          rw: ratio(5418n, 10000n),
          meanCost: 663_851,
          meanCostExact: ratio(66_385_128_6n, 1000n),
          cases: 0,
          cv: 0,
        },
      ],
    ]),
  };
  it('CHS-DRG 高倍率 points: 30,000.00 元 → (1 + (3,000,000 ÷ 663,851.286 − 3) × 0.9) × 54.18 = 128.2536 points (a rounded mean gives 128.2537)', () => {
    const r = priceDrgCase(kase(3_000_000), exact, points);
    expect(r.status).toBe('high-cost');
    expect(r.claim).toEqual({ kind: 'points', points: 1_282_536 });
    expect(priceDrgCase(kase(3_000_000), table, points).claim).toEqual({ kind: 'points', points: 1_282_537 });
  });
});

describe('R-PAY-DRG pricing without the trace (the run stores figures; explain recomputes the steps)', () => {
  const variants = (['standard-plus-excess', 'cap', 'items'] as const).flatMap((highVariant) =>
    [baseRate, points].map((p) => ({ ...p, highVariant })),
  );

  it('R-PAY-DRG: a high outlier of 30,000.00 元 priced alone gives the claim and status of the traced price', () => {
    const c = kase(3_000_000);
    expect(priceDrg(c, table, points)).toMatchObject({ kind: 'priced', status: 'high-cost' });
    expect(priceDrg(c, table, points).claim).toEqual(priceDrgCase(c, table, points).claim);
    expect(priceDrgUnit(c, table, points).explanation).toHaveLength(1);
  });

  it('R-PAY-DRG: claim, status, group and basis step equal the traced price for any cost, level, DRG and variant', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000_000 }),
        fc.constantFrom<DrgCase['level']>('3', '2', '1', 'primary'),
        fc.constantFrom<string | null>('GZ13', 'XX99', null),
        fc.constantFrom(...variants),
        fc.constantFrom<DrgPricing['ungrouped']>('items', 'hold'),
        (cost, level, drg, pricing, ungrouped) => {
          const p = { ...pricing, ungrouped };
          const c = { ...kase(cost, level), drg };
          const traced = priceDrgCase(c, table, p);
          const unit = priceDrgUnit(c, table, p);
          const { explanation: steps, ...figures } = traced;
          const { explanation: basis, ...same } = unit;
          expect(same).toEqual(figures);
          expect(basis).toEqual([
            { rule: 'R-PAY-DRG', clause: steps.at(-1)!.clause, zh: steps.at(-1)!.zh, en: steps.at(-1)!.en },
          ]);
          expect(priceDrg(c, table, p).claim).toEqual(traced.claim);
        },
      ),
      { numRuns: 300 },
    );
  });
});

// The per-case sheet of a run shows a unit's basis step only: for a case without a DRG or a weight it read
// '未入组或无权重：按项目付费' whatever the reason. It now says the grouper's reason or the DRG without weight.
describe('R-PAY-DRG a case without a DRG or without a weight says why, in zh and en (its basis step)', () => {
  const basis = (c: DrgCase, p: DrgPricing = baseRate) => {
    const unit = priceDrgUnit(c, table, p);
    // The traced price ends with the same step (explain case shows it after the grouping step).
    expect(priceDrgCase(c, table, p).explanation.at(-1)!.zh).toBe(unit.explanation[0]!.zh);
    return [unit.explanation[0]!.zh, unit.explanation[0]!.en];
  };
  const ungrouped = (groupStatus: string, ungroupedAt?: DrgCase['ungroupedAt']): DrgCase => ({
    ...kase(500_000),
    drg: null,
    groupStatus,
    ...(ungroupedAt ? { ungroupedAt } : {}),
  });

  it('a grouped DRG the weight table lacks: 病组 XX99 无权重, paid by items', () => {
    expect(basis({ ...kase(500_000), drg: 'XX99' })).toEqual([
      '病组无权重：按项目付费（病组 XX99 在权重表中无权重）',
      'no weight for the DRG: paid by items (DRG XX99 has no weight in the weight table)',
    ]);
  });

  it('the grouper’s status in words: invalid diagnosis code, no diagnosis, input check; held for review when the policy holds', () => {
    expect(basis(ungrouped('ZD_NOT_VALID'))).toEqual([
      '未入组：按项目付费（诊断编码无效）',
      'ungrouped: paid by items (invalid diagnosis code)',
    ]);
    expect(basis(ungrouped('NO_DIAGNOSIS'), { ...baseRate, ungrouped: 'hold' })).toEqual([
      '未入组：暂不支付，待审核（无诊断）',
      'ungrouped: held for review, not paid (no diagnosis)',
    ]);
    expect(basis(ungrouped('CHECK_FAILED'))[0]).toBe('未入组：按项目付费（信息校验不通过）');
    expect(basis(ungrouped('FAIL'))).toEqual([
      '未入组：按项目付费（无法入组：不满足任何 MDC 的入组条件）',
      'ungrouped: paid by items (not groupable: the case meets no MDC)',
    ]);
    // A status the grouper does not have is no identifier in zh.
    expect(basis(ungrouped('SOMETHING'))[0]).toBe('未入组：按项目付费（分组器未给出病组）');
  });

  it('through the grouper: an ambiguous case names its MDC and ambiguity group; a case in an MDC but no ADRG its MDC', () => {
    // Mini pack: MDC B gated by its principal diagnoses d1–d3; with the ambiguity check on, an OR procedure (x1)
    // that reaches B's medical ADRGs is QY → BQY (kernel.test.ts).
    const qyKernel = compileDrgPack(miniPack((p) => (p.mdcs[1]!.ambiguityCheck.enabled = true)));
    const fields: DrgPayableFields = {
      setlId: 'S1',
      institutionCode: 'H1',
      insuranceType: 'employee',
      losDays: 5,
      dischargeWay: '1',
      totalCost: 500_000,
      fundPay: 400_000,
    };
    const qy = groupCase(qyKernel, { sex: '1', age: 40, diagnoses: 'd1', procedures: 'x1' });
    expect([qy.mdc, qy.drg, qy.status]).toEqual(['MDCB', 'BQY', 'QY']);
    const qyCase = drgCaseOf(fields, '2025-03', '3', qy);
    expect([qyCase.drg, qyCase.ungroupedAt]).toEqual([null, { mdc: 'MDCB', code: 'BQY' }]);
    expect(basis(qyCase)).toEqual([
      '未入组：按项目付费（歧义病例：在 MDCB 中，手术操作与主要诊断无关，归入歧义组 BQY）',
      'ungrouped: paid by items (ambiguous case in MDCB: an OR procedure unrelated to the principal diagnosis, ambiguity group BQY)',
    ]);
    // BS1 (B's catch-all) narrowed to d2 and MDC B stopping when no ADRG matches (as kernel-options.test.ts).
    const narrow = compileDrgPack(
      miniPack((p) => {
        p.adrgs.find((a) => a.adrg === 'BS1')!.rule = { all: [{ kind: 'principalDxIn', codes: ['d2'] }] };
        p.mdcs[1]!.onNoAdrgMatch = 'fail';
      }),
    );
    const fail = groupCase(narrow, { sex: '1', age: 40, diagnoses: 'd3', procedures: '' });
    expect([fail.mdc, fail.status]).toEqual(['MDCB', 'FAIL']);
    expect(basis(drgCaseOf(fields, '2025-03', '3', fail))).toEqual([
      '未入组：按项目付费（无法入组：进入 MDCB，但不满足其任何 ADRG 的入组条件）',
      'ungrouped: paid by items (not groupable: the case reaches MDCB but meets none of its ADRGs)',
    ]);
    // A grouped case carries no such place.
    const ok = groupCase(qyKernel, { sex: '1', age: 40, diagnoses: 'd1', procedures: 'p5' });
    expect(drgCaseOf(fields, '2025-03', '3', ok).ungroupedAt).toBeUndefined();
  });

  it('no English status word in any zh reason', () => {
    for (const status of [
      'FAIL',
      'CHECK_FAILED',
      'QY',
      'ZD_NOT_MAPPING',
      'SS_NOT_VALID',
      'MAIN_ZD_NOT_MDC',
      'ZD_GRAY',
    ]) {
      const [zh] = basis(ungrouped(status, status === 'QY' ? { mdc: 'MDCG', code: 'GQY' } : undefined));
      expect(zh).not.toMatch(/FAIL|CHECK|QY[^）]|ZD_|SS_|MAIN_/);
    }
  });
});

describe('R-PAY-DRG the clause a normal case’s basis cites', () => {
  const demo = resolvePolicyFile(drgKind, 'policies/demo/drg-2025.yaml', '2025-06-30');
  const clause = (v: typeof demo) => {
    const p = pricingFromPolicy(v);
    return drgBasisStepOf(p);
  };
  const drgBasisStepOf = (p: DrgPricing) => priceDrgUnit(kase(500_000), table, p).explanation[0]!.clause;

  it('the point method: its method clause (示范细则 第八条)', () => {
    expect(clause(demo)).toBe(demo.method.source);
  });
  it('a base rate from the budget (paid as points): the method and the base-rate clause, 费率 = 预算 ÷ 总权重', () => {
    const v = {
      ...demo,
      method: { ...demo.method, value: 'base-rate' as const, source: '按费率付费：支付标准 = RW × 费率' },
      baseRate: { ...demo.baseRate, value: 'budget' as const, source: '费率 = 基金预算 ÷ 总权重' },
    };
    expect(clause(v)).toBe('按费率付费：支付标准 = RW × 费率; 费率 = 基金预算 ÷ 总权重');
  });
});

describe('R-PAY-DRG base rate in the case explanation, in the reader’s words (walk5 #6)', () => {
  it('a case at the walk5 region’s fixed 10,000.00 元/RW reads 费率 = 10000.00 (zh) and base rate = 10000.00 (en)', async () => {
    const { renderExplanation } = await import('../../model/explain.ts');
    const fixed: DrgPricing = { ...common, mode: 'amount', baseRate: { employee: 1_000_000, resident: 1_000_000 } };
    const r = priceDrgCase(kase(500_000), table, fixed);
    const e = { subject: 'case S1', steps: r.explanation };
    const zh = renderExplanation(e, 'zh');
    const en = renderExplanation(e, 'en');
    expect(zh).toContain('费率 = 10000.00');
    expect(en).toContain('base rate = 10000.00');
    expect(`${zh}\n${en}`).not.toContain('baseRate');
  });
});

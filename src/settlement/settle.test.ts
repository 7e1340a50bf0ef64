import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Institution } from '../model/institution.ts';
import { fenToYuan, type Ratio, ratio } from '../model/money.ts';
import type { UnitResult } from '../model/unit-result.ts';
import { toCsv } from '../report/csv.ts';
import { annualTable, monthlyTable } from '../report/settlement-rows.ts';
import { startOfYearAdvance } from './advance.ts';
import { poolBudget } from './budget.ts';
import type { SettlementError } from './errors.ts';
import { explainSettlement } from './explain.ts';
import { preSettleMonth, QUOTA_CAP_ZH } from './monthly.ts';
import { openingPointValue, yearEndPointValue } from './point-value.ts';
import { PoolAccumulator, sumPool } from './pool.ts';
import type { SettlementRules } from './rules.ts';
import { type PoolInput, settlePool, settlePoolTotals } from './settle.ts';
import { formatPointValue } from './value.ts';

const yuan = (y: number) => Math.round(y * 100);
const pts = (p: number) => Math.round(p * 10_000);
const r = (n: number, d = 1): Ratio => ratio(BigInt(n), BigInt(d));

const rules = (over: Partial<SettlementRules> = {}): SettlementRules => ({
  fundPaymentRatio: { value: { kind: 'given', ratio: r(3, 4) }, source: '技术规范 基金支付比例 75%' },
  pointValue: { value: { kind: 'floating' }, source: '002 四(三) 年终点值' },
  provisionalPointValue: { value: { kind: 'fixed', pointValue: r(1000) }, source: '002 四(三) 预结算点值 10 元' },
  prepayRatio: { value: r(9, 10), source: '技术规范 预结算 90%' },
  advanceMonths: { value: { '3': r(1), '2': r(1), '1': r(1, 2) }, source: '000 §4 预付 1 个月' },
  sharing: { value: null, source: '不分担' },
  defaultAssessment: { value: r(1), source: '考核系数 1' },
  ...over,
});

function unit(id: string, inst: string, month: string, points: number, billed = 0, patientPaid = 0): UnitResult {
  return {
    unitId: id,
    institutionCode: inst,
    month,
    method: 'dip',
    group: 'G',
    status: 'paid',
    claim: { kind: 'points', points },
    billed,
    patientPaid,
    explanation: [],
  };
}

const insts: Institution[] = [
  { code: 'A', name: 'A', level: '3', type: 'general', county: '1' },
  { code: 'B', name: 'B', level: '2', type: 'general', county: '1' },
];

describe('point values (R-DIP-6)', () => {
  it('R-DIP-6: opening-year point value = Σ w × cost ÷ Σ w × points with weights 1:2:7', () => {
    // 2022: 1 000 000 yuan / 100 000 points; 2023: 1 200 000 / 110 000; 2024: 1 500 000 / 125 000.
    // (1 000 000 + 2 400 000 + 10 500 000) ÷ (100 000 + 220 000 + 875 000) = 13 900 000 ÷ 1 195 000
    // = 11.631799… yuan per point.
    const v = openingPointValue(
      [
        { year: 2022, weight: r(1), cost: yuan(1_000_000), points: pts(100_000) },
        { year: 2023, weight: r(2), cost: yuan(1_200_000), points: pts(110_000) },
        { year: 2024, weight: r(7), cost: yuan(1_500_000), points: pts(125_000) },
      ],
      '002 四(二)',
    );
    expect(formatPointValue(v.value, 6)).toBe('11.631799');
    expect(v.value).toEqual(ratio(1_390_000_000n, 1_195_000n)); // fen per point, exact
  });

  it('R-DIP-6: history without points says which years and what to check (the institution list among them)', () => {
    const none = [
      { year: 2023, weight: r(1), cost: yuan(0), points: pts(0) },
      { year: 2024, weight: r(2), cost: yuan(0), points: pts(0) },
    ];
    expect(() => openingPointValue(none, '002 四(二)')).toThrow(
      /历史年度（2023、2024）没有点数.*yibao ingest institutions/,
    );
    expect(() => openingPointValue(none, '002 四(二)')).toThrow(/years 2023, 2024\).*institution list/);
  });

  it('R-DIP-6: year-end point value = (fund ÷ fund payment ratio) ÷ total points', () => {
    // 9 000 000 ÷ 0.75 = 12 000 000 yuan over 1 000 000 points = 12 yuan per point.
    const v = yearEndPointValue({
      fund: yuan(9_000_000),
      fundPaymentRatio: r(3, 4),
      totalPoints: pts(1_000_000),
      amountClaims: 0,
      rule: { value: { kind: 'floating' }, source: '002 四(三)' },
      openingPointValue: r(1000),
    });
    expect(formatPointValue(v.pointValue, 4)).toBe('12.0000');
  });

  it('R-DIP-6: fixed amounts above the pool value (fund ÷ fund payment ratio) are refused with the figures to check', () => {
    // 1 500 ÷ 0.75 = 2 000 yuan of pool value against 2 291 yuan of fixed amounts.
    const settle = () =>
      yearEndPointValue({
        fund: yuan(1_500),
        fundPaymentRatio: r(3, 4),
        totalPoints: pts(100),
        amountClaims: yuan(2_291),
        rule: { value: { kind: 'floating' }, source: '002 四(三)' },
        openingPointValue: r(1000),
      });
    let e: SettlementError | undefined;
    try {
      settle();
    } catch (x) {
      e = x as SettlementError;
    }
    expect(e?.code).toBe('AMOUNTS_EXCEED_FUND');
    expect(e?.zh).toBe(
      '定额结算金额 2291.00 元超过基金可分配额 2000.00 元（基金预算 1500.00 元 ÷ 基金支付比例 0.75）：请核对结算政策文件中的基金预算，以及所用政策文件夹是否为本统筹区的',
    );
    expect(e?.en).toContain("exceed the pool's value 2000.00 yuan (fund 1500.00 yuan ÷ fund payment ratio 0.75)");
  });

  it('R-DIP-6: elastic 8:2 = 0.8 × fixed 10 + 0.2 × floating 12 = 10.4 yuan per point', () => {
    const v = yearEndPointValue({
      fund: yuan(9_000_000),
      fundPaymentRatio: r(3, 4),
      totalPoints: pts(1_000_000),
      amountClaims: 0,
      rule: { value: { kind: 'elastic', fixedShare: r(4, 5) }, source: '弹性点值 8:2' },
      openingPointValue: r(1000),
    });
    expect(formatPointValue(v.pointValue, 4)).toBe('10.4000');
  });

  it('R-DIP-6: fixed amounts (special review by items) are valued first, points share the rest', () => {
    // 12 000 000 − 600 000 = 11 400 000 yuan over 1 000 000 points = 11.4 yuan per point.
    const v = yearEndPointValue({
      fund: yuan(9_000_000),
      fundPaymentRatio: r(3, 4),
      totalPoints: pts(1_000_000),
      amountClaims: yuan(600_000),
      rule: { value: { kind: 'floating' }, source: '002 四(三)' },
      openingPointValue: r(1000),
    });
    expect(formatPointValue(v.pointValue, 4)).toBe('11.4000');
  });
});

describe('budget (R-BUD-2) and advance (R-BUD-5)', () => {
  it('R-BUD-2: revenue − reserve − listed deductions', () => {
    // 100 000 000 − 3 % reserve 3 000 000 − (outpatient 20 000 000 + out-of-region 5 000 000 + critical illness
    // 4 000 000) = 68 000 000 yuan.
    const b = poolBudget({
      value: {
        kind: 'items',
        revenue: yuan(100_000_000),
        reserveRatio: r(3, 100),
        deductions: [
          { item: '普通门诊统筹', amount: yuan(20_000_000) },
          { item: '统筹区域外就医', amount: yuan(5_000_000), source: '002 四(一)' },
          { item: '大病保险', en: 'critical illness insurance', amount: yuan(4_000_000), source: '002 四(一)' },
        ],
      },
      source: '002 四(一)',
    });
    expect(fenToYuan(b.fund)).toBe('68000000.00');
    expect(b.steps[0]!.rule).toBe('R-BUD-2');
    // An item's English name (the policy's `en`) rides in its key for en output; none: the key as before.
    expect(Object.keys(b.steps[0]!.values!).slice(3)).toEqual([
      '扣除 普通门诊统筹',
      '扣除 统筹区域外就医 (002 四(一))',
      '扣除 大病保险 [critical illness insurance] (002 四(一))',
    ]);
  });

  it('R-BUD-5: advance = last year ÷ 12 × months (half-up)', () => {
    // 1 200 000.01 yuan ÷ 12 × 1 = 100 000.000833… → 100 000.00; level 1 at 0.5 month → 50 000.00.
    const months = { value: { '3': r(1), '1': r(1, 2) }, source: '000 §4' };
    expect(startOfYearAdvance(120_000_001, '3', months).advance).toBe(10_000_000);
    expect(startOfYearAdvance(120_000_001, '1', months).advance).toBe(5_000_000);
    expect(startOfYearAdvance(120_000_001, '2', months).advance).toBe(0);
    // glossary: 年初预付 is the start-of-year advance in en
    expect(startOfYearAdvance(120_000_001, '3', months).step.en).toBe(
      'start-of-year advance = last year’s fund payment ÷ 12 × months by level (half-up); recovered at the year end',
    );
  });
});

describe('monthly pre-settlement (R-DIP-6)', () => {
  it('R-DIP-6: (points × provisional value − patient payments) × 90 % − deductions', () => {
    // 1000 points × 10 yuan = 10 000; − patients 2 500 = 7 500; × 0.9 = 6 750 (deposit 750); − audit 300 = 6 450.
    const pool = sumPool([
      unit('u1', 'A', '2025-03', pts(600), 0, yuan(1_500)),
      unit('u2', 'A', '2025-03', pts(400), 0, yuan(1_000)),
    ]);
    const m = preSettleMonth({
      month: '2025-03',
      byInstitution: pool.byMonth.get('2025-03')!,
      rules: rules(),
      openingPointValue: { value: r(1000), source: '年初点值' },
      deductions: new Map([
        [
          'A',
          [{ institutionCode: 'A', period: '2025-03', amount: yuan(300), reason: '审核扣款', source: '稽核 1 号' }],
        ],
      ]),
    });
    const a = m.lines[0]!;
    expect([a.value, a.gross, a.prepay, a.deposit, a.deductions, a.payment].map(fenToYuan)).toEqual([
      '10000.00',
      '7500.00',
      '6750.00',
      '750.00',
      '300.00',
      '6450.00',
    ]);
  });

  it('R-DIP-6: monthly quota: institutions’ gross adds up to last year ÷ 12 × ratio exactly', () => {
    // last year 12 000 000.00 → quota 1 000 000 × 0.9 = 900 000.00 yuan, split over 3 institutions.
    const units = [
      unit('u1', 'A', '2025-01', pts(333.3333), 0, yuan(1000)),
      unit('u2', 'B', '2025-01', pts(333.3333), 0, yuan(2000)),
      unit('u3', 'C', '2025-01', pts(333.3334), 0, yuan(0.01)),
    ];
    const m = preSettleMonth({
      month: '2025-01',
      byInstitution: sumPool(units).byMonth.get('2025-01')!,
      rules: rules({
        provisionalPointValue: { value: { kind: 'monthly-quota', quotaRatio: r(9, 10) }, source: '002 四(三)' },
      }),
      openingPointValue: { value: r(1000), source: '年初点值' },
      lastYearFundPaid: yuan(12_000_000),
      deductions: new Map(),
    });
    expect(m.quota).toBe(yuan(900_000));
    expect(m.lines.reduce((s, l) => s + l.gross, 0)).toBe(yuan(900_000));
    // quota value = 900 000 + 3 000.01 patients = 903 000.01 yuan over 1000 points = 903.00001 yuan/point;
    // capped at the opening 10 yuan/point: A's 333.3333 points → 3333.33 yuan − 1000 = 2333.33.
    const capped = preSettleMonth({
      month: '2025-01',
      byInstitution: sumPool(units).byMonth.get('2025-01')!,
      rules: rules({
        provisionalPointValue: {
          value: { kind: 'monthly-quota', quotaRatio: r(9, 10), capAtOpening: true },
          source: '002 四(三)',
        },
      }),
      openingPointValue: { value: r(1000), source: '年初点值' },
      lastYearFundPaid: yuan(12_000_000),
      deductions: new Map(),
    });
    expect(formatPointValue(capped.pointValue, 4)).toBe('10.0000');
    expect(fenToYuan(capped.lines[0]!.gross)).toBe('2333.33');
  });
});

// `explain settlement … --period 2025-01` read "(预结算总额 + 患者负担 − 定额金额) ÷ 当月总点数 → 11.842330 元/点": the
// capped value as the formula's result, without 定额金额 among the values (R-DIP-6, 002 四(三) 月度预结算总额).
describe('the month’s pre-settlement point value, explained (R-DIP-6 monthly quota)', () => {
  // A: 1,000 points, patients paid 1,000.00; B: a fixed amount of 500.00, patients paid 200.00.
  // quota = 1,200,000.00 ÷ 12 × 0.9 = 90,000.00; (90,000.00 + 1,200.00 − 500.00) ÷ 1,000 points = 90.700000 元/点;
  // capped at the opening 10.000000 元/点.
  const units = [
    unit('a', 'A', '2025-01', pts(1000), 0, yuan(1000)),
    { ...unit('b', 'B', '2025-01', 0, 0, yuan(200)), claim: { kind: 'amount' as const, amount: yuan(500) } },
  ];
  const month = (capAtOpening: boolean) =>
    preSettleMonth({
      month: '2025-01',
      byInstitution: sumPool(units).byMonth.get('2025-01')!,
      rules: rules({
        provisionalPointValue: {
          value: { kind: 'monthly-quota', quotaRatio: r(9, 10), capAtOpening },
          source: '002 四(三) 月度预结算总额',
        },
      }),
      openingPointValue: { value: r(1000), source: '年初点值' },
      lastYearFundPaid: yuan(1_200_000),
      deductions: new Map(),
    });

  it('the quota step gives the month’s budget share, patients’ payments, fixed amounts and points, and its own result', () => {
    const [quota, cap] = month(true).steps;
    expect(quota!.values).toEqual({
      上年度基金支付: '1200000.00',
      比例: '0.9',
      月度预结算总额: '90000.00',
      患者负担: '1200.00',
      当月定额金额: '500.00',
      当月总点数: '1000.0000',
      // the value the policy's cap compares with (walk6 #4)
      年初点值: '10.000000',
    });
    expect(quota!.result).toBe('90.700000 元/点');
    expect(cap!.values).toEqual({ 按总额测算的点值: '90.700000', 年初点值: '10.000000' });
    expect(cap!.result).toBe('10.000000 元/点');
    // Below the opening value there is no cap step.
    expect(month(false).steps.map((x) => x.result)).toEqual(['90.700000 元/点']);
  });

  // walk6 #4: a month's 确定方法 could not say which rule fixed its value — the step did not say whether the policy caps
  // at the opening point value. It says so now, in zh and en; without the cap, no 年初点值 among its values.
  it('the quota step says whether the policy caps at the opening point value, zh and en', () => {
    const [capped] = month(true).steps;
    expect(capped!.zh.endsWith(`；${QUOTA_CAP_ZH.cap}`)).toBe(true);
    expect(capped!.en).toContain('; above the opening point value, the opening value (the policy caps at it)');
    const [free] = month(false).steps;
    expect(free!.zh.endsWith(`；${QUOTA_CAP_ZH.none}`)).toBe(true);
    expect(free!.en).toContain('; the policy sets no cap at the opening point value');
    expect(free!.values).not.toHaveProperty('年初点值');
  });

  // `explain settlement H --period 2025` listed each month's line with 预结算点值 = 11.767343, 9.884984 … and nothing
  // saying how the pool set it: the year shows the month's stored steps, headed by the month, before its line.
  it('the year’s explanation says before each month how its point value was set (the stored steps, read)', () => {
    const s = settlePool(
      twoInstitutionPool({
        rules: rules({
          provisionalPointValue: {
            value: { kind: 'monthly-quota', quotaRatio: r(9, 10), capAtOpening: true },
            source: '002 四(三) 月度预结算总额',
          },
        }),
      }),
    );
    const steps = explainSettlement(s, 'A', '2025').steps;
    for (const m of ['2025-01', '2025-02']) {
      const line = steps.findIndex((x) => x.values?.月份 === m && x.values?.预结算额 !== undefined);
      const pool = s.months.find((x) => x.month === m)!.steps;
      expect(steps.slice(line - pool.length, line)).toEqual(
        pool.map((x) => ({ ...x, values: { 月份: m, ...x.values } })),
      );
    }
    expect(steps.filter((x) => x.values?.月度预结算总额 !== undefined)).toHaveLength(2);
    // The month asked for alone reads as before: the pool's steps, then the line.
    expect(explainSettlement(s, 'A', '2025-02').steps[0]).toEqual(
      s.months.find((x) => x.month === '2025-02')!.steps[0],
    );
  });
});

// Audit region, March 2025 (hand-computed): quota = 24,500.00 ÷ 12 × 0.9 = 1,837.50; H1's only case is a low-cost
// case paid its cost (6,000.00, patients paid 1,800.00); H2 has 500 points, patients paid nothing. The fixed amount
// exceeds quota + patients' payments (3,637.50) by 2,362.50: 002 四(三) reads two ways (R-DIP-6, 月度预结算总额).
describe('R-DIP-6 a month whose fixed amounts exceed its quota (monthly-quota overQuota)', () => {
  const units = [
    { ...unit('c03', 'H1', '2025-03', 0, 0, yuan(1800)), claim: { kind: 'amount' as const, amount: yuan(6000) } },
    unit('c10', 'H2', '2025-03', pts(500), 0, 0),
  ];
  const march = (overQuota?: 'pay-fixed' | 'cap') =>
    preSettleMonth({
      month: '2025-03',
      byInstitution: sumPool(units).byMonth.get('2025-03')!,
      rules: rules({
        prepayRatio: { value: r(95, 100), source: '保证金 5%' },
        provisionalPointValue: {
          value: { kind: 'monthly-quota', quotaRatio: r(9, 10), ...(overQuota ? { overQuota } : {}) },
          source: '002 四(三) 月度预结算总额',
        },
      }),
      openingPointValue: { value: r(800), source: '年初点值' },
      lastYearFundPaid: yuan(24_500),
      deductions: new Map(),
    });

  it('pay-fixed (default): H1 is paid its cost, 6,000.00 − 1,800.00 = 4,200.00 × 0.95 = 3,990.00; H2’s points get 0; the step says the quota is exceeded by 2,362.50', () => {
    const m = march();
    expect(m.lines.map((l) => [l.gross, l.prepay].map(fenToYuan))).toEqual([
      ['4200.00', '3990.00'],
      ['0.00', '0.00'],
    ]);
    const over = m.steps.find((s) => s.values?.超出金额 !== undefined)!;
    expect(over.values).toMatchObject({ 月度预结算总额: '1837.50', 患者负担: '1800.00', 超出金额: '2362.50' });
    expect(over.zh).toContain('定额金额照付');
    expect(over.en).toContain('paid in full');
    expect(march('pay-fixed').lines.map((l) => l.gross)).toEqual(m.lines.map((l) => l.gross));
  });

  it('cap: the month stays within its quota: H1 1,837.50 + 1,800.00 − 1,800.00 = 1,837.50 × 0.95 = 1,745.63 (half-up), deposit 91.87', () => {
    const m = march('cap');
    expect(m.lines.map((l) => [l.gross, l.prepay, l.deposit].map(fenToYuan))).toEqual([
      ['1837.50', '1745.63', '91.87'],
      ['0.00', '0.00', '0.00'],
    ]);
    expect(m.lines.reduce((s, l) => s + l.gross, 0)).toBe(m.quota);
    expect(m.steps.find((s) => s.values?.超出金额 !== undefined)!.zh).toContain('不超过月度预结算总额');
  });
});

function twoInstitutionPool(over: Partial<PoolInput> = {}): PoolInput {
  // A: 600 000 points, B: 400 000 points, spread over two months; fund 9 000 000, ratio 0.75 → 12 yuan/point.
  return {
    poolId: 'test',
    region: 'test',
    year: 2025,
    units: [
      unit('a1', 'A', '2025-01', pts(300_000), yuan(3_500_000), yuan(900_000)),
      unit('a2', 'A', '2025-02', pts(300_000), yuan(3_500_000), yuan(900_000)),
      unit('b1', 'B', '2025-01', pts(400_000), yuan(5_000_000), yuan(1_200_000)),
    ],
    budget: { fund: yuan(9_000_000), steps: [] },
    openingPointValue: { value: r(1000), source: '年初点值 10 元' },
    institutions: insts,
    lastYearFundPaid: new Map([
      ['A', yuan(4_800_000)],
      ['B', yuan(3_600_000)],
    ]),
    deductions: [
      { institutionCode: 'A', period: '2025', amount: yuan(20_000), reason: '年度稽核', source: '稽核 2 号' },
    ],
    assessments: [{ institutionCode: 'A', coefficient: r(98, 100), source: '2025 年度考核' }],
    rules: rules(),
    ...over,
  };
}

describe('year-end amount and clearing (R-DIP-6)', () => {
  it('R-DIP-6: year-end = Σ points × point value × ratio × assessment − deductions; clearing = − monthly − advance', () => {
    // A: 600 000 × 12 × 0.75 = 5 400 000; × 0.98 = 5 292 000; − 20 000 = 5 272 000 yuan.
    // A's months (provisional 10 yuan): Jan 300 000 × 10 − 900 000 = 2 100 000 × 0.9 = 1 890 000; Feb the same →
    // monthly paid 3 780 000. Advance (level 3, 1 month): 4 800 000 ÷ 12 = 400 000.
    // Clearing = 5 272 000 − 3 780 000 − 400 000 = 1 092 000 yuan.
    const s = settlePool(twoInstitutionPool());
    const a = s.institutions.find((i) => i.institutionCode === 'A')!;
    expect(formatPointValue(s.pointValue.pointValue, 4)).toBe('12.0000');
    expect([a.gross, a.afterAssessment, a.yearEnd, a.monthlyPaid, a.advance, a.clearing].map(fenToYuan)).toEqual([
      '5400000.00',
      '5292000.00',
      '5272000.00',
      '3780000.00',
      '400000.00',
      '1092000.00',
    ]);
    // B: 400 000 × 12 × 0.75 = 3 600 000, assessment 1; monthly (400 000 × 10 − 1 200 000) × 0.9 = 2 520 000;
    // advance 3 600 000 ÷ 12 = 300 000 → clearing 780 000.
    const b = s.institutions.find((i) => i.institutionCode === 'B')!;
    expect([b.yearEnd, b.monthlyPaid, b.advance, b.clearing].map(fenToYuan)).toEqual([
      '3600000.00',
      '2520000.00',
      '300000.00',
      '780000.00',
    ]);
    expect(s.summary.allocated).toBe(yuan(9_000_000));
  });

  it('R-DIP-6: overspend against item billing shared by bands before the assessment', () => {
    // B: DIP gross 3 600 000; item billing fund share 5 000 000 − 1 200 000 = 3 800 000 → overspend 200 000
    // (5.6 % of 3 600 000, inside the first 10 % band, fund bears 50 % = 100 000) → 3 700 000.
    const s = settlePool(
      twoInstitutionPool({
        rules: rules({
          sharing: {
            value: {
              surplus: [{ institutionShare: r(1) }],
              overspend: [{ upTo: r(1, 10), fundShare: r(1, 2) }, { fundShare: r(0) }],
              source: '示范细则 第十三条',
            },
            source: '示范细则 第十三条',
          },
        }),
      }),
    );
    const b = s.institutions.find((i) => i.institutionCode === 'B')!;
    expect(fenToYuan(b.afterSharing)).toBe('3700000.00');
    // A: gross 5 400 000 vs items 2 × (3 500 000 − 900 000) = 5 200 000 → surplus 200 000, kept in full.
    const a = s.institutions.find((i) => i.institutionCode === 'A')!;
    expect(fenToYuan(a.afterSharing)).toBe('5400000.00');
  });

  it('every institution line carries an explanation with R-IDs and clauses; JSON-able', () => {
    const s = settlePool(twoInstitutionPool());
    const e = explainSettlement(s, 'A', '2025');
    expect(e.steps.map((x) => x.rule)).toEqual(expect.arrayContaining(['R-BUD-5', 'R-DIP-6']));
    expect(e.steps.every((x) => x.zh && x.en)).toBe(true);
    expect(e.steps.at(-1)!.result).toBe('1092000.00');
    expect(JSON.parse(JSON.stringify(e))).toEqual(e);
    expect(explainSettlement(s, 'A', '2025-02').steps.at(-1)!.result).toBe('1890000.00');
  });

  // `yibao explain settlement H9 --period 2025` said 池 city01-dip-2025 中没有机构 H9 and nothing a reader could act on;
  // a month without discharges said 没有月预结算 (glossary: 月度预结算).
  it('R-DIP-6: an unknown institution, month or period is refused with what there is, in zh and en', () => {
    const s = settlePool(twoInstitutionPool());
    const error = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return e as SettlementError;
      }
      throw new Error('no error');
    };
    const inst = error(() => explainSettlement(s, 'H9', '2025'));
    expect(inst.code).toBe('UNKNOWN_INSTITUTION');
    expect(inst.zh).toBe(`点数池 ${s.poolId} 中没有机构 H9；本年度结算的机构：A、B（检查机构编码）`);
    expect(inst.en).toBe(
      `no institution H9 in point pool ${s.poolId}; institutions settled this year: A, B (check the institution code)`,
    );
    const months = s.institutions.find((i) => i.institutionCode === 'A')!.monthly.map((l) => l.month);
    const month = error(() => explainSettlement(s, 'A', '2025-12'));
    expect(months).not.toContain('2025-12');
    expect(month.zh).toBe(
      `机构 A 在 2025-12 没有月度预结算（当月无出院病例）；有月度预结算的月份：${months.join('、')}；全年用 --period 2025`,
    );
    expect(month.en).toContain(`months with one: ${months.join(', ')}; the whole year: --period 2025`);
    const period = error(() => explainSettlement(s, 'A', '2024'));
    expect(period.zh).toBe('期间 2024 不属于 2025 年度：写 2025（全年）或 2025-MM（某月）');
  });
});

describe('properties (fast-check)', () => {
  const arbPool = fc.record({
    fund: fc.integer({ min: 0, max: 5_000_000_000_000 }),
    units: fc.array(
      fc.record({
        inst: fc.constantFrom('A', 'B', 'C', 'D', 'E'),
        month: fc.integer({ min: 1, max: 12 }),
        points: fc.integer({ min: 0, max: 50_000_000 }),
        billed: fc.integer({ min: 1, max: 100_000_000 }),
      }),
      { minLength: 1, maxLength: 60 },
    ),
    fprNum: fc.integer({ min: 1, max: 100 }),
  });
  const build = (p: {
    fund: number;
    units: { inst: string; month: number; points: number; billed: number }[];
    fprNum: number;
  }) =>
    twoInstitutionPool({
      budget: { fund: p.fund, steps: [] },
      units: p.units.map((u, i) =>
        unit(
          `u${String(i).padStart(3, '0')}`,
          u.inst,
          `2025-${String(u.month).padStart(2, '0')}`,
          u.points,
          u.billed,
          Math.floor(u.billed / 3),
        ),
      ),
      deductions: [],
      assessments: [],
      rules: rules({ fundPaymentRatio: { value: { kind: 'given', ratio: r(p.fprNum, 100) }, source: 'x' } }),
    });
  const json = (x: unknown) => JSON.stringify(x, (_k, v) => (typeof v === 'bigint' ? v.toString() : v));

  it('R-DIP-6: Σ institutions’ year-end amounts = the DIP fund to the fen (floating value, no sharing/deductions)', () => {
    fc.assert(
      fc.property(arbPool, (p) => {
        const s = settlePool(build(p));
        const total = s.institutions.reduce((acc, i) => acc + i.yearEnd, 0);
        if (s.summary.totalPoints > 0) expect(total).toBe(p.fund);
        else expect(total).toBe(0);
      }),
      { numRuns: 200 },
    );
  });

  it('rerun gives identical results and the order of units does not matter', () => {
    fc.assert(
      fc.property(arbPool, fc.integer(), (p, seed) => {
        const input = build(p);
        const a = json(settlePool(input));
        expect(json(settlePool(input))).toBe(a);
        const shuffled = [...input.units].sort((x, y) => (hash(x.unitId, seed) - hash(y.unitId, seed)) | 0);
        expect(json(settlePool({ ...input, units: shuffled }))).toBe(a);
      }),
      { numRuns: 50 },
    );
  });

  it('R-DIP-6: the pool accumulator fed in any batches settles to the same fen as the whole array', () => {
    fc.assert(
      fc.property(arbPool, fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 6 }), (p, sizes) => {
        const input = build(p);
        const a = json(settlePool(input));
        const { units, ...rest } = input;
        const acc = new PoolAccumulator({ poolId: input.poolId, year: input.year });
        let at = 0;
        for (let k = 0; at < units.length; k++) {
          const n = sizes[k % sizes.length]!;
          acc.add(units.slice(at, at + n));
          at += n;
        }
        expect(json(settlePoolTotals({ ...rest, totals: acc.totals() }))).toBe(a);
        expect(json(acc.totals())).toBe(json(sumPool(units)));
      }),
      { numRuns: 50 },
    );
  });

  it('R-DIP-6: a unit outside the pool’s year is refused as it is added (excluded units too)', () => {
    const acc = new PoolAccumulator({ poolId: 'p', year: 2025 });
    acc.add([unit('a', 'A', '2025-12', 10)]);
    expect(() => acc.add([{ ...unit('b', 'A', '2024-12', 10), status: 'excluded' }])).toThrow(
      /UNIT_OUT_OF_PERIOD|outside 2025/,
    );
  });
});

function hash(s: string, seed: number): number {
  let h = seed | 0;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h;
}

describe('a month without points (R-DIP-6, monthly-quota rule)', () => {
  it('sets no pre-settlement point value: text "—", a blank cell in the monthly sheet (zh and en), not 0.000000', () => {
    // A has points in January only; in February its one case is a fixed amount (single-disease, 5 000.00 yuan), so
    // the pool's February has 0 points and the quota rule sets no point value (0 stands in for it).
    const fixed: UnitResult = {
      ...unit('a3', 'A', '2025-02', 0, yuan(6_000), yuan(1_000)),
      method: 'single-disease',
      claim: { kind: 'amount', amount: yuan(5_000) },
    };
    const input = twoInstitutionPool({
      units: [unit('a1', 'A', '2025-01', pts(300_000), yuan(3_500_000), yuan(900_000)), fixed],
      rules: rules({
        provisionalPointValue: { value: { kind: 'monthly-quota', quotaRatio: r(9, 10) }, source: '002 四(三)' },
      }),
    });
    const s = settlePool(input);
    const feb = s.months.find((m) => m.month === '2025-02')!;
    expect(feb.pointValue.num).toBe(0n);
    expect(feb.steps[0]!.result).toBe('—');
    const line = feb.lines.find((l) => l.institutionCode === 'A')!;
    expect(line.steps[0]!.values!.预结算点值).toBe('—');
    // January keeps its point value, as text and in the sheet.
    const jan = s.months.find((m) => m.month === '2025-01')!;
    expect(jan.steps[0]!.result).toMatch(/^\d+\.\d{6} 元\/点$/);
    const t = monthlyTable(s);
    const rows = [...t.rows];
    const cell = (month: string) => rows.find((x) => x.institution === 'A' && x.month === month)!.pointValue;
    expect(cell('2025-02')).toBeNull();
    expect(cell('2025-01')).toMatch(/^\d+\.\d{6}$/);
    const csv = (lang: 'zh' | 'en') => toCsv({ ...monthlyTable(s), rows }, lang).split('\r\n');
    const [zhHead, ...zh] = csv('zh');
    const at = zhHead!.split(',').indexOf('预结算点值（元/点）');
    expect(zh.find((l) => l.startsWith('A,,2025-02'))!.split(',')[at]).toBe('');
    // en: the monthly 应预结算 and the annual 年度应付 are two figures with two names (neither a bare "gross").
    const enHead = csv('en')[0]!.split(',');
    expect(enHead).toContain('pre-settlement due');
    expect(enHead).not.toContain('gross');
    expect(annualTable(s).columns.find((c) => c.key === 'gross')!.en).toBe(
      'payable for the year ((points × point value + fixed amounts) × fund payment ratio)',
    );
  });
});

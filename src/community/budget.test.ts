import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareRatios, ratio } from '../model/money.ts';
import { type BudgetInput, communityBudget } from './budget.ts';
import { templateCommunityPolicy } from './test-fixtures.ts';

const policy = templateCommunityPolicy();

// History per head: 2022 100 元, 2023 110 元, 2024 120 元 (fen: 10000, 11000, 12000).
const employee: BudgetInput = {
  communityId: 'MC1',
  fund: 'employee',
  year: 2025,
  history: [
    { year: 2022, fundSpending: 100_000_000, population: 10_000 },
    { year: 2023, fundSpending: 110_000_000, population: 10_000 },
    { year: 2024, fundSpending: 126_000_000, population: 10_500 },
  ],
  population: 11_000,
};

describe('R-BUD-4 medical-community budget (鲁医保发〔2024〕39号 二(二))', () => {
  it('per-head standard = weighted history × (1 + Σ factors) when the factors stay within the revenue growth', () => {
    const b = communityBudget(employee, policy);
    // 0.2×10000 + 0.3×11000 + 0.5×12000 = 11300 fen; factors 1% + 1% + 0.5% − 1% + 2% = 3.5% ≤ 4.5% revenue growth.
    expect(b.perHeadBase).toEqual(ratio(11300n));
    expect(b.growth).toEqual(ratio(35n, 1000n));
    // 11300 × 1.035 = 11695.5 → half-up 11696 fen; × 11000 heads.
    expect(b.perHeadStandard).toBe(11_696);
    expect(b.budget).toBe(128_656_000);
    expect(b.steps.every((s) => s.clause && s.clause.length > 0)).toBe(true);
  });

  it('R-BUD-4: the history step applies the weight in the arithmetic it shows and names its fund (walk7 #4)', () => {
    const step = communityBudget(employee, policy).steps[0]!;
    // It printed "2022 基金支出/人数 × 权重 0.20 = 14000.00 / 2 = 7000.0000": the weight shown, not applied.
    expect(step.zh.startsWith('职工医保：')).toBe(true);
    expect(step.en.startsWith('employee insurance: ')).toBe(true);
    expect(step.values).toEqual({
      '2022 基金支出 ÷ 人数 × 权重': '1000000.00 ÷ 10000 × 0.20 = 20.0000',
      '2023 基金支出 ÷ 人数 × 权重': '1100000.00 ÷ 10000 × 0.30 = 33.0000',
      '2024 基金支出 ÷ 人数 × 权重': '1260000.00 ÷ 10500 × 0.50 = 60.0000',
      '加权合计 ÷ 权重合计': '113.0000 ÷ 1.00',
    });
    expect(step.result).toBe('113.0000');
    const resident = communityBudget({ ...employee, fund: 'resident' }, policy);
    expect(resident.steps.every((s) => s.zh.startsWith('居民医保：'))).toBe(true);
  });

  it('R-BUD-5 advanceBasis: members — no separate community advance (the members’ own count at the year end)', () => {
    const members = { ...policy, advanceBasis: { ...policy.advanceBasis, value: 'members' as const } };
    const b = communityBudget(employee, members);
    expect(b.advance).toBe(0);
    expect(b.steps.at(-1)!.zh).toContain('医共体不另行年初预付');
  });

  it('R-BUD-5: advanceMonths and advanceBasis from the same clause (二(四)) cite it once (walk8 #6: twice)', () => {
    const clause = '鲁医保发〔2024〕39号 二(四) 可根据基金结余情况向县域医共体预付1个月左右的医保基金';
    const same = {
      ...policy,
      advanceMonths: { ...policy.advanceMonths, source: clause },
      advanceBasis: { ...policy.advanceBasis, source: clause },
    };
    expect(communityBudget(employee, same).steps.at(-1)!.clause).toBe(clause);
    const other = { ...same, advanceBasis: { ...policy.advanceBasis, source: 'yibao 默认' } };
    expect(communityBudget(employee, other).steps.at(-1)!.clause).toBe(`${clause}; yibao 默认`);
  });

  it('growth is capped by the fund’s revenue growth (增幅不超过统筹区当年医保基金收入增幅)', () => {
    // Resident factors add up to 4% > 3.5% revenue growth: the standard grows 3.5%, not 4%.
    const b = communityBudget({ ...employee, fund: 'resident' }, policy);
    expect(b.factorGrowth).toEqual(ratio(4n, 100n));
    expect(b.growth).toEqual(ratio(35n, 1000n));
    expect(b.perHeadStandard).toBe(11_696); // not 11300 × 1.04 = 11752
  });

  it('R-BUD-4 二(二) 增幅不超过基金收入增幅, two readings (growthCapBase), hand-computed on a falling history', () => {
    // Per head 1,200.00 / 1,100.00 / 1,000.00 (1,000 heads a year), weights 0.2/0.3/0.5 → 1,070.00; employee factors
    // 3.5 % ≤ 4.5 % revenue growth. history (default): 1,070.00 × 1.035 = 1,107.45 — 10.7 % above last year's
    // 1,000.00. last-year: not above 1,000.00 × 1.045 = 1,045.00 → 1,045.00 × 1,000 heads = 1,045,000.00, advance
    // 1 month = 87,083.33.
    const falling: BudgetInput = {
      communityId: 'MC1',
      fund: 'employee',
      year: 2025,
      history: [
        { year: 2022, fundSpending: 120_000_000, population: 1_000 },
        { year: 2023, fundSpending: 110_000_000, population: 1_000 },
        { year: 2024, fundSpending: 100_000_000, population: 1_000 },
      ],
      population: 1_000,
    };
    expect(policy.growthCapBase.value).toBe('history');
    expect(communityBudget(falling, policy).perHeadStandard).toBe(110_745);
    const lastYear = {
      ...policy,
      growthCapBase: { value: 'last-year' as const, source: '鲁医保发〔2024〕39号 二(二)' },
    };
    const capped = communityBudget(falling, lastYear);
    expect(capped.perHeadStandard).toBe(104_500);
    expect(capped.budget).toBe(104_500_000);
    expect(capped.advance).toBe(8_708_333);
    const step = capped.steps.find((s) => s.zh.includes('人头预算标准 = '))!;
    expect(step.zh).toContain('上年人均基金支出 × (1 + 基金收入增幅)');
    expect(step.values).toMatchObject({
      '2024 人均基金支出': '1000.0000',
      '上年人均 × (1 + 基金收入增幅)': '1045.0000',
    });
    // A rising history (900 / 1,000 / 1,100 → 1,030.00 × 1.035 = 1,066.05 ≤ 1,100.00 × 1.045): the same either way.
    const rising: BudgetInput = {
      ...falling,
      history: [
        { year: 2022, fundSpending: 90_000_000, population: 1_000 },
        { year: 2023, fundSpending: 100_000_000, population: 1_000 },
        { year: 2024, fundSpending: 110_000_000, population: 1_000 },
      ],
      population: 1_100,
    };
    expect(communityBudget(rising, lastYear).perHeadStandard).toBe(106_605);
    expect(communityBudget(rising, lastYear).budget).toBe(117_265_500);
    expect(communityBudget(rising, policy).budget).toBe(117_265_500);
  });

  it('a community that saved by reasonable control keeps last year’s budget (不降低下年度总额付费预算指标)', () => {
    const kept = communityBudget(
      { ...employee, lastYear: { budget: 130_000_000, actual: 125_000_000, savedByControl: true } },
      policy,
    );
    expect(kept.byStandard).toBe(128_656_000);
    expect(kept.budget).toBe(130_000_000);
    expect(kept.keptLastYear).toBe(true);
    const notJudged = communityBudget(
      { ...employee, lastYear: { budget: 130_000_000, actual: 125_000_000, savedByControl: false } },
      policy,
    );
    expect(notJudged.budget).toBe(128_656_000);
  });

  it('二(二) 支出降低 read literally (savingMeasure: below-last-year): spending fell below the year before → floor; under budget but risen → none', () => {
    const literal = {
      ...policy,
      savingMeasure: { value: 'below-last-year' as const, source: '鲁医保发〔2024〕39号 二(二)' },
    };
    // Last year: budget 1,300,000.00, spent 1,320,000.00 (over budget), the year before 1,350,000.00 → fell by 30,000.00.
    const fell = communityBudget(
      {
        ...employee,
        lastYear: { budget: 130_000_000, actual: 132_000_000, savedByControl: false, previousActual: 135_000_000 },
      },
      literal,
    );
    expect([fell.byStandard, fell.budget, fell.keptLastYear]).toEqual([128_656_000, 130_000_000, true]);
    expect(fell.steps.find((s) => s.zh.includes('上年医保基金支出比前年降低'))!.values).toMatchObject({
      前年实际: '1350000.00',
    });
    // Last year under budget (1,250,000.00 < 1,300,000.00, no warning) but up from 1,200,000.00: the default keeps the
    // budget, the literal reading does not.
    const rose = { budget: 130_000_000, actual: 125_000_000, savedByControl: true, previousActual: 120_000_000 };
    expect(communityBudget({ ...employee, lastYear: rose }, literal).budget).toBe(128_656_000);
    expect(communityBudget({ ...employee, lastYear: rose }, policy).budget).toBe(130_000_000);
    // The year before not reconciled: nothing to compare with, no floor.
    expect(communityBudget({ ...employee, lastYear: { ...rose, previousActual: null } }, literal).keptLastYear).toBe(
      false,
    );
  });

  it('R-BUD-5: the advance is about one month of the budget (二(四) 预付1个月左右), half-up to the fen', () => {
    const b = communityBudget(employee, policy);
    // 128,656,000 ÷ 12 = 10,721,333.33 → 10,721,333 fen.
    expect(b.advance).toBe(10_721_333);
  });

  it('needs as many history years as weights', () => {
    expect(() => communityBudget({ ...employee, history: employee.history.slice(1) }, policy)).toThrow(/3 history/);
  });
});

describe('R-BUD-4 invariants (property)', () => {
  it('growth never exceeds the revenue growth; a saving community never gets less than last year; advance ≈ 1/12', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 5_000_000_000 }), { minLength: 3, maxLength: 3 }),
        fc.integer({ min: 1, max: 500_000 }),
        fc.integer({ min: 0, max: 5_000_000_000 }),
        fc.boolean(),
        (spending, population, lastBudget, saved) => {
          const b = communityBudget(
            {
              ...employee,
              history: spending.map((fundSpending, i) => ({ year: 2022 + i, fundSpending, population })),
              population,
              lastYear: { budget: lastBudget, actual: Math.max(0, lastBudget - 1), savedByControl: saved },
            },
            policy,
          );
          expect(compareRatios(b.growth, policy.revenueGrowth.value.employee)).toBeLessThanOrEqual(0);
          expect(b.budget).toBeGreaterThanOrEqual(b.byStandard);
          if (saved && lastBudget > 0) expect(b.budget).toBeGreaterThanOrEqual(lastBudget);
          expect(Math.abs(b.advance * 12 - b.budget)).toBeLessThanOrEqual(6);
        },
      ),
    );
  });
});

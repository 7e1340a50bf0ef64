/**
 * R-BUD-4 over two years through the store: a community's 2024 budget is reconciled and stored (migration 7,
 * `community_budgets`); its 2025 budget reads it back for the floor after saving — 鲁医保发〔2024〕39号 二(二)
 * "对因合理控费和加强健康管理出现医保基金支出降低的县域医共体，不降低下年度总额付费预算指标". Hand-computed; the
 * template policy (weights 2:3:5, employee growth 3.5 %, surplus kept in full, one month's advance) serves both years.
 */
import { describe, expect, it } from 'vitest';
import { communityBudget } from '../community/budget.ts';
import { communityEligibility } from '../community/eligibility.ts';
import { assessPerformance, type IndicatorInputs } from '../community/indicators.ts';
import { settleCommunityYear } from '../community/reconcile.ts';
import { regionPointTable } from '../community/region-points.ts';
import { templateCommunity, templateCommunityPolicy } from '../community/test-fixtures.ts';
import { ratio } from '../model/money.ts';
import { openStore } from '../store/index.ts';
import {
  type CommunityRunResult,
  communityBudgetRecords,
  lastYearOf,
  recordCommunityBudgets,
} from './community-year.ts';

const policy = templateCommunityPolicy();
const community = templateCommunity();

// No indicator reaches its warning threshold: cost growth 5 %, reimbursement 70/105, primary visits 70 %,
// in-county share 60/70, primary share 15/60, out-of-county admissions 10 %.
const calm: IndicatorInputs = {
  medicalCost: 105,
  lastYearMedicalCost: 100,
  fundPaid: 70,
  inCountyFundPaid: 60,
  primaryFundPaid: 15,
  visits: 100,
  primaryVisits: 70,
  admissions: 100,
  outsideCountyAdmissions: 10,
};
// The same, but the primary institutions' share falls to 6/60 = 10 % < the 15 % warning threshold.
const warned: IndicatorInputs = { ...calm, primaryFundPaid: 6 };

/** The employee fund of the community in 2024: history 100, 110, 120 元 per head → budget 1,286,560.00 元. */
function year2024(actual: number, inputs: IndicatorInputs): CommunityRunResult {
  const budget = communityBudget(
    {
      communityId: community.id,
      fund: 'employee',
      year: 2024,
      history: [
        { year: 2021, fundSpending: 100_000_000, population: 10_000 },
        { year: 2022, fundSpending: 110_000_000, population: 10_000 },
        { year: 2023, fundSpending: 120_000_000, population: 10_000 },
      ],
      population: 11_000,
    },
    policy,
  );
  const performance = assessPerformance(inputs, policy);
  const result = settleCommunityYear(
    {
      communityId: community.id,
      name: community.name,
      lead: community.lead,
      year: 2024,
      members: community.members,
      budgets: [budget],
      memberMonths: [
        {
          institutionCode: community.lead,
          month: '2024-06',
          fund: 'employee',
          method: 'dip',
          units: 1,
          fundPaid: actual,
          points: 0,
          billed: 0,
          patientPaid: 0,
        },
      ],
      populationSpending: [],
      compensations: [],
      performance,
    },
    policy,
  );
  return {
    region: 'sd-template',
    year: 2024,
    runId: 'RUN-2024',
    policies: { registry: 'r', payment: 'p' },
    communities: [
      {
        community,
        eligibility: communityEligibility(community, '2025-01-01', 's'),
        budgets: [budget],
        indicatorInputs: inputs,
        performance,
        result,
      },
    ],
    institutions: [],
    points: regionPointTable(ratio(1000n), 's', [], []),
    burden: [],
    referrals: 0,
    pricedBills: 0,
  };
}

/** 2025: per head 110, 120, then 100 元 in 2024 (spending fell) → the budget by standard is below 2024's. */
async function budget2025(y2024: CommunityRunResult) {
  const store = await openStore(':memory:');
  try {
    await recordCommunityBudgets(store, y2024);
    const [stored] = await store.readCommunityBudgets({ region: 'sd-template', year: 2024 });
    return communityBudget(
      {
        communityId: community.id,
        fund: 'employee',
        year: 2025,
        history: [
          { year: 2022, fundSpending: 110_000_000, population: 10_000 },
          { year: 2023, fundSpending: 120_000_000, population: 10_000 },
          { year: 2024, fundSpending: 110_000_000, population: 11_000 },
        ],
        population: 11_000,
        ...lastYearOf(stored),
      },
      policy,
    );
  } finally {
    await store.close();
  }
}

describe('R-BUD-4 last year’s budget from the store (二(二) 不降低下年度总额付费预算指标)', () => {
  it('2024: 0.2×10000 + 0.3×11000 + 0.5×12000 = 11300 fen × 1.035 = 11696 fen per head × 11000 = 1,286,560.00 元', () => {
    const y = year2024(125_000_000, calm);
    expect(y.communities[0]!.budgets[0]!.budget).toBe(128_656_000);
    expect(communityBudgetRecords(y)).toEqual([
      {
        region: 'sd-template',
        year: 2024,
        communityId: community.id,
        fund: 'employee',
        budgetFen: 128_656_000,
        actualFen: 125_000_000,
        savedByControl: true,
        runId: 'RUN-2024',
      },
    ]);
  });

  it('saved 36,560.00 元 in 2024 with no warning: 2025 keeps 1,286,560.00 元, not the 1,229,580.00 元 by standard', async () => {
    const b = await budget2025(year2024(125_000_000, calm));
    // 0.2×11000 + 0.3×12000 + 0.5×10000 = 10800 fen × 1.035 = 11178 fen per head × 11000 = 122,958,000 fen.
    expect(b.perHeadStandard).toBe(11_178);
    expect(b.byStandard).toBe(122_958_000);
    expect(b.lastYearBudget).toBe(128_656_000);
    expect(b.keptLastYear).toBe(true);
    expect(b.budget).toBe(128_656_000);
    // One month's advance of the kept budget: 128,656,000 ÷ 12 = 10,721,333.33 → 10,721,333 fen.
    expect(b.advance).toBe(10_721_333);
    expect(b.steps.some((s) => s.zh.includes('上年因合理控费出现结余'))).toBe(true);
  });

  it('a 2024 saving that came with a warning (primary share 10 % < 15 %) is not control: 2025 is by standard', async () => {
    const y = year2024(125_000_000, warned);
    expect(communityBudgetRecords(y)[0]!.savedByControl).toBe(false);
    const b = await budget2025(y);
    expect(b.keptLastYear).toBe(false);
    expect(b.budget).toBe(122_958_000);
  });

  it('a 2024 overspend (1,300,000.00 元 > 1,286,560.00 元) keeps no floor', async () => {
    const b = await budget2025(year2024(130_000_000, calm));
    expect(b.lastYearBudget).toBe(128_656_000);
    expect(b.budget).toBe(122_958_000);
  });

  it('no stored 2024 year: no floor and no last year’s budget', () => {
    const b = communityBudget(
      {
        communityId: community.id,
        fund: 'employee',
        year: 2025,
        history: [
          { year: 2022, fundSpending: 110_000_000, population: 10_000 },
          { year: 2023, fundSpending: 120_000_000, population: 10_000 },
          { year: 2024, fundSpending: 110_000_000, population: 11_000 },
        ],
        population: 11_000,
        ...lastYearOf(undefined),
      },
      policy,
    );
    expect(b.lastYearBudget).toBeUndefined();
    expect(b.budget).toBe(122_958_000);
  });
});

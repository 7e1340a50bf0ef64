/**
 * One DRG year of a region, end to end and pure: group history and current cases with a CHS-DRG kernel → relative
 * weights from history (or imported) → price the year's cases → the inpatient point pool (with per-bed-day and other
 * units) → the shared settlement layer (budget, monthly pre-settlement, year-end, clearing) → hospital indicators.
 * The same settlement policy (`dip-settlement`: 区域总额预算 + 点数法结算) serves DIP and DRG, so a region switches
 * its inpatient method by switching the method's policy file (R-PAY-DRG, R-DIP-6).
 */

import type { DrgKernel } from '../grouping/drg/index.ts';
import type { InpatientCase } from '../model/case.ts';
import type { Institution } from '../model/institution.ts';
import { type Fen, type Ratio, ratio } from '../model/money.ts';
import type { UnitResult } from '../model/unit-result.ts';
import {
  calibrateWeights,
  type DrgCase,
  DrgIndicatorAccumulator,
  type DrgIndicators,
  type DrgWeightTable,
  drgMethod,
  groupForPayment,
  priceDrgCase,
  pricingFromPolicy,
} from '../payment/drg/index.ts';
import type { ResolvedValues } from '../policy/kind.ts';
import type { drgKind } from '../policy/kinds/drg.ts';
import { poolBudget } from '../settlement/budget.ts';
import type { AssessmentResult, AuditDeduction } from '../settlement/deductions.ts';
import { openingPointValue, type WeightedYear } from '../settlement/point-value.ts';
import { budgetRule, type PoolSettlementPolicy, settlementRules } from '../settlement/policy-rules.ts';
import { PoolAccumulator } from '../settlement/pool.ts';
import { type PoolSettlement, settlePoolTotals } from '../settlement/settle.ts';

export interface DrgRunInput {
  region: string;
  year: number;
  history: readonly InpatientCase[];
  current: readonly InpatientCase[];
  institutions: readonly Institution[];
  kernel: DrgKernel;
  drg: ResolvedValues<typeof drgKind>;
  settlement: PoolSettlementPolicy;
  /** Published weights instead of calibrating from history. */
  weights?: DrgWeightTable;
  /** Units of other methods paid from the same pool (e.g. per-diem points). */
  extraUnits?: readonly UnitResult[];
  /** Cases paid by another method (per-bed-day, single disease): left out of DRG pricing. */
  paidByOtherMethod?: ReadonlySet<string>;
  /** Audit deductions and assessment coefficients of the year (R-DIP-6). */
  deductions?: readonly AuditDeduction[];
  assessments?: readonly AssessmentResult[];
}

export interface DrgRunResult {
  weights: DrgWeightTable;
  cases: DrgCase[];
  units: UnitResult[];
  settlement: PoolSettlement;
  /** Last year's fund payment per institution (the advance and monthly quota base). */
  lastYearFundPaid: Map<string, Fen>;
  indicators: DrgIndicators[];
  /** The same indicators per institution and department (出院科别), key `institution/department`. */
  departmentIndicators: DrgIndicators[];
  groupedShare: number;
}

export { groupForPayment } from '../payment/drg/index.ts';

export function runDrg(input: DrgRunInput): DrgRunResult {
  const levels = new Map(input.institutions.map((i) => [i.code, i.level] as const));
  const history = groupForPayment(input.kernel, input.history, levels);
  const cal = input.drg.rwCalibration;
  const yearOf = (c: DrgCase) => Number(c.month.slice(0, 4));
  const weights =
    input.weights ??
    calibrateWeights(
      history.map((c) => ({ drg: c.drg, year: yearOf(c), cost: c.cost })),
      cal.value,
      `calibrated from ${history.length} history cases (${cal.source})`,
      input.year,
    );
  const pricing = pricingFromPolicy(input.drg);
  const current = groupForPayment(input.kernel, input.current, levels).filter(
    (c) => !input.paidByOtherMethod?.has(c.setlId),
  );
  const units = drgMethod.evaluate(current, { table: weights, pricing });
  // Opening point value: history cost ÷ history points at the same pricing (as points), years weighted as for the
  // weights; ungrouped history cases carry no points and are left out of both sums.
  const byYear = new Map<number, { cost: Fen; points: number }>();
  const pointPricing = { ...pricing, mode: 'points' as const };
  for (const c of history) {
    const u = priceDrgCase(c, weights, pointPricing);
    if (u.claim.kind !== 'points') continue;
    const e = byYear.get(yearOf(c)) ?? { cost: 0, points: 0 };
    e.cost += c.cost;
    e.points += u.claim.points;
    byYear.set(yearOf(c), e);
  }
  const years = [...byYear.keys()].sort((a, b) => a - b);
  const yw = cal.value.yearWeights;
  const wy: WeightedYear[] = years.map((year, i) => ({
    year,
    weight: ratio(yw[yw.length - (years.length - i)] ?? 0),
    cost: byYear.get(year)!.cost,
    points: byYear.get(year)!.points,
  }));
  const opening = openingPointValue(wy, cal.source).value;
  const lastYear = String(years.at(-1));
  const lastYearFundPaid = new Map<string, Fen>();
  for (const c of input.history) {
    if (c.dischargeTime.startsWith(lastYear) && levels.has(c.institutionCode)) {
      lastYearFundPaid.set(c.institutionCode, (lastYearFundPaid.get(c.institutionCode) ?? 0) + c.fundPay);
    }
  }
  const lastYearTotal = [...lastYearFundPaid.values()].reduce((s, v) => s + v, 0);
  const poolId = `${input.region}-drg-${input.year}`;
  const pool = new PoolAccumulator({ poolId, year: input.year }).add(units);
  if (input.extraUnits) pool.add(input.extraUnits);
  const settlement = settlePoolTotals({
    poolId,
    region: input.region,
    year: input.year,
    totals: pool.totals(),
    budget: poolBudget(budgetRule(input.settlement), lastYearTotal),
    openingPointValue: { value: opening, source: cal.source },
    institutions: input.institutions,
    lastYearFundPaid,
    deductions: input.deductions ?? [],
    assessments: input.assessments ?? [],
    rules: settlementRules(input.settlement),
  });
  const grouped = current.filter((c) => c.drg !== null).length;
  const byInstitution = new DrgIndicatorAccumulator().add(current);
  const byDepartment = new DrgIndicatorAccumulator((c) => `${c.institutionCode}/${c.department ?? ''}`).add(current);
  return {
    weights,
    cases: current,
    units,
    settlement,
    lastYearFundPaid,
    indicators: byInstitution.result(weights),
    departmentIndicators: byDepartment.result(weights),
    groupedShare: current.length > 0 ? grouped / current.length : 0,
  };
}

/** The implied base rate (费率, 元 per RW) of a settled point pool: point value × points per RW. */
export function baseRateOf(pointValueFenPerPoint: Ratio, pointsPerRw: number): Ratio {
  return ratio(pointValueFenPerPoint.num * BigInt(pointsPerRw), pointValueFenPerPoint.den * 100n);
}

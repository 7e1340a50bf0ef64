/**
 * One DIP year of a region, end to end and still pure: calibrate the catalog from history (or take an imported
 * one) → evaluate the year's cases → the point pool with any other method's units (per-bed-day points, R-DIP-4) →
 * budget → settlement. `yibao demo` and `dip settle` call this with cases read from the store.
 *
 * 002 四(一)–(三) (R-PAY-DIP, R-DIP-1…6, R-BUD-2, R-BUD-5).
 */
import type { InpatientCase } from '../model/case.ts';
import type { Explanation } from '../model/explain.ts';
import type { Institution } from '../model/institution.ts';
import { type Fen, type Ratio, ratio } from '../model/money.ts';

import type { MethodId, UnitResult } from '../model/unit-result.ts';
import { poolBudget } from '../settlement/budget.ts';
import type { AssessmentResult, AuditDeduction } from '../settlement/deductions.ts';
import { explainSettlement } from '../settlement/explain.ts';
import { openingPointValue, type WeightedYear } from '../settlement/point-value.ts';
import { type PoolSettlement, settlePool } from '../settlement/settle.ts';
import { type CalibrationResult, calibrateCatalog } from './calibrate.ts';
import { type Catalog, ratioFromText } from './catalog.ts';
import { DipEngine, type DipEvaluation, groupMeanKey } from './engine.ts';
import { DipError } from './errors.ts';
import { explainCase } from './explain.ts';
import { DipGrouper } from './grouper.ts';
import type { DipPolicy, DipSettlementPolicy } from './policy.ts';
import { budgetRule, settlementRules } from './settlement-rules.ts';
import type { SpecialReviewDecision } from './special-review.ts';
import type { ProcedureClassifier } from './treatment.ts';
import { toUnitResults } from './unit-result.ts';

export interface DipRunInput {
  region: string;
  year: number;
  /** Cases of the history years (for calibration, the opening point value and last year's payments). */
  history: readonly InpatientCase[];
  /** Cases discharged in `year`. */
  current: readonly InpatientCase[];
  institutions: readonly Institution[];
  dip: { policy: DipPolicy; id: string; version: string };
  settlement: DipSettlementPolicy;
  /** An imported catalog instead of calibrating from history. */
  catalog?: Catalog;
  /** Units of other methods paid from the same pool (e.g. per-diem points). */
  extraUnits?: readonly UnitResult[];
  /** Cases paid by another method (setl_id → method): status `excluded` in DIP. */
  paidByOtherMethod?: ReadonlyMap<string, MethodId>;
  /**
   * History cases of another method's categories (e.g. per-bed-day stays, R-DIP-4), by setl_id: kept out of the
   * catalog calibration, the opening point value and the group means, but still in last year's payments (budget).
   */
  historyOfOtherMethods?: ReadonlySet<string>;
  decisions?: ReadonlyMap<string, SpecialReviewDecision>;
  deductions?: readonly AuditDeduction[];
  assessments?: readonly AssessmentResult[];
  classify?: ProcedureClassifier;
  /** Put each case's trace into its UnitResult (memory!); default false — `explainDipCase` rebuilds it. */
  explainUnits?: boolean;
}

export interface DipRunResult {
  calibration: CalibrationResult | null;
  catalog: Catalog;
  engine: DipEngine;
  evaluation: DipEvaluation;
  units: UnitResult[];
  openingPointValue: Ratio;
  lastYearFundPaid: Map<string, Fen>;
  settlement: PoolSettlement;
}

export function runDip(input: DipRunInput): DipRunResult {
  const policy = input.dip.policy;
  const other = input.historyOfOtherMethods;
  const dipHistory = other && other.size > 0 ? input.history.filter((c) => !other.has(c.setlId)) : input.history;
  const calibration = input.catalog
    ? null
    : calibrateCatalog({
        history: dipHistory,
        institutions: input.institutions,
        policy,
        meta: { policyId: input.dip.id, version: input.dip.version, region: input.region },
        ...(input.classify ? { classify: input.classify } : {}),
      });
  const catalog = calibration?.catalog ?? input.catalog!;
  const groupMeans =
    policy.deviationStandard.value === 'group-mean-cost'
      ? groupLevelMeans(catalog, policy, dipHistory, input.institutions, input.year - 1, input.classify)
      : undefined;
  const engine = new DipEngine({
    catalog,
    policy,
    institutions: input.institutions,
    ...(groupMeans ? { groupMeans } : {}),
    ...(calibration ? { referencePointValue: calibration.referencePointValue } : {}),
    ...(input.classify ? { classify: input.classify } : {}),
  });
  const opening = calibration?.openingPointValue ?? openingFromHistory(engine, dipHistory, policy);
  const evaluation = engine.evaluate(input.current, {
    ...(input.paidByOtherMethod ? { paidByOtherMethod: input.paidByOtherMethod } : {}),
    ...(input.decisions ? { decisions: input.decisions } : {}),
  });
  const units = toUnitResults(evaluation.results, engine, input.explainUnits ?? false);
  const lastYear = String(policy.historyYears.value.years.at(-1));
  const lastYearFundPaid = new Map<string, Fen>();
  for (const c of input.history) {
    if (c.dischargeTime.startsWith(lastYear)) {
      lastYearFundPaid.set(c.institutionCode, (lastYearFundPaid.get(c.institutionCode) ?? 0) + c.fundPay);
    }
  }
  const lastYearTotal = [...lastYearFundPaid.values()].reduce((s, v) => s + v, 0);
  const budget = poolBudget(budgetRule(input.settlement), lastYearTotal);
  const settlement = settlePool({
    poolId: `${input.region}-dip-${input.year}`,
    region: input.region,
    year: input.year,
    units: input.extraUnits ? [...units, ...input.extraUnits] : units,
    budget,
    openingPointValue: { value: opening, source: policy.historyYears.source },
    institutions: input.institutions,
    lastYearFundPaid,
    deductions: input.deductions ?? [],
    assessments: input.assessments ?? [],
    rules: settlementRules(input.settlement),
  });
  return {
    calibration,
    catalog,
    engine,
    evaluation,
    units,
    openingPointValue: opening,
    lastYearFundPaid,
    settlement,
  };
}

/**
 * 上一年度同级别定点医疗机构该病种次均医疗总费用: per group × institution level, the mean total cost (fen, exact) of
 * the `year` cases, grouped by the same grouper the year's cases use. Keys `groupMeanKey(group, level)`.
 */
export function groupLevelMeans(
  catalog: Catalog,
  policy: DipPolicy,
  history: readonly InpatientCase[],
  institutions: readonly Institution[],
  year: number,
  classify?: ProcedureClassifier,
): Map<string, Ratio> {
  const grouper = new DipGrouper(catalog, classify, policy.coreMatch.value);
  const level = new Map(institutions.map((i) => [i.code, i.level] as const));
  const acc = new Map<string, { cost: bigint; n: bigint }>();
  const prefix = `${year}-`;
  for (const c of history) {
    if (!c.dischargeTime.startsWith(prefix)) continue;
    const lv = level.get(c.institutionCode);
    if (lv === undefined) continue;
    const g = grouper.groupIndex(c);
    if (g < 0) continue;
    const key = groupMeanKey(catalog.groups[g]!.code, lv);
    const a = acc.get(key) ?? { cost: 0n, n: 0n };
    a.cost += BigInt(c.totalCost);
    a.n++;
    acc.set(key, a);
  }
  return new Map([...acc].map(([k, a]) => [k, ratio(a.cost, a.n)] as const));
}

/** Opening-year point value of an imported catalog: history cases at base points, years weighted. */
export function openingFromHistory(engine: DipEngine, history: readonly InpatientCase[], policy: DipPolicy): Ratio {
  const { years, weights } = policy.historyYears.value;
  const idx = new Map(years.map((y, i) => [String(y), i] as const));
  const cost = years.map(() => 0);
  const pts = years.map(() => 0);
  for (const c of history) {
    const y = idx.get(c.dischargeTime.slice(0, 4));
    if (y === undefined || !engine.institutions.has(c.institutionCode)) continue;
    const r = engine.evaluateCase(c);
    if (r.groupIndex < 0) continue;
    cost[y]! += c.totalCost;
    pts[y]! += r.basePoints;
  }
  if (pts.every((p) => p === 0)) {
    if (engine.catalog.referencePointValue) return ratioFromText(engine.catalog.referencePointValue);
    throw new DipError('NO_OPENING_VALUE', '没有历史病例也没有目录参考点值', 'no history and no reference point value');
  }
  const ys: WeightedYear[] = years.map((year, i) => ({ year, weight: weights[i]!, cost: cost[i]!, points: pts[i]! }));
  return openingPointValue(ys, policy.historyYears.source).value;
}

/** `yibao explain case ID` for a run: the case's trace with its payment at the year-end point value. */
export function explainDipCase(run: DipRunResult, setlId: string): Explanation {
  const r = findCase(run, setlId);
  return explainCase(r, run.engine, {
    pointValue: run.settlement.pointValue.pointValue,
    fundPaymentRatio: run.settlement.fundPaymentRatio,
    source: run.settlement.steps.at(-1)?.clause ?? '',
  });
}

/** `yibao explain settlement INSTITUTION --period YYYY|YYYY-MM` for a run. */
export function explainDipSettlement(run: DipRunResult, institutionCode: string, period?: string): Explanation {
  return explainSettlement(run.settlement, institutionCode, period);
}

/** Binary search of the sorted results. */
export function findCase(run: Pick<DipRunResult, 'evaluation'>, setlId: string) {
  const list = run.evaluation.results;
  let lo = 0;
  let hi = list.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const id = list[mid]!.setlId;
    if (id === setlId) return list[mid]!;
    if (id < setlId) lo = mid + 1;
    else hi = mid - 1;
  }
  throw new DipError('UNKNOWN_CASE', `没有结算ID为 ${setlId} 的病例`, `no case ${setlId}`, setlId);
}

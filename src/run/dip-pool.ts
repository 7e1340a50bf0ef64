/**
 * One DIP year of a region, end to end and still pure: calibrate the catalog from history (or take an imported
 * one) → evaluate the year's cases → the point pool with any other method's units (per-bed-day points, R-DIP-4) →
 * budget → settlement. `yibao demo` and `dip settle` call this with cases read from the store.
 *
 * 002 四(一)–(三) (R-PAY-DIP, R-DIP-1…6, R-BUD-2, R-BUD-5).
 */

import type { ProcedureClassifier } from '../grouping/dip/index.ts';
import { type Catalog, ratioFromText } from '../grouping/dip/index.ts';
import type { InpatientCase } from '../model/case.ts';
import type { CaseColumns } from '../model/case-columns.ts';
import type { Explanation } from '../model/explain.ts';
import type { HistoryStayRule } from '../model/history-keys.ts';
import type { Institution } from '../model/institution.ts';
import type { Fen, Ratio } from '../model/money.ts';
import type { MethodId, UnitResult } from '../model/unit-result.ts';
import type { DipPolicy, DipSettlementPolicy, SpecialReviewDecision } from '../payment/dip/index.ts';
import {
  type CalibrationResult,
  catalogCalibrator,
  DipEngine,
  DipError,
  type DipEvaluation,
  explainCase,
  groupMeansAccumulator,
  matcherFor,
  toUnitResults,
} from '../payment/dip/index.ts';
import { poolBudget } from '../settlement/budget.ts';
import type { AssessmentResult, AuditDeduction } from '../settlement/deductions.ts';
import { explainSettlement } from '../settlement/explain.ts';
import { openingPointValue, type WeightedYear } from '../settlement/point-value.ts';
import { budgetRule, settlementRules } from '../settlement/policy-rules.ts';
import { PoolAccumulator } from '../settlement/pool.ts';
import { type PoolSettlement, settlePoolTotals } from '../settlement/settle.ts';
import type { Store } from '../store/store.ts';

export interface DipRunInput {
  region: string;
  year: number;
  /**
   * The history years (calibration, the opening point value, group means and last year's payments): their cases
   * as an array (reduced here, in one batch), or already reduced batch by batch (`dipHistoryReducer`).
   */
  history: readonly InpatientCase[] | DipHistory;
  /** Cases discharged in `year`. */
  current: readonly InpatientCase[];
  institutions: readonly Institution[];
  dip: { policy: DipPolicy; id: string; version: string };
  settlement: DipSettlementPolicy;
  /** An imported catalog instead of calibrating from history. */
  catalog?: Catalog;
  /**
   * With `catalog`: the opening point value the calibration of that catalog derived (a what-if reuses its base run's
   * catalog and the value the base run applied: same history years, same kept cases). Absent, an imported catalog's
   * opening value evaluates the history cases against it (`openingFromHistory`), which a calibrated catalog's
   * value is not (the calibration counts only the cases it kept), so the two differ on the same history.
   */
  catalogOpeningPointValue?: Ratio;
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
  /** Previous year's group × level mean costs the engine judged deviating cases by (group-mean-cost standard). */
  groupMeans?: ReadonlyMap<string, Ratio>;
  /** Wall seconds of calibration (from history), evaluation (the year's cases) and the pool settlement. */
  seconds: { calibrate: number; evaluate: number; settle: number };
}

export function runDip(input: DipRunInput): DipRunResult {
  const policy = input.dip.policy;
  let t = performance.now();
  const lap = () => {
    const now = performance.now();
    const s = (now - t) / 1000;
    t = now;
    return s;
  };
  const reduced = isReduced(input.history) ? input.history : reduceDipHistory(input, input.history);
  const { calibration, catalog, groupMeans } = reduced;
  const engine = new DipEngine({
    catalog,
    policy,
    institutions: input.institutions,
    ...(groupMeans ? { groupMeans } : {}),
    ...(calibration ? { referencePointValue: calibration.referencePointValue } : {}),
    ...(input.classify ? { classify: input.classify } : {}),
  });
  const opening = reduced.openingPointValue;
  const calibrate = lap();
  const evaluation = engine.evaluate(input.current, {
    ...(input.paidByOtherMethod ? { paidByOtherMethod: input.paidByOtherMethod } : {}),
    ...(input.decisions ? { decisions: input.decisions } : {}),
  });
  const units = toUnitResults(evaluation.results, engine, input.explainUnits ?? false);
  const evaluate = lap();
  const lastYearFundPaid = reduced.lastYearFundPaid;
  const lastYearTotal = [...lastYearFundPaid.values()].reduce((s, v) => s + v, 0);
  const budget = poolBudget(budgetRule(input.settlement), lastYearTotal);
  const poolId = `${input.region}-dip-${input.year}`;
  const pool = new PoolAccumulator({ poolId, year: input.year }).add(units);
  if (input.extraUnits) pool.add(input.extraUnits);
  const settlement = settlePoolTotals({
    poolId,
    region: input.region,
    year: input.year,
    totals: pool.totals(),
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
    ...(groupMeans ? { groupMeans } : {}),
    seconds: { calibrate, evaluate, settle: lap() },
  };
}

/** Opening-year point value of an imported catalog: history cases at base points, years weighted. */
export function openingFromHistory(engine: DipEngine, history: readonly InpatientCase[], policy: DipPolicy): Ratio {
  const acc = openingAccumulator(engine, policy);
  acc.add(history);
  return acc.finish();
}

/** The same, batch by batch: cost and base points summed per history year. */
function openingAccumulator(engine: DipEngine, policy: DipPolicy) {
  const { years, weights } = policy.historyYears.value;
  const idx = new Map(years.map((y, i) => [String(y), i] as const));
  const cost = years.map(() => 0);
  const pts = years.map(() => 0);
  return {
    add(history: readonly InpatientCase[]): void {
      for (const c of history) {
        const y = idx.get(c.dischargeTime.slice(0, 4));
        if (y === undefined || !engine.institutions.has(c.institutionCode)) continue;
        const r = engine.evaluateCase(c);
        if (r.groupIndex < 0) continue;
        cost[y]! += c.totalCost;
        pts[y]! += r.basePoints;
      }
    },
    finish(): Ratio {
      if (pts.every((p) => p === 0)) {
        if (engine.catalog.referencePointValue) return ratioFromText(engine.catalog.referencePointValue);
        throw new DipError(
          'NO_OPENING_VALUE',
          '没有历史病例也没有目录参考点值',
          'no history and no reference point value',
        );
      }
      const ys: WeightedYear[] = years.map((year, i) => ({
        year,
        weight: weights[i]!,
        cost: cost[i]!,
        points: pts[i]!,
      }));
      return openingPointValue(ys, policy.historyYears.source).value;
    },
  };
}

/** What a DIP year needs of its history years, reduced: no history case is kept. */
export interface DipHistory {
  readonly kind: 'dip-history';
  calibration: CalibrationResult | null;
  catalog: Catalog;
  /** Previous year's group × level mean costs (when the policy's deviation standard is the group mean). */
  groupMeans?: Map<string, Ratio>;
  openingPointValue: Ratio;
  /** Last history year's fund payment per institution (every inpatient case, per-bed-day stays included). */
  lastYearFundPaid: Map<string, Fen>;
  /** History cases read. */
  cases: number;
}

const isReduced = (h: readonly InpatientCase[] | DipHistory): h is DipHistory => !Array.isArray(h);

/**
 * Reduce the history years batch by batch: the catalog calibration (or, for an imported catalog, the opening
 * point value), the group means and last year's fund payment. `other` marks history cases of another method's
 * categories (per-bed-day stays, R-DIP-4): they stay out of everything but last year's payments.
 */
export interface DipHistoryReducer {
  add(batch: readonly InpatientCase[], other?: (c: InpatientCase) => boolean): void;
  /**
   * The same from the store's typed columns (calibrating a catalog; an imported catalog's opening value reads
   * cases); `skip` marks the rows of another method's categories.
   */
  addColumns(columns: CaseColumns, skip?: Uint8Array): void;
  finish(): DipHistory;
}

export function dipHistoryReducer(
  input: Pick<
    DipRunInput,
    'region' | 'year' | 'institutions' | 'dip' | 'catalog' | 'catalogOpeningPointValue' | 'classify'
  >,
): DipHistoryReducer {
  const policy = input.dip.policy;
  const calibrator = input.catalog
    ? null
    : catalogCalibrator({
        institutions: input.institutions,
        policy,
        meta: { policyId: input.dip.id, version: input.dip.version, region: input.region },
        ...(input.classify ? { classify: input.classify } : {}),
      });
  const means =
    policy.deviationStandard.value === 'group-mean-cost'
      ? groupMeansAccumulator(input.institutions, input.year - 1)
      : null;
  // Base points do not depend on the group means, so the imported catalog's opening value needs none.
  const givenOpening = input.catalog ? input.catalogOpeningPointValue : undefined;
  const opening =
    input.catalog && !givenOpening
      ? openingAccumulator(
          new DipEngine({
            catalog: input.catalog,
            policy,
            institutions: input.institutions,
            ...(input.classify ? { classify: input.classify } : {}),
          }),
          policy,
        )
      : null;
  const lastYear = String(policy.historyYears.value.years.at(-1));
  const lastYearNumber = Number(lastYear);
  const lastYearFundPaid = new Map<string, Fen>();
  let cases = 0;
  return {
    addColumns(c, skip) {
      if (opening) throw new Error('an imported catalog’s opening point value is reduced from cases, not columns');
      cases += c.n;
      const attrs = c.dict.attributes;
      for (let r = 0; r < c.n; r++) {
        if (c.year[r] !== lastYearNumber) continue;
        const code = attrs[c.attributes[r]!]!.institutionCode;
        lastYearFundPaid.set(code, (lastYearFundPaid.get(code) ?? 0) + c.fundPay[r]!);
      }
      calibrator?.addColumns(c, skip);
      means?.addColumns(c, skip);
    },
    add(batch, other) {
      cases += batch.length;
      for (const c of batch) {
        if (c.dischargeTime.startsWith(lastYear)) {
          lastYearFundPaid.set(c.institutionCode, (lastYearFundPaid.get(c.institutionCode) ?? 0) + c.fundPay);
        }
      }
      const dip = other ? batch.filter((c) => !other(c)) : batch;
      calibrator?.add(dip);
      means?.add(dip);
      opening?.add(dip);
    },
    finish() {
      const calibration = calibrator ? calibrator.finish() : null;
      const catalog = calibration?.catalog ?? input.catalog!;
      const groupMeans = means?.finish(catalog, policy, input.classify);
      return {
        kind: 'dip-history',
        calibration,
        catalog,
        ...(groupMeans ? { groupMeans } : {}),
        openingPointValue: calibration?.openingPointValue ?? givenOpening ?? opening!.finish(),
        lastYearFundPaid,
        cases,
      };
    },
  };
}

/**
 * The DIP history reduced in the store (issue 9, model/history-keys.ts): the history years grouped by key in SQL —
 * the calibration's combinations, year sums, subtype masks and institution sums, the group means and last year's
 * fund payment all read from the key rows — and only the trimmed cases of the trimmed groups come back one by one.
 * `exclude`: another method's stays (per-bed-day categories, R-DIP-4), out of everything but last year's payment.
 * The same history as `dipHistoryReducer` fed with every case (no imported catalog: its opening value reads cases).
 */
export async function dipHistoryFromStore(
  store: Required<Pick<Store, 'historyKeys'>>,
  input: Pick<DipRunInput, 'region' | 'year' | 'institutions' | 'dip' | 'classify'>,
  exclude: readonly HistoryStayRule[],
): Promise<DipHistory> {
  const policy = input.dip.policy;
  const calibrator = catalogCalibrator({
    institutions: input.institutions,
    policy,
    meta: { policyId: input.dip.id, version: input.dip.version, region: input.region },
    ...(input.classify ? { classify: input.classify } : {}),
  });
  const means =
    policy.deviationStandard.value === 'group-mean-cost'
      ? groupMeansAccumulator(input.institutions, input.year - 1)
      : null;
  const { keys, tails } = await store.historyKeys(
    {
      years: policy.historyYears.value.years,
      bits: matcherFor(policy.auxiliary.value).storeBits(),
      exclude,
      firstIds: true,
    },
    (k) => calibrator.planKeys(k),
  );
  const calibration = calibrator.finishKeys(tails);
  means?.addKeys(keys);
  // Last year's fund payment per institution, the institutions in the order a pass over the cases meets them.
  const lastYear = policy.historyYears.value.years.at(-1);
  const paid = new Map<string, { fen: Fen; first: string }>();
  let cases = 0;
  for (let r = 0; r < keys.n; r++) {
    cases += keys.cases[r]!;
    if (keys.year[r] !== lastYear) continue;
    const code = keys.institutions[keys.institution[r]!]!;
    const first = keys.firstId[r] ?? '';
    const p = paid.get(code);
    if (p === undefined) paid.set(code, { fen: keys.fundPay[r]!, first });
    else {
      p.fen += keys.fundPay[r]!;
      if (first < p.first) p.first = first;
    }
  }
  const lastYearFundPaid = new Map(
    [...paid].sort(([, a], [, b]) => (a.first < b.first ? -1 : a.first > b.first ? 1 : 0)).map(([k, v]) => [k, v.fen]),
  );
  const groupMeans = means?.finish(calibration.catalog, policy, input.classify);
  return {
    kind: 'dip-history',
    calibration,
    catalog: calibration.catalog,
    ...(groupMeans ? { groupMeans } : {}),
    openingPointValue: calibration.openingPointValue,
    lastYearFundPaid,
    cases,
  };
}

function reduceDipHistory(input: DipRunInput, history: readonly InpatientCase[]): DipHistory {
  const r = dipHistoryReducer(input);
  const other = input.historyOfOtherMethods;
  r.add(history, other && other.size > 0 ? (c) => other.has(c.setlId) : undefined);
  return r.finish();
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

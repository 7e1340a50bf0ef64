/**
 * The inpatient pool of a region-year under the compound system (多元复合式): each case is paid by exactly one
 * method — per-bed-day for long psychiatric/rehabilitation/hospice stays (R-PAY-BEDDAY, converted to points, R-DIP-4),
 * a single-disease standard for cases inside a catalogued pathway (R-PAY-DISEASE), and DIP or DRG for every other
 * case (R-PAY-DIP / R-PAY-DRG) — and all of them are settled from one budget through the shared settlement layer.
 * Which case method applies is the region's choice: `dip` or `drg` (switch the policy file / `--inpatient`).
 *
 * Single-disease cases that leave the pathway (出径) are paid by the case method itself, as the single-disease
 * policy's `fallbackTo` says; so the single-disease pass only decides which cases stay in a pathway.
 */

import type { Catalog, ProcedureClassifier } from '../grouping/dip/index.ts';
import type { DrgKernel } from '../grouping/drg/index.ts';
import type { InpatientCase } from '../model/case.ts';
import type { Institution } from '../model/institution.ts';
import type { MethodId, UnitResult } from '../model/unit-result.ts';
import type { SpecialReviewDecision } from '../payment/dip/index.ts';
import type { DrgWeightTable } from '../payment/drg/index.ts';
import { ffsForCase } from '../payment/ffs/index.ts';
import {
  matchCategory,
  perDiemMethod,
  type RateAccumulator,
  type RateTable,
  rateAccumulator,
} from '../payment/per-diem/index.ts';
import { type StandardTable, singleDiseaseMethod, standardsAccumulator } from '../payment/single-disease/index.ts';
import { dipKind } from '../policy/kinds/dip.ts';
import { dipSettlementKind } from '../policy/kinds/dip-settlement.ts';
import { drgKind } from '../policy/kinds/drg.ts';
import { paymentMixKind } from '../policy/kinds/payment-mix.ts';
import { perDiemKind } from '../policy/kinds/per-diem.ts';
import { singleDiseaseKind } from '../policy/kinds/single-disease.ts';
import type { PolicySet } from '../policy/registry.ts';
import type { AssessmentResult, AuditDeduction } from '../settlement/deductions.ts';
import type { PoolSettlement } from '../settlement/settle.ts';
import type { Store } from '../store/store.ts';
import { type DipHistory, type DipHistoryReducer, type DipRunResult, dipHistoryReducer, runDip } from './dip-pool.ts';
import { type DrgHistory, type DrgHistoryReducer, type DrgRunResult, drgHistoryReducer, runDrg } from './drg-pool.ts';
import { policyDrgWeights } from './drg-weights.ts';
import { readYears } from './read-cases.ts';

export type CaseMethod = 'dip' | 'drg';

export interface InpatientYearOptions {
  region: string;
  year: number;
  policies: PolicySet;
  method: CaseMethod;
  /** The CHS-DRG kernel, required when `method` is `drg`. */
  kernel?: DrgKernel;
  /** Published DRG weights (the DRG policy's `weights` file), read by `runInpatientYear`. */
  drgWeights?: DrgWeightTable;
  /** Procedure classification for DIP (the store's ICD-9 list, see procedure-classifier.ts); default: chapters. */
  classify?: ProcedureClassifier;
  /** An imported DIP catalog instead of calibrating from history. */
  catalog?: Catalog;
  /** Audit deductions, assessment coefficients and special-review decisions of the year (R-DIP-6, R-DIP-3). */
  yearEnd?: {
    deductions?: readonly AuditDeduction[];
    assessments?: readonly AssessmentResult[];
    decisions?: readonly SpecialReviewDecision[];
  };
}

export interface InpatientYear {
  method: CaseMethod;
  dip?: DipRunResult;
  drg?: DrgRunResult;
  settlement: PoolSettlement;
  perDiemUnits: UnitResult[];
  singleDiseaseUnits: UnitResult[];
  institutions: Institution[];
  /** The year's cases as read (kept for explanations and other methods of the same year, so nothing reads twice). */
  current: readonly InpatientCase[];
  policies: Record<string, string>;
  counts: { history: number; current: number; perDiem: number; singleDisease: number; caseMethod: number };
  /** Wall seconds: reading cases from the store (set by runInpatientYear), carve-outs, then the case method's stages. */
  seconds: Record<string, number>;
}

/**
 * The inpatient case method: an explicit choice (`--inpatient`) wins; otherwise the region's `payment-mix` policy
 * in force on 1 January of the year says it.
 */
export function caseMethodFor(policies: PolicySet, region: string, year: number, explicit?: string): CaseMethod {
  if (explicit !== undefined) {
    if (explicit !== 'dip' && explicit !== 'drg') throw new RangeError(`inpatient method "${explicit}": dip | drg`);
    return explicit;
  }
  return policies.resolve(paymentMixKind, region, `${year}-01-01`).values.inpatientCaseMethod.value;
}

const has = (set: PolicySet, kind: string, region: string) =>
  set.files.some((f) => f.kind === kind && f.region === region);

/** The history years the case method calibrates from. */
export function historyYears(o: Pick<InpatientYearOptions, 'method' | 'policies' | 'region' | 'year'>): number[] {
  if (o.method === 'dip') return [...o.policies.resolveYear(dipKind, o.region, o.year).values.historyYears.value.years];
  const n = o.policies.resolveYear(drgKind, o.region, o.year).values.rwCalibration.value.yearWeights.length;
  return Array.from({ length: n }, (_, i) => o.year - n + i);
}

/** What the inpatient year needs of its history years, reduced batch by batch: no history case is kept. */
export interface InpatientHistory {
  readonly kind: 'inpatient-history';
  /** History cases read. */
  cases: number;
  /** Per-bed-day rates (calibrated from past stays, or the policy's table). */
  perDiemRates?: RateTable;
  /** Single-disease standards by entry × level. */
  standards?: StandardTable;
  dip?: DipHistory;
  drg?: DrgHistory;
}

export interface InpatientHistoryReducer {
  add(batch: readonly InpatientCase[]): void;
  finish(): InpatientHistory;
}

/**
 * One pass over the history years for every consumer at once: per-bed-day rates (and which past stays were
 * per-bed-day, kept out of DIP calibration, R-DIP-4), single-disease standards, and the case method's reduction
 * (DIP catalog, group means, opening value, last year's fund payment; or DRG weights and opening value).
 */
export function inpatientHistoryReducer(o: InpatientYearOptions, institutions: Institution[]): InpatientHistoryReducer {
  let perDiem: { rates: RateAccumulator; isPerDiem: (c: InpatientCase) => boolean } | undefined;
  if (has(o.policies, 'per-diem', o.region)) {
    const pd = o.policies.resolveYear(perDiemKind, o.region, o.year);
    const instByCode = new Map(institutions.map((i) => [i.code, i] as const));
    const categories = pd.values.categories.value;
    perDiem = {
      rates: rateAccumulator(pd.values, institutions),
      isPerDiem: (c) => matchCategory(c, instByCode.get(c.institutionCode), categories).kind === 'match',
    };
  }
  const standards = has(o.policies, 'single-disease', o.region)
    ? standardsAccumulator(o.policies.resolveYear(singleDiseaseKind, o.region, o.year).values, institutions)
    : undefined;
  let dip: DipHistoryReducer | undefined;
  let drg: DrgHistoryReducer | undefined;
  if (o.method === 'dip') {
    const d = o.policies.resolveYear(dipKind, o.region, o.year);
    dip = dipHistoryReducer({
      region: o.region,
      year: o.year,
      institutions,
      dip: { policy: d.values, id: d.id, version: d.version },
      ...(o.classify ? { classify: o.classify } : {}),
      ...(o.catalog ? { catalog: o.catalog } : {}),
    });
  } else {
    if (!o.kernel) throw new Error('DRG needs a grouping pack (--pack) / DRG 付费需要分组方案数据包');
    drg = drgHistoryReducer({
      year: o.year,
      institutions,
      kernel: o.kernel,
      drg: o.policies.resolveYear(drgKind, o.region, o.year).values,
      ...(o.drgWeights ? { weights: o.drgWeights } : {}),
    });
  }
  let cases = 0;
  return {
    add(batch) {
      cases += batch.length;
      perDiem?.rates.add(batch);
      standards?.add(batch);
      dip?.add(batch, perDiem?.isPerDiem);
      drg?.add(batch);
    },
    finish() {
      return {
        kind: 'inpatient-history',
        cases,
        ...(perDiem ? { perDiemRates: perDiem.rates.finish().table } : {}),
        ...(standards ? { standards: standards.finish().table } : {}),
        ...(dip ? { dip: dip.finish() } : {}),
        ...(drg ? { drg: drg.finish() } : {}),
      };
    },
  };
}

export async function runInpatientYear(store: Store, o: InpatientYearOptions): Promise<InpatientYear> {
  const t0 = performance.now();
  const institutions = await store.readInstitutions();
  const weights = o.method === 'drg' && !o.drgWeights ? policyDrgWeights(o.policies, o.region, o.year) : undefined;
  const opts = weights ? { ...o, drgWeights: weights.table } : o;
  const reducer = inpatientHistoryReducer(opts, institutions);
  for (const year of historyYears(o)) {
    for await (const batch of store.iterateCases({ year }, HISTORY_BATCH)) reducer.add(batch);
  }
  const history = reducer.finish();
  const t1 = performance.now();
  const current = await readYears(store, [o.year]);
  const read = (performance.now() - t1) / 1000;
  const y = inpatientYear(opts, history, current, institutions);
  return { ...y, seconds: { history: (t1 - t0) / 1000, read, ...y.seconds } };
}

/** Cases per batch of the history pass. */
const HISTORY_BATCH = 50_000;

/** The pure part: given the history (cases, or reduced) and the year's cases, assign methods and settle. */
export function inpatientYear(
  o: InpatientYearOptions,
  historyIn: readonly InpatientCase[] | InpatientHistory,
  current: readonly InpatientCase[],
  institutions: Institution[],
): InpatientYear {
  const started = performance.now();
  let history: InpatientHistory;
  if (Array.isArray(historyIn)) {
    const r = inpatientHistoryReducer(o, institutions);
    r.add(historyIn);
    history = r.finish();
  } else history = historyIn as InpatientHistory;
  const policies: Record<string, string> = {};
  const other = new Map<string, MethodId>();
  let perDiemUnits: UnitResult[] = [];
  if (has(o.policies, 'per-diem', o.region)) {
    const pd = o.policies.resolveYear(perDiemKind, o.region, o.year);
    policies.perDiem = pd.id;
    {
      // A per-diem policy's points are made at its reference point value, which is on the DIP scale (元/点). In a
      // DRG pool (points = RW × 100, a different scale) the same bed-days enter as their amounts instead, so
      // that neither scale distorts the other (R-DIP-4 conversion applies to DIP pools only).
      const policy =
        o.method === 'drg' && pd.values.settleAs.value === 'points'
          ? {
              ...pd.values,
              settleAs: { value: 'amount' as const, source: `${pd.values.settleAs.source}（DRG 点数池按金额计入）` },
            }
          : pd.values;
      const rates = history.perDiemRates!;
      perDiemUnits = perDiemMethod
        .evaluate(current, { policy, institutions, rates })
        .filter((u) => u.status !== 'excluded');
      for (const u of perDiemUnits) other.set(u.unitId, 'per-diem');
    }
  }
  let singleDiseaseUnits: UnitResult[] = [];
  if (has(o.policies, 'single-disease', o.region)) {
    const sd = o.policies.resolveYear(singleDiseaseKind, o.region, o.year);
    policies.singleDisease = sd.id;
    const candidates = current.filter((c) => !other.has(c.setlId));
    const standards = history.standards!;
    // Probe for the cases leaving the pathway: they are paid by the case method below, not here.
    const probe = {
      method: sd.values.fallbackTo.value,
      evaluate: (cs: readonly InpatientCase[]) =>
        cs.map((c) => ffsForCase(c, { zh: '出径', en: 'leaving the pathway', source: sd.values.fallbackTo.source })),
    };
    singleDiseaseUnits = singleDiseaseMethod
      .evaluate(candidates, { policy: sd.values, institutions, standards, fallback: probe })
      .filter((u) => u.status !== 'excluded' && u.status !== 'fallback');
    for (const u of singleDiseaseUnits) other.set(u.unitId, 'single-disease');
  }
  const extraUnits = [...perDiemUnits, ...singleDiseaseUnits];
  const carveOuts = (performance.now() - started) / 1000;
  const settlementPolicy = o.policies.resolveYear(dipSettlementKind, o.region, o.year);
  policies.settlement = settlementPolicy.id;
  const counts = {
    history: history.cases,
    current: current.length,
    perDiem: perDiemUnits.length,
    singleDisease: singleDiseaseUnits.length,
    caseMethod: current.length - other.size,
  };
  const common = { perDiemUnits, singleDiseaseUnits, institutions, current, policies, counts };
  const t1 = performance.now();
  if (o.method === 'dip') {
    const dip = o.policies.resolveYear(dipKind, o.region, o.year);
    policies.dip = dip.id;
    const run = runDip({
      region: o.region,
      year: o.year,
      history: history.dip!,
      current,
      institutions,
      dip: { policy: dip.values, id: dip.id, version: dip.version },
      settlement: settlementPolicy.values,
      extraUnits,
      paidByOtherMethod: other,
      ...(o.classify ? { classify: o.classify } : {}),
      ...(o.catalog ? { catalog: o.catalog } : {}),
      ...(o.yearEnd?.deductions ? { deductions: o.yearEnd.deductions } : {}),
      ...(o.yearEnd?.assessments ? { assessments: o.yearEnd.assessments } : {}),
      ...(o.yearEnd?.decisions ? { decisions: new Map(o.yearEnd.decisions.map((d) => [d.setlId, d] as const)) } : {}),
    });
    return {
      method: 'dip',
      dip: run,
      settlement: run.settlement,
      ...common,
      seconds: { carveOuts, ...Object.fromEntries(Object.entries(run.seconds).map(([k, v]) => [`dip ${k}`, v])) },
    };
  }
  if (!o.kernel) throw new Error('DRG needs a grouping pack (--pack) / DRG 付费需要分组方案数据包');
  const drg = o.policies.resolveYear(drgKind, o.region, o.year);
  policies.drg = drg.id;
  const run = runDrg({
    region: o.region,
    year: o.year,
    history: history.drg!,
    current,
    institutions,
    kernel: o.kernel,
    drg: drg.values,
    settlement: settlementPolicy.values,
    extraUnits,
    paidByOtherMethod: new Set(other.keys()),
    ...(o.drgWeights ? { weights: o.drgWeights } : {}),
    ...(o.yearEnd?.deductions ? { deductions: o.yearEnd.deductions } : {}),
    ...(o.yearEnd?.assessments ? { assessments: o.yearEnd.assessments } : {}),
  });
  return {
    method: 'drg',
    drg: run,
    settlement: run.settlement,
    ...common,
    seconds: { carveOuts, drg: (performance.now() - t1) / 1000 },
  };
}

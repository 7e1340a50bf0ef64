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

import { type Catalog, type GroupMatch, MATCH_STEPS, type ProcedureClassifier } from '../grouping/dip/index.ts';
import type { DrgKernel } from '../grouping/drg/index.ts';
import type { InpatientCase, Procedure, SettledCase } from '../model/case.ts';
import {
  CaseColumnBuilder,
  type CaseColumns,
  memoById,
  memoByListPair,
  monthOf,
  principalStartsWith,
  procedureListsById,
} from '../model/case-columns.ts';
import type { HistoryStayRule } from '../model/history-keys.ts';
import type { Institution } from '../model/institution.ts';
import type { Ratio } from '../model/money.ts';
import type { MethodId, UnitResult } from '../model/unit-result.ts';
import {
  type DipCaseInput,
  type DipCaseResult,
  DipEngine,
  DipError,
  type SpecialReviewDecision,
  selectSpecialReviewAmong,
  toUnitResults,
} from '../payment/dip/index.ts';
import {
  type DrgCase,
  DrgColumnGrouper,
  DrgIndicatorAccumulator,
  type DrgPayableFields,
  type DrgPricing,
  type DrgWeightTable,
  drgCaseOf,
  drgMethod,
  pricingFromPolicy,
} from '../payment/drg/index.ts';
import { ffsForCase } from '../payment/ffs/index.ts';
import {
  categoriesClaiming,
  matchCategory,
  mayMatchCategory,
  mayTakeStay,
  perDiemMethod,
  type RateAccumulator,
  type RateTable,
  rateAccumulator,
} from '../payment/per-diem/index.ts';
import {
  type EntryMatch,
  type EntryProbe,
  entriesClaiming,
  LEVELS,
  leavesPathway,
  matchEntry,
  meetsAnyOf,
  pathwayExitStep,
  pathwayExitSteps,
  type StandardsAccumulator,
  type StandardTable,
  singleDiseaseMethod,
  standardsAccumulator,
} from '../payment/single-disease/index.ts';
import { dipKind } from '../policy/kinds/dip.ts';
import { dipSettlementKind } from '../policy/kinds/dip-settlement.ts';
import { drgKind } from '../policy/kinds/drg.ts';
import { paymentMixKind } from '../policy/kinds/payment-mix.ts';
import { perDiemKind } from '../policy/kinds/per-diem.ts';
import { singleDiseaseKind } from '../policy/kinds/single-disease.ts';
import type { PolicySet } from '../policy/registry.ts';
import { poolBudget } from '../settlement/budget.ts';
import { type BudgetWarning, checkBudget } from '../settlement/budget-check.ts';
import type { AssessmentResult, AuditDeduction } from '../settlement/deductions.ts';
import { budgetRule, settlementRules } from '../settlement/policy-rules.ts';
import { PoolAccumulator } from '../settlement/pool.ts';
import { type PoolSettlement, settlePoolTotals } from '../settlement/settle.ts';
import type { Store } from '../store/store.ts';
import { perDiemPolicyInPool } from './carve-outs-of-run.ts';
import {
  type DipHistory,
  type DipHistoryReducer,
  type DipRunResult,
  dipHistoryFromStore,
  dipHistoryReducer,
} from './dip-pool.ts';
import {
  type DrgHistory,
  type DrgHistoryReducer,
  type DrgRunResult,
  drgHistoryReducer,
  withBaseRateStep,
  withExcessAsAmounts,
} from './drg-pool.ts';
import { policyDrgWeights } from './drg-weights.ts';

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
  /** The opening point value derived with `catalog` (see `DipRunInput.catalogOpeningPointValue`). */
  catalogOpeningPointValue?: Ratio;
  /** Audit deductions, assessment coefficients and special-review decisions of the year (R-DIP-6, R-DIP-3). */
  yearEnd?: {
    deductions?: readonly AuditDeduction[];
    assessments?: readonly AssessmentResult[];
    decisions?: readonly SpecialReviewDecision[];
  };
}

/** A DIP year as the stream leaves it: what it derived and settled, no case and no unit of the year. */
export type DipYear = Omit<DipRunResult, 'evaluation' | 'units'> & {
  specialReview: { cap: number; queued: number; candidates: number };
};

/** A DRG year as the stream leaves it: weights, settlement and indicators, no case and no unit of the year. */
export type DrgYear = Omit<DrgRunResult, 'cases' | 'units'>;

export interface InpatientYear {
  method: CaseMethod;
  dip?: DipYear;
  drg?: DrgYear;
  settlement: PoolSettlement;
  institutions: Institution[];
  policies: Record<string, string>;
  counts: { history: number; current: number; perDiem: number; singleDisease: number; caseMethod: number };
  /** Wall seconds: the history pass, reading the year, carve-outs, the case method, the pool settlement. */
  seconds: Record<string, number>;
  /**
   * The units that waited for the year's count: DIP special-review candidates (few), with the outcome of the
   * year's selection. Every other unit left the stream with its batch (`add`, `onUnits`).
   */
  specialReviewUnits: UnitResult[];
  /** The budget is zero or far from last year's pooled-fund payment (settlement policy `budgetPlausibility`). */
  budgetWarning?: BudgetWarning;
  /**
   * Institutions the settlement policy's `advanceMonths.byInstitution` names that are not institutions of the store
   * (a typo, H9 for H1): their number applies to no one, and the institution meant falls back to its level's (R-BUD-5).
   */
  unknownAdvanceInstitutions?: { codes: string[]; source: string };
  /** The per-bed-day rates the year applied (calibrated or the policy's), when it had a per-bed-day policy. */
  perDiemRates?: RateTable;
  /** The single-disease standards the year applied, when it had a single-disease policy. */
  standards?: StandardTable;
}

/** Receives each batch's units as the run stores them (see `InpatientYearStream.add`). */
export type UnitSink = (poolId: string, units: readonly UnitResult[]) => Promise<void>;

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
  const h = historyConsumers(o, institutions);
  return {
    add(batch) {
      h.cases += batch.length;
      h.perDiem?.rates.add(batch);
      h.standards?.add(batch);
      h.dip?.add(batch, h.perDiem?.isPerDiem);
      h.drg?.add(batch);
    },
    finish: () => h.finish(),
  };
}

/** The consumers of the history pass, shared by the case path (tests) and the columnar path (the store). */
function historyConsumers(o: InpatientYearOptions, institutions: Institution[]) {
  let perDiem:
    | {
        rates: RateAccumulator;
        isPerDiem: (c: InpatientCase) => boolean;
        /** Which rows of the columns are per-bed-day stays (null: none). */
        perDiemRows: (c: CaseColumns) => Uint8Array | null;
        /** Principal-diagnosis prefixes of the stays the calibrated rates read whole (none for a policy table). */
        prefixes: string[];
        /** The categories as the store tells a stay (`matchCategory`: exactly one category takes it). */
        stayRules: HistoryStayRule[];
      }
    | undefined;
  if (has(o.policies, 'per-diem', o.region)) {
    const pd = o.policies.resolveYear(perDiemKind, o.region, o.year);
    const instByCode = new Map(institutions.map((i) => [i.code, i] as const));
    const categories = pd.values.categories.value;
    const all = categories.flatMap((k) => k.diagnosisPrefixes);
    // Whether a category's prefix may claim a diagnosis list, per distinct list.
    const claims = memoById((dict, d) => principalStartsWith(dict.diagnoses[d]!, all));
    perDiem = {
      rates: rateAccumulator(pd.values, institutions),
      isPerDiem: (c) => matchCategory(c, instByCode.get(c.institutionCode), categories).kind === 'match',
      perDiemRows(c) {
        let rows: Uint8Array | null = null;
        for (let r = 0; r < c.n; r++) {
          const d = c.diagnoses[r]!;
          if (!claims(c.dict, d)) continue;
          const diagnoses = c.dict.diagnoses[d]!;
          const inst = instByCode.get(c.dict.attributes[c.attributes[r]!]!.institutionCode);
          if (matchCategory({ diagnoses, losDays: c.losDays[r]! }, inst, categories).kind !== 'match') continue;
          rows ??= new Uint8Array(c.n);
          rows[r] = 1;
        }
        return rows;
      },
      prefixes: pd.values.rates.value.method === 'table' ? [] : all,
      stayRules: categories.map((k) => ({
        principalPrefixes: k.diagnosisPrefixes,
        institutions: institutions.filter((i) => k.institutionTypes.includes(i.type)).map((i) => i.code),
        minLosDays: k.minLosDays,
      })),
    };
  }
  let standards: (StandardsAccumulator & { prefixes: string[] }) | undefined;
  if (has(o.policies, 'single-disease', o.region)) {
    const sd = o.policies.resolveYear(singleDiseaseKind, o.region, o.year).values;
    // Only entries without a published standard at some level are calibrated from history.
    const calibrated = sd.catalog.value.filter((e) => LEVELS.some((l) => e.standards?.[l] === undefined));
    standards = {
      ...standardsAccumulator(sd, institutions),
      prefixes: calibrated.flatMap((e) => e.diagnoses),
    };
  }
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
      ...(o.catalog && o.catalogOpeningPointValue ? { catalogOpeningPointValue: o.catalogOpeningPointValue } : {}),
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
  const h = {
    cases: 0,
    perDiem,
    standards,
    dip,
    drg,
    finish(): InpatientHistory {
      return {
        kind: 'inpatient-history',
        cases: h.cases,
        ...(perDiem ? { perDiemRates: perDiem.rates.finish().table } : {}),
        ...(standards ? { standards: standards.finish().table } : {}),
        ...(dip ? { dip: dip.finish() } : {}),
        ...(drg ? { drg: drg.finish() } : {}),
      };
    },
  };
  return h;
}

/**
 * The history pass from the store, set-based where the key is a column and per distinct key where it needs a
 * grouper: the history years are read as typed columns with interned codes (`Store.iterateCaseColumns`), the DIP
 * combinations, group-mean keys, auxiliary subtypes and DRG inputs are built per distinct code list, and only the
 * cases a per-bed-day category or a single-disease entry could claim (by principal-diagnosis prefix: few) are read
 * whole, for those two calibrations and to keep per-bed-day stays out of DIP. The same history as
 * `inpatientHistoryReducer` fed with every case; an imported DIP catalog (its opening value evaluates cases) takes
 * that path, unless the opening value derived with it is given (a what-if reusing its base run's catalog).
 */
export async function reduceInpatientHistory(
  store: Store,
  o: InpatientYearOptions,
  institutions: Institution[],
): Promise<InpatientHistory> {
  if (o.method === 'dip' && o.catalog && !o.catalogOpeningPointValue) {
    const reducer = inpatientHistoryReducer(o, institutions);
    for (const year of historyYears(o)) {
      for await (const batch of store.iterateCases({ year }, BATCH)) reducer.add(batch);
    }
    return reducer.finish();
  }
  const h = historyConsumers(o, institutions);
  const idsFor = [...new Set([...(h.perDiem?.prefixes ?? []), ...(h.standards?.prefixes ?? [])])].sort();
  if (o.method === 'dip' && groupsHistory(store)) return dipHistoryInStore(store, o, institutions, h, idsFor);
  for (const year of historyYears(o)) {
    for await (const cols of store.iterateCaseColumns({ year }, { batchSize: 4 * BATCH, idsFor })) {
      h.cases += cols.n;
      // The ids of the rows a prefix may claim (a set: a setl_id given twice reads back two cases, and fails below).
      const ids = new Set<string>();
      for (const id of cols.setlId) if (id !== null) ids.add(id);
      if (ids.size > 0) {
        const claimed = (await store.readCases([...ids])).filter(
          (c) => Number(c.dischargeTime.slice(0, 4)) === year && principalStartsWith(c.diagnoses, idsFor),
        );
        if (claimed.length !== ids.size)
          throw new Error(`history ${year}: ${ids.size} cases by prefix, ${claimed.length} read (setl_id twice?)`);
        h.perDiem?.rates.add(claimed);
        h.standards?.add(claimed);
      }
      const skip = h.dip && h.perDiem ? h.perDiem.perDiemRows(cols) : null;
      h.dip?.addColumns(cols, skip ?? undefined);
      h.drg?.addColumns(cols);
    }
  }
  return h.finish();
}

/**
 * The DIP history pass in the store (issue 9): the cases a calibrated per-bed-day rate or single-disease standard
 * reads (by principal-diagnosis prefix: few) read whole, then the DIP history grouped by key in SQL
 * (`dipHistoryFromStore`), the per-bed-day stays told there by their categories and kept out of DIP (R-DIP-4).
 */
type KeyedStore = Store & Required<Pick<Store, 'historyKeys' | 'caseIdsByPrincipal'>>;

/** Whether the store groups the history in SQL (`Store.historyKeys`; DuckDB and ClickHouse). */
const groupsHistory = (store: Store): store is KeyedStore =>
  store.historyKeys !== undefined && store.caseIdsByPrincipal !== undefined;

async function dipHistoryInStore(
  store: KeyedStore,
  o: InpatientYearOptions,
  institutions: Institution[],
  h: ReturnType<typeof historyConsumers>,
  idsFor: readonly string[],
): Promise<InpatientHistory> {
  // The calibrated rates and standards read their stays whole (few: by principal-diagnosis prefix).
  for (const year of historyYears(o)) {
    const ids = await store.caseIdsByPrincipal({ year }, idsFor);
    for (let i = 0; i < ids.length; i += BATCH) {
      const part = ids.slice(i, i + BATCH);
      const claimed = await store.readCases(part);
      if (claimed.length !== part.length)
        throw new Error(`history ${year}: ${part.length} cases by prefix, ${claimed.length} read (setl_id twice?)`);
      h.perDiem?.rates.add(claimed);
      h.standards?.add(claimed);
    }
  }
  const d = o.policies.resolveYear(dipKind, o.region, o.year);
  const dip = await dipHistoryFromStore(
    store,
    {
      region: o.region,
      year: o.year,
      institutions,
      dip: { policy: d.values, id: d.id, version: d.version },
      ...(o.classify ? { classify: o.classify } : {}),
    },
    h.perDiem?.stayRules ?? [],
  );
  return {
    kind: 'inpatient-history',
    cases: dip.cases,
    ...(h.perDiem ? { perDiemRates: h.perDiem.rates.finish().table } : {}),
    ...(h.standards ? { standards: h.standards.finish().table } : {}),
    dip,
  };
}

/** Cases per batch of the history pass. */
const BATCH = 50_000;
/**
 * Cases per batch of the settlement year: a batch's cases and units die young (a few MB), so the collector
 * reclaims them cheaply instead of promoting 50k cases at a time (measured: lower peak RSS, less GC).
 */
const YEAR_BATCH = 8192;

/**
 * The inpatient year from the store, streamed: one pass over the history years reduces them
 * (`inpatientHistoryReducer`); one pass over the settlement year evaluates each batch (carve-outs, then the case
 * method) into the pool accumulator and hands its units to `onUnits` (the run writer), then drops them;
 * special-review candidates (few) wait for the year's count and go to `onUnits` last; then the pool is settled.
 * Neither the year's cases nor its units are kept, and the year is read once.
 */
export async function runInpatientYear(
  store: Store,
  o: InpatientYearOptions,
  onUnits?: UnitSink,
): Promise<InpatientYear> {
  const t0 = performance.now();
  const institutions = await store.readInstitutions();
  const weights = o.method === 'drg' && !o.drgWeights ? policyDrgWeights(o.policies, o.region, o.year) : undefined;
  const opts = weights ? { ...o, drgWeights: weights.table } : o;
  const history = await reduceInpatientHistory(store, opts, institutions);
  const t1 = performance.now();
  const y = inpatientYearStream(opts, history, institutions);
  let written = 0;
  const write = async (units: readonly UnitResult[]) => {
    if (!onUnits || units.length === 0) return;
    const at = performance.now();
    await onUnits(y.poolId, units);
    written += (performance.now() - at) / 1000;
  };
  // The store gives the year in setl_id order, so a duplicate settlement id is next to its twin.
  // The year as typed columns (no case object is read).
  let last: string | undefined;
  for await (const cols of store.iterateCaseColumns({ year: o.year }, { batchSize: YEAR_BATCH, settlement: true })) {
    for (const id of cols.settlement!.setlIds) {
      if (id === last) throw new DipError('DUPLICATE_CASE', `结算ID ${last} 重复`, `duplicate setl_id ${last}`);
      last = id;
    }
    await write(y.addColumns(cols));
  }
  const year = y.finish();
  await write(year.specialReviewUnits);
  const total = (performance.now() - t1) / 1000;
  const evaluated = Object.values(year.seconds).reduce((a, b) => a + b, 0) + written;
  return {
    ...year,
    seconds: {
      history: (t1 - t0) / 1000,
      read: Math.max(0, total - evaluated),
      ...year.seconds,
      ...(onUnits ? { 'write units': written } : {}),
    },
  };
}

/** The pure year over arrays (tests): the history reduced in one batch, the year's cases in one batch. */
export function inpatientYear(
  o: InpatientYearOptions,
  history: readonly InpatientCase[],
  current: readonly InpatientCase[],
  institutions: Institution[],
): InpatientYear {
  const r = inpatientHistoryReducer(o, institutions);
  r.add(history);
  const y = inpatientYearStream(o, r.finish(), institutions);
  const sorted = [...current].sort((a, b) => (a.setlId < b.setlId ? -1 : a.setlId > b.setlId ? 1 : 0));
  for (let i = 1; i < sorted.length; i++) {
    const id = sorted[i]!.setlId;
    if (id === sorted[i - 1]!.setlId)
      throw new DipError('DUPLICATE_CASE', `结算ID ${id} 重复`, `duplicate setl_id ${id}`);
  }
  y.add(sorted);
  return y.finish();
}

interface BatchUnits {
  /** Per-bed-day and single-disease units (carve-outs). */
  carved: UnitResult[];
  /**
   * The case method's units: DIP every case not carved out (a carved-out case would be `excluded`: counted in
   * `carvedIds`), special-review candidates aside.
   */
  caseUnits: UnitResult[];
  /** DIP: the special-review candidates of the batch (they wait for the year's count). */
  candidates: DipCaseResult[];
  /** DIP: the batch's cases not excluded; DRG: the batch's cases priced by DRG. */
  caseMethod: number;
  drgCases: DrgCase[];
  /** The ids paid by a carve-out. */
  carvedIds: ReadonlyMap<string, MethodId>;
}

export interface InpatientYearStream {
  /** The pool's id (`region-method-year`), under which its units are stored. */
  readonly poolId: string;
  /**
   * Evaluate a batch of the year's cases as typed columns with the settlement fields, in setl_id order, into the
   * pool, and return its units as the run stores them: the carve-outs' units and the case method's units of the
   * cases not carved out, except the DIP special-review candidates, which wait for the year's count
   * (`InpatientYear.specialReviewUnits`).
   */
  addColumns(columns: CaseColumns): UnitResult[];
  /** The same for a batch of case objects (tests, an imported year): turned into columns, then `addColumns`. */
  add(batch: readonly InpatientCase[]): UnitResult[];
  finish(): InpatientYear;
}

/**
 * The settlement year as a stream (pure): `addColumns` (or `add`) batches of the year's cases in setl_id order, then
 * `finish`. No case object is read: a row becomes a `SettledCase` (a few fields, the codes from the shared
 * dictionaries) only where a method reads one — a carve-out candidate, a DIP case; DRG groups from the columns.
 */
export function inpatientYearStream(
  o: InpatientYearOptions,
  history: InpatientHistory,
  institutions: Institution[],
): InpatientYearStream {
  const t = { carveOuts: 0, evaluate: 0 };
  const lap = (k: keyof typeof t, since: number) => {
    const now = performance.now();
    t[k] += (now - since) / 1000;
    return now;
  };
  const policies: Record<string, string> = {};
  // Carve-outs: per-bed-day first, then single-disease pathways among the rest.
  let perDiem: ((batch: readonly SettledCase[]) => UnitResult[]) | undefined;
  /** Whether a category may take row `r` (its principal diagnosis per distinct list, its days and institution). */
  let mayPerDiem: ((c: CaseColumns, r: number) => boolean) | undefined;
  if (has(o.policies, 'per-diem', o.region)) {
    const pd = o.policies.resolveYear(perDiemKind, o.region, o.year);
    policies.perDiem = pd.id;
    // In a DRG pool the stays enter as amounts, not as points on the DIP scale (see `perDiemPolicyInPool`).
    const policy = perDiemPolicyInPool(pd.values, o.method);
    const rates = history.perDiemRates!;
    const instByCode = new Map(institutions.map((i) => [i.code, i] as const));
    const categories = policy.categories.value;
    // Only the stays a category may take are evaluated (the others would be `excluded` units, dropped here).
    perDiem = (batch) =>
      perDiemMethod
        .evaluate(
          batch.filter((c) => mayMatchCategory(c, instByCode.get(c.institutionCode), categories)),
          { policy, institutions, rates, explain: false },
        )
        .filter((u) => u.status !== 'excluded');
    // `mayMatchCategory` per row, its diagnosis part per distinct diagnosis list and its institution per attribute
    // tuple (the codes are interned), so a row costs two array lookups unless a category claims its diagnosis.
    const claiming = memoById((dict, d) => categoriesClaiming(dict.diagnoses[d]![0]?.code, categories));
    const institutionOf = memoById((dict, a) => instByCode.get(dict.attributes[a]!.institutionCode));
    mayPerDiem = (c, r) => {
      const k = claiming(c.dict, c.diagnoses[r]!);
      return k.length > 0 && mayTakeStay(k, c.losDays[r]!, institutionOf(c.dict, c.attributes[r]!));
    };
  }
  let singleDisease: ((batch: readonly SettledCase[]) => UnitResult[]) | undefined;
  /** Why a case of a listed disease left its pathway (出径), for the basis of its case-method unit (R-PAY-DISEASE). */
  let exitWords: ((c: SettledCase) => { zh: string; en: string } | undefined) | undefined;
  /** Whether row `r` meets an entry's inclusion criteria. */
  let mayDisease: ((c: CaseColumns, r: number) => boolean) | undefined;
  if (has(o.policies, 'single-disease', o.region)) {
    const sd = o.policies.resolveYear(singleDiseaseKind, o.region, o.year);
    policies.singleDisease = sd.id;
    const standards = history.standards!;
    // Probe for the cases leaving the pathway: they are paid by the case method below, not here.
    const probe = {
      method: sd.values.fallbackTo.value,
      evaluate: (cs: readonly SettledCase[]) =>
        cs.map((c) => ffsForCase(c, { zh: '出径', en: 'leaving the pathway', source: sd.values.fallbackTo.source })),
    };
    const catalog = sd.values.catalog.value;
    // Only the cases that stay in a pathway are evaluated: the others would be `excluded` units (no entry) or
    // `fallback` units (leaving the pathway, paid by the case method below), both dropped here.
    // Each candidate is matched once (a batch's matches, read again by the method and by `exitWords`).
    const matched = new Map<SettledCase, EntryMatch>();
    const staysIn = (c: SettledCase) => {
      const m = matchEntry(c, catalog);
      matched.set(c, m);
      return m.kind === 'overlap' || (m.kind === 'match' && !leavesPathway(c, m.entry, sd.values));
    };
    exitWords = (c) => {
      const m = matched.get(c);
      return m ? pathwayExitStep(c, m, sd.values, o.method) : pathwayExitSteps(c, sd.values, o.method)?.[1];
    };
    const context = {
      policy: sd.values,
      institutions,
      standards,
      fallback: probe,
      explain: false,
      matched: (c: SettledCase) => matched.get(c),
    };
    singleDisease = (batch) => {
      matched.clear();
      return singleDiseaseMethod
        .evaluate(batch.filter(staysIn), context)
        .filter((u) => u.status !== 'excluded' && u.status !== 'fallback');
    };
    // `meetsAnyEntry` per row: the entries its principal diagnosis may meet per distinct diagnosis list, and the
    // procedures and stay only for the rows with some (the codes are interned).
    const claiming = memoById((dict, d) => entriesClaiming(dict.diagnoses[d]![0]?.code, catalog));
    const row: EntryProbe = { diagnoses: [], procedures: [], losDays: 0 };
    mayDisease = (c, r) => {
      const d = c.diagnoses[r]!;
      const k = claiming(c.dict, d);
      if (k.length === 0) return false;
      row.diagnoses = c.dict.diagnoses[d]!;
      row.procedures = proceduresOf(c, r);
      row.losDays = c.losDays[r]!;
      return meetsAnyOf(k, row);
    };
  }
  const settlementPolicy = o.policies.resolveYear(dipSettlementKind, o.region, o.year);
  policies.settlement = settlementPolicy.id;
  const levels = new Map(institutions.map((i) => [i.code, i.level] as const));

  // The case method.
  let dipEngine: DipEngine | undefined;
  let drgPricing: DrgPricing | undefined;
  let drgGrouper: DrgColumnGrouper | undefined;
  const decisions = o.yearEnd?.decisions ? new Map(o.yearEnd.decisions.map((d) => [d.setlId, d] as const)) : undefined;
  if (o.method === 'dip') {
    const dip = o.policies.resolveYear(dipKind, o.region, o.year);
    policies.dip = dip.id;
    const h = history.dip!;
    dipEngine = new DipEngine({
      catalog: h.catalog,
      policy: dip.values,
      institutions,
      ...(h.groupMeans ? { groupMeans: h.groupMeans } : {}),
      ...(h.calibration ? { referencePointValue: h.calibration.referencePointValue } : {}),
      ...(o.classify ? { classify: o.classify } : {}),
    });
  } else {
    if (!o.kernel) throw new Error('DRG needs a grouping pack (--pack) / DRG 付费需要分组方案数据包');
    const drg = o.policies.resolveYear(drgKind, o.region, o.year);
    policies.drg = drg.id;
    drgPricing = pricingFromPolicy(drg.values);
    drgGrouper = new DrgColumnGrouper(o.kernel);
  }

  // Procedure lists as the engines read them (per dictionary of an iteration), unit months.
  const procedureList = procedureListsById();
  const proceduresOf = (c: CaseColumns, r: number): Procedure[] => procedureList(c.dict, c.procedures[r]!);
  const months = new Map<number, string>();
  const monthAt = (c: CaseColumns, r: number): string => {
    const key = c.year[r]! * 16 + c.settlement!.month[r]!;
    let m = months.get(key);
    if (m === undefined) {
      m = monthOf(c, r);
      months.set(key, m);
    }
    return m;
  };
  const settlementOf = (c: CaseColumns) => {
    if (!c.settlement) throw new Error('the settlement year needs its columns with the settlement fields');
    return c.settlement;
  };

  /** A row as the methods read a case (`SettledCase`): the codes are the dictionaries' shared lists. */
  const caseAt = (c: CaseColumns, r: number): SettledCase => {
    const { dict } = c;
    const s = settlementOf(c);
    const a = dict.attributes[c.attributes[r]!]!;
    const ageDays = c.ageDays[r]!;
    const weight = c.birthWeightG[r]!;
    const department = dict.departments[s.department[r]!]!;
    return {
      setlId: s.setlIds[r]!,
      institutionCode: a.institutionCode,
      insuranceType: a.insuranceType,
      sex: a.sex,
      ageYears: c.ageYears[r]!,
      ageDays: ageDays >= 0 ? ageDays : undefined,
      newbornBirthWeightG: weight >= 0 ? weight : undefined,
      dischargeTime: monthAt(c, r),
      losDays: c.losDays[r]!,
      dischargeWay: a.dischargeWay,
      department: department === '' ? undefined : department,
      diagnoses: dict.diagnoses[c.diagnoses[r]!]!,
      procedures: proceduresOf(c, r),
      icuDays: c.icuDays[r]!,
      totalCost: c.totalCost[r]!,
      fundPay: c.fundPay[r]!,
    };
  };

  /**
   * A row as the DIP engine reads a case, in one object refilled per row (the engine keeps none of it: its result
   * copies the fields it reports). The codes are the dictionaries' shared lists.
   */
  const dipRow = {
    setlId: '',
    institutionCode: '',
    dischargeTime: '',
    totalCost: 0,
    fundPay: 0,
    diagnoses: [] as InpatientCase['diagnoses'],
    procedures: [] as Procedure[],
    ageYears: 0,
    ageDays: undefined as number | undefined,
    icuDays: 0,
    dischargeWay: '1' as InpatientCase['dischargeWay'],
  } satisfies DipCaseInput;
  const dipRowAt = (c: CaseColumns, r: number): DipCaseInput => {
    const { dict } = c;
    const a = dict.attributes[c.attributes[r]!]!;
    const ageDays = c.ageDays[r]!;
    dipRow.setlId = settlementOf(c).setlIds[r]!;
    dipRow.institutionCode = a.institutionCode;
    dipRow.dischargeTime = monthAt(c, r);
    dipRow.totalCost = c.totalCost[r]!;
    dipRow.fundPay = c.fundPay[r]!;
    dipRow.diagnoses = dict.diagnoses[c.diagnoses[r]!]!;
    dipRow.procedures = proceduresOf(c, r);
    dipRow.ageYears = c.ageYears[r]!;
    dipRow.ageDays = ageDays >= 0 ? ageDays : undefined;
    dipRow.icuDays = c.icuDays[r]!;
    dipRow.dischargeWay = a.dischargeWay;
    return dipRow;
  };
  // The DIP group of a row reads its diagnoses and procedures only (`DipGrouper.group`): once per distinct pair,
  // the pairs of one group and step sharing one match (a year has many more pairs than groups).
  const matches = new Map<number, GroupMatch>();
  const dipGroupOf = dipEngine
    ? memoByListPair((dict, d, p): GroupMatch => {
        const m = dipEngine!.grouper.group({ diagnoses: dict.diagnoses[d]!, procedures: procedureList(dict, p) });
        if (m.index < 0) return m;
        const key = m.index * MATCH_STEPS.length + MATCH_STEPS.indexOf(m.step);
        let shared = matches.get(key);
        if (shared === undefined) {
          shared = m;
          matches.set(key, m);
        }
        return shared;
      })
    : undefined;

  /** Rows a carve-out may take (its category's or entry's criteria). */
  const carveOutRows = (c: CaseColumns): number[] => {
    const rows: number[] = [];
    if (!mayPerDiem && !mayDisease) return rows;
    for (let r = 0; r < c.n; r++) if (mayPerDiem?.(c, r) || mayDisease?.(c, r)) rows.push(r);
    return rows;
  };

  const evaluate = (c: CaseColumns): BatchUnits => {
    let at = performance.now();
    const ids = settlementOf(c).setlIds;
    const other = new Map<string, MethodId>();
    const carved: UnitResult[] = [];
    // The rows a carve-out may take, as cases (few; the case method reads the others straight from the columns).
    const rows = carveOutRows(c);
    const taken = new Map<number, SettledCase>();
    for (const r of rows) taken.set(r, caseAt(c, r));
    const candidates = [...taken.values()];
    if (perDiem && candidates.length > 0) {
      for (const u of perDiem(candidates)) {
        other.set(u.unitId, 'per-diem');
        carved.push(u);
      }
    }
    if (singleDisease && candidates.length > 0) {
      for (const u of singleDisease(other.size > 0 ? candidates.filter((w) => !other.has(w.setlId)) : candidates)) {
        other.set(u.unitId, 'single-disease');
        carved.push(u);
      }
    }
    at = lap('carveOuts', at);
    const out: BatchUnits = { carved, caseUnits: [], candidates: [], caseMethod: 0, drgCases: [], carvedIds: other };
    const { dict } = c;
    if (dipEngine) {
      const results: DipCaseResult[] = [];
      // A carved-out row would be an `excluded` DIP result, which the run does not store (`addColumns`): skipped.
      const carvedRow = new Uint8Array(c.n);
      for (const [r, cs] of taken) if (other.has(cs.setlId)) carvedRow[r] = 1;
      const opts = decisions ? { decisions } : {};
      for (let r = 0; r < c.n; r++) {
        if (carvedRow[r] === 1) continue;
        const grouped = dipGroupOf!(dict, c.diagnoses[r]!, c.procedures[r]!);
        const res = dipEngine.evaluateCase(taken.get(r) ?? dipRowAt(c, r), opts, grouped);
        if (res.status !== 'excluded') out.caseMethod++;
        if (res.specialCandidate) out.candidates.push(res);
        else results.push(res);
      }
      out.caseUnits = toUnitResults(results, dipEngine, false);
    } else {
      // The rows of a known institution not carved out, grouped from their columns (grouping is per case).
      const s = settlementOf(c);
      const rows: number[] = [];
      for (let r = 0; r < c.n; r++)
        if (levels.has(dict.attributes[c.attributes[r]!]!.institutionCode) && !other.has(ids[r]!)) rows.push(r);
      const outcomes = drgGrouper!.group(c, rows);
      const cases = rows.map((r, k): DrgCase => {
        const a = dict.attributes[c.attributes[r]!]!;
        const department = dict.departments[s.department[r]!]!;
        const fields: DrgPayableFields = {
          setlId: ids[r]!,
          institutionCode: a.institutionCode,
          insuranceType: a.insuranceType,
          ...(department ? { department } : {}),
          losDays: c.losDays[r]!,
          dischargeWay: a.dischargeWay,
          totalCost: c.totalCost[r]!,
          fundPay: c.fundPay[r]!,
        };
        return drgCaseOf(fields, monthAt(c, r), levels.get(a.institutionCode)!, outcomes[k]!);
      });
      out.drgCases = cases;
      out.caseMethod = cases.length;
      // Units carry their figures and basis; `explain case` recomputes a unit's trace from the run's snapshot.
      out.caseUnits = drgMethod.evaluate(cases, { table: history.drg!.weights, pricing: drgPricing!, explain: false });
    }
    // A listed disease that left its pathway says so in its 计算依据 before the DIP/DRG words (R-PAY-DISEASE): the
    // per-case sheet read "未入组病例…" for an appendicitis of 9 days, as if no single-disease standard existed.
    if (exitWords && candidates.length > 0) {
      const left = new Map<string, { zh: string; en: string }>();
      for (const cs of candidates) {
        if (other.has(cs.setlId)) continue;
        const w = exitWords(cs);
        if (w) left.set(cs.setlId, w);
      }
      if (left.size > 0)
        for (const u of out.caseUnits) {
          const w = left.get(u.unitId);
          const last = u.explanation.at(-1);
          if (!w || !last) continue;
          u.explanation[u.explanation.length - 1] = { ...last, zh: `${w.zh}；${last.zh}`, en: `${w.en}; ${last.en}` };
        }
    }
    lap('evaluate', at);
    return out;
  };
  const poolId = `${o.region}-${o.method}-${o.year}`;
  const pool = new PoolAccumulator({ poolId, year: o.year });
  const counts = { history: history.cases, current: 0, perDiem: 0, singleDisease: 0, caseMethod: 0 };
  const candidates: DipCaseResult[] = [];
  let dipCases = 0;
  const byInstitution = new DrgIndicatorAccumulator();
  const byDepartment = new DrgIndicatorAccumulator((c) => `${c.institutionCode}/${c.department ?? ''}`);
  let drgGrouped = 0;
  let drgCases = 0;
  let builder: CaseColumnBuilder | undefined;

  const addColumns = (c: CaseColumns): UnitResult[] => {
    const b = evaluate(c);
    counts.current += c.n;
    for (const u of b.carved) {
      if (u.method === 'per-diem') counts.perDiem++;
      else counts.singleDisease++;
    }
    counts.caseMethod += c.n - b.carvedIds.size;
    pool.add(b.carved);
    pool.add(b.caseUnits);
    // DIP's `excluded` units of the carved-out cases, which it no longer makes (the run never stored them).
    if (dipEngine) pool.addExcluded(b.carvedIds.size);
    if (dipEngine) {
      dipCases += b.caseMethod;
      candidates.push(...b.candidates);
    } else {
      byInstitution.add(b.drgCases);
      byDepartment.add(b.drgCases);
      drgCases += b.drgCases.length;
      for (const d of b.drgCases) if (d.drg !== null) drgGrouped++;
    }
    // A carved-out case is stored once, by its carve-out (DIP skips it; DRG groups only the others).
    const caseUnits = b.caseUnits;
    for (const u of b.carved) caseUnits.push(u);
    return caseUnits;
  };

  return {
    poolId,
    addColumns,
    add(batch) {
      builder ??= new CaseColumnBuilder([], true);
      return addColumns(builder.columns(batch));
    },
    finish(): InpatientYear {
      const at = performance.now();
      let specialReview = { cap: 0, queued: 0, candidates: 0 };
      let specialReviewUnits: UnitResult[] = [];
      if (dipEngine) {
        specialReview = selectSpecialReviewAmong(
          candidates,
          dipCases,
          dipEngine.policy,
          decisions,
          dipEngine.referencePointValue,
        );
        specialReviewUnits = toUnitResults(candidates, dipEngine, false);
        pool.add(specialReviewUnits);
      }
      const reduced = (history.dip ?? history.drg)!;
      const lastYearFundPaid = reduced.lastYearFundPaid;
      const lastYearTotal = [...lastYearFundPaid.values()].reduce((s, v) => s + v, 0);
      const dipPolicy = dipEngine?.policy;
      const settlement = settlePoolTotals({
        poolId,
        region: o.region,
        year: o.year,
        totals: pool.totals(),
        budget: poolBudget(budgetRule(settlementPolicy.values), lastYearTotal),
        openingPointValue: {
          value: reduced.openingPointValue,
          source: dipPolicy
            ? dipPolicy.historyYears.source
            : o.policies.resolveYear(drgKind, o.region, o.year).values.rwCalibration.source,
        },
        institutions,
        lastYearFundPaid,
        deductions: o.yearEnd?.deductions ?? [],
        assessments: o.yearEnd?.assessments ?? [],
        rules: {
          ...settlementRules(settlementPolicy.values),
          // How the fund pays a single-disease case at its standard in this pool (R-PAY-DISEASE).
          ...(has(o.policies, 'single-disease', o.region)
            ? {
                singleDiseaseFundShare: o.policies.resolveYear(singleDiseaseKind, o.region, o.year).values.fundShare,
              }
            : {}),
        },
      });
      if (!dipPolicy) {
        const drg = o.policies.resolveYear(drgKind, o.region, o.year).values;
        withBaseRateStep(settlement, drg);
        withExcessAsAmounts(settlement, drg);
      }
      const settle = (performance.now() - at) / 1000;
      const plausible = settlementPolicy.values.budgetPlausibility;
      const budgetWarning = checkBudget(settlement.fund, lastYearTotal, plausible.value, plausible.source);
      const advance = settlementPolicy.values.advanceMonths;
      const known = new Set(institutions.map((i) => i.code));
      const unknownAdvance = Object.keys(advance.value.byInstitution ?? {}).filter((c) => !known.has(c));
      const common = {
        settlement,
        institutions,
        policies,
        counts,
        specialReviewUnits,
        ...(budgetWarning ? { budgetWarning } : {}),
        ...(unknownAdvance.length > 0
          ? { unknownAdvanceInstitutions: { codes: unknownAdvance, source: advance.source } }
          : {}),
        // What the carve-outs priced by, kept with the run so a carved-out case is explained on demand.
        ...(perDiem && history.perDiemRates ? { perDiemRates: history.perDiemRates } : {}),
        ...(singleDisease && history.standards ? { standards: history.standards } : {}),
      };
      if (dipEngine) {
        const h = history.dip!;
        return {
          method: 'dip',
          dip: {
            calibration: h.calibration,
            catalog: h.catalog,
            // The previous year's group × level means the year was judged by (the run keeps them for explain).
            ...(h.groupMeans ? { groupMeans: h.groupMeans } : {}),
            engine: dipEngine,
            openingPointValue: h.openingPointValue,
            lastYearFundPaid,
            settlement,
            specialReview,
            seconds: { calibrate: 0, evaluate: t.evaluate, settle },
          },
          ...common,
          seconds: { carveOuts: t.carveOuts, 'dip evaluate': t.evaluate, 'dip settle': settle },
        };
      }
      const weights = history.drg!.weights;
      return {
        method: 'drg',
        drg: {
          weights,
          settlement,
          lastYearFundPaid,
          indicators: byInstitution.result(weights),
          departmentIndicators: byDepartment.result(weights),
          groupedShare: drgCases > 0 ? drgGrouped / drgCases : 0,
        },
        ...common,
        seconds: { carveOuts: t.carveOuts, drg: t.evaluate + settle },
      };
    },
  };
}

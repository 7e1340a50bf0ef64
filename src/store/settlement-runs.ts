/**
 * Settlement runs (结算运行) as the store keeps them: the record of a run of a region-year, the content of every
 * policy file it applied, what it derived, and its results per unit, institution-month, institution year-end, pool,
 * pool-month and group (migration 5). These are flat rows with the store's value conventions — money integer fen,
 * points integer 1/10000 points, ratios exact (numerator and denominator as decimal text), traces as JSON text —
 * so that every back-end can hold them and SQL can read them. `src/run/results.ts` turns them back into the
 * settlement layer's types; statements, `explain` and the API read a run only through `RunResultsReader`.
 */
import { POINT_SCALE } from '../model/points.ts';
import type { RunInput, RunStatus } from './store.ts';

/** An exact ratio as text: numerator and denominator (integers, denominator > 0). */
export interface RatioText {
  num: string;
  den: string;
}

export interface SettlementRunRecord {
  /** Sortable unique id (see runs.ts `newRunId`). */
  id: string;
  region: string;
  year: number;
  /** The command that made it, e.g. "settle dip 2025" or "demo". */
  command: string;
  /** The inpatient case method of the pool: dip | drg. */
  caseMethod: string;
  /** Every payment method with units in the run, sorted. */
  methods: string[];
  /** Hashes of what went in: policy files (role "policy <kind>"), the DRG pack, the store's cases per year. */
  inputs: RunInput[];
  counts: Record<string, number>;
  startedAt: string;
  finishedAt: string;
  status: RunStatus;
  message?: string;
  /**
   * `issued` (default): a run as the agency settles it, the one "latest" means. `what-if`: the same pipeline with
   * changed policy values, recorded beside `baseRunId` for comparison and never taken for the run in force.
   */
  kind?: 'issued' | 'what-if';
  /** The run a what-if run is compared with. */
  baseRunId?: string;
}

/** The exact content of one policy file a run applied (its snapshot). */
export interface RunPolicySnapshot {
  policyId: string;
  kind: string;
  region: string;
  version: string;
  /** The file's path when the run read it (for "which file changed"). */
  file: string;
  sha256: string;
  content: string;
}

/** Something a run derived, as JSON text: `dip-catalog`, `drg-weights`, `opening-point-value`, `last-year-fund-paid`… */
export interface RunDerived {
  kind: string;
  name: string;
  content: string;
}

/** One unit's result (a case or a head): what it claimed from its pool. */
export interface RunUnitRow {
  poolId: string;
  unitId: string;
  method: string;
  institution: string;
  /** Settlement month YYYY-MM. */
  month: string;
  group: string | null;
  status: string;
  /** Integer 1/10000 points, for point claims. */
  points: number | null;
  /** Fixed-amount claims, fen. */
  amountFen: number | null;
  billedFen: number;
  patientPaidFen: number;
  /** The last step of the unit's trace, one line (for per-unit sheets). */
  basis: string | null;
  /** The whole trace (JSON) for methods whose trace is not recomputed on demand; null otherwise. */
  trace: string | null;
  /**
   * 病例结算金额, fen: the unit's share of its institution's points × point value + fixed amounts, as the run stored it
   * (`SettlementRunWriter.caseAmounts`, migration 12). Readers always set it: null when not stored (the settlement
   * policy's `caseAmountRounding: none`, a run stored before migration 12, a unit outside the pool's split such as an
   * excluded one or another pool's). Writers ignore it.
   */
  settledFen?: number | null;
}

export interface RunPoolRow {
  poolId: string;
  fundFen: number;
  pointValueRule: string;
  pointValue: RatioText;
  /** The point value as shown in statements. */
  pointValueText: string;
  floatingPointValue: RatioText | null;
  fundPaymentRatio: RatioText;
  openingPointValue: RatioText;
  /** JSON: the region summary. */
  summary: string;
  /** JSON: the point value's steps. */
  pointValueSteps: string;
  /** JSON: the pool-level steps (budget, fund payment ratio, point value, allocation). */
  steps: string;
}

export interface RunPoolMonthRow {
  poolId: string;
  month: string;
  pointValue: RatioText;
  pointValueText: string;
  quotaFen: number | null;
  steps: string;
}

export interface RunInstitutionMonthRow {
  poolId: string;
  institution: string;
  month: string;
  units: number;
  points: number;
  amountFen: number;
  pointValue: RatioText;
  valueFen: number;
  patientPaidFen: number;
  grossFen: number;
  prepayRatio: RatioText;
  prepayFen: number;
  depositFen: number;
  deductionsFen: number;
  paymentFen: number;
  steps: string;
}

export interface RunInstitutionYearRow {
  poolId: string;
  institution: string;
  level: string | null;
  units: number;
  points: number;
  amountFen: number;
  billedFen: number;
  patientPaidFen: number;
  /** JSON: units by status. */
  byStatus: string;
  advanceFen: number;
  monthlyPaidFen: number;
  depositHeldFen: number;
  valueFen: number;
  grossFen: number;
  ffsFundFen: number;
  /** JSON: the sharing result (bands), or null. */
  sharing: string | null;
  afterSharingFen: number;
  assessment: RatioText;
  afterAssessmentFen: number;
  deductionsFen: number;
  yearEndFen: number;
  clearingFen: number;
  steps: string;
}

export interface RunGroupRow {
  poolId: string;
  method: string;
  group: string;
  units: number;
  points: number;
  amountFen: number;
  valueFen: number;
  billedFen: number;
  differenceFen: number;
  /**
   * Σ 病例结算金额 of the group's units, fen, from the stored per-case split (`run_unit_amounts`, summed in SQL), so
   * that the groups sheet adds up to the per-case sheet and the institutions' amounts to the fen. Readers always set
   * it: null when the run stored no amounts for the pool (`caseAmountRounding: none`, a run stored before migration
   * 12). Writers ignore it.
   */
  settledFen?: number | null;
}

/** Writes one run's results; used inside `Store.saveSettlementRun` (one transaction). */
export interface SettlementRunWriter {
  policies(rows: readonly RunPolicySnapshot[]): Promise<void>;
  derived(rows: readonly RunDerived[]): Promise<void>;
  /** Call as often as needed: units go in batches (appender). */
  units(rows: readonly RunUnitRow[]): Promise<void>;
  pools(rows: readonly RunPoolRow[]): Promise<void>;
  poolMonths(rows: readonly RunPoolMonthRow[]): Promise<void>;
  institutionMonths(rows: readonly RunInstitutionMonthRow[]): Promise<void>;
  institutionYear(rows: readonly RunInstitutionYearRow[]): Promise<void>;
  groups(rows: readonly RunGroupRow[]): Promise<void>;
  /**
   * 病例结算金额 (settlement policy `caseAmountRounding: largest-remainder`, R-DIP-6): after the pool's units and its
   * institution year rows are written, split each institution's stored `value_fen` (points × point value, rounded
   * once, + fixed amounts) over its units of `poolId` (status other than `excluded`), set-based in the store (window
   * functions per institution, the same rule on every back-end): a fixed-amount unit gets its amount; a points unit
   * gets points × `pointValue` (fen per point) rounded down to the fen (+ the fixed amount it also holds, if any: a DRG
   * high-cost excess paid as money), and the institution's remaining fen go one
   * each to the points units with the largest remainders, ties to the lower unit id. Σ units = `value_fen` for every
   * institution, checked. Returns the number of units given an amount.
   */
  caseAmounts(poolId: string, pointValue: RatioText): Promise<number>;
}

/**
 * The integer terms of the per-case split, exact: with D = den × 10000 (points are 1/10000 point) and
 * num = a × D + b, a unit's points × point value in fen is points × a + (points × b) ÷ D, so its floor is
 * points × a + ⌊points × b ÷ D⌋ and its remainder (points × b) mod D. `limitBits` is the store's integer width
 * (ClickHouse Int256: 254; DuckDB HUGEINT: 126, see `caseAmountLimbs`): `maxPoints` (the pool's largest unit points)
 * bounds the products, and a point value whose terms would not fit is refused loudly rather than rounded.
 */
export function caseAmountTerms(
  pointValue: RatioText,
  maxPoints: number,
  limitBits = 126,
): { a: string; b: string; d: string } {
  const { a, b, d, p, num, den } = splitTerms(pointValue, maxPoints);
  const limit = 2n ** BigInt(limitBits);
  if (p * d >= limit || p * a >= limit) throw tooLarge(num, den);
  return { a: a.toString(), b: b.toString(), d: d.toString() };
}

/**
 * The same split for a store with 128-bit integers (DuckDB HUGEINT), where points × b can overflow at a province's
 * point value (its denominator near 2^91 at 20M cases): points are taken in `k`-bit limbs P = Σ P_j 2^(k j), and
 * with b × 2^(k j) = c_j × D + b_j (c_j, b_j from BigInt here) points × b = Σ P_j c_j × D + Σ P_j b_j, so
 * floor = points × a + Σ P_j c_j + ⌊Σ P_j b_j ÷ D⌋ and remainder = (Σ P_j b_j) mod D, every product below 2^126.
 * Exact for every point value whose D × 2^k × limbs fits; refused otherwise.
 */
export function caseAmountLimbs(
  pointValue: RatioText,
  maxPoints: number,
): { a: string; d: string; k: number; limbs: { b: string; c: string }[] } {
  const { a, b, d, p, num, den } = splitTerms(pointValue, maxPoints);
  const limit = 2n ** 126n;
  const pBits = Math.max(1, p.toString(2).length);
  for (let k = Math.min(pBits, 62); k >= 1; k--) {
    const count = Math.ceil(pBits / k);
    if (BigInt(count) * (1n << BigInt(k)) * d >= limit || p * a >= limit) continue;
    const limbs = Array.from({ length: count }, (_, j) => {
      const shifted = b << BigInt(k * j);
      return { b: (shifted % d).toString(), c: (shifted / d).toString() };
    });
    return { a: a.toString(), d: d.toString(), k, limbs };
  }
  throw tooLarge(num, den);
}

function splitTerms(pointValue: RatioText, maxPoints: number) {
  const num = BigInt(pointValue.num);
  const den = BigInt(pointValue.den);
  if (den <= 0n || num < 0n) throw new RangeError(`case amounts: point value ${num}/${den} is not a fen per point ≥ 0`);
  const d = den * POINT_SCALE;
  return { a: num / d, b: num % d, d, p: BigInt(Math.max(0, maxPoints)), num, den };
}

/** A pool with a unit of negative points: the largest-remainder split is not defined for it (both stores). */
export function negativePointsError(poolId: string): RangeError {
  return new RangeError(
    `病例结算金额：点数池 ${poolId} 有负点数的病例，无法按最大余数法分配 / case amounts: pool ${poolId} has a unit with negative points`,
  );
}

/**
 * Institutions whose units' floors do not add up to their stored amount within one fen per points unit (both
 * stores check this before writing): each as [institution, value_fen, floors, points units].
 */
export function caseAmountsMismatchError(runId: string, poolId: string, wrong: readonly unknown[][]): RangeError {
  return new RangeError(
    `病例结算金额：结算运行 ${runId} 点数池 ${poolId} 的病例无法合计为机构点数金额+定额 / case amounts of run ${runId} pool ${poolId}: the units do not add up to the institution's amount: ${wrong
      .map((w) => `${w[0]} (amount ${w[1]}, floors ${w[2]}, point units ${w[3]})`)
      .join('; ')}`,
  );
}

function tooLarge(num: bigint, den: bigint): RangeError {
  return new RangeError(
    `病例结算金额：点值 ${num}/${den} 的分子分母过大，无法在存储中精确分配到分（可在结算参数中设 caseAmountRounding: none） / case amounts: point value ${num}/${den} is too large to split exactly in the store (set caseAmountRounding: none in the settlement policy)`,
  );
}

/** Reads one stored run. */
export interface RunResultsReader {
  readonly runId: string;
  record(): Promise<SettlementRunRecord>;
  policies(): Promise<RunPolicySnapshot[]>;
  derived(kind: string): Promise<RunDerived[]>;
  pools(): Promise<RunPoolRow[]>;
  poolMonths(poolId: string): Promise<RunPoolMonthRow[]>;
  /** Ordered by institution, month. */
  institutionMonths(poolId: string, institution?: string): Promise<RunInstitutionMonthRow[]>;
  /** Ordered by institution. */
  institutionYear(poolId: string, institution?: string): Promise<RunInstitutionYearRow[]>;
  /** Ordered by method, group; each with its units' stored settled amounts summed (`settledFen`). */
  groups(poolId: string): Promise<RunGroupRow[]>;
  /** One unit by id (any pool of the run). */
  unit(unitId: string): Promise<RunUnitRow | undefined>;
  /**
   * Units in batches, ordered by pool, unit id. `trace: false` leaves the kept traces unread (`trace` null): the
   * per-unit sheets show the basis only, and the traces are most of a run's unit bytes.
   */
  units(filter?: RunUnitFilter, batchSize?: number): AsyncIterable<RunUnitRow[]>;
  /**
   * A pool's units summed by method in the store, one SQL aggregate (issue 9: an institution of millions of cases
   * answers without reading them): excluded units left out, ordered by method, a method without units absent.
   */
  methodSums(filter: RunMethodSumFilter): Promise<RunMethodSumRow[]>;
  /**
   * Write the units matching `filter` as text files, one line per unit in the order of `units`, rendered by the
   * store itself (DuckDB: `COPY … TO`, no row crosses into JS): a per-case sheet of millions of rows in seconds.
   * Returns the number of units (lines of each file). Optional: a store without it is read through `units`.
   */
  writeUnitLines?(filter: RunUnitFilter, files: readonly UnitLinesFile[]): Promise<number>;
}

/** A unit's stored text fields, by their `RunUnitRow` names. */
export type UnitTextField = 'poolId' | 'unitId' | 'method' | 'institution' | 'month' | 'group' | 'status' | 'basis';
/** A unit's stored integer fields (points: 0.0001 point; the rest fen). */
export type UnitIntField = 'points' | 'amountFen' | 'billedFen' | 'patientPaidFen' | 'settledFen';

/**
 * One part of a unit line as the store renders it:
 * - `literal`: the text as it is (separators, JSON keys);
 * - `as: 'csv' | 'json'` on a text field: the value as an RFC 4180 CSV cell (quoted when it holds `,` `"` CR or
 *   LF; null → empty) or as a JSON string (`JSON.stringify`; null → `null`), for fields with a value per unit;
 * - `as: 'money' | 'points'` on an integer field: yuan with 2 decimals or points with 4 decimals (`fenToYuan`,
 *   `formatPoints`), between double quotes when `quoted`; `null` is written for a null value;
 * - `text` on a text field: the part's text for a stored value (labels, names), which the store calls once per
 *   distinct value of the field (a few hundred, not one per unit).
 */
export type UnitLinePart =
  | { literal: string }
  | { field: UnitTextField; as: 'csv' | 'json' }
  | { field: UnitIntField; as: 'money' | 'points'; quoted: boolean; null: string }
  | { field: UnitTextField; text: (value: string | null) => string };

/** A text file of unit lines: `head` (e.g. a CSV header with its BOM and line end, or ''), then one line per unit. */
export interface UnitLinesFile {
  path: string;
  head: string;
  eol: '\n' | '\r\n';
  parts: readonly UnitLinePart[];
}

/** Which units `methodSums` adds up: a pool's, of one institution, of one settlement month. */
export interface RunMethodSumFilter {
  poolId: string;
  institution?: string;
  /** Settlement month YYYY-MM. */
  month?: string;
}

/** One method's units of a pool summed (`RunResultsReader.methodSums`); status `excluded` left out. */
export interface RunMethodSumRow {
  method: string;
  units: number;
  /** Σ points, integer 1/10000 points (a unit without points counts 0). */
  points: number;
  /** Σ fixed amounts, fen. */
  amountFen: number;
  /** Σ 病例结算金额 of the units the run stored one for (`settledUnits` of them), fen. */
  settledFen: number;
  settledUnits: number;
  billedFen: number;
  patientPaidFen: number;
}

export interface RunUnitFilter {
  poolId?: string;
  institution?: string;
  method?: string;
  /** Read each unit's kept trace (default true). */
  trace?: boolean;
}

export interface SettlementRunFilter {
  region?: string;
  year?: number;
  limit?: number;
  /** Which runs: issued ones (default), what-if ones, or both. */
  kind?: 'issued' | 'what-if' | 'all';
}

/**
 * The DIP history pass as SQL (issue 9): the history years' inpatient cases grouped in the store by what the DIP
 * calibration, the group means and last year's fund payment read of a case — year, institution, diagnosis list,
 * procedure list and the auxiliary bits the store can tell from a case's own columns (age band, ICU days, death) —
 * with counts and exact sums, so a province's 56M history cases come back as a few hundred thousand key rows. The
 * trimming by rank (2.5 % / 97.5 %, setl_id as the tie-break) is the one statistic that needs single cases: the
 * caller decides from the keys which groups are trimmed and by how many cases at each end (`HistoryTrimPlan`), and
 * the store gives back only the trimmed cases (`HistoryTails`), to be taken off their keys.
 *
 * Types only (the store implements the query, the DIP calibration reads the result).
 */

/**
 * An auxiliary bit the store sets on a case from its own columns (the DIP subtypes' age, ICU-day and death bands):
 * `value` (a power of two) is added to the key's `bits` when the case's measure lies in [from, to] (to open when
 * absent). Age in days is nwb_age when given (≥ 0), else whole years × 365 from one year on, else none; ICU days
 * count only above 0; `death` is a discharge way (dscg_way) equal to `way`.
 */
export type HistoryBit =
  | { value: number; of: 'age-days' | 'age-years' | 'icu-days'; from: number; to?: number }
  | { value: number; of: 'death'; way: string };

/**
 * A per-bed-day category as the store tests it: the principal diagnosis (non-empty) starts with one of
 * `principalPrefixes`, the institution is one of `institutions` and the stay is at least `minLosDays` days.
 */
export interface HistoryStayRule {
  principalPrefixes: readonly string[];
  institutions: readonly string[];
  minLosDays: number;
}

export interface HistoryKeyQuery {
  /** The history years, in the policy's order (a year's position there is the trimming's second key). */
  years: readonly number[];
  bits: readonly HistoryBit[];
  /**
   * The stays another method pays (per-bed-day, R-DIP-4): a case that exactly one of these rules takes comes back in
   * keys marked `excluded` (and takes no part in the trimming).
   */
  exclude: readonly HistoryStayRule[];
  /** Whether each key carries the smallest setl_id of its cases (the order in which a pass over cases meets it). */
  firstIds?: boolean;
}

/** The key rows (one per distinct year × institution × diagnosis list × procedure list × bits × excluded). */
export interface HistoryKeys {
  /** Distinct diagnosis code lists (principal first) and procedure code lists the rows index. */
  diagnoses: string[][];
  procedures: string[][];
  /** Institution codes (fixmedins_code) the rows index. */
  institutions: string[];
  n: number;
  year: Int16Array;
  institution: Int32Array;
  diagnosisList: Int32Array;
  procedureList: Int32Array;
  bits: Int32Array;
  /** 1: the key's cases are stays of another method (`exclude`). */
  excluded: Uint8Array;
  /** Cases, Σ medfee_sumamt and Σ hifp_pay (exact fen), Σ medfee_sumamt² (fen², exact). */
  cases: Float64Array;
  cost: Float64Array;
  fundPay: Float64Array;
  costSquares: bigint[];
  /** The smallest setl_id of the key's cases (with `firstIds`; else null). */
  firstId: (string | null)[];
}

/**
 * Which cases to trim: each (diagnosis list, procedure list) pair of a trimmed group with its group, and per group
 * its cases (a check) and how many of its lowest and highest are trimmed, ordered by (cost, the year's position in
 * `years`, setl_id). Cases kept out (`exclude`) take no part.
 */
export interface HistoryTrimPlan {
  pairs: { diagnosisList: number; procedureList: number; group: number }[];
  cases: number[];
  low: number[];
  high: number[];
}

/** The trimmed cases, each with its key row (an index into `HistoryKeys`), group and cost. */
export interface HistoryTails {
  n: number;
  row: Int32Array;
  group: Int32Array;
  cost: Float64Array;
}

/** Empty tails. */
export function historyTails(n: number): HistoryTails {
  return { n, row: new Int32Array(n), group: new Int32Array(n), cost: new Float64Array(n) };
}

/** Empty key rows over the given dictionaries. */
export function historyKeys(
  n: number,
  dict: Pick<HistoryKeys, 'diagnoses' | 'procedures' | 'institutions'>,
): HistoryKeys {
  return {
    ...dict,
    n,
    year: new Int16Array(n),
    institution: new Int32Array(n),
    diagnosisList: new Int32Array(n),
    procedureList: new Int32Array(n),
    bits: new Int32Array(n),
    excluded: new Uint8Array(n),
    cases: new Float64Array(n),
    cost: new Float64Array(n),
    fundPay: new Float64Array(n),
    costSquares: new Array<bigint>(n).fill(0n),
    firstId: new Array<string | null>(n).fill(null),
  };
}

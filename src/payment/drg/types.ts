/** Inputs and tables of DRG payment (按疾病诊断相关分组付费). */
import type { InstitutionLevel } from '../../model/institution.ts';
import type { Fen, Ratio } from '../../model/money.ts';

/** A grouped case as DRG payment sees it. `drg` is null when the grouper produced no DRG. */
export interface DrgCase {
  setlId: string;
  institutionCode: string;
  level: InstitutionLevel;
  insuranceType: 'employee' | 'resident';
  /** Settlement month YYYY-MM (discharge month). */
  month: string;
  drg: string | null;
  /** Grouper status (SUCCESS, FAIL, CHECK_FAILED, …). */
  groupStatus: string;
  /**
   * Where the grouper stopped with a case it did not group (any status but SUCCESS) after it had reached an MDC: the
   * MDC and the grouper's code (an ambiguous case: the MDC's ambiguity group, e.g. GQY). Absent otherwise. Only said
   * in the case's explanation (why it is not paid by a DRG).
   */
  ungroupedAt?: { mdc: string; code: string };
  department?: string;
  losDays: number;
  died: boolean;
  cost: Fen;
  patientPaid: Fen;
}

/** One DRG's relative weight (相对权重) and reference cost. */
export interface DrgWeight {
  drg: string;
  /** RW as an exact decimal (rounded to the policy's decimals when calibrated). */
  rw: Ratio;
  /** Mean cost of the DRG (trimmed, year-weighted), the reference for outlier thresholds. */
  meanCost: Fen;
  /**
   * The same mean, exact (fen as a ratio): what outlier ratios and thresholds divide by, so that only money is
   * rounded. Absent → `meanCost`.
   */
  meanCostExact?: Ratio;
  /** Cases behind the weight (0 when imported). */
  cases: number;
  /** Coefficient of variation of cost within the DRG (after trimming), for monitoring. */
  cv: number;
}

export interface DrgWeightTable {
  /** Where the weights come from: a calibration run or an imported file. */
  source: string;
  weights: ReadonlyMap<string, DrgWeight>;
  /** Mean cost of all cases (the RW denominator). */
  overallMean: Fen;
}

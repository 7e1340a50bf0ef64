/**
 * What a rule sees besides the case and its fee lines: the person's other stays (for split admissions and
 * overlapping stays), the institution's level and type, and the baselines of earlier years. Both modes use the
 * same context: at discharge the adapter reads it for one case, over a year the SQL joins the same tables.
 */
import type { InpatientCase } from '../model/case.ts';

/** Another stay of the same person (only what the rules need). */
export interface OtherStay {
  setlId: string;
  /** mdtrt_id 就诊ID: one admission; two settlements of it are a duplicate settlement (重复结算). */
  mdtrtId: string;
  institutionCode: string;
  admissionTime: string;
  dischargeTime: string;
  principal: string;
  /** days_rinp_flag_31: the readmission after this stay was planned (出院31天内再住院计划). */
  plannedReadmission: boolean;
  /** medfee_sumamt and hifp_pay, fen (the evidence of a duplicate settlement). */
  totalCost: number;
  fundPay: number;
}

/** Baseline of a diagnosis category (ICD-10 类目, 3 characters) at one institution level, from earlier years. */
export interface CategoryBaseline {
  cases: number;
  /** Discrete median (an actual case's value), fen. */
  medianCost: number;
  medianLos: number;
}

/** Uncovered (自费) share at one level in earlier years, as two exact sums (fen). */
export interface OwnShareBaseline {
  cases: number;
  ownPay: number;
  totalCost: number;
}

export interface Baselines {
  /** Cases of the category × level (`${category}|${level}`). */
  all: ReadonlyMap<string, CategoryBaseline>;
  /** Cases without a code of a severity list (`${list}|${category}|${level}`). */
  plain: ReadonlyMap<string, CategoryBaseline>;
  /** By level. */
  ownShare: ReadonlyMap<string, OwnShareBaseline>;
}

export const EMPTY_BASELINES: Baselines = { all: new Map(), plain: new Map(), ownShare: new Map() };

export interface InstitutionFacts {
  level: string;
  type: string;
}

export interface CaseContext {
  otherStays: readonly OtherStay[];
  institution: InstitutionFacts;
  baselines: Baselines;
}

/** ICD-10 category (类目) of the principal diagnosis: its first three characters. */
export function categoryOf(c: InpatientCase): string {
  return (c.diagnoses[0]?.code ?? '').slice(0, 3);
}

/** Whole days between two ISO date(-time)s by calendar date (time of day ignored), b − a. */
export function dayGap(a: string, b: string): number {
  const d = (s: string) => Date.UTC(Number(s.slice(0, 4)), Number(s.slice(5, 7)) - 1, Number(s.slice(8, 10)));
  return Math.round((d(b) - d(a)) / 86_400_000);
}

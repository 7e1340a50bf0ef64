/**
 * What a capitation year (按人头付费 + 家庭医生签约服务费) returns: heads, caps, standards, year-end units,
 * prepayments and the family-doctor lines. Computed by src/run/capitation-year.ts, written by
 * src/report/capitation-reports.ts; it lives here so that neither of those imports the other.
 */
import type { InsuranceType } from '../../model/case.ts';
import type { Institution } from '../../model/institution.ts';
import type { Fen } from '../../model/money.ts';
import type { UnitResult } from '../../model/unit-result.ts';
import type { IssuedSplit } from '../common/issued-split.ts';
import type {
  CapitationCaps,
  CapitationHeadsEvaluation,
  CapitationPrepayment,
  CapitationStandards,
  CapitationYearEnd,
  FamilyDoctorAssessment,
  FamilyDoctorContract,
  FamilyDoctorMidYear,
  FamilyDoctorYearEndLine,
} from './index.ts';

export interface Assumption {
  zh: string;
  en: string;
}

export interface CapitationHeads {
  /** Enrolment rows of the capitated class overlapping the year (head segments). */
  enrolled: number;
  /** Heads of the start-of-year plan that are paid (Σ over the plan's institutions). */
  planned: number;
  /** Head segments counted at the year end (actual heads). */
  counted: number;
  /** Enrolled head segments without a settled visit (not actual heads, 四(六)1). */
  notCounted: number;
  /** Head segments not paid for a reason to resolve (enrolment conflicts, no standard, unknown person). */
  unresolved: number;
}

export interface CapitationYearResult {
  region: string;
  year: number;
  policy: { id: string; version: string };
  counts: {
    enrolmentRows: number;
    persons: number;
    historyYears: number[];
    historyHeads: number;
    historyVisits: number;
    visits: number;
    capitatedVisits: number;
    otherClassVisits: number;
    unattributedVisits: number;
    unknownPersonVisits: number;
  };
  heads: CapitationHeads;
  budget: {
    basis: 'caps' | 'policy' | 'fund-budgets' | 'previous-year-spending';
    fundBudgets?: Record<InsuranceType, Fen>;
  };
  caps: CapitationCaps;
  standards: CapitationStandards;
  /**
   * Annual totals and the 12 monthly prepayments per institution, from the plan-mode units (one per planned
   * enrolment row; not kept: a province's heads, issue 9).
   */
  prepayments: CapitationPrepayment[];
  /**
   * Year-end-mode results (one per enrolment row of the year), made in batches on demand (`batches`, or every one
   * with `yearEndUnits`): a province's heads are never all held (issue 9).
   */
  yearEndHeads: CapitationHeadsEvaluation;
  yearEnd: CapitationYearEnd;
  familyDoctor: {
    contracts: FamilyDoctorContract[];
    conflicts: string[];
    midYear: FamilyDoctorMidYear[];
    /** One unit per contract, made in batches on demand (`batches`, or every one with `familyDoctorUnits`). */
    heads: CapitationHeadsEvaluation;
    yearEnd: FamilyDoctorYearEndLine[];
  };
  institutions: Institution[];
  assumptions: Assumption[];
  /**
   * What one head's evaluation needs beyond its own rows, stored with a run so `explain` evaluates that head alone:
   * how each institution's total was split (capitation and family doctor, by institution code), the assessment
   * scores applied, and the disease codes of the other special-disease class (their visits are not matched).
   */
  issued: {
    capitation: Map<string, IssuedSplit>;
    familyDoctor: Map<string, IssuedSplit>;
    assessments: FamilyDoctorAssessment[];
    otherClassDiseases: string[];
  };
}

/**
 * What a capitation year keeps once its heads are written to the run (issue 9: a province's heads are not held):
 * everything of `CapitationYearResult` but the per-head units and the family-doctor contracts, with their counts.
 * The heads' sheet is read back from the stored run (`run_units`), in batches.
 */
export interface CapitationYearSummary extends Omit<CapitationYearResult, 'yearEndHeads' | 'familyDoctor'> {
  familyDoctor: Omit<CapitationYearResult['familyDoctor'], 'heads' | 'contracts'> & {
    /** Family-doctor contracts of the year (one unit each). */
    contractCount: number;
  };
  /** Units written: capitation heads (one per enrolment row of the year) and family-doctor contracts. */
  units: { capitation: number; familyDoctor: number };
}

/** The summary of a year (drops the per-head units and contracts; the rest is shared, not copied). */
export function summariseCapitationYear(r: CapitationYearResult): CapitationYearSummary {
  const { yearEndHeads, familyDoctor, ...rest } = r;
  const { heads, contracts, ...fd } = familyDoctor;
  return {
    ...rest,
    familyDoctor: { ...fd, contractCount: contracts.length },
    units: { capitation: yearEndHeads.count, familyDoctor: heads.count },
  };
}

/** Every year-end unit of a year, in unit-id order (tests, `explain` of a small year; a run writes them in batches). */
export function yearEndUnits(r: Pick<CapitationYearResult, 'yearEndHeads'>): UnitResult[] {
  const out: UnitResult[] = [];
  for (const b of r.yearEndHeads.batches()) for (const u of b) out.push(u);
  return out;
}

/** Every family-doctor unit of a year, in unit-id order (tests, `explain` of a small year). */
export function familyDoctorUnits(r: Pick<CapitationYearResult, 'familyDoctor'>): UnitResult[] {
  const out: UnitResult[] = [];
  for (const b of r.familyDoctor.heads.batches()) for (const u of b) out.push(u);
  return out;
}

/**
 * The capitation year end of a run as it was issued (按人头付费年终清算, R-CAP-4/5; seed 004 四(五)、四(六)), stored with the
 * run (derived kind `capitation-year-end`): each institution's monthly prepayments, its year-end line (total by actual
 * heads, audited fund spending, the sharing bands — surplus retained or overspend shared —, what the fund pays, the
 * clearing) and the family-doctor fee's mid-year prepayment and year end, each with the steps and clauses the year end
 * gave, and the policy options it applied. `explain settlement` reads them; it never settles the capitation year
 * again, so an explanation gives the issued figures even after a policy file is edited. A run stored before this was
 * kept has none (`readStoredCapitationYearEnd` returns undefined).
 */
import type {
  CapitationPrepayment,
  CapitationYearEndLine,
  CapitationYearSummary,
  FamilyDoctorMidYear,
  FamilyDoctorYearEndLine,
} from '../payment/capitation/index.ts';
import { capitationKind } from '../policy/kinds/capitation.ts';
import type { PolicySet } from '../policy/registry.ts';
import type { Cited } from '../policy/values.ts';
import type { RunDerived, RunResultsReader } from '../store/settlement-runs.ts';
import { fromJson, toJson } from './results.ts';

/** The derived kind a run stores its capitation year end under. */
export const CAPITATION_YEAR_END_KIND = 'capitation-year-end';

/** A policy option the year end applied: its value as text and its clause. */
export interface AppliedOption {
  value: string;
  source: string;
}

export interface StoredCapitationYearEnd {
  year: number;
  /** The capitation policy file the run applied (id and version). */
  policy: { id: string; version: string };
  /**
   * The options that decide an institution's year end: how an overspend is read (`bands` or `cliff`, 四(六)3),
   * whether referral fees are charged, the prepayment share (四(五)1) and the sharing bands' clause.
   */
  options: {
    overspendReading: AppliedOption;
    referralFee: AppliedOption;
    prepayShare: AppliedOption;
    sharing: AppliedOption;
  };
  /** By institution code, as the statements' 年终清算 sheet lists them. */
  lines: CapitationYearEndLine[];
  /** By institution code, as the 按月预付 sheet lists them (annual total, the prepaid year, each month). */
  prepayments: CapitationPrepayment[];
  familyDoctor: { midYear: FamilyDoctorMidYear[]; yearEnd: FamilyDoctorYearEndLine[] };
}

const option = (p: Cited<unknown>): AppliedOption => ({
  value: typeof p.value === 'object' && p.value !== null ? toJson(p.value) : String(p.value),
  source: p.source,
});

/** The derived row of a capitation year (its summary, as `settle` writes its statements from it). */
export function capitationYearEndDerived(region: string, c: CapitationYearSummary, policies: PolicySet): RunDerived {
  const policy = policies.resolveYear(capitationKind, region, c.year).values;
  const stored: StoredCapitationYearEnd = {
    year: c.year,
    policy: c.policy,
    options: {
      overspendReading: option(policy.overspendReading),
      referralFee: option(policy.referralFee),
      prepayShare: option(policy.prepayShare),
      sharing: { value: 'bands', source: policy.sharing.source },
    },
    lines: c.yearEnd.lines,
    prepayments: c.prepayments,
    familyDoctor: { midYear: c.familyDoctor.midYear, yearEnd: c.familyDoctor.yearEnd },
  };
  return { kind: CAPITATION_YEAR_END_KIND, name: `${region}-${c.year}`, content: toJson(stored) };
}

/** The run's stored capitation year end; undefined when the run has no capitation or was stored before it was kept. */
export async function readStoredCapitationYearEnd(
  reader: Pick<RunResultsReader, 'derived'>,
): Promise<StoredCapitationYearEnd | undefined> {
  const [d] = await reader.derived(CAPITATION_YEAR_END_KIND);
  return d ? fromJson<StoredCapitationYearEnd>(d.content) : undefined;
}

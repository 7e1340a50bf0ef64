/**
 * Both grouping paths of a case whose groups differ in a reconciliation (对账): the agency's, on the settlement
 * list as the agency holds it, and the hospital's, on the same list with the hospital's own coding (the diagnosis
 * and procedure codes of its view) — both grouped by the same parameters (the run's catalog or DRG pack and
 * weights), so the first step where the two paths part is where the coding made the difference. Without the
 * hospital's coding only the agency's path is known. Pure: the caller reads the cases and builds the parameters.
 */
import type { InpatientCase } from '../model/case.ts';
import { estimateCase } from './estimate.ts';
import type { PathsOf } from './reconcile.ts';
import type { HospitalParams, PathStep } from './types.ts';

/** The hospital's own coding of a case, from its view (first diagnosis = principal, first procedure = main). */
export interface ViewCoding {
  diagnoses: readonly string[];
  procedures: readonly string[];
}

/**
 * The case as the hospital coded it: its diagnoses and procedures replaced by the view's codes (a procedure keeps
 * the date the list gives for the same code; the names and admission conditions of the list are not the
 * hospital's and are dropped). Everything else — age, sex, stay, cost — is the list's.
 */
export function withCoding(c: InpatientCase, coding: ViewCoding): InpatientCase {
  const dateOf = new Map(c.procedures.filter((p) => p.date).map((p) => [p.code, p.date!] as const));
  return {
    ...c,
    diagnoses: coding.diagnoses.map((code) => ({ code })),
    procedures: coding.procedures.map((code) => (dateOf.has(code) ? { code, date: dateOf.get(code)! } : { code })),
  };
}

export type CasePaths = { agency: readonly PathStep[]; hospital: readonly PathStep[] | null };

/** The paths of each case: the agency's coding, and the hospital's when `codingOf` gives it. */
export function groupingPaths(
  cases: readonly InpatientCase[],
  params: HospitalParams,
  codingOf: (setlId: string) => ViewCoding | null | undefined,
): Map<string, CasePaths> {
  const out = new Map<string, CasePaths>();
  for (const c of cases) {
    const coding = codingOf(c.setlId);
    out.set(c.setlId, {
      agency: estimateCase(c, params).path,
      hospital: coding ? estimateCase(withCoding(c, coding), params).path : null,
    });
  }
  return out;
}

/** A map of paths as `reconcile`'s lookup. */
export const pathsLookup =
  (paths: ReadonlyMap<string, CasePaths>): PathsOf =>
  (setlId) =>
    paths.get(setlId) ?? null;

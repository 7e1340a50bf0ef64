/**
 * What the per-head passes read of one set of enrolment rows, made once for the set (issue 9: a province's rows).
 * Calibration and the plan read the same 1 January rows and the year end the year's rows; each pass made its own
 * person index, rows by person, conflicts, segments and risk factors before. The index holds, per row, its head
 * segment and — when its head may be paid (capitated class, no enrolment conflict, days in the year, person known) —
 * its risk factors (R-CAP-2, R-CAP-3); the figures are those each pass made itself.
 */
import type { InsuredPerson, SpecialDiseaseEnrolment } from '../../model/institution.ts';
import { indexBy, pushTo } from '../common/index-by.ts';
import { type EnrolmentIssue, type HeadSegment, headSegment, validateEnrolments } from './enrolment.ts';
import { riskFactorsOf } from './heads.ts';
import type { CapitationPolicy, RiskFactors } from './types.ts';

export interface HeadIndex {
  /** The rows indexed (a pass given another array refuses the index). */
  readonly rows: readonly SpecialDiseaseEnrolment[];
  /** Each row's head segment, by row position. */
  readonly segments: readonly HeadSegment[];
  /**
   * Each row's risk factors, by row position: null when the head cannot be paid whatever the standards (another
   * class, a conflict, no day in the year) or the person is unknown (no birth date to age them).
   */
  readonly factors: readonly ((RiskFactors & { ageDate: string }) | null)[];
  /** The enrolment conflicts of the rows by unit id (`validateEnrolments`). */
  readonly issuesByUnit: ReadonlyMap<string, EnrolmentIssue[]>;
}

/** The persons by person number (one map for every pass of a year); a person given twice is refused. */
export function personIndex(persons: readonly InsuredPerson[]): ReadonlyMap<string, InsuredPerson> {
  return indexBy(persons, (p) => p.psnNo, 'person');
}

export function headIndex(
  rows: readonly SpecialDiseaseEnrolment[],
  o: { year: number; policy: CapitationPolicy; persons: ReadonlyMap<string, InsuredPerson> },
): HeadIndex {
  const { year, policy, persons } = o;
  const capClass = policy.capitatedDiseaseClass.value;
  const issuesByUnit = new Map<string, EnrolmentIssue[]>();
  for (const i of validateEnrolments(rows, capClass)) for (const id of i.unitIds) pushTo(issuesByUnit, id, i);
  const rowsByPerson = new Map<string, SpecialDiseaseEnrolment[]>();
  for (const r of rows) pushTo(rowsByPerson, r.psnNo, r);
  const n = rows.length;
  const segments: HeadSegment[] = new Array(n);
  const factors: ((RiskFactors & { ageDate: string }) | null)[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const row = rows[i]!;
    const seg = headSegment(row, year);
    segments[i] = seg;
    const payable = row.diseaseClass === capClass && seg.days > 0 && !issuesByUnit.has(seg.unitId);
    factors[i] = payable
      ? riskFactorsOf(seg, persons.get(row.psnNo), rowsByPerson.get(row.psnNo) ?? [], policy, year)
      : null;
  }
  return { rows, segments, factors, issuesByUnit };
}

/** The index given for `rows`, or one made now; an index of other rows is a caller's error. */
export function headIndexOf(
  rows: readonly SpecialDiseaseEnrolment[],
  given: HeadIndex | undefined,
  o: { year: number; policy: CapitationPolicy; persons: readonly InsuredPerson[] },
): HeadIndex {
  if (given) {
    if (given.rows !== rows) throw new RangeError('the head index was made from other enrolment rows');
    return given;
  }
  return headIndex(rows, { year: o.year, policy: o.policy, persons: personIndex(o.persons) });
}

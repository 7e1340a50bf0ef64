/**
 * What the per-head passes read of one set of enrolment rows, made once for the set (issue 9: a province's rows).
 * Calibration and the plan read the same 1 January rows and the year end the year's rows; each pass made its own
 * person index, rows by person, conflicts, segments and risk factors before. The index holds, per row, its head
 * segment's unit id and days in the year and — when its head may be paid (capitated class, no enrolment conflict,
 * days in the year, person known) — its risk factors (R-CAP-2, R-CAP-3); the figures are those each pass made itself.
 *
 * Kept as columns (typed arrays by row position), not as an object per row: a province's 5 M heads as segment and
 * factor objects were ≈ 200 bytes a head held through the year end (issue 9). A head's `HeadSegment` and
 * `RiskFactors` are made again on demand (`segment`, `factors`: the trace of a head asked), from the same row.
 */
import type { InsuredPerson, SpecialDiseaseEnrolment } from '../../model/institution.ts';
import { daysInclusive, isIsoDate, overlaps, type Period } from '../../policy/dates.ts';
import { indexBy, pushTo } from '../common/index-by.ts';
import { ageOn, clip, daysInYear, yearPeriod } from '../common/period.ts';
import {
  type EnrolmentIssue,
  enrolmentUnitId,
  type HeadSegment,
  headSegment,
  validateEnrolments,
} from './enrolment.ts';
import type { RiskModel } from './risk.ts';
import type { CapitationPolicy, RiskFactors, RiskScore } from './types.ts';

export interface HeadIndex {
  /** The rows indexed (a pass given another array refuses the index). */
  readonly rows: readonly SpecialDiseaseEnrolment[];
  /** Each row's unit id (`enrolmentUnitId`), by row position. */
  readonly unitIds: readonly string[];
  /** Each row's days in the settlement year (0: outside it, or an invalid period), by row position. */
  readonly days: Int32Array;
  /** Days of the settlement year. */
  readonly yearDays: number;
  /**
   * Whether the row has risk factors: false when the head cannot be paid whatever the standards (another class, a
   * conflict, no day in the year) or the person is unknown (no birth date to age them).
   */
  hasFactors(i: number): boolean;
  /** The row's risk factors (as `riskFactorsOf` gives them), or null (see `hasFactors`); made on each call. */
  factors(i: number): (RiskFactors & { ageDate: string }) | null;
  /** The row's risk score by `model` (the row must have factors): one score object per distinct factors. */
  score(i: number, model: RiskModel): RiskScore;
  /** The row's head segment (as `headSegment` gives it); made on each call. */
  segment(i: number): HeadSegment;
  /** The enrolment conflicts of the rows by unit id (`validateEnrolments`). */
  readonly issuesByUnit: ReadonlyMap<string, EnrolmentIssue[]>;
  /**
   * The row positions in unit-id order, equal ids by position (as a stable sort), made once for every pass of the
   * rows (issue 9: no set of a province's unit ids per pass).
   */
  order(): Uint32Array;
  /**
   * The unit id of the first row, in row order, whose unit id an earlier row has (a pass refuses the rows), or
   * undefined when every row's is its own.
   */
  duplicate(): string | undefined;
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
  const n = rows.length;
  // Rows ordered by person (as the store reads them) are read person by person: the person and their class-1 rows
  // found once per person from the run of their rows, with no map of a province's persons' rows (issue 9).
  let ordered = true;
  for (let i = 1; i < n && ordered; i++) ordered = rows[i - 1]!.psnNo <= rows[i]!.psnNo;
  // A head's class-1 factor reads only the person's class-1 rows with a valid order (`hasClass1During`).
  const isClass1 = (r: SpecialDiseaseEnrolment) => r.diseaseClass === 1 && r.from <= r.to;
  const class1ByPerson = new Map<string, SpecialDiseaseEnrolment[]>();
  if (!ordered) for (const r of rows) if (isClass1(r)) pushTo(class1ByPerson, r.psnNo, r);
  /** The run of the current person's rows [runStart, runEnd) when ordered; their person and class-1 rows once read. */
  let runStart = 0;
  let runEnd = 0;
  let runPerson: InsuredPerson | undefined | null = null;
  let runClass1: SpecialDiseaseEnrolment[] | undefined | null = null;
  const yearDays = daysInYear(year);
  const within = yearPeriod(year);
  const unitIds: string[] = new Array(n);
  const days = new Int32Array(n);
  /** 1 when the row has risk factors, then: age in years on the risk day, sex (a number of `sexes`), class-1. */
  const has = new Uint8Array(n);
  const age = new Int32Array(n);
  const class1 = new Uint8Array(n);
  const sex = new Uint8Array(n);
  const sexes: RiskFactors['sex'][] = [];
  const ageAsOf = policy.riskAgeAsOf.value;
  const fixedAgeDate = ageAsOf === 'year-end' ? `${year}-12-31` : `${year}-01-01`;
  for (let i = 0; i < n; i++) {
    const row = rows[i]!;
    if (ordered && i >= runEnd) {
      runStart = i;
      runEnd = i + 1;
      while (runEnd < n && rows[runEnd]!.psnNo === row.psnNo) runEnd++;
      runPerson = null;
      runClass1 = null;
    }
    const unitId = enrolmentUnitId(row);
    unitIds[i] = unitId;
    const valid = isIsoDate(row.from) && isIsoDate(row.to) && row.from <= row.to;
    const p = valid ? clip(row, within) : null;
    const d = p ? daysInclusive(p.from, p.to) : 0;
    days[i] = d;
    const payable = row.diseaseClass === capClass && d > 0 && !issuesByUnit.has(unitId);
    if (!payable || !p) continue;
    let person: InsuredPerson | undefined;
    let class1Rows: SpecialDiseaseEnrolment[] | undefined;
    if (ordered) {
      if (runPerson === null) runPerson = persons.get(row.psnNo);
      person = runPerson;
      if (person && runClass1 === null) {
        const found: SpecialDiseaseEnrolment[] = [];
        for (let k = runStart; k < runEnd; k++) if (isClass1(rows[k]!)) found.push(rows[k]!);
        runClass1 = found.length > 0 ? found : undefined;
      }
      class1Rows = runClass1 ?? undefined;
    } else {
      person = persons.get(row.psnNo);
      class1Rows = class1ByPerson.get(row.psnNo);
    }
    if (!person) continue;
    age[i] = ageOn(person.birthDate, ageAsOf === 'segment-start' ? p.from : fixedAgeDate);
    let k = sexes.indexOf(person.sex);
    if (k < 0) k = sexes.push(person.sex) - 1;
    if (k > 255) throw new RangeError('more than 256 sex codes in the persons');
    sex[i] = k;
    has[i] = 1;
    class1[i] = hasClass1In(class1Rows, p) ? 1 : 0;
  }
  const segment = (i: number) => headSegment(rows[i]!, year);
  const factors = (i: number): (RiskFactors & { ageDate: string }) | null => {
    if (has[i] !== 1) return null;
    const s = segment(i);
    return {
      ageYears: age[i]!,
      sex: sexes[sex[i]!]!,
      hasClass1: class1[i] === 1,
      ageDate: ageAsOf === 'segment-start' ? s.period!.from : fixedAgeDate,
    };
  };
  // Scores by their factors (a pure function of them): age, sex and class-1 as one number.
  const scores = new Map<RiskModel, Map<number, RiskScore>>();
  const score = (i: number, model: RiskModel): RiskScore => {
    let byKey = scores.get(model);
    if (!byKey) {
      byKey = new Map();
      scores.set(model, byKey);
    }
    const key = (age[i]! * 256 + sex[i]!) * 2 + class1[i]!;
    let s = byKey.get(key);
    if (!s) {
      s = model.score({ ageYears: age[i]!, sex: sexes[sex[i]!]!, hasClass1: class1[i] === 1 });
      byKey.set(key, s);
    }
    return s;
  };
  let sorted: Uint32Array | undefined;
  const order = (): Uint32Array => {
    sorted ??= Uint32Array.from({ length: n }, (_, i) => i).sort((a, b) => {
      const x = unitIds[a]!;
      const y = unitIds[b]!;
      return x < y ? -1 : x > y ? 1 : a - b; // ties (equal ids) keep the input order, as a stable sort does
    });
    return sorted;
  };
  let duplicateAt: number | undefined;
  const duplicate = (): string | undefined => {
    if (duplicateAt === undefined) {
      // The second row of each id (by position) is the first of that id a pass meets again; the earliest such row.
      const o = order();
      duplicateAt = -1;
      for (let j = 1; j < n; j++) {
        const i = o[j]!;
        if (unitIds[i] === unitIds[o[j - 1]!] && (j < 2 || unitIds[o[j - 2]!] !== unitIds[i]))
          if (duplicateAt < 0 || i < duplicateAt) duplicateAt = i;
      }
    }
    return duplicateAt < 0 ? undefined : unitIds[duplicateAt];
  };
  return {
    rows,
    unitIds,
    days,
    yearDays,
    hasFactors: (i) => has[i] === 1,
    factors,
    score,
    segment,
    issuesByUnit,
    order,
    duplicate,
  };
}

/** Whether one of the person's class-1 rows (valid order) meets `period` (`hasClass1During`). */
function hasClass1In(class1Rows: readonly SpecialDiseaseEnrolment[] | undefined, period: Period): boolean {
  if (!class1Rows) return false;
  for (const r of class1Rows) if (overlaps(r, period)) return true;
  return false;
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

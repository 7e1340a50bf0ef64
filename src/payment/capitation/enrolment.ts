/**
 * Enrolment (定点就医与签约, R-CAP-3): each entitled person picks one treating institution and one family-doctor
 * institution for the year — they may differ — and a change of institution, disease or insurance type closes one
 * `SpecialDiseaseEnrolment` row and opens another. Each row's part of the settlement year is a head segment,
 * pro-rated by days (R-CAP-3, 四(六)4).
 *
 * 攀枝花医保 二类门特按病种结合人头付费试行办法 四(一)2: "取得基本医保二类门特待遇资格并自愿、就近选择一家市内定点医疗机构作为
 * 今后一年的就医治疗机构和家庭医生签约服务机构的市内参保人员，治疗机构和家庭医生签约服务机构可以是不同医疗机构。"
 * 四(六)4: "参保人员中途取得补助资格、变更定点医疗机构、变更病种、转换险种等情况的，其年度清算由市医保事务中心在实施细则中予以明确。"
 *
 * Conflicts are values (`EnrolmentIssue`), never resolved by row order: the rows involved are not paid until the
 * enrolment is corrected.
 */
import type { SpecialDiseaseEnrolment } from '../../model/institution.ts';
import { daysInclusive, isIsoDate, overlaps, type Period } from '../../policy/dates.ts';
import { pushTo } from '../common/index-by.ts';
import { byCode, clip, daysInYear, yearPeriod } from '../common/period.ts';

/** A row's unit id: person / disease / first day (unique as long as a person's rows of a disease do not overlap). */
export const enrolmentUnitId = (r: SpecialDiseaseEnrolment): string => `${r.psnNo}/${r.diseaseCode}/${r.from}`;

/**
 * The person of a head's unit id, `enrolmentUnitId` or `contractUnitId` read back (person / disease or
 * family-doctor / first day; a person number may itself hold a slash).
 */
export function personOfUnit(unitId: string): string {
  const last = unitId.lastIndexOf('/');
  const middle = last > 0 ? unitId.lastIndexOf('/', last - 1) : -1;
  if (middle <= 0) throw new RangeError(`"${unitId}" is not a capitation head / 不是按人头付费的人头`);
  return unitId.slice(0, middle);
}

export interface EnrolmentIssue {
  code: 'ENROL_BAD_PERIOD' | 'ENROL_OVERLAP' | 'ENROL_TWO_TREATING' | 'ENROL_TWO_FAMILY_DOCTOR';
  psnNo: string;
  unitIds: string[];
  zh: string;
  en: string;
}

export interface HeadSegment {
  unitId: string;
  row: SpecialDiseaseEnrolment;
  /** The row's part of the settlement year, or null when it lies outside it. */
  period: Period | null;
  days: number;
  yearDays: number;
}

export function headSegment(row: SpecialDiseaseEnrolment, year: number): HeadSegment {
  const valid = isIsoDate(row.from) && isIsoDate(row.to) && row.from <= row.to;
  const p = valid ? clip({ from: row.from, to: row.to }, yearPeriod(year)) : null;
  return {
    unitId: enrolmentUnitId(row),
    row,
    period: p,
    // p lies inside the year already: its days are the days within the year.
    days: p ? daysInclusive(p.from, p.to) : 0,
    yearDays: daysInYear(year),
  };
}

/**
 * Check enrolment rows: valid periods; no overlapping rows of one person and disease; among rows of the capitated
 * class, one treating and one family-doctor institution per person at any time. Issues are sorted (code, person,
 * units) so the result does not depend on row order.
 */
export function validateEnrolments(rows: readonly SpecialDiseaseEnrolment[], capitatedClass: 1 | 2): EnrolmentIssue[] {
  const issues: EnrolmentIssue[] = [];
  const valid = new Uint8Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    if (!(isIsoDate(r.from) && isIsoDate(r.to) && r.from <= r.to)) {
      issues.push({
        code: 'ENROL_BAD_PERIOD',
        psnNo: r.psnNo,
        unitIds: [enrolmentUnitId(r)],
        zh: `待遇期间 ${r.from}..${r.to} 无效`,
        en: `invalid enrolment period ${r.from}..${r.to}`,
      });
      continue;
    }
    valid[i] = 1;
  }
  for (const [psnNo, list] of rowsByPerson(rows, valid)) {
    const sorted = list.map((r) => ({ r, id: enrolmentUnitId(r) })).sort((a, b) => byCode(a.id, b.id));
    for (let i = 0; i < sorted.length; i++) {
      const { r: a, id: idA } = sorted[i]!;
      for (let j = i + 1; j < sorted.length; j++) {
        const { r: b, id: idB } = sorted[j]!;
        if (!overlaps(a, b)) continue;
        const ids = [idA, idB];
        if (a.diseaseCode === b.diseaseCode) {
          issues.push({
            code: 'ENROL_OVERLAP',
            psnNo,
            unitIds: ids,
            zh: `同一病种 ${a.diseaseCode} 的待遇期间重叠`,
            en: `overlapping rows of disease ${a.diseaseCode}`,
          });
          continue;
        }
        if (a.diseaseClass !== capitatedClass || b.diseaseClass !== capitatedClass) continue;
        if (a.treatingInstitution !== b.treatingInstitution) {
          issues.push({
            code: 'ENROL_TWO_TREATING',
            psnNo,
            unitIds: ids,
            zh: `同一时间选择了两家治疗机构（${a.treatingInstitution}、${b.treatingInstitution}），每人每年只能选一家`,
            en: `two treating institutions at once (${a.treatingInstitution}, ${b.treatingInstitution}); one per person`,
          });
        }
        if (
          a.familyDoctorInstitution &&
          b.familyDoctorInstitution &&
          a.familyDoctorInstitution !== b.familyDoctorInstitution
        ) {
          issues.push({
            code: 'ENROL_TWO_FAMILY_DOCTOR',
            psnNo,
            unitIds: ids,
            zh: `同一时间签约了两家家庭医生机构（${a.familyDoctorInstitution}、${b.familyDoctorInstitution}）`,
            en: `two family-doctor institutions at once (${a.familyDoctorInstitution}, ${b.familyDoctorInstitution})`,
          });
        }
      }
    }
  }
  return issues.sort(
    (x, y) => byCode(x.code, y.code) || byCode(x.psnNo, y.psnNo) || byCode(x.unitIds.join(), y.unitIds.join()),
  );
}

/**
 * The valid rows of each person with two or more (one row: nothing can overlap it), each person's in row order, the
 * persons in the order their first valid row comes. Rows ordered by person (as the store reads them) are taken run by
 * run, with no map of a province's persons (issue 9); other rows are grouped by a map.
 */
function* rowsByPerson(
  rows: readonly SpecialDiseaseEnrolment[],
  valid: Uint8Array,
): Generator<[string, SpecialDiseaseEnrolment[]]> {
  let ordered = true;
  for (let i = 1; i < rows.length && ordered; i++) ordered = rows[i - 1]!.psnNo <= rows[i]!.psnNo;
  if (!ordered) {
    const byPerson = new Map<string, SpecialDiseaseEnrolment[]>();
    for (let i = 0; i < rows.length; i++) if (valid[i] === 1) pushTo(byPerson, rows[i]!.psnNo, rows[i]!);
    for (const entry of byPerson) if (entry[1].length > 1) yield entry;
    return;
  }
  for (let i = 0; i < rows.length; ) {
    const psnNo = rows[i]!.psnNo;
    let j = i + 1;
    while (j < rows.length && rows[j]!.psnNo === psnNo) j++;
    if (j - i > 1) {
      const list: SpecialDiseaseEnrolment[] = [];
      for (let k = i; k < j; k++) if (valid[k] === 1) list.push(rows[k]!);
      if (list.length > 1) yield [psnNo, list];
    }
    i = j;
  }
}

/** Whether the person has a class-1 special disease (一类门特) on any day of `period`. */
export function hasClass1During(rowsOfPerson: readonly SpecialDiseaseEnrolment[], period: Period): boolean {
  return rowsOfPerson.some((r) => r.diseaseClass === 1 && r.from <= r.to && overlaps(r, period));
}

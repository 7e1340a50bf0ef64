/**
 * A head's risk factors and its amount for one enrolment segment (R-CAP-2, R-CAP-3): age on the policy's day,
 * sex, and whether the person has a class-1 special disease during the segment.
 *
 * A head's amount is exact: corrected base rate (fen) × risk weight × days in the segment ÷ days in the year, so a
 * person's segments add up to the whole annual standard. Money is rounded once, where the clause computes a
 * total (四(四)1(3) "计算各……定点医疗机构的病种人头付费统筹基金总额"): see `institutionTotals` in method.ts.
 */
import type { InsuredPerson, SpecialDiseaseEnrolment } from '../../model/institution.ts';
import type { Fen, Ratio } from '../../model/money.ts';
import { ageOn } from '../common/period.ts';
import type { HeadSegment } from './enrolment.ts';
import { hasClass1During } from './enrolment.ts';
import type { CapitationPolicy, RiskFactors } from './types.ts';

export function riskAgeDate(policy: CapitationPolicy, year: number, segment: HeadSegment): string {
  switch (policy.riskAgeAsOf.value) {
    case 'year-start':
      return `${year}-01-01`;
    case 'year-end':
      return `${year}-12-31`;
    case 'segment-start':
      return segment.period?.from ?? `${year}-01-01`;
  }
}

/** Risk factors of the head, or null when the person is unknown (no birth date to age them). */
export function riskFactorsOf(
  segment: HeadSegment,
  person: InsuredPerson | undefined,
  rowsOfPerson: readonly SpecialDiseaseEnrolment[],
  policy: CapitationPolicy,
  year: number,
): (RiskFactors & { ageDate: string }) | null {
  if (!person || !segment.period) return null;
  const ageDate = riskAgeDate(policy, year, segment);
  return {
    ageYears: ageOn(person.birthDate, ageDate),
    sex: person.sex,
    hasClass1: hasClass1During(rowsOfPerson, segment.period),
    ageDate,
  };
}

/**
 * rate × weight × days ÷ yearDays, exact (fen as a ratio), left unreduced: every figure made from it depends on its
 * value only (sums, shares, the decimals a step shows), and a gcd per head would cost more than the rest of the head.
 */
export function headAmount(rate: Fen, weight: Ratio, days: number, yearDays: number): Ratio {
  return { num: BigInt(rate) * weight.num * BigInt(days), den: weight.den * BigInt(yearDays) };
}

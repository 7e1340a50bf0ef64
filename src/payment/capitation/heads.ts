/**
 * A head's risk factors and its amount for one enrolment segment (R-CAP-2, R-CAP-3): age on the policy's day,
 * sex, and whether the person has a class-1 special disease during the segment.
 *
 * Rounding (so that the total never exceeds the cap, 四(三)1): a head's amount = corrected base rate (fen, already
 * rounded down) × risk weight × days in the segment ÷ days in the year, rounded down (floor) to the fen.
 */
import type { InsuredPerson, SpecialDiseaseEnrolment } from '../../model/institution.ts';
import { divRound, type Fen, type Ratio } from '../../model/money.ts';
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

/** rate × weight × days ÷ yearDays, floor to the fen. */
export function headAmount(rate: Fen, weight: Ratio, days: number, yearDays: number): Fen {
  return Number(divRound(BigInt(rate) * weight.num * BigInt(days), weight.den * BigInt(yearDays), 'floor'));
}

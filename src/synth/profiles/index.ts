/** All clinical profiles of the synthetic region, and the code lists the injected misbehaviour draws from. */
import { BED_DAY_PROFILES } from './bed-day.ts';
import { MEDICAL_PROFILES } from './medical.ts';
import { ONCOLOGY_PROFILES } from './oncology.ts';
import { SURGICAL_PROFILES } from './surgical.ts';
import type { ClinicalProfile } from './types.ts';
import { WOMEN_CHILDREN_PROFILES } from './women-children.ts';

export { ANCHORS, anchorKey, type CostAnchor, SEVERITY, type Severity } from './anchors.ts';
export * from './types.ts';

export const PROFILES: readonly ClinicalProfile[] = [
  ...MEDICAL_PROFILES,
  ...SURGICAL_PROFILES,
  ...WOMEN_CHILDREN_PROFILES,
  ...ONCOLOGY_PROFILES,
  ...BED_DAY_PROFILES,
];

/**
 * Secondary diagnoses that a hospital that upcodes (高套编码, R-MON-2) adds without any change in the care given:
 * each is a major complication (MCC) in CHS-DRG 1.1 for most principal diagnoses.
 */
export const UPCODING_MCC_CODES: readonly string[] = ['J96.900x001', 'N17.900', 'R57.800', 'J96.000', 'E87.102'];

/** Minor conditions that a hospital admitting below the standard (低标入院) fills its beds with. */
export const LOW_STANDARD_DIAGNOSES: readonly (readonly [code: string, w: number])[] = [
  ['J06.900', 3],
  ['I10.x00', 3],
  ['K29.500', 2],
  ['M54.502', 2],
  ['R51.x00', 1],
  ['I67.800x003', 2],
];

/**
 * The sex a diagnosis belongs to, when it belongs to one (obstetric, female genital organs, cervix/uterus/ovary
 * and breast tumours; prostate and male genital organs); null otherwise. Keeps clean cases consistent.
 */
export function sexOfDiagnosis(code: string): '1' | '2' | null {
  if (/^(O|C5[0-8]|D2[5-7]|N[7-9]|Z37)/.test(code)) return '2';
  if (/^(C6[0-3]|N4[0-9]|N5[01])/.test(code)) return '1';
  return null;
}

/** Unknown codes used by the injected bad rows (they are in no code list). */
export const BAD_DIAGNOSIS_CODES: readonly string[] = ['X99.999', 'J18.9xx', 'K35.8', 'I10'];

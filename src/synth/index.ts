/**
 * Synthetic pooling region (合成统筹区) for demos, tests and benchmarks: `generateRegion` writes institutions,
 * insured persons, inpatient cases of several years, optional fee items, special-disease enrolments, injected
 * bad rows and misbehaviour with their ground truth, and a manifest. `outpatient.ts` adds the enrolled persons'
 * outpatient special-disease settlements (门特结算记录, `outpatient-<year>` files) for capitation. See the project
 * README for the columns.
 */
import { PROFILES } from './profiles/index.ts';

export { chooseMisbehaviourRoles, MISBEHAVIOUR_RATES, type MisbehaviourRoles } from './anomalies.ts';
export { ENROLMENT_RATES, SPECIAL_DISEASES, type SpecialDisease } from './enrolments.ts';
export {
  casesByYear,
  DEFAULT_YEARS,
  type GenerateOptions,
  type GenerateProgress,
  generateRegion,
  MAX_CASES,
} from './generate.ts';
export type { Manifest, ManifestFile } from './manifest.ts';
export { CsvVisits, OUTPATIENT_PARAMS, type OutpatientVisit, OutpatientVisits, VISIT_PROFILES } from './outpatient.ts';
export { SYNTH_PARAMS } from './params.ts';
export { ANCHORS, type ClinicalProfile, PROFILES, type TreatmentOption } from './profiles/index.ts';
export { buildInstitutions, COUNTIES, REGION, type SynthInstitution } from './region.ts';
export { loadSampleCodes, SYNTH_CODE_LISTS } from './sample-codes.ts';
export { type BadRowKind, type MisbehaviourKind, TRUTH_COLUMNS, type TruthRow } from './truth.ts';

/** A condition of the region's single-disease payment list (按病种付费), with its usual procedure. */
export interface SingleDisease {
  id: string;
  zh: string;
  en: string;
  /** Principal diagnoses (ICD-10 医保版). */
  diagnoses: string[];
  /** Main procedures of its treatment options (ICD-9-CM-3 医保版); empty when treated conservatively. */
  mainProcedures: string[];
  /** Offered as day surgery (日间手术) too. */
  daySurgery: boolean;
}

/** The profiles flagged for single-disease payment: cataract, appendicitis, hernia, childbirth and more. */
export function singleDiseases(): SingleDisease[] {
  return PROFILES.filter((p) => p.singleDisease).map((p) => ({
    id: p.id,
    zh: p.zh,
    en: p.en,
    diagnoses: p.principal.map(([code]) => code),
    mainProcedures: [...new Set(p.options.map((o) => o.procs[0]).filter((c): c is string => c !== undefined))],
    daySurgery: p.options.some((o) => o.day === true),
  }));
}

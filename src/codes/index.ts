/**
 * Code lists (编码库): the ICD-10 classification facts used by QC (pure data), procedure types, the importer
 * of user-supplied lists, and the small sample lists shipped for the demo.
 */
import { fileURLToPath } from 'node:url';

export * from './departments.ts';
export * from './icd10-classification.ts';
export * from './procedure-type.ts';

/**
 * The sample lists shipped for the demo region: every code the synthetic generator uses (ICD-10 医保版 2.0
 * diagnoses; ICD-9-CM-3 医保版 2.0 procedures with their types). One list serves the demo, the generator and tests.
 */
export const SAMPLE_CODE_LISTS = {
  icd10: fileURLToPath(new URL('./sample/icd10-sample.csv', import.meta.url)),
  icd9: fileURLToPath(new URL('./sample/icd9-sample.csv', import.meta.url)),
} as const;

/**
 * Code lists (编码库): the ICD-10 classification facts used by QC (pure data), procedure types, the importer
 * of user-supplied lists, and the small sample lists shipped for the demo.
 */
import { fileURLToPath } from 'node:url';

export * from './icd10-classification.ts';
export { type CodeImportOptions, type CodeImportReport, importCodes } from './import.ts';
export * from './procedure-type.ts';

/** Small hand-picked sample lists for the demo region (35 diagnoses, 28 procedures with their types). */
export const SAMPLE_CODE_LISTS = {
  icd10: fileURLToPath(new URL('./sample/icd10.csv', import.meta.url)),
  icd9: fileURLToPath(new URL('./sample/icd9.csv', import.meta.url)),
} as const;

/** The project's sample code list (`src/codes/sample`), as the generator needs it: code → name and procedure type. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export type ProcedureType = 'surgery' | 'interventional' | 'therapeutic' | 'diagnostic';

export interface SampleCodes {
  diagnoses: ReadonlyMap<string, string>;
  procedures: ReadonlyMap<string, { name: string; type: ProcedureType }>;
}

export const SAMPLE_DIR = fileURLToPath(new URL('../codes/sample/', import.meta.url));

/** The sample lists every generated code comes from (the project's one sample list, `SAMPLE_CODE_LISTS` in src/codes). */
export const SAMPLE_FILES = { icd10: 'icd10-sample.csv', icd9: 'icd9-sample.csv' } as const;

/** Absolute paths of the sample lists, for `yibao codes import` before ingesting a synthetic region. */
export const SYNTH_CODE_LISTS = {
  icd10: `${SAMPLE_DIR}${SAMPLE_FILES.icd10}`,
  icd9: `${SAMPLE_DIR}${SAMPLE_FILES.icd9}`,
} as const;

const PROCEDURE_TYPES: ReadonlySet<string> = new Set(['surgery', 'interventional', 'therapeutic', 'diagnostic']);

function readRows(file: string, header: string): string[][] {
  const text = readFileSync(`${SAMPLE_DIR}${file}`, 'utf8');
  const lines = text.split('\n').filter((l) => l.length > 0);
  if (lines[0] !== header) throw new Error(`${file}: header must be "${header}"`);
  const columns = header.split(',').length;
  return lines.slice(1).map((line, i) => {
    const cells = line.split(',');
    if (cells.length !== columns) throw new Error(`${file}:${i + 2}: expected ${columns} columns, got ${cells.length}`);
    return cells;
  });
}

let cached: SampleCodes | undefined;

export function loadSampleCodes(): SampleCodes {
  if (cached) return cached;
  const diagnoses = new Map<string, string>();
  for (const [code, name] of readRows(SAMPLE_FILES.icd10, 'code,name')) diagnoses.set(code!, name!);
  const procedures = new Map<string, { name: string; type: ProcedureType }>();
  for (const [code, name, type] of readRows(SAMPLE_FILES.icd9, 'code,name,proc_type')) {
    if (!PROCEDURE_TYPES.has(type!)) throw new Error(`${SAMPLE_FILES.icd9}: ${code}: unknown procedure type "${type}"`);
    procedures.set(code!, { name: name!, type: type as ProcedureType });
  }
  cached = { diagnoses, procedures };
  return cached;
}

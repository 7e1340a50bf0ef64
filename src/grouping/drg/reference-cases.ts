/** Reading case files with the columns of the reference's `cases_public.csv` (also the `drg group` input). */
import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';
import type { DrgCaseInput } from './case-batch.ts';
import { readCsvRecords } from './csv.ts';
import { DrgPackError } from './pack-error.ts';

/** Input columns; extra columns are ignored. */
export const CASE_COLUMNS = [
  'id',
  'sex',
  'age',
  'age_days',
  'birth_weight_g',
  'dept',
  'los',
  'discharge_type',
  'diagnoses',
  'procedures',
] as const;

/** Columns the grouping reads (dept, los and discharge_type are carried but never used by CHS-DRG 1.1). */
export const REQUIRED_CASE_COLUMNS = ['id', 'sex', 'age', 'age_days', 'birth_weight_g', 'diagnoses', 'procedures'];

export interface ReferenceCase extends DrgCaseInput {
  id: string;
  expected?: { mdc: string; adrg: string; drg: string; status: string };
}

export function caseFromRecord(r: Record<string, string>): ReferenceCase {
  const c: ReferenceCase = {
    id: r.id ?? '',
    sex: r.sex ?? '',
    age: r.age ?? '',
    ageDays: r.age_days ?? '',
    birthWeightG: r.birth_weight_g ?? '',
    diagnoses: r.diagnoses ?? '',
    procedures: r.procedures ?? '',
  };
  if (r.expected_status !== undefined) {
    c.expected = {
      mdc: r.expected_mdc ?? '',
      adrg: r.expected_adrg ?? '',
      drg: r.expected_drg ?? '',
      status: r.expected_status,
    };
  }
  return c;
}

/** Read a whole case file (small files: tests, the bench's seed set). */
export function readCaseFile(file: string): ReferenceCase[] {
  return readCsvRecords(file, REQUIRED_CASE_COLUMNS).map(caseFromRecord);
}

/** Stream a case file record by record (large files: `drg group`). */
export async function* streamCaseFile(file: string): AsyncGenerator<ReferenceCase> {
  const parser = createReadStream(file).pipe(parse({ columns: true, bom: true, skip_empty_lines: true }));
  let checked = false;
  const records = (async function* () {
    try {
      yield* parser as AsyncIterable<Record<string, string>>;
    } catch (e) {
      const m = (e as Error).message;
      throw new DrgPackError('DRG_CSV_SYNTAX', file, '', `无法读取 CSV：${m}`, `cannot read CSV: ${m}`);
    }
  })();
  for await (const r of records) {
    if (!checked) {
      const missing = REQUIRED_CASE_COLUMNS.filter((c) => !(c in r));
      if (missing.length > 0) {
        throw new DrgPackError(
          'DRG_CSV_COLUMNS',
          file,
          'header',
          `缺少列：${missing.join(', ')}`,
          `missing column(s): ${missing.join(', ')}`,
        );
      }
      checked = true;
    }
    yield caseFromRecord(r);
  }
}

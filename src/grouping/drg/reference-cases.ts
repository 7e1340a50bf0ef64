/** Reading case files with the columns of the reference's `cases_public.csv` (also the `drg group` input). */
import { createReadStream, readFileSync } from 'node:fs';
import { parse } from 'csv-parse';
import type { DrgCaseInput } from './case-batch.ts';
import { caseColumnIndexes, caseFieldOf } from './case-columns.ts';
import { fieldCountError, readCsvRecords } from './csv.ts';
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

/** A case from a record keyed by header name (reference or settlement-list column names, case-columns.ts). */
export function caseFromRecord(r: Record<string, string>): ReferenceCase {
  const c: ReferenceCase = {
    id: caseFieldOf(r, 'id') ?? '',
    sex: caseFieldOf(r, 'sex') ?? '',
    age: caseFieldOf(r, 'age') ?? '',
    ageDays: caseFieldOf(r, 'age_days') ?? '',
    birthWeightG: caseFieldOf(r, 'birth_weight_g') ?? '',
    los: caseFieldOf(r, 'los') ?? '',
    diagnoses: caseFieldOf(r, 'diagnoses') ?? '',
    procedures: caseFieldOf(r, 'procedures') ?? '',
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
      const { missing } = caseColumnIndexes(Object.keys(r));
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

/** Bytes decoded at a time on the fast path (cut at a line end). */
const SLICE_BYTES = 8 << 20;

/**
 * Visit every case of a case file, in order. A file without any `"` is split directly (exact by RFC 4180:
 * no field can then hold a comma or a line break), slice by slice; any other file goes through csv-parse.
 */
export async function forEachCase(
  file: string,
  visit: (c: ReferenceCase) => void,
  sliceBytes = SLICE_BYTES,
): Promise<number> {
  let buf: Buffer;
  try {
    buf = readFileSync(file);
  } catch (e) {
    const m = (e as Error).message;
    throw new DrgPackError('DRG_CSV_READ', file, '', `无法读取文件：${m}`, `cannot read: ${m}`);
  }
  if (buf.includes(0x22)) {
    let n = 0;
    for await (const c of streamCaseFile(file)) {
      visit(c);
      n++;
    }
    return n;
  }
  let header: string[] | null = null;
  let n = 0;
  let lineNo = 0;
  let start = buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? 3 : 0;
  while (start < buf.length) {
    let end = Math.min(buf.length, start + sliceBytes);
    if (end < buf.length) {
      const nl = buf.lastIndexOf(0x0a, end - 1);
      end = nl >= start ? nl + 1 : buf.indexOf(0x0a, end) + 1 || buf.length;
    }
    const lines = buf.toString('utf8', start, end).split('\n');
    // Slices end just after a line break, so the last piece is '' except for an unterminated last line.
    const count = lines[lines.length - 1] === '' ? lines.length - 1 : lines.length;
    for (let k = 0; k < count; k++) {
      lineNo++;
      const raw = lines[k]!;
      const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
      if (line === '') continue;
      const fields = line.split(',');
      if (header === null) {
        header = fields;
        checkColumns(file, header);
        continue;
      }
      if (fields.length !== header.length) {
        throw fieldCountError(file, lineNo, fields.length, header.length);
      }
      const record: Record<string, string> = {};
      for (let j = 0; j < header.length; j++) record[header[j]!] = fields[j]!;
      visit(caseFromRecord(record));
      n++;
    }
    start = end;
  }
  if (header === null) checkColumns(file, []);
  return n;
}

export function checkColumns(file: string, header: readonly string[]): void {
  const { missing } = caseColumnIndexes(header);
  if (missing.length > 0) {
    throw new DrgPackError(
      'DRG_CSV_COLUMNS',
      file,
      'header',
      `缺少列：${missing.join(', ')}`,
      `missing column(s): ${missing.join(', ')}`,
    );
  }
}

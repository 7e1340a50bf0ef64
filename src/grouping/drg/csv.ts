/**
 * CSV in and out (RFC 4180). Reading uses `csv-parse` (quoted fields with commas occur in the reference's
 * icd10.csv, and user files may quote anything); writing needs only the quoting rule, in `csvLine`.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { DrgPackError } from './pack-error.ts';

/** Read a whole CSV file with a header row into records keyed by column name; checks the named columns exist. */
export function readCsvRecords(file: string, required: readonly string[]): Record<string, string>[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new DrgPackError(
      'DRG_CSV_READ',
      file,
      '',
      `无法读取文件：${(e as Error).message}`,
      `cannot read: ${(e as Error).message}`,
    );
  }
  let rows: Record<string, string>[];
  try {
    rows = text.includes('"')
      ? parse(text, { columns: true, bom: true, skip_empty_lines: true, relax_column_count: false })
      : parseUnquoted(text, file);
  } catch (e) {
    if (e instanceof DrgPackError) throw e;
    throw new DrgPackError(
      'DRG_CSV_SYNTAX',
      file,
      '',
      `CSV 格式错误：${(e as Error).message}`,
      `bad CSV: ${(e as Error).message}`,
    );
  }
  const header = rows[0] ? Object.keys(rows[0]) : firstLineColumns(text);
  const missing = required.filter((c) => !header.includes(c));
  if (missing.length > 0) {
    throw new DrgPackError(
      'DRG_CSV_COLUMNS',
      file,
      'header',
      `缺少列：${missing.join(', ')}（现有：${header.join(', ')}）`,
      `missing column(s): ${missing.join(', ')} (found: ${header.join(', ')})`,
    );
  }
  return rows;
}

/**
 * Fast path for text without any double quote: then, by RFC 4180, no field holds a comma or a line break, and
 * splitting is exact. (csv-parse handles every other file.)
 */
function parseUnquoted(text: string, file: string): Record<string, string>[] {
  const lines = text.replace(/^\uFEFF/, '').split('\n');
  const header = (lines[0] ?? '').replace(/\r$/, '').split(',');
  const rows: Record<string, string>[] = [];
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!.replace(/\r$/, '');
    if (line === '') continue;
    const fields = line.split(',');
    if (fields.length !== header.length) {
      throw fieldCountError(file, i + 1, fields.length, header.length);
    }
    const row: Record<string, string> = {};
    for (let j = 0; j < header.length; j++) row[header[j]!] = fields[j]!;
    rows.push(row);
  }
  return rows;
}

/** The error of a CSV line (1-based `line`) whose field count differs from the header's. */
export function fieldCountError(file: string, line: number, fields: number, headerFields: number): DrgPackError {
  return new DrgPackError(
    'DRG_CSV_SYNTAX',
    file,
    `line ${line}`,
    `列数 ${fields} 与表头 ${headerFields} 不符`,
    `${fields} fields where the header has ${headerFields}`,
  );
}

function firstLineColumns(text: string): string[] {
  return (text.split('\n')[0] ?? '').trim().split(',');
}

/** One CSV line (with the trailing `\n`), quoting a field only when it must (shared with src/tables). */
export { csvLine } from '../../tables/index.ts';

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
    rows = parse(text, { columns: true, bom: true, skip_empty_lines: true, relax_column_count: false });
  } catch (e) {
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

function firstLineColumns(text: string): string[] {
  return (text.split('\n')[0] ?? '').trim().split(',');
}

const NEEDS_QUOTES = /[",\r\n]/;

/** One CSV line (with the trailing `\n`), quoting a field only when it holds a comma, quote or line break. */
export function csvLine(fields: readonly string[]): string {
  let line = '';
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i]!;
    if (i > 0) line += ',';
    line += NEEDS_QUOTES.test(f) ? `"${f.replaceAll('"', '""')}"` : f;
  }
  return `${line}\n`;
}

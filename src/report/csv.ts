/**
 * CSV writer: UTF-8 with BOM (Excel opens Chinese headers correctly), Chinese headers by default, RFC 4180
 * quoting, exact money (yuan text) and points (4 decimals), enum values in the reader's language. One line per
 * record and no total row, so a CSV file loads into another system as it is (the workbook carries the 合计 row).
 * Rows are written in chunks so millions stream.
 */
import { writeFileAtomic, writeFileAtomicSync } from './atomic.ts';
import { writeLines, writeLinesAsync } from './line-sink.ts';
import { type AnyTable, cellText, type Row, type Table } from './table.ts';

/** A CSV cell (RFC 4180): between double quotes, inner ones doubled, when it holds a comma, a quote, CR or LF. */
export function quote(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The whole table as CSV text (small tables and tests). */
export function toCsv(t: Table, lang: 'zh' | 'en' = 'zh'): string {
  const lines = [t.columns.map((c) => quote(lang === 'zh' ? c.zh : c.en)).join(',')];
  for (const r of t.rows) lines.push(t.columns.map((c) => quote(cellText(c, r[c.key] ?? null, lang))).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

/** Write `t` to `path` (under a temporary name, renamed into place when complete). */
export function writeCsv(path: string, t: Table, lang: 'zh' | 'en' = 'zh'): number {
  return writeFileAtomicSync(path, (temp) => writeCsvTo(temp, t, lang));
}

/** The header line (with the BOM and its line end) of a CSV file of `t`. */
export const csvHeader = (t: AnyTable, lang: 'zh' | 'en') =>
  `\uFEFF${t.columns.map((c) => quote(lang === 'zh' ? c.zh : c.en)).join(',')}\r\n`;
/** One record of `t` as a CSV line (no line end). */
export const csvLine = (t: AnyTable, r: Row, lang: 'zh' | 'en') =>
  t.columns.map((c) => quote(cellText(c, r[c.key] ?? null, lang))).join(',');
const header = csvHeader;
const line = csvLine;

function writeCsvTo(path: string, t: Table, lang: 'zh' | 'en'): number {
  return writeLines(path, '\r\n', (sink) => {
    sink.raw(header(t, lang));
    for (const r of t.rows) sink.line(line(t, r, lang));
  });
}

/** Write a table whose rows may stream (`StreamTable`) to `path`, in chunks, atomically. */
export function writeCsvStream(path: string, t: AnyTable, lang: 'zh' | 'en' = 'zh'): Promise<number> {
  return writeFileAtomic(path, (temp) =>
    writeLinesAsync(temp, '\r\n', async (sink) => {
      sink.raw(header(t, lang));
      for await (const r of t.rows) sink.line(line(t, r, lang));
    }),
  );
}

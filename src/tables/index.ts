/**
 * Plain table files, read and written as text cells: CSV (UTF-8, or GB18030 when the bytes are not UTF-8) and
 * XLSX workbooks (every sheet, through exceljs). An adapter for the importers of reference tables (the DIP
 * catalog, CHS-DRG scheme workbooks); the claims pipeline has its own streaming readers in src/ingest.
 *
 * Every row keeps the line (CSV) or sheet row number (XLSX) it came from, so that an importer's error can name
 * it. Empty rows are dropped.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import iconv from 'iconv-lite';

export interface TextTable {
  /** The sheet name (XLSX) or the file name without `.csv`. */
  name: string;
  /** Non-empty rows, cells as text ('' for an empty cell). */
  rows: string[][];
  /** The 1-based line or sheet row number of each row. */
  rowNumbers: number[];
  /** Cells that were numbers in the workbook, as `"rowIndex:columnIndex"` (0-based into `rows`). */
  numericCells: ReadonlySet<string>;
}

/** Decode a text file: UTF-8 when it is valid UTF-8 (a BOM is dropped), otherwise GB18030 (a superset of GBK). */
export function decodeText(buf: Buffer): string {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(buf);
  } catch {
    text = iconv.decode(buf, 'gb18030');
  }
  return text.replace(/^\uFEFF/, '');
}

/** A CSV file (path) or its bytes, as a text table. */
export function readCsvTable(source: string | Buffer, name: string): TextTable {
  const bytes = typeof source === 'string' ? readFileSync(source) : source;
  const records = parse(decodeText(bytes), {
    skip_empty_lines: true,
    relax_column_count: true,
    info: true,
  }) as unknown as { record: string[]; info: { lines: number } }[];
  const rows: string[][] = [];
  const rowNumbers: number[] = [];
  for (const { record, info } of records) {
    if (record.every((c) => c.trim() === '')) continue;
    rows.push(record);
    rowNumbers.push(info.lines);
  }
  return { name, rows, rowNumbers, numericCells: new Set() };
}

/**
 * exceljs, loaded on first use: it costs about a second of start-up, which commands that read no XLSX (e.g.
 * `drg group` on CSV through a reference folder) should not pay.
 */
async function excel() {
  return (await import('exceljs')).default;
}

/** Every worksheet of an XLSX workbook (path or bytes), in workbook order. */
export async function readXlsxTables(source: string | Buffer): Promise<TextTable[]> {
  const ExcelJS = await excel();
  const wb = new ExcelJS.Workbook();
  if (typeof source === 'string') await wb.xlsx.readFile(source);
  else await wb.xlsx.load(source as unknown as ArrayBuffer);
  return wb.worksheets.map((ws) => {
    const rows: string[][] = [];
    const rowNumbers: number[] = [];
    const numericCells = new Set<string>();
    ws.eachRow({ includeEmpty: false }, (row) => {
      const values = (row.values as unknown[]).slice(1);
      const cells = Array.from(values, (v, c) => {
        if (typeof v === 'number') numericCells.add(`${rows.length}:${c}`);
        return cellText(v);
      });
      if (cells.every((c) => c.trim() === '')) return;
      rows.push(cells);
      rowNumbers.push(row.number);
    });
    return { name: ws.name, rows, rowNumbers, numericCells };
  });
}

/** The text of a cell value as exceljs reads it: rich text joined, formulas by their result, dates as ISO days. */
export function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'object') {
    const o = v as { result?: unknown; text?: unknown; richText?: { text: string }[] };
    if (o.richText) return o.richText.map((r) => r.text).join('');
    if (o.result !== undefined) return cellText(o.result);
    if (o.text !== undefined) return String(o.text);
  }
  return String(v);
}

const NEEDS_QUOTES = /[",\r\n]/;

/** One CSV line (RFC 4180, with the trailing `\n`), quoting a field only when it must. */
export function csvLine(fields: readonly string[]): string {
  let line = '';
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i]!;
    if (i > 0) line += ',';
    line += NEEDS_QUOTES.test(f) ? `"${f.replaceAll('"', '""')}"` : f;
  }
  return `${line}\n`;
}

export function writeCsvTable(path: string, rows: readonly (readonly string[])[]): void {
  writeFileSync(path, rows.map(csvLine).join(''));
}

export interface SheetToWrite {
  name: string;
  /** The first row is the header (bold, frozen). Every cell is written as text, so codes keep their zeros. */
  rows: readonly (readonly string[])[];
}

/** Write sheets into one XLSX workbook (exceljs streaming writer: rows are not held as cell objects). */
export async function writeXlsxTables(path: string, sheets: readonly SheetToWrite[]): Promise<void> {
  const ExcelJS = await excel();
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useStyles: true, useSharedStrings: false });
  for (const s of sheets) {
    const ws = wb.addWorksheet(s.name, { views: [{ state: 'frozen', ySplit: 1 }] });
    const header = s.rows[0] ?? [];
    ws.columns = header.map((h, i) => {
      const longest = Math.max(h.length * 2, ...s.rows.slice(1, 200).map((r) => (r[i] ?? '').length));
      return { width: Math.max(8, Math.min(60, longest + 2)), style: { numFmt: '@' } };
    });
    s.rows.forEach((r, i) => {
      const row = ws.addRow([...r]);
      if (i === 0) row.font = { bold: true };
      row.commit();
    });
    ws.commit();
  }
  await wb.commit();
}

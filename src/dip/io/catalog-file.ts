/**
 * Reading a DIP catalog file (CSV in UTF-8 or GB18030, or the first sheet of an XLSX) into rows for
 * `importCatalogRows`. The only I/O in src/dip: a thin shell around the pure importer.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import type { Catalog } from '../catalog.ts';
import { type CatalogImportMeta, importCatalogRows } from '../catalog-import.ts';

export async function readTableFile(path: string): Promise<string[][]> {
  if (/\.xlsx$/i.test(path)) {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(path);
    const ws = wb.worksheets[0];
    if (!ws) return [];
    const rows: string[][] = [];
    ws.eachRow({ includeEmpty: false }, (row) => {
      const values = row.values as unknown[];
      rows.push(values.slice(1).map(cellText));
    });
    return rows;
  }
  const buf = readFileSync(path);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(buf);
  } catch {
    text = iconv.decode(buf, 'gb18030');
  }
  return parse(text, { bom: true, skip_empty_lines: true, relax_column_count: true }) as string[][];
}

function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'object') {
    const o = v as { result?: unknown; text?: unknown; richText?: { text: string }[] };
    if (o.richText) return o.richText.map((r) => r.text).join('');
    if (o.result !== undefined) return cellText(o.result);
    if (o.text !== undefined) return String(o.text);
    if (v instanceof Date) return v.toISOString().slice(0, 10);
  }
  return String(v);
}

export async function readCatalogFile(path: string, meta: Omit<CatalogImportMeta, 'file'>): Promise<Catalog> {
  return importCatalogRows(await readTableFile(path), { ...meta, file: path });
}

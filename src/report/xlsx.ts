/**
 * XLSX writer (exceljs streaming workbook): one sheet per table with headers in the reader's language, a frozen
 * header row with an autofilter, numbers as numbers — money in yuan "#,##0.00" (the exact yuan value; Excel stores
 * doubles), points "#,##0.0000", point values, ratios and coefficients with their column's places — enum values in
 * the reader's language, and a 合计 (total) row at the end of a table that names one (the sums to the fen). Sheet
 * names are unique in a workbook (Excel refuses duplicates). A table longer than an Excel sheet (1 048 576 rows)
 * continues on further sheets "name (2)", "name (3)" …, the total row on the last.
 */
import ExcelJS from 'exceljs';
import { writeFileAtomic } from './atomic.ts';
import { type AnyTable, type Column, cellText, type Lang, type Row, TotalSums } from './table.ts';

const MAX_ROWS = 1_000_000;

/** A sheet name Excel accepts (≤ 31 characters, none of []:*?/\) and not yet used in the workbook. */
export function uniqueSheetName(wanted: string, used: Set<string>): string {
  const base = wanted.replace(/[[\]:*?/\\]/g, ' ').slice(0, 31);
  let name = base;
  for (let k = 2; used.has(name.toLowerCase()); k++) name = `${base.slice(0, 31 - ` (${k})`.length)} (${k})`;
  used.add(name.toLowerCase());
  return name;
}

function numFmt(c: Column): string | undefined {
  switch (c.kind) {
    case 'money':
      return '#,##0.00';
    case 'points':
      return '#,##0.0000';
    case 'int':
      return '0';
    case 'decimal':
      // A share as a percentage (0.1627 shown as 16.27%), else the column's places.
      if (c.percent) return (c.digits ?? 2) > 0 ? `0.${'0'.repeat(c.digits ?? 2)}%` : '0%';
      return `0.${'0'.repeat(c.digits ?? 6)}`;
    default:
      return undefined;
  }
}

/** The value of a cell in the workbook: numbers as numbers (yuan, points, decimals), enums as words. */
function cellValue(c: Column, v: Row[string], lang: Lang): string | number | null {
  if (v === null || v === undefined) return null;
  if (c.kind === 'money' && typeof v === 'number') return v / 100;
  if (c.kind === 'points' && typeof v === 'number') return v / 10_000;
  if (c.kind === 'decimal' && typeof v === 'string') {
    if (v === '') return null;
    const n = Number(v);
    return Number.isFinite(n) ? n : v;
  }
  if (c.kind === 'text') return cellText(c, v, lang);
  return v;
}

/** Write the workbook to `path` (under a temporary name, renamed into place when complete). */
export async function writeXlsx(path: string, tables: readonly AnyTable[], lang: Lang = 'zh'): Promise<void> {
  await writeFileAtomic(path, (temp) => writeXlsxTo(temp, tables, lang));
}

async function writeXlsxTo(path: string, tables: readonly AnyTable[], lang: Lang): Promise<void> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useStyles: true, useSharedStrings: false });
  const used = new Set<string>();
  for (const t of tables) {
    let part = 1;
    let count = 0;
    const title = lang === 'en' && t.en ? t.en : t.zh;
    const open = () => {
      const ws = wb.addWorksheet(uniqueSheetName(part === 1 ? title : `${title.slice(0, 25)} (${part})`, used), {
        views: [{ state: 'frozen', ySplit: 1 }],
      });
      ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: t.columns.length } };
      ws.columns = t.columns.map((c) => ({
        header: lang === 'zh' ? c.zh : c.en,
        key: c.key,
        width: Math.max(10, Math.min(40, (lang === 'zh' ? c.zh.length * 2 : c.en.length) + 2)),
        ...(numFmt(c) ? { style: { numFmt: numFmt(c)! } } : {}),
      }));
      ws.getRow(1).font = { bold: true };
      return ws;
    };
    let ws = open();
    const sums = new TotalSums(t);
    for await (const r of t.rows) {
      if (count === MAX_ROWS) {
        ws.commit();
        part++;
        count = 0;
        ws = open();
      }
      const values: Record<string, string | number | null> = {};
      for (const c of t.columns) {
        const v = r[c.key] ?? null;
        values[c.key] = cellValue(c, v, lang);
      }
      if (t.total) sums.add(r);
      ws.addRow(values).commit();
      count++;
    }
    if (t.total) {
      const total = sums.row(lang);
      const values: Record<string, string | number | null> = {};
      for (const c of t.columns) values[c.key] = cellValue(c, total[c.key] ?? null, lang);
      const row = ws.addRow(values);
      row.font = { bold: true };
      row.commit();
    }
    ws.commit();
  }
  await wb.commit();
}

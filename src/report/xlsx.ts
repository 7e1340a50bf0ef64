/**
 * XLSX writer (exceljs streaming workbook): one sheet per table with Chinese headers, a frozen header row, money
 * as numbers formatted "0.00" (the exact yuan value; Excel stores doubles) and points "0.0000". A table longer
 * than an Excel sheet (1 048 576 rows) continues on further sheets "name (2)", "name (3)" ….
 */
import ExcelJS from 'exceljs';
import { writeFileAtomic } from './atomic.ts';
import type { Column, Table } from './table.ts';

const MAX_ROWS = 1_000_000;

function sheetName(t: Table, part: number, lang: 'zh' | 'en'): string {
  const base = (lang === 'en' && t.en ? t.en : t.zh).slice(0, 25);
  return part === 1 ? base : `${base} (${part})`;
}

function numFmt(c: Column): string | undefined {
  return c.kind === 'money' ? '#,##0.00' : c.kind === 'points' ? '0.0000' : undefined;
}

/** Write the workbook to `path` (under a temporary name, renamed into place when complete). */
export async function writeXlsx(path: string, tables: readonly Table[], lang: 'zh' | 'en' = 'zh'): Promise<void> {
  await writeFileAtomic(path, (temp) => writeXlsxTo(temp, tables, lang));
}

async function writeXlsxTo(path: string, tables: readonly Table[], lang: 'zh' | 'en'): Promise<void> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useStyles: true, useSharedStrings: false });
  for (const t of tables) {
    let part = 1;
    let count = 0;
    const open = () => {
      const ws = wb.addWorksheet(sheetName(t, part, lang), { views: [{ state: 'frozen', ySplit: 1 }] });
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
    for (const r of t.rows) {
      if (count === MAX_ROWS) {
        ws.commit();
        part++;
        count = 0;
        ws = open();
      }
      const values: Record<string, string | number | null> = {};
      for (const c of t.columns) {
        const v = r[c.key] ?? null;
        values[c.key] =
          v === null
            ? null
            : c.kind === 'money' && typeof v === 'number'
              ? v / 100
              : c.kind === 'points' && typeof v === 'number'
                ? v / 10_000
                : v;
      }
      ws.addRow(values).commit();
      count++;
    }
    ws.commit();
  }
  await wb.commit();
}

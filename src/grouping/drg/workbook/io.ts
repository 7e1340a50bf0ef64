/**
 * Scheme workbooks on disk: an XLSX file with one sheet per table, or a folder with one `<sheet>.csv` per table
 * (UTF-8 or GB18030). Reading returns a validated pack; writing exports a pack (layout.ts gives the sheets).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { readCsvTable, readXlsxTables, type TextTable, writeCsvTable, writeXlsxTables } from '../../../tables/index.ts';
import { xlsxProblem } from '../../../tables/xlsx-problem.ts';
import { DrgPackError } from '../pack-error.ts';
import type { DrgPack } from '../pack-schema.ts';
import { packFromSchemeTables } from './from-tables.ts';
import { normaliseName, SHEET } from './layout.ts';
import { schemeTablesFromPack } from './to-tables.ts';

const isXlsx = (path: string) => /\.xlsx$/i.test(path);

/** An XLSX file, or a folder holding an ADRG sheet as CSV. */
export function isSchemeWorkbook(path: string): boolean {
  if (!existsSync(path)) return false;
  if (!statSync(path).isDirectory()) return isXlsx(path);
  const adrgNames = new Set(SHEET.adrg.names.map(normaliseName));
  return readdirSync(path).some(
    (f) => extname(f).toLowerCase() === '.csv' && adrgNames.has(normaliseName(basename(f, extname(f)))),
  );
}

const sha256 = (buf: Buffer) => createHash('sha256').update(buf).digest('hex');

export async function readSchemeWorkbook(path: string): Promise<DrgPack> {
  if (!existsSync(path)) {
    throw new DrgPackError('DRG_WORKBOOK_READ', path, '', '文件或文件夹不存在', 'no such file or folder');
  }
  let tables: TextTable[];
  const hashes: Record<string, string> = {};
  if (statSync(path).isDirectory()) {
    const files = readdirSync(path)
      .filter((f) => extname(f).toLowerCase() === '.csv')
      .sort();
    // Each file is read once: the same bytes are hashed and parsed.
    tables = files.map((f) => {
      const bytes = readFileSync(join(path, f));
      hashes[f] = sha256(bytes);
      return readCsvTable(bytes, basename(f, extname(f)));
    });
  } else if (isXlsx(path)) {
    const bytes = readFileSync(path);
    hashes[basename(path)] = sha256(bytes);
    try {
      tables = await readXlsxTables(bytes);
    } catch (e) {
      const p = xlsxProblem(path, e, bytes);
      throw new DrgPackError('DRG_WORKBOOK_READ', path, '', p.zh, p.en);
    }
  } else {
    throw new DrgPackError(
      'DRG_WORKBOOK_READ',
      path,
      '',
      '分组方案表格应为 .xlsx 文件或 CSV 文件夹',
      'a scheme workbook is an .xlsx file or a folder of CSV files',
    );
  }
  return packFromSchemeTables({ origin: path, tables, source: { sha256: hashes } });
}

/** Export a pack as a workbook: `.xlsx` → one file; anything else → a folder of CSV files (created if needed). */
export async function writeSchemeWorkbook(
  pack: DrgPack,
  path: string,
): Promise<{ format: 'xlsx' | 'csv'; sheets: number; rows: number }> {
  const sheets = schemeTablesFromPack(pack);
  const rows = sheets.reduce((n, s) => n + s.rows.length - 1, 0);
  if (isXlsx(path)) {
    await writeXlsxTables(path, sheets);
    return { format: 'xlsx', sheets: sheets.length, rows };
  }
  mkdirSync(path, { recursive: true });
  for (const s of sheets) writeCsvTable(join(path, `${s.name}.csv`), s.rows);
  return { format: 'csv', sheets: sheets.length, rows };
}

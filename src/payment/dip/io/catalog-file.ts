/**
 * Reading a DIP catalog file (CSV in UTF-8 or GB18030, or the first sheet of an XLSX) into rows for
 * `importCatalogRows`. The only I/O in src/dip: a thin shell around the pure importer.
 */
import { basename } from 'node:path';
import type { Catalog } from '../../../grouping/dip/catalog.ts';
import { readCsvTable, readXlsxTables } from '../../../tables/index.ts';
import { xlsxProblem } from '../../../tables/xlsx-problem.ts';
import { type CatalogImportMeta, importCatalogRows } from '../catalog-import.ts';
import { DipError } from '../errors.ts';

/** The rows of a CSV file, or of the first sheet of an XLSX workbook (src/tables). */
export async function readTableFile(path: string): Promise<string[][]> {
  if (/\.xlsx$/i.test(path)) {
    try {
      return (await readXlsxTables(path))[0]?.rows ?? [];
    } catch (e) {
      // A workbook that cannot be read says why (truncated, not an XLSX …), not in exceljs's English.
      const p = xlsxProblem(path, e);
      throw new DipError('CATALOG_FILE', p.zh, p.en, path);
    }
  }
  return readCsvTable(path, basename(path)).rows;
}

export async function readCatalogFile(path: string, meta: Omit<CatalogImportMeta, 'file'>): Promise<Catalog> {
  return importCatalogRows(await readTableFile(path), { ...meta, file: path });
}

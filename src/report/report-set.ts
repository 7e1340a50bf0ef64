/**
 * Write one set of statements in the chosen formats: every table as CSV; one JSON document of the small tables
 * (plus any header fields) and the per-unit table as JSON Lines; one XLSX workbook. The per-unit table is a
 * factory because it streams (it can hold millions of rows) and each writer consumes it once.
 */
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { writeDirAtomic, writeFileAtomic } from './atomic.ts';
import { writeCsv, writeCsvStream } from './csv.ts';
import { writeCsvAndJsonLinesStream } from './csv-and-json-lines.ts';
import { tableToJson, writeJson, writeJsonLinesStream } from './json.ts';
import type { AnyTable, Table } from './table.ts';
import { writeXlsx } from './xlsx.ts';

export type ReportFormat = 'csv' | 'json' | 'xlsx';

export interface ReportSet {
  /** File stem of the JSON and XLSX files, e.g. the pool id. */
  name: string;
  /** The per-unit table (cases), built anew for each writer; its rows may stream from the store. */
  units: () => AnyTable;
  /** File stem of the per-unit JSON Lines file; default `<name>-cases` (a what-if's ends in `-simulation`). */
  unitLinesStem?: string;
  /** The small tables (statements, summaries). */
  tables: () => Table[];
  /** Extra fields at the top of the JSON document (e.g. the catalog id, the pool's steps). */
  json?: Record<string, unknown>;
  /** Sheets of the workbook, in order; default: the small tables, then the units. */
  xlsx?: () => AnyTable[];
  /**
   * Writes the per-unit CSV (header included) and JSON Lines files itself, byte for byte what `units` gives through
   * the writers (a store rendering the lines: millions of rows without a row object each); absent: `units` streams.
   */
  unitFiles?: (paths: { csv?: string; jsonLines?: string }, lang: 'zh' | 'en') => Promise<void>;
  /** Further workbooks (XLSX format only), e.g. one per institution: a path below the folder and its sheets. */
  workbooks?: readonly { file: string; tables: () => AnyTable[] }[];
}

export async function writeReportSet(
  set: ReportSet,
  outDir: string,
  o: { formats?: readonly ReportFormat[]; lang?: 'zh' | 'en' } = {},
): Promise<string[]> {
  const formats = o.formats ?? ['csv', 'json', 'xlsx'];
  const lang = o.lang ?? 'zh';
  // The folder is replaced as a whole (atomic.ts): never a truncated file or an old file beside new ones.
  return writeDirAtomic(outDir, (dir) => writeSetFiles(set, dir, formats, lang));
}

async function writeSetFiles(
  set: ReportSet,
  outDir: string,
  formats: readonly ReportFormat[],
  lang: 'zh' | 'en',
): Promise<string[]> {
  const files: string[] = [];
  // CSV and JSON together: the per-unit table (which may stream from the store) is read once for both files.
  const both = formats.includes('csv') && formats.includes('json');
  const unitLines = join(outDir, `${set.unitLinesStem ?? `${set.name}-cases`}.jsonl`);
  const unitFiles = set.unitFiles;
  if (formats.includes('csv')) {
    const units = set.units();
    const uf = join(outDir, `${units.name}.csv`);
    if (unitFiles && both)
      await writeFileAtomic(uf, (csv) =>
        writeFileAtomic(unitLines, (jsonLines) => unitFiles({ csv, jsonLines }, lang)),
      );
    else if (unitFiles) await writeFileAtomic(uf, (csv) => unitFiles({ csv }, lang));
    else if (both) await writeCsvAndJsonLinesStream(uf, unitLines, units, lang);
    else await writeCsvStream(uf, units, lang);
    files.push(uf);
    for (const t of set.tables()) {
      const f = join(outDir, `${t.name}.csv`);
      writeCsv(f, t, lang);
      files.push(f);
    }
  }
  if (formats.includes('json')) {
    const f = join(outDir, `${set.name}.json`);
    writeJson(f, { ...set.json, tables: set.tables().map(tableToJson) });
    files.push(f);
    if (!both && unitFiles) await writeFileAtomic(unitLines, (jsonLines) => unitFiles({ jsonLines }, lang));
    else if (!both) await writeJsonLinesStream(unitLines, set.units());
    files.push(unitLines);
  }
  if (formats.includes('xlsx')) {
    const f = join(outDir, `${set.name}.xlsx`);
    await writeXlsx(f, set.xlsx ? set.xlsx() : [...set.tables(), set.units()], lang);
    files.push(f);
    for (const w of set.workbooks ?? []) {
      const path = join(outDir, w.file);
      mkdirSync(dirname(path), { recursive: true });
      await writeXlsx(path, w.tables(), lang);
      files.push(path);
    }
  }
  return files;
}

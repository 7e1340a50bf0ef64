/**
 * Write a DIP year's outputs: per-case results, per-institution monthly and annual statements, the region
 * summary, group surplus/overspend and the catalog — as CSV, JSON and XLSX with Chinese headers. A thin shell
 * over the pure row builders. Returns the files written.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { DipRunResult } from '../dip/run.ts';
import { writeCsv } from './csv.ts';
import { catalogTable, dipCaseTable } from './dip-rows.ts';
import { tableToJson, writeJson, writeJsonLines } from './json.ts';
import { annualTable, groupTable, monthlyTable, regionTable } from './settlement-rows.ts';
import type { Table } from './table.ts';
import { writeXlsx } from './xlsx.ts';

export type ReportFormat = 'csv' | 'json' | 'xlsx';

export interface DipReportOptions {
  formats?: readonly ReportFormat[];
  lang?: 'zh' | 'en';
  /** Leave the per-case table out of the XLSX (it can hold millions of rows); CSV/JSON Lines still have it. */
  casesInXlsx?: boolean;
}

export async function writeDipReports(run: DipRunResult, outDir: string, o: DipReportOptions = {}): Promise<string[]> {
  const formats = o.formats ?? ['csv', 'json', 'xlsx'];
  const lang = o.lang ?? 'zh';
  mkdirSync(outDir, { recursive: true });
  const s = run.settlement;
  const payment = { pointValue: s.pointValue.pointValue, fundPaymentRatio: s.fundPaymentRatio };
  const cases = () => dipCaseTable(run.evaluation.results, run.engine, payment, `${s.poolId}-cases`);
  const small = (): Table[] => [
    regionTable(s),
    annualTable(s),
    monthlyTable(s),
    groupTable(s),
    catalogTable(run.catalog),
  ];
  const files: string[] = [];
  if (formats.includes('csv')) {
    for (const t of [cases(), ...small()]) {
      const f = join(outDir, `${t.name}.csv`);
      writeCsv(f, t, lang);
      files.push(f);
    }
  }
  if (formats.includes('json')) {
    const f = join(outDir, `${s.poolId}.json`);
    writeJson(f, {
      poolId: s.poolId,
      catalog: { id: run.catalog.id, version: run.catalog.version, hash: run.catalog.hash },
      tables: small().map(tableToJson),
      steps: s.steps,
    });
    files.push(f);
    const fl = join(outDir, `${s.poolId}-cases.jsonl`);
    writeJsonLines(fl, cases());
    files.push(fl);
  }
  if (formats.includes('xlsx')) {
    const f = join(outDir, `${s.poolId}.xlsx`);
    await writeXlsx(
      f,
      [...small().slice(0, 4), ...(o.casesInXlsx === false ? [] : [cases()]), catalogTable(run.catalog)],
      lang,
    );
    files.push(f);
  }
  return files;
}

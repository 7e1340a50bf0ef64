/**
 * Write a DIP year's outputs: per-case results, per-institution monthly and annual statements, the region
 * summary, group surplus/overspend and the catalog — as CSV, JSON and XLSX with Chinese headers. A thin shell
 * over the pure row builders. Returns the files written.
 */
import type { Catalog } from '../grouping/dip/catalog.ts';
import type { DipEngine, DipEvaluation } from '../payment/dip/engine.ts';
import type { PoolSettlement } from '../settlement/settle.ts';
import { catalogTable, dipCaseTable } from './dip-rows.ts';
import { poolMonthsTable } from './pool-month-rows.ts';
import { type ReportFormat, writeReportSet } from './report-set.ts';
import { annualTable, groupTable, monthlyTable, regionTable } from './settlement-rows.ts';
import type { Table } from './table.ts';

export type { ReportFormat } from './report-set.ts';

export interface DipReportOptions {
  formats?: readonly ReportFormat[];
  lang?: 'zh' | 'en';
  /** Leave the per-case table out of the XLSX (it can hold millions of rows); CSV/JSON Lines still have it. */
  casesInXlsx?: boolean;
}

/** What the DIP statements need of a settled DIP year (src/run/dip-pool.ts `DipRunResult` has it). */
export interface DipStatementsInput {
  catalog: Catalog;
  engine: DipEngine;
  evaluation: DipEvaluation;
  settlement: PoolSettlement;
}

export async function writeDipReports(
  run: DipStatementsInput,
  outDir: string,
  o: DipReportOptions = {},
): Promise<string[]> {
  const s = run.settlement;
  const payment = { pointValue: s.pointValue.pointValue, fundPaymentRatio: s.fundPaymentRatio };
  const cases = () => dipCaseTable(run.evaluation.results, run.engine, payment, `${s.poolId}-cases`);
  const statements = (): Table[] => [
    regionTable(s),
    annualTable(s),
    monthlyTable(s),
    poolMonthsTable(s),
    groupTable(s),
  ];
  return writeReportSet(
    {
      name: s.poolId,
      units: cases,
      tables: () => [...statements(), catalogTable(run.catalog)],
      json: {
        poolId: s.poolId,
        catalog: { id: run.catalog.id, version: run.catalog.version, hash: run.catalog.hash },
        steps: s.steps,
      },
      xlsx: () => [...statements(), ...(o.casesInXlsx === false ? [] : [cases()]), catalogTable(run.catalog)],
    },
    outDir,
    o,
  );
}

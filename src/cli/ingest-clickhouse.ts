/**
 * `yibao --store clickhouse://… ingest FILE` (and `qc`): ingest with QC into a ClickHouse store. The file is read and
 * checked by the same ingest pipeline as on DuckDB (src/ingest, set-based SQL; every kind, year-end inputs included) in a private staging DuckDB store that
 * holds a copy of what the checks look up in the target — institutions, code lists and code maps, and for fee lines
 * the stored case ids (fee lines, special-review decisions) — so a row is accepted or rejected exactly as it would be on DuckDB. The accepted rows, the
 * rejects, code translations and the ingest's run record are then appended to ClickHouse as Parquet
 * (`appendTables`: row counts and money totals checked in SQL, the run record last).
 *
 * One difference from DuckDB: a row whose key is already stored is not compared and skipped; the whole file is
 * refused before anything is written (STORE_KEYS_PRESENT), since ClickHouse does not enforce keys. The year-end
 * inputs (small tables) are the exception: their stored rows are copied into the staging store, so a row stored alike
 * is already present and another version is refused or, with `--replace`, replaces it (appended, then the old
 * version deleted), exactly as on DuckDB.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { KINDS } from '../ingest/kinds/index.ts';
import { type IngestOptions, type IngestReport, ingestFile } from '../ingest/pipeline.ts';
import { loadQcSettings } from '../ingest/qc/settings.ts';
import { ClickHouseStore } from '../store/clickhouse/clickhouse-store.ts';
import { appendTables, type HandoffTable, pullTables } from '../store/clickhouse/handoff.ts';
import { DuckDbStore } from '../store/duckdb/duckdb-store.ts';

export interface ClickHouseIngest {
  report: IngestReport;
  /** Rows appended to ClickHouse per table (empty for a dry run). */
  appended: HandoffTable[];
  location: string;
}

/**
 * What the checks of an ingest kind read from the store besides the kind's own table: institutions, code lists and
 * code maps (small, copied whole), and the stored case ids when a check asks whether a line's case is stored.
 */
function referenceTables(opts: IngestOptions): string[] {
  const spec = KINDS[opts.kind];
  const needsCases = spec.checks(opts.qc ?? loadQcSettings()).some((c) => c.requires === 'cases');
  // A replaceable kind (year-end inputs, small tables) is compared with its stored rows as on DuckDB: a row stored
  // alike is already present, another version is refused or, with --replace, replaces it.
  return [
    'institutions',
    'codes',
    'code_maps',
    ...(needsCases ? ['cases'] : []),
    ...(spec.replaceable ? [spec.table] : []),
  ];
}

export async function ingestIntoClickHouse(
  location: string,
  opts: IngestOptions,
  o: { workDir: string },
): Promise<ClickHouseIngest> {
  const ch = await ClickHouseStore.open(location, { readOnly: opts.dryRun ?? false });
  mkdirSync(o.workDir, { recursive: true });
  const work = mkdtempSync(join(o.workDir, 'yibao-ch-ingest-'));
  try {
    const stage = await DuckDbStore.open(join(work, 'stage.duckdb'));
    try {
      await pullTables(ch, stage, {
        workDir: work,
        tables: referenceTables(opts),
        keysOnly: { cases: ['setl_id'] },
      });
      const table = KINDS[opts.kind].table;
      let report: IngestReport;
      try {
        report = await ingestFile(stage, opts);
      } catch (e) {
        // The failed run's record (written to the staging store) is kept in the target too, as on DuckDB.
        if (!opts.dryRun) {
          const [failed] = await stage.listRuns({ limit: 1 });
          if (failed)
            await appendTables(stage, ch, { workDir: work, tables: ['runs'], runId: failed.id }).catch(() => {});
        }
        throw e;
      }
      if (opts.dryRun) return { report, appended: [], location: ch.location };
      // The stored rows copied in for the comparison are not appended again: only this run's rows are.
      if (KINDS[opts.kind].replaceable)
        await stage.connection.run(`DELETE FROM ${table} WHERE run_id <> '${report.runId.replace(/'/g, "''")}'`);
      const appended = await appendTables(stage, ch, {
        workDir: work,
        tables: [table, 'code_translations', 'rejects', 'runs'],
        runId: report.runId,
        ...(report.replaced.length > 0 ? { replacing: { table, keys: report.replaced.map((r) => r.key) } } : {}),
      });
      return { report, appended, location: ch.location };
    } finally {
      await stage.close();
    }
  } finally {
    await ch.close();
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * Compare the latest settlement run of a ClickHouse store (a server or chDB) with the latest run of a DuckDB store,
 * table by table and row by row (issue 17: the same run on both back-ends, equal to the fen). Each ClickHouse run
 * table is exported to Parquet by the store's own connection (`exportParquet`) and compared with the DuckDB run's
 * rows by `EXCEPT ALL` both ways, every column cast to text but the run id and the kept traces. Prints the counts;
 * exits 1 when any row differs.
 *
 *   npx tsx bench/compare-runs.ts DUCKDB_FILE 'chdb://FOLDER?database=bench' WORK_FOLDER
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { ChConnection } from '../src/store/clickhouse/client.ts';

const TABLES = [
  'run_units',
  'run_institution_year',
  'run_institution_months',
  'run_pool_months',
  'run_pools',
  'run_groups',
] as const;

async function main(argv: readonly string[]): Promise<number> {
  const [duckFile, location, work] = argv;
  if (!duckFile || !location || !work) {
    process.stderr.write("usage: npx tsx bench/compare-runs.ts DUCKDB_FILE 'chdb://FOLDER?database=DB' WORK_FOLDER\n");
    return 2;
  }
  mkdirSync(work, { recursive: true });
  const quote = (s: string) => `'${s.replaceAll("'", "''")}'`;
  const ch = await ChConnection.open(location, { readOnly: true });
  const chRun = (
    await ch.rows(`SELECT run_id FROM ${ch.table('settlement_runs')} ORDER BY started_at DESC LIMIT 1`)
  )[0]?.[0] as string | undefined;
  if (!chRun) throw new Error(`no settlement run in ${location}`);
  for (const t of TABLES) {
    await ch.exportParquet(
      `SELECT * EXCEPT (run_id) FROM ${ch.table(t)} WHERE run_id = ${quote(chRun)}`,
      join(work, `${t}.parquet`),
    );
  }
  await ch.close();
  const db = await DuckDBInstance.create(duckFile, { access_mode: 'READ_ONLY' });
  const c = await db.connect();
  const rows = async (sql: string) => (await c.runAndReadAll(sql)).getRowObjectsJson() as Record<string, string>[];
  const duckRun = (await rows('SELECT run_id FROM settlement_runs ORDER BY started_at DESC LIMIT 1'))[0]?.run_id;
  if (!duckRun) throw new Error(`no settlement run in ${duckFile}`);
  process.stdout.write(`DuckDB run ${duckRun} · ClickHouse run ${chRun}\n`);
  let differing = 0;
  for (const t of TABLES) {
    const file = quote(join(work, `${t}.parquet`));
    const cols = (
      await rows(
        `SELECT column_name FROM information_schema.columns WHERE table_name = '${t}' AND column_name NOT IN ('run_id', 'trace') ORDER BY ordinal_position`,
      )
    ).map((r) => String(r.column_name));
    const inParquet = new Set((await rows(`DESCRIBE SELECT * FROM read_parquet(${file})`)).map((r) => r.column_name));
    const missing = cols.filter((x) => !inParquet.has(x));
    const sel = cols
      .filter((x) => inParquet.has(x))
      .map((x) => `CAST("${x}" AS VARCHAR) AS "${x}"`)
      .join(', ');
    const a = `SELECT ${sel} FROM ${t} WHERE run_id = ${quote(duckRun)}`;
    const b = `SELECT ${sel} FROM read_parquet(${file})`;
    const [r] = await rows(`SELECT (SELECT count(*) FROM (${a})) AS duckdb, (SELECT count(*) FROM (${b})) AS chdb,
      (SELECT count(*) FROM (${a} EXCEPT ALL ${b})) AS only_duckdb, (SELECT count(*) FROM (${b} EXCEPT ALL ${a})) AS only_chdb`);
    const diff = Number(r!.only_duckdb) + Number(r!.only_chdb) + missing.length;
    differing += diff;
    process.stdout.write(
      `${t}: ${r!.duckdb} rows on DuckDB, ${r!.chdb} on ClickHouse, ${r!.only_duckdb} only on DuckDB, ${r!.only_chdb} only on ClickHouse${missing.length ? `; columns missing on ClickHouse: ${missing.join(', ')}` : ''}\n`,
    );
  }
  c.closeSync();
  db.closeSync();
  return differing === 0 ? 0 : 1;
}

process.exitCode = await main(process.argv.slice(2));

/**
 * Compare the latest settlement run of a chDB store with the latest run of a DuckDB store, table by table and row by
 * row (issue 17: the same run on both back-ends, equal to the fen). Each chDB run table is exported to Parquet by
 * ClickHouse itself and compared with the DuckDB run's rows by `EXCEPT ALL` both ways, every column cast to text
 * but the run id and the kept traces. Prints the counts; exits 1 when any row differs.
 *
 *   npx tsx bench/compare-runs.ts DUCKDB_FILE CHDB_FOLDER DATABASE WORK_FOLDER
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createClient } from '@clickhouse/client';
import { DuckDBInstance } from '@duckdb/node-api';

const TABLES = [
  'run_units',
  'run_institution_year',
  'run_institution_months',
  'run_pool_months',
  'run_pools',
  'run_groups',
] as const;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

async function main(argv: readonly string[]): Promise<number> {
  const [duckFile, chFolder, database, work] = argv;
  if (!duckFile || !chFolder || !database || !work || !NAME.test(database)) {
    process.stderr.write('usage: npx tsx bench/compare-runs.ts DUCKDB_FILE CHDB_FOLDER DATABASE WORK_FOLDER\n');
    return 2;
  }
  mkdirSync(work, { recursive: true });
  const { createChdbConnection } = await import('chdb/connection');
  const ch = createClient({
    // biome-ignore lint/suspicious/noExplicitAny: chDB's connection implements the client's connection interface
    connection: createChdbConnection({ path: chFolder }) as any,
    clickhouse_settings: { join_use_nulls: 1 },
  });
  const chRows = async (query: string) =>
    (await (await ch.query({ query, format: 'JSONEachRow' })).json()) as Record<string, string>[];
  const chRun = (await chRows(`SELECT run_id FROM ${database}.settlement_runs ORDER BY started_at DESC LIMIT 1`))[0]
    ?.run_id;
  if (!chRun) throw new Error(`no settlement run in ${chFolder} (${database})`);
  const quote = (s: string) => `'${s.replaceAll("'", "''")}'`;
  for (const t of TABLES) {
    const file = join(work, `${t}.parquet`);
    await ch.command({
      query: `SELECT * EXCEPT (run_id) FROM ${database}.${t} WHERE run_id = ${quote(chRun)} INTO OUTFILE ${quote(file)} TRUNCATE FORMAT Parquet`,
    });
  }
  await ch.close();
  const db = await DuckDBInstance.create(duckFile, { access_mode: 'READ_ONLY' });
  const c = await db.connect();
  const rows = async (sql: string) => (await c.runAndReadAll(sql)).getRowObjectsJson() as Record<string, string>[];
  const duckRun = (await rows('SELECT run_id FROM settlement_runs ORDER BY started_at DESC LIMIT 1'))[0]?.run_id;
  if (!duckRun) throw new Error(`no settlement run in ${duckFile}`);
  process.stdout.write(`DuckDB run ${duckRun} · chDB run ${chRun}\n`);
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
      `${t}: ${r!.duckdb} rows on DuckDB, ${r!.chdb} on chDB, ${r!.only_duckdb} only on DuckDB, ${r!.only_chdb} only on chDB${missing.length ? `; columns missing on chDB: ${missing.join(', ')}` : ''}\n`,
    );
  }
  c.closeSync();
  db.closeSync();
  return differing === 0 ? 0 : 1;
}

process.exitCode = await main(process.argv.slice(2));

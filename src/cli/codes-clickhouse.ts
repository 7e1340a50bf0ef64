/**
 * `yibao --store clickhouse://… codes import FILE` (and `--map`): the code list is read and checked in a staging
 * DuckDB store by the same import as on DuckDB (`ingest/codes-import.ts`), then replaces the list of its kind in
 * ClickHouse at once: the other kinds' rows and the new list are written to a table of their own, which is then
 * exchanged with the store's (`EXCHANGE TABLES`, atomic), so a reader never sees a half-replaced list and a failure
 * leaves the old list in place. The import's rejects and run record follow (`appendTables`), the record last.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { type CodeImportOptions, type CodeImportReport, importCodes } from '../ingest/codes-import.ts';
import { ClickHouseStore } from '../store/clickhouse/clickhouse-store.ts';
import { appendTables } from '../store/clickhouse/handoff.ts';
import { int } from '../store/clickhouse/values.ts';
import { DuckDbStore } from '../store/duckdb/duckdb-store.ts';
import { lit } from '../store/duckdb/sql.ts';
import { StoreError } from '../store/errors.ts';

export async function importCodesIntoClickHouse(
  location: string,
  opts: CodeImportOptions,
  o: { workDir: string },
): Promise<CodeImportReport> {
  const ch = await ClickHouseStore.open(location);
  mkdirSync(o.workDir, { recursive: true });
  const work = mkdtempSync(join(o.workDir, 'yibao-ch-codes-'));
  try {
    const stage = await DuckDbStore.open(join(work, 'stage.duckdb'));
    try {
      const r = await importCodes(stage, opts);
      const table = opts.map ? 'code_maps' : 'codes';
      const kind = { k: opts.kind };
      const [[held]] = (await ch.rows(`SELECT count() FROM ${ch.conn.table(table)} WHERE kind = {k:String}`, kind)) as [
        [unknown],
      ];
      const stored = int(held, 'codes held');
      // As on DuckDB (codes-import.ts): a file with rejected rows leaves a stored list whole unless forced.
      const unchanged = r.rejected > 0 && stored > 0 && opts.force !== true;
      const replaced = unchanged ? 0 : stored;
      // the run record says how many the ClickHouse store held (the staging store held none)
      const [[counts]] = (await stage.rows('SELECT counts FROM runs WHERE run_id = $r', { r: r.runId })) as [[string]];
      await stage.connection.run('UPDATE runs SET counts = $c WHERE run_id = $r', {
        c: JSON.stringify({
          ...(JSON.parse(counts) as Record<string, number>),
          replaced,
          ...(unchanged ? { accepted: 0, notImported: r.accepted } : {}),
        }),
        r: r.runId,
      });
      if (!unchanged) await replaceKind(stage, ch, table, opts.kind, work, r.runId);
      await appendTables(stage, ch, { workDir: work, tables: ['rejects', 'runs'], runId: r.runId });
      return { ...r, replaced, unchanged, held: unchanged ? stored : r.accepted };
    } finally {
      await stage.close();
    }
  } finally {
    await ch.close();
    rmSync(work, { recursive: true, force: true });
  }
}

/** The store's `table` with the rows of `kind` replaced by the staged ones, swapped in at once. */
async function replaceKind(
  stage: DuckDbStore,
  ch: ClickHouseStore,
  table: string,
  kind: string,
  work: string,
  runId: string,
): Promise<void> {
  const swap = `${table}_swap_${runId.replace(/[^A-Za-z0-9]/g, '')}`;
  const [target, next] = [ch.conn.table(table), ch.conn.table(swap)];
  const file = join(work, `${table}.parquet`);
  const cols = (await stage.rows(
    `SELECT column_name FROM information_schema.columns WHERE table_name = $t AND table_schema = 'main'
     ORDER BY ordinal_position`,
    { t: table },
  )) as [string][];
  const names = cols.map((c) => c[0]);
  await stage.connection.run(`COPY (SELECT * FROM ${table}) TO ${lit(file)} (FORMAT parquet)`);
  const [[staged]] = (await stage.rows(`SELECT count(*) FROM ${table}`)) as [[unknown]];
  try {
    await ch.conn.command(`CREATE TABLE ${next} AS ${target}`);
    await ch.conn.command(`INSERT INTO ${next} SELECT * FROM ${target} WHERE kind <> {k:String}`, { k: kind });
    await ch.conn.insertParquet(swap, file, names);
    const [[others], [now]] = [
      ...(await ch.rows(`SELECT count() FROM ${target} WHERE kind <> {k:String}`, { k: kind })),
      ...(await ch.rows(`SELECT count() FROM ${next}`)),
    ] as [[unknown], [unknown]];
    if (int(now, 'rows') !== int(others, 'rows') + Number(staged)) {
      throw new StoreError(
        'STORE_HANDOFF_MISMATCH',
        ch.location,
        `${table} 替换后的行数与暂存不一致，未替换`,
        `${table}: the replacement does not hold the staged rows; nothing was replaced`,
      );
    }
    await ch.conn.command(`EXCHANGE TABLES ${target} AND ${next}`);
  } finally {
    await ch.conn.command(`DROP TABLE IF EXISTS ${next}`).catch(() => undefined);
  }
}

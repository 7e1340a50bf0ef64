/**
 * Ingest hand-off DuckDB → ClickHouse (交接): files are read and quality-checked where they are today (the ingest
 * pipeline, set-based SQL in DuckDB); the accepted rows then move to ClickHouse as Parquet — one file per table
 * written by DuckDB, inserted by ClickHouse with the columns matched by name — and are checked there in SQL:
 * the row count and the sum of every money column (fen) must equal the DuckDB store's, and every key must be
 * unique (ClickHouse does not enforce keys). A table with rows in the target is refused unless `replace`.
 *
 * Parquet carries dates and decimals exactly; timestamps cross as text (a Parquet timestamp without a zone would be
 * read in the server's zone) and lists without NULLs (a ClickHouse Array cannot hold the list's NULL).
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { DuckDbStore } from '../duckdb/duckdb-store.ts';
import { CORE_TABLES } from '../duckdb/schema.ts';
import { ident, lit } from '../duckdb/sql.ts';
import { StoreError } from '../errors.ts';
import type { ClickHouseStore } from './clickhouse-store.ts';
import { int } from './values.ts';

/** The key of each table (unique by the DuckDB store's ingest), checked after the hand-off. */
const KEYS: Readonly<Record<string, readonly string[]>> = {
  cases: ['setl_id'],
  fee_items: ['setl_id', 'line_no'],
  institutions: ['fixmedins_code'],
  persons: ['psn_no'],
  outpatient_settlements: ['setl_id'],
  codes: ['kind', 'code'],
  code_maps: ['kind', 'source_code'],
  runs: ['run_id'],
  settlement_runs: ['run_id'],
  run_policies: ['run_id', 'policy_id'],
  run_derived: ['run_id', 'kind', 'name'],
  run_pools: ['run_id', 'pool_id'],
  run_pool_months: ['run_id', 'pool_id', 'month'],
  run_institution_months: ['run_id', 'pool_id', 'institution', 'month'],
  run_institution_year: ['run_id', 'pool_id', 'institution'],
  community_budgets: ['region', 'year', 'community_id', 'fund'],
  monitor_runs: ['monitor_run_id'],
  monitor_reviews: ['flag_id'],
  year_end_deductions: ['fixmedins_code', 'period', 'reason'],
  year_end_assessments: ['fixmedins_code', 'year'],
  year_end_special_reviews: ['setl_id'],
};

export interface HandoffTable {
  table: string;
  rows: number;
  /** Sum of each money column in fen, equal on both sides. */
  moneyFen: Record<string, number>;
  seconds: number;
}

export interface HandoffOptions {
  /** Folder in which a temporary folder for the Parquet files is made (and removed afterwards). */
  workDir: string;
  /** Tables to move (default: every core table but schema_version). */
  tables?: readonly string[];
  /** Empty a target table that already has rows instead of refusing. */
  replace?: boolean;
}

/** A DuckDB table's columns and types, in order. */
async function duckColumns(duck: DuckDbStore, table: string): Promise<{ names: string[]; types: string[] }> {
  const cols = await duck.rows(
    `SELECT column_name, data_type FROM information_schema.columns
     WHERE table_name = $t AND table_schema = 'main' ORDER BY ordinal_position`,
    { t: table },
  );
  if (cols.length === 0) throw new Error(`no table ${table} in the DuckDB store`);
  return { names: cols.map((c) => c[0] as string), types: cols.map((c) => c[1] as string) };
}

/** A DuckDB table as a Parquet file ClickHouse reads exactly (timestamps as text, lists without NULLs). */
async function duckParquet(
  duck: DuckDbStore,
  table: string,
  names: readonly string[],
  types: readonly string[],
  file: string,
): Promise<void> {
  const exprs = names.map((n, i) => {
    const c = ident(n);
    if (types[i] === 'VARCHAR[]') return `coalesce(list_transform(${c}, x -> coalesce(x, '')), []::VARCHAR[]) AS ${c}`;
    if (types[i] === 'HUGEINT') return `CAST(${c} AS VARCHAR) AS ${c}`; // exact, parsed into Int128
    if (types[i] === 'TIMESTAMP') return `strftime(${c}, '%Y-%m-%d %H:%M:%S.%g') AS ${c}`;
    return c;
  });
  await duck.connection.run(
    `COPY (SELECT ${exprs.join(', ')} FROM ${ident(table)}) TO ${lit(file)} (FORMAT parquet, COMPRESSION zstd)`,
  );
}

export async function handOff(duck: DuckDbStore, ch: ClickHouseStore, o: HandoffOptions): Promise<HandoffTable[]> {
  ch.assertWritable();
  const tables = o.tables ?? [...CORE_TABLES].filter((t) => t !== 'schema_version');
  mkdirSync(o.workDir, { recursive: true });
  const work = mkdtempSync(join(o.workDir, 'yibao-handoff-'));
  const out: HandoffTable[] = [];
  try {
    for (const table of tables) {
      const t0 = performance.now();
      const { names, types } = await duckColumns(duck, table);
      const have = await ch.rows(`SELECT count() FROM ${ch.conn.table(table)}`);
      if (int(have[0]![0], 'count') > 0) {
        if (!o.replace) {
          throw new StoreError(
            'STORE_NOT_EMPTY',
            ch.location,
            `目标表 ${table} 已有数据；如要替换请加 --replace`,
            `the target table ${table} already has rows; add --replace to replace them`,
          );
        }
        await ch.conn.command(`TRUNCATE TABLE ${ch.conn.table(table)}`);
      }
      const file = join(work, `${table}.parquet`);
      await duckParquet(duck, table, names, types, file);
      await ch.conn.insertParquet(table, file, names);
      rmSync(file, { force: true });
      // QC in SQL on the ClickHouse side: counts, money control totals, unique keys.
      const money = names.filter((_, i) => types[i] === 'DECIMAL(18,2)');
      const duckTotals = await duck.rows(
        `SELECT count(*)${money.map((m) => `, CAST(coalesce(sum(${ident(m)}), 0) * 100 AS BIGINT)`).join('')} FROM ${ident(table)}`,
      );
      const chTotals = await ch.rows(
        `SELECT count()${money.map((m) => `, toInt64(coalesce(sum(${m}), 0) * 100)`).join('')} FROM ${ch.conn.table(table)}`,
      );
      const d = duckTotals[0]!.map((v) => Number(v));
      const c = chTotals[0]!.map((v, i) => int(v, `${table} total ${i}`));
      if (d.some((v, i) => v !== c[i])) {
        throw new StoreError(
          'STORE_HANDOFF_MISMATCH',
          ch.location,
          `交接后 ${table} 的行数或金额合计不一致（DuckDB ${d.join('/')}，ClickHouse ${c.join('/')}）`,
          `after the hand-off ${table} differs in rows or money totals (DuckDB ${d.join('/')}, ClickHouse ${c.join('/')})`,
        );
      }
      const key = KEYS[table];
      if (key) {
        const dup = await ch.rows(`SELECT count() - uniqExact(${key.join(', ')}) FROM ${ch.conn.table(table)}`);
        if (int(dup[0]![0], 'duplicates') !== 0) {
          throw new StoreError(
            'STORE_HANDOFF_DUPLICATES',
            ch.location,
            `交接后 ${table} 有重复键（${key.join(', ')}）`,
            `after the hand-off ${table} has duplicate keys (${key.join(', ')})`,
          );
        }
      }
      out.push({
        table,
        rows: c[0]!,
        moneyFen: Object.fromEntries(money.map((m, i) => [m, c[i + 1]!])),
        seconds: (performance.now() - t0) / 1000,
      });
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return out;
}

/** Row count and each money column's sum in fen, on each side. */
async function duckTotals(duck: DuckDbStore, table: string, money: readonly string[]): Promise<number[]> {
  const r = await duck.rows(
    `SELECT count(*)${money.map((m) => `, CAST(coalesce(sum(${ident(m)}), 0) * 100 AS BIGINT)`).join('')} FROM ${ident(table)}`,
  );
  return r[0]!.map((v) => Number(v));
}
async function chTotals(ch: ClickHouseStore, table: string, money: readonly string[]): Promise<number[]> {
  const r = await ch.rows(
    `SELECT count()${money.map((m) => `, toInt64(coalesce(sum(${m}), 0) * 100)`).join('')} FROM ${ch.conn.table(table)}`,
  );
  return r[0]!.map((v, i) => int(v, `${table} total ${i}`));
}

/** Keys of the staged rows that the target table already holds (at most `limit`, in key order). */
async function keysAlreadyStored(
  duck: DuckDbStore,
  ch: ClickHouseStore,
  table: string,
  key: readonly string[],
  limit: number,
  except: ReadonlySet<string> = new Set(),
): Promise<{ count: number; first: string[] }> {
  const duckKey =
    key.length === 1
      ? `CAST(${ident(key[0]!)} AS VARCHAR)`
      : `concat_ws('|', ${key.map((k) => `CAST(${ident(k)} AS VARCHAR)`).join(', ')})`;
  const chKey =
    key.length === 1 ? `toString(${key[0]})` : `concat(${key.map((k) => `toString(${k})`).join(", '|', ")})`;
  const batch = 10_000;
  let count = 0;
  const first: string[] = [];
  for (let offset = 0; ; offset += batch) {
    const keys = (
      await duck.rows(`SELECT DISTINCT ${duckKey} AS k FROM ${ident(table)} ORDER BY k LIMIT ${batch} OFFSET ${offset}`)
    ).map((r) => String(r[0]));
    if (keys.length === 0) break;
    const hit = await ch.rows(
      `SELECT ${chKey} AS k FROM ${ch.conn.table(table)} WHERE ${chKey} IN {keys:Array(String)} GROUP BY k ORDER BY k`,
      { keys },
    );
    const present = hit.map((h) => String(h[0])).filter((k) => !except.has(k));
    count += present.length;
    for (const k of present) if (first.length < limit) first.push(k);
    if (keys.length < batch) break;
  }
  return { count, first };
}

export interface AppendOptions {
  workDir: string;
  /** The staged tables to append, in order (a run record table last, so no reader sees a half-appended run). */
  tables: readonly string[];
  /** The ingest run whose rows these are: removed from every table again if an append fails midway. */
  runId: string;
  /**
   * Stored rows this run replaces (`ingest --replace` of a year-end kind): their keys (values joined by `|`) may be
   * present in `table`; once the run's rows are appended and checked, the other versions of those keys are deleted.
   */
  replacing?: { table: string; keys: readonly string[] };
}

/**
 * Append a staging DuckDB store's rows to ClickHouse (ingest through ClickHouse: the file is read and checked in a
 * staging store by the same ingest pipeline as on DuckDB, then its accepted rows, rejects and run record arrive
 * here). Nothing is written when a staged key is already stored (ClickHouse does not enforce keys); after each
 * table the rows and money totals added must equal the staged ones. A failure removes the run's rows again.
 */
export async function appendTables(duck: DuckDbStore, ch: ClickHouseStore, o: AppendOptions): Promise<HandoffTable[]> {
  ch.assertWritable();
  for (const table of o.tables) {
    const key = KEYS[table];
    if (!key) continue;
    const replaced = new Set(o.replacing?.table === table ? o.replacing.keys : []);
    const stored = await keysAlreadyStored(duck, ch, table, key, 5, replaced);
    if (stored.count > 0) {
      throw new StoreError(
        'STORE_KEYS_PRESENT',
        ch.location,
        `${table} 中已有 ${stored.count} 个相同主键（${key.join(', ')}），如 ${stored.first.join('、')}；ClickHouse 存储不重复导入已入库的行，未写入任何数据`,
        `${table} already holds ${stored.count} of these keys (${key.join(', ')}), e.g. ${stored.first.join(', ')}; the ClickHouse store does not ingest stored rows again, so nothing was written`,
      );
    }
  }
  mkdirSync(o.workDir, { recursive: true });
  const work = mkdtempSync(join(o.workDir, 'yibao-append-'));
  const out: HandoffTable[] = [];
  const touched: string[] = [];
  try {
    for (const table of o.tables) {
      const t0 = performance.now();
      const { names, types } = await duckColumns(duck, table);
      const money = names.filter((_, i) => types[i] === 'DECIMAL(18,2)');
      const staged = await duckTotals(duck, table, money);
      if (staged[0] === 0) continue;
      const before = await chTotals(ch, table, money);
      const file = join(work, `${table}.parquet`);
      await duckParquet(duck, table, names, types, file);
      touched.push(table);
      await ch.conn.insertParquet(table, file, names);
      rmSync(file, { force: true });
      const after = await chTotals(ch, table, money);
      const added = after.map((v, i) => v - before[i]!);
      if (staged.some((v, i) => v !== added[i])) {
        throw new StoreError(
          'STORE_HANDOFF_MISMATCH',
          ch.location,
          `追加后 ${table} 增加的行数或金额合计与暂存不一致（暂存 ${staged.join('/')}，增加 ${added.join('/')}）`,
          `after the append ${table} gained other rows or money totals than staged (staged ${staged.join('/')}, added ${added.join('/')})`,
        );
      }
      if (o.replacing?.table === table && o.replacing.keys.length > 0) await dropReplaced(ch, table, o);
      out.push({
        table,
        rows: added[0]!,
        moneyFen: Object.fromEntries(money.map((m, i) => [m, added[i + 1]!])),
        seconds: (performance.now() - t0) / 1000,
      });
    }
  } catch (e) {
    for (const table of touched.reverse()) {
      await ch.conn
        .command(`ALTER TABLE ${ch.conn.table(table)} DELETE WHERE run_id = {run:String} SETTINGS mutations_sync = 2`, {
          run: o.runId,
        })
        .catch(() => undefined);
    }
    throw e;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return out;
}

/**
 * After the replacing rows are appended: delete the other versions of their keys (the stored rows they replace) and
 * check that every key of the table is unique again, so a reader never sees both versions once the ingest returns.
 */
async function dropReplaced(ch: ClickHouseStore, table: string, o: AppendOptions): Promise<void> {
  const key = KEYS[table]!;
  const chKey =
    key.length === 1 ? `toString(${key[0]})` : `concat(${key.map((k) => `toString(${k})`).join(", '|', ")})`;
  await ch.conn.command(
    `ALTER TABLE ${ch.conn.table(table)} DELETE WHERE ${chKey} IN {keys:Array(String)} AND run_id != {run:String}
     SETTINGS mutations_sync = 2`,
    { keys: [...(o.replacing?.keys ?? [])], run: o.runId },
  );
  const dup = await ch.rows(`SELECT count() - uniqExact(${key.join(', ')}) FROM ${ch.conn.table(table)}`);
  if (int(dup[0]![0], 'duplicates') !== 0) {
    throw new StoreError(
      'STORE_HANDOFF_DUPLICATES',
      ch.location,
      `替换后 ${table} 仍有重复键（${key.join(', ')}）`,
      `after the replacement ${table} still has duplicate keys (${key.join(', ')})`,
    );
  }
}

/**
 * Copy ClickHouse tables into a (staging) DuckDB store through Parquet, replacing what the DuckDB tables held:
 * the reference data an ingest checks against (institutions, code lists). `keysOnly` copies just those columns into
 * a table of its own (e.g. the case ids a fee-line file is checked against), not the whole rows.
 */
export async function pullTables(
  ch: ClickHouseStore,
  duck: DuckDbStore,
  o: { workDir: string; tables: readonly string[]; keysOnly?: Readonly<Record<string, readonly string[]>> },
): Promise<void> {
  mkdirSync(o.workDir, { recursive: true });
  const work = mkdtempSync(join(o.workDir, 'yibao-pull-'));
  try {
    for (const table of o.tables) {
      const file = join(work, `${table}.parquet`);
      const only = o.keysOnly?.[table];
      if (only) {
        await ch.conn.exportParquet(`SELECT ${only.join(', ')} FROM ${ch.conn.table(table)}`, file);
        await duck.connection.run(`DROP TABLE IF EXISTS ${ident(table)}`);
        await duck.connection.run(`CREATE TABLE ${ident(table)} AS SELECT * FROM read_parquet(${lit(file)})`);
        continue;
      }
      const { names, types } = await duckColumns(duck, table);
      // Timestamps cross as text (a Parquet UTC instant would be read back in DuckDB's zone).
      const exprs = names.map((n, i) => (types[i] === 'TIMESTAMP' ? `toString(${n}) AS ${n}` : n));
      await ch.conn.exportParquet(`SELECT ${exprs.join(', ')} FROM ${ch.conn.table(table)}`, file);
      await duck.connection.run(`DELETE FROM ${ident(table)}`);
      await duck.connection.run(
        `INSERT INTO ${ident(table)} (${names.map(ident).join(', ')}) SELECT ${names.map(ident).join(', ')} FROM read_parquet(${lit(file)})`,
      );
      rmSync(file, { force: true });
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

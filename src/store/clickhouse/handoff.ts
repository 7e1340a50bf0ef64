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

export async function handOff(duck: DuckDbStore, ch: ClickHouseStore, o: HandoffOptions): Promise<HandoffTable[]> {
  ch.assertWritable();
  const tables = o.tables ?? [...CORE_TABLES].filter((t) => t !== 'schema_version');
  mkdirSync(o.workDir, { recursive: true });
  const work = mkdtempSync(join(o.workDir, 'yibao-handoff-'));
  const out: HandoffTable[] = [];
  try {
    for (const table of tables) {
      const t0 = performance.now();
      const cols = await duck.rows(
        `SELECT column_name, data_type FROM information_schema.columns
         WHERE table_name = $t AND table_schema = 'main' ORDER BY ordinal_position`,
        { t: table },
      );
      if (cols.length === 0) throw new Error(`no table ${table} in the DuckDB store`);
      const names = cols.map((c) => c[0] as string);
      const types = cols.map((c) => c[1] as string);
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
      const exprs = names.map((n, i) => {
        const c = ident(n);
        if (types[i] === 'VARCHAR[]')
          return `coalesce(list_transform(${c}, x -> coalesce(x, '')), []::VARCHAR[]) AS ${c}`;
        if (types[i] === 'HUGEINT') return `CAST(${c} AS VARCHAR) AS ${c}`; // exact, parsed into Int128
        if (types[i] === 'TIMESTAMP') return `strftime(${c}, '%Y-%m-%d %H:%M:%S.%g') AS ${c}`;
        return c;
      });
      const file = join(work, `${table}.parquet`);
      await duck.connection.run(
        `COPY (SELECT ${exprs.join(', ')} FROM ${ident(table)}) TO ${lit(file)} (FORMAT parquet, COMPRESSION zstd)`,
      );
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

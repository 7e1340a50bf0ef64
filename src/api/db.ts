/**
 * The API's access to the store — the embedded DuckDB file or ClickHouse (`clickhouse://…`, `chdb://…`): one query
 * layer, so the routes write their SQL once. Requests queue here, one query at a time (a DuckDB connection runs one
 * statement at a time; chDB one query per engine).
 *
 * The routes' SQL is the common part of both dialects (`count(*)`, `coalesce`, `year()`, `any_value`, `LIMIT …
 * OFFSET`, positional GROUP BY); what differs is written through `dialect` (`store/dialect.ts`: dates as text,
 * months). On ClickHouse the query layer then:
 * - qualifies the store's tables (`FROM cases` → `FROM db.cases`): chDB shares one session per process, so a
 *   query never relies on a current database;
 * - names a selected `t.col` "col", as DuckDB does;
 * - binds `$name` parameters as ClickHouse's typed `{name:Type}` (String, Int64, Float64, Bool);
 * - reads decimals as exact text (`output_format_json_quote_decimals`), 64-bit integers as text (the store's
 *   session), arrays as arrays: `num`, `fen`, `text` and `list` below take both back-ends' values.
 */
import type { DuckDBValue } from '@duckdb/node-api';
import { type MonitorBackend, monitorBackend } from '../monitor/adapters/backend.ts';
import { ClickHouseStore } from '../store/clickhouse/clickhouse-store.ts';
import { isClickHouseLocation } from '../store/clickhouse/client.ts';
import { CLICKHOUSE_DIALECT, DUCKDB_DIALECT, type SqlDialect } from '../store/dialect.ts';
import { DuckDbStore } from '../store/duckdb/duckdb-store.ts';
import { CORE_TABLES } from '../store/duckdb/schema.ts';
import type { Store } from '../store/store.ts';

type Param = string | number | boolean | null;
type Params = Record<string, Param>;
/** A value of a row: DuckDB's values, or ClickHouse's JSON ones (text, number, boolean, null, array). */
export type SqlValue = DuckDBValue | readonly unknown[];
export type SqlRow = Record<string, SqlValue>;

/** ClickHouse's type of a bound parameter. */
function chType(v: Param): string {
  if (v === null) return 'Nullable(String)';
  if (typeof v === 'boolean') return 'Bool';
  if (typeof v === 'number') return Number.isInteger(v) ? 'Int64' : 'Float64';
  return 'String';
}

/** The store's tables qualified with the database, `$name` parameters bound as `{name:Type}`. */
export function clickHouseSql(sql: string, params: Params, database: string): string {
  return sql
    .replace(/\b(FROM|JOIN|INTO)(\s+)([A-Za-z_][A-Za-z0-9_]*)\b/gi, (m, kw: string, sp: string, name: string) =>
      CORE_TABLES.has(name) ? `${kw}${sp}${database}.${name}` : m,
    )
    .replace(/\$([A-Za-z_][A-Za-z0-9_]*)/g, (m, name: string) =>
      name in params ? `{${name}:${chType(params[name]!)}}` : m,
    );
}

/**
 * A ClickHouse row with DuckDB's column names: ClickHouse names a selected `f.flag_id` "f.flag_id", DuckDB names it
 * "flag_id" (an alias given with AS is the same on both).
 */
function unqualified(row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) {
    const m = /^[A-Za-z_][A-Za-z0-9_]*\.([A-Za-z_][A-Za-z0-9_]*)$/.exec(k);
    out[m && !(m[1]! in row) ? m[1]! : k] = v;
  }
  return out;
}

export class ApiDb {
  private queue: Promise<unknown> = Promise.resolve();
  readonly dialect: SqlDialect;
  /** The monitoring tables and the whole-year run on this store. */
  readonly monitor: MonitorBackend;

  constructor(readonly store: DuckDbStore | ClickHouseStore) {
    this.dialect = store instanceof ClickHouseStore ? CLICKHOUSE_DIALECT : DUCKDB_DIALECT;
    this.monitor = monitorBackend(store);
  }

  static async open(path: string): Promise<ApiDb> {
    return new ApiDb(isClickHouseLocation(path) ? await ClickHouseStore.open(path) : await DuckDbStore.open(path));
  }

  /** Run `fn` when every earlier call has finished. */
  serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.queue.then(fn, fn);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Rows as objects keyed by column name. */
  query(sql: string, params: Params = {}): Promise<SqlRow[]> {
    const s = this.store;
    return this.serial(async () => {
      if (s instanceof ClickHouseStore) {
        const rows = await s.conn.objects(clickHouseSql(sql, params, s.conn.database), params, {
          output_format_json_quote_decimals: 1,
        });
        return rows.map(unqualified) as SqlRow[];
      }
      const r = await s.connection.runAndReadAll(sql, params);
      return r.getRowObjects() as SqlRow[];
    });
  }

  /** A statement without rows (DDL, DELETE). */
  run(sql: string, params: Params = {}): Promise<void> {
    const s = this.store;
    return this.serial(async () => {
      if (s instanceof ClickHouseStore) await s.conn.command(clickHouseSql(sql, params, s.conn.database), params);
      else await s.connection.run(sql, params);
    });
  }

  /** Append one row to a store table (values by column name; timestamps as "YYYY-MM-DD HH:MM:SS[.fff]" UTC). */
  insert(table: string, row: Record<string, Param>): Promise<void> {
    const s = this.store;
    return this.serial(async () => {
      if (s instanceof ClickHouseStore) {
        s.assertWritable();
        await s.conn.insert(table, [row]);
        return;
      }
      const cols = Object.keys(row);
      await s.connection.run(
        `INSERT INTO ${table} (${cols.join(', ')}) VALUES (${cols.map((c) => `$${c}`).join(', ')})`,
        row,
      );
    });
  }

  /** Whether a table exists in the store. */
  async hasTable(name: string): Promise<boolean> {
    const r =
      this.store instanceof ClickHouseStore
        ? await this.query('SELECT count() AS n FROM system.tables WHERE database = $db AND name = $t', {
            db: this.store.conn.database,
            t: name,
          })
        : await this.query('SELECT count(*) AS n FROM information_schema.tables WHERE table_name = $t', { t: name });
    return Number(r[0]?.n ?? 0) > 0;
  }

  /** Store-interface calls (readers, run records), queued like the SQL. */
  use<T>(fn: (s: Store) => Promise<T>): Promise<T> {
    return this.serial(() => fn(this.store));
  }

  close(): Promise<void> {
    return this.serial(() => this.store.close());
  }
}

/** A stored number (DuckDB BIGINT/DECIMAL, ClickHouse number or 64-bit text) as a plain JSON number. */
export function num(v: unknown): number {
  if (v === null || v === undefined) return 0;
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  return Number(String(v));
}

/** A DECIMAL(18,2) yuan value as integer fen (exact: via its text form). */
export function fen(v: unknown): number {
  if (v === null || v === undefined) return 0;
  const s = String(v);
  const m = /^(-)?(\d+)(?:\.(\d{1,2}))?$/.exec(s);
  if (!m) return Math.round(Number(s) * 100);
  const f = Number(m[2]) * 100 + Number((m[3] ?? '').padEnd(2, '0'));
  return m[1] ? -f : f;
}

/** A condition's value: DuckDB BOOLEAN, ClickHouse Bool or the UInt8 a comparison gives. */
export function bool(v: unknown): boolean {
  return v === true || v === 1 || v === '1';
}

export function text(v: unknown): string | null {
  return v === null || v === undefined ? null : String(v);
}

/** A stored list (DuckDB LIST value, ClickHouse array) as text items ('' for a missing one). */
export function list(v: unknown): string[] {
  if (v === null || v === undefined) return [];
  const items = Array.isArray(v) ? v : (v as { items?: unknown[] }).items;
  return Array.isArray(items) ? items.map((x) => String(x ?? '')) : [];
}

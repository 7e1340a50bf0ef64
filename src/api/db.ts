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
import { StoreError } from '../store/errors.ts';
import type { Store } from '../store/store.ts';
import { ApiError } from './errors.ts';

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

/** How the server shares an embedded store file with the command line (see `ApiDb.releasing`). */
export interface StoreSharing {
  /** Close the store once no request or job has used it for this long (ms). */
  idleMs: number;
  /** How long a request waits for a command that holds the store (ms) before 503 STORE_BUSY. */
  waitMs: number;
}

/** The server's default: let go of the store 1 s after the last request, wait up to 15 s for a command to finish. */
export const DEFAULT_STORE_SHARING: StoreSharing = { idleMs: 1000, waitMs: 15_000 };

export class ApiDb {
  private queue: Promise<unknown> = Promise.resolve();
  readonly dialect: SqlDialect;
  private current: DuckDbStore | ClickHouseStore | undefined;
  private currentMonitor: MonitorBackend | undefined;
  /** Requests and jobs using the store now; the store is let go only when none is. */
  private users = 0;
  private idleTimer: NodeJS.Timeout | undefined;
  private closedForGood = false;

  /**
   * `reopen` (a DuckDB file's path) lets the store go when idle: DuckDB lets one process hold a file that is open
   * for writing and no other process open it even to read, so a server that held it for its lifetime made every
   * command on the same store — `runs`, `explain case` too — fail with 存储文件正被另一个进程使用 (walk2 #14). The
   * server opens it while a request or job needs it, and closes it `sharing.idleMs` after the last one.
   */
  constructor(
    store: DuckDbStore | ClickHouseStore,
    private readonly reopen?: { path: string; sharing: StoreSharing },
  ) {
    this.current = store;
    this.dialect = store instanceof ClickHouseStore ? CLICKHOUSE_DIALECT : DUCKDB_DIALECT;
  }

  static async open(path: string, sharing: StoreSharing | null = DEFAULT_STORE_SHARING): Promise<ApiDb> {
    if (isClickHouseLocation(path)) return new ApiDb(await ClickHouseStore.open(path));
    const store = await DuckDbStore.open(path);
    const shared = sharing && path !== ':memory:' && path !== '';
    const db = new ApiDb(store, shared ? { path, sharing } : undefined);
    db.scheduleRelease();
    return db;
  }

  /** The open store (inside a request, a job or `serial`; `acquire` opens it). */
  get store(): DuckDbStore | ClickHouseStore {
    if (!this.current) throw new Error('ApiDb: the store is not open (use it inside a request, a job or serial)');
    return this.current;
  }

  /** The monitoring tables and the whole-year run on this store. */
  get monitor(): MonitorBackend {
    const s = this.store;
    if (!this.currentMonitor) this.currentMonitor = monitorBackend(s);
    return this.currentMonitor;
  }

  /** Whether the store file is open now (false while the server has let it go). */
  get isOpen(): boolean {
    return this.current !== undefined;
  }

  /**
   * A request or job starts using the store: open it again if it was let go, waiting for a command that holds it
   * (503 STORE_BUSY after `waitMs`). Pair with `release()`.
   */
  async acquire(): Promise<void> {
    this.users++;
    clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
    try {
      await this.serial(async () => undefined);
    } catch (e) {
      this.release();
      throw e;
    }
  }

  /** A request or job is done with the store; the last one starts the idle clock. */
  release(): void {
    this.users = Math.max(0, this.users - 1);
    this.scheduleRelease();
  }

  private scheduleRelease(): void {
    if (!this.reopen || this.users > 0 || this.closedForGood) return;
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      this.idleTimer = undefined;
      void this.runQueued(async () => {
        if (this.users > 0 || !this.current) return;
        const s = this.current;
        this.current = undefined;
        this.currentMonitor = undefined;
        await s.close();
      }).catch(() => undefined);
    }, this.reopen.sharing.idleMs);
    this.idleTimer.unref();
  }

  /** The store open again after an idle close, waiting while another process holds the file. */
  private async ensureOpen(): Promise<void> {
    if (this.current) return;
    if (!this.reopen || this.closedForGood) throw new Error('ApiDb: the store is closed');
    const { path, sharing } = this.reopen;
    try {
      this.current = await DuckDbStore.open(path, { lockWaitMs: sharing.waitMs });
    } catch (e) {
      if (!(e instanceof StoreError && e.code === 'STORE_LOCKED')) throw e;
      throw new ApiError(
        503,
        'STORE_BUSY',
        `存储文件正被另一个 yibao 命令使用（已等待 ${Math.round(sharing.waitMs / 1000)} 秒）；请等该命令结束后重试`,
        `the store file is in use by another yibao command (waited ${Math.round(sharing.waitMs / 1000)} s); retry when it has finished`,
      );
    }
  }

  private runQueued<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.queue.then(fn, fn);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Run `fn` when every earlier call has finished, on the open store. */
  serial<T>(fn: () => Promise<T>): Promise<T> {
    return this.runQueued(async () => {
      await this.ensureOpen();
      return fn();
    });
  }

  /** Rows as objects keyed by column name. */
  query(sql: string, params: Params = {}): Promise<SqlRow[]> {
    return this.serial(async () => {
      const s = this.store;
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
    return this.serial(async () => {
      const s = this.store;
      if (s instanceof ClickHouseStore) await s.conn.command(clickHouseSql(sql, params, s.conn.database), params);
      else await s.connection.run(sql, params);
    });
  }

  /** Append one row to a store table (values by column name; timestamps as "YYYY-MM-DD HH:MM:SS[.fff]" UTC). */
  insert(table: string, row: Record<string, Param>): Promise<void> {
    return this.serial(async () => {
      const s = this.store;
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
      this.dialect === CLICKHOUSE_DIALECT && this.store instanceof ClickHouseStore
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
    this.closedForGood = true;
    clearTimeout(this.idleTimer);
    return this.runQueued(async () => {
      const s = this.current;
      this.current = undefined;
      this.currentMonitor = undefined;
      await s?.close();
    });
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

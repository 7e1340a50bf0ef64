/**
 * The ClickHouse connection of the store: one `@clickhouse/client` (the official TypeScript client, HTTP) for a
 * server, or the same client over chDB (ClickHouse in process, `chdb/connection`) — so the store's SQL and value
 * handling are the same code on both, and the tests and CI exercise it without a server.
 *
 * Locations:
 * - `clickhouse://[user[:password]@]host[:port][/database]` (HTTP, default port 8123; `clickhouses://` for TLS,
 *   default 8443); the user and password may come from YIBAO_CLICKHOUSE_USER / YIBAO_CLICKHOUSE_PASSWORD instead
 *   of the URL, so they need not appear in a command line.
 * - `chdb://PATH[?database=NAME]` — chDB's data folder (`chdb://:memory:` for a throw-away engine). One chDB data
 *   folder per process (chDB's engine is a process singleton); several databases may live in it.
 *
 * Table names are always qualified with the database (`db.table`): chDB shares one session per process.
 */
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { type ClickHouseClient, ClickHouseLogLevel, createClient } from '@clickhouse/client';
import { CLICKHOUSE_SESSION_SETTINGS } from '../dialect.ts';
import { StoreError } from '../errors.ts';
import { checkStoreLocation, inMemoryStoreError, nearest } from '../location.ts';
import { defaultStoreMemoryLimit, storeMemoryLimitBytes } from '../memory.ts';
import { blockRows, decodeNative, type NativeBlock } from './native.ts';
import { encodeRows } from './rowbinary.ts';

/**
 * The client's log, silenced: its WARN / ERROR lines (the request timeout, each failed request with its arguments and
 * stack) went to the terminal above the store's own one-line message, which keeps the cause (walk5 #3).
 */
class SilentLogger {
  trace(): void {}
  debug(): void {}
  info(): void {}
  warn(): void {}
  error(): void {}
}
const QUIET_LOG = { LoggerClass: SilentLogger, level: ClickHouseLogLevel.OFF };

type ClientConnection = NonNullable<NonNullable<Parameters<typeof createClient>[0]>['connection']>;

export type QueryParams = Record<string, unknown>;

export interface ChLocation {
  kind: 'server' | 'chdb';
  /** The location without credentials (for messages and `Store.location`). */
  display: string;
  database: string;
  url?: string;
  username?: string;
  password?: string;
  /** chDB data folder or ":memory:". */
  path?: string;
}

const DB_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/** The URL parameters a location takes (chDB: `?database=`; a server names its database in the path). */
const CHDB_PARAMS = ['database'] as const;

/** Is this store location a ClickHouse one (server or chDB)? */
export function isClickHouseLocation(location: string): boolean {
  return /^(clickhouses?|chdb):\/\//.test(location);
}

export function parseLocation(location: string): ChLocation {
  const bad = (zh: string, en: string) =>
    new StoreError('STORE_BAD_LOCATION', location.replace(/\/\/[^@/]*@/, '//***@'), zh, en);
  const badName = (database: string) =>
    bad(
      `数据库名不合规：${database}（只能用英文字母、数字和下划线，不以数字开头，至多 63 个字符，如 yibao 或 region_2025）`,
      `bad database name: ${database} (letters, digits and underscores only, not starting with a digit, at most 63 characters, e.g. yibao or region_2025)`,
    );
  const notUrl = () =>
    bad(
      '不是有效的 ClickHouse 地址（clickhouse://主机:端口/数据库）',
      'not a ClickHouse URL (clickhouse://host:port/database)',
    );
  checkStoreLocation(location);
  if (location.startsWith('chdb://')) {
    const rest = location.slice('chdb://'.length);
    const [path, query] = rest.split('?', 2) as [string, string | undefined];
    const params = new URLSearchParams(query ?? '');
    for (const key of params.keys()) {
      if (!(CHDB_PARAMS as readonly string[]).includes(key)) {
        const near = nearest(key, CHDB_PARAMS);
        throw bad(
          `未知的地址参数 ${key}=，是否想写 ${near}=？（如 chdb://data/chdb?database=yibao）`,
          `unknown URL parameter ${key}=, did you mean ${near}=? (e.g. chdb://data/chdb?database=yibao)`,
        );
      }
    }
    const database = params.get('database') ?? 'yibao';
    if (!path)
      throw bad('chdb:// 之后需要数据文件夹路径（或 :memory:）', 'chdb:// needs a data folder path (or :memory:)');
    if (!DB_NAME.test(database)) throw badName(database);
    return { kind: 'chdb', display: `chdb://${path}?database=${database}`, database, path };
  }
  let u: URL;
  try {
    u = new URL(location);
  } catch {
    throw notUrl();
  }
  const secure = u.protocol === 'clickhouses:';
  if (u.protocol !== 'clickhouse:' && !secure)
    throw bad('地址应以 clickhouse:// 开头', 'the URL must start with clickhouse://');
  // No host (`clickhouse:///db`): the client would fail on it as an internal error.
  if (!u.hostname) throw notUrl();
  const database = decodeURIComponent(u.pathname.replace(/^\//, '')) || 'yibao';
  const param = [...u.searchParams.keys()][0];
  if (param !== undefined)
    throw bad(
      `未知的地址参数 ${param}=；数据库名写在路径中（如 clickhouse://${u.host}/${database}）`,
      `unknown URL parameter ${param}=; the database goes in the path (e.g. clickhouse://${u.host}/${database})`,
    );
  if (!DB_NAME.test(database)) throw badName(database);
  const port = u.port || (secure ? '8443' : '8123');
  const url = `${secure ? 'https' : 'http'}://${u.hostname}:${port}`;
  const username = decodeURIComponent(u.username) || process.env.YIBAO_CLICKHOUSE_USER || 'default';
  const password = decodeURIComponent(u.password) || process.env.YIBAO_CLICKHOUSE_PASSWORD || '';
  return {
    kind: 'server',
    display: `${secure ? 'clickhouses' : 'clickhouse'}://${u.hostname}:${port}/${database}`,
    database,
    url,
    username,
    password,
  };
}

/** A row of a JSONCompactEachRow result: values by position (64-bit integers as text). */
export type ChRow = unknown[];

export class ChConnection {
  private readonly columnCache = new Map<string, { name: string; type: string }[]>();
  /** chDB: the private folder of RowBinary hand-off files (made on first use, removed at close). */
  private tmp: string | undefined;

  private constructor(
    readonly location: ChLocation,
    private readonly client: ClickHouseClient,
  ) {}

  static async open(
    location: string,
    options: { readOnly?: boolean; memoryLimit?: string } = {},
  ): Promise<ChConnection> {
    const loc = parseLocation(location);
    // The store's memory limit (../memory.ts), per query: never ClickHouse's default share of the whole machine. Big
    // GROUP BYs and sorts spill to disk from half of it instead of failing at the limit.
    const limit = storeMemoryLimitBytes(options.memoryLimit ?? defaultStoreMemoryLimit());
    const settings = {
      ...CLICKHOUSE_SESSION_SETTINGS,
      max_memory_usage: String(limit),
      max_bytes_before_external_group_by: String(Math.floor(limit / 2)),
      max_bytes_before_external_sort: String(Math.floor(limit / 2)),
    };
    // A chDB engine in memory starts empty: read, it holds nothing (it said "schema version 0 is older than 12").
    if (options.readOnly && loc.kind === 'chdb' && loc.path === ':memory:') throw inMemoryStoreError(location);
    // A read never creates a chDB folder (chDB makes one on connecting): no store there, as for a DuckDB file.
    if (options.readOnly && loc.kind === 'chdb' && loc.path !== ':memory:' && !existsSync(loc.path!))
      throw new StoreError('STORE_NOT_FOUND', loc.display, '存储文件夹不存在', 'store folder does not exist');
    let client: ClickHouseClient;
    if (loc.kind === 'chdb') {
      // Loaded only when asked for: chDB's native library is large and optional for server users.
      const { createChdbConnection } = await import('chdb/connection');
      client = createClient({
        // chDB implements @clickhouse/client-common's Connection; @clickhouse/client bundles its own copy of the
        // same types, so the two declarations differ only in origin.
        connection: createChdbConnection({ path: loc.path! }) as unknown as ClientConnection,
        clickhouse_settings: settings,
        log: QUIET_LOG,
      });
    } else {
      client = createClient({
        url: loc.url!,
        username: loc.username!,
        password: loc.password!,
        clickhouse_settings: settings,
        request_timeout: 3_600_000,
        log: QUIET_LOG,
      });
    }
    const conn = new ChConnection(loc, client);
    try {
      // A read-only open creates nothing (a server user may have read rights only). The client is asked directly:
      // the cause (connect ECONNREFUSED …) goes into one sentence, not a query error of both languages inside it.
      if (options.readOnly) await client.command({ query: 'SELECT 1' });
      else await client.command({ query: `CREATE DATABASE IF NOT EXISTS ${loc.database}` });
    } catch (e) {
      await client.close();
      throw new StoreError(
        'STORE_OPEN',
        loc.display,
        `无法连接 ClickHouse（请检查地址、用户和密码）：${firstLine(e)}`,
        `cannot reach ClickHouse (check the URL, user and password): ${firstLine(e)}`,
      );
    }
    return conn;
  }

  get database(): string {
    return this.location.database;
  }

  /** `db.name`, the qualified name of a table. */
  table(name: string): string {
    return `${this.location.database}.${name}`;
  }

  async rows(sql: string, params: QueryParams = {}): Promise<ChRow[]> {
    try {
      const rs = await this.client.query({ query: sql, query_params: params, format: 'JSONCompactEachRow' });
      return (await rs.json()) as ChRow[];
    } catch (e) {
      throw this.error(e, sql);
    }
  }

  /**
   * Rows as objects keyed by column name (JSONEachRow). `settings` apply to this query only (a server takes them
   * per request; chDB sets them per query, and every query sets the store's defaults first).
   */
  async objects(
    sql: string,
    params: QueryParams = {},
    settings: Record<string, number | string> = {},
  ): Promise<Record<string, unknown>[]> {
    try {
      const rs = await this.client.query({
        query: sql,
        query_params: params,
        format: 'JSONEachRow',
        clickhouse_settings: settings,
      });
      return (await rs.json()) as Record<string, unknown>[];
    } catch (e) {
      throw this.error(e, sql);
    }
  }

  async command(sql: string, params: QueryParams = {}): Promise<void> {
    try {
      await this.client.command({ query: sql, query_params: params });
    } catch (e) {
      throw this.error(e, sql);
    }
  }

  /**
   * Insert rows (objects by column name) as JSONEachRow: decimals and 64-bit integers as text, exact. For the few
   * rows of records and work tables; bulk rows go through `insertBinary` / `insertRowBinary`.
   */
  async insert(table: string, rows: readonly Record<string, unknown>[]): Promise<void> {
    if (rows.length === 0) return;
    try {
      await this.client.insert({
        table: this.table(table),
        values: rows as Record<string, unknown>[],
        format: 'JSONEachRow',
      });
    } catch (e) {
      throw this.error(e, `INSERT INTO ${table}`);
    }
  }

  /**
   * Insert rows (objects by column name) as RowBinary (`rowbinary.ts`): the table's columns that the first row names,
   * typed from `system.columns`; decimals from exact text, 64-bit integers from safe numbers, bigint or integer text.
   */
  async insertBinary(table: string, rows: readonly Record<string, unknown>[]): Promise<void> {
    if (rows.length === 0) return;
    const first = rows[0]!;
    const columns = (await this.columnTypes(table)).filter((c) => c.name in first);
    await this.insertRowBinary(table, columns, encodeRows(table, columns, rows));
  }

  /**
   * Insert a Parquet file into a table, columns matched by name: chDB reads the file itself; a server receives
   * the file's bytes over HTTP (the file need not be on the server).
   */
  async insertParquet(table: string, file: string, columns: readonly string[]): Promise<void> {
    const cols = columns.join(', ');
    try {
      if (this.location.kind === 'chdb') {
        await this.client.command({
          query: `INSERT INTO ${this.table(table)} (${cols}) SELECT ${cols} FROM file({file:String}, Parquet)`,
          query_params: { file },
        });
      } else {
        await this.client.insert({
          table: this.table(table),
          columns: [...columns] as [string, ...string[]],
          values: createReadStream(file),
          format: 'Parquet',
        });
      }
    } catch (e) {
      throw this.error(e, `INSERT INTO ${table} FROM ${file}`);
    }
  }

  /**
   * Write the result of a SELECT to a local Parquet file (strings as UTF-8 strings): chDB writes the file itself; a
   * server streams the Parquet bytes over HTTP into the file (so the file is where this process runs).
   */
  async exportParquet(select: string, file: string): Promise<void> {
    rmSync(file, { force: true });
    try {
      if (this.location.kind === 'chdb') {
        await this.client.command({
          query: `INSERT INTO FUNCTION file({file:String}, Parquet) ${select} SETTINGS output_format_parquet_string_as_string = 1`,
          query_params: { file },
        });
      } else {
        const rs = await this.client.exec({
          query: `${select} FORMAT Parquet SETTINGS output_format_parquet_string_as_string = 1`,
        });
        await pipeline(rs.stream, createWriteStream(file));
      }
    } catch (e) {
      throw this.error(e, `${select} → ${file}`);
    }
  }

  /**
   * The result of a SELECT in ClickHouse's Native format, decoded into typed columns block by block (`native.ts`):
   * no JSON text, 64-bit integers and decimals exact. A server streams the bytes; chDB hands over the whole result.
   */
  async native(sql: string, params: QueryParams = {}): Promise<NativeBlock[]> {
    try {
      const rs = await this.client.exec({ query: `${sql}\nFORMAT Native`, query_params: params });
      const chunks: Buffer[] = [];
      for await (const c of rs.stream as AsyncIterable<Buffer>) chunks.push(c);
      return decodeNative(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks));
    } catch (e) {
      throw this.error(e, sql);
    }
  }

  /**
   * Rows of a SELECT by position, read through the Native format: as `rows` gives them except that 64-bit integers
   * are safe numbers (or bigint beyond 2^53) instead of quoted text, and decimals exact text (see `valueAt`).
   */
  async nativeRows(sql: string, params: QueryParams = {}): Promise<ChRow[]> {
    const out: ChRow[] = [];
    for (const b of await this.native(sql, params)) for (const r of blockRows(b)) out.push(r);
    return out;
  }

  /** The columns of a table (name, type in `system.columns` spelling), in table order; cached per table name. */
  async columnTypes(table: string): Promise<{ name: string; type: string }[]> {
    const cached = this.columnCache.get(table);
    if (cached) return cached;
    const rows = await this.rows(
      `SELECT name, type FROM system.columns WHERE database = {db:String} AND table = {t:String} ORDER BY position`,
      { db: this.location.database, t: table },
    );
    const cols = rows.map((r) => ({ name: r[0] as string, type: r[1] as string }));
    if (cols.length === 0) throw this.error(new Error(`no table ${table}`), `columns of ${table}`);
    this.columnCache.set(table, cols);
    return cols;
  }

  /**
   * Insert RowBinary bytes (rows of `columns`, in that order; `rowbinary.ts`) into a table. A server receives the
   * bytes as the body of `INSERT … FORMAT RowBinary`; chDB (whose client adapter turns an insert body into text)
   * reads them from a private temporary file with the columns' structure.
   */
  async insertRowBinary(
    table: string,
    columns: readonly { name: string; type: string }[],
    bytes: Buffer,
  ): Promise<void> {
    if (bytes.length === 0) return;
    const names = columns.map((c) => `\`${c.name}\``).join(', ');
    try {
      if (this.location.kind === 'chdb') {
        this.tmp ??= mkdtempSync(join(tmpdir(), 'yibao-ch-'));
        const file = join(this.tmp, `${randomBytes(6).toString('hex')}.rowbinary`);
        writeFileSync(file, bytes);
        try {
          const structure = columns
            .map((c) => `\`${c.name}\` ${c.type}`)
            .join(', ')
            .replace(/[\\']/g, '\\$&');
          await this.client.command({
            query: `INSERT INTO ${this.table(table)} (${names}) SELECT ${names} FROM file({file:String}, RowBinary, '${structure}')`,
            query_params: { file },
          });
        } finally {
          rmSync(file, { force: true });
        }
      } else {
        const rs = await this.client.exec({
          query: `INSERT INTO ${this.table(table)} (${names}) FORMAT RowBinary`,
          values: Readable.from([bytes]),
        });
        rs.stream.resume();
      }
    } catch (e) {
      throw this.error(e, `INSERT INTO ${table} FORMAT RowBinary`);
    }
  }

  /** Stream the rows of a query (a server streams them; chDB hands the client the whole result first). */
  async *stream(sql: string, params: QueryParams = {}): AsyncGenerator<ChRow> {
    let rs: Awaited<ReturnType<ClickHouseClient['query']>>;
    try {
      rs = await this.client.query({ query: sql, query_params: params, format: 'JSONCompactEachRow' });
    } catch (e) {
      throw this.error(e, sql);
    }
    for await (const rows of rs.stream()) {
      for (const row of rows as { json<T>(): T }[]) yield row.json<ChRow>();
    }
  }

  async close(): Promise<void> {
    if (this.tmp) rmSync(this.tmp, { recursive: true, force: true });
    await this.client.close();
  }

  private error(e: unknown, sql: string): StoreError {
    const what = sql.replace(/\s+/g, ' ').slice(0, 120);
    return new StoreError(
      'STORE_QUERY',
      this.location.display,
      `ClickHouse 执行失败（${what}）：${firstLine(e)}`,
      `ClickHouse failed (${what}): ${firstLine(e)}`,
    );
  }
}

function firstLine(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  return msg.split('\n')[0] ?? msg;
}

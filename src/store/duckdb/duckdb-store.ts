/**
 * The embedded store on DuckDB (嵌入式存储). One file per region (default data/yibao.duckdb); one writing
 * process at a time (DuckDB's file lock across processes, `lock.ts` inside one); readers may share a file
 * opened read-only. Writes go through one connection, so `transaction` covers everything the caller writes;
 * streaming readers use their own connection and see committed data.
 */
import { closeSync, existsSync, mkdirSync, openSync, readSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import {
  type DuckDBAppender,
  type DuckDBConnection,
  DuckDBInstance,
  type DuckDBValue,
  type DuckDBVector,
  listValue,
} from '@duckdb/node-api';
import type { FeeItem, InpatientCase } from '../../model/case.ts';
import {
  type CaseColumnDictionaries,
  type CaseColumnOptions,
  type CaseColumns,
  caseColumnDictionaries,
  caseColumns,
  sliceColumns,
} from '../../model/case-columns.ts';
import type { HistoryKeyQuery, HistoryKeys, HistoryTails, HistoryTrimPlan } from '../../model/history-keys.ts';
import type {
  Institution,
  InstitutionLevel,
  InstitutionType,
  InsuredPerson,
  SpecialDiseaseEnrolment,
} from '../../model/institution.ts';
import { assertFen, type Fen } from '../../model/money.ts';
import type { OutpatientSettlement } from '../../model/outpatient.ts';
import { isIsoDate } from '../../policy/dates.ts';
import { StoreError } from '../errors.ts';
import { stringInterner } from '../intern.ts';
import { inMemoryStoreError } from '../location.ts';
import { defaultStoreMemoryLimit } from '../memory.ts';
import { enrolmentRow, historyGroupRow } from '../person-rows.ts';
import type {
  RunResultsReader,
  SettlementRunFilter,
  SettlementRunRecord,
  SettlementRunWriter,
} from '../settlement-runs.ts';
import type {
  CaseFilter,
  CodeEntry,
  CodeListKind,
  CommunityBudgetRecord,
  FenByInsurance,
  OutpatientFilter,
  OutpatientHistoryFilter,
  OutpatientHistoryGroup,
  PersonFilter,
  ProcedureType,
  ResultRow,
  ResultTableSpec,
  ResultWriter,
  RunRecord,
  RunStatus,
  SegmentVisitSums,
  Store,
  StoredReject,
  StoredYearEndInputs,
  UnmatchedVisit,
  VisitPeriod,
  VisitSegment,
} from '../store.ts';
import { checkedHistoryYears, checkedPeriod, storedReject } from '../store.ts';
import { yearEndInputsOf } from '../year-end-rows.ts';
import {
  CASE_ATTRIBUTE_COLUMNS,
  CASE_DIAGNOSIS_COLUMNS,
  CASE_SELECT,
  caseAttributesOf,
  diagnosesOf,
  FEE_ITEM_SELECT,
  INSUTYPE_TO_MODEL,
  type PackedRow,
  rowToCase,
  rowToFeeItem,
} from './case-rows.ts';
import { duckDbHistoryKeys, principalPrefixSql } from './history-keys.ts';
import { claim, lockKey, release } from './lock.ts';
import { OUTPATIENT_SELECT, rowToOutpatient } from './outpatient-rows.ts';
import {
  AppenderResultWriter,
  checkSpec,
  createTableSql,
  describeTable,
  readExpr,
  readValue,
  SQL_TYPE,
} from './result-tables.ts';
import { MIGRATIONS, SCHEMA_VERSION, SCHEMA_VERSION_DDL } from './schema.ts';
import { insertRunRecord, listSettlementRuns, runResultsReader, settlementRunWriter } from './settlement-runs.ts';
import { ident, lit, SAFE_NAME, toSafeNumber } from './sql.ts';

export interface OpenStoreOptions {
  /** Open for reading only (several processes may read one file; none may write meanwhile). */
  readOnly?: boolean;
  /** DuckDB worker threads (default: all cores). */
  threads?: number;
  /**
   * The store's memory limit, e.g. "2GB" (DuckDB `memory_limit`, ClickHouse `max_memory_usage`). Default: the
   * environment's YIBAO_STORE_MEMORY, else a quarter of the RAM between 1 and 4 GB — never the engine's own
   * default (80 % of RAM for DuckDB), which would leave nothing to the engines (../memory.ts).
   */
  memoryLimit?: string;
  /**
   * How long to wait (ms) while another process holds the file before STORE_LOCKED; default 5 s — a running
   * `yibao serve` holds it only while it answers a request (api/db.ts), so a command started meanwhile waits for it.
   */
  lockWaitMs?: number;
}

/** How long a command waits for another process that holds the store file (OpenStoreOptions.lockWaitMs). */
export const DEFAULT_LOCK_WAIT_MS = 5000;

/** The process named in DuckDB's lock error ("Conflicting lock is held in /usr/bin/node (PID 21804)"). */
function lockHolder(message: string): string | undefined {
  return /\(PID (\d+)\)/.exec(message)?.[1];
}

/**
 * The DuckDB instance of the file, waiting up to `waitMs` while another process holds it (a command that writes,
 * or `yibao serve` answering a request) before giving up with DuckDB's lock error.
 */
async function createWaiting(path: string, config: Record<string, string>, waitMs: number): Promise<DuckDBInstance> {
  const until = Date.now() + waitMs;
  for (;;) {
    try {
      return await DuckDBInstance.create(path, config);
    } catch (e) {
      if (!/lock/i.test((e as Error).message) || Date.now() >= until) throw e;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

/** The store's default memory limit (see OpenStoreOptions.memoryLimit and ../memory.ts). */
export function defaultMemoryLimit(): string {
  return defaultStoreMemoryLimit();
}

type Params = Record<string, DuckDBValue>;

const DEFAULT_BATCH = 10_000;

function isoStamp(iso: string): string {
  // "2025-01-02T03:04:05.678Z" → "2025-01-02 03:04:05.678" (UTC, stored without zone)
  return iso.replace('T', ' ').replace(/Z$/, '');
}

/**
 * WHERE clause and parameters for a case filter over the `cases` table (aliased `c` when `alias`); `timeColumn`
 * is the date-time the period applies to (discharge for cases, settlement for outpatient visits).
 */
export function caseWhere(
  filter: CaseFilter & { psnNo?: string },
  location: string,
  alias = '',
  timeColumn = 'dscg_time',
): { sql: string; params: Params } {
  const p = alias ? `${alias}.` : '';
  const parts: string[] = [];
  const params: Params = {};
  const badDate = (field: string, v: string) =>
    new StoreError(
      'STORE_BAD_FILTER',
      location,
      `${field} 应为日期 YYYY-MM-DD，而不是 "${v}"`,
      `${field} must be YYYY-MM-DD, got "${v}"`,
    );
  if (filter.year !== undefined) {
    if (!Number.isInteger(filter.year) || filter.year < 1900 || filter.year > 9998) {
      throw new StoreError('STORE_BAD_FILTER', location, `年份不合规: ${filter.year}`, `bad year: ${filter.year}`);
    }
    parts.push(`${p}${timeColumn} >= CAST($y0 AS TIMESTAMP) AND ${p}${timeColumn} < CAST($y1 AS TIMESTAMP)`);
    params.y0 = `${filter.year}-01-01`;
    params.y1 = `${filter.year + 1}-01-01`;
  }
  if (filter.from !== undefined) {
    if (!isIsoDate(filter.from)) throw badDate('from', filter.from);
    parts.push(`${p}${timeColumn} >= CAST($from AS TIMESTAMP)`);
    params.from = filter.from;
  }
  if (filter.to !== undefined) {
    if (!isIsoDate(filter.to)) throw badDate('to', filter.to);
    parts.push(`${p}${timeColumn} < CAST($to AS TIMESTAMP) + INTERVAL 1 DAY`);
    params.to = filter.to;
  }
  if (filter.institution !== undefined) {
    parts.push(`${p}fixmedins_code = $inst`);
    params.inst = filter.institution;
  }
  if (filter.psnNo !== undefined) {
    parts.push(`${p}psn_no = $psn`);
    params.psn = filter.psnNo;
  }
  return { sql: parts.length ? `WHERE ${parts.join(' AND ')}` : '', params };
}

const firstLine = (msg: string) => msg.split('\n')[0] ?? msg;

/** Bytes 8–11 of every DuckDB database file (after the 8-byte checksum of the main header). */
const DUCKDB_MAGIC = 'DUCK';

/**
 * An existing `--db` path must be a DuckDB database: anything else (a CSV given by mistake, a folder, an empty
 * file) is refused, so the store is never silently replaced by an in-memory database that discards the data.
 * A path that does not exist yet creates a new store.
 */
export function assertDuckDbFile(path: string): void {
  const refuse = (zh: string, en: string) =>
    new StoreError(
      'STORE_NOT_A_DATABASE',
      path,
      `${zh}；请用 --db 指定一个 yibao 存储文件（或一个尚不存在的新文件名）`,
      `${en}; give --db a yibao store file (or a new file name that does not exist yet)`,
    );
  let st: ReturnType<typeof statSync>;
  try {
    st = statSync(path);
  } catch (e) {
    throw new StoreError(
      'STORE_OPEN',
      path,
      `无法读取存储文件：${(e as Error).message}`,
      `cannot read the store file: ${(e as Error).message}`,
    );
  }
  if (st.isDirectory()) throw refuse('这是一个文件夹，不是存储文件', 'this is a folder, not a store file');
  const head = Buffer.alloc(12);
  let n = 0;
  const fd = openSync(path, 'r');
  try {
    n = readSync(fd, head, 0, 12, 0);
  } finally {
    closeSync(fd);
  }
  if (n < 12 || head.subarray(8, 12).toString('latin1') !== DUCKDB_MAGIC) {
    throw refuse('该文件已存在但不是 DuckDB 数据库', 'the file exists but is not a DuckDB database');
  }
}

/** A batch size that keeps a whole (small) result in one batch. */
const ALL_AT_ONCE = 2 ** 30;

export class DuckDbStore implements Store {
  private inTransaction = false;
  private closed = false;

  private constructor(
    readonly location: string,
    readonly readOnly: boolean,
    /** For adapters of the same back-end (ingest): the DuckDB instance and the writing connection. */
    readonly instance: DuckDBInstance,
    readonly connection: DuckDBConnection,
    private readonly lock: string | undefined,
  ) {}

  static async open(path: string, options: OpenStoreOptions = {}): Promise<DuckDbStore> {
    const readOnly = options.readOnly ?? false;
    if (/^(clickhouses?|chdb):\/\//.test(path)) {
      throw new StoreError(
        'STORE_NEEDS_DUCKDB',
        path,
        '此命令需要嵌入式 DuckDB 存储；请用 --db 指定 DuckDB 文件（ClickHouse 可用于 ingest、qc、codes import、settle、dip、community、explain、runs、monitor、hospital reconcile、serve，store push 的目标）',
        'this command needs the embedded DuckDB store; give --db a DuckDB file (ClickHouse serves ingest, qc, codes import, settle, dip, community, explain, runs, monitor, hospital reconcile, serve, and is the target of store push)',
      );
    }
    const memory = path === ':memory:' || path === '';
    // A store in memory starts empty: read, it holds nothing (DuckDB said "Cannot launch in-memory database in
    // read-only mode!").
    if (memory && readOnly) throw inMemoryStoreError(path);
    if (!memory) {
      if (readOnly && !existsSync(path)) {
        throw new StoreError('STORE_NOT_FOUND', path, '存储文件不存在', 'store file does not exist');
      }
      if (existsSync(path)) assertDuckDbFile(path);
      else if (!readOnly) mkdirSync(dirname(path), { recursive: true });
    }
    const key = memory ? undefined : lockKey(path);
    if (key && !claim(key, readOnly)) {
      throw new StoreError(
        'STORE_LOCKED',
        path,
        '存储文件已在本进程中打开写入；同一时间只能有一个写入者',
        'the store file is already open for writing in this process; only one writer at a time',
      );
    }
    const config: Record<string, string> = { access_mode: readOnly ? 'READ_ONLY' : 'READ_WRITE' };
    if (options.threads) config.threads = String(options.threads);
    config.memory_limit = options.memoryLimit ?? defaultMemoryLimit();
    let instance: DuckDBInstance;
    try {
      instance = await createWaiting(memory ? ':memory:' : path, config, options.lockWaitMs ?? DEFAULT_LOCK_WAIT_MS);
    } catch (e) {
      if (key) release(key);
      const msg = (e as Error).message;
      if (/lock/i.test(msg)) {
        // DuckDB lets one process hold a file that is open for writing and no other open it, not even to read.
        const pid = lockHolder(msg);
        throw new StoreError(
          'STORE_LOCKED',
          path,
          `存储文件正被另一个进程${pid ? `（PID ${pid}）` : ''}使用：一个进程写入时，其他命令不能打开它，读取也不能；请等该进程结束后重试（运行中的 yibao serve 只在处理请求时占用存储），或用 --db 指定另一个存储`,
          `the store file is in use by another process${pid ? ` (PID ${pid})` : ''}: while one process writes to it, no other command can open it, not even to read; retry when that process has finished (a running yibao serve holds the store only while it answers a request), or use --db for another store`,
        );
      }
      if (/not a valid DuckDB database|not a valid/i.test(msg)) {
        throw new StoreError(
          'STORE_NOT_A_DATABASE',
          path,
          '该文件已存在但不是 DuckDB 数据库；请用 --db 指定一个 yibao 存储文件（或一个尚不存在的新文件名）',
          'the file exists but is not a DuckDB database; give --db a yibao store file (or a new file name that does not exist yet)',
        );
      }
      throw new StoreError(
        'STORE_OPEN',
        path,
        `无法打开存储（请检查路径与权限）：${firstLine(msg)}`,
        `cannot open the store (check the path and permissions): ${firstLine(msg)}`,
      );
    }
    const connection = await instance.connect();
    const store = new DuckDbStore(memory ? ':memory:' : path, readOnly, instance, connection, key);
    try {
      if (readOnly) await store.checkVersion();
      else await store.migrate();
    } catch (e) {
      await store.close();
      throw e;
    }
    return store;
  }

  private async migrate(): Promise<void> {
    await this.connection.run(SCHEMA_VERSION_DDL);
    const current = await this.schemaVersion();
    if (current > SCHEMA_VERSION) throw this.tooNew(current);
    for (const m of MIGRATIONS) {
      if (m.version <= current) continue;
      await this.transaction(async () => {
        await this.connection.run(m.sql);
        await this.connection.run('INSERT INTO schema_version VALUES ($v, $d, CAST(now() AS TIMESTAMP))', {
          v: m.version,
          d: m.description,
        });
      });
    }
  }

  private async checkVersion(): Promise<void> {
    const t = await this.connection.runAndReadAll(
      "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_version' AND table_schema = 'main'",
    );
    const v = Number(t.getRows()[0]![0]) > 0 ? await this.schemaVersion() : 0;
    if (v > SCHEMA_VERSION) throw this.tooNew(v);
    if (v < SCHEMA_VERSION) {
      throw new StoreError(
        'STORE_OLD_SCHEMA',
        this.location,
        `存储结构版本 ${v} 早于本程序的 ${SCHEMA_VERSION}；请先以写方式打开一次（例如运行 ingest）以升级`,
        `store schema version ${v} is older than ${SCHEMA_VERSION}; open it once for writing (e.g. ingest) to migrate`,
      );
    }
  }

  private tooNew(v: number): StoreError {
    return new StoreError(
      'STORE_TOO_NEW',
      this.location,
      `存储结构版本 ${v} 新于本程序支持的 ${SCHEMA_VERSION}，请升级 yibao`,
      `store schema version ${v} is newer than this yibao supports (${SCHEMA_VERSION}); upgrade yibao`,
    );
  }

  async schemaVersion(): Promise<number> {
    const r = await this.connection.runAndReadAll('SELECT coalesce(max(version), 0) FROM schema_version');
    return Number(r.getRows()[0]![0]);
  }

  get isInTransaction(): boolean {
    return this.inTransaction;
  }

  async transaction<T>(fn: (store: Store) => Promise<T>): Promise<T> {
    this.assertOpen();
    if (this.inTransaction) return fn(this);
    await this.connection.run('BEGIN TRANSACTION');
    this.inTransaction = true;
    try {
      const result = await fn(this);
      await this.connection.run('COMMIT');
      return result;
    } catch (e) {
      try {
        await this.connection.run('ROLLBACK');
      } catch {
        // The transaction may already be aborted by DuckDB; the original error is what matters.
      }
      throw e;
    } finally {
      this.inTransaction = false;
    }
  }

  // ---- small query helpers (also used by adapters of this back-end) ----

  async rows(sql: string, params?: Params): Promise<DuckDBValue[][]> {
    this.assertOpen();
    const r = await this.connection.runAndReadAll(sql, params);
    return r.getRows();
  }

  async scalar(sql: string, params?: Params): Promise<DuckDBValue> {
    const rows = await this.rows(sql, params);
    return rows[0]?.[0] ?? null;
  }

  /**
   * Stream a one-column query of packed JSON rows (see case-rows.ts) on a connection of its own, each row
   * parsed and converted by `convert`, re-batched to `batchSize`.
   */
  private packedStream<T>(sql: string, params: Params, batchSize: number, convert: (row: PackedRow) => T) {
    return this.stream(sql, params, batchSize, (cols, i) => convert(JSON.parse(cols[0]!.getItem(i) as string)));
  }

  /** Stream a query on a connection of its own, in chunks converted by `convert`, re-batched to `batchSize`. */
  private async *stream<T>(
    sql: string,
    params: Params,
    batchSize: number,
    convert: (vectors: DuckDBVector[], i: number) => T,
  ): AsyncGenerator<T[]> {
    this.assertOpen();
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`batchSize must be ≥ 1, got ${batchSize}`);
    const conn = await this.instance.connect();
    try {
      const result = await conn.stream(sql, params);
      let batch: T[] = [];
      for (;;) {
        const chunk = await result.fetchChunk();
        if (!chunk || chunk.rowCount === 0) break;
        const cols = Array.from({ length: chunk.columnCount }, (_, k) => chunk.getColumnVector(k));
        for (let i = 0; i < chunk.rowCount; i++) {
          batch.push(convert(cols, i));
          if (batch.length >= batchSize) {
            yield batch;
            batch = [];
          }
        }
      }
      if (batch.length > 0) yield batch;
    } finally {
      conn.closeSync();
    }
  }

  // ---- readers ----

  iterateCases(filter: CaseFilter = {}, batchSize = DEFAULT_BATCH): AsyncIterable<InpatientCase[]> {
    const w = caseWhere(filter, this.location);
    return this.packedStream(
      `SELECT ${CASE_SELECT} FROM cases ${w.sql} ORDER BY setl_id`,
      w.params,
      batchSize,
      rowToCase,
    );
  }

  /**
   * The cases as typed columns (case-columns.ts): the coded lists and the low-cardinality text are interned in
   * DuckDB, so a text crosses into JS once per distinct value, never once per case. Each dictionary is a temporary
   * table of the distinct values of the filter's cases with their id (numbered in sort order), and the rows read
   * their ids by a join on the values themselves (NULL equal to NULL): exact, with no hash that could collide, and
   * the row loop copies integers instead of looking keys up.
   */
  async *iterateCaseColumns(filter: CaseFilter = {}, options: CaseColumnOptions = {}): AsyncGenerator<CaseColumns> {
    this.assertOpen();
    const batchSize = options.batchSize ?? 100_000;
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`batchSize must be ≥ 1, got ${batchSize}`);
    const w = caseWhere(filter, this.location);
    const wc = caseWhere(filter, this.location, 'c');
    const idsFor = options.idsFor ?? [];
    const params: Params = { ...wc.params };
    idsFor.forEach((p, k) => {
      params[`idp${k}`] = p;
    });
    const dict: CaseColumnDictionaries = caseColumnDictionaries();
    const settlement = options.settlement === true;
    const conn = await this.instance.connect();
    try {
      const strs = (v: DuckDBValue): string[] =>
        v === null ? [] : (v as { items: readonly (string | null)[] }).items.map((x) => x ?? '');
      // One dictionary: the temporary table `name` (id, v0, v1, …) of the distinct values of `columns`, read into
      // `into` in id order; the join that gives each row its id.
      const dictionary = async <T>(
        name: string,
        columns: readonly string[],
        make: (row: DuckDBValue[]) => T,
        into: T[],
      ) => {
        const values = columns.map((c, k) => `${c} AS v${k}`).join(', ');
        const vs = columns.map((_, k) => `v${k}`).join(', ');
        await conn.run(
          `CREATE OR REPLACE TEMP TABLE ${name} AS
           SELECT CAST(row_number() OVER (ORDER BY ${vs}) - 1 + ${into.length} AS INTEGER) AS id, ${vs}
           FROM (SELECT DISTINCT ${values} FROM cases ${w.sql})`,
          w.params,
        );
        for (const r of (await conn.runAndReadAll(`SELECT ${vs} FROM ${name} ORDER BY id`)).getRows())
          into.push(make(r));
        const on = columns.map((c, k) => `c.${c} IS NOT DISTINCT FROM ${name}.v${k}`).join(' AND ');
        return { id: `${name}.id`, join: `LEFT JOIN ${name} ON ${on}` };
      };
      const attrs = await dictionary('case_attributes', CASE_ATTRIBUTE_COLUMNS, caseAttributesOf, dict.attributes);
      const dx = await dictionary(
        'case_diagnoses',
        CASE_DIAGNOSIS_COLUMNS,
        (r) => diagnosesOf(strs(r[0]!), strs(r[1]!)),
        dict.diagnoses,
      );
      const px = await dictionary('case_procedures', ['oprn_oprt_codes'], (r) => strs(r[0]!), dict.procedures);
      const dept = settlement
        ? await dictionary('case_departments', ['dscg_caty'], (r) => (r[0] as string | null) ?? '', dict.departments)
        : undefined;
      const withId = idsFor.length
        ? `CASE WHEN ${idsFor.map((_, k) => `starts_with(c.diag_codes[1], $idp${k})`).join(' OR ')} THEN c.setl_id END`
        : 'NULL::VARCHAR';
      const result = await conn.stream(
        `SELECT CAST(year(c.dscg_time) AS INTEGER), c.act_ipt_days, coalesce(c.icu_days, 0), c.age,
           coalesce(c.nwb_age, -1), coalesce(c.nwb_bir_wt, -1), CAST(c.medfee_sumamt * 100 AS BIGINT),
           CAST(c.hifp_pay * 100 AS BIGINT), ${attrs.id}, ${dx.id}, ${px.id}, ${withId}
           ${dept ? `, substr(c.setl_id, 1, 12), substr(c.setl_id, 13), CAST(month(c.dscg_time) AS INTEGER), ${dept.id}` : ''}
         FROM cases c ${attrs.join} ${dx.join} ${px.join} ${dept ? dept.join : ''}
         ${wc.sql} ORDER BY c.setl_id`,
        params,
      );
      let cols = caseColumns(batchSize, dict, settlement);
      let n = 0;
      const id = (v: DuckDBVector, i: number) => {
        const k = v.getItem(i);
        if (k === null) throw new Error('case columns: a case outside its dictionary (the cases changed)');
        return k as number;
      };
      for (;;) {
        const chunk = await result.fetchChunk();
        const rows = chunk ? chunk.rowCount : 0;
        if (!chunk || rows === 0) break;
        // One local per column (each read site sees one vector class) and the row count read once: the per-value
        // reads were the loop's cost (measured, issue 9 history pass).
        const year = chunk.getColumnVector(0);
        const los = chunk.getColumnVector(1);
        const icu = chunk.getColumnVector(2);
        const age = chunk.getColumnVector(3);
        const ageDays = chunk.getColumnVector(4);
        const birthWeight = chunk.getColumnVector(5);
        const cost = chunk.getColumnVector(6);
        const fund = chunk.getColumnVector(7);
        const attr = chunk.getColumnVector(8);
        const dxId = chunk.getColumnVector(9);
        const pxId = chunk.getColumnVector(10);
        const ids = chunk.getColumnVector(11);
        // The settlement id in two parts of at most 12 characters: DuckDB keeps a text of up to 12 bytes inside the
        // vector, which the client reads without a native call per value, while a longer one (a 15-character id) is
        // read through one — measured on the 1M year: 2.1 → 1.4 s for its ids. A longer or non-ASCII id still reads
        // right (its parts are read the long way).
        const setlHead = dept ? chunk.getColumnVector(12) : undefined;
        const setlTail = dept ? chunk.getColumnVector(13) : undefined;
        const month = dept ? chunk.getColumnVector(14) : undefined;
        const deptId = dept ? chunk.getColumnVector(15) : undefined;
        for (let i = 0; i < rows; i++) {
          cols.year[n] = year.getItem(i) as number;
          cols.losDays[n] = los.getItem(i) as number;
          cols.icuDays[n] = icu.getItem(i) as number;
          cols.ageYears[n] = age.getItem(i) as number;
          cols.ageDays[n] = ageDays.getItem(i) as number;
          cols.birthWeightG[n] = birthWeight.getItem(i) as number;
          cols.totalCost[n] = toSafeNumber(cost.getItem(i), 'medfee_sumamt');
          cols.fundPay[n] = toSafeNumber(fund.getItem(i), 'hifp_pay');
          cols.attributes[n] = id(attr, i);
          cols.diagnoses[n] = id(dxId, i);
          cols.procedures[n] = id(pxId, i);
          cols.setlId[n] = ids.getItem(i) as string | null;
          if (dept) {
            const s = cols.settlement!;
            s.setlIds[n] = (setlHead!.getItem(i) as string) + (setlTail!.getItem(i) as string);
            s.month[n] = month!.getItem(i) as number;
            s.department[n] = id(deptId!, i);
          }
          if (++n === batchSize) {
            yield cols;
            cols = caseColumns(batchSize, dict, settlement);
            n = 0;
          }
        }
      }
      if (n > 0) yield sliceColumns(cols, n);
    } finally {
      conn.closeSync();
    }
  }

  async readCases(setlIds: readonly string[]): Promise<InpatientCase[]> {
    if (setlIds.length === 0) return [];
    const rows = await this.rows(
      `SELECT ${CASE_SELECT} FROM cases WHERE setl_id IN (SELECT unnest($ids)) ORDER BY setl_id`,
      { ids: listValue([...setlIds]) },
    );
    return rows.map((r) => rowToCase(JSON.parse(r[0] as string)));
  }

  async historyKeys(
    q: HistoryKeyQuery,
    plan: (keys: HistoryKeys) => HistoryTrimPlan | null,
  ): Promise<{ keys: HistoryKeys; tails: HistoryTails }> {
    this.assertOpen();
    // A connection of its own: the work tables stay out of a writer's transaction.
    const conn = await this.instance.connect();
    try {
      return await duckDbHistoryKeys(conn, this.location, q, plan);
    } finally {
      conn.closeSync();
    }
  }

  async caseIdsByPrincipal(filter: CaseFilter, prefixes: readonly string[]): Promise<string[]> {
    if (prefixes.length === 0) return [];
    const w = caseWhere(filter, this.location, 'c');
    const where = w.sql ? `${w.sql} AND ${principalPrefixSql(prefixes)}` : `WHERE ${principalPrefixSql(prefixes)}`;
    const rows = await this.rows(`SELECT c.setl_id FROM cases c ${where} ORDER BY c.setl_id`, w.params);
    return rows.map((r) => r[0] as string);
  }

  async countCases(filter: CaseFilter = {}): Promise<number> {
    const w = caseWhere(filter, this.location);
    return toSafeNumber(await this.scalar(`SELECT count(*) FROM cases ${w.sql}`, w.params), 'count');
  }

  async sumCaseCost(filter: CaseFilter = {}): Promise<Fen> {
    const w = caseWhere(filter, this.location);
    const v = await this.scalar(
      `SELECT CAST(coalesce(sum(medfee_sumamt), 0) * 100 AS BIGINT) FROM cases ${w.sql}`,
      w.params,
    );
    return toSafeNumber(v, 'sum of medfee_sumamt');
  }

  iterateFeeItems(filter: CaseFilter = {}, batchSize = DEFAULT_BATCH): AsyncIterable<FeeItem[]> {
    const w = caseWhere(filter, this.location, 'c');
    const sql =
      Object.keys(w.params).length === 0
        ? `SELECT ${FEE_ITEM_SELECT} FROM fee_items ORDER BY setl_id, line_no`
        : `SELECT ${FEE_ITEM_SELECT} FROM fee_items WHERE setl_id IN (SELECT c.setl_id FROM cases c ${w.sql})
           ORDER BY setl_id, line_no`;
    return this.packedStream(sql, w.params, batchSize, rowToFeeItem);
  }

  async readFeeItems(setlIds: readonly string[]): Promise<FeeItem[]> {
    if (setlIds.length === 0) return [];
    this.assertOpen();
    const r = await this.connection.runAndReadAll(
      `SELECT ${FEE_ITEM_SELECT} FROM fee_items WHERE setl_id IN (SELECT unnest($ids)) ORDER BY setl_id, line_no`,
      { ids: listValue([...setlIds]) },
    );
    return r.getRows().map((row) => rowToFeeItem(JSON.parse(row[0] as string)));
  }

  iterateOutpatient(filter: OutpatientFilter = {}, batchSize = DEFAULT_BATCH): AsyncIterable<OutpatientSettlement[]> {
    const w = caseWhere(filter, this.location, '', 'setl_time');
    return this.packedStream(
      `SELECT ${OUTPATIENT_SELECT} FROM outpatient_settlements ${w.sql} ORDER BY setl_id`,
      w.params,
      batchSize,
      rowToOutpatient,
    );
  }

  async readInstitutions(): Promise<Institution[]> {
    const rows = await this.rows(
      'SELECT fixmedins_code, fixmedins_name, hosp_lv, inst_type, admdvs, mc_id, mc_lead FROM institutions ORDER BY fixmedins_code',
    );
    return rows.map((r) => {
      const inst: Institution = {
        code: r[0] as string,
        name: r[1] as string,
        level: r[2] as InstitutionLevel,
        type: r[3] as InstitutionType,
        county: r[4] as string,
      };
      if (r[5] !== null) inst.communityId = r[5] as string;
      if (r[6] !== null) inst.isLead = r[6] as boolean;
      return inst;
    });
  }

  iteratePersons(batchSize = DEFAULT_BATCH, filter: PersonFilter = {}): AsyncIterable<InsuredPerson[]> {
    const w = this.personWhere(filter);
    return this.stream(
      `SELECT psn_no, gend, strftime(brdy, '%Y-%m-%d'), insutype, admdvs FROM persons ${w.sql} ORDER BY psn_no`,
      w.params,
      batchSize,
      (v, i): InsuredPerson => ({
        psnNo: v[0]!.getItem(i) as string,
        sex: v[1]!.getItem(i) as InsuredPerson['sex'],
        birthDate: v[2]!.getItem(i) as string,
        insuranceType: INSUTYPE_TO_MODEL[v[3]!.getItem(i) as string] ?? 'resident',
        county: v[4]!.getItem(i) as string,
      }),
    );
  }

  async countPersons(filter: PersonFilter = {}): Promise<number> {
    const w = this.personWhere(filter);
    return toSafeNumber(await this.scalar(`SELECT count(*) FROM persons ${w.sql}`, w.params), 'count');
  }

  /** WHERE of a person filter: semi-joins on enrolments in force / visits settled in the periods (union). */
  private personWhere(filter: PersonFilter): { sql: string; params: Params } {
    const parts: string[] = [];
    const params: Params = {};
    const dates = (what: string, p: { from: string; to: string }) => {
      for (const v of [p.from, p.to]) {
        if (!isIsoDate(v)) {
          throw new StoreError(
            'STORE_BAD_FILTER',
            this.location,
            `${what} 应为日期 YYYY-MM-DD`,
            `${what} must be YYYY-MM-DD`,
          );
        }
      }
    };
    if (filter.enrolled) {
      dates('enrolled', filter.enrolled);
      parts.push(`SELECT psn_no FROM enrolments WHERE enddate >= CAST($ef AS DATE) AND begndate <= CAST($et AS DATE)`);
      params.ef = filter.enrolled.from;
      params.et = filter.enrolled.to;
    }
    if (filter.visited) {
      dates('visited', filter.visited);
      parts.push(
        `SELECT psn_no FROM outpatient_settlements
         WHERE setl_time >= CAST($vf AS TIMESTAMP) AND setl_time < CAST($vt AS TIMESTAMP) + INTERVAL 1 DAY`,
      );
      params.vf = filter.visited.from;
      params.vt = filter.visited.to;
    }
    // One semi-join on the union of the persons' numbers (an OR of two IN lists made DuckDB mark every person against
    // each list: 3–4× slower over a province's four years of visits, measured).
    const either = parts.length ? `psn_no IN (${parts.join(' UNION ')})` : '';
    if (filter.psnNo === undefined) return { sql: either ? `WHERE ${either}` : '', params };
    params.psn = filter.psnNo;
    return { sql: `WHERE psn_no = $psn${either ? ` AND ${either}` : ''}`, params };
  }

  async sumCaseFundPay(filter: CaseFilter = {}): Promise<FenByInsurance> {
    const w = caseWhere(filter, this.location);
    return this.byInsurance(
      `SELECT insutype, sum(CAST(hifp_pay * 100 AS BIGINT)) FROM cases ${w.sql} GROUP BY insutype`,
      w.params,
      'sum of hifp_pay',
    );
  }

  async countOutpatient(filter: OutpatientFilter = {}): Promise<number> {
    const w = caseWhere(filter, this.location, '', 'setl_time');
    return toSafeNumber(await this.scalar(`SELECT count(*) FROM outpatient_settlements ${w.sql}`, w.params), 'count');
  }

  async sumOutpatientFundPay(filter: OutpatientFilter = {}): Promise<FenByInsurance> {
    const w = caseWhere(filter, this.location, '', 'setl_time');
    return this.byInsurance(
      `SELECT insutype, sum(CAST(hifp_pay * 100 AS BIGINT) + coalesce(CAST(outp_adj_fee * 100 AS BIGINT), 0))
       FROM outpatient_settlements ${w.sql} GROUP BY insutype`,
      w.params,
      'sum of hifp_pay + outp_adj_fee',
    );
  }

  /** Sums by the store's insutype code, folded into the model's insurance types (as the row readers map them). */
  private async byInsurance(sql: string, params: Params, what: string): Promise<FenByInsurance> {
    const out: FenByInsurance = { employee: 0, resident: 0 };
    for (const [code, sum] of await this.rows(sql, params)) {
      const t = INSUTYPE_TO_MODEL[code as string] ?? 'resident';
      out[t] = toSafeNumber(out[t] + toSafeNumber(sum ?? 0, what), what);
    }
    return out;
  }

  async matchOutpatientToSegments(
    filter: OutpatientFilter,
    o: { segments: readonly VisitSegment[]; excludeDiseases: readonly string[]; periods: readonly VisitPeriod[] },
  ): Promise<SegmentVisitSums> {
    const w = caseWhere(filter, this.location, 'o', 'setl_time');
    const where = w.sql ? w.sql.slice('WHERE '.length) : 'true';
    const params: Params = { ...w.params };
    const excluded = o.excludeDiseases.length
      ? `coalesce(v.opsp_dise_code IN (${o.excludeDiseases.map(lit).join(', ')}), false)`
      : 'false';
    const app = async (table: string, ddl: string, fill: (a: DuckDBAppender) => void) => {
      await this.connection.run(`CREATE OR REPLACE TEMP TABLE ${table} (${ddl})`);
      const a = await this.connection.createAppender(table, 'main', 'temp');
      try {
        fill(a);
      } finally {
        a.closeSync();
      }
    };
    // A segment is its position in `o.segments` in SQL (an integer to join, group and sort by: a province's segments,
    // issue 9); its id is read back from the array.
    await app(
      'yibao_visit_segments',
      'ord INTEGER, psn_no VARCHAR, dise VARCHAR, inst VARCHAR, f VARCHAR, t VARCHAR',
      (a) =>
        o.segments.forEach((g, i) => {
          a.appendInteger(i);
          a.appendVarchar(g.psnNo);
          a.appendVarchar(g.diseaseCode);
          a.appendVarchar(g.institution);
          a.appendVarchar(g.from);
          a.appendVarchar(g.to);
          a.endRow();
        }),
    );
    await app('yibao_visit_periods', 'id INTEGER, psn_no VARCHAR, f VARCHAR, t VARCHAR', (a) => {
      for (const p of o.periods) {
        a.appendInteger(p.id);
        for (const v of [p.psnNo, p.from, p.to]) a.appendVarchar(v);
        a.endRow();
      }
    });
    try {
      // The segments with their days as dates, each marked `shared` when another segment of the same person,
      // disease and institution overlaps it: a visit on a day of an unshared segment at its own institution fits that
      // segment alone (a second fitting one would overlap it).
      await this.connection.run(
        // (An uncorrelated join for the overlapping ones: DuckDB 1.5.5 answers a correlated EXISTS with `<>` beside
        // range conditions false. The segments' texts are not grouped: the overlapping ones' positions are.)
        `CREATE OR REPLACE TEMP TABLE yibao_visit_segs AS
         SELECT s.ord, s.psn_no, s.dise, s.inst, CAST(s.f AS DATE) AS f, CAST(s.t AS DATE) AS t,
                x.ord IS NOT NULL AS shared
         FROM yibao_visit_segments s LEFT JOIN (
           SELECT DISTINCT a.ord FROM yibao_visit_segments a JOIN yibao_visit_segments b
             ON b.psn_no = a.psn_no AND b.dise = a.dise AND b.inst = a.inst AND b.ord <> a.ord
             AND b.f <= a.t AND a.f <= b.t) x ON x.ord = s.ord`,
      );
      const visits = `SELECT o.setl_id, o.psn_no, o.opsp_dise_code, o.fixmedins_code, CAST(o.setl_time AS DATE) AS day,
          o.medfee_sumamt, o.hifp_pay, o.outp_adj_fee FROM outpatient_settlements o WHERE ${where}`;
      const sumCols = `count(*), sum(CAST(v.medfee_sumamt * 100 AS BIGINT)), sum(CAST(v.hifp_pay * 100 AS BIGINT)),
          sum(coalesce(CAST(v.outp_adj_fee * 100 AS BIGINT), 0))`;
      // One pass per kind over the year's visits (issue 9), not materialized (a province's year of visits): another
      // class's visits counted (k 0); visits on an unshared segment at their institution summed per segment (k 1, the
      // bulk, joined on person, disease and institution, never grouped per visit); the rest (few) classed one by one
      // against every segment of the person and disease — one segment at the institution (k 1), else unmatched (k 2,
      // one group per visit, with its candidates).
      // Read chunk by chunk, column by column (a province's segments: millions of sums, no row arrays in between).
      const num = (x: DuckDBValue | undefined, what: string) => toSafeNumber(x ?? 0, what);
      const bySegment: SegmentVisitSums['bySegment'] = [];
      const unmatched: UnmatchedVisit[] = [];
      let visitCount = 0;
      let excludedCount = 0;
      const result = await this.connection.stream(
        `WITH v AS NOT MATERIALIZED (SELECT * FROM (${visits}) v WHERE NOT ${excluded}),
         here AS (SELECT s.ord AS g, ${sumCols} FROM v JOIN yibao_visit_segs s
             ON s.psn_no = v.psn_no AND s.dise = v.opsp_dise_code AND s.inst = v.fixmedins_code
             AND s.f <= v.day AND v.day <= s.t AND NOT s.shared
           GROUP BY s.ord),
         r AS (SELECT * FROM v ANTI JOIN (SELECT * FROM yibao_visit_segs WHERE NOT shared) s
             ON s.psn_no = v.psn_no AND s.dise = v.opsp_dise_code AND s.inst = v.fixmedins_code
             AND s.f <= v.day AND v.day <= s.t),
         c AS (SELECT r.setl_id AS cid, count(*) AS n, count(*) FILTER (WHERE s.inst = r.fixmedins_code) AS here,
             min(s.ord) FILTER (WHERE s.inst = r.fixmedins_code) AS seg, arg_min(s.inst, s.ord) AS first_inst,
             min(s.ord) AS first_seg
           FROM r JOIN yibao_visit_segs s ON s.psn_no = r.psn_no AND s.dise = r.opsp_dise_code
             AND s.f <= r.day AND r.day <= s.t
           GROUP BY r.setl_id),
         j AS (SELECT CASE WHEN c.here = 1 THEN 1 ELSE 2 END AS k, c.seg, c.n, c.here, c.first_inst, c.first_seg, v.*
           FROM r v LEFT JOIN c ON c.cid = v.setl_id)
         SELECT 0 AS k, NULL AS g, NULL AS u, count(*), NULL, NULL, NULL, 0, 0, NULL, NULL, NULL, NULL, NULL, NULL
           FROM (${visits}) v WHERE ${excluded}
         UNION ALL
         SELECT 1, g, NULL, * EXCLUDE (g), 1, 1, NULL, NULL, NULL, NULL, NULL, NULL FROM here
         UNION ALL
         SELECT k, CASE WHEN k = 1 THEN seg END, CASE WHEN k = 2 THEN setl_id END, ${sumCols},
           any_value(coalesce(n, 0)), any_value(coalesce(here, 0)), any_value(first_inst),
           any_value(CASE WHEN k = 2 THEN psn_no END), any_value(CASE WHEN k = 2 THEN fixmedins_code END),
           any_value(CASE WHEN k = 2 THEN opsp_dise_code END), any_value(CASE WHEN k = 2 THEN strftime(day, '%Y-%m-%d') END), any_value(first_seg)
         FROM j v GROUP BY ALL
         ORDER BY k, g, u`,
        params,
      );
      for (;;) {
        const chunk = await result.fetchChunk();
        if (!chunk || chunk.rowCount === 0) break;
        const c = Array.from({ length: chunk.columnCount }, (_, k) => chunk.getColumnVector(k));
        for (let i = 0; i < chunk.rowCount; i++) {
          const k = Number(c[0]!.getItem(i));
          const n = num(c[3]!.getItem(i), 'visits');
          visitCount += n;
          if (k === 0) excludedCount += n;
          else if (k === 1) {
            const segment = num(c[1]!.getItem(i), 'segment');
            bySegment.push({
              id: o.segments[segment]!.id,
              segment,
              visits: n,
              totalCost: num(c[4]!.getItem(i), 'Σ medfee_sumamt'),
              fundPay: num(c[5]!.getItem(i), 'Σ hifp_pay'),
              outpatientAdjustment: num(c[6]!.getItem(i), 'Σ outp_adj_fee'),
            });
          }
          // A group of one visit: its sums are its own amounts.
          else
            unmatched.push({
              setlId: c[2]!.getItem(i) as string,
              psnNo: c[10]!.getItem(i) as string,
              institutionCode: c[11]!.getItem(i) as string,
              diseaseCode: c[12]!.getItem(i) as string,
              day: c[13]!.getItem(i) as string,
              totalCost: num(c[4]!.getItem(i), 'medfee_sumamt'),
              fundPay: num(c[5]!.getItem(i), 'hifp_pay'),
              outpatientAdjustment: num(c[6]!.getItem(i), 'outp_adj_fee'),
              candidates: num(c[7]!.getItem(i), 'candidates'),
              atInstitution: num(c[8]!.getItem(i), 'candidates at the institution'),
              firstInstitution: (c[9]!.getItem(i) as string | null) ?? null,
              firstSegment: c[14]!.getItem(i) == null ? null : num(c[14]!.getItem(i), 'first segment'),
            });
        }
      }
      const served = await this.rows(
        `WITH v AS (${visits}) SELECT DISTINCT p.id FROM yibao_visit_periods p JOIN v ON v.psn_no = p.psn_no
         WHERE CAST(p.f AS DATE) <= v.day AND v.day <= CAST(p.t AS DATE) ORDER BY p.id`,
        w.params,
      );
      return {
        visits: visitCount,
        excludedVisits: excludedCount,
        bySegment,
        unmatched,
        periodsWithVisit: served.map((r) => num(r[0], 'period id')),
      };
    } finally {
      await this.connection.run('DROP TABLE IF EXISTS temp.yibao_visit_segments');
      await this.connection.run('DROP TABLE IF EXISTS temp.yibao_visit_segs');
      await this.connection.run('DROP TABLE IF EXISTS temp.yibao_visit_periods');
    }
  }

  async outpatientHistoryGroups(filter: OutpatientHistoryFilter): Promise<OutpatientHistoryGroup[]> {
    const years = checkedHistoryYears(filter, this.location);
    if (years.length === 0 || filter.diseaseCodes.length === 0) return [];
    const fund = `CASE v.insutype ${Object.entries(INSUTYPE_TO_MODEL)
      .map(([code, t]) => `WHEN ${lit(code)} THEN ${lit(t)}`)
      .join(' ')} ELSE 'resident' END`;
    // Age ≥ threshold on 1 January (31 December) of year Y ⇔ born on or before 1 January (31 December) of Y − threshold.
    const [m, d] = filter.ageOn === 'year-end' ? [12, 31] : [1, 1];
    const rows = await this.rows(
      `WITH yrs AS (SELECT unnest($years) AS yr),
       g AS (
         SELECT v.psn_no, ${fund} AS fund, v.opsp_dise_code AS dise, CAST(year(v.setl_time) AS INTEGER) AS yr,
                count(*) AS n, sum(CAST(v.hifp_pay * 100 AS BIGINT)) AS fund_pay,
                sum(coalesce(CAST(v.outp_adj_fee * 100 AS BIGINT), 0)) AS adj
         FROM outpatient_settlements v
         WHERE v.setl_time >= CAST($y0 AS TIMESTAMP) AND v.setl_time < CAST($y1 AS TIMESTAMP)
           AND v.opsp_dise_code IN (SELECT unnest($dise)) AND CAST(year(v.setl_time) AS INTEGER) IN (SELECT yr FROM yrs)
         GROUP BY ALL),
       c1 AS (
         SELECT DISTINCT e.psn_no, y.yr FROM enrolments e, yrs y
         WHERE e.dise_class = 1 AND e.begndate <= make_date(y.yr, 12, 31) AND e.enddate >= make_date(y.yr, 1, 1))
       SELECT g.fund, g.dise, g.yr, p.psn_no IS NOT NULL AS known,
              coalesce(p.brdy <= make_date(g.yr - $age, ${m}, ${d}), false) AS over_age,
              (p.psn_no IS NOT NULL AND c1.psn_no IS NOT NULL) AS class1,
              count(*) AS heads, sum(g.n) AS visits, sum(g.fund_pay) AS fund_pay, sum(g.adj) AS adj
       FROM g LEFT JOIN persons p ON p.psn_no = g.psn_no
              LEFT JOIN c1 ON c1.psn_no = g.psn_no AND c1.yr = g.yr
       GROUP BY ALL ORDER BY 1, 2, 3, 4, 5, 6`,
      {
        years: listValue(years),
        dise: listValue([...filter.diseaseCodes]),
        y0: `${years[0]}-01-01`,
        y1: `${years[years.length - 1]! + 1}-01-01`,
        age: filter.ageThreshold,
      },
    );
    return rows.map((r) => historyGroupRow((i) => r[i], toSafeNumber));
  }

  async enrolmentDiseaseClasses(period: {
    from: string;
    to: string;
  }): Promise<{ code: string; diseaseClass: 1 | 2 }[]> {
    checkedPeriod(period, this.location);
    const rows = await this.rows(
      `SELECT opsp_dise_code, arg_min(dise_class, (psn_no, begndate, dise_class)) FROM enrolments
       WHERE enddate >= CAST($from AS DATE) AND begndate <= CAST($to AS DATE)
       GROUP BY opsp_dise_code ORDER BY opsp_dise_code`,
      { from: period.from, to: period.to },
    );
    return rows.map((r) => ({ code: r[0] as string, diseaseClass: Number(r[1]) === 1 ? 1 : 2 }));
  }

  async readEnrolments(
    period: { from?: string; to?: string; psnNo?: string } = {},
  ): Promise<SpecialDiseaseEnrolment[]> {
    const parts: string[] = [];
    const params: Params = {};
    if (period.psnNo !== undefined) {
      parts.push('psn_no = $psn');
      params.psn = period.psnNo;
    }
    for (const [k, v] of Object.entries({ from: period.from, to: period.to })) {
      if (v === undefined) continue;
      if (!isIsoDate(v)) {
        throw new StoreError('STORE_BAD_FILTER', this.location, `${k} 应为日期 YYYY-MM-DD`, `${k} must be YYYY-MM-DD`);
      }
      parts.push(k === 'from' ? 'enddate >= CAST($from AS DATE)' : 'begndate <= CAST($to AS DATE)');
      params[k] = v;
    }
    // Read column by column from the result's chunks (no row arrays in between): a region's four years of rows.
    // Codes, dates and person numbers interned (a person has several rows); each row one literal of one shape.
    const out: SpecialDiseaseEnrolment[] = [];
    const intern = stringInterner();
    const stream = this.stream(
      `SELECT psn_no, opsp_dise_code, dise_class, insutype, treat_fixmedins_code, fd_fixmedins_code,
              strftime(begndate, '%Y-%m-%d'), strftime(enddate, '%Y-%m-%d')
       FROM enrolments ${parts.length ? `WHERE ${parts.join(' AND ')}` : ''}
       ORDER BY psn_no, begndate, opsp_dise_code`,
      params,
      ALL_AT_ONCE,
      (v, i) => enrolmentRow((c) => v[c]!.getItem(i), intern),
    );
    for await (const b of stream) for (const e of b) out.push(e);
    return out;
  }

  async countCodes(kind: CodeListKind): Promise<number> {
    return toSafeNumber(await this.scalar('SELECT count(*) FROM codes WHERE kind = $k', { k: kind }), 'count');
  }

  async readProcedureTypes(): Promise<Map<string, ProcedureType>> {
    const rows = await this.rows("SELECT code, proc_type FROM codes WHERE kind = 'icd9' AND proc_type IS NOT NULL");
    return new Map(rows.map((r) => [r[0] as string, r[1] as ProcedureType]));
  }

  async lookupCodes(kind: CodeListKind, codes: readonly string[]): Promise<Map<string, CodeEntry>> {
    const out = new Map<string, CodeEntry>();
    if (codes.length === 0) return out;
    const rows = await this.rows(
      'SELECT code, name, proc_type FROM codes WHERE kind = $k AND code IN (SELECT unnest($codes))',
      { k: kind, codes: listValue([...codes]) },
    );
    for (const r of rows) {
      const e: CodeEntry = { code: r[0] as string, name: r[1] as string };
      if (r[2] !== null) e.procedureType = r[2] as ProcedureType;
      out.set(e.code, e);
    }
    return out;
  }

  // ---- result tables ----

  async openResultWriter(spec: ResultTableSpec, options: { replace?: boolean } = {}): Promise<ResultWriter> {
    this.assertWritable();
    checkSpec(spec, this.location);
    if (options.replace) await this.connection.run(`DROP TABLE IF EXISTS ${ident(spec.name)}`);
    const existing = await describeTable(this.connection, spec.name);
    if (existing) {
      const want = spec.columns.map((c) => `${c.name} ${SQL_TYPE[c.type]}`).join(', ');
      const have = existing.map((c) => `${c.name} ${c.type}`).join(', ');
      if (want !== have) {
        throw new StoreError(
          'STORE_TABLE_MISMATCH',
          this.location,
          `结果表 ${spec.name} 已存在但列不同（已有：${have}）；可用 replace 重建`,
          `result table ${spec.name} exists with other columns (${have}); use replace to recreate it`,
        );
      }
    } else {
      await this.connection.run(createTableSql(spec));
    }
    const appender = await this.connection.createAppender(spec.name);
    return new AppenderResultWriter(appender, spec);
  }

  async appendParquet(table: string, parquetFile: string): Promise<number> {
    this.assertWritable();
    if (!SAFE_NAME.test(table) || !(await describeTable(this.connection, table))) {
      throw new StoreError('STORE_BAD_TABLE', this.location, `没有结果表 ${table}`, `no result table ${table}`);
    }
    const r = await this.connection.run(
      `INSERT INTO ${ident(table)} BY NAME SELECT * FROM read_parquet(${lit(parquetFile)})`,
    );
    return r.rowsChanged;
  }

  iterateResults(
    table: string,
    options: { orderBy?: readonly string[]; batchSize?: number } = {},
  ): AsyncIterable<ResultRow[]> {
    const self = this;
    return (async function* () {
      const cols = SAFE_NAME.test(table) ? await describeTable(self.connection, table) : undefined;
      if (!cols)
        throw new StoreError('STORE_BAD_TABLE', self.location, `没有结果表 ${table}`, `no result table ${table}`);
      const names = new Set(cols.map((c) => c.name));
      for (const o of options.orderBy ?? []) {
        if (!names.has(o)) throw new StoreError('STORE_BAD_TABLE', self.location, `没有列 ${o}`, `no column ${o}`);
      }
      const order = options.orderBy?.length ? options.orderBy.map(ident).join(', ') : 'rowid';
      const sql = `SELECT ${cols.map((c) => readExpr(c.name, c.type)).join(', ')} FROM ${ident(table)} ORDER BY ${order}`;
      yield* self.stream(sql, {}, options.batchSize ?? DEFAULT_BATCH, (data, i) => {
        const row: Record<string, ResultRow[string]> = {};
        cols.forEach((c, k) => {
          row[c.name] = readValue(data[k]!.getItem(i), c.type);
        });
        return row;
      });
    })();
  }

  // ---- runs ----

  async recordRun(run: RunRecord): Promise<void> {
    this.assertWritable();
    await this.connection.run(
      `INSERT INTO runs VALUES ($id, $cmd, $inputs, $policy, $counts, CAST($start AS TIMESTAMP),
         CAST($end AS TIMESTAMP), $dur, $status, $msg)`,
      {
        id: run.id,
        cmd: run.command,
        inputs: JSON.stringify(run.inputs),
        policy: run.policy ? JSON.stringify(run.policy) : null,
        counts: JSON.stringify(run.counts),
        start: isoStamp(run.startedAt),
        end: isoStamp(run.finishedAt),
        dur: Math.round(run.durationMs),
        status: run.status,
        msg: run.message ?? null,
      },
    );
  }

  async listRuns(options: { limit?: number; command?: string } = {}): Promise<RunRecord[]> {
    const limit = Math.max(1, Math.min(options.limit ?? 50, 100_000));
    const rows = await this.rows(
      `SELECT run_id, command, inputs, policy, counts,
              strftime(started_at, '%Y-%m-%dT%H:%M:%S.%gZ'), strftime(finished_at, '%Y-%m-%dT%H:%M:%S.%gZ'),
              duration_ms, status, message
       FROM runs ${options.command ? 'WHERE command = $cmd' : ''}
       ORDER BY started_at DESC, run_id DESC LIMIT ${limit}`,
      options.command ? { cmd: options.command } : {},
    );
    return rows.map((r) => {
      const run: RunRecord = {
        id: r[0] as string,
        command: r[1] as string,
        inputs: JSON.parse(r[2] as string),
        counts: JSON.parse(r[4] as string),
        startedAt: r[5] as string,
        finishedAt: r[6] as string,
        durationMs: toSafeNumber(r[7], 'duration_ms'),
        status: r[8] as RunStatus,
      };
      if (r[3] !== null) run.policy = JSON.parse(r[3] as string);
      if (r[9] !== null) run.message = r[9] as string;
      return run;
    });
  }

  // ---- medical communities ----

  async saveCommunityBudgets(rows: readonly CommunityBudgetRecord[]): Promise<void> {
    this.assertWritable();
    await this.transaction(async () => {
      for (const r of rows) {
        assertFen(r.budgetFen, 'budget_fen');
        if (r.actualFen !== null) assertFen(r.actualFen, 'actual_fen');
        const key = { region: r.region, year: r.year, community: r.communityId, fund: r.fund };
        await this.connection.run(
          'DELETE FROM community_budgets WHERE region = $region AND year = $year AND community_id = $community AND fund = $fund',
          key,
        );
        await this.connection.run(
          `INSERT INTO community_budgets VALUES ($region, $year, $community, $fund, $budget, $actual, $saved, $run,
             CAST(now() AS TIMESTAMP))`,
          { ...key, budget: r.budgetFen, actual: r.actualFen, saved: r.savedByControl, run: r.runId },
        );
      }
    });
  }

  async readRejects(kind: string, recordKey: string): Promise<StoredReject[]> {
    const rows = await this.rows(
      `SELECT r.run_id, r.kind, r.source, r.row_no, r.field, r.code, r.message_zh, r.message_en, r.row_unit
       FROM rejects r LEFT JOIN runs u USING (run_id)
       WHERE r.kind = $kind AND r.record_key = $key ORDER BY u.started_at, r.run_id, r.row_no, r.field`,
      { kind, key: recordKey },
    );
    return rows.map((r) => storedReject(r, toSafeNumber(r[3], 'row_no')));
  }

  async readYearEndInputs(year: number): Promise<StoredYearEndInputs> {
    const deductions = await this.rows(
      `SELECT fixmedins_code, period, CAST(deduction_amt * 100 AS BIGINT), reason, source FROM year_end_deductions
       WHERE period = $y OR period LIKE $y || '-%' ORDER BY fixmedins_code, period, reason`,
      { y: String(year) },
    );
    const assessments = await this.rows(
      `SELECT fixmedins_code, CAST(coefficient AS VARCHAR), source FROM year_end_assessments WHERE year = $y
       ORDER BY fixmedins_code`,
      { y: year },
    );
    const reviews = await this.rows(
      `SELECT r.setl_id, r.decision, r.payment, CAST(r.points AS VARCHAR), r.source FROM year_end_special_reviews r
       JOIN cases c ON c.setl_id = r.setl_id
       WHERE c.dscg_time >= CAST($y0 AS TIMESTAMP) AND c.dscg_time < CAST($y1 AS TIMESTAMP) ORDER BY r.setl_id`,
      { y0: `${year}-01-01`, y1: `${year + 1}-01-01` },
    );
    return yearEndInputsOf(deductions, assessments, reviews, toSafeNumber);
  }

  async readCommunityBudgets(filter: { region: string; year: number }): Promise<CommunityBudgetRecord[]> {
    const rows = await this.rows(
      `SELECT region, year, community_id, fund, budget_fen, actual_fen, saved_by_control, run_id
       FROM community_budgets WHERE region = $region AND year = $year ORDER BY community_id, fund`,
      { region: filter.region, year: filter.year },
    );
    return rows.map((r) => ({
      region: r[0] as string,
      year: Number(r[1]),
      communityId: r[2] as string,
      fund: r[3] as CommunityBudgetRecord['fund'],
      budgetFen: toSafeNumber(r[4], 'budget_fen'),
      actualFen: r[5] === null ? null : toSafeNumber(r[5], 'actual_fen'),
      savedByControl: r[6] as boolean,
      runId: r[7] as string,
    }));
  }

  // ---- settlement runs ----

  async saveSettlementRun(
    record: SettlementRunRecord,
    // biome-ignore lint/suspicious/noConfusingVoidType: a writer that returns nothing keeps the record it was given
    write: (w: SettlementRunWriter) => Promise<void | SettlementRunRecord>,
  ): Promise<void> {
    this.assertWritable();
    await this.transaction(async () => {
      const w = settlementRunWriter(this.connection, record.id);
      let final: SettlementRunRecord;
      try {
        final = (await write(w)) ?? record;
      } catch (e) {
        // The run fails with its own error; the units appended so far are rolled back with the transaction.
        try {
          w.finish();
        } catch {
          // a half-appended row cannot be flushed: nothing of it stays
        }
        throw e;
      }
      w.finish();
      if (final.id !== record.id) throw new RangeError(`run ${record.id}: the final record names ${final.id}`);
      await insertRunRecord(this.connection, final); // last, as on ClickHouse
    });
  }

  listSettlementRuns(filter?: SettlementRunFilter): Promise<SettlementRunRecord[]> {
    return listSettlementRuns((sql, params) => this.rows(sql, params), filter);
  }

  runResults(runId: string): RunResultsReader {
    return runResultsReader(this.location, this.instance, (sql, params) => this.rows(sql, params), runId);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      this.connection.closeSync();
      this.instance.closeSync();
    } finally {
      if (this.lock) release(this.lock);
    }
  }

  private assertOpen(): void {
    if (this.closed) throw new StoreError('STORE_CLOSED', this.location, '存储已关闭', 'the store is closed');
  }

  assertWritable(): void {
    this.assertOpen();
    if (this.readOnly) {
      throw new StoreError('STORE_READ_ONLY', this.location, '存储以只读方式打开', 'the store is open read-only');
    }
  }
}

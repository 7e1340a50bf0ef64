/**
 * The store on ClickHouse (分布式存储): the same `Store` as the embedded DuckDB default, for a server or a cluster
 * (`clickhouse://…`) or chDB in process (`chdb://…`, the tests and CI). Same tables and columns (schema.ts), same
 * value conventions (money integer fen ⇄ Decimal(18,2) yuan, exact decimals as text), same reading order.
 *
 * Readers page by the table's sort key (keyset: `WHERE key > last ORDER BY key LIMIT n`), so a year of cases is
 * never one result in memory, on a server or in chDB. ClickHouse has no multi-statement transaction: `transaction`
 * here is all-or-nothing by staging and compensation — result tables are written to a staging table and renamed
 * or copied in at commit, run records and a settlement run's rows are deleted by run id on failure, and a
 * settlement run's record is inserted last, so readers never see a half-written run. Readers that run while a
 * transaction is open may see rows of tables it created (not of runs, whose record comes last).
 */
import { randomBytes } from 'node:crypto';
import type { FeeItem, InpatientCase } from '../../model/case.ts';
import {
  type CaseColumnDictionaries,
  type CaseColumnOptions,
  type CaseColumns,
  caseColumnDictionaries,
  caseColumns,
} from '../../model/case-columns.ts';
import type { HistoryKeyQuery, HistoryKeys, HistoryTails, HistoryTrimPlan } from '../../model/history-keys.ts';
import type {
  Institution,
  InstitutionLevel,
  InstitutionType,
  InsuredPerson,
  SpecialDiseaseEnrolment,
} from '../../model/institution.ts';
import type { Fen } from '../../model/money.ts';
import type { OutpatientSettlement } from '../../model/outpatient.ts';
import { isIsoDate } from '../../policy/dates.ts';
import { CLICKHOUSE_DIALECT as D } from '../dialect.ts';
import {
  CASE_ATTRIBUTE_COLUMNS,
  CASE_DIAGNOSIS_COLUMNS,
  caseAttributesOf,
  diagnosesOf,
  INSUTYPE_TO_MODEL,
  rowToCase,
  rowToFeeItem,
} from '../duckdb/case-rows.ts';
import { rowToOutpatient } from '../duckdb/outpatient-rows.ts';
import { checkSpec } from '../duckdb/result-tables.ts';
import { CORE_TABLES } from '../duckdb/schema.ts';
import { SAFE_NAME, toSafeNumber } from '../duckdb/sql.ts';
import { StoreError } from '../errors.ts';
import { stringInterner } from '../intern.ts';
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
  ResultColumnType,
  ResultRow,
  ResultTableSpec,
  ResultWriter,
  RunRecord,
  RunStatus,
  SegmentVisitSums,
  Store,
  StoredReject,
  StoredYearEndInputs,
  VisitPeriod,
  VisitSegment,
} from '../store.ts';
import { checkedHistoryYears, checkedPeriod, storedReject } from '../store.ts';
import { yearEndInputsOf } from '../year-end-rows.ts';
import { CH_CASE_EXPRS, CH_FEE_ITEM_EXPRS, CH_OUTPATIENT_EXPRS } from './case-rows.ts';
import { ChConnection, type ChRow, type QueryParams } from './client.ts';
import { CH_PRINCIPAL_PREFIX, clickHouseHistoryKeys } from './history-keys.ts';
import { type NativeColumn, valueAt } from './native.ts';
import { CH_TYPE, mismatch, readExpr, readValue, resultEncoders, resultTypeOf } from './result-tables.ts';
import { encodeRows } from './rowbinary.ts';
import { CH_MIGRATIONS, CH_SCHEMA_VERSION, CH_SCHEMA_VERSION_DDL, statements } from './schema.ts';
import {
  chRunResultsReader,
  chSettlementRunWriter,
  deleteChRun,
  insertChRunRecord,
  listChSettlementRuns,
} from './settlement-runs.ts';
import { chLit, int, stampText } from './values.ts';

const DEFAULT_BATCH = 10_000;

/**
 * The work tables of `matchOutpatientToSegments`: the visit segments (a segment is its position in the list given, its
 * id read back from the list) and the capitation periods.
 */
type WorkColumns = readonly { name: string; type: string }[];
const SEGMENT_COLUMNS: WorkColumns = [
  { name: 'ord', type: 'Int32' },
  ...['psn_no', 'dise', 'inst', 'f', 't'].map((name) => ({ name, type: 'String' })),
];
const PERIOD_COLUMNS: WorkColumns = [
  { name: 'id', type: 'Int32' },
  ...['psn_no', 'f', 't'].map((name) => ({ name, type: 'String' })),
];

interface Tx {
  undo: (() => Promise<void>)[];
  commit: (() => Promise<void>)[];
}

export interface ClickHouseStoreOptions {
  readOnly?: boolean;
  /** Memory limit per query, e.g. "2GB" (`max_memory_usage`); default as the DuckDB store's (../memory.ts). */
  memoryLimit?: string;
}

/** The model's insurance type of a row's `insutype`, as the row readers map codes (unknown codes read as resident). */
const CH_FUND = `CASE insutype ${Object.entries(INSUTYPE_TO_MODEL)
  .map(([code, t]) => `WHEN ${chLit(code)} THEN ${chLit(t)}`)
  .join(' ')} ELSE 'resident' END`;

/** WHERE parts and parameters of a case (or outpatient) filter on `timeColumn`. */
export function chCaseWhere(
  filter: CaseFilter & { psnNo?: string },
  location: string,
  timeColumn = 'dscg_time',
): { parts: string[]; params: QueryParams } {
  const parts: string[] = [];
  const params: QueryParams = {};
  const badDate = (field: string, v: string) =>
    new StoreError(
      'STORE_BAD_FILTER',
      location,
      `${field} 应为日期 YYYY-MM-DD，而不是 "${v}"`,
      `${field} must be YYYY-MM-DD, got "${v}"`,
    );
  const ts = (p: string) => `toDateTime64({${p}:String}, 3, 'UTC')`;
  if (filter.year !== undefined) {
    if (!Number.isInteger(filter.year) || filter.year < 1900 || filter.year > 9998) {
      throw new StoreError('STORE_BAD_FILTER', location, `年份不合规: ${filter.year}`, `bad year: ${filter.year}`);
    }
    parts.push(`${timeColumn} >= ${ts('y0')} AND ${timeColumn} < ${ts('y1')}`);
    params.y0 = `${filter.year}-01-01 00:00:00`;
    params.y1 = `${filter.year + 1}-01-01 00:00:00`;
  }
  if (filter.from !== undefined) {
    if (!isIsoDate(filter.from)) throw badDate('from', filter.from);
    parts.push(`${timeColumn} >= ${ts('from')}`);
    params.from = `${filter.from} 00:00:00`;
  }
  if (filter.to !== undefined) {
    if (!isIsoDate(filter.to)) throw badDate('to', filter.to);
    parts.push(`${timeColumn} < ${ts('to')} + INTERVAL 1 DAY`);
    params.to = `${filter.to} 00:00:00`;
  }
  if (filter.institution !== undefined) {
    parts.push('fixmedins_code = {inst:String}');
    params.inst = filter.institution;
  }
  if (filter.psnNo !== undefined) {
    parts.push('psn_no = {psn:String}');
    params.psn = filter.psnNo;
  }
  return { parts, params };
}

const whereOf = (parts: readonly string[]) => (parts.length ? `WHERE ${parts.join(' AND ')}` : '');

export class ClickHouseStore implements Store {
  private tx: Tx | undefined;
  private closed = false;

  private constructor(
    readonly conn: ChConnection,
    readonly readOnly: boolean,
  ) {}

  get location(): string {
    return this.conn.location.display;
  }

  static async open(location: string, options: ClickHouseStoreOptions = {}): Promise<ClickHouseStore> {
    const conn = await ChConnection.open(location, {
      readOnly: options.readOnly ?? false,
      ...(options.memoryLimit !== undefined ? { memoryLimit: options.memoryLimit } : {}),
    });
    const store = new ClickHouseStore(conn, options.readOnly ?? false);
    try {
      if (store.readOnly) await store.checkVersion();
      else await store.migrate();
    } catch (e) {
      await conn.close();
      throw e;
    }
    return store;
  }

  private t(name: string): string {
    return this.conn.table(name);
  }

  private async migrate(): Promise<void> {
    for (const s of statements(CH_SCHEMA_VERSION_DDL, this.conn.database)) await this.conn.command(s);
    const current = await this.schemaVersion();
    if (current > CH_SCHEMA_VERSION) throw this.tooNew(current);
    for (const m of CH_MIGRATIONS) {
      if (m.version <= current) continue;
      for (const s of statements(m.sql, this.conn.database)) await this.conn.command(s);
      await this.conn.insert('schema_version', [
        { version: m.version, description: m.description, applied_at: stampText(new Date().toISOString()) },
      ]);
    }
  }

  private async checkVersion(): Promise<void> {
    const exists = await this.conn.rows(
      `SELECT count() FROM system.tables WHERE database = {db:String} AND name = 'schema_version'`,
      { db: this.conn.database },
    );
    const v = int(exists[0]![0], 'count') > 0 ? await this.schemaVersion() : 0;
    if (v > CH_SCHEMA_VERSION) throw this.tooNew(v);
    if (v < CH_SCHEMA_VERSION) {
      throw new StoreError(
        'STORE_OLD_SCHEMA',
        this.location,
        `存储结构版本 ${v} 早于本程序的 ${CH_SCHEMA_VERSION}；请先以写方式打开一次以升级`,
        `store schema version ${v} is older than ${CH_SCHEMA_VERSION}; open it once for writing to migrate`,
      );
    }
  }

  private tooNew(v: number): StoreError {
    return new StoreError(
      'STORE_TOO_NEW',
      this.location,
      `存储结构版本 ${v} 新于本程序支持的 ${CH_SCHEMA_VERSION}，请升级 yibao`,
      `store schema version ${v} is newer than this yibao supports (${CH_SCHEMA_VERSION}); upgrade yibao`,
    );
  }

  async schemaVersion(): Promise<number> {
    const r = await this.conn.rows(`SELECT max(version) FROM ${this.t('schema_version')}`);
    return r.length ? int(r[0]![0] ?? 0, 'version') : 0;
  }

  async transaction<T>(fn: (store: Store) => Promise<T>): Promise<T> {
    this.assertOpen();
    if (this.tx) return fn(this);
    const tx: Tx = { undo: [], commit: [] };
    this.tx = tx;
    try {
      const result = await fn(this);
      for (const c of tx.commit) await c();
      return result;
    } catch (e) {
      for (const u of tx.undo.reverse()) {
        try {
          await u();
        } catch {
          // Best effort: the original error is what matters; a leftover staging table is dropped on the next run.
        }
      }
      throw e;
    } finally {
      this.tx = undefined;
    }
  }

  // ---- readers ----

  async rows(sql: string, params?: QueryParams): Promise<ChRow[]> {
    this.assertOpen();
    return this.conn.rows(sql, params);
  }

  /**
   * Keyset pages of `SELECT exprs FROM table WHERE … ORDER BY key`: the key columns are the last ones selected
   * (`keyAt` their positions), each page continues after the previous page's last key.
   */
  private async *pages<T>(
    from: string,
    exprs: readonly string[],
    key: readonly string[],
    keyTypes: readonly string[],
    where: { parts: string[]; params: QueryParams },
    batchSize: number,
    convert: (row: ChRow) => T,
  ): AsyncGenerator<T[]> {
    this.assertOpen();
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`batchSize must be ≥ 1, got ${batchSize}`);
    const select = [...exprs, ...key.map((k) => `${k} AS __k_${k}`)];
    const keyTuple = key.length === 1 ? key[0]! : `(${key.join(', ')})`;
    const afterTuple =
      key.length === 1 ? `{k0:${keyTypes[0]}}` : `(${key.map((_, i) => `{k${i}:${keyTypes[i]}}`).join(', ')})`;
    let after: unknown[] | undefined;
    for (;;) {
      const parts = after ? [...where.parts, `${keyTuple} > ${afterTuple}`] : where.parts;
      const params = { ...where.params };
      if (after) {
        for (const [i, v] of after.entries()) params[`k${i}`] = v;
      }
      const page = await this.conn.nativeRows(
        `SELECT ${select.join(', ')} FROM ${from} ${whereOf(parts)} ORDER BY ${key.join(', ')} LIMIT ${batchSize}`,
        params,
      );
      if (page.length === 0) return;
      const last = page[page.length - 1]!;
      after = last.slice(exprs.length);
      yield page.map((r) => convert(r.slice(0, exprs.length)));
      if (page.length < batchSize) return;
    }
  }

  iterateCases(filter: CaseFilter = {}, batchSize = DEFAULT_BATCH): AsyncIterable<InpatientCase[]> {
    const w = chCaseWhere(filter, this.location);
    return this.pages(this.t('cases'), CH_CASE_EXPRS, ['setl_id'], ['String'], w, batchSize, (r) => rowToCase(r));
  }

  /**
   * The cases as typed columns (case-columns.ts), read in ClickHouse's Native format (no JSON text): the numbers
   * arrive as typed arrays, and the coded lists and low-cardinality text are interned in ClickHouse, so a text
   * crosses into JS once per distinct value, never once per case — as the DuckDB store's reader: each dictionary is
   * the distinct values of the filter's cases numbered in sort order (a work table of this call), and every row
   * reads its id there by its values themselves (`joinGetOrNull` on a Join-engine table built once per call, kept
   * in memory across the pages): exact — the dictionary is a GROUP BY, which compares the values, and the Join
   * (one row per 128-bit hash of a key that is not a single string) must hold as many rows as the dictionary, so no
   * two values share an id — and the row loop copies integers.
   * Pages by setl_id (keyset), as `iterateCases`: one page per batch, rows in setl_id order.
   */
  async *iterateCaseColumns(filter: CaseFilter = {}, options: CaseColumnOptions = {}): AsyncGenerator<CaseColumns> {
    this.assertOpen();
    const batchSize = options.batchSize ?? 100_000;
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`batchSize must be ≥ 1, got ${batchSize}`);
    const w = chCaseWhere(filter, this.location);
    const idsFor = options.idsFor ?? [];
    const settlement = options.settlement === true;
    const dict = caseColumnDictionaries();
    const cases = this.t('cases');
    const strs = (v: unknown): string[] => (v as string[] | null) ?? [];
    // Work tables of this call, dropped after (ClickHouse sessions are not kept between queries).
    const tag = `${Date.now().toString(36)}_${Math.floor(Math.random() * 1e9).toString(36)}`;
    const work: string[] = [];
    /**
     * One dictionary over `columns` of the cases: the distinct values numbered in their sort order (NULL last, as
     * DuckDB's ORDER BY), read into `into` in id order, and the expression that gives a row its id. The id is
     * looked up by one exact key: the column itself, or a tuple of them; a Nullable column enters the key as
     * (isNull, ifNull(…, '')), since NULL keys never match in a ClickHouse join.
     */
    const dictionary = async <T>(
      name: string,
      columns: readonly { name: string; nullable?: boolean }[],
      make: (values: unknown[]) => T,
      into: T[],
    ) => {
      const values = this.t(`yibao_tmp_dict_${tag}_${name}`);
      const join = this.t(`yibao_tmp_join_${tag}_${name}`);
      const vs = columns.map((_, k) => `v${k}`);
      const keyOf = (cols: readonly string[]) => {
        const parts = cols.flatMap((c, k) => (columns[k]!.nullable ? [`isNull(${c})`, `ifNull(${c}, '')`] : [c]));
        return parts.length === 1 ? parts[0]! : `tuple(${parts.join(', ')})`;
      };
      work.push(values);
      await this.conn.command(
        `CREATE TABLE ${values} ENGINE = Memory AS
         SELECT toInt32(row_number() OVER (ORDER BY ${vs.join(', ')}) - 1) AS id, ${vs.join(', ')}
         FROM (SELECT ${columns.map((c, k) => `${c.name} AS v${k}`).join(', ')} FROM ${cases} ${whereOf(w.parts)}
               GROUP BY ${vs.join(', ')})`,
        w.params,
      );
      for (const r of await this.conn.nativeRows(`SELECT ${vs.join(', ')} FROM ${values} ORDER BY id`))
        into.push(make(r));
      work.push(join);
      // In memory only (`persistent = 0`): a work table needs no copy on disk.
      await this.conn.command(
        `CREATE TABLE ${join} ENGINE = Join(ANY, LEFT, k) SETTINGS persistent = 0
         AS SELECT id, ${keyOf(vs)} AS k FROM ${values}`,
      );
      // GROUP BY compares the values themselves; the Join keeps one row per 128-bit hash of a key that is not one
      // string: as many rows as values, or two values share a hash and would share an id.
      const [[distinct, keyed]] = (await this.conn.nativeRows(
        `SELECT toInt64((SELECT count() FROM ${values})), toInt64((SELECT count() FROM ${join}))`,
      )) as [[number, number]];
      if (distinct !== keyed)
        throw new Error(`case columns: ${distinct} ${name} values, ${keyed} hashes; two values share a hash`);
      // The values are in JS and in the Join now: not held a third time while the pages are read.
      await this.conn.command(`DROP TABLE ${values}`);
      return `joinGetOrNull('${join}', 'id', ${keyOf(columns.map((c) => c.name))})`;
    };
    try {
      const plain = (names: readonly string[]) => names.map((name) => ({ name }));
      const attrs = await dictionary('attributes', plain(CASE_ATTRIBUTE_COLUMNS), caseAttributesOf, dict.attributes);
      const dx = await dictionary(
        'diagnoses',
        plain(CASE_DIAGNOSIS_COLUMNS),
        (r) => diagnosesOf(strs(r[0]), strs(r[1])),
        dict.diagnoses,
      );
      const px = await dictionary('procedures', plain(['oprn_oprt_codes']), (r) => strs(r[0]), dict.procedures);
      const dept = settlement
        ? await dictionary(
            'departments',
            [{ name: 'dscg_caty', nullable: true }],
            (r) => (r[0] as string | null) ?? '',
            dict.departments,
          )
        : undefined;
      yield* this.caseColumnPages(w, batchSize, idsFor, dict, { attrs, dx, px, dept });
    } finally {
      for (const table of work.reverse()) {
        try {
          await this.conn.command(`DROP TABLE IF EXISTS ${table}`);
        } catch {
          // Best effort: a leftover work table holds only this call's dictionary.
        }
      }
    }
  }

  /** The pages of `iterateCaseColumns`, each row's dictionary ids by the id expressions of its dictionaries. */
  private async *caseColumnPages(
    w: { parts: string[]; params: QueryParams },
    batchSize: number,
    idsFor: readonly string[],
    dict: CaseColumnDictionaries,
    id: { attrs: string; dx: string; px: string; dept: string | undefined },
  ): AsyncGenerator<CaseColumns> {
    const dept = id.dept;
    const settlement = dept !== undefined;
    const cases = this.t('cases');
    const params: QueryParams = idsFor.length ? { ...w.params, idp: [...idsFor] } : { ...w.params };
    const withId = idsFor.length
      ? 'if(length(diag_codes) > 0 AND arrayExists(p -> startsWith(diag_codes[1], p), {idp:Array(String)}), setl_id, NULL)'
      : "CAST(NULL, 'Nullable(String)')";
    // The settlement year's fields (the discharge month, the department) before setl_id, which stays last.
    const select = [
      'toInt32(toYear(dscg_time))',
      'toInt32(act_ipt_days)',
      'toInt32(coalesce(icu_days, 0))',
      'toInt32(age)',
      'toInt32(coalesce(nwb_age, -1))',
      'toInt32(coalesce(nwb_bir_wt, -1))',
      D.fen('medfee_sumamt'),
      D.fen('hifp_pay'),
      withId,
      id.attrs,
      id.dx,
      id.px,
      ...(dept ? ['toInt32(toMonth(dscg_time))', dept] : []),
      'setl_id',
    ].join(', ');
    let after: string | undefined;
    for (;;) {
      const parts = after === undefined ? w.parts : [...w.parts, 'setl_id > {after:String}'];
      const blocks = await this.conn.native(
        `SELECT ${select} FROM ${cases} ${whereOf(parts)} ORDER BY setl_id LIMIT ${batchSize}`,
        after === undefined ? params : { ...params, after },
      );
      const n = blocks.reduce((k, b) => k + b.rows, 0);
      if (n === 0) return;
      const cols = caseColumns(n, dict, settlement);
      let o = 0;
      for (const b of blocks) {
        if (b.rows === 0) continue;
        const c = b.columns;
        cols.year.set(int32s(c[0]!), o);
        cols.losDays.set(int32s(c[1]!), o);
        cols.icuDays.set(int32s(c[2]!), o);
        cols.ageYears.set(int32s(c[3]!), o);
        cols.ageDays.set(int32s(c[4]!), o);
        cols.birthWeightG.set(int32s(c[5]!), o);
        const cost = int64s(c[6]!);
        const fund = int64s(c[7]!);
        for (let i = 0; i < b.rows; i++) {
          cols.totalCost[o + i] = toSafeNumber(cost[i]!, 'medfee_sumamt');
          cols.fundPay[o + i] = toSafeNumber(fund[i]!, 'hifp_pay');
        }
        const ids = c[8]!.data;
        if (idsFor.length) for (let i = 0; i < b.rows; i++) cols.setlId[o + i] = valueAt(ids, i) as string | null;
        cols.attributes.set(dictionaryIds(c[9]!), o);
        cols.diagnoses.set(dictionaryIds(c[10]!), o);
        cols.procedures.set(dictionaryIds(c[11]!), o);
        if (dept) {
          const st = cols.settlement!;
          const month = int32s(c[12]!);
          const setl = c[14]!.data;
          for (let i = 0; i < b.rows; i++) {
            st.month[o + i] = month[i]!;
            st.setlIds[o + i] = valueAt(setl, i) as string;
          }
          st.department.set(dictionaryIds(c[13]!), o);
        }
        o += b.rows;
      }
      const lastBlock = blocks.filter((b) => b.rows > 0).at(-1)!;
      after = valueAt(lastBlock.columns.at(-1)!.data, lastBlock.rows - 1) as string;
      yield cols;
      if (n < batchSize) return;
    }
  }

  /** The DIP history pass as SQL (history-keys.ts): the same keys and trimmed cases as the DuckDB store's. */
  async historyKeys(
    q: HistoryKeyQuery,
    plan: (keys: HistoryKeys) => HistoryTrimPlan | null,
  ): Promise<{ keys: HistoryKeys; tails: HistoryTails }> {
    this.assertOpen();
    return clickHouseHistoryKeys(this.conn, this.location, q, plan);
  }

  async caseIdsByPrincipal(filter: CaseFilter, prefixes: readonly string[]): Promise<string[]> {
    if (prefixes.length === 0) return [];
    this.assertOpen();
    const w = chCaseWhere(filter, this.location);
    const rows = await this.conn.nativeRows(
      `SELECT c.setl_id FROM ${this.t('cases')} AS c ${whereOf([...w.parts, CH_PRINCIPAL_PREFIX])} ORDER BY c.setl_id`,
      { ...w.params, idp: [...prefixes] },
    );
    return rows.map((r) => r[0] as string);
  }

  async readCases(setlIds: readonly string[]): Promise<InpatientCase[]> {
    if (setlIds.length === 0) return [];
    this.assertOpen();
    const rows = await this.conn.nativeRows(
      `SELECT ${CH_CASE_EXPRS.join(', ')} FROM ${this.t('cases')} WHERE setl_id IN {ids:Array(String)} ORDER BY setl_id`,
      { ids: [...setlIds] },
    );
    return rows.map((r) => rowToCase(r));
  }

  async countCases(filter: CaseFilter = {}): Promise<number> {
    const w = chCaseWhere(filter, this.location);
    const r = await this.rows(`SELECT count() FROM ${this.t('cases')} ${whereOf(w.parts)}`, w.params);
    return int(r[0]![0], 'count');
  }

  async sumCaseCost(filter: CaseFilter = {}): Promise<Fen> {
    const w = chCaseWhere(filter, this.location);
    const r = await this.rows(
      `SELECT ${D.fen('coalesce(sum(medfee_sumamt), 0)')} FROM ${this.t('cases')} ${whereOf(w.parts)}`,
      w.params,
    );
    return int(r[0]![0], 'sum of medfee_sumamt');
  }

  iterateFeeItems(filter: CaseFilter = {}, batchSize = DEFAULT_BATCH): AsyncIterable<FeeItem[]> {
    const w = chCaseWhere(filter, this.location);
    const where =
      w.parts.length === 0
        ? w
        : { parts: [`setl_id IN (SELECT setl_id FROM ${this.t('cases')} ${whereOf(w.parts)})`], params: w.params };
    return this.pages(
      this.t('fee_items'),
      CH_FEE_ITEM_EXPRS,
      ['setl_id', 'line_no'],
      ['String', 'Int32'],
      where,
      batchSize,
      (r) => rowToFeeItem(r),
    );
  }

  async readFeeItems(setlIds: readonly string[]): Promise<FeeItem[]> {
    if (setlIds.length === 0) return [];
    this.assertOpen();
    const rows = await this.conn.nativeRows(
      `SELECT ${CH_FEE_ITEM_EXPRS.join(', ')} FROM ${this.t('fee_items')} WHERE setl_id IN {ids:Array(String)}
       ORDER BY setl_id, line_no`,
      { ids: [...setlIds] },
    );
    return rows.map((r) => rowToFeeItem(r));
  }

  iterateOutpatient(filter: OutpatientFilter = {}, batchSize = DEFAULT_BATCH): AsyncIterable<OutpatientSettlement[]> {
    const w = chCaseWhere(filter, this.location, 'setl_time');
    return this.pages(
      this.t('outpatient_settlements'),
      CH_OUTPATIENT_EXPRS,
      ['setl_id'],
      ['String'],
      w,
      batchSize,
      (r) => rowToOutpatient(r),
    );
  }

  async readInstitutions(): Promise<Institution[]> {
    const rows = await this.rows(
      `SELECT fixmedins_code, fixmedins_name, hosp_lv, inst_type, admdvs, mc_id, mc_lead FROM ${this.t('institutions')}
       ORDER BY fixmedins_code`,
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
    return this.pages(
      this.t('persons'),
      ['psn_no', 'gend', D.dateText('brdy'), 'insutype', 'admdvs'],
      ['psn_no'],
      ['String'],
      this.personWhere(filter),
      batchSize,
      (r): InsuredPerson => ({
        psnNo: r[0] as string,
        sex: r[1] as InsuredPerson['sex'],
        birthDate: r[2] as string,
        insuranceType: INSUTYPE_TO_MODEL[r[3] as string] ?? 'resident',
        county: r[4] as string,
      }),
    );
  }

  async countPersons(filter: PersonFilter = {}): Promise<number> {
    const w = this.personWhere(filter);
    const r = await this.rows(`SELECT count() FROM ${this.t('persons')} ${whereOf(w.parts)}`, w.params);
    return int(r[0]![0], 'count');
  }

  /** A person filter as one condition: semi-joins on enrolments in force / visits settled in the periods (union). */
  private personWhere(filter: PersonFilter): { parts: string[]; params: QueryParams } {
    const or: string[] = [];
    const params: QueryParams = {};
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
      or.push(
        `psn_no IN (SELECT psn_no FROM ${this.t('enrolments')}
                    WHERE enddate >= toDate32({ef:String}) AND begndate <= toDate32({et:String}))`,
      );
      params.ef = filter.enrolled.from;
      params.et = filter.enrolled.to;
    }
    if (filter.visited) {
      dates('visited', filter.visited);
      or.push(
        `psn_no IN (SELECT psn_no FROM ${this.t('outpatient_settlements')}
                    WHERE setl_time >= toDateTime64({vf:String}, 3, 'UTC')
                      AND setl_time < toDateTime64({vt:String}, 3, 'UTC') + INTERVAL 1 DAY)`,
      );
      params.vf = `${filter.visited.from} 00:00:00`;
      params.vt = `${filter.visited.to} 00:00:00`;
    }
    const parts = or.length ? [`(${or.join(' OR ')})`] : [];
    if (filter.psnNo !== undefined) {
      parts.unshift('psn_no = {psn:String}');
      params.psn = filter.psnNo;
    }
    return { parts, params };
  }

  async sumCaseFundPay(filter: CaseFilter = {}): Promise<FenByInsurance> {
    const w = chCaseWhere(filter, this.location);
    return this.byInsurance(
      `SELECT insutype, sum(${D.fen('hifp_pay')}) FROM ${this.t('cases')} ${whereOf(w.parts)} GROUP BY insutype`,
      w.params,
      'sum of hifp_pay',
    );
  }

  async countOutpatient(filter: OutpatientFilter = {}): Promise<number> {
    const w = chCaseWhere(filter, this.location, 'setl_time');
    const r = await this.rows(`SELECT count() FROM ${this.t('outpatient_settlements')} ${whereOf(w.parts)}`, w.params);
    return int(r[0]![0], 'count');
  }

  async sumOutpatientFundPay(filter: OutpatientFilter = {}): Promise<FenByInsurance> {
    const w = chCaseWhere(filter, this.location, 'setl_time');
    return this.byInsurance(
      `SELECT insutype, sum(${D.fen('hifp_pay')} + coalesce(${D.fen('outp_adj_fee')}, 0))
       FROM ${this.t('outpatient_settlements')} ${whereOf(w.parts)} GROUP BY insutype`,
      w.params,
      'sum of hifp_pay + outp_adj_fee',
    );
  }

  /** Sums by the store's insutype code, folded into the model's insurance types (as the row readers map them). */
  private async byInsurance(sql: string, params: QueryParams, what: string): Promise<FenByInsurance> {
    const out: FenByInsurance = { employee: 0, resident: 0 };
    for (const [code, sum] of await this.rows(sql, params)) {
      const t = INSUTYPE_TO_MODEL[code as string] ?? 'resident';
      out[t] = out[t] + int(sum ?? 0, what);
    }
    return out;
  }

  async matchOutpatientToSegments(
    filter: OutpatientFilter,
    o: { segments: readonly VisitSegment[]; excludeDiseases: readonly string[]; periods: readonly VisitPeriod[] },
  ): Promise<SegmentVisitSums> {
    const w = chCaseWhere(filter, this.location, 'setl_time');
    const params: QueryParams = { ...w.params, excl: [...o.excludeDiseases] };
    // Work tables of this call (Memory engine, dropped after): ClickHouse sessions are not kept between queries.
    const tag = `${Date.now().toString(36)}_${Math.floor(Math.random() * 1e9).toString(36)}`;
    const segs = `yibao_tmp_segments_${tag}`;
    const pers = `yibao_tmp_periods_${tag}`;
    const create = (table: string, columns: WorkColumns) =>
      this.conn.command(
        `CREATE TABLE ${this.t(table)} (${columns.map((c) => `${c.name} ${c.type}`).join(', ')}) ENGINE = Memory`,
      );
    await create(segs, SEGMENT_COLUMNS);
    await create(pers, PERIOD_COLUMNS);
    // The work tables' columns are known here: RowBinary without asking system.columns.
    const insert = (table: string, columns: WorkColumns, rows: Record<string, unknown>[]) =>
      this.conn.insertRowBinary(table, columns, encodeRows(table, columns, rows));
    try {
      await insert(
        segs,
        SEGMENT_COLUMNS,
        o.segments.map((g, i) => ({
          ord: i,
          psn_no: g.psnNo,
          dise: g.diseaseCode,
          inst: g.institution,
          f: g.from,
          t: g.to,
        })),
      );
      await insert(
        pers,
        PERIOD_COLUMNS,
        o.periods.map((p) => ({ id: p.id, psn_no: p.psnNo, f: p.from, t: p.to })),
      );
      const visits = `SELECT *, ${D.dateText('setl_time')} AS day FROM ${this.t('outpatient_settlements')} ${whereOf(w.parts)}`;
      const base = `WITH v AS (${visits}),
        m AS (SELECT * FROM v WHERE NOT has({excl:Array(String)}, opsp_dise_code)),
        c AS (SELECT m.setl_id AS cid, count() AS n, countIf(s.inst = m.fixmedins_code) AS here,
                minIf(s.ord, s.inst = m.fixmedins_code) AS seg, argMin(s.inst, s.ord) AS first_inst,
                min(s.ord) AS first_seg
              FROM m INNER JOIN ${this.t(segs)} AS s ON s.psn_no = m.psn_no AND s.dise = m.opsp_dise_code
              WHERE s.f <= m.day AND m.day <= s.t
              GROUP BY m.setl_id)`;
      const [counts] = await this.rows(
        `${base} SELECT (SELECT count() FROM v), (SELECT count() FROM v) - (SELECT count() FROM m)`,
        params,
      );
      const sums = await this.conn.nativeRows(
        `${base} SELECT c.seg, count(), sum(${D.fen('m.medfee_sumamt')}), sum(${D.fen('m.hifp_pay')}),
           sum(coalesce(${D.fen('m.outp_adj_fee')}, 0))
         FROM m INNER JOIN c ON c.cid = m.setl_id WHERE c.here = 1 GROUP BY c.seg ORDER BY c.seg`,
        params,
      );
      const unmatched = await this.conn.nativeRows(
        `${base} SELECT m.setl_id, m.psn_no, m.fixmedins_code, m.opsp_dise_code, m.day, ${D.fen('m.medfee_sumamt')},
           ${D.fen('m.hifp_pay')}, coalesce(${D.fen('m.outp_adj_fee')}, 0),
           coalesce(c.n, 0), coalesce(c.here, 0), c.first_inst, if(coalesce(c.n, 0) = 0, NULL, c.first_seg)
         FROM m LEFT JOIN c ON c.cid = m.setl_id WHERE coalesce(c.here, 0) != 1 ORDER BY m.setl_id`,
        params,
      );
      const served = await this.conn.nativeRows(
        `WITH v AS (${visits}) SELECT DISTINCT p.id FROM ${this.t(pers)} AS p INNER JOIN v ON v.psn_no = p.psn_no
         WHERE p.f <= v.day AND v.day <= p.t ORDER BY p.id`,
        w.params,
      );
      return {
        visits: int(counts?.[0] ?? 0, 'visits'),
        excludedVisits: int(counts?.[1] ?? 0, 'excluded visits'),
        bySegment: sums.map((r) => ({
          id: o.segments[int(r[0], 'segment')]!.id,
          segment: int(r[0], 'segment'),
          visits: int(r[1], 'visits'),
          totalCost: int(r[2] ?? 0, 'Σ medfee_sumamt'),
          fundPay: int(r[3] ?? 0, 'Σ hifp_pay'),
          outpatientAdjustment: int(r[4] ?? 0, 'Σ outp_adj_fee'),
        })),
        unmatched: unmatched.map((r) => ({
          setlId: r[0] as string,
          psnNo: r[1] as string,
          institutionCode: r[2] as string,
          diseaseCode: r[3] as string,
          day: r[4] as string,
          totalCost: int(r[5] ?? 0, 'medfee_sumamt'),
          fundPay: int(r[6] ?? 0, 'hifp_pay'),
          outpatientAdjustment: int(r[7] ?? 0, 'outp_adj_fee'),
          candidates: int(r[8], 'candidates'),
          atInstitution: int(r[9], 'candidates at the institution'),
          firstInstitution: (r[10] as string | null | undefined) ?? null,
          firstSegment: r[11] == null ? null : int(r[11], 'first segment'),
        })),
        periodsWithVisit: served.map((r) => int(r[0], 'period id')),
      };
    } finally {
      await this.conn.command(`DROP TABLE IF EXISTS ${this.t(segs)}`);
      await this.conn.command(`DROP TABLE IF EXISTS ${this.t(pers)}`);
    }
  }

  async outpatientHistoryGroups(filter: OutpatientHistoryFilter): Promise<OutpatientHistoryGroup[]> {
    const years = checkedHistoryYears(filter, this.location);
    if (years.length === 0 || filter.diseaseCodes.length === 0) return [];
    const fund = CH_FUND;
    // Age ≥ threshold on 1 January (31 December) of year Y ⇔ born on or before 1 January (31 December) of Y − threshold.
    const [m, d] = filter.ageOn === 'year-end' ? [12, 31] : [1, 1];
    this.assertOpen();
    const rows = await this.conn.nativeRows(
      `SELECT g.fund, g.dise, g.yr, isNotNull(p.psn_no) AS known,
              coalesce(p.brdy <= makeDate32(g.yr - {age:Int32}, ${m}, ${d}), false) AS over_age,
              isNotNull(p.psn_no) AND isNotNull(c1.psn_no) AS class1,
              count() AS heads, sum(g.n) AS visits, sum(g.fund_pay) AS fund_pay, sum(g.adj) AS adj
       FROM (SELECT psn_no, ${fund} AS fund, opsp_dise_code AS dise, toInt32(toYear(setl_time)) AS yr,
                    count() AS n, sum(${D.fen('hifp_pay')}) AS fund_pay,
                    sum(coalesce(${D.fen('outp_adj_fee')}, 0)) AS adj
             FROM ${this.t('outpatient_settlements')}
             WHERE setl_time >= toDateTime64({y0:String}, 3, 'UTC') AND setl_time < toDateTime64({y1:String}, 3, 'UTC')
               AND opsp_dise_code IN {dise:Array(String)} AND toInt32(toYear(setl_time)) IN {years:Array(Int32)}
             GROUP BY psn_no, fund, dise, yr) AS g
       LEFT JOIN (SELECT psn_no, brdy FROM ${this.t('persons')}) AS p ON p.psn_no = g.psn_no
       LEFT JOIN (SELECT DISTINCT psn_no, y AS yr FROM ${this.t('enrolments')} ARRAY JOIN {years:Array(Int32)} AS y
                  WHERE dise_class = 1 AND begndate <= makeDate32(y, 12, 31) AND enddate >= makeDate32(y, 1, 1)) AS c1
         ON c1.psn_no = g.psn_no AND c1.yr = g.yr
       GROUP BY g.fund, g.dise, g.yr, known, over_age, class1
       ORDER BY g.fund, g.dise, g.yr, known, over_age, class1`,
      {
        years,
        dise: [...filter.diseaseCodes],
        y0: `${years[0]}-01-01 00:00:00`,
        y1: `${years[years.length - 1]! + 1}-01-01 00:00:00`,
        age: filter.ageThreshold,
      },
    );
    return rows.map((r) => historyGroupRow((i) => r[i], int));
  }

  async enrolmentDiseaseClasses(period: {
    from: string;
    to: string;
  }): Promise<{ code: string; diseaseClass: 1 | 2 }[]> {
    checkedPeriod(period, this.location);
    this.assertOpen();
    const rows = await this.conn.nativeRows(
      `SELECT opsp_dise_code, argMin(dise_class, (psn_no, begndate, dise_class)) FROM ${this.t('enrolments')}
       WHERE enddate >= toDate32({from:String}) AND begndate <= toDate32({to:String})
       GROUP BY opsp_dise_code ORDER BY opsp_dise_code`,
      { from: period.from, to: period.to },
    );
    return rows.map((r) => ({ code: r[0] as string, diseaseClass: Number(r[1]) === 1 ? 1 : 2 }));
  }

  async readEnrolments(
    period: { from?: string; to?: string; psnNo?: string } = {},
  ): Promise<SpecialDiseaseEnrolment[]> {
    const parts: string[] = [];
    const params: QueryParams = {};
    if (period.psnNo !== undefined) {
      parts.push('psn_no = {psn:String}');
      params.psn = period.psnNo;
    }
    for (const [k, v] of Object.entries({ from: period.from, to: period.to })) {
      if (v === undefined) continue;
      if (!isIsoDate(v)) {
        throw new StoreError('STORE_BAD_FILTER', this.location, `${k} 应为日期 YYYY-MM-DD`, `${k} must be YYYY-MM-DD`);
      }
      parts.push(k === 'from' ? 'enddate >= toDate32({from:String})' : 'begndate <= toDate32({to:String})');
      params[k] = v;
    }
    this.assertOpen();
    const rows = await this.conn.nativeRows(
      `SELECT psn_no, opsp_dise_code, dise_class, insutype, treat_fixmedins_code, fd_fixmedins_code,
              ${D.dateText('begndate')}, ${D.dateText('enddate')}
       FROM ${this.t('enrolments')} ${whereOf(parts)}
       ORDER BY psn_no, begndate, opsp_dise_code`,
      params,
    );
    // Codes, dates and person numbers interned; each row one literal of one shape (as the DuckDB store; issue 9).
    const intern = stringInterner();
    return rows.map((r) => enrolmentRow((i) => r[i], intern));
  }

  async countCodes(kind: CodeListKind): Promise<number> {
    const r = await this.rows(`SELECT count() FROM ${this.t('codes')} WHERE kind = {k:String}`, { k: kind });
    return int(r[0]![0], 'count');
  }

  async readProcedureTypes(): Promise<Map<string, ProcedureType>> {
    const rows = await this.rows(
      `SELECT code, proc_type FROM ${this.t('codes')} WHERE kind = 'icd9' AND proc_type IS NOT NULL ORDER BY code`,
    );
    return new Map(rows.map((r) => [r[0] as string, r[1] as ProcedureType]));
  }

  async lookupCodes(kind: CodeListKind, codes: readonly string[]): Promise<Map<string, CodeEntry>> {
    const out = new Map<string, CodeEntry>();
    if (codes.length === 0) return out;
    const rows = await this.rows(
      `SELECT code, name, proc_type FROM ${this.t('codes')} WHERE kind = {k:String} AND code IN {codes:Array(String)}
       ORDER BY code`,
      { k: kind, codes: [...codes] },
    );
    for (const r of rows) {
      const e: CodeEntry = { code: r[0] as string, name: r[1] as string };
      if (r[2] !== null) e.procedureType = r[2] as ProcedureType;
      out.set(e.code, e);
    }
    return out;
  }

  // ---- result tables ----

  /** The columns of a table as (name, ClickHouse type), or undefined if it does not exist. */
  async describeTable(table: string): Promise<{ name: string; type: string }[] | undefined> {
    const rows = await this.rows(
      `SELECT name, type FROM system.columns WHERE database = {db:String} AND table = {t:String} ORDER BY position`,
      { db: this.conn.database, t: table },
    );
    return rows.length ? rows.map((r) => ({ name: r[0] as string, type: r[1] as string })) : undefined;
  }

  private createTableSql(name: string, spec: ResultTableSpec): string {
    const cols = spec.columns.map((c) => `\`${c.name}\` ${CH_TYPE[c.type]}`).join(', ');
    return `CREATE TABLE ${this.t(name)} (${cols}) ENGINE = MergeTree ORDER BY tuple()`;
  }

  async openResultWriter(spec: ResultTableSpec, options: { replace?: boolean } = {}): Promise<ResultWriter> {
    this.assertWritable();
    checkSpec(spec, this.location);
    const existing = options.replace ? undefined : await this.describeTable(spec.name);
    if (existing) {
      const want = spec.columns.map((c) => `${c.name} ${CH_TYPE[c.type]}`).join(', ');
      const have = existing.map((c) => `${c.name} ${c.type}`).join(', ');
      if (want !== have) throw mismatch(this.location, spec.name, have);
    }
    let target = spec.name;
    if (this.tx) {
      // Staged: the rows become visible at commit (copied into an existing table, or renamed into place).
      const staging = `_tx_${spec.name}_${randomBytes(4).toString('hex')}`;
      await this.conn.command(this.createTableSql(staging, spec));
      this.tx.undo.push(() => this.conn.command(`DROP TABLE IF EXISTS ${this.t(staging)}`));
      this.tx.commit.push(async () => {
        if (existing) {
          await this.conn.command(`INSERT INTO ${this.t(spec.name)} SELECT * FROM ${this.t(staging)}`);
          await this.conn.command(`DROP TABLE ${this.t(staging)}`);
        } else {
          await this.conn.command(`DROP TABLE IF EXISTS ${this.t(spec.name)}`);
          await this.conn.command(`RENAME TABLE ${this.t(staging)} TO ${this.t(spec.name)}`);
        }
      });
      target = staging;
    } else if (!existing) {
      if (options.replace) await this.conn.command(`DROP TABLE IF EXISTS ${this.t(spec.name)}`);
      await this.conn.command(this.createTableSql(spec.name, spec));
    }
    const conn = this.conn;
    const columns = resultEncoders(spec);
    let count = 0;
    let closed = false;
    return {
      async append(rows: readonly ResultRow[]) {
        if (closed) throw new Error(`result writer of ${spec.name} is closed`);
        await conn.insertRowBinary(target, columns, encodeRows(spec.name, columns, rows));
        count += rows.length;
      },
      async close() {
        closed = true;
        return count;
      },
    };
  }

  async appendParquet(table: string, parquetFile: string): Promise<number> {
    this.assertWritable();
    const cols = SAFE_NAME.test(table) && !CORE_TABLES.has(table) ? await this.describeTable(table) : undefined;
    if (!cols)
      throw new StoreError('STORE_BAD_TABLE', this.location, `没有结果表 ${table}`, `no result table ${table}`);
    const before = await this.rows(`SELECT count() FROM ${this.t(table)}`);
    await this.conn.insertParquet(
      table,
      parquetFile,
      cols.map((c) => c.name),
    );
    const after = await this.rows(`SELECT count() FROM ${this.t(table)}`);
    return int(after[0]![0], 'count') - int(before[0]![0], 'count');
  }

  iterateResults(
    table: string,
    options: { orderBy?: readonly string[]; batchSize?: number } = {},
  ): AsyncIterable<ResultRow[]> {
    const self = this;
    return (async function* () {
      const cols = SAFE_NAME.test(table) && !CORE_TABLES.has(table) ? await self.describeTable(table) : undefined;
      if (!cols)
        throw new StoreError('STORE_BAD_TABLE', self.location, `没有结果表 ${table}`, `no result table ${table}`);
      const types = cols.map((c) => {
        const t = resultTypeOf(c.type);
        if (!t)
          throw new StoreError('STORE_BAD_TABLE', self.location, `没有结果表 ${table}`, `no result table ${table}`);
        return t;
      });
      const names = new Set(cols.map((c) => c.name));
      for (const o of options.orderBy ?? []) {
        if (!names.has(o)) throw new StoreError('STORE_BAD_TABLE', self.location, `没有列 ${o}`, `no column ${o}`);
      }
      // Ties are broken by every column, so the order is the same on every read (ClickHouse has no rowid).
      const order = D.orderBy(
        (options.orderBy ?? []).map((o) => `\`${o}\``),
        cols.map((c) => `\`${c.name}\``),
      );
      const batchSize = options.batchSize ?? DEFAULT_BATCH;
      const sql = `SELECT ${cols.map((c, k) => readExpr(c.name, types[k] as ResultColumnType)).join(', ')}
        FROM ${self.t(table)} ORDER BY ${order}`;
      let batch: ResultRow[] = [];
      for await (const r of self.conn.stream(sql)) {
        const row: Record<string, ResultRow[string]> = {};
        cols.forEach((c, k) => {
          row[c.name] = readValue(r[k], types[k]!, `${table}.${c.name}`);
        });
        batch.push(row);
        if (batch.length >= batchSize) {
          yield batch;
          batch = [];
        }
      }
      if (batch.length > 0) yield batch;
    })();
  }

  // ---- runs ----

  async recordRun(run: RunRecord): Promise<void> {
    this.assertWritable();
    await this.conn.insert('runs', [
      {
        run_id: run.id,
        command: run.command,
        inputs: JSON.stringify(run.inputs),
        policy: run.policy ? JSON.stringify(run.policy) : null,
        counts: JSON.stringify(run.counts),
        started_at: stampText(run.startedAt),
        finished_at: stampText(run.finishedAt),
        duration_ms: String(Math.round(run.durationMs)),
        status: run.status,
        message: run.message ?? null,
      },
    ]);
    this.tx?.undo.push(() =>
      this.conn.command(`DELETE FROM ${this.t('runs')} WHERE run_id = {id:String}`, { id: run.id }),
    );
  }

  async listRuns(options: { limit?: number; command?: string } = {}): Promise<RunRecord[]> {
    const limit = Math.max(1, Math.min(options.limit ?? 50, 100_000));
    const iso = (c: string) => `concat(replaceOne(toString(${c}), ' ', 'T'), 'Z')`;
    const rows = await this.rows(
      `SELECT run_id, command, inputs, policy, counts, ${iso('started_at')}, ${iso('finished_at')},
              duration_ms, status, message
       FROM ${this.t('runs')} ${options.command ? 'WHERE command = {cmd:String}' : ''}
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
        durationMs: int(r[7], 'duration_ms'),
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
    for (const r of rows) {
      int(r.budgetFen, 'budget_fen');
      if (r.actualFen !== null) int(r.actualFen, 'actual_fen');
    }
    const now = stampText(new Date().toISOString());
    for (const r of rows) {
      // ClickHouse keys are not unique: the row of the same key is deleted, then the new one inserted.
      await this.conn.command(
        `DELETE FROM ${this.t('community_budgets')} WHERE region = {region:String} AND year = {year:Int32}
         AND community_id = {community:String} AND fund = {fund:String}`,
        { region: r.region, year: r.year, community: r.communityId, fund: r.fund },
      );
      await this.conn.insert('community_budgets', [
        {
          region: r.region,
          year: r.year,
          community_id: r.communityId,
          fund: r.fund,
          budget_fen: String(r.budgetFen),
          actual_fen: r.actualFen === null ? null : String(r.actualFen),
          saved_by_control: r.savedByControl,
          run_id: r.runId,
          stored_at: now,
        },
      ]);
    }
  }

  async readRejects(kind: string, recordKey: string): Promise<StoredReject[]> {
    const rows = await this.rows(
      `SELECT r.run_id, r.kind, r.source, r.row_no, r.field, r.code, r.message_zh, r.message_en, r.row_unit
       FROM ${this.t('rejects')} AS r LEFT JOIN ${this.t('runs')} AS u ON u.run_id = r.run_id
       WHERE r.kind = {kind:String} AND r.record_key = {key:String} ORDER BY u.started_at, r.run_id, r.row_no, r.field`,
      { kind, key: recordKey },
    );
    return rows.map((r) => storedReject(r, int(r[3], 'row_no')));
  }

  async readYearEndInputs(year: number): Promise<StoredYearEndInputs> {
    const deductions = await this.rows(
      `SELECT fixmedins_code, period, ${D.fen('deduction_amt')}, reason, source FROM ${this.t('year_end_deductions')}
       WHERE period = {y:String} OR startsWith(period, concat({y:String}, '-')) ORDER BY fixmedins_code, period, reason`,
      { y: String(year) },
    );
    const assessments = await this.rows(
      // decimals as DuckDB writes them, with the column's scale ("0.950000"): the text enters the inputs' hash
      `SELECT fixmedins_code, toDecimalString(coefficient, 6), source FROM ${this.t('year_end_assessments')}
       WHERE year = {y:Int32} ORDER BY fixmedins_code`,
      { y: year },
    );
    const { parts, params } = chCaseWhere({ year }, this.location);
    const reviews = await this.rows(
      `SELECT setl_id, decision, payment, if(isNull(points), NULL, toDecimalString(assumeNotNull(points), 6)), source
       FROM ${this.t('year_end_special_reviews')}
       WHERE setl_id IN (SELECT setl_id FROM ${this.t('cases')} WHERE ${parts.join(' AND ')}) ORDER BY setl_id`,
      params,
    );
    return yearEndInputsOf(deductions, assessments, reviews, int);
  }

  async readCommunityBudgets(filter: { region: string; year: number }): Promise<CommunityBudgetRecord[]> {
    const rows = await this.rows(
      `SELECT region, year, community_id, fund, budget_fen, actual_fen, saved_by_control, run_id
       FROM ${this.t('community_budgets')} WHERE region = {region:String} AND year = {year:Int32}
       ORDER BY community_id, fund`,
      { region: filter.region, year: filter.year },
    );
    return rows.map((r) => ({
      region: r[0] as string,
      year: int(r[1], 'year'),
      communityId: r[2] as string,
      fund: r[3] as CommunityBudgetRecord['fund'],
      budgetFen: int(r[4], 'budget_fen'),
      actualFen: r[5] === null ? null : int(r[5], 'actual_fen'),
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
      this.tx!.undo.push(() => deleteChRun(this.conn, record.id));
      const final = (await write(chSettlementRunWriter(this.conn, record.id))) ?? record;
      if (final.id !== record.id) throw new RangeError(`run ${record.id}: the final record names ${final.id}`);
      await insertChRunRecord(this.conn, final); // last: the run is visible only once complete
    });
  }

  listSettlementRuns(filter?: SettlementRunFilter): Promise<SettlementRunRecord[]> {
    return listChSettlementRuns(this.conn, filter);
  }

  runResults(runId: string): RunResultsReader {
    return chRunResultsReader(this.conn, runId);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.conn.close();
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

function int32s(c: NativeColumn): Int32Array {
  if (c.data.kind !== 'int' || !(c.data.values instanceof Int32Array)) throw new TypeError(`${c.name}: not Int32`);
  return c.data.values;
}

function int64s(c: NativeColumn): BigInt64Array {
  if (c.data.kind !== 'int64' || !(c.data.values instanceof BigInt64Array)) throw new TypeError(`${c.name}: not Int64`);
  return c.data.values;
}

/** The dictionary ids of a `joinGetOrNull` column (Nullable(Int32)); a row without one is an error, not id 0. */
function dictionaryIds(c: NativeColumn): Int32Array {
  const d = c.data;
  if (d.kind !== 'nullable' || d.inner.kind !== 'int' || !(d.inner.values instanceof Int32Array))
    throw new TypeError(`${c.name}: not Nullable(Int32)`);
  if (d.nulls.includes(1)) throw new Error('case columns: a case outside its dictionary (the cases changed)');
  return d.inner.values;
}

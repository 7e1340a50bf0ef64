/**
 * The store contract (存储接口): what the pipeline and the engines may ask of a region's data store.
 * DuckDB (`store/duckdb`) is the embedded default; a ClickHouse back-end implements the same interface for
 * scale-out, and `contract.ts` is the one test suite every back-end passes.
 *
 * Readers stream batches (never a whole year as JS objects); writers take batches or a Parquet file.
 * Money crosses this boundary as integer fen only.
 */
import type { FeeItem, InpatientCase, InsuranceType } from '../model/case.ts';
import type { CaseColumnOptions, CaseColumns } from '../model/case-columns.ts';
import type { HistoryKeyQuery, HistoryKeys, HistoryTails, HistoryTrimPlan } from '../model/history-keys.ts';
import type { Institution, InsuredPerson, SpecialDiseaseEnrolment } from '../model/institution.ts';
import type { Fen } from '../model/money.ts';
import type { OutpatientSettlement } from '../model/outpatient.ts';
import { isIsoDate } from '../policy/dates.ts';
import { StoreError } from './errors.ts';
import type {
  RunResultsReader,
  SettlementRunFilter,
  SettlementRunRecord,
  SettlementRunWriter,
} from './settlement-runs.ts';

/**
 * Which inpatient cases to read. Dates are ISO (YYYY-MM-DD), inclusive, and apply to the discharge date
 * (出院日期): a case belongs to the settlement period in which the patient was discharged.
 */
export interface CaseFilter {
  /** Calendar year of discharge, e.g. 2025. */
  year?: number;
  /** First discharge date (inclusive). */
  from?: string;
  /** Last discharge date (inclusive). */
  to?: string;
  /** Only this institution (fixmedins_code). */
  institution?: string;
}

/**
 * Which outpatient special-disease settlements to read. Dates are ISO, inclusive, and apply to the settlement
 * date (setl_time): a visit belongs to the period in which it was settled.
 */
export interface OutpatientFilter {
  /** Calendar year of settlement. */
  year?: number;
  from?: string;
  to?: string;
  /** Only this institution (fixmedins_code). */
  institution?: string;
  /** Only this person's settlements (psn_no): `explain` of one capitation head. */
  psnNo?: string;
}

/**
 * Which persons to read: those with an enrolment (待遇记录) in force at some time in `enrolled`, and/or with an
 * outpatient special-disease settlement in `visited` (a person matching either is read once). Periods are ISO
 * dates, inclusive.
 */
export interface PersonFilter {
  enrolled?: { from: string; to: string };
  visited?: { from: string; to: string };
  /** Only this person (and the above, when given). */
  psnNo?: string;
}

/**
 * The base years' outpatient special-disease settlements summed per person × fund × disease × year (one history
 * head each) and those heads grouped by what calibration reads (issue 9: a province's history heads never leave
 * the store): fund × disease × year × whether the person is in `persons` × age at or above the threshold on the
 * year's day × whether the person held a class-1 special disease (an enrolment row with `dise_class` 1) during the
 * year. Money in exact fen.
 */
export interface OutpatientHistoryGroup {
  insuranceType: InsuranceType;
  diseaseCode: string;
  year: number;
  /** False: the heads' persons are not in `persons` (they cannot be aged; `overAge` and `hasClass1` are false). */
  personKnown: boolean;
  /** Age ≥ `ageThreshold` on 1 January (`year-start`) or 31 December (`year-end`) of the year. */
  overAge: boolean;
  hasClass1: boolean;
  /** Person-years (heads). */
  heads: number;
  visits: number;
  /** Σ hifp_pay 统筹基金支出. */
  fundPay: Fen;
  /** Σ outp_adj_fee 门诊调增费用. */
  outpatientAdjustment: Fen;
}

/** What `outpatientHistoryGroups` groups: the base years, the diseases, and the policy's risk age. */
export interface OutpatientHistoryFilter {
  years: readonly number[];
  diseaseCodes: readonly string[];
  ageThreshold: number;
  ageOn: 'year-start' | 'year-end';
}

/**
 * A period of a person to match settlements against (a capitation head segment: one person, disease and treating
 * institution from `from` to `to`, ISO dates inclusive, compared as text with the settlement day).
 */
export interface VisitSegment {
  id: string;
  psnNo: string;
  diseaseCode: string;
  institution: string;
  from: string;
  to: string;
}

/** A period of a person in which any settlement counts (a family-doctor contract); `id` is the caller's index. */
export interface VisitPeriod {
  id: number;
  psnNo: string;
  from: string;
  to: string;
}

/**
 * Outpatient settlements matched to segments in the store (set-based, `Store.matchOutpatientToSegments`): a
 * settlement whose disease is not excluded fits the segments of its person and disease whose period holds its day;
 * it is attributed when exactly one of them is at its institution. Attributed settlements come back summed per
 * segment; the others as rows with how many segments fit (`candidates`), how many at its institution (`atInstitution`)
 * and the institution of the first fitting segment (in the order given).
 */
export interface SegmentVisitSums {
  /** Settlements the filter selects. */
  visits: number;
  /** Of which with an excluded disease (not matched). */
  excludedVisits: number;
  /**
   * In the order of the segments given; `segment` is the position there (a segment is its position in the store's SQL:
   * no text grouped).
   */
  bySegment: {
    id: string;
    segment: number;
    visits: number;
    totalCost: Fen;
    fundPay: Fen;
    outpatientAdjustment: Fen;
  }[];
  /** Ordered by setl_id. */
  unmatched: UnmatchedVisit[];
  /** Ids of the periods with at least one settlement (any disease) on a day inside them, ascending. */
  periodsWithVisit: number[];
}

/**
 * A settlement that fits no segment (`matchOutpatientToSegments`), with what the capitation year end lists of it
 * (not the whole row: a province's year has millions of them), its candidate segments of the person and disease that
 * day, how many of those are at its institution, and the institution of the first (in the order given).
 */
export interface UnmatchedVisit {
  setlId: string;
  psnNo: string;
  institutionCode: string;
  diseaseCode: string;
  /** The day of settlement, YYYY-MM-DD. */
  day: string;
  /** medfee_sumamt, hifp_pay, outp_adj_fee (0 when absent), exact fen. */
  totalCost: Fen;
  fundPay: Fen;
  outpatientAdjustment: Fen;
  candidates: number;
  atInstitution: number;
  firstInstitution: string | null;
  /** The position (in the order given) of the first fitting segment, null when none fits. */
  firstSegment: number | null;
}

/** Money summed by insurance type (险种), exact fen; a type without rows is 0. */
export type FenByInsurance = Record<InsuranceType, Fen>;

/** Code lists (编码库) held in the store. */
export type CodeListKind = 'icd10' | 'icd9';

/** Procedure type of an ICD-9-CM-3 code (手术操作类别), where the list says it. */
export type ProcedureType = 'surgery' | 'interventional' | 'therapeutic' | 'diagnostic';

export interface CodeEntry {
  code: string;
  name: string;
  procedureType?: ProcedureType;
}

/** One input of a run, identified by content (SHA-256), so a rerun on the same bytes is recognisable. */
export interface RunInput {
  path: string;
  sha256: string;
  bytes: number;
  /** What the file holds, e.g. "cases", "icd10", "policy". */
  role?: string;
}

/** ok = clean; data-problems = finished but found problems (rejected rows); failed = changed nothing. */
export type RunStatus = 'ok' | 'data-problems' | 'failed';

/** A recorded run (运行记录): every command that reads or writes a region's data leaves one. */
export interface RunRecord {
  id: string;
  /** e.g. "ingest cases", "codes import icd10". */
  command: string;
  inputs: RunInput[];
  /** The policy the run applied (id and version of the policy file), if any. */
  policy?: { id: string; version: string; file?: string };
  /** Named counts, e.g. { read, accepted, rejected, alreadyPresent }. */
  counts: Record<string, number>;
  /** ISO date-times (UTC). */
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  status: RunStatus;
  /** A short note, e.g. the error of a failed run. */
  message?: string;
}

/** Column types of a result table that an engine writes. */
export type ResultColumnType =
  | 'text'
  | 'int' // 32-bit integer
  | 'bigint' // 64-bit integer (JS number or bigint)
  | 'money' // integer fen in JS, DECIMAL(18,2) yuan in the store
  | 'decimal' // exact decimal text in JS, e.g. "12.3456" (DECIMAL(38,10) in the store)
  | 'double' // statistics only, never money
  | 'bool'
  | 'date' // ISO date text
  | 'datetime' // ISO date-time text
  | 'text-list'; // string[]

export interface ResultColumn {
  name: string;
  type: ResultColumnType;
}

/** A result table: name (lower-case identifier) and columns. */
export interface ResultTableSpec {
  name: string;
  columns: readonly ResultColumn[];
}

export type ResultValue = string | number | bigint | boolean | null | readonly string[];
export type ResultRow = Readonly<Record<string, ResultValue>>;

/** Bulk writer of one result table (appender). Rows are buffered and flushed in the store's current transaction. */
export interface ResultWriter {
  append(rows: readonly ResultRow[]): Promise<void>;
  /** Flush and release; returns the number of rows written. */
  close(): Promise<number>;
}

/**
 * A medical community's budget of one year and insurance fund as its year was reconciled (R-BUD-4), kept so that
 * the next year's budget can apply the floor after saving. Money in fen.
 */
export interface CommunityBudgetRecord {
  region: string;
  year: number;
  communityId: string;
  fund: 'employee' | 'resident';
  budgetFen: Fen;
  /** What was counted against the budget at year end; null when the community was not reconciled that year. */
  actualFen: Fen | null;
  /** The saving was judged reasonable control (see src/community/budget.ts `savedByControl`). */
  savedByControl: boolean;
  /** The settlement run the year was reconciled from. */
  runId: string;
}

/**
 * The year-end inputs of a settlement year as stored by the ingest (年度清算输入, src/ingest/kinds/year-end.ts):
 * values as the rows hold them — money in fen, exact decimals as their text, decision and payment words as written
 * (通过/approved …); the run layer gives them meaning.
 */
export interface StoredYearEndInputs {
  /** 审核扣款 whose period is the year or one of its months, ordered by institution, period, reason. */
  deductions: { institutionCode: string; period: string; amount: Fen; reason: string; source: string }[];
  /** 考核结果 of the year, ordered by institution. */
  assessments: { institutionCode: string; coefficient: string; source: string }[];
  /** 特例单议结果 of the year's cases (discharged in the year), ordered by setl_id. */
  specialReviews: { setlId: string; decision: string; payment: string | null; points: string | null; source: string }[];
}

export interface Store {
  /** Where the store lives (a file path, ":memory:", or a URL for a server back-end). */
  readonly location: string;
  readonly readOnly: boolean;

  /** The schema version of the opened store. */
  schemaVersion(): Promise<number>;

  /**
   * Run `fn` all-or-nothing: if it throws, everything it wrote is rolled back and the error re-thrown.
   * A call inside a running transaction joins it (no nesting, no savepoints).
   */
  transaction<T>(fn: (store: Store) => Promise<T>): Promise<T>;

  // ---- readers: streaming, ordered by key, so reruns see the same order ----

  /** Inpatient cases in batches of at most `batchSize`, ordered by setl_id; amounts in exact fen. */
  iterateCases(filter?: CaseFilter, batchSize?: number): AsyncIterable<InpatientCase[]>;
  countCases(filter?: CaseFilter): Promise<number>;
  /**
   * The same cases as typed columns with interned codes (case-columns.ts), in the same order, batch by batch: what
   * calibration from history reads, without a case object per row.
   */
  iterateCaseColumns(filter?: CaseFilter, options?: CaseColumnOptions): AsyncIterable<CaseColumns>;
  /** The cases with these settlement ids (e.g. the one case an explanation asks for), ordered by setl_id. */
  readCases(setlIds: readonly string[]): Promise<InpatientCase[]>;
  /**
   * The DIP history pass as SQL (issue 9, model/history-keys.ts): the cases of the history years grouped by year ×
   * institution × diagnosis list × procedure list × auxiliary bits × excluded, with counts and exact sums; `plan`,
   * called once with the keys, says which groups are trimmed and by how many cases at each end, and those cases
   * come back (ranked by cost, the year's position in `q.years`, setl_id). DuckDB and ClickHouse have it (the same
   * keys, dictionaries in the sort order of their values, and trimmed cases: the store contract); a back-end without
   * it is read through `iterateCaseColumns` instead, to the same history.
   */
  historyKeys?(
    q: HistoryKeyQuery,
    plan: (keys: HistoryKeys) => HistoryTrimPlan | null,
  ): Promise<{ keys: HistoryKeys; tails: HistoryTails }>;
  /**
   * setl_ids of the cases of `filter` whose principal diagnosis starts with one of `prefixes`, ascending (with
   * `historyKeys`: the stays a calibrated per-bed-day rate or single-disease standard reads whole).
   */
  caseIdsByPrincipal?(filter: CaseFilter, prefixes: readonly string[]): Promise<string[]>;
  /** Sum of medfee_sumamt over the filter, exact fen (for control totals). */
  sumCaseCost(filter?: CaseFilter): Promise<Fen>;

  /** Fee line items of the cases matching `filter`, ordered by setl_id and line number. */
  iterateFeeItems(filter?: CaseFilter, batchSize?: number): AsyncIterable<FeeItem[]>;
  /** Fee line items of the given settlements (e.g. one batch of cases), ordered by setl_id and line number. */
  readFeeItems(setlIds: readonly string[]): Promise<FeeItem[]>;

  /** Σ hifp_pay 统筹基金支出 of the cases by insurance type, exact fen (a set-based aggregate, no rows read). */
  sumCaseFundPay(filter?: CaseFilter): Promise<FenByInsurance>;

  /** Outpatient special-disease settlements (门特结算记录) in batches, ordered by setl_id; amounts in exact fen. */
  iterateOutpatient(filter?: OutpatientFilter, batchSize?: number): AsyncIterable<OutpatientSettlement[]>;
  countOutpatient(filter?: OutpatientFilter): Promise<number>;
  /** Σ hifp_pay + outp_adj_fee (统筹支付 + 门诊调增费用) of outpatient settlements by insurance type, exact fen. */
  sumOutpatientFundPay(filter?: OutpatientFilter): Promise<FenByInsurance>;

  /**
   * The base years' history heads grouped (`OutpatientHistoryGroup`), ordered by insurance type, disease, year,
   * personKnown, overAge, hasClass1 (false before true).
   */
  outpatientHistoryGroups(filter: OutpatientHistoryFilter): Promise<OutpatientHistoryGroup[]>;

  /** Settlements matched to segments and periods set-based, no visit row read unless it fits no segment. */
  matchOutpatientToSegments(
    filter: OutpatientFilter,
    o: { segments: readonly VisitSegment[]; excludeDiseases: readonly string[]; periods: readonly VisitPeriod[] },
  ): Promise<SegmentVisitSums>;

  readInstitutions(): Promise<Institution[]>;
  /** Persons ordered by psn_no; all of them, or those the filter selects. */
  iteratePersons(batchSize?: number, filter?: PersonFilter): AsyncIterable<InsuredPerson[]>;
  countPersons(filter?: PersonFilter): Promise<number>;
  /** Enrolments in force at some time in [from, to] (both optional, ISO dates, inclusive); only `psnNo`'s when given. */
  readEnrolments(period?: { from?: string; to?: string; psnNo?: string }): Promise<SpecialDiseaseEnrolment[]>;
  /**
   * The special-disease class (1 or 2) of each disease code of the enrolments in force in [from, to], as the rows
   * class it: the class of its first row by person number and start date (`readEnrolments`' order); by code.
   */
  enrolmentDiseaseClasses(period: { from: string; to: string }): Promise<{ code: string; diseaseClass: 1 | 2 }[]>;

  countCodes(kind: CodeListKind): Promise<number>;
  /** Every ICD-9-CM-3 code of the stored list whose procedure type the list says (手术操作类别). */
  readProcedureTypes(): Promise<Map<string, ProcedureType>>;
  /** Look up codes of a list (missing codes are absent from the map). */
  lookupCodes(kind: CodeListKind, codes: readonly string[]): Promise<Map<string, CodeEntry>>;

  /** The year-end inputs of a settlement year (none stored: empty lists). */
  readYearEndInputs(year: number): Promise<StoredYearEndInputs>;

  /**
   * The rows ingest rejected whose key is `recordKey` (a case's setl_id, an institution's code …) in files of
   * `kind`, oldest run first: where (file, row, field) and why (code, message in zh and en).
   */
  readRejects(kind: string, recordKey: string): Promise<StoredReject[]>;

  // ---- writers for engines' results ----

  /**
   * A bulk writer into a result table, created if missing. `replace` drops an existing table first;
   * otherwise an existing table must have exactly these columns.
   */
  openResultWriter(spec: ResultTableSpec, options?: { replace?: boolean }): Promise<ResultWriter>;
  /** Append a Parquet file whose columns match a result table created by `openResultWriter` (same names). */
  appendParquet(table: string, parquetFile: string): Promise<number>;
  /** Stream rows of a result table (values as written: money as fen, decimals as text). */
  iterateResults(
    table: string,
    options?: { orderBy?: readonly string[]; batchSize?: number },
  ): AsyncIterable<ResultRow[]>;

  // ---- runs ----

  recordRun(run: RunRecord): Promise<void>;
  /** Most recent first. */
  listRuns(options?: { limit?: number; command?: string }): Promise<RunRecord[]>;

  // ---- medical communities ----

  /** Store communities' budgets of a year; a row of the same region, year, community and fund is replaced. */
  saveCommunityBudgets(rows: readonly CommunityBudgetRecord[]): Promise<void>;
  /** The stored budgets of a region-year, ordered by community and fund (none: empty). */
  readCommunityBudgets(filter: { region: string; year: number }): Promise<CommunityBudgetRecord[]>;

  // ---- settlement runs and their results (settlement-runs.ts) ----

  /**
   * Store a settlement run all-or-nothing: whatever `write` puts through the writer (policy snapshots, derived
   * values, units in batches — call `w.units` as often as needed, e.g. per batch while the year is evaluated —,
   * institution, pool and group results), then the record, last, so the run is visible only when complete. `write`
   * may return the final record (same id: counts and finishing time known only at the end) to store instead.
   */
  saveSettlementRun(
    record: SettlementRunRecord,
    // biome-ignore lint/suspicious/noConfusingVoidType: a writer that returns nothing keeps the record it was given
    write: (w: SettlementRunWriter) => Promise<void | SettlementRunRecord>,
  ): Promise<void>;
  /** Settlement runs, most recent first. */
  listSettlementRuns(filter?: SettlementRunFilter): Promise<SettlementRunRecord[]>;
  /** A reader of one stored run (errors when used if the run does not exist). */
  runResults(runId: string): RunResultsReader;

  close(): Promise<void>;
}

/**
 * What a reject's row number counts. 'row': the number a user sees for the record in their editor or spreadsheet —
 * the line of a CSV file on which the record starts, the row of the worksheet (XLSX) — so the header is row 1 and
 * the first record under it usually row 2. 'record': the 1-based number of the record in a file without a header
 * line (Parquet; 4101 JSON: the element or JSON line). Said to users as 第 N 行 / row N and 第 N 条记录 / record N.
 */
export type RowUnit = 'row' | 'record';

/** A row ingest rejected, as the store keeps it (table `rejects`). */
export interface StoredReject {
  runId: string;
  kind: string;
  /** The file ingested. */
  source: string;
  /**
   * Where the record is in `source`, counted as `unit` says: for CSV and XLSX the editor's line / the sheet's row
   * (1 = the header), for Parquet and JSON the record number (1 = the first record).
   */
  row: number;
  /** What `row` counts (rejects stored before the unit was kept counted records: 'record'). */
  unit: RowUnit;
  field: string | null;
  code: string;
  zh: string;
  en: string;
}

/**
 * A reject from the columns both stores select for it (`run_id, kind, source, row_no, field, code, message_zh,
 * message_en, row_unit`); `row` is the store's row number already made a safe integer.
 */
export function storedReject(r: readonly unknown[], row: number): StoredReject {
  return {
    runId: r[0] as string,
    kind: r[1] as string,
    source: r[2] as string,
    row,
    unit: r[8] === 'row' ? 'row' : 'record',
    field: (r[4] as string | null) ?? null,
    code: r[5] as string,
    zh: r[6] as string,
    en: r[7] as string,
  };
}

/** The base years of `outpatientHistoryGroups`, sorted and distinct; a year that is not one is a filter error. */
export function checkedHistoryYears(filter: OutpatientHistoryFilter, location: string): number[] {
  for (const y of filter.years) {
    if (!Number.isInteger(y) || y < 1900 || y > 9998)
      throw new StoreError('STORE_BAD_FILTER', location, `年份不合规: ${y}`, `bad year: ${y}`);
  }
  if (!Number.isInteger(filter.ageThreshold) || filter.ageThreshold < 0)
    throw new StoreError(
      'STORE_BAD_FILTER',
      location,
      `风险年龄不合规: ${filter.ageThreshold}`,
      `bad risk age: ${filter.ageThreshold}`,
    );
  return [...new Set(filter.years)].sort((a, b) => a - b);
}

/** A period of ISO dates for a store query; a day that is not one is a filter error naming the field. */
export function checkedPeriod(period: { from: string; to: string }, location: string): { from: string; to: string } {
  for (const [k, v] of Object.entries(period)) {
    if (!isIsoDate(v))
      throw new StoreError('STORE_BAD_FILTER', location, `${k} 应为日期 YYYY-MM-DD`, `${k} must be YYYY-MM-DD`);
  }
  return period;
}

/**
 * One monitoring back-end per store (issue 17): what the whole-year run, the review queue and the single-case check
 * ask of the store, implemented over the embedded DuckDB store (`duckdb-*.ts`, temp tables of the connection) and over
 * ClickHouse (`clickhouse-*.ts`, work tables of the run). The rules, indicators, detectors and scores above it are
 * the same code for both; `test/clickhouse-monitor.test.ts` proves the flags equal on the demo region.
 */
import type { InpatientCase } from '../../model/case.ts';
import { ClickHouseStore } from '../../store/clickhouse/clickhouse-store.ts';
import type { DuckDbStore } from '../../store/duckdb/duckdb-store.ts';
import type { RunRecord, Store } from '../../store/store.ts';
import type { InstitutionScore, Review } from '../assessment.ts';
import type { Baselines, CaseContext, InstitutionFacts, OtherStay } from '../context.ts';
import type { IndicatorRow, InstitutionYear } from '../indicators.ts';
import type { Knowledge } from '../knowledge.ts';
import type { RuleBase } from '../rule-base.ts';
import type { Flag } from '../types.ts';
import {
  chDeleteMonitorRun,
  chLatestMonitorRun,
  chReadFlags,
  chReadReviews,
  chSaveReview,
  chWriteMonitorRun,
} from './clickhouse-results.ts';
import { ChMonitorWork, chPrepareYear, chYearCaseFlags } from './clickhouse-sql.ts';
import {
  chComputeBaselines,
  chReadInstitutionFacts,
  chReadInstitutionYears,
  chReadOtherStays,
} from './clickhouse-year.ts';
import { caseContexts, computeBaselines, readInstitutionFacts, readOtherStays } from './duckdb-context.ts';
import { readInstitutionYears } from './duckdb-indicators.ts';
import { latestMonitorRun, readFlags, readReviews, saveReview, writeResults } from './duckdb-results.ts';
import { lit, prepareYear, yearCaseFlags } from './duckdb-sql.ts';

/** The row of `monitor_runs` (written last) and the run record of a monitoring run. */
export interface MonitorRunRow {
  monitorRunId: string;
  settlementRunId: string | null;
  region: string;
  year: number;
  policyId: string;
  policyVersion: string;
  cases: number;
  startedAt: string;
  durationMs: number;
}

export interface MonitorBackend {
  readonly store: Store;
  /** Baselines of the years before `year` (loads what the rules need first). */
  baselines(base: RuleBase, year: number): Promise<Baselines>;
  /** The year's cases and lines, knowledge and baselines, ready for `caseFlags`. */
  prepareYear(year: number, k: Knowledge, b: Baselines, filter?: { institution?: string }): Promise<void>;
  caseFlags(base: RuleBase): Promise<Flag[]>;
  institutionYears(
    base: RuleBase,
    year: number,
    settlementRunId?: string,
  ): Promise<{ current: InstitutionYear[]; previous: InstitutionYear[] }>;
  reviews(): Promise<Map<string, Review>>;
  saveReview(r: Review): Promise<void>;
  /** Flags, indicators, scores, then the run row and the run record: all or nothing. */
  writeRun(
    row: MonitorRunRow,
    flags: readonly Flag[],
    indicators: readonly IndicatorRow[],
    scores: readonly InstitutionScore[],
    record: () => RunRecord,
  ): Promise<void>;
  latestRun(year?: number): Promise<string | undefined>;
  /** The year of a stored monitoring run. */
  runYear(monitorRunId: string): Promise<number | undefined>;
  flags(monitorRunId: string, flagId?: string): Promise<Flag[]>;
  /** Assessment coefficients ("num/den") of a monitoring run by institution, in institution order. */
  coefficients(monitorRunId: string): Promise<[string, string][]>;
  institutionFacts(): Promise<Map<string, InstitutionFacts>>;
  otherStays(cases: readonly InpatientCase[]): Promise<Map<string, OtherStay[]>>;
  /** The context of each case of a batch (the single-case mode's view of the store). */
  caseContexts(
    cases: readonly InpatientCase[],
    baselines: Baselines,
    facts: ReadonlyMap<string, InstitutionFacts>,
  ): Promise<Map<string, CaseContext>>;
  /** Discharge year and day (YYYY-MM-DD) of a stored case. */
  caseDay(setlId: string): Promise<{ year: number; day: string } | undefined>;
  /** Drop what the run prepared (ClickHouse work tables; DuckDB's temp tables go with the connection). */
  dispose(): Promise<void>;
}

/** The monitoring back-end of a store: DuckDB or ClickHouse. */
export function monitorBackend(store: DuckDbStore | ClickHouseStore, knowledge?: Knowledge): MonitorBackend {
  return store instanceof ClickHouseStore ? chBackend(store, knowledge) : duckBackend(store);
}

function duckBackend(store: DuckDbStore): MonitorBackend {
  const conn = store.connection;
  return {
    store,
    baselines: (base, year) => computeBaselines(conn, base, year),
    prepareYear: (year, k, b, filter) => prepareYear(conn, year, k, b, filter),
    caseFlags: (base) => yearCaseFlags(conn, base),
    institutionYears: (base, year, id) => readInstitutionYears(conn, base, year, id),
    reviews: () => readReviews(conn),
    saveReview: (r) => saveReview(conn, r),
    writeRun: (row, flags, indicators, scores, record) =>
      store.transaction(async () => {
        await writeResults(conn, row.monitorRunId, row.settlementRunId, flags, indicators, scores);
        await conn.run(`INSERT INTO monitor_runs VALUES (${lit(row.monitorRunId)},
          ${row.settlementRunId ? lit(row.settlementRunId) : 'NULL'}, ${lit(row.region)}, ${row.year},
          ${lit(row.policyId)}, ${lit(row.policyVersion)}, ${row.cases}, ${flags.length},
          CAST(${lit(row.startedAt.slice(0, 19))} AS TIMESTAMP), ${row.durationMs})`);
        await store.recordRun(record());
      }),
    latestRun: (year) => latestMonitorRun(conn, year),
    runYear: async (id) => {
      const r = await conn.runAndReadAll('SELECT year FROM monitor_runs WHERE monitor_run_id = $id', { id });
      const v = r.getRows()[0]?.[0];
      return v === undefined ? undefined : Number(v);
    },
    flags: (id, flagId) => readFlags(conn, id, flagId),
    coefficients: async (id) => {
      const r = await conn.runAndReadAll(
        'SELECT fixmedins_code, coefficient FROM monitor_scores WHERE monitor_run_id = $id ORDER BY fixmedins_code',
        { id },
      );
      return r.getRows().map((x) => [String(x[0]), String(x[1])]);
    },
    institutionFacts: () => readInstitutionFacts(conn),
    otherStays: (cases) => readOtherStays(conn, cases),
    caseContexts: (cases, baselines, facts) => caseContexts(conn, cases, baselines, facts),
    caseDay: async (setlId) => {
      const r = await conn.runAndReadAll(
        "SELECT CAST(year(dscg_time) AS INTEGER), strftime(dscg_time, '%Y-%m-%d') FROM cases WHERE setl_id = $id",
        { id: setlId },
      );
      const row = r.getRows()[0];
      return row ? { year: Number(row[0]), day: String(row[1]) } : undefined;
    },
    dispose: async () => undefined,
  };
}

function chBackend(store: ClickHouseStore, knowledge: Knowledge | undefined): MonitorBackend {
  const empty: Knowledge = { itemLimits: new Map(), codePairs: [], itemCatalog: new Map(), diagnosisLists: new Map() };
  let w = new ChMonitorWork(store, knowledge ?? empty);
  // one work-table id for the run; the diagnosis lists come from the rule base's knowledge
  const work = (k: Knowledge) => {
    if (w.knowledge !== k) w = new ChMonitorWork(store, k, w.id);
    return w;
  };
  const table = (n: string) => store.conn.table(n);
  return {
    store,
    baselines: (base, year) => chComputeBaselines(work(base.knowledge), base, year),
    prepareYear: (year, k, b, filter) => chPrepareYear(work(k), year, k, b, filter),
    caseFlags: (base) => chYearCaseFlags(work(base.knowledge), base),
    institutionYears: (base, year, id) => chReadInstitutionYears(work(base.knowledge), base, year, id),
    reviews: () => chReadReviews(store),
    saveReview: (r) => chSaveReview(store, r),
    writeRun: async (row, flags, indicators, scores, record) => {
      await chWriteMonitorRun(store, row, flags, indicators, scores);
      try {
        await store.recordRun(record());
      } catch (e) {
        await chDeleteMonitorRun(store, row.monitorRunId).catch(() => undefined);
        throw e;
      }
    },
    latestRun: (year) => chLatestMonitorRun(store, year),
    runYear: async (id) => {
      const r = await store.conn.rows(`SELECT year FROM ${table('monitor_runs')} WHERE monitor_run_id = {id:String}`, {
        id,
      });
      const v = r[0]?.[0];
      return v === undefined ? undefined : Number(v);
    },
    flags: (id, flagId) => chReadFlags(store, id, flagId),
    coefficients: async (id) => {
      const r = await store.conn.rows(
        `SELECT fixmedins_code, coefficient FROM ${table('monitor_scores')} WHERE monitor_run_id = {id:String}
         ORDER BY fixmedins_code`,
        { id },
      );
      return r.map((x) => [String(x[0]), String(x[1])]);
    },
    institutionFacts: () => chReadInstitutionFacts(w),
    otherStays: (cases) => chReadOtherStays(w, cases),
    caseContexts: async (cases, baselines, facts) => {
      const stays = await chReadOtherStays(w, cases);
      const out = new Map<string, CaseContext>();
      for (const c of cases) {
        const institution = facts.get(c.institutionCode);
        if (!institution) throw new RangeError(`institution ${c.institutionCode} of ${c.setlId} is not registered`);
        out.set(c.setlId, { otherStays: stays.get(c.psnNo) ?? [], institution, baselines });
      }
      return out;
    },
    caseDay: async (setlId) => {
      const r = await store.conn.rows(
        `SELECT toYear(dscg_time), formatDateTime(dscg_time, '%Y-%m-%d') FROM ${table('cases')}
         WHERE setl_id = {id:String}`,
        { id: setlId },
      );
      const row = r[0];
      return row ? { year: Number(row[0]), day: String(row[1]) } : undefined;
    },
    dispose: () => w.dropWork(),
  };
}

/**
 * The whole-year monitoring run over the store and its results (R-MON-3/4): flags, indicators and scores in the
 * monitor's own tables (created by the store’s migration 8), keyed by the monitoring run id, each row also carrying
 * `run_id` — the settlement run the monitoring belongs to (empty until a settlement run is named) — and reviews
 * keyed by flag id, which is stable across runs so that a decision carries over to the next run on the same data.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { DuckDbStore } from '../../store/duckdb/duckdb-store.ts';
import { fenLiteral } from '../../store/duckdb/sql.ts';
import { newRunId } from '../../store/runs.ts';
import { type InstitutionScore, type Review, scoreInstitutions } from '../assessment.ts';
import { compareWithPeers, type IndicatorRow, institutionFlags } from '../indicators.ts';
import type { RuleBase } from '../rule-base.ts';
import { compareFlags, type Evidence, type Flag, type Severity } from '../types.ts';
import { computeBaselines } from './duckdb-context.ts';
import { readInstitutionYears } from './duckdb-indicators.ts';
import { lit, prepareYear, yearCaseFlags } from './duckdb-sql.ts';

export interface MonitorRunOptions {
  region: string;
  year: number;
  /** The settlement run these results belong to, when known (settlement_runs.run_id). */
  settlementRunId?: string;
}

export interface MonitorRunResult {
  monitorRunId: string;
  settlementRunId: string | null;
  year: number;
  cases: number;
  flags: Flag[];
  indicators: IndicatorRow[];
  scores: InstitutionScore[];
  seconds: Record<string, number>;
}

export async function readReviews(conn: DuckDBConnection): Promise<Map<string, Review>> {
  const r = await conn.runAndReadAll(
    `SELECT flag_id, decision, reason, reviewer, strftime(reviewed_at, '%Y-%m-%dT%H:%M:%S'), CAST(amount * 100 AS BIGINT)
     FROM monitor_reviews`,
  );
  return new Map(
    r.getRows().map((x) => {
      const review: Review = {
        flagId: String(x[0]),
        decision: x[1] as Review['decision'],
        reason: String(x[2]),
        reviewer: String(x[3]),
        at: String(x[4]),
      };
      if (x[5] !== null) review.amount = Number(x[5]);
      return [review.flagId, review];
    }),
  );
}

export async function saveReview(conn: DuckDBConnection, r: Review): Promise<void> {
  await conn.run(
    `INSERT OR REPLACE INTO monitor_reviews VALUES (${lit(r.flagId)}, ${lit(r.decision)}, ${lit(r.reason)},
      ${lit(r.reviewer)}, CAST(${lit(r.at)} AS TIMESTAMP), ${r.amount === undefined ? 'NULL' : fenLiteral(r.amount)})`,
  );
}

/** The whole year: case rules as SQL, indicators against peers, institution detectors, scores; stored. */
export async function runMonitoring(
  store: DuckDbStore,
  base: RuleBase,
  o: MonitorRunOptions,
): Promise<MonitorRunResult> {
  const conn = store.connection;
  const started = new Date();
  const seconds: Record<string, number> = {};
  const timed = async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
    const t0 = performance.now();
    const v = await fn();
    seconds[name] = (performance.now() - t0) / 1000;
    return v;
  };
  const baselines = await timed('baselines', () => computeBaselines(conn, base, o.year));
  await timed('prepare', () => prepareYear(conn, o.year, base.knowledge, baselines));
  const caseFlags = await timed('case rules', () => yearCaseFlags(conn, base));
  const { current, previous } = await timed('indicators', () =>
    readInstitutionYears(conn, base, o.year, o.settlementRunId),
  );
  const indicators = compareWithPeers(current, base.values.peerBy.value);
  const flags = [...caseFlags, ...institutionFlags(base.rules, current, previous, indicators)].sort(compareFlags);
  const reviews = await readReviews(conn);
  const scores = scoreInstitutions(base, current, flags, indicators, reviews);
  const cases = current.reduce((s, i) => s + i.cases, 0);
  const monitorRunId = `mon-${newRunId(started)}`;
  const settlementRunId = o.settlementRunId ?? null;
  await timed('store', () =>
    store.transaction(async () => {
      await writeResults(conn, monitorRunId, settlementRunId, flags, indicators, scores);
      await conn.run(`INSERT INTO monitor_runs VALUES (${lit(monitorRunId)}, ${settlementRunId ? lit(settlementRunId) : 'NULL'},
        ${lit(o.region)}, ${o.year}, ${lit(base.policyId)}, ${lit(base.policyVersion)}, ${cases}, ${flags.length},
        CAST(${lit(started.toISOString().slice(0, 19))} AS TIMESTAMP), ${Date.now() - started.getTime()})`);
      await store.recordRun({
        id: monitorRunId,
        command: `monitor ${o.year}`,
        inputs: [],
        policy: { id: base.policyId, version: base.policyVersion },
        counts: { cases, flags: flags.length, institutions: current.length },
        startedAt: started.toISOString(),
        finishedAt: new Date().toISOString(),
        durationMs: Date.now() - started.getTime(),
        status: 'ok',
      });
    }),
  );
  return { monitorRunId, settlementRunId, year: o.year, cases, flags, indicators, scores, seconds };
}

async function writeResults(
  conn: DuckDBConnection,
  id: string,
  runId: string | null,
  flags: readonly Flag[],
  indicators: readonly IndicatorRow[],
  scores: readonly InstitutionScore[],
): Promise<void> {
  const rid = runId ? lit(runId) : 'NULL';
  const num = (x: number | undefined) => (x === undefined || !Number.isFinite(x) ? 'NULL' : String(x));
  const chunks = async (table: string, rows: string[]) => {
    for (let i = 0; i < rows.length; i += 2000) {
      await conn.run(`INSERT INTO ${table} VALUES ${rows.slice(i, i + 2000).join(',')}`);
    }
  };
  await chunks(
    'monitor_flags',
    flags.map(
      (f) =>
        `(${lit(id)},${rid},${lit(f.flagId)},${lit(f.ruleId)},${lit(f.result)},${lit(f.severity)},${lit(f.scope)},${lit(f.setlId)},${lit(f.institutionCode)},${lit(f.period)},${fenLiteral(f.amount)},${lit(JSON.stringify(f.evidence))})`,
    ),
  );
  await chunks(
    'monitor_indicators',
    indicators.map(
      (r) =>
        `(${lit(id)},${rid},${lit(r.institutionCode)},${r.year},${lit(r.indicator)},${num(r.value)},${num(r.peerMean)},${num(r.peerSd)},${r.peers},${num(r.z)})`,
    ),
  );
  await chunks(
    'monitor_scores',
    scores.map(
      (s) =>
        `(${lit(id)},${rid},${lit(s.institutionCode)},${s.cases},${s.violations},${s.suspicious},${lit(s.deviatingIndicators.join('|'))},${s.score.num},${s.score.den},${lit(`${s.coefficient.num}/${s.coefficient.den}`)})`,
    ),
  );
}

/** The latest monitoring run (of `year`, if given). */
export async function latestMonitorRun(conn: DuckDBConnection, year?: number): Promise<string | undefined> {
  const r = await conn.runAndReadAll(
    `SELECT monitor_run_id FROM monitor_runs ${year ? `WHERE year = ${year}` : ''} ORDER BY started_at DESC, monitor_run_id DESC LIMIT 1`,
  );
  const v = r.getRows()[0]?.[0];
  return v === undefined ? undefined : String(v);
}

/** Flags of a stored monitoring run (all, or the one asked for). */
export async function readFlags(conn: DuckDBConnection, monitorRunId: string, flagId?: string): Promise<Flag[]> {
  const r = await conn.runAndReadAll(
    `SELECT flag_id, rule_id, result, severity, scope, setl_id, fixmedins_code, period, CAST(amount * 100 AS BIGINT), evidence
     FROM monitor_flags WHERE monitor_run_id = ${lit(monitorRunId)} ${flagId ? `AND flag_id = ${lit(flagId)}` : ''}
     ORDER BY rule_id, flag_id`,
  );
  return r.getRows().map((x) => ({
    flagId: String(x[0]),
    ruleId: String(x[1]),
    result: x[2] as Flag['result'],
    severity: x[3] as Severity,
    scope: x[4] as Flag['scope'],
    setlId: String(x[5]),
    institutionCode: String(x[6]),
    period: String(x[7]),
    amount: Number(x[8]),
    evidence: JSON.parse(String(x[9])) as Evidence,
  }));
}

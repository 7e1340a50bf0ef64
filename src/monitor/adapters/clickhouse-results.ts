/**
 * The monitoring tables on ClickHouse (the store's migration 8, as DuckDB's): a monitoring run's flags, indicators
 * and scores, written with its run row **last** (readers find runs through `monitor_runs`, so none sees a half-written
 * run; a failure deletes the run's rows again), and reviews by flag id — one row per flag: saving a review deletes
 * the earlier one first (DuckDB's `INSERT OR REPLACE`; ClickHouse does not enforce keys).
 */
import type { ClickHouseStore } from '../../store/clickhouse/clickhouse-store.ts';
import { int, stampText, yuan } from '../../store/clickhouse/values.ts';
import type { InstitutionScore, Review } from '../assessment.ts';
import type { IndicatorRow } from '../indicators.ts';
import type { Evidence, Flag, Severity } from '../types.ts';

const TABLES = ['monitor_flags', 'monitor_indicators', 'monitor_scores', 'monitor_runs'] as const;

export async function chReadReviews(store: ClickHouseStore): Promise<Map<string, Review>> {
  const rows = await store.conn.rows(
    `SELECT flag_id, decision, reason, reviewer, formatDateTime(reviewed_at, '%Y-%m-%dT%H:%i:%S'),
       toInt64(amount * 100) FROM ${store.conn.table('monitor_reviews')} ORDER BY flag_id`,
  );
  return new Map(
    rows.map((x) => {
      const review: Review = {
        flagId: String(x[0]),
        decision: x[1] as Review['decision'],
        reason: String(x[2]),
        reviewer: String(x[3]),
        at: String(x[4]),
      };
      if (x[5] !== null) review.amount = int(x[5], 'review amount');
      return [review.flagId, review];
    }),
  );
}

export async function chSaveReview(store: ClickHouseStore, r: Review): Promise<void> {
  store.assertWritable();
  await store.conn.command(`DELETE FROM ${store.conn.table('monitor_reviews')} WHERE flag_id = {id:String}`, {
    id: r.flagId,
  });
  await store.conn.insert('monitor_reviews', [
    {
      flag_id: r.flagId,
      decision: r.decision,
      reason: r.reason,
      reviewer: r.reviewer,
      reviewed_at: stampText(r.at),
      amount: r.amount === undefined ? null : yuan(r.amount, 'review amount'),
    },
  ]);
}

export interface ChMonitorRunRow {
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

/** Flags, indicators and scores of a monitoring run, then its run row; on failure its rows are deleted again. */
export async function chWriteMonitorRun(
  store: ClickHouseStore,
  run: ChMonitorRunRow,
  flags: readonly Flag[],
  indicators: readonly IndicatorRow[],
  scores: readonly InstitutionScore[],
): Promise<void> {
  store.assertWritable();
  const id = run.monitorRunId;
  const rid = run.settlementRunId;
  const fin = (x: number | undefined) => (x === undefined || !Number.isFinite(x) ? null : x);
  const chunks = async (table: string, rows: Record<string, unknown>[]) => {
    for (let i = 0; i < rows.length; i += 10_000) await store.conn.insert(table, rows.slice(i, i + 10_000));
  };
  try {
    await chunks(
      'monitor_flags',
      flags.map((f) => ({
        monitor_run_id: id,
        run_id: rid,
        flag_id: f.flagId,
        rule_id: f.ruleId,
        result: f.result,
        severity: f.severity,
        scope: f.scope,
        setl_id: f.setlId,
        fixmedins_code: f.institutionCode,
        period: f.period,
        amount: yuan(f.amount, 'flag amount'),
        evidence: JSON.stringify(f.evidence),
      })),
    );
    await chunks(
      'monitor_indicators',
      indicators.map((r) => ({
        monitor_run_id: id,
        run_id: rid,
        fixmedins_code: r.institutionCode,
        year: r.year,
        indicator: r.indicator,
        value: r.value,
        peer_mean: fin(r.peerMean),
        peer_sd: fin(r.peerSd),
        peers: r.peers,
        z: fin(r.z),
      })),
    );
    await chunks(
      'monitor_scores',
      scores.map((s) => ({
        monitor_run_id: id,
        run_id: rid,
        fixmedins_code: s.institutionCode,
        cases: s.cases,
        violations: s.violations,
        suspicious: s.suspicious,
        deviating: s.deviatingIndicators.join('|'),
        score_num: String(s.score.num),
        score_den: String(s.score.den),
        coefficient: `${s.coefficient.num}/${s.coefficient.den}`,
      })),
    );
    await store.conn.insert('monitor_runs', [
      {
        monitor_run_id: id,
        run_id: rid,
        region: run.region,
        year: run.year,
        policy_id: run.policyId,
        policy_version: run.policyVersion,
        cases: run.cases,
        flags: flags.length,
        started_at: stampText(run.startedAt),
        duration_ms: run.durationMs,
      },
    ]);
  } catch (e) {
    await chDeleteMonitorRun(store, id).catch(() => undefined);
    throw e;
  }
}

export async function chDeleteMonitorRun(store: ClickHouseStore, id: string): Promise<void> {
  for (const t of TABLES) {
    await store.conn.command(`DELETE FROM ${store.conn.table(t)} WHERE monitor_run_id = {id:String}`, { id });
  }
}

/** The latest monitoring run (of `year`, if given). */
export async function chLatestMonitorRun(store: ClickHouseStore, year?: number): Promise<string | undefined> {
  const rows = await store.conn.rows(
    `SELECT monitor_run_id FROM ${store.conn.table('monitor_runs')} ${year ? `WHERE year = ${Number(year)}` : ''}
     ORDER BY started_at DESC, monitor_run_id DESC LIMIT 1`,
  );
  const v = rows[0]?.[0];
  return v === undefined ? undefined : String(v);
}

/** Flags of a stored monitoring run (all, or the one asked for), in rule and id order. */
export async function chReadFlags(store: ClickHouseStore, monitorRunId: string, flagId?: string): Promise<Flag[]> {
  const rows = await store.conn.rows(
    `SELECT flag_id, rule_id, result, severity, scope, setl_id, fixmedins_code, period, toInt64(amount * 100), evidence
     FROM ${store.conn.table('monitor_flags')} WHERE monitor_run_id = {id:String}
       ${flagId ? 'AND flag_id = {flag:String}' : ''}
     ORDER BY rule_id, flag_id`,
    { id: monitorRunId, ...(flagId ? { flag: flagId } : {}) },
  );
  return rows.map((x) => ({
    flagId: String(x[0]),
    ruleId: String(x[1]),
    result: x[2] as Flag['result'],
    severity: x[3] as Severity,
    scope: x[4] as Flag['scope'],
    setlId: String(x[5]),
    institutionCode: String(x[6]),
    period: String(x[7]),
    amount: int(x[8], 'flag amount'),
    evidence: JSON.parse(String(x[9])) as Evidence,
  }));
}

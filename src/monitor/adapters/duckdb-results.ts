/**
 * The monitoring tables on the embedded DuckDB store (migration 8): a run's flags, indicators and scores, its run row,
 * and reviews keyed by flag id (`INSERT OR REPLACE`: one review per flag). The ClickHouse twin is
 * `clickhouse-results.ts`.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { fenLiteral } from '../../store/duckdb/sql.ts';
import type { InstitutionScore, Review } from '../assessment.ts';
import type { IndicatorRow } from '../indicators.ts';
import type { Evidence, Flag, Severity } from '../types.ts';
import { lit } from './duckdb-sql.ts';

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

export async function writeResults(
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

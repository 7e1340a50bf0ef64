/**
 * The whole-year monitoring run over the store and its results (R-MON-3/4): flags, indicators and scores in the
 * monitor's own tables (created by the store’s migration 8), keyed by the monitoring run id, each row also carrying
 * `run_id` — the settlement run the monitoring belongs to (empty until a settlement run is named) — and reviews
 * keyed by flag id, which is stable across runs so that a decision carries over to the next run on the same data.
 * The store is the embedded DuckDB one or ClickHouse (`backend.ts` holds what differs).
 */
import type { ClickHouseStore } from '../../store/clickhouse/clickhouse-store.ts';
import type { DuckDbStore } from '../../store/duckdb/duckdb-store.ts';
import { newRunId } from '../../store/runs.ts';
import { type InstitutionScore, scoreInstitutions } from '../assessment.ts';
import { compareWithPeers, type IndicatorRow, institutionFlags } from '../indicators.ts';
import type { RuleBase } from '../rule-base.ts';
import { compareFlags, type Flag } from '../types.ts';
import { monitorBackend } from './backend.ts';

export { latestMonitorRun, readFlags, readReviews, saveReview } from './duckdb-results.ts';

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

/** The whole year: case rules as SQL, indicators against peers, institution detectors, scores; stored. */
export async function runMonitoring(
  store: DuckDbStore | ClickHouseStore,
  base: RuleBase,
  o: MonitorRunOptions,
): Promise<MonitorRunResult> {
  const m = monitorBackend(store, base.knowledge);
  const started = new Date();
  const seconds: Record<string, number> = {};
  const timed = async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
    const t0 = performance.now();
    const v = await fn();
    seconds[name] = (performance.now() - t0) / 1000;
    return v;
  };
  try {
    const baselines = await timed('baselines', () => m.baselines(base, o.year));
    await timed('prepare', () => m.prepareYear(o.year, base.knowledge, baselines));
    const caseFlags = await timed('case rules', () => m.caseFlags(base));
    const { current, previous } = await timed('indicators', () => m.institutionYears(base, o.year, o.settlementRunId));
    const indicators = compareWithPeers(current, base.values.peerBy.value);
    const flags = [...caseFlags, ...institutionFlags(base.rules, current, previous, indicators)].sort(compareFlags);
    const reviews = await m.reviews();
    const scores = scoreInstitutions(base, current, flags, indicators, reviews);
    const cases = current.reduce((s, i) => s + i.cases, 0);
    const monitorRunId = `mon-${newRunId(started)}`;
    const settlementRunId = o.settlementRunId ?? null;
    await timed('store', () =>
      m.writeRun(
        {
          monitorRunId,
          settlementRunId,
          region: o.region,
          year: o.year,
          policyId: base.policyId,
          policyVersion: base.policyVersion,
          cases,
          startedAt: started.toISOString(),
          durationMs: Date.now() - started.getTime(),
        },
        flags,
        indicators,
        scores,
        () => ({
          id: monitorRunId,
          command: `monitor ${o.year}`,
          inputs: [],
          policy: { id: base.policyId, version: base.policyVersion },
          counts: { cases, flags: flags.length, institutions: current.length },
          startedAt: started.toISOString(),
          finishedAt: new Date().toISOString(),
          durationMs: Date.now() - started.getTime(),
          status: 'ok',
        }),
      ),
    );
    return { monitorRunId, settlementRunId, year: o.year, cases, flags, indicators, scores, seconds };
  } finally {
    await m.dispose();
  }
}

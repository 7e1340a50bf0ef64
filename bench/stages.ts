/** The bench stages of `npm run bench`; each runs in its own process (harness.ts) so its peak RSS is its own. */

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchHospital } from '../src/hospital/bench.ts';
import { benchIngest } from '../src/ingest/bench.ts';
import { generateRegion } from '../src/synth/generate.ts';
import { apiStage } from './api.ts';
import { caseSplitStage } from './case-split.ts';
import { clickhouseItemsStage, clickhousePipelineStage } from './clickhouse.ts';
import { benchDip } from './dip.ts';
import { drgStage, drgWorkbookStage } from './drg.ts';
import { cpuClock, type Stage } from './harness.ts';
import { benchMonitor, benchMonitorTime } from './monitor.ts';
import { pipelineStage } from './pipeline.ts';
import { runIoStage } from './run-io.ts';
import { settleStage } from './settle.ts';

const ingestStage: Stage = async (args) => {
  const r = await benchIngest({
    rows: Number(args.rows ?? 1_000_000),
    ...(args.formats ? { formats: args.formats.split(',') as ('parquet' | 'csv')[] } : {}),
  });
  return [
    {
      label: 'DuckDB bare: read + group-by of the cases Parquet',
      items: r.rows,
      seconds: r.bare.readSeconds,
      notes: `${r.bare.readCpuSeconds} CPU-s`,
    },
    {
      label: 'DuckDB bare: copy the cases Parquet into a store file',
      items: r.rows,
      seconds: r.bare.copySeconds,
      notes: `${r.bare.copyCpuSeconds} CPU-s`,
    },
    ...r.results.flatMap((f) => [
      {
        label: `ingest ${f.kind} ${f.format} (read + full QC + store)`,
        items: f.rows,
        seconds: f.seconds,
        notes: `${f.cpuSeconds} CPU-s, file ${f.fileMb} MB, reader ${f.reader}, ${f.rejected} rejected, stage peak ${f.peakRssMb} MB`,
      },
      ...(f.readBack.rowsPerSecond > 0
        ? [
            {
              label: `read back ${f.format} batches`,
              items: f.accepted,
              seconds: f.readBack.seconds,
              notes: `Store.iterateCases, peak ${f.readBack.peakRssMb} MB`,
            },
          ]
        : []),
    ]),
  ];
};

const synthStage: Stage = async (args) => {
  const cases = Number(args.cases ?? 1_000_000);
  const dir = mkdtempSync(join(tmpdir(), 'yibao-bench-synth-'));
  try {
    const t0 = performance.now();
    const feeItems = args['fee-items'] === 'yes';
    const clock = cpuClock();
    const m = await generateRegion({
      out: join(dir, 'region'),
      cases,
      seed: 1,
      format: 'parquet',
      feeItems,
      ...(args.workers ? { workers: Number(args.workers) } : {}),
    });
    const cpuSeconds = clock.seconds();
    const seconds = (performance.now() - t0) / 1000;
    return [
      {
        label: `synth region → Parquet${feeItems ? ' with fee items' : ''}`,
        items: cases,
        seconds,
        notes: `CPU ${cpuSeconds.toFixed(1)} s (${Math.round(cases / cpuSeconds).toLocaleString('en-US')} cases per CPU-s, workers and DuckDB included); ${m.counts.feeItems.toLocaleString('en-US')} fee lines`,
      },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

const dipStage: Stage = async (args) => {
  const r = benchDip(Number(args.cases ?? 1_000_000));
  return r.stages.map((s) => ({
    label: `dip ${s.stage}`,
    items: s.items,
    seconds: s.ms / 1000,
    notes: `${s.perCpuSecond.toLocaleString('en-US')}/CPU-s`,
  }));
};

const hospitalStage: Stage = async (args) => benchHospital(Number(args.cases ?? 200_000));
const pct = (x: number | null) => (x === null ? '–' : x.toFixed(3));

/** Precision and recall of every monitoring rule on planted data, false positives on a clean region. */
const monitorStage: Stage = async (args) => {
  const r = await benchMonitor({ cases: Number(args.cases ?? 200_000) });
  return [
    {
      label: 'monitor whole year (SQL, planted region)',
      items: r.cases,
      seconds: r.wholeYearSeconds,
      notes: Object.entries(r.wholeYear)
        .map(([k, v]) => `${k} ${v.toFixed(1)} s`)
        .join(', '),
    },
    {
      label: 'settle both regions (CHS-DRG; the run YB-IN-006 reads)',
      items: r.cases + r.cleanCases,
      seconds: r.settleSeconds,
    },
    {
      label: 'monitor checkCase() per case',
      items: 1,
      seconds: r.singleCaseMs / 1000,
      notes: `${r.singleCaseMs.toFixed(3)} ms`,
    },
    ...r.upcoder.map((u) => ({
      label: `monitor planted upcoder ${u.indicator}`,
      items: 1,
      seconds: 0,
      notes: `${u.institutionCode}: ${u.value.toFixed(4)} vs same-level peers ${u.peerMean?.toFixed(4) ?? '–'}, z ${u.z?.toFixed(2) ?? '–'}`,
    })),
    ...r.rules.map((q) => ({
      label: `monitor ${q.ruleId} ${q.truthKind ?? '(no truth)'}`,
      items: q.flagged,
      seconds: 0,
      notes: `P ${pct(q.precision)} R ${pct(q.recall)} (planted ${q.planted}, TP ${q.truePositives}; high: ${q.highFlagged} flagged, P ${pct(q.highPrecision)} R ${pct(q.highRecall)}); clean region ${q.cleanFlagged} flagged = ${(q.cleanRate * 1000).toFixed(2)}‰ of ${q.scope === 'case' ? 'cases' : 'institutions'}`,
    })),
  ];
};

/** Whole-year monitoring time on a large region (loaded from Parquet without ingest), with the load average. */
const monitorTimeStage: Stage = async (args) => {
  const { loadavg } = await import('node:os');
  const load = () =>
    loadavg()
      .map((x) => x.toFixed(1))
      .join('/');
  const t0 = performance.now();
  let loaded = 0;
  let loadAtStart = '';
  const r = await benchMonitorTime({
    cases: Number(args.cases ?? 5_000_000),
    onLoaded: () => {
      loaded = (performance.now() - t0) / 1000;
      loadAtStart = load();
    },
  });
  return [
    {
      label: 'generate + load the region (Parquet → store, no QC)',
      items: Number(args.cases ?? 5_000_000),
      seconds: loaded,
    },
    {
      label: 'monitor whole year (SQL)',
      items: r.cases,
      seconds: r.seconds,
      notes: `${Object.entries(r.stages)
        .map(([k, v]) => `${k} ${v.toFixed(1)} s`)
        .join(', ')}; load average (1/5/15 min) ${loadAtStart} at start, ${load()} at end; ${r.flags} flags`,
    },
  ];
};

export const STAGES: Record<string, Stage> = {
  pipeline: pipelineStage,
  settle: settleStage,
  'run-io': runIoStage,
  'case-split': caseSplitStage,
  monitor: monitorStage,
  'monitor-time': monitorTimeStage,
  synth: synthStage,
  ingest: ingestStage,
  drg: drgStage,
  'drg-workbook': drgWorkbookStage,
  dip: dipStage,
  hospital: hospitalStage,
  api: apiStage,
  clickhouse: clickhousePipelineStage,
  'clickhouse-items': clickhouseItemsStage,
};

/** The default plan: [stage, args]. `--quick` divides every size by 10. */
export function plan(quick: boolean, big = false): [string, Record<string, string>][] {
  const n = (x: number) => String(quick ? x / 10 : x);
  return [
    ['synth', { cases: n(1_000_000) }],
    ['ingest', { rows: n(1_000_000) }],
    ['drg', { cases: n(1_000_000), workers: '2' }],
    ['drg-workbook', {}],
    ['dip', { cases: n(1_000_000) }],
    ['dip', { cases: n(5_000_000) }],
    ['hospital', { cases: n(200_000) }],
    // End to end (issue 9): settlement-year cases; 20M only with --big (run it alone: hours and tens of GB today).
    ['pipeline', { current: n(1_000_000) }],
    ['pipeline', { current: n(5_000_000) }],
    ...(big ? ([['pipeline', { current: n(20_000_000) }]] as [string, Record<string, string>][]) : []),
    ['monitor', { cases: n(200_000) }],
    ['monitor-time', { cases: n(5_000_000) }],
    ['api', { seconds: quick ? '10' : '60', rate: '1000' }],
    // The same run on chDB beside DuckDB, and item rules over a large fee-line table on both (issue 17).
    ['clickhouse', { current: n(1_000_000) }],
    ['clickhouse-items', { lines: n(10_000_000) }],
  ];
}

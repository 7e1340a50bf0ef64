/**
 * Grouping throughput: the public reference cases replicated to ≥ 1,000,000, interned once, then grouped on one
 * thread and on worker threads. Times cover grouping only ("once data is loaded"); loading, compiling and
 * interning are reported on their own. Every replicated result is checked against the expected one.
 */
import { CaseBatchBuilder } from './case-batch.ts';
import { compileDrgPack } from './compile.ts';
import { groupBatch } from './group-case.ts';
import { importChsDrg11 } from './import-chs-drg-11.ts';
import { importChsDrg20 } from './import-chs-drg-20.ts';
import { type DrgResults, newResults } from './kernel-types.ts';
import { DrgWorkerPool } from './parallel.ts';
import { readCaseFile } from './reference-cases.ts';
import { requireChsDrg11Reference, requireChsDrg20Reference } from './reference-dir.ts';
import { outcomeAt } from './results.ts';

export interface DrgBenchOptions {
  /** Which national scheme: CHS-DRG 1.1 or 2.0 (default 1.1). */
  scheme?: '1.1' | '2.0';
  /** Reference folder (default ../shared/reference/chs-drg-<scheme> beside the repository). */
  referenceDir?: string;
  /** Number of cases after replication (default 1,000,000). */
  cases?: number;
  /** Worker threads for the parallel run (default 2). */
  workers?: number;
  /** Timed runs per mode; the median is reported (default 5, after one warm-up run). */
  runs?: number;
  /** Where progress lines go (default: console.log); pass `() => {}` for silence. */
  log?: (line: string) => void;
}

export interface DrgBenchReport {
  scheme: '1.1' | '2.0';
  cases: number;
  loadMs: number;
  compileMs: number;
  internMs: number;
  singleThread: { ms: number; casesPerSecond: number };
  workerThreads: { workers: number; ms: number; casesPerSecond: number };
  /** Peak resident set size of the process, in MiB (workers are threads, so included). */
  peakRssMiB: number;
  /** Replicated cases whose result differs from the reference's expected one (must be 0). */
  mismatches: number;
}

export async function benchDrgGrouping(opts: DrgBenchOptions = {}): Promise<DrgBenchReport> {
  const log = opts.log ?? ((line: string) => console.log(line));
  const scheme = opts.scheme ?? '1.1';
  const dir =
    scheme === '2.0' ? requireChsDrg20Reference(opts.referenceDir) : requireChsDrg11Reference(opts.referenceDir);
  const total = Math.max(1, opts.cases ?? 1_000_000);
  const runs = Math.max(1, opts.runs ?? 5);
  const workerCount = Math.max(1, opts.workers ?? 2);

  let t = performance.now();
  const pack = scheme === '2.0' ? importChsDrg20(dir) : importChsDrg11(dir);
  const loadMs = performance.now() - t;
  t = performance.now();
  const kernel = compileDrgPack(pack);
  const compileMs = performance.now() - t;

  const seed = readCaseFile(`${dir}/cases_public.csv`);
  t = performance.now();
  const builder = new CaseBatchBuilder(kernel, total);
  for (let i = 0; i < total; i++) builder.add(seed[i % seed.length]!);
  const batch = builder.finish(true);
  const internMs = performance.now() - t;
  log(`drg bench CHS-DRG ${scheme}: ${total.toLocaleString('en')} cases (${seed.length} public cases replicated)`);
  log(`  load ${loadMs.toFixed(0)} ms, compile ${compileMs.toFixed(0)} ms, intern ${internMs.toFixed(0)} ms`);

  const single = newResults(total);
  groupBatch(kernel, batch, single);
  const singleMs = median(
    Array.from({ length: runs }, () => {
      const t0 = performance.now();
      groupBatch(kernel, batch, single);
      return performance.now() - t0;
    }),
  );
  log(`  1 thread:  ${rate(total, singleMs)} cases/s (${singleMs.toFixed(1)} ms)`);

  const shared = newResults(total, true);
  const pool = await DrgWorkerPool.start(kernel, workerCount);
  let workerMs: number;
  try {
    await pool.group(batch, shared);
    const times: number[] = [];
    for (let r = 0; r < runs; r++) {
      const t0 = performance.now();
      await pool.group(batch, shared);
      times.push(performance.now() - t0);
    }
    workerMs = median(times);
  } finally {
    await pool.close();
  }
  log(`  ${workerCount} workers: ${rate(total, workerMs)} cases/s (${workerMs.toFixed(1)} ms)`);

  const expected = seed.map((c) => c.expected);
  const mismatches = countMismatches(kernel, single, shared, expected, total);
  const peakRssMiB = process.resourceUsage().maxRSS / 1024;
  log(`  peak RSS ${peakRssMiB.toFixed(0)} MiB; mismatches against the reference: ${mismatches}`);
  return {
    scheme,
    cases: total,
    loadMs,
    compileMs,
    internMs,
    singleThread: { ms: singleMs, casesPerSecond: total / (singleMs / 1000) },
    workerThreads: { workers: workerCount, ms: workerMs, casesPerSecond: total / (workerMs / 1000) },
    peakRssMiB,
    mismatches,
  };
}

function countMismatches(
  kernel: Parameters<typeof outcomeAt>[0],
  single: DrgResults,
  shared: DrgResults,
  expected: readonly ({ mdc: string; adrg: string; drg: string; status: string } | undefined)[],
  total: number,
): number {
  const wanted = expected.map((e) => (e ? `${e.mdc},${e.adrg},${e.drg},${e.status}` : ''));
  let bad = 0;
  for (let i = 0; i < total; i++) {
    const a = outcomeAt(kernel, single, i);
    const key = `${a.mdc},${a.adrg},${a.drg},${a.status}`;
    const same =
      single.drg[i] === shared.drg[i] && single.status[i] === shared.status[i] && single.mdc[i] === shared.mdc[i];
    if (key !== wanted[i % wanted.length] || !same) bad++;
  }
  return bad;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function rate(n: number, ms: number): string {
  return Math.round(n / (ms / 1000)).toLocaleString('en');
}

/**
 * Bench harness: each stage runs in its own child process so that its peak memory (max RSS) is its own.
 * A stage returns throughput figures; the harness adds wall time and peak RSS and prints one table.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface StageFigure {
  /** What was measured, e.g. "ingest Parquet". */
  label: string;
  /** Items processed (rows, cases). */
  items: number;
  seconds: number;
  /** Extra facts worth printing (threads, agreement, …). */
  notes?: string;
}

export interface StageResult {
  stage: string;
  figures: StageFigure[];
  peakRssMb: number;
  wallSeconds: number;
}

export type Stage = (args: Record<string, string>) => Promise<StageFigure[]>;

export function timeit<T>(fn: () => T): { value: T; seconds: number } {
  const t0 = process.hrtime.bigint();
  const value = fn();
  return { value, seconds: Number(process.hrtime.bigint() - t0) / 1e9 };
}

export async function timeitAsync<T>(fn: () => Promise<T>): Promise<{ value: T; seconds: number }> {
  const t0 = process.hrtime.bigint();
  const value = await fn();
  return { value, seconds: Number(process.hrtime.bigint() - t0) / 1e9 };
}

/** CPU time since a clock started (`cpuClock()`), in seconds or milliseconds. */
export interface CpuClock {
  seconds(): number;
  ms(): number;
}

/**
 * A CPU clock started now: user + system time of this whole process since — the main thread, worker threads and
 * the engines' own threads (DuckDB, chDB) alike. On a shared machine, the figure to compare (wall time is others'
 * load as much as ours).
 */
export function cpuClock(): CpuClock {
  const from = process.cpuUsage();
  const micros = () => {
    const u = process.cpuUsage(from);
    return u.user + u.system;
  };
  return { seconds: () => micros() / 1e6, ms: () => micros() / 1000 };
}

/**
 * CPU seconds (`cpuClock`) and peak RSS (MB) at the end of each stage of `settleRegionYear`, a stage ending where
 * `onStage` names the next one; `end()` closes the last stage and gives the CPU seconds since the meter began.
 */
export function stageMeter() {
  const clock = cpuClock();
  const cpu: Record<string, number> = {};
  const rss: Record<string, number> = {};
  let stage = 'start';
  let from = 0;
  const close = () => {
    const now = clock.seconds();
    cpu[stage] = (cpu[stage] ?? 0) + now - from;
    rss[stage] = process.resourceUsage().maxRSS / 1024;
    from = now;
    return now;
  };
  return {
    cpu,
    rss,
    onStage: (next: string) => {
      close();
      stage = next;
    },
    end: close,
  };
}

/** Run one stage in this process and print its result as one JSON line (used by the child). */
export async function runStageHere(name: string, stage: Stage, args: Record<string, string>): Promise<void> {
  const t0 = process.hrtime.bigint();
  const figures = await stage(args);
  const wallSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const peakRssMb = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(`@@stage ${JSON.stringify({ stage: name, figures, peakRssMb, wallSeconds })}\n`);
}

/** Run a stage in a child process and collect its result. */
export function runStageChild(name: string, args: Record<string, string>): Promise<StageResult> {
  const bin = fileURLToPath(new URL('../bin/bench.js', import.meta.url));
  const argv = [bin, '--child', name, ...Object.entries(args).flatMap(([k, v]) => [`--${k}`, v])];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--max-old-space-size=16384', ...argv], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.on('close', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('@@stage '));
      if (code !== 0 || !line) return reject(new Error(`bench stage ${name} failed (exit ${code})\n${out}`));
      resolve(JSON.parse(line.slice(8)) as StageResult);
    });
  });
}

export function formatTable(results: StageResult[]): string {
  const rows = [['stage', 'measure', 'items', 'seconds', 'items/s', 'peak RSS MB', 'notes']];
  for (const r of results) {
    for (const f of r.figures) {
      rows.push([
        r.stage,
        f.label,
        f.items.toLocaleString('en-US'),
        f.seconds.toFixed(2),
        Math.round(f.items / f.seconds).toLocaleString('en-US'),
        r.peakRssMb.toFixed(0),
        f.notes ?? '',
      ]);
    }
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ')).join('\n');
}

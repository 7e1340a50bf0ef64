/**
 * The store side of a run (issue 9): `node bin/bench.js --child run-io --units N [--store duckdb|chdb]` writes N
 * synthetic unit rows through the run's unit writer in batches of 50k inside one open run (as the streaming pool
 * does), then reads them back in batches, and prints wall and CPU seconds of each. The rows look like a DIP run's:
 * ~300 institutions, 12 months, ~2,000 groups, a basis line of both languages per unit.
 * `--from STORE [--run ID]` writes a stored run's own units instead (its latest run by default; read into memory
 * first, not in the time): the real mix of bases, kept traces and carve-out units; `--units` is then ignored.
 * `--batch N`: units per write (default 50,000; the inpatient year writes a batch of 8,192 cases at a time).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../src/store/index.ts';
import type { RunUnitRow } from '../src/store/settlement-runs.ts';
import { cpuClock, type Stage, type StageFigure } from './harness.ts';

/** Deterministic synthetic unit rows [from, to). */
export function syntheticUnits(from: number, to: number): RunUnitRow[] {
  const out: RunUnitRow[] = [];
  for (let i = from; i < to; i++) {
    const g = (i * 7919) % 2000;
    const points = 100_000 + ((i * 104_729) % 9_000_000);
    out.push({
      poolId: 'demo-dip-2025',
      unitId: `S${String(i).padStart(10, '0')}`,
      method: i % 17 === 0 ? 'per-diem' : 'dip',
      institution: `H${String(i % 300).padStart(5, '0')}`,
      month: `2025-${String((i % 12) + 1).padStart(2, '0')}`,
      group: `G${String(g).padStart(4, '0')}`,
      status: i % 13 === 0 ? 'high-cost' : 'paid',
      points: i % 17 === 0 ? null : points,
      amountFen: i % 17 === 0 ? 345_600 + (i % 1000) : null,
      billedFen: 500_000 + ((i * 31) % 2_000_000),
      patientPaidFen: 100_000 + ((i * 17) % 300_000),
      basis: JSON.stringify({
        zh: `病例分值 = 病种分值 ${(points / 10_000).toFixed(4)} × 调整系数 1.0000`,
        en: `Case points = group points ${(points / 10_000).toFixed(4)} × adjustment 1.0000`,
        clause: 'R-DIP-4',
      }),
      trace: null,
    });
  }
  return out;
}

/** The units of a stored run (its latest by default), in batches as the reader gives them. */
async function storedUnits(from: string, runId: string | undefined, batch: number): Promise<RunUnitRow[][]> {
  const source = await openStore(from, { readOnly: true });
  try {
    const id = runId ?? (await source.listSettlementRuns({ limit: 1 }))[0]?.id;
    if (!id) throw new Error(`${from} holds no settlement run`);
    const out: RunUnitRow[][] = [];
    for await (const b of source.runResults(id).units({}, batch)) out.push(b);
    return out;
  } finally {
    await source.close();
  }
}

export const runIoStage: Stage = async (args) => {
  const batch = Number(args.batch ?? 50_000);
  const stored = args.from ? await storedUnits(args.from, args.run, batch) : undefined;
  const n = stored ? stored.reduce((a, b) => a + b.length, 0) : Number(args.units ?? 1_000_000);
  const dir = mkdtempSync(join(tmpdir(), 'yibao-bench-runio-'));
  const location = args.store === 'chdb' ? `chdb://${join(dir, 'ch')}` : join(dir, 'run.duckdb');
  const store = await openStore(location);
  const figures: StageFigure[] = [];
  try {
    const runId = 'bench-run';
    let make = 0;
    const t0 = performance.now();
    const c0 = cpuClock();
    await store.saveSettlementRun(
      {
        id: runId,
        region: 'demo',
        year: 2025,
        command: 'bench',
        caseMethod: 'dip',
        methods: ['dip'],
        inputs: [],
        counts: {},
        startedAt: new Date().toISOString(),
        finishedAt: new Date().toISOString(),
        status: 'ok',
      },
      async (w) => {
        if (stored) {
          for (const rows of stored) await w.units(rows);
          return;
        }
        for (let i = 0; i < n; i += batch) {
          const m0 = performance.now();
          const rows = syntheticUnits(i, Math.min(n, i + batch));
          make += performance.now() - m0;
          await w.units(rows);
        }
      },
    );
    const wall = (performance.now() - t0 - make) / 1000;
    figures.push({
      label: `run unit writer (${args.store ?? 'duckdb'}, batches of ${batch})`,
      items: n,
      seconds: wall,
      notes: `CPU ${c0.seconds().toFixed(1)} s incl. making the rows (${(make / 1000).toFixed(1)} s, not in the time)`,
    });
    const t1 = performance.now();
    const c1 = cpuClock();
    let read = 0;
    for await (const b of store.runResults(runId).units(stored ? {} : { poolId: 'demo-dip-2025' })) read += b.length;
    if (read !== n) throw new Error(`read back ${read} of ${n} units`);
    figures.push({
      label: `run units read back (${args.store ?? 'duckdb'})`,
      items: n,
      seconds: (performance.now() - t1) / 1000,
      notes: `CPU ${c1.seconds().toFixed(1)} s`,
    });
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return figures;
};

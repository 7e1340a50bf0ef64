/** The bench stages of `npm run bench`; each runs in its own process (harness.ts) so its peak RSS is its own. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchDip } from '../src/dip/bench.ts';
import { benchHospital } from '../src/hospital/bench.ts';
import { benchIngest } from '../src/ingest/bench.ts';
import { generateRegion } from '../src/synth/generate.ts';
import { drgStage, drgWorkbookStage } from './drg.ts';
import type { Stage } from './harness.ts';

const ingestStage: Stage = async (args) => {
  const r = await benchIngest({ rows: Number(args.rows ?? 1_000_000) });
  return r.results.flatMap((f) => [
    {
      label: `ingest ${f.format} (read + QC + store)`,
      items: f.accepted + f.rejected,
      seconds: f.seconds,
      notes: `file ${f.fileMb} MB, reader ${f.reader}, stage peak ${f.peakRssMb} MB`,
    },
    {
      label: `read back ${f.format} batches`,
      items: f.accepted,
      seconds: f.readBack.seconds,
      notes: `Store.iterateCases, peak ${f.readBack.peakRssMb} MB`,
    },
  ]);
};

const synthStage: Stage = async (args) => {
  const cases = Number(args.cases ?? 1_000_000);
  const dir = mkdtempSync(join(tmpdir(), 'yibao-bench-synth-'));
  try {
    const t0 = performance.now();
    await generateRegion({ out: join(dir, 'region'), cases, seed: 1, format: 'parquet' });
    return [{ label: 'synth region → Parquet', items: cases, seconds: (performance.now() - t0) / 1000 }];
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

export const STAGES: Record<string, Stage> = {
  synth: synthStage,
  ingest: ingestStage,
  drg: drgStage,
  'drg-workbook': drgWorkbookStage,
  dip: dipStage,
  hospital: hospitalStage,
};

/** The default plan: [stage, args]. `--quick` divides every size by 10. */
export function plan(quick: boolean): [string, Record<string, string>][] {
  const n = (x: number) => String(quick ? x / 10 : x);
  return [
    ['synth', { cases: n(1_000_000) }],
    ['ingest', { rows: n(1_000_000) }],
    ['drg', { cases: n(1_000_000), workers: '2' }],
    ['drg-workbook', {}],
    ['dip', { cases: n(1_000_000) }],
    ['dip', { cases: n(5_000_000) }],
    ['hospital', { cases: n(200_000) }],
  ];
}

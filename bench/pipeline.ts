/**
 * The end-to-end pipeline bench (issue 9): synth → ingest (full QC) → calibrate → settle → statements for a
 * region whose settlement year has `current` cases (the three history years come on top, growing as the generator
 * grows them), and DuckDB's bare read + group-by of the same Parquet files in the same run as the yardstick.
 * Fee items (fee-for-service) are left out: at these sizes they are tens of millions of lines of their own.
 *
 * `--stages synth,ingest,settle,statements` (default: all four) runs a part of the pipeline on a kept `--dir`, so
 * a size that takes hours (20M) can be measured stage by stage in separate processes: a later part reads the
 * region's manifest and the store the earlier part left (and `statements` alone reads the store's latest run).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { SAMPLE_CODE_LISTS } from '../src/codes/index.ts';
import { importCodes } from '../src/ingest/codes-import.ts';
import { POLICY_KINDS } from '../src/policy/kinds/index.ts';
import { loadPolicyDir } from '../src/policy/registry.ts';
import { ingestRegion } from '../src/run/demo.ts';
import { settleRegionYear } from '../src/run/settle-region-year.ts';
import { writeRunStatements } from '../src/run/statements.ts';
import { DuckDbStore } from '../src/store/duckdb/duckdb-store.ts';
import { casesByYear, DEFAULT_YEARS, generateRegion } from '../src/synth/generate.ts';
import type { Manifest } from '../src/synth/manifest.ts';
import { cpuClock, type Stage, type StageFigure } from './harness.ts';

const rssMb = () => process.resourceUsage().maxRSS / 1024;

export const pipelineStage: Stage = async (args) => {
  const current = Number(args.current ?? 1_000_000);
  const years = [...DEFAULT_YEARS];
  // Total cases over the years such that the last year holds `current`.
  const oneYear = casesByYear(1_000_000, years);
  const total = Math.round((current * 1_000_000) / oneYear.at(-1)!);
  const dir = args.dir ?? join('out', 'bench-pipeline');
  const stages = new Set((args.stages ?? 'synth,ingest,settle,statements').split(','));
  for (const s of stages)
    if (!['synth', 'ingest', 'settle', 'statements'].includes(s)) throw new Error(`unknown pipeline stage ${s}`);
  if (stages.has('synth')) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
  } else if (!existsSync(join(dir, 'region', 'manifest.json'))) {
    throw new Error(`${dir} holds no region/manifest.json: run --stages synth first with this --dir`);
  }
  const figures: StageFigure[] = [];
  const stage = async <T>(label: string, items: number, fn: () => Promise<T>): Promise<T> => {
    const t0 = performance.now();
    const clock = cpuClock();
    const v = await fn();
    const seconds = (performance.now() - t0) / 1000;
    const cpu = clock.seconds();
    figures.push({
      label,
      items,
      seconds,
      notes: `CPU ${cpu.toFixed(1)} s${items > 0 ? ` (${Math.round(items / cpu).toLocaleString('en-US')} per CPU-s)` : ''}, peak RSS so far ${rssMb().toFixed(0)} MB`,
    });
    process.stderr.write(`  ${label}: ${seconds.toFixed(1)} s\n`);
    return v;
  };
  const regionDir = join(dir, 'region');
  let manifest: Manifest;
  if (stages.has('synth')) {
    manifest = await stage('synth', total, () =>
      generateRegion({ out: regionDir, cases: total, seed: 20250101, feeItems: false }),
    );
    const synth = figures.at(-1)!;
    synth.notes = `${synth.notes}; with ${manifest.counts.persons.toLocaleString('en-US')} persons, ${(manifest.counts.outpatient ?? 0).toLocaleString('en-US')} 门特 visits, ${manifest.counts.enrolments.toLocaleString('en-US')} enrolments`;
  } else {
    manifest = JSON.parse(readFileSync(join(regionDir, 'manifest.json'), 'utf8')) as Manifest;
  }
  // The yardstick: DuckDB's own read + group-by of the cases' Parquet files (every year).
  const parquet = readdirSync(regionDir)
    .filter((f) => /^cases-\d{4}\.parquet$/.test(f))
    .map((f) => `'${join(regionDir, f)}'`);
  const bare = await stage('duckdb read + group-by (yardstick)', total, async () => {
    const db = await DuckDBInstance.create(':memory:');
    const c = await db.connect();
    await c.runAndReadAll(
      `SELECT fixmedins_code, year(dscg_time), count(*), sum(medfee_sumamt), sum(hifp_pay)
       FROM read_parquet([${parquet.join(', ')}]) GROUP BY ALL`,
    );
    c.closeSync();
    db.closeSync();
  });
  void bare;
  // A kept folder may have lost ingested years' Parquet to free disk (a 20M region is ≈ 19 GB): say what was read.
  const listed = manifest.files.filter((f) => /(^|\/)cases-\d{4}\.parquet$/.test(f.path));
  if (parquet.length < listed.length) {
    const yard = figures.at(-1)!;
    yard.notes = `${yard.notes}; read ${parquet.length} of the ${listed.length} years' case files (the others deleted after ingest)`;
  }
  const db = join(dir, 'bench.duckdb');
  const storeStages = ['ingest', 'settle', 'statements'].some((s) => stages.has(s));
  if (storeStages && !stages.has('ingest') && !existsSync(db))
    throw new Error(`${db} is missing: run --stages ingest first`);
  const store = storeStages ? await DuckDbStore.open(db) : undefined;
  try {
    if (store) await storeParts(store);
  } finally {
    await store?.close();
  }
  async function storeParts(store: DuckDbStore): Promise<void> {
    if (stages.has('ingest')) {
      await stage('codes', 0, async () => {
        for (const kind of ['icd10', 'icd9'] as const)
          await importCodes(store, { kind, file: SAMPLE_CODE_LISTS[kind], listVersion: 'sample' });
      });
      await stage('ingest (full QC, all years)', total, () => ingestRegion(store, manifest, regionDir, dir));
    }
    let runId: string | undefined;
    if (stages.has('settle')) runId = await settleStage(store);
    if (stages.has('statements')) {
      if (runId === undefined) {
        const [latest] = await store.listSettlementRuns({ region: 'demo', year: manifest.currentYear });
        if (!latest)
          throw new Error(`${db} holds no settlement run of demo ${manifest.currentYear}: run --stages settle`);
        runId = latest.id;
      }
      const id = runId;
      await stage(
        'statements (from the stored run, CSV + JSON)',
        manifest.counts.casesByYear[String(manifest.currentYear)] ?? 0,
        () => writeRunStatements(store.runResults(id), join(dir, 'statements'), { formats: ['csv', 'json'] }),
      );
    }
  }
  async function settleStage(store: DuckDbStore): Promise<string> {
    const policies = loadPolicyDir('policies', POLICY_KINDS);
    const t0 = performance.now();
    const clock = cpuClock();
    const run = await settleRegionYear(store, {
      region: 'demo',
      year: manifest.currentYear,
      policies,
      method: 'dip',
      command: 'bench',
      skip: ['ffs'],
    });
    const settleWall = (performance.now() - t0) / 1000;
    const s = { ...run.seconds, ...run.inpatient.seconds };
    const parts: [string, number, number][] = [
      [
        'history pass (store → reduced: catalog, group means, per-bed-day rates, standards, opening value)',
        run.inpatient.counts.history,
        s.history ?? 0,
      ],
      ['read the settlement year (store → objects, batch by batch)', run.inpatient.counts.current, s.read ?? 0],
      ['carve-outs (per-bed-day, single-disease)', run.inpatient.counts.current, s.carveOuts ?? 0],
      ['DIP evaluate (settlement year)', run.inpatient.counts.current, s['dip evaluate'] ?? 0],
      ['pool settlement', run.inpatient.counts.current, s['dip settle'] ?? 0],
      ["write the year's units (as the year streams)", run.inpatient.counts.current, s['write units'] ?? 0],
      ['capitation + family doctor', run.capitation?.heads.enrolled ?? 0, s.capitation ?? 0],
      ...(
        [
          ['enrolments', "the year's enrolment rows read"],
          ['match', "the year's visits matched to head segments (store)"],
          ['persons', 'the persons of the year read'],
          ['history', 'person count, grouped history, last year spending (store)'],
          ['evaluate', 'calibrate, plan, year end, family doctor (JS)'],
          ['write', 'heads units made and written'],
        ] as const
      ).map(([part, what]): [string, number, number] => [
        `  capitation: ${what}`,
        run.capitation?.heads.enrolled ?? 0,
        s[`capitation ${part}`] ?? 0,
      ]),
      [
        'store the rest of the run (capitation units, pool tables, record)',
        run.inpatient.counts.current,
        s.record ?? 0,
      ],
      ...(
        [
          ['inputs', "the inputs' fingerprints (cases counted and summed per year)"],
          ['split', '病例结算金额 split over the cases (largest remainder)'],
          ['commit', "the units' writer closed and the run's transaction committed"],
        ] as const
      ).map(([part, what]): [string, number, number] => [
        `  record: ${what}`,
        run.inpatient.counts.current,
        s[`record ${part}`] ?? 0,
      ]),
    ];
    for (const [label, items, seconds] of parts) figures.push({ label, items, seconds });
    figures.push({
      label: 'settle total',
      items: run.inpatient.counts.current,
      seconds: settleWall,
      notes: `CPU ${clock.seconds().toFixed(1)} s, peak RSS so far ${rssMb().toFixed(0)} MB`,
    });
    return run.record.id;
  }
  const yard = figures.find((f) => f.label.startsWith('duckdb'))!.seconds;
  for (const f of figures) f.notes = `${f.notes ? `${f.notes}; ` : ''}${(f.seconds / yard).toFixed(0)}× DuckDB bare`;
  if (args.keep !== 'yes') rmSync(dir, { recursive: true, force: true });
  return figures;
};

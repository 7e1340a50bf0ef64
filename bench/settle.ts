/**
 * Settle an existing store again (issue 9 profiling): `node bin/bench.js --child settle --db FILE [--year Y]
 * [--copy yes] [--method dip|drg] [--skip ffs,capitation]` (or `--store chdb://FOLDER?database=bench`, settled in
 * place) runs `settleRegionYear` (default DIP, no FFS) on a store that the pipeline bench kept (`--keep yes`) and
 * prints wall and CPU seconds per stage, so a change to one stage is measured without synth and ingest again. DRG
 * groups by the scheme of the DRG policy (or CHS-DRG 2.0).
 */
import { copyFileSync, rmSync } from 'node:fs';
import { POLICY_KINDS } from '../src/policy/kinds/index.ts';
import { loadPolicyDir } from '../src/policy/registry.ts';
import { drgSchemeFor, openSchemeKernel } from '../src/run/drg-scheme.ts';
import { settleRegionYear } from '../src/run/settle-region-year.ts';
import { DuckDbStore } from '../src/store/duckdb/duckdb-store.ts';
import { isClickHouseLocation, openStore } from '../src/store/index.ts';
import { type Stage, type StageFigure, stageMeter } from './harness.ts';

export const settleStage: Stage = async (args) => {
  const source = args.store ?? args.db;
  if (!source) throw new Error('--db FILE (or --store chdb://…): a store kept by the pipeline bench (--keep yes)');
  // A ClickHouse store is settled in place (the run adds its own rows, keyed by a new run id); a DuckDB file is
  // copied first unless --copy no.
  const ch = isClickHouseLocation(source);
  const db = args.copy === 'no' || ch ? source : `${source}.settle-copy.duckdb`;
  if (db !== source) copyFileSync(source, db);
  const store = ch ? await openStore(db) : await DuckDbStore.open(db);
  const figures: StageFigure[] = [];
  try {
    const policies = loadPolicyDir('policies', POLICY_KINDS);
    const year = Number(args.year ?? 2025);
    const method = args.method === 'drg' ? 'drg' : 'dip';
    const kernel = method === 'drg' ? await openSchemeKernel(drgSchemeFor(policies, 'demo', year).scheme) : undefined;
    const skip = (args.skip ?? 'ffs')
      .split(',')
      .filter((k): k is 'ffs' | 'capitation' => k === 'ffs' || k === 'capitation');
    const meter = stageMeter();
    const t0 = performance.now();
    const run = await settleRegionYear(store, {
      region: 'demo',
      year,
      policies,
      method,
      ...(kernel ? { kernel } : {}),
      command: 'bench',
      skip,
      onStage: meter.onStage,
    });
    const cpuTotal = meter.end();
    const { cpu: cpuAt, rss: rssAt } = meter;
    const wall = (performance.now() - t0) / 1000;
    const s = { ...run.seconds, ...run.inpatient.seconds };
    for (const [k, v] of Object.entries(s)) {
      figures.push({
        label: k,
        items: run.inpatient.counts.current,
        seconds: v,
        ...(cpuAt[k] !== undefined
          ? {
              notes: `CPU ${cpuAt[k]!.toFixed(1)} s (main thread + the engine's threads), peak RSS at its end ${rssAt[k]!.toFixed(0)} MB`,
            }
          : {}),
      });
    }
    figures.push({
      label: 'settle total',
      items: run.inpatient.counts.current,
      seconds: wall,
      notes: `CPU ${cpuTotal.toFixed(1)} s`,
    });
  } finally {
    await store.close();
    if (db !== source) rmSync(db, { force: true });
  }
  return figures;
};

/**
 * Ingest a generated region (manifest.json + files) into a fresh store, file by file, and print per file its
 * rows, wall and CPU seconds and the pipeline's stage times:
 * `node --import tsx bench/ingest-region.ts REGION DB OUT [twice]` (`twice`: every file a second time, all already
 * present). `YB_TRACE=1` adds the costliest statements over the run, `YB_TRACE=file` per file.
 */
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { SAMPLE_CODE_LISTS } from '../src/codes/index.ts';
import { importCodes } from '../src/ingest/codes-import.ts';
import { ingestFile } from '../src/ingest/pipeline.ts';
import { ingestOrder } from '../src/run/demo.ts';
import { DuckDbStore } from '../src/store/duckdb/duckdb-store.ts';
import type { Manifest } from '../src/synth/manifest.ts';

const [regionDir, db, out, twice] = process.argv.slice(2);
if (!regionDir || !db || !out) throw new Error('usage: ingest-region.ts REGION DB OUT');
rmSync(db, { force: true });
rmSync(`${db}.wal`, { force: true });
rmSync(out, { recursive: true, force: true });
const manifest = JSON.parse(readFileSync(join(regionDir, 'manifest.json'), 'utf8')) as Manifest;
const store = await DuckDbStore.open(db);
// YB_TRACE=1: every statement of the writing connection with its wall and process CPU seconds (sorted at the end).
const trace: { sql: string; wall: number; cpu: number }[] = [];
if (process.env.YB_TRACE) {
  const conn = store.connection as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>;
  for (const m of ['run', 'runAndReadAll']) {
    const orig = conn[m]!.bind(conn);
    conn[m] = async (...a: unknown[]) => {
      const t0 = performance.now();
      const u0 = cpu();
      try {
        return await orig(...a);
      } finally {
        trace.push({
          sql: String(a[0]).replace(/\s+/g, ' ').slice(0, 160),
          wall: (performance.now() - t0) / 1000,
          cpu: cpu() - u0,
        });
      }
    };
  }
}
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
let totalRows = 0;
const w0 = performance.now();
const c0 = cpu();
try {
  for (const kind of ['icd10', 'icd9'] as const)
    await importCodes(store, { kind, file: SAMPLE_CODE_LISTS[kind], listVersion: 'sample' });
  const files = ingestOrder(manifest, regionDir, out);
  // `twice`: every file again (already present), its rejects beside the first pass's.
  const again = files.map((f) => ({ ...f, rejectsFile: f.rejectsFile.replace(/\.csv$/, '.again.csv') }));
  for (const f of twice === 'twice' ? [...files, ...again] : files) {
    const t0 = performance.now();
    const u0 = cpu();
    const r = await ingestFile(store, f);
    const wall = (performance.now() - t0) / 1000;
    const c = cpu() - u0;
    totalRows += r.read;
    if (process.env.YB_TRACE === 'file') {
      const mine = trace.splice(0).sort((a, b) => b.cpu - a.cpu);
      const sum = mine.reduce((x, t) => x + t.cpu, 0);
      process.stdout.write(`  statements ${mine.length}, their CPU ${sum.toFixed(2)} s; the costliest:\n`);
      for (const t of mine.slice(0, 8)) process.stdout.write(`  ${t.cpu.toFixed(2)}\t${t.sql.slice(0, 110)}\n`);
    }
    const stages = r.stages.map((s) => `${s.stage} ${(s.ms / 1000).toFixed(2)}`).join(', ');
    process.stdout.write(
      `${f.file.split('/').pop()}\t${r.read}\trows; wall ${wall.toFixed(2)} s (${Math.round(r.read / wall)} rows/s), CPU ${c.toFixed(2)} s (${Math.round(r.read / c)} per CPU-s); acc ${r.accepted} rej ${r.rejected} present ${r.alreadyPresent}; ${stages}\n`,
    );
  }
} finally {
  await store.close();
}
const wall = (performance.now() - w0) / 1000;
if (process.env.YB_TRACE) {
  const by = new Map<string, { n: number; wall: number; cpu: number }>();
  for (const t of trace) {
    const k = t.sql.replace(/'[^']*'/g, "'…'").slice(0, 120);
    const e = by.get(k) ?? { n: 0, wall: 0, cpu: 0 };
    e.n++;
    e.wall += t.wall;
    e.cpu += t.cpu;
    by.set(k, e);
  }
  for (const [k, e] of [...by].sort((a, b) => b[1].cpu - a[1].cpu).slice(0, 40))
    process.stdout.write(`${e.cpu.toFixed(2)} CPU-s\t${e.wall.toFixed(2)} s\t×${e.n}\t${k}\n`);
}
const c = cpu() - c0;
process.stdout.write(
  `TOTAL\t${totalRows}\trows; wall ${wall.toFixed(1)} s (${Math.round(totalRows / wall)} rows/s), CPU ${c.toFixed(1)} s (${Math.round(totalRows / c)} per CPU-s)\n`,
);

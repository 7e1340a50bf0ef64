/**
 * CHS-DRG grouping bench, CHS-DRG 1.1 beside 2.0: the kernel (intern, group on 1 thread and on worker threads),
 * and the `drg group` command end to end (a child process: start-up, scheme, read, group, write). As a stage
 * for bench/main.ts: `drgStage`. Standalone:
 *   npx tsx bench/drg.ts [--cases 1000000] [--workers 2] [--runs 5]
 * `drgWorkbookStage` measures scheme workbooks (export and import of the whole CHS-DRG 1.1 scheme).
 */
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { benchDrgGrouping } from '../src/grouping/drg/bench.ts';
import { importChsDrg11 } from '../src/grouping/drg/import-chs-drg-11.ts';
import { requireChsDrg11Reference, requireChsDrg20Reference } from '../src/grouping/drg/reference-dir.ts';
import { readSchemeWorkbook, writeSchemeWorkbook } from '../src/grouping/drg/workbook/io.ts';
import { type Stage, type StageFigure, timeitAsync } from './harness.ts';

export const drgStage: Stage = async (args) => {
  const figures = [];
  for (const scheme of ['1.1', '2.0'] as const) {
    const r = await benchDrgGrouping({
      scheme,
      cases: Number(args.cases ?? 1_000_000),
      workers: Number(args.workers ?? 2),
      log: () => {},
    });
    const notes = `mismatches ${r.mismatches}`;
    figures.push(
      { label: `drg ${scheme} intern (strings → ids)`, items: r.cases, seconds: r.internMs / 1000 },
      { label: `drg ${scheme} group, 1 thread`, items: r.cases, seconds: r.singleThread.ms / 1000, notes },
      {
        label: `drg ${scheme} group, ${r.workerThreads.workers} worker threads`,
        items: r.cases,
        seconds: r.workerThreads.ms / 1000,
        notes,
      },
    );
    const command = groupCommandFigures(
      scheme,
      Number(args.cases ?? 1_000_000),
      Number(args.workers ?? 2),
      Number(args.runs ?? 3),
    );
    figures.push(...command.figures);
  }
  return figures;
};

/** One `drg group` run in a child process, as its --json summary says and as the clock says. */
interface CommandRun {
  wallSeconds: number;
  cpuSeconds: number;
  peakRssMb: number;
  kernel: string;
}

/**
 * `drg group` end to end on `cases` public cases repeated (ids made unique), `workers` worker threads, in a child
 * process with a cache folder of its own: the first run imports the scheme and bundles the worker (both then
 * cached), the next `runs` start from the cache. Every output line is compared with the case's expected group
 * (`mismatches`: lines that differ, plus any line missing or extra).
 */
export function groupCommandFigures(
  scheme: '1.1' | '2.0',
  cases: number,
  workers: number,
  runs: number,
): { figures: StageFigure[]; mismatches: number } {
  const dir = mkdtempSync(join(tmpdir(), 'yibao-bench-drg-group-'));
  try {
    const ref = scheme === '1.1' ? requireChsDrg11Reference() : requireChsDrg20Reference();
    const lines = readFileSync(join(ref, 'cases_public.csv'), 'utf8').trimEnd().split('\n');
    const header = lines[0]!.split(',');
    const body = lines.slice(1);
    const at = (name: string) => header.indexOf(name);
    const expected = body.map((l) => {
      const f = l.split(',');
      return [at('expected_mdc'), at('expected_adrg'), at('expected_drg'), at('expected_status')]
        .map((k) => f[k])
        .join(',');
    });
    const input = join(dir, 'cases.csv');
    const fd = openSync(input, 'w');
    try {
      writeSync(fd, `${lines[0]}\n`);
      let chunk = '';
      for (let n = 0; n < cases; n++) {
        const l = body[n % body.length]!;
        chunk += `c${n}${l.slice(l.indexOf(','))}\n`;
        if (chunk.length > 1 << 20) {
          writeSync(fd, chunk);
          chunk = '';
        }
      }
      writeSync(fd, chunk);
    } finally {
      closeSync(fd);
    }
    const out = join(dir, 'results.csv');
    const cache = join(dir, 'cache');
    const bin = fileURLToPath(new URL('../bin/yibao.js', import.meta.url));
    const runOnce = (): CommandRun => {
      const t0 = process.hrtime.bigint();
      const r = spawnSync(
        process.execPath,
        [
          bin,
          '--json',
          'drg',
          'group',
          '--pack',
          `chs-drg-${scheme}`,
          '--in',
          input,
          '--out',
          out,
          '--workers',
          String(workers),
        ],
        { env: { ...process.env, YIBAO_CACHE_DIR: cache }, encoding: 'utf8', maxBuffer: 1 << 24 },
      );
      const wallSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
      if (r.status !== 0) throw new Error(`drg group failed (exit ${r.status}): ${r.stderr}`);
      const summary = JSON.parse(r.stdout.trim().split('\n').pop()!) as Omit<CommandRun, 'wallSeconds'>;
      return { wallSeconds, cpuSeconds: summary.cpuSeconds, peakRssMb: summary.peakRssMb, kernel: summary.kernel };
    };
    const load = () => loadavg()[0]!.toFixed(1);
    const cold = runOnce();
    const coldLoad = load();
    const warm: CommandRun[] = [];
    for (let r = 0; r < Math.max(1, runs); r++) warm.push(runOnce());
    const warmLoad = load();
    const got = readFileSync(out, 'utf8').trimEnd().split('\n').slice(1);
    let mismatches = Math.abs(got.length - cases);
    got.forEach((l, n) => {
      if (l.slice(l.indexOf(',') + 1) !== expected[n % expected.length]) mismatches++;
    });
    const best = warm.reduce((a, b) => (b.wallSeconds < a.wallSeconds ? b : a));
    const cpu = warm.map((r) => r.cpuSeconds);
    const perCpu = (s: number) => Math.round(cases / s / 1000);
    const figure = (label: string, r: CommandRun, notes: string): StageFigure => ({
      label: `drg ${scheme} group command end to end, --workers ${workers}, ${label}`,
      items: cases,
      seconds: r.wallSeconds,
      notes: `${notes}; peak RSS ${r.peakRssMb} MB; mismatches ${mismatches}`,
    });
    const figures = [
      figure('first run (imports the scheme)', cold, `CPU ${cold.cpuSeconds.toFixed(2)} s; load ${coldLoad}`),
      figure(
        `best of ${warm.length} (kernel from ${best.kernel})`,
        best,
        `CPU ${Math.min(...cpu).toFixed(2)}–${Math.max(...cpu).toFixed(2)} s (${perCpu(Math.max(...cpu))}–${perCpu(Math.min(...cpu))}k cases per CPU-s); ` +
          `wall ${Math.min(...warm.map((r) => r.wallSeconds)).toFixed(2)}–${Math.max(...warm.map((r) => r.wallSeconds)).toFixed(2)} s; load ${warmLoad}`,
      ),
    ];
    return { figures, mismatches };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({
    options: { cases: { type: 'string' }, workers: { type: 'string' }, runs: { type: 'string' } },
  });
  let mismatches = 0;
  for (const scheme of ['1.1', '2.0'] as const) {
    const r = await benchDrgGrouping({
      scheme,
      cases: Number(values.cases ?? 1_000_000),
      workers: Number(values.workers ?? 2),
      runs: Number(values.runs ?? 5),
    });
    mismatches += r.mismatches;
    const e2e = groupCommandFigures(
      scheme,
      Number(values.cases ?? 1_000_000),
      Number(values.workers ?? 2),
      Number(values.runs ?? 3),
    );
    mismatches += e2e.mismatches;
    for (const f of e2e.figures) {
      console.log(
        `${f.label}: ${f.seconds.toFixed(2)} s, ${Math.round(f.items / f.seconds).toLocaleString('en')} cases/s (${f.notes})`,
      );
    }
  }
  process.exitCode = mismatches === 0 ? 0 : 1;
}

/** Scheme workbooks: CHS-DRG 1.1 (../shared/reference) exported and imported as a CSV folder and as XLSX. */
export const drgWorkbookStage: Stage = async () => {
  const pack = importChsDrg11(requireChsDrg11Reference());
  const dir = mkdtempSync(join(tmpdir(), 'yibao-bench-wb-'));
  try {
    const figures = [];
    for (const [format, out] of [
      ['CSV folder', join(dir, 'csv')],
      ['XLSX', join(dir, 'chs-drg-1.1.xlsx')],
    ] as const) {
      const written = await timeitAsync(() => writeSchemeWorkbook(pack, out));
      const rows = written.value.rows;
      figures.push({
        label: `drg workbook export, ${format}`,
        items: rows,
        seconds: written.seconds,
        notes: 'CHS-DRG 1.1, rows',
      });
      const read = await timeitAsync(() => readSchemeWorkbook(out));
      const same = read.value.adrgs.length === pack.adrgs.length && read.value.drgs.length === pack.drgs.length;
      figures.push({
        label: `drg workbook import, ${format}`,
        items: rows,
        seconds: read.seconds,
        notes: `rows → validated pack${same ? '' : ' (DIFFERS)'}`,
      });
    }
    return figures;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

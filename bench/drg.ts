/**
 * CHS-DRG grouping bench, CHS-DRG 1.1 beside 2.0. As a stage for bench/main.ts: `drgStage`. Standalone:
 *   npx tsx bench/drg.ts [--cases 1000000] [--workers 2] [--runs 5]
 * `drgWorkbookStage` measures scheme workbooks (export and import of the whole CHS-DRG 1.1 scheme).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { benchDrgGrouping } from '../src/grouping/drg/bench.ts';
import { importChsDrg11 } from '../src/grouping/drg/import-chs-drg-11.ts';
import { requireChsDrg11Reference } from '../src/grouping/drg/reference-dir.ts';
import { readSchemeWorkbook, writeSchemeWorkbook } from '../src/grouping/drg/workbook/io.ts';
import { type Stage, timeitAsync } from './harness.ts';

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
  }
  return figures;
};

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

/**
 * CHS-DRG grouping bench. As a stage for bench/main.ts: `drgStage`. Standalone:
 *   npx tsx bench/drg.ts [--cases 1000000] [--workers 2] [--runs 5]
 */
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { benchDrgGrouping } from '../src/grouping/drg/bench.ts';
import type { Stage } from './harness.ts';

export const drgStage: Stage = async (args) => {
  const r = await benchDrgGrouping({
    cases: Number(args.cases ?? 1_000_000),
    workers: Number(args.workers ?? 2),
    log: () => {},
  });
  const notes = `mismatches ${r.mismatches}`;
  return [
    { label: 'drg intern (strings → ids)', items: r.cases, seconds: r.internMs / 1000 },
    { label: 'drg group, 1 thread', items: r.cases, seconds: r.singleThread.ms / 1000, notes },
    {
      label: `drg group, ${r.workerThreads.workers} worker threads`,
      items: r.cases,
      seconds: r.workerThreads.ms / 1000,
      notes,
    },
  ];
};

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({
    options: { cases: { type: 'string' }, workers: { type: 'string' }, runs: { type: 'string' } },
  });
  const r = await benchDrgGrouping({
    cases: Number(values.cases ?? 1_000_000),
    workers: Number(values.workers ?? 2),
    runs: Number(values.runs ?? 5),
  });
  process.exitCode = r.mismatches === 0 ? 0 : 1;
}

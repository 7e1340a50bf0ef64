/**
 * `npm run bench [-- --quick] [-- --big] [-- --only drg,dip,pipeline] [-- --db data/demo.duckdb]` (--big adds the 20M-case pipeline; options after those go to the stages): throughput and peak memory per stage. Not part of the tests:
 * speed is measured here, never asserted. Each stage runs in a child process (harness.ts).
 */
import { formatTable, runStageChild, runStageHere, type StageResult } from './harness.ts';
import { plan, STAGES } from './stages.ts';

function parse(argv: string[]): {
  child?: string;
  quick: boolean;
  big: boolean;
  only?: string[];
  args: Record<string, string>;
} {
  const out: { child?: string; quick: boolean; big: boolean; only?: string[]; args: Record<string, string> } = {
    quick: false,
    big: false,
    args: {},
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--child') out.child = argv[++i];
    else if (a === '--quick') out.quick = true;
    else if (a === '--big') out.big = true;
    else if (a === '--only') out.only = (argv[++i] ?? '').split(',');
    else if (a.startsWith('--')) out.args[a.slice(2)] = argv[++i] ?? '';
  }
  return out;
}

export async function runBench(argv: string[]): Promise<number> {
  const o = parse(argv);
  if (o.child) {
    const stage = STAGES[o.child];
    if (!stage) throw new Error(`unknown bench stage ${o.child}`);
    await runStageHere(o.child, stage, o.args);
    return 0;
  }
  const results: StageResult[] = [];
  for (const [name, planned] of plan(o.quick, o.big)) {
    if (o.only && !o.only.includes(name)) continue;
    const args = { ...planned, ...o.args };
    process.stderr.write(`bench ${name} ${JSON.stringify(args)} …\n`);
    const r = await runStageChild(name, args);
    results.push({ ...r, stage: `${name} ${Object.values(args)[0] ?? ''}` });
    process.stderr.write(`  done in ${r.wallSeconds.toFixed(1)} s, peak RSS ${r.peakRssMb.toFixed(0)} MB\n`);
  }
  process.stdout.write(`\n${formatTable(results)}\n`);
  process.stdout.write(`\nnode ${process.version}, ${(await import('node:os')).cpus().length} cores\n`);
  return 0;
}

/**
 * One contract, two back-ends (issue 17): the demo region's run on the embedded DuckDB store and on ClickHouse
 * (chDB in process) gives identical results to the fen. The region is generated and ingested with QC into DuckDB,
 * handed off to ClickHouse as Parquet (row counts and money totals checked in SQL), settled on each back-end by the
 * same pipeline, and the stored run tables are compared row by row — records, policy snapshots, derived values,
 * pool, pool-month, institution-month, institution year-end, group and unit rows (R-DATA-1, R-DIP-6).
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../src/cli/main.ts';
import { POLICY_KINDS } from '../src/policy/kinds/index.ts';
import { loadPolicyDir } from '../src/policy/registry.ts';
import { runDemo } from '../src/run/demo.ts';
import { drgSchemeFor, openSchemeKernel } from '../src/run/drg-scheme.ts';
import { settleRegionYear } from '../src/run/settle-region-year.ts';
import { ClickHouseStore } from '../src/store/clickhouse/clickhouse-store.ts';
import { handOff } from '../src/store/clickhouse/handoff.ts';
import { DuckDbStore } from '../src/store/duckdb/duckdb-store.ts';
import type { RunResultsReader, Store } from '../src/store/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'yibao-ch-run-'));
// chDB (in process) may still be finishing a background merge in the folder: retry the removal.
afterAll(() => rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 }));

/** Run the CLI in-process and capture what it prints on stdout. */
async function cli(args: string[]): Promise<{ code: number; out: string }> {
  let out = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    const code = await main(['node', 'yibao', ...args]);
    return { code, out };
  } finally {
    spy.mockRestore();
    err.mockRestore();
    process.exitCode = undefined;
  }
}

async function collect<T>(it: AsyncIterable<T[]>): Promise<T[]> {
  const out: T[] = [];
  for await (const b of it) out.push(...b);
  return out;
}

/** Everything a stored run holds, without what differs by nature (run id, clock times). */
async function runContent(store: Store, run: RunResultsReader) {
  const { id: _id, startedAt: _s, finishedAt: _f, ...record } = await run.record();
  const pools = await run.pools();
  const perPool = await Promise.all(
    pools.map(async (p) => ({
      months: await run.poolMonths(p.poolId),
      institutionMonths: await run.institutionMonths(p.poolId),
      institutionYear: await run.institutionYear(p.poolId),
      groups: await run.groups(p.poolId),
      // Σ by method in the store (the explanation's per-method lines): the whole pool's, and each institution's.
      methodSums: await run.methodSums({ poolId: p.poolId }),
      institutionMethodSums: await Promise.all(
        (await run.institutionYear(p.poolId)).map((y) =>
          run.methodSums({ poolId: p.poolId, institution: y.institution }),
        ),
      ),
    })),
  );
  const derived = [];
  for (const kind of [
    'opening-point-value',
    'last-year-fund-paid',
    'classification',
    'dip-catalog',
    'dip-reference-point-value',
    'drg-weights',
    'drg-indicators',
    'case-amount-rounding',
    'per-diem-rates',
    'single-disease-standards',
  ]) {
    derived.push(...(await run.derived(kind)));
  }
  return {
    record,
    policies: await run.policies(),
    derived,
    pools,
    perPool,
    units: await collect(run.units({}, 7_000)),
    runs: (await store.listRuns({ limit: 5 }))
      .filter((r) => r.id === run.runId)
      .map(({ id: _i, startedAt: _a, finishedAt: _b, durationMs: _d, ...r }) => r),
  };
}

describe('the same run on DuckDB and on ClickHouse (chDB): identical to the fen (issue 17)', () => {
  const db = join(dir, 'demo.duckdb');
  let demo: Awaited<ReturnType<typeof runDemo>>;
  let duck: DuckDbStore;
  let ch: ClickHouseStore;
  const policies = loadPolicyDir('policies', POLICY_KINDS);

  beforeAll(async () => {
    demo = await runDemo({
      out: join(dir, 'out'),
      db,
      cases: 3000,
      seed: 11,
      method: 'dip',
      region: 'demo',
      policies: 'policies',
      lang: 'zh',
    });
    duck = await DuckDbStore.open(db);
    ch = await ClickHouseStore.open(`chdb://${join(dir, 'chdb')}?database=demo`);
  }, 300_000);
  afterAll(async () => {
    await ch?.close();
    await duck?.close();
  });

  it('hands the ingested region off as Parquet (counts and money totals checked) and reads every row back identically', async () => {
    const moved = await handOff(duck, ch, {
      workDir: dir,
      tables: ['institutions', 'persons', 'enrolments', 'outpatient_settlements', 'codes', 'cases', 'fee_items'],
    });
    const casesMoved = moved.find((m) => m.table === 'cases')!;
    expect(casesMoved.rows).toBe(await duck.countCases({}));
    expect(casesMoved.moneyFen.medfee_sumamt).toBe(await duck.sumCaseCost({}));
    await expect(handOff(duck, ch, { workDir: dir, tables: ['institutions'] })).rejects.toThrow(/already has rows/);

    // The data path: every case of every year reads back identically (fen, dates, lists, optional fields).
    for (const year of [2022, 2023, 2024, 2025]) {
      expect(await collect(ch.iterateCases({ year }, 4_000))).toEqual(
        await collect(duck.iterateCases({ year }, 4_000)),
      );
    }
    expect(await collect(ch.iterateFeeItems({ year: 2025 }, 9_000))).toEqual(
      await collect(duck.iterateFeeItems({ year: 2025 }, 9_000)),
    );
    expect(await collect(ch.iterateOutpatient({}))).toEqual(await collect(duck.iterateOutpatient({})));
    expect(await collect(ch.iteratePersons())).toEqual(await collect(duck.iteratePersons()));
    expect(await ch.readEnrolments()).toEqual(await duck.readEnrolments());
    expect(await ch.readInstitutions()).toEqual(await duck.readInstitutions());
  });

  it('DIP + per-bed-day + single-disease + FFS + capitation: every stored run table equal row by row', async () => {
    // The DIP history grouped in SQL on ClickHouse too (Store.historyKeys, issue 9): one code path on both stores.
    const keyed = vi.spyOn(ch, 'historyKeys');
    const o = { region: 'demo', year: demo.manifest.currentYear, policies, method: 'dip' as const };
    const onCh = await settleRegionYear(ch, { ...o, command: 'demo settle dip 2025' });
    expect(keyed).toHaveBeenCalledTimes(1);
    const grouped = await (keyed.mock.results[0]!.value as ReturnType<ClickHouseStore['historyKeys']>);
    keyed.mockRestore();
    expect(grouped.keys.n).toBeGreaterThan(100);
    expect(grouped.tails.n).toBeGreaterThan(0); // groups trimmed at their ends
    await expectSameRun(duck.runResults(demo.run.id), ch.runResults(onCh.record.id));
    expect(await ch.listSettlementRuns({ region: 'demo' })).toHaveLength(1);
    // The column path (a store without historyKeys reads the history case by case) settles the same run.
    const columns: Store = Object.assign(Object.create(ch) as ClickHouseStore, { historyKeys: undefined });
    const byColumns = await settleRegionYear(columns, { ...o, command: 'demo settle dip 2025' });
    await expectSameRun(duck.runResults(demo.run.id), ch.runResults(byColumns.record.id));
  });

  it('CHS-DRG (the region’s scheme, needs ../shared/reference) in the same budget: every stored run table equal row by row', async () => {
    const pack = drgSchemeFor(policies, 'demo', demo.manifest.currentYear).scheme;
    const kernel = await openSchemeKernel(pack);
    const o = { region: 'demo', year: demo.manifest.currentYear, policies, method: 'drg' as const, kernel, pack };
    const onDuck = await settleRegionYear(duck, o);
    const onCh = await settleRegionYear(ch, o);
    await expectSameRun(duck.runResults(onDuck.record.id), ch.runResults(onCh.record.id));
  });

  it('the CLI: store push hands the DuckDB store over; --store chdb://… settles, lists and explains on ClickHouse', async () => {
    await duck.connection.run('CHECKPOINT');
    const copy = join(dir, 'copy.duckdb');
    cpSync(db, copy);
    const loc = `chdb://${join(dir, 'chdb')}?database=cli`;
    const push = await cli(['--db', copy, '--json', 'store', 'push', '--to', loc, '--work', dir]);
    expect(push.code).toBe(0);
    const pushed = JSON.parse(push.out) as { tables: { table: string; rows: number }[] };
    expect(pushed.tables.find((x) => x.table === 'cases')!.rows).toBe(await duck.countCases({}));
    expect((await cli(['--db', copy, 'store', 'push', '--to', loc, '--tables', 'cases'])).code).toBe(3); // not empty
    const settled = await cli([
      '--store',
      loc,
      '--json',
      'settle',
      '--year',
      '2025',
      '--inpatient',
      'dip',
      '--out',
      join(dir, 'cli-out'),
    ]);
    expect(settled.code).toBe(0);
    const runId = (JSON.parse(settled.out) as { run: string }).run;
    const runs = await cli(['--store', loc, '--json', 'runs', '--settlements']);
    expect((JSON.parse(runs.out) as { id: string }[]).map((r) => r.id)).toContain(runId);
    // the pushed store also holds the DuckDB store's runs (settlement-run tables move too)
    expect((JSON.parse(runs.out) as { id: string }[]).map((r) => r.id)).toContain(demo.run.id);
    const inst = (await duck.readInstitutions())[0]!.code;
    const onCh = await cli([
      '--store',
      loc,
      '--json',
      'explain',
      'settlement',
      inst,
      '--period',
      '2025',
      '--run',
      runId,
    ]);
    const onDuck = await cli([
      '--db',
      copy,
      '--json',
      'explain',
      'settlement',
      inst,
      '--period',
      '2025',
      '--run',
      demo.run.id,
    ]);
    expect(onCh.code).toBe(0);
    expect({ ...JSON.parse(onCh.out), run: 'x' }).toEqual({ ...JSON.parse(onDuck.out), run: 'x' }); // all but the run id
    // A per-bed-day and a single-disease case keep no trace in the run: recomputed on ClickHouse from its snapshot
    // and the rates and standards the run kept, the same steps as on DuckDB (R-PAY-BEDDAY, R-PAY-DISEASE).
    for (const method of ['per-diem', 'single-disease']) {
      let id = '';
      for await (const b of duck.runResults(demo.run.id).units({ method }, 1_000)) id ||= b[0]?.unitId ?? '';
      expect(id, method).not.toBe('');
      // All but the run id (in `run` and the subject).
      const one = async (store: string[], run: string) => {
        const e = JSON.parse((await cli([...store, '--json', 'explain', 'case', id, '--run', run])).out) as {
          subject: string;
          steps: { rule: string }[];
        };
        return { ...e, run: 'x', subject: e.subject.replace(run, 'x') };
      };
      const a = await one(['--store', loc], runId);
      expect(a.steps.length).toBeGreaterThan(1);
      expect(a).toEqual(await one(['--db', copy], demo.run.id));
    }
    // a command that needs the embedded store (store push from it) says so (exit 3), never treats the URL as a file
    // name (monitor and serve run on ClickHouse now: test/clickhouse-serve.test.ts)
    const push2 = await cli(['--store', loc, 'store', 'push', '--to', `chdb://${join(dir, 'chdb')}?database=other`]);
    expect(push2.code).toBe(3);
  });

  async function expectSameRun(x: RunResultsReader, y: RunResultsReader) {
    const a = await runContent(duck, x);
    const b = await runContent(ch, y);
    expect(a.units.length).toBeGreaterThan(1000);
    expect(b.record).toEqual(a.record);
    expect(b.policies).toEqual(a.policies);
    expect(b.derived).toEqual(a.derived);
    expect(b.pools).toEqual(a.pools);
    expect(b.perPool).toEqual(a.perPool);
    expect(b.units.length).toBe(a.units.length);
    for (let i = 0; i < a.units.length; i++) expect(b.units[i], a.units[i]!.unitId).toEqual(a.units[i]);
    expect(b.runs).toEqual(a.runs);
  }
});

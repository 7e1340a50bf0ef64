/**
 * Smart monitoring on ClickHouse (issue 17, R-MON-1…4): the demo region, with fee-line misbehaviour planted so every
 * case rule fires, handed off from DuckDB to chDB whole (cases, lines, master data, rejects, the settlement run); the
 * whole-year run on each back-end gives the same flags (ids, severities, amounts in fen, evidence), the same scores
 * and coefficients, and the same indicators to the last bits of a double. Then the CLI on a `chdb://` store: run,
 * review, deductions, explain flag.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../src/cli/main.ts';
import { chReadFlags } from '../src/monitor/adapters/clickhouse-results.ts';
import { loadRuleBase } from '../src/monitor/adapters/knowledge-files.ts';
import { type MonitorRunResult, readFlags, runMonitoring } from '../src/monitor/adapters/monitor-store.ts';
import { plantLineMisbehaviour } from '../src/monitor/bench-region.ts';
import type { RuleBase } from '../src/monitor/rule-base.ts';
import { POLICY_KINDS } from '../src/policy/kinds/index.ts';
import { loadPolicyDir } from '../src/policy/registry.ts';
import { runDemo } from '../src/run/demo.ts';
import { ClickHouseStore } from '../src/store/clickhouse/clickhouse-store.ts';
import { handOff } from '../src/store/clickhouse/handoff.ts';
import { DuckDbStore } from '../src/store/duckdb/duckdb-store.ts';

const dir = mkdtempSync(join(tmpdir(), 'yibao-ch-monitor-'));
afterAll(() => rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 }));

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const so = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  const se = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    err += String(chunk);
    return true;
  });
  try {
    const code = await main(['node', 'yibao', ...args]);
    return { code, out, err };
  } finally {
    so.mockRestore();
    se.mockRestore();
    process.exitCode = undefined;
  }
}

describe('smart monitoring on ClickHouse (chDB) gives DuckDB’s flags (issue 17, R-MON-3)', () => {
  const db = join(dir, 'demo.duckdb');
  const chLocation = `chdb://${join(dir, 'chdb')}?database=mon`;
  let duck: DuckDbStore;
  let ch: ClickHouseStore;
  let base: RuleBase;
  let year: number;
  let settlementRunId: string;

  beforeAll(async () => {
    const demo = await runDemo({
      out: join(dir, 'out'),
      db,
      cases: 3000,
      seed: 11,
      method: 'dip',
      region: 'demo',
      policies: 'policies',
      lang: 'zh',
    });
    year = Number(demo.run.year);
    settlementRunId = demo.run.id;
    duck = await DuckDbStore.open(db);
    await plantLineMisbehaviour(duck, year, 0.1);
    ch = await ClickHouseStore.open(chLocation);
    await handOff(duck, ch, { workDir: dir });
    base = loadRuleBase(loadPolicyDir('policies', POLICY_KINDS), 'demo', `${year}-12-31`);
  }, 400_000);
  afterAll(async () => {
    await ch?.close();
    await duck?.close();
  });

  let onDuck: MonitorRunResult;
  let onCh: MonitorRunResult;

  it('every case rule and institution detector: the same flags, to the fen, with the same evidence', async () => {
    onDuck = await runMonitoring(duck, base, { region: 'demo', year, settlementRunId });
    onCh = await runMonitoring(ch, base, { region: 'demo', year, settlementRunId });
    const fired = new Set(onDuck.flags.map((f) => f.ruleId));
    // every fee-line and case rule fires on this data (overlapping stays excepted: the generator plants none)
    const caseRules = base.rules
      .filter((r) => r.enabled && (r.id.startsWith('YB-IT') || r.id.startsWith('YB-CS')))
      .map((r) => r.id);
    expect(caseRules.filter((id) => !fired.has(id) && id !== 'YB-CS-002')).toEqual([]);
    expect(onDuck.indicators.length).toBeGreaterThan(0);
    expect(onCh.cases).toBe(onDuck.cases);
    expect(onCh.flags.length).toBe(onDuck.flags.length);
    expect(onCh.flags).toEqual(onDuck.flags);
    expect(onCh.scores).toEqual(onDuck.scores);
    // indicators are doubles (means and shares of fen): equal up to the summation order's last bits
    expect(onCh.indicators.map((i) => [i.institutionCode, i.indicator, i.peers])).toEqual(
      onDuck.indicators.map((i) => [i.institutionCode, i.indicator, i.peers]),
    );
    onCh.indicators.forEach((i, k) => {
      const d = onDuck.indicators[k]!;
      expect(i.value).toBeCloseTo(d.value, 9);
      if (d.z !== undefined) expect(i.z).toBeCloseTo(d.z, 6);
    });
  }, 300_000);

  it('stores the run: flags read back from ClickHouse equal the ones computed, no work table is left', async () => {
    expect(await chReadFlags(ch, onCh.monitorRunId)).toEqual(await readFlags(duck.connection, onDuck.monitorRunId));
    const left = await ch.rows(`SELECT name FROM system.tables WHERE database = 'mon' AND startsWith(name, 'mon_')`);
    expect(left).toEqual([]);
  });

  it('the CLI on a chdb:// store: monitor run, review, deductions and explain flag', async () => {
    await ch.close();
    const out = join(dir, 'mon-out');
    const run = await cli(['--store', chLocation, '--json', 'monitor', 'run', '--year', String(year), '--out', out]);
    expect(run.err).toBe('');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.out).flags).toBe(onDuck.flags.length);
    const flag = onDuck.flags.find((f) => f.amount > 0)!;
    const review = await cli([
      '--store',
      chLocation,
      'monitor',
      'review',
      flag.flagId,
      '--confirm',
      '--reason',
      '核实属实',
    ]);
    expect(review.code).toBe(0);
    // a second review of the same flag replaces the first (one review per flag, as on DuckDB)
    await cli(['--store', chLocation, 'monitor', 'review', flag.flagId, '--confirm', '--reason', '复核确认']);
    const file = join(dir, 'deductions.json');
    const d = await cli(['--store', chLocation, '--json', 'monitor', 'deductions', '--out', file]);
    expect(d.code).toBe(0);
    const written = JSON.parse(readFileSync(file, 'utf8')) as { deductions: { amount: number }[] };
    expect(written.deductions.map((x) => x.amount)).toEqual([flag.amount]);
    const e = await cli(['--store', chLocation, '--lang', 'en', 'explain', 'flag', flag.flagId]);
    expect(e.code).toBe(0);
    expect(e.out).toContain(flag.ruleId);
    expect(e.out).toMatch(/confirmed|复核确认/);
    ch = await ClickHouseStore.open(chLocation);
  }, 300_000);
});

/**
 * `serve` and `monitor` on ClickHouse (issue 17): the demo region, with fee-line misbehaviour planted so every case
 * rule fires, handed off from DuckDB to chDB whole (cases, lines, master data, rejects, the settlement run and its
 * monitoring run).
 * - The API and workbench routes answer the same JSON on both stores (overview, statement, cases, case, unit
 *   explanation, runs, records, monitoring queue and flag, indicators, estimate), and write audit rows and reviews
 *   on ClickHouse.
 * - The whole-year monitoring run on each back-end gives the same flags (ids, severities, amounts in fen,
 *   evidence), the same scores and coefficients, and the same indicators to the last bits of a double. Then the CLI
 *   on a `chdb://` store: run, review, deductions, explain flag.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DEMO_TOKENS, type RunningServer, startServer } from '../src/api/server.ts';
import { main } from '../src/cli/main.ts';
import { SAMPLE_CODE_LISTS } from '../src/codes/index.ts';
import { chReadFlags } from '../src/monitor/adapters/clickhouse-results.ts';
import { loadRuleBase } from '../src/monitor/adapters/knowledge-files.ts';
import { type MonitorRunResult, readFlags, runMonitoring } from '../src/monitor/adapters/monitor-store.ts';
import { plantLineMisbehaviour, plantStayMisbehaviour } from '../src/monitor/bench-region.ts';
import type { RuleBase } from '../src/monitor/rule-base.ts';
import { POLICY_KINDS } from '../src/policy/kinds/index.ts';
import { loadPolicyDir } from '../src/policy/registry.ts';
import { runDemo } from '../src/run/demo.ts';
import { settleRegionYear } from '../src/run/settle-region-year.ts';
import { storedYearEndInputs } from '../src/run/year-end-inputs.ts';
import { ClickHouseStore } from '../src/store/clickhouse/clickhouse-store.ts';
import { handOff } from '../src/store/clickhouse/handoff.ts';
import { DuckDbStore } from '../src/store/duckdb/duckdb-store.ts';
import type { Store } from '../src/store/store.ts';

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

const AGENCY = 'demo-agency-0000000000000001';
const H1 = 'H99010200001';
const H1_TOKEN = 'demo-hospital-H99010200001';

// biome-ignore lint/suspicious/noExplicitAny: the test compares whatever JSON a route returns
async function call(server: RunningServer, path: string, token: string, init: RequestInit = {}): Promise<any> {
  const headers = new Headers(init.headers);
  headers.set('authorization', `Bearer ${token}`);
  const r = await fetch(`${server.url}${path}`, { ...init, headers });
  return { status: r.status, body: await r.json() };
}

const post = (server: RunningServer, path: string, token: string, body: unknown) =>
  call(server, path, token, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

describe('serve and monitor on ClickHouse (chDB) answer as on DuckDB (issue 17)', () => {
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
    await plantStayMisbehaviour(duck, year, 5);
    ch = await ClickHouseStore.open(chLocation);
    await handOff(duck, ch, { workDir: dir });
    base = loadRuleBase(loadPolicyDir('policies', POLICY_KINDS), 'demo', `${year}-12-31`);
  }, 400_000);
  afterAll(async () => {
    await ch?.close();
    await duck?.close();
  });

  it('the API’s read routes give the same JSON on both stores; audit rows and reviews are written on ClickHouse', async () => {
    await duck.close();
    await ch.close();
    const servers = await Promise.all(
      [db, chLocation].map((store) => startServer({ db: store, tokens: DEMO_TOKENS, port: 0, webDir: dir })),
    );
    const [d, c] = servers as [RunningServer, RunningServer];
    try {
      const both = async (path: string, token = AGENCY) => {
        const [a, b] = [await call(d, path, token), await call(c, path, token)];
        expect(a.status, path).toBe(200);
        expect(b, path).toEqual(a);
        return a.body;
      };
      const run = settlementRunId;
      await both('/api/institutions');
      await both('/api/years');
      await both(`/api/activity?year=${year}`);
      const cases = await both(`/api/institutions/${H1}/cases?year=${year}&limit=20&offset=5`);
      await both(`/api/institutions/${H1}/cases?month=${year}-03&limit=20`, H1_TOKEN);
      const setlId = cases.rows[0].setlId as string;
      await both(`/api/cases/${setlId}`);
      await both(`/api/cases/${setlId}?lang=en`, H1_TOKEN);
      await both('/api/records?limit=50');
      await both('/api/runs');
      await both(`/api/runs/${run}`);
      await both(`/api/runs/${run}/overview`);
      await both(`/api/runs/${run}/overview?lang=en`);
      await both(`/api/runs/${run}/institutions/${H1}/statement`);
      const units = await both(`/api/runs/${run}/institutions/${H1}/units?limit=30&offset=10`);
      await both(`/api/runs/${run}/institutions/${H1}/units?method=dip&status=paid&limit=5`, H1_TOKEN);
      // 病例结算金额 (run_unit_amounts, migration 12) handed off with the run: every listed case has one, as on DuckDB
      expect(units.rows.every((r: { settled: unknown }) => Number.isInteger(r.settled))).toBe(true);
      const unit = await both(`/api/runs/${run}/units/${units.rows[0].unitId}`);
      expect(unit.unit.settled).toBe(units.rows[0].settled);
      await both(`/api/runs/${run}/institutions/${H1}/profit`);
      await both(`/api/runs/${run}/communities`);
      const flags = await both('/api/monitor/flags?limit=50');
      expect(flags.table.rows.length).toBeGreaterThan(0);
      await both(`/api/monitor/flags?institution=${H1}&limit=20`, H1_TOKEN);
      await both('/api/monitor/indicators');
      await both(`/api/monitor/flags/${encodeURIComponent(flags.table.rows[0].flagId)}`);
      // a single-case estimate against the stored run, from the case as the API returns it
      const k = await both(`/api/cases/${units.rows[0].unitId}`);
      const body = {
        institution: k.institution,
        sex: k.sexCode,
        age: k.age,
        admission: k.admission,
        discharge: k.discharge,
        losDays: k.losDays,
        dischargeWay: k.dischargeWayCode,
        diagnoses: k.diagnoses.map((x: { code: string }) => x.code),
        procedures: k.procedures.map((p: { code: string; date: string }) => (p.date ? p : { code: p.code })),
        totalCost: (k.cost / 100).toFixed(2),
        fundPay: (k.fundPay / 100).toFixed(2),
      };
      const [ea, eb] = [
        await post(d, `/api/estimate?run=${run}&explain=true`, AGENCY, body),
        await post(c, `/api/estimate?run=${run}&explain=true`, AGENCY, body),
      ];
      expect(ea.status).toBe(200);
      expect(eb).toEqual(ea);
      // writes: a review of a flag (one per flag) and the audit log of logins and reviews
      const flagId = encodeURIComponent(flags.table.rows[0].flagId);
      for (const s of servers) {
        const r = await post(s, `/api/monitor/flags/${flagId}/review`, AGENCY, {
          decision: 'confirmed',
          reason: '核实属实',
          amount: '12.34',
        });
        expect(r.status).toBe(200);
        expect((await post(s, '/api/login', AGENCY, { token: AGENCY })).status).toBe(200);
      }
      const [ra, rb] = [
        await call(d, `/api/monitor/flags/${flagId}`, AGENCY),
        await call(c, `/api/monitor/flags/${flagId}`, AGENCY),
      ];
      expect(rb.body.review.amount).toBe(1234);
      expect({ ...rb.body.review, at: '' }).toEqual({ ...ra.body.review, at: '' });
      const audit = async (s: RunningServer) =>
        (await call(s, '/api/audit?limit=100', AGENCY)).body.rows.map((r: { action: string; at: string }) => [
          r.action,
          /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(r.at),
        ]);
      expect(await audit(c)).toEqual(await audit(d));
      expect((await audit(c)).map((x: [string, boolean]) => x[0])).toContain('review');
    } finally {
      for (const s of servers) await s.close();
      duck = await DuckDbStore.open(db);
      ch = await ClickHouseStore.open(chLocation);
    }
  }, 300_000);

  let onDuck: MonitorRunResult;
  let onCh: MonitorRunResult;

  it('every case rule and institution detector: the same flags, to the fen, with the same evidence', async () => {
    onDuck = await runMonitoring(duck, base, { region: 'demo', year, settlementRunId });
    onCh = await runMonitoring(ch, base, { region: 'demo', year, settlementRunId });
    const fired = new Set(onDuck.flags.map((f) => f.ruleId));
    // every fee-line and case rule fires on this data (overlapping stays and duplicate settlements planted)
    const caseRules = base.rules
      .filter((r) => r.enabled && (r.id.startsWith('YB-IT') || r.id.startsWith('YB-CS')))
      .map((r) => r.id);
    expect(caseRules.filter((id) => !fired.has(id))).toEqual([]);
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
    // (the API test above confirmed one flag with 12.34 yuan on this store too)
    expect(written.deductions.map((x) => x.amount)).toContain(flag.amount);
    const e = await cli(['--store', chLocation, '--lang', 'en', 'explain', 'flag', flag.flagId]);
    expect(e.code).toBe(0);
    expect(e.out).toContain(flag.ruleId);
    expect(e.out).toMatch(/confirmed|复核确认/);
    ch = await ClickHouseStore.open(chLocation);
    const [[reviews]] = (await ch.rows(`SELECT count() FROM mon.monitor_reviews WHERE flag_id = {f:String}`, {
      f: flag.flagId,
    })) as [[string]];
    expect(Number(reviews)).toBe(1);
  }, 300_000);

  it('settle with stored year-end inputs (audit deductions, assessments, special review) gives DuckDB’s figures on chDB', async () => {
    await duck.close();
    await ch.close();
    const [unit] = await (async () => {
      const d = await DuckDbStore.open(db);
      try {
        return (await d.rows(
          `SELECT unit_id, institution FROM run_units WHERE run_id = $r AND status = 'high-cost' ORDER BY unit_id LIMIT 1`,
          { r: settlementRunId },
        )) as [string, string][];
      } finally {
        await d.close();
      }
    })();
    expect(unit).toBeDefined();
    const files = {
      deductions: [
        '医疗机构编码,期间,扣款金额,原因,依据',
        `${H1},${year}-03,1000.00,重复收费,审核结论 ${year}-03 第 12 号`,
        `${H1},${year},500,超标准收费,年度审核结论 第 3 号`,
      ],
      assessments: ['医疗机构编码,考核年度,考核系数,依据', `${H1},${year},0.95,${year} 年度考核 第 1 号`],
      'special-review': ['结算ID,结果,支付方式,点数,依据', `${unit![0]},通过,按点数,120.5,专家评审`],
    };
    for (const [kind, lines] of Object.entries(files)) {
      const f = join(dir, `${kind}.csv`);
      writeFileSync(f, `${lines.join('\n')}\n`);
      for (const where of [
        ['--db', db],
        ['--store', chLocation],
      ]) {
        const r = await cli([
          ...where,
          '--json',
          'ingest',
          f,
          '--kind',
          kind,
          '--rejects',
          join(dir, `${kind}.rej.csv`),
        ]);
        expect(r.code, `${kind} ${where[0]}`).toBe(0);
      }
    }
    duck = await DuckDbStore.open(db);
    ch = await ClickHouseStore.open(chLocation);
    const stored = await storedYearEndInputs(duck, year);
    expect(stored.deductions).toHaveLength(2);
    expect(await storedYearEndInputs(ch, year)).toEqual(stored);
    const policies = loadPolicyDir('policies', POLICY_KINDS);
    const o = { region: 'demo', year, policies, method: 'dip' as const };
    const [a, b] = [await settleRegionYear(duck, o), await settleRegionYear(ch, o)];
    const [ra, rb] = [duck.runResults(a.record.id), ch.runResults(b.record.id)];
    const pools = await ra.pools();
    expect(await rb.pools()).toEqual(pools);
    for (const pool of pools) {
      const year = await ra.institutionYear(pool.poolId);
      expect(await rb.institutionYear(pool.poolId)).toEqual(year);
      expect(await rb.institutionMonths(pool.poolId)).toEqual(await ra.institutionMonths(pool.poolId));
    }
    const h1 = (await ra.institutionYear(pools[0]!.poolId)).find((r) => r.institution === H1)!;
    expect(h1.deductionsFen).toBeGreaterThanOrEqual(150_000);
  }, 300_000);

  it('codes import on ClickHouse replaces the list of its kind as on DuckDB (same counts, same codes stored)', async () => {
    await duck.close();
    await ch.close();
    const out = [];
    for (const where of [
      ['--db', db],
      ['--store', chLocation],
    ]) {
      const r = await cli([...where, '--json', 'codes', 'import', SAMPLE_CODE_LISTS.icd9, '--kind', 'icd9']);
      expect(r.code, where[0]).toBe(0);
      const { runId: _r, durationMs: _d, ...report } = JSON.parse(r.out) as Record<string, unknown>;
      out.push(report);
    }
    expect(out[1]).toEqual(out[0]);
    expect(out[0]!.replaced).toBeGreaterThan(0);
    duck = await DuckDbStore.open(db);
    ch = await ClickHouseStore.open(chLocation);
    expect(await ch.countCodes('icd9')).toBe(await duck.countCodes('icd9'));
    const some = (await duck.rows(`SELECT code FROM codes WHERE kind = 'icd9' ORDER BY code LIMIT 50`)).map(
      (r) => r[0] as string,
    );
    const look = async (s: Store) => [...(await s.lookupCodes('icd9', some)).entries()];
    expect(await look(ch)).toEqual(await look(duck));
  }, 120_000);
});

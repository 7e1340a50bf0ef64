/**
 * A what-if run against its base run on a demo region (the demo's generator, seed and policies; fewer cases).
 *
 * R-DIP-6 (002 四(三), DIP 技术规范): "年初点值 = 前三年加权住院总费用 ÷ 前三年加权总点数" is the history's alone, the monthly
 * pre-settlement is valued at it, and "清算支付额 = 年度清算额 − 年初预付 − 月度已支付". A change of the budget moves the
 * year-end point value only: the opening value, every month and the advance stay those of the run in force, so each
 * institution's clearing payment moves by exactly its year-end amount's difference, and a change to the value
 * already in force moves nothing at all.
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../ingest/testing.ts';
import { POLICY_KINDS } from '../policy/kinds/index.ts';
import { loadPolicyDir } from '../policy/registry.ts';
import { DuckDbStore } from '../store/duckdb/duckdb-store.ts';
import type { RunInstitutionYearRow, RunPoolRow, SettlementRunRecord } from '../store/settlement-runs.ts';
import { generateRegion } from '../synth/generate.ts';
import { inputName } from './command-label.ts';
import { ingestRegion } from './demo.ts';
import { settleRegionYear } from './settle-region-year.ts';
import { writeRunStatementsFolder } from './statements-folder.ts';
import { runWhatIf } from './whatif.ts';

const tmp = tempDir('yibao-what-if-run-');
let store: DuckDbStore;
let base: SettlementRunRecord;
const GROWTH = 'demo-dip-settlement-2025:budget.growthRate';

beforeAll(async () => {
  const dir = join(tmp.path, 'region');
  const m = await generateRegion({ out: dir, cases: 2500, seed: '2025', format: 'csv' });
  store = await DuckDbStore.open(':memory:');
  await ingestRegion(store, m, dir, tmp.path);
  const policies = loadPolicyDir('policies/demo', POLICY_KINDS);
  base = (await settleRegionYear(store, { region: 'demo', year: 2025, policies, skip: ['ffs', 'capitation'] })).record;
}, 240_000);
afterAll(async () => {
  await store?.close();
  tmp.remove();
});

async function resultsOf(runId: string): Promise<{ pool: RunPoolRow; years: Map<string, RunInstitutionYearRow> }> {
  const reader = store.runResults(runId);
  const [pool] = await reader.pools();
  const years = await reader.institutionYear(pool!.poolId);
  return { pool: pool!, years: new Map(years.map((y) => [y.institution, y] as const)) };
}

describe('R-DIP-6 what-if: the opening point value, the months and the advance are the run in force’s', () => {
  it('the budget growth rate already in force (0.05): every institution’s every figure is unchanged', async () => {
    const w = await runWhatIf(store, base, { changes: [{ parameter: GROWTH, value: 0.05 }] });
    expect(w.run.record.kind).toBe('what-if');
    const b = await resultsOf(base.id);
    const x = await resultsOf(w.run.record.id);
    expect(x.pool.openingPointValue).toEqual(b.pool.openingPointValue);
    expect(x.pool.pointValue).toEqual(b.pool.pointValue);
    expect(x.pool.fundFen).toBe(b.pool.fundFen);
    expect(x.years.size).toBe(b.years.size);
    expect(b.years.size).toBeGreaterThan(10);
    for (const [code, y] of b.years) {
      const z = x.years.get(code)!;
      expect([z.advanceFen, z.monthlyPaidFen, z.yearEndFen, z.clearingFen], code).toEqual([
        y.advanceFen,
        y.monthlyPaidFen,
        y.yearEndFen,
        y.clearingFen,
      ]);
    }
    const months = async (id: string) =>
      (await store.runResults(id).poolMonths(b.pool.poolId)).map((m) => [m.month, m.pointValueText]);
    expect(await months(w.run.record.id)).toEqual(await months(base.id));
  }, 120_000);

  it('growth 0.10: the year-end amounts move, the clearing payment by exactly as much (advance, months unchanged)', async () => {
    const w = await runWhatIf(store, base, { changes: [{ parameter: GROWTH, value: 0.1 }] });
    const b = await resultsOf(base.id);
    const x = await resultsOf(w.run.record.id);
    expect(x.pool.openingPointValue).toEqual(b.pool.openingPointValue);
    // The budget is last year's fund payment × (1 + growth): 1.10 / 1.05 of the run in force's, to the fen.
    expect(Math.abs(x.pool.fundFen * 1.05 - b.pool.fundFen * 1.1)).toBeLessThan(2);
    let moved = 0;
    for (const [code, y] of b.years) {
      const z = x.years.get(code)!;
      expect(z.advanceFen, code).toBe(y.advanceFen);
      expect(z.monthlyPaidFen, code).toBe(y.monthlyPaidFen);
      expect(z.clearingFen - y.clearingFen, code).toBe(z.yearEndFen - y.yearEndFen);
      if (z.yearEndFen !== y.yearEndFen) moved++;
    }
    expect(moved).toBeGreaterThan(0);
  }, 120_000);
});

describe('settle --what-if (walk2 #8): a copied policy folder settled beside the run in force, not replacing it', () => {
  it('recorded as a what-if of the run in force; the inputs compared with it read as the one file changed', async () => {
    const dir = join(tmp.path, 'whatif-policies');
    cpSync('policies/demo', dir, { recursive: true });
    const file = join(dir, 'dip-settlement-2025.yaml');
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('growthRate: 0.05');
    writeFileSync(file, text.replace('growthRate: 0.05', 'growthRate: 0.10'));
    const policies = loadPolicyDir(dir, POLICY_KINDS);
    const w = await settleRegionYear(store, {
      region: 'demo',
      year: 2025,
      policies,
      skip: ['ffs', 'capitation'],
      whatIfOf: base.id,
    });
    expect([w.record.kind, w.record.baseRunId]).toEqual(['what-if', base.id]);
    // The run in force is still the latest issued run (explain, reconcile and the API read it by default).
    const [inForce] = await store.listSettlementRuns({ region: 'demo', year: 2025, limit: 1 });
    expect(inForce!.id).toBe(base.id);
    expect(w.previous?.runId).toBe(base.id);
    const changes = w.previous!.changedInputs.map((c) => [c.change, c.role]);
    expect(changes.filter(([c]) => c !== 'moved')).toEqual([['changed', 'policy dip-settlement']]);
    expect(changes.filter(([c]) => c === 'moved').length).toBe(
      base.inputs.filter((i) => i.role?.startsWith('policy ')).length - 1,
    );
  }, 120_000);
});

// An API what-if recorded its policy inputs under its deleted /tmp/yibao-what-if-… folder: `runs` and the run record
// named files nobody can open. They are recorded by the base run's paths, the changed file marked `what-if:`.
describe('a what-if run records its policy inputs by the base run’s files', () => {
  it('unchanged files by the base paths and hashes; the changed one marked, with its new hash; no temporary path', async () => {
    const w = await runWhatIf(store, base, { changes: [{ parameter: GROWTH, value: 0.1 }] });
    const policyInputs = (r: SettlementRunRecord) => r.inputs.filter((i) => i.role?.startsWith('policy '));
    const before = new Map(policyInputs(base).map((i) => [i.path, i.sha256] as const));
    const now = policyInputs(w.run.record);
    expect(now.length).toBe(before.size);
    expect(now.filter((i) => i.path.includes('yibao-what-if'))).toEqual([]);
    const changed = now.filter((i) => i.path.startsWith('what-if:'));
    expect(changed.map((i) => [i.path, i.role])).toEqual([
      ['what-if:policies/demo/dip-settlement-2025.yaml', 'policy dip-settlement'],
    ]);
    expect(changed[0]!.sha256).not.toBe(before.get('policies/demo/dip-settlement-2025.yaml'));
    for (const i of now.filter((x) => !x.path.startsWith('what-if:')))
      expect(before.get(i.path), i.path).toBe(i.sha256);
    // The policy snapshot keeps the base run's path; its content is the changed one.
    const snap = (await store.runResults(w.run.record.id).policies()).find((p) => p.kind === 'dip-settlement')!;
    expect(snap.file).toBe('policies/demo/dip-settlement-2025.yaml');
  }, 120_000);

  it('read as the base file, marked, in both languages', () => {
    const i = { path: 'what-if:policies/demo/dip-settlement-2025.yaml', role: 'policy dip-settlement' };
    expect(inputName(i, 'zh')).toBe('policies/demo/dip-settlement-2025.yaml（政策模拟修改）');
    expect(inputName(i, 'en')).toBe('policies/demo/dip-settlement-2025.yaml (changed by the what-if)');
  });
});

// walk7 #11: the what-if statements named only the two runs, and the CLI wrote no per-institution comparison.
describe('a what-if run’s statements name the change and compare each institution with the issued run', () => {
  it('notice sheet: the change in words with the value in force → simulated; a comparison file with the differences', async () => {
    const w = await runWhatIf(store, base, { changes: [{ parameter: GROWTH, value: 0.1 }] });
    const out = join(tmp.path, 'wi-out');
    const { files } = await writeRunStatementsFolder(store, out, {
      runId: w.run.record.id,
      region: 'demo',
      year: 2025,
      method: 'dip',
      lang: 'zh',
      perInstitution: false,
    });
    const csv = files.find((f) => f.endsWith('-comparison-simulation.csv'))!;
    expect(csv).toBeDefined();
    const lines = readFileSync(csv, 'utf8')
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe(
      '机构编码,机构名称,医院等级,年度清算额（已发布）,年度清算额（模拟）,差额,变化率,清算支付额（已发布）,清算支付额（模拟）,清算支付额差额',
    );
    const b = await resultsOf(base.id);
    const x = await resultsOf(w.run.record.id);
    expect(lines.length - 1).toBe(b.years.size);
    for (const line of lines.slice(1)) {
      const [code, , , issued, simulated, diff, , , , clearingDiff] = line.split(',');
      const y = b.years.get(code!)!;
      const z = x.years.get(code!)!;
      // Hand check: each column is the stored year end of that run, the difference theirs.
      expect([issued, simulated, diff, clearingDiff], code).toEqual([
        (y.yearEndFen / 100).toFixed(2),
        (z.yearEndFen / 100).toFixed(2),
        ((z.yearEndFen - y.yearEndFen) / 100).toFixed(2),
        ((z.clearingFen - y.clearingFen) / 100).toFixed(2),
      ]);
    }
    const json = JSON.parse(readFileSync(files.find((f) => f.endsWith('.json') && f.includes('/dip/'))!, 'utf8'));
    expect(json.simulation.baseRun).toBe(base.id);
    expect(json.simulation.changes).toEqual([
      {
        zh: '区域总额预算与结算 · 基金预算 · 增长率：0.05（5%） → 0.1（10%）',
        en: 'regional budget and settlement · fund budget · growth rate: 0.05 (5%) → 0.1 (10%)',
        source: expect.stringMatching(/第十条/),
      },
    ]);
  }, 120_000);
});

/**
 * Per-bed-day (R-PAY-BEDDAY) and single-disease (R-PAY-DISEASE) units keep no trace in the run: `explain case`
 * recomputes the one case asked from the run's snapshot and the rates and standards the run kept (`run_derived`),
 * and gives exactly what the run issued, also after today's policy files were edited (ARCHITECTURE "traces on
 * demand"). A run stored before, with its traces, explains from them. A demo region (the demo's generator, seed and
 * policies; fewer cases), settled with the demo's policy tables and again with rates and standards calibrated from
 * history.
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../ingest/testing.ts';
import type { TraceStep } from '../model/explain.ts';
import { POLICY_KINDS } from '../policy/kinds/index.ts';
import { loadPolicyDir } from '../policy/registry.ts';
import { DuckDbStore } from '../store/duckdb/duckdb-store.ts';
import type { RunUnitRow } from '../store/settlement-runs.ts';
import { generateRegion } from '../synth/generate.ts';
import { PER_DIEM_RATES_KIND, SINGLE_DISEASE_STANDARDS_KIND } from './carve-outs-of-run.ts';
import { ingestRegion } from './demo.ts';
import { explainRunCase, type RunExplanation } from './explain-run.ts';
import { settleRegionYear } from './settle-region-year.ts';

const tmp = tempDir('yibao-carve-outs-');
let store: DuckDbStore;
/** The demo's policies (tables), and a copy whose per-bed-day rates and one entry's standards are calibrated. */
let tables: { run: string; dir: string };
let calibrated: { run: string; dir: string };

async function settle(dir: string): Promise<string> {
  const policies = loadPolicyDir(dir, POLICY_KINDS);
  const skip = ['ffs', 'capitation'] as const;
  return (await settleRegionYear(store, { region: 'demo', year: 2025, policies, skip })).record.id;
}

beforeAll(async () => {
  const region = join(tmp.path, 'region');
  const m = await generateRegion({ out: region, cases: 2500, seed: '2025', format: 'csv' });
  store = await DuckDbStore.open(':memory:');
  await ingestRegion(store, m, region, tmp.path);
  const t = join(tmp.path, 'policies-tables');
  cpSync('policies/demo', t, { recursive: true });
  tables = { run: await settle(t), dir: t };
  const c = join(tmp.path, 'policies-calibrated');
  cpSync('policies/demo', c, { recursive: true });
  const pd = join(c, 'per-diem-2025.yaml');
  const pdText = readFileSync(pd, 'utf8');
  const table = /\n {6}method: table\n {6}table:\n(?: {8}- .*\n)+/.exec(pdText);
  expect(table).not.toBeNull();
  writeFileSync(
    pd,
    pdText.replace(table![0], '\n      method: calibrate\n      stageFactors: [1, 0.9, 0.8]\n      minCases: 2\n'),
  );
  const sd = join(c, 'single-disease-2025.yaml');
  const sdText = readFileSync(sd, 'utf8');
  // SD001 without published standards: calibrated from its past in-pathway cases (or pooled over levels).
  const sd001 = ', standards: { "3": 6500, "2": 5520, "1": 4880, primary: 4550 } }';
  expect(sdText).toContain(`maxLosDays: 7${sd001}`);
  writeFileSync(sd, sdText.replace(`maxLosDays: 7${sd001}`, 'maxLosDays: 7 }'));
  calibrated = { run: await settle(c), dir: c };
}, 240_000);
afterAll(async () => {
  await store?.close();
  tmp.remove();
});

async function carvedUnits(run: string): Promise<RunUnitRow[]> {
  const out: RunUnitRow[] = [];
  for await (const b of store.runResults(run).units())
    out.push(...b.filter((u) => u.method === 'per-diem' || u.method === 'single-disease'));
  return out;
}

async function explain(run: string, id: string): Promise<RunExplanation> {
  const reader = store.runResults(run);
  const e = await explainRunCase(store, reader, await reader.record(), id);
  if (!e) throw new Error(`${id} not in run ${run}`);
  return e;
}

/** A unit's explanation without its last step, the settled amount (R-DIP-6), which is not the method's. */
const methodSteps = (e: RunExplanation): TraceStep[] => e.steps.filter((s) => s.rule !== 'R-DIP-6');

describe('carve-outs explained on demand (R-PAY-BEDDAY, R-PAY-DISEASE)', () => {
  it('the run keeps no trace of a per-bed-day or single-disease unit, its basis, and the rates and standards it applied', async () => {
    const units = await carvedUnits(tables.run);
    expect(units.filter((u) => u.method === 'per-diem').length).toBeGreaterThan(5);
    expect(units.filter((u) => u.method === 'single-disease').length).toBeGreaterThan(50);
    expect(units.filter((u) => u.trace !== null).map((u) => u.unitId)).toEqual([]);
    expect(units.filter((u) => u.basis === null).map((u) => u.unitId)).toEqual([]);
    const reader = store.runResults(tables.run);
    const [pool] = await reader.pools();
    const [rates] = await reader.derived(PER_DIEM_RATES_KIND);
    const [standards] = await reader.derived(SINGLE_DISEASE_STANDARDS_KIND);
    expect([rates?.name, standards?.name]).toEqual([pool!.poolId, pool!.poolId]);
    // The demo's table: 8 category × institution type rows; 110 catalog entries × 4 levels, all published.
    expect(JSON.parse(rates!.content)).toHaveLength(8);
    expect(JSON.parse(standards!.content)).toHaveLength(110 * 4);
  });

  it('R-PAY-BEDDAY: a rehabilitation stay at a general hospital = bed-days of each stage × 450.00 / 400.00 / 350.00 元, ÷ 10 元/点 (R-DIP-4), as the run paid it', async () => {
    const units = await carvedUnits(tables.run);
    const institutions = new Map((await store.readInstitutions()).map((i) => [i.code, i.type] as const));
    const u = units.find((x) => x.group === 'REH' && institutions.get(x.institution) === 'general');
    expect(u).toBeDefined();
    const [c] = await store.readCases([u!.unitId]);
    const los = c!.losDays;
    const days = [Math.min(los, 60), Math.max(0, Math.min(los, 180) - 60), Math.max(0, los - 180)];
    const fen = days[0]! * 45_000 + days[1]! * 40_000 + days[2]! * 35_000;
    const e = await explain(tables.run, u!.unitId);
    const steps = methodSteps(e);
    expect(steps.map((s) => s.result)).toEqual([
      'REH',
      ((days[0]! * 45_000) / 100).toFixed(2),
      ((days[1]! * 40_000) / 100).toFixed(2),
      ((days[2]! * 35_000) / 100).toFixed(2),
      (fen / 100).toFixed(2),
      // fen ÷ 1000 fen per point, to 0.0001 point: exact here (whole yuan × whole days).
      (fen / 1000).toFixed(4),
    ]);
    expect(steps[1]!.values).toEqual({ bedDays: days[0], dailyRate: '450.00', rateBasis: 'policy' });
    expect(u!.points).toBe(fen * 10);
    expect(e.settledFen).toBe(u!.settledFen);
  });

  it('R-PAY-DISEASE: a case on the pathway = the published standard of its entry at its institution’s level, as the run paid it', async () => {
    const units = await carvedUnits(tables.run);
    const levels = new Map((await store.readInstitutions()).map((i) => [i.code, i.level] as const));
    const u = units.find((x) => x.method === 'single-disease' && x.status === 'paid' && x.group === 'SD001');
    expect(u).toBeDefined();
    // SD001 (急性阑尾炎 阑尾切除术) in the demo's catalog: { "3": 6500, "2": 5520, "1": 4880, primary: 4550 } 元.
    const standard = { '3': 650_000, '2': 552_000, '1': 488_000, primary: 455_000 }[levels.get(u!.institution)!];
    expect(u!.amountFen).toBe(standard);
    const steps = methodSteps(await explain(tables.run, u!.unitId));
    expect(steps.map((s) => s.result)).toEqual(['SD001', (standard! / 100).toFixed(2)]);
    expect(steps[1]!.values).toMatchObject({ level: levels.get(u!.institution), basis: 'policy' });
  });

  it('every carved-out unit of a calibrated run explains to its issued claim and basis, and the same after today’s policy files were edited', async () => {
    // Every per-bed-day unit and SD001's, one in five of the others (each case is evaluated alone: a few ms each).
    const units = (await carvedUnits(calibrated.run)).filter(
      (u, i) => u.method === 'per-diem' || u.group === 'SD001' || i % 5 === 0,
    );
    const before = new Map<string, RunExplanation>();
    for (const u of units) before.set(u.unitId, await explain(calibrated.run, u.unitId));
    // The calibrated rates and standards are the run's: their evidence (mean daily cost, past cases) is shown.
    const perDiem = units.find((u) => u.method === 'per-diem' && u.status === 'paid')!;
    expect(methodSteps(before.get(perDiem.unitId)!)[1]!.values).toMatchObject({ rateBasis: 'calibrated' });
    const sd001 = units.filter((u) => u.group === 'SD001' && u.status === 'paid');
    for (const u of sd001)
      expect(methodSteps(before.get(u.unitId)!).at(-1)!.values!.basis).toMatch(/^calibrated-(level|pooled)$/);
    expect(before.size).toBe(units.length);
    // Today's files: other stage factors, SD001 published again at other amounts.
    const pd = join(calibrated.dir, 'per-diem-2025.yaml');
    writeFileSync(pd, readFileSync(pd, 'utf8').replace('stageFactors: [1, 0.9, 0.8]', 'stageFactors: [2, 1.5, 1]'));
    const sd = join(calibrated.dir, 'single-disease-2025.yaml');
    writeFileSync(
      sd,
      readFileSync(sd, 'utf8').replace(
        'maxLosDays: 7 }',
        'maxLosDays: 7, standards: { "3": 9999, "2": 8888, "1": 7777, primary: 6666 } }',
      ),
    );
    for (const u of units) {
      const e = await explain(calibrated.run, u.unitId);
      expect(e.steps).toEqual(before.get(u.unitId)!.steps);
      expect(e.policyChanges.map((c) => [c.file, c.change]).sort()).toEqual([
        [pd, 'changed'],
        [sd, 'changed'],
      ]);
    }
  });

  it('a run stored with its carve-outs’ traces (before they were recomputed) explains from the stored trace', async () => {
    const [u] = await carvedUnits(tables.run);
    const kept: TraceStep[] = [{ rule: 'R-PAY-BEDDAY', zh: '存储的步骤', en: 'the stored step', result: '1.00' }];
    // As a run of before reads: the trace in its unit row, no rates or standards among what it derived.
    await store.connection.run('UPDATE run_units SET trace = $1 WHERE run_id = $2 AND unit_id = $3', [
      JSON.stringify(kept),
      tables.run,
      u!.unitId,
    ]);
    await store.connection.run('DELETE FROM run_derived WHERE run_id = $1 AND kind IN ($2, $3)', [
      tables.run,
      PER_DIEM_RATES_KIND,
      SINGLE_DISEASE_STANDARDS_KIND,
    ]);
    expect(methodSteps(await explain(tables.run, u!.unitId))).toEqual(kept);
    // A unit of that run without its trace now has neither: said, not guessed.
    const [other] = (await carvedUnits(tables.run)).filter((x) => x.unitId !== u!.unitId);
    await expect(explain(tables.run, other!.unitId)).rejects.toThrow(/kept neither the trace/);
  });
});

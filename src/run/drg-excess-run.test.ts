/**
 * R-PAY-DRG `excessInPointPool: amount` through a stored run: a DRG region whose base rate comes from the budget and
 * whose high-cost excess is fixed money. Each such case's unit row holds its points and its amount; its 病例结算金额 is
 * its points × point value rounded down + the leftover fen it took + the amount; every institution's cases add up to
 * its stored 点数金额+定额; `explain case` names the amount (it read it as leftover fen).
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAMPLE_CODE_LISTS } from '../codes/index.ts';
import { importCodes } from '../ingest/codes-import.ts';
import { tempDir } from '../ingest/testing.ts';
import { fenToYuan } from '../model/money.ts';
import { POINT_SCALE } from '../model/points.ts';
import { POLICY_KINDS } from '../policy/kinds/index.ts';
import { loadPolicyDir } from '../policy/registry.ts';
import { DuckDbStore } from '../store/duckdb/duckdb-store.ts';
import type { RunUnitRow } from '../store/settlement-runs.ts';
import { generateRegion } from '../synth/generate.ts';
import { ingestRegion } from './demo.ts';
import { drgSchemeFor, openSchemeKernel } from './drg-scheme.ts';
import { explainRunCase } from './explain-run.ts';
import { ratioOf } from './results.ts';
import { settleRegionYear } from './settle-region-year.ts';

const tmp = tempDir('yibao-drg-excess-');
let store: DuckDbStore;
let runId: string;

beforeAll(async () => {
  const dir = join(tmp.path, 'region');
  const m = await generateRegion({ out: dir, cases: 2500, seed: '2025', format: 'csv' });
  store = await DuckDbStore.open(':memory:');
  for (const kind of ['icd10', 'icd9'] as const)
    await importCodes(store, { kind, file: SAMPLE_CODE_LISTS[kind], listVersion: '医保版 2.0 (sample)' });
  await ingestRegion(store, m, dir, tmp.path);
  // The demo's policies with the DRG at a base rate from the budget and the excess as money.
  const pol = join(tmp.path, 'policies');
  cpSync('policies/demo', pol, { recursive: true });
  const file = join(pol, 'drg-2025.yaml');
  const text = readFileSync(file, 'utf8');
  expect(text).toContain('method: { value: points,');
  expect(text).toContain('  excessInPointPool:\n    value: points');
  writeFileSync(
    file,
    text
      .replace('method: { value: points,', 'method: { value: base-rate,')
      .replace('  excessInPointPool:\n    value: points', '  excessInPointPool:\n    value: amount'),
  );
  const policies = loadPolicyDir(pol, POLICY_KINDS);
  const skip = ['ffs', 'capitation'] as const;
  const kernel = await openSchemeKernel(drgSchemeFor(policies, 'demo', 2025).scheme);
  runId = (await settleRegionYear(store, { region: 'demo', year: 2025, policies, skip, method: 'drg', kernel })).record
    .id;
}, 240_000);
afterAll(async () => {
  await store?.close();
  tmp.remove();
});

async function drgUnits(): Promise<{ units: RunUnitRow[]; poolId: string }> {
  const reader = store.runResults(runId);
  const [pool] = await reader.pools();
  const units: RunUnitRow[] = [];
  for await (const b of reader.units({ poolId: pool!.poolId, trace: false })) units.push(...b);
  return { units, poolId: pool!.poolId };
}

describe('R-PAY-DRG a stored run with the high-cost excess as money (excessInPointPool: amount)', () => {
  it('each high-cost DRG case holds points and an amount; each institution’s cases add up to its 点数金额+定额', async () => {
    const { units, poolId } = await drgUnits();
    const mixed = units.filter((u) => u.method === 'drg' && u.points !== null && u.amountFen !== null);
    expect(mixed.length).toBeGreaterThan(0);
    expect(mixed.every((u) => u.status === 'high-cost' && u.amountFen! > 0)).toBe(true);
    const years = await store.runResults(runId).institutionYear(poolId);
    for (const y of years) {
      const sum = units
        .filter((u) => u.institution === y.institution && u.status !== 'excluded')
        .reduce((s, u) => s + u.settledFen!, 0);
      expect([y.institution, sum]).toEqual([y.institution, y.valueFen]);
    }
  });

  it('explain case: 病例结算金额 = points × point value rounded down + leftover fen (0 or 1) + the fixed amount', async () => {
    const { units } = await drgUnits();
    const reader = store.runResults(runId);
    const [pool] = await reader.pools();
    const u = units.find((x) => x.method === 'drg' && x.points !== null && x.amountFen !== null)!;
    const e = (await explainRunCase(store, reader, await reader.record(), u.unitId, openSchemeKernel))!;
    const last = e.steps.at(-1)!;
    const pv = ratioOf(pool!.pointValue);
    const floor = Number((BigInt(u.points!) * pv.num) / (pv.den * POINT_SCALE));
    expect(last.zh).toContain('+ 分得余分 + 定额金额');
    expect(last.values).toMatchObject({ 向下取整到分: fenToYuan(floor), 定额金额: fenToYuan(u.amountFen!) });
    const leftover = u.settledFen! - floor - u.amountFen!;
    expect([0, 1]).toContain(leftover);
    expect(last.values!.分得余分).toBe(fenToYuan(leftover));
    expect(last.result).toBe(fenToYuan(u.settledFen!));
    // The excess is a step of its own, arriving at the stored amount.
    expect(e.steps.some((st) => st.zh.startsWith('超出部分金额') && st.result === fenToYuan(u.amountFen!))).toBe(true);
  });
});

/**
 * GET /api/what-if/{id} for a what-if settled from a copied policy folder (`yibao settle --what-if`, walk2 #8): its
 * record's command names a folder, not `parameter=value`; the changes are read from the two runs' policy snapshots.
 * It read `[{ parameter: 'whati', value: null }]`.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POLICY_KINDS } from '../../src/policy/kinds/index.ts';
import { loadPolicyDir } from '../../src/policy/registry.ts';
import { settleRegionYear } from '../../src/run/settle-region-year.ts';
import { call, serveDemo, type TestServer, TOKENS } from './fixture.ts';

let s: TestServer;
let whatIf = '';
const dir = mkdtempSync(join(tmpdir(), 'yibao-whatif-policies-'));
beforeAll(async () => {
  s = await serveDemo(undefined, undefined, async (store) => {
    const [base] = await store.listSettlementRuns({ region: 'demo', year: 2025, limit: 1 });
    cpSync('policies/demo', dir, { recursive: true });
    const file = join(dir, 'dip-settlement-2025.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('growthRate: 0.05', 'growthRate: 0.10'));
    const run = await settleRegionYear(store, {
      region: 'demo',
      year: 2025,
      policies: loadPolicyDir(dir, POLICY_KINDS),
      whatIfOf: base!.id,
      command: `what-if ${base!.id} ${dir}`,
    });
    whatIf = run.record.id;
  });
}, 300_000);
afterAll(async () => {
  await s?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('R-DIP-6 what-if of a copied policy folder, through the API', () => {
  it('the one number that differs, with the value in force and its clause; clearing moves as the year end', async () => {
    const r = await call(s, `/api/what-if/${whatIf}`, TOKENS.agency);
    expect(r.status).toBe(200);
    expect(r.body.changes).toEqual([
      expect.objectContaining({
        parameter: 'demo-dip-settlement-2025:budget.growthRate',
        value: 0.1,
        inForce: 0.05,
        key: 'budget.growthRate',
      }),
    ]);
    const rows = r.body.table.rows as { difference: number; clearingDifference: number }[];
    expect(rows.some((x) => x.difference !== 0)).toBe(true);
    for (const x of rows) expect(x.clearingDifference).toBe(x.difference);
  });
});

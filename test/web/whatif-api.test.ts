/**
 * GET /api/what-if/{id} for a what-if settled from a copied policy folder (`yibao settle --what-if`, walk2 #8): its
 * record's command names a folder, not `parameter=value`; the changes are read from the two runs' policy snapshots.
 * It read `[{ parameter: 'whati', value: null }]`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, serveDemoWithWhatIf, type TestServer, TOKENS } from './fixture.ts';

let s: TestServer;
let whatIf = '';
beforeAll(async () => {
  ({ server: s, whatIf } = await serveDemoWithWhatIf());
}, 300_000);
afterAll(async () => {
  await s?.close();
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

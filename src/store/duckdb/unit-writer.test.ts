/**
 * The run's unit writer (issue 9): units appended with their figures as exact doubles read back as the same safe
 * integers (negative, null, up to 2^53 − 1), texts and nulls as given; a figure that is not a safe integer is
 * refused and the run's transaction leaves nothing behind.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RunUnitRow, SettlementRunRecord } from '../settlement-runs.ts';
import { testRunRecord } from '../testing.ts';
import { DuckDbStore } from './duckdb-store.ts';

const record = (id: string): SettlementRunRecord =>
  testRunRecord(id, 'p', {
    command: 'test',
    startedAt: '2025-01-01T00:00:00.000Z',
    finishedAt: '2025-01-01T00:00:01.000Z',
  });

const figure = fc.option(
  fc.oneof(
    fc.integer({ min: -1_000_000, max: 1_000_000 }),
    fc.constantFrom(Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, 2 ** 31, -(2 ** 31) - 1),
  ),
  { nil: null },
);
const unitArb = fc.record({
  poolId: fc.constantFrom('p-dip-2025', 'p-capitation-2025'),
  unitId: fc.string({ minLength: 1, maxLength: 12 }),
  method: fc.constantFrom('dip', 'capitation'),
  institution: fc.constantFrom('H1', 'H2'),
  month: fc.constantFrom('2025-01', '2025-07'),
  group: fc.option(fc.string(), { nil: null }),
  status: fc.constantFrom('paid', 'high-cost'),
  points: figure,
  amountFen: figure,
  billedFen: fc.integer({ min: -(2 ** 40), max: 2 ** 40 }),
  patientPaidFen: fc.integer({ min: 0, max: 2 ** 33 }),
  basis: fc.option(fc.string(), { nil: null }),
  trace: fc.option(fc.json(), { nil: null }),
});

describe('run unit writer (issue 9)', () => {
  it('units read back exactly as written: figures, nulls and texts (property)', async () => {
    const store = await DuckDbStore.open(':memory:');
    let n = 0;
    try {
      await fc.assert(
        fc.asyncProperty(
          fc.uniqueArray(unitArb, { selector: (u) => `${u.poolId}/${u.unitId}`, maxLength: 30 }),
          async (units) => {
            const id = `run-${++n}`;
            await store.saveSettlementRun(record(id), async (w) => {
              await w.units(units);
            });
            const back: RunUnitRow[] = [];
            for await (const b of store.runResults(id).units()) back.push(...b);
            const key = (u: RunUnitRow) => `${u.poolId}\u0000${u.unitId}`;
            const order = (xs: RunUnitRow[]) =>
              [...xs].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
            // no case amounts split for these runs (病例结算金额): each reads as not stored
            expect(order(back)).toEqual(order(units).map((u) => ({ ...u, settledFen: null })));
          },
        ),
        { numRuns: 20, seed: 7 },
      );
    } finally {
      await store.close();
    }
  });

  it('a figure that is not a safe integer (a fraction of a fen) is refused; the run leaves nothing', async () => {
    const store = await DuckDbStore.open(':memory:');
    try {
      const unit: RunUnitRow = {
        poolId: 'p',
        unitId: 'U1',
        method: 'dip',
        institution: 'H1',
        month: '2025-01',
        group: null,
        status: 'paid',
        points: null,
        amountFen: 100.5,
        billedFen: 1,
        patientPaidFen: 0,
        basis: null,
        trace: null,
      };
      await expect(
        store.saveSettlementRun(record('bad'), async (w) => {
          await w.units([{ ...unit, unitId: 'U0', amountFen: 1 }]);
          await w.units([unit]);
        }),
      ).rejects.toThrow(/U1: amountFen 100.5 is not a safe integer/);
      expect(await store.scalar("SELECT count(*) FROM run_units WHERE run_id = 'bad'")).toBe(0n);
    } finally {
      await store.close();
    }
  });
});

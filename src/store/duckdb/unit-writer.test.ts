/**
 * The run's unit writer (issue 9): units appended with their figures as exact doubles read back as the same safe
 * integers (negative, null, up to 2^53 − 1), texts and nulls as given; a figure that is not a safe integer is
 * refused and the run's transaction leaves nothing behind.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RunUnitRow, SettlementRunRecord } from '../settlement-runs.ts';
import { testInstitutionYearRow, testRunRecord, testUnitRow } from '../testing.ts';
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
/** Texts with what a CSV file must quote (comma, quote, line breaks, backslash, blanks) and wide characters. */
const text = (o: { minLength?: number; maxLength?: number } = {}) =>
  fc.oneof(
    fc.string(o),
    fc.string({ ...o, unit: fc.constantFrom('a', ',', '"', "'", '\n', '\r', '\\', ' ', '\t', '中', '😀', '{', '1') }),
    fc.string({ ...o, unit: 'grapheme' }),
  );
const unitArb = fc.record({
  poolId: fc.constantFrom('p-dip-2025', 'p-capitation-2025'),
  unitId: text({ minLength: 1, maxLength: 12 }),
  method: fc.constantFrom('dip', 'capitation'),
  institution: fc.constantFrom('H1', 'H2'),
  month: fc.constantFrom('2025-01', '2025-07'),
  group: fc.option(text(), { nil: null }),
  status: fc.constantFrom('paid', 'high-cost'),
  points: figure,
  amountFen: figure,
  billedFen: fc.integer({ min: -(2 ** 40), max: 2 ** 40 }),
  patientPaidFen: fc.integer({ min: 0, max: 2 ** 33 }),
  basis: fc.option(text(), { nil: null }),
  trace: fc.option(fc.oneof(fc.json(), text()), { nil: null }),
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
        { numRuns: 60, seed: 7 },
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

  it("one appender per run: units of several batches, around the run's other rows, are all split (R-DIP-6)", async () => {
    // The contract suite's split (store/contract.ts), its units written in two batches with other rows between:
    // H1 13,571 fen over 100k/200k/300k points at 1000/7 fen per point and C4's fixed 5,000 → 1428, 2857, 4286;
    // H2 1,429 over two 50k units → 715, 714 (the leftover fen to the lower id). A batch still held by the
    // appender when the split reads the table would fail the split's check (its floors above value_fen).
    const store = await DuckDbStore.open(':memory:');
    try {
      const pool = 'demo-dip-2025';
      const unit = (id: string, institution: string, points: number | null, amountFen: number | null) =>
        testUnitRow(pool, id, { institution, points, amountFen });
      await store.saveSettlementRun(record('batches'), async (w) => {
        await w.units([unit('C1', 'H1', 100_000, null), unit('C5', 'H2', 50_000, null)]);
        await w.derived([{ kind: 'note', name: pool, content: '{}' }]);
        await w.units([unit('C2', 'H1', 200_000, null), unit('C3', 'H1', 300_000, null)]);
        await w.units([unit('C4', 'H1', null, 5_000), unit('C6', 'H2', 50_000, null)]);
        await w.institutionYear([
          testInstitutionYearRow(pool, 'H1', 13_571, { points: 600_000, amountFen: 5_000 }),
          testInstitutionYearRow(pool, 'H2', 1_429, { points: 100_000, amountFen: 0 }),
        ]);
        expect(await w.caseAmounts(pool, { num: '1000', den: '7' })).toBe(6);
        await w.units([testUnitRow('demo-ffs-2025', 'F1', { institution: 'H1', points: null, amountFen: 777 })]);
      });
      const back: Record<string, number | null | undefined> = {};
      for await (const b of store.runResults('batches').units({ trace: false }))
        for (const u of b) back[u.unitId] = u.settledFen;
      expect(back).toEqual({ C1: 1428, C2: 2857, C3: 4286, C4: 5000, C5: 715, C6: 714, F1: null });
    } finally {
      await store.close();
    }
  });

  it('a run that fails after its units leaves none, and the next run writes its own', async () => {
    const store = await DuckDbStore.open(':memory:');
    try {
      await expect(
        store.saveSettlementRun(record('failed'), async (w) => {
          await w.units([testUnitRow('p', 'U1'), testUnitRow('p', 'U2')]);
          throw new Error('the pool could not be settled');
        }),
      ).rejects.toThrow('the pool could not be settled');
      await store.saveSettlementRun(record('next'), async (w) => {
        await w.units([testUnitRow('p', 'U3')]);
      });
      expect(await store.scalar('SELECT count(*) FROM run_units')).toBe(1n);
      expect(await store.scalar("SELECT unit_id FROM run_units WHERE run_id = 'next'")).toBe('U3');
    } finally {
      await store.close();
    }
  });
});

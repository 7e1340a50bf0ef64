/**
 * The agency's side of a reconciliation (对账) read through the Store interface, on both stores: a run that stored
 * each case's 病例结算金额 (R-DIP-6, floors and largest remainders per institution) gives those amounts, and the
 * hospital's half-up cases a fen off differ only by the split (分配尾差); a run stored without them keeps the half-up
 * per case, and says so. The hand-computed institution is SPLIT_EXAMPLE (src/hospital/testing.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { reconcile } from '../hospital/reconcile.ts';
import { SPLIT_EXAMPLE as E } from '../hospital/testing.ts';
import { ClickHouseStore } from '../store/clickhouse/clickhouse-store.ts';
import { DuckDbStore } from '../store/duckdb/duckdb-store.ts';
import type { RunInstitutionYearRow } from '../store/settlement-runs.ts';
import type { Store } from '../store/store.ts';
import { testInstitutionYearRow, testRunRecord, testUnitRow } from '../store/testing.ts';
import { agencySideOfRun } from './reconcile-run.ts';
import { CASE_AMOUNT_ROUNDING_KIND, toJson } from './results.ts';

const dir = mkdtempSync(join(tmpdir(), 'yibao-reconcile-run-'));
// chDB (in process) may still be finishing a background merge in the folder: retry the removal.
afterAll(() => rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 }));

const POOL = 'demo-dip-2025';
const unit = (unitId: string) => testUnitRow(POOL, unitId, { group: 'K35.8|47.0901', points: E.points[unitId]! });
const year = (valueFen: number): RunInstitutionYearRow =>
  testInstitutionYearRow(POOL, 'H1', valueFen, { units: 4, points: 580_000 });

/** Two runs of the example: `split` stored its 病例结算金额, `before` was stored as runs were before migration 12. */
async function saveRuns(store: Store): Promise<void> {
  const units = ['A', 'B', 'C', 'D'].map(unit);
  const pool = {
    poolId: POOL,
    fundFen: 0,
    pointValueRule: 'budget',
    pointValue: E.pointValue,
    pointValueText: '1.428571',
    floatingPointValue: null,
    fundPaymentRatio: { num: '1', den: '1' },
    openingPointValue: E.pointValue,
    summary: '{}',
    pointValueSteps: '[]',
    steps: '[]',
  };
  await store.saveSettlementRun(testRunRecord('split', 'demo'), async (w) => {
    await w.derived([
      { kind: CASE_AMOUNT_ROUNDING_KIND, name: POOL, content: toJson({ value: 'largest-remainder', source: 'test' }) },
    ]);
    await w.pools([pool]);
    await w.units(units);
    await w.institutionYear([year(E.institutionValueFen)]);
    await w.caseAmounts(POOL, E.pointValue);
  });
  await store.saveSettlementRun(testRunRecord('before', 'demo'), async (w) => {
    await w.pools([pool]);
    await w.units(units);
    await w.institutionYear([year(E.institutionValueFen)]);
  });
}

const view = E.view.map((v) => ({ ...v, institution: 'H1', group: 'K35.8|47.0901', status: null }));

describe.each([
  ['DuckDB', () => DuckDbStore.open(':memory:')],
  ['ClickHouse (chDB)', () => ClickHouseStore.open(`chdb://${dir}?database=reconcile`)],
] as const)('R-DIP-6 reconciliation reads the run’s 病例结算金额 through the store: %s', (_name, open) => {
  it('stored: 572, 1572, 2571, 3571 fen (Σ 8286 = H1’s amount); A and B only the split, D a coefficient; Σ −141 fen', async () => {
    const store: Store = await open();
    try {
      await saveRuns(store);
      const s = await agencySideOfRun(store.runResults('split'), 'H1');
      expect(s.amounts).toBe('stored');
      expect(s.cases.map((c) => [c.setlId, c.amount])).toEqual(Object.entries(E.settled));
      const r = reconcile(view, s.cases, s.deductions);
      expect(r.lines.map((l) => [l.setlId, l.reason, l.atStake])).toEqual([
        ['D', 'coefficient', -143],
        ['A', 'split', 1],
        ['B', 'split', 1],
      ]);
      expect(r.atStake).toBe(E.institutionValueFen - 8427);
      // A run stored before: half-up per case (571, 1571, 2571, 3571), said by `amounts`; only D differs.
      const old = await agencySideOfRun(store.runResults('before'), 'H1');
      expect(old.amounts).toBe('not-stored');
      expect(old.cases.map((c) => c.amount)).toEqual([571, 1571, 2571, 3571]);
      expect(reconcile(view, old.cases, old.deductions).lines.map((l) => [l.setlId, l.reason])).toEqual([
        ['D', 'coefficient'],
      ]);
    } finally {
      await store.close();
    }
  });
});

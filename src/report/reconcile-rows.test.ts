/**
 * Reconciliation (对账) tables name a DIP comprehensive group in words as the statements do (glossary: 综合病种 with its
 * treatment type): the agency's K35#surgery reads K35 综合病种（相关手术） in zh, K35 comprehensive (related surgery) in en,
 * in the group columns, where the paths part and in the paths; money stays integer fen.
 */
import { describe, expect, it } from 'vitest';
import type { Reconciliation } from '../hospital/reconcile.ts';
import { reconcileTables } from './reconcile-rows.ts';

const step = (zh: string, en: string) => ({ zh, en });
const R: Reconciliation = {
  lines: [
    {
      setlId: 'S1',
      institution: 'H1',
      month: '2025-01',
      reason: 'group',
      agencyGroup: 'K35#surgery',
      hospitalGroup: 'K35.8|47.0901',
      agencyStatus: 'paid',
      hospitalStatus: 'paid',
      agencyPoints: 12_000_000,
      hospitalPoints: 10_000_000,
      agencyAmount: 1_140_000,
      hospitalAmount: 950_000,
      atStake: 190_000,
      parting: step('经办：归入综合病种 K35#surgery', 'agency: comprehensive group K35#surgery'),
      paths: {
        agency: [{ stage: 'match', ...step('归入综合病种 K35#surgery', 'comprehensive group K35#surgery') }],
        hospital: null,
      },
    },
  ],
  totals: [{ reason: 'group', cases: 1, atStake: 190_000 }],
  matched: 0,
  atStake: 190_000,
};

describe('reconcile tables: stable group codes, comprehensive groups in words in the paths', () => {
  it('zh: the group columns hold the code every file writes (walk6); parting and path read K35 综合病种（相关手术）', () => {
    const [diff] = reconcileTables(R, 'zh');
    const rows = [...diff!.rows];
    const row = rows[0]!;
    // The same code as the agency's cases sheet and hospital-cases.csv write, in zh and en.
    expect(row.agencyGroup).toBe('K35#surgery');
    expect(row.hospitalGroup).toBe('K35.8|47.0901');
    expect(row.parting).toBe('经办：归入综合病种 K35 综合病种（相关手术）');
    expect(row.agencyPath).toBe('归入综合病种 K35 综合病种（相关手术）');
    expect(row.atStake).toBe(190_000);
    expect(JSON.stringify([row.parting, row.agencyPath])).not.toContain('#surgery');
  });

  it('en: the same code; the path reads K35 comprehensive (related surgery)', () => {
    const [diff] = reconcileTables(R, 'en');
    const [row] = [...diff!.rows];
    expect(row!.agencyGroup).toBe('K35#surgery');
    expect(row!.agencyPath).toBe('comprehensive group K35 comprehensive (related surgery)');
  });
});

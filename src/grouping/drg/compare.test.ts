/** Scheme comparison (R-PAY-DRG): each kind of change, by hand. */
import { describe, expect, it } from 'vitest';
import { DrgComparisonTally, drgChange } from './compare.ts';
import type { DrgOutcome } from './results.ts';

const ok = (mdc: string, adrg: string, drg: string): DrgOutcome => ({ mdc, adrg, drg, status: 'SUCCESS' });
const fail: DrgOutcome = { mdc: '0000', adrg: '00', drg: '0000', status: 'FAIL' };
const check: DrgOutcome = { mdc: '0000', adrg: '00', drg: '0000', status: 'CHECK_FAILED' };

describe('drgChange', () => {
  it('names every kind of change', () => {
    expect(drgChange(ok('MDCB', 'BR2', 'BR23'), ok('MDCB', 'BR2', 'BR23'))).toBe('same');
    expect(drgChange(ok('MDCB', 'BR2', 'BR23'), ok('MDCB', 'BR2', 'BR25'))).toBe('drg');
    expect(drgChange(ok('MDCB', 'BR2', 'BR23'), ok('MDCB', 'BR1', 'BR15'))).toBe('adrg');
    expect(drgChange(ok('MDCA', 'AH1', 'AH11'), ok('MDCE', 'ES1', 'ES11'))).toBe('adrg');
    expect(drgChange(fail, ok('MDCB', 'BR2', 'BR25'))).toBe('grouped');
    expect(drgChange(ok('MDCB', 'BR2', 'BR25'), fail)).toBe('ungrouped');
    expect(drgChange(fail, check)).toBe('status');
    expect(drgChange(fail, fail)).toBe('same');
  });

  it('tallies kinds and transitions, most frequent first', () => {
    const t = new DrgComparisonTally();
    t.add(ok('MDCB', 'BR2', 'BR23'), ok('MDCB', 'BR2', 'BR25'));
    t.add(ok('MDCB', 'BR2', 'BR23'), ok('MDCB', 'BR2', 'BR25'));
    t.add(ok('MDCB', 'BR2', 'BR21'), ok('MDCB', 'BR2', 'BR21'));
    t.add(fail, ok('MDCG', 'GZ1', 'GZ13'));
    expect(t.cases).toBe(4);
    expect(t.counts).toEqual({ same: 1, drg: 2, adrg: 0, grouped: 1, ungrouped: 0, status: 0 });
    expect(t.transitions()).toEqual([
      { from: 'BR23', to: 'BR25', cases: 2 },
      { from: '0000', to: 'GZ13', cases: 1 },
    ]);
  });
});

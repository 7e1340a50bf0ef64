import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ratio } from '../../model/money.ts';
import { shareDifference } from '../../settlement/sharing.ts';
import { capitationBands } from './index.ts';
import { policy } from './test-fixtures.ts';

const bands = capitationBands(policy);

describe('R-CAP-5 the Panzhihua bands as policy data (攀枝花 四(六)2、3)', () => {
  it('R-CAP-5: the policy file gives surplus 80 % and overspend 40 % up to 10 %, then 0 %', () => {
    expect(bands.surplus).toEqual([{ institutionShare: ratio(4n, 5n) }]);
    expect(bands.overspend).toEqual([{ upTo: ratio(1n, 10n), fundShare: ratio(2n, 5n) }, { fundShare: ratio(0n) }]);
    expect(bands.source).toBe('攀枝花医保 二类门特按病种结合人头付费试行办法 四(六)2、3');
  });

  it('R-CAP-5: overspend of exactly 10 % (1000.00 on 10000.00) lies wholly in the first band → fund 400.00', () => {
    const r = shareDifference(1_000_000, 1_100_000, bands);
    expect(r.lines.map((l) => [l.amount, l.shared])).toEqual([[100_000, 40_000]]);
    expect(r.fundPays).toBe(1_040_000);
  });

  it('R-CAP-5: 10 % + 1 fen → the extra fen is the institution’s alone; no cliff (fund still bears 400.00)', () => {
    const r = shareDifference(1_000_000, 1_100_001, bands);
    expect(r.lines.map((l) => [l.amount, l.shared])).toEqual([
      [100_000, 40_000],
      [1, 0],
    ]);
    expect([r.fundPays, r.institutionBears]).toEqual([1_040_000, 60_001]);
  });

  it('R-CAP-5: a surplus of 1 fen → the institution keeps 0.8 fen → 1 fen (half-up)', () => {
    expect(shareDifference(1_000_000, 999_999, bands).fundPays).toBe(1_000_000);
  });

  it('R-CAP-5 property: money balances to the fen and the institution never gains by spending more', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1e10 }),
        fc.integer({ min: 0, max: 1e10 }),
        fc.integer({ min: 1, max: 1e6 }),
        (t, a, more) => {
          const r = shareDifference(t, a, bands);
          if (a <= t) expect(r.fundPays + r.fundRetains).toBe(t);
          else expect(r.fundPays + r.institutionBears).toBe(a);
          // fund's extra payment on an overspend is at most 40 % of 10 % of the total (+ rounding)
          if (a > t) expect(r.fundPays - t).toBeLessThanOrEqual(Math.round(t * 0.04) + 1);
          // what the institution ends with (fundPays − actual) never rises when it spends more
          const r2 = shareDifference(t, a + more, bands);
          expect(r2.fundPays - (a + more)).toBeLessThanOrEqual(r.fundPays - a);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('seed 004 policy file: every value cites its clause', () => {
  it('every value of policies/panzhihua/capitation-2021.yaml cites 攀枝花医保 … 试行办法 and a clause of part 四', () => {
    for (const [name, v] of Object.entries(policy)) {
      expect(v.source, name).toMatch(/^攀枝花医保 二类门特按病种结合人头付费试行办法 四\([一二三四五六七]\)/);
    }
    expect(policy.prepayShare.source).toBe('攀枝花医保 二类门特按病种结合人头付费试行办法 四(五)1');
    expect(policy.familyDoctorFee.value).toBe(10_000);
  });
});

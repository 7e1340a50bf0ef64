import { describe, expect, it } from 'vitest';
import { ratio } from '../model/money.ts';
import { type SharingBands, shareDifference } from './sharing.ts';

// Seed 004 四(六)2–3: surplus → institution keeps 80 %; overspend within 10 % of the total → fund 40 %,
// institution 60 %; the part beyond 10 % → institution alone.
const seed004: SharingBands = {
  surplus: [{ institutionShare: ratio(80n, 100n) }],
  overspend: [{ upTo: ratio(10n, 100n), fundShare: ratio(40n, 100n) }, { fundShare: ratio(0n) }],
  source: '攀枝花 二类门特按病种结合人头付费试行办法 四(六)2-3',
};

describe('R-CAP-5 sharing bands (seed 004 四(六)2–3)', () => {
  it('R-CAP-5: surplus of 100,000.00 yuan on a 1,000,000.00 total → institution keeps 80,000.00', () => {
    const r = shareDifference(100_000_000, 90_000_000, seed004);
    expect(r.surplus).toBe(10_000_000);
    expect(r.fundPays).toBe(90_000_000 + 8_000_000);
    expect(r.fundRetains).toBe(2_000_000);
    expect(r.fundPays + r.fundRetains).toBe(r.target);
  });

  it('R-CAP-5: overspend of 6 % lies in the first band → fund bears 40 % of it', () => {
    // total 1,000,000.00; actual 1,060,000.00; overspend 60,000.00 → fund 24,000.00, institution 36,000.00
    const r = shareDifference(100_000_000, 106_000_000, seed004);
    expect(r.overspend).toBe(6_000_000);
    expect(r.fundPays).toBe(100_000_000 + 2_400_000);
    expect(r.institutionBears).toBe(3_600_000);
    expect(r.fundPays + r.institutionBears).toBe(r.actual);
  });

  it('R-CAP-5: overspend of 15 % splits 40/60 on the first 10 % only; the other 5 % is the institution’s', () => {
    // overspend 150,000.00: first 100,000.00 → fund 40,000.00; the next 50,000.00 → institution alone.
    const r = shareDifference(100_000_000, 115_000_000, seed004);
    expect(r.lines.map((l) => [l.amount, l.shared])).toEqual([
      [10_000_000, 4_000_000],
      [5_000_000, 0],
    ]);
    expect(r.fundPays).toBe(104_000_000);
    expect(r.institutionBears).toBe(11_000_000);
  });

  it('R-CAP-5: spending exactly at the total is neither surplus nor overspend', () => {
    const r = shareDifference(100_000_000, 100_000_000, seed004);
    expect([r.surplus, r.overspend, r.fundPays, r.fundRetains]).toEqual([0, 0, 100_000_000, 0]);
  });
});

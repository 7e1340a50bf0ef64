/** Calendar arithmetic of the payment methods: age in whole years (周岁) read by digits equals the reading by parts. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { daysInclusive } from '../../policy/dates.ts';
import { ageOn, clip, daysInYear } from './period.ts';

/** The reading by the parts between dashes (how `ageOn` reads any text). */
function ageByParts(birthDate: string, date: string): number {
  const [by, bm, bd] = birthDate.slice(0, 10).split('-').map(Number) as [number, number, number];
  const [y, m, d] = date.slice(0, 10).split('-').map(Number) as [number, number, number];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

const iso = fc
  .date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2100-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));

describe('ageOn (周岁)', () => {
  it('the day before the birthday is a year younger; 29 February birthdays count on 1 March', () => {
    expect(ageOn('1960-07-07', '2025-07-06')).toBe(64);
    expect(ageOn('1960-07-07', '2025-07-07')).toBe(65);
    expect(ageOn('2000-02-29', '2025-02-28')).toBe(24);
    expect(ageOn('2000-02-29', '2025-03-01')).toBe(25);
    expect(ageOn('1960-07-07T08:00:00', '2025-12-31')).toBe(65);
  });

  it('property: equals the reading by parts for any ISO dates and timestamps, and for other text', () => {
    fc.assert(
      fc.property(iso, iso, fc.boolean(), (b, d, stamp) => {
        const birth = stamp ? `${b}T10:00:00` : b;
        expect(ageOn(birth, d)).toBe(ageByParts(birth, d));
      }),
      { numRuns: 2000 },
    );
    for (const [b, d] of [
      ['1960-7-7', '2025-07-07'],
      ['', '2025-01-01'],
      ['1960/07/07', '2025-01-01'],
    ] as const)
      expect(Object.is(ageOn(b, d), ageByParts(b, d))).toBe(true);
  });

  it('clip keeps the later start and the earlier end (text order)', () => {
    expect(clip({ from: '2024-06-01', to: '2026-01-31' }, { from: '2025-01-01', to: '2025-12-31' })).toEqual({
      from: '2025-01-01',
      to: '2025-12-31',
    });
    expect(clip({ from: '2026-01-01', to: '2026-02-01' }, { from: '2025-01-01', to: '2025-12-31' })).toBeNull();
  });

  it('daysInYear: 366 in leap years (2024, 2000), 365 otherwise (2025, 1900, 2100); equals 1 Jan..31 Dec counted', () => {
    expect([2024, 2000, 2025, 1900, 2100].map(daysInYear)).toEqual([366, 366, 365, 365, 365]);
    fc.assert(
      fc.property(fc.integer({ min: 1000, max: 9999 }), (y) => {
        expect(daysInYear(y)).toBe(daysInclusive(`${y}-01-01`, `${y}-12-31`));
      }),
      { numRuns: 500 },
    );
  });
});

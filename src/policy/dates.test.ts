/** Calendar helpers: the month lengths `isIsoDate` checks against agree with the calendar of `Date.UTC`. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dayNumber, daysInclusive, daysInMonth, isIsoDate } from './dates.ts';

describe('daysInMonth / isIsoDate', () => {
  it('every month of years 0–9999 has the length Date.UTC gives it (leap years, centuries, 0–99 read as 19xx)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 1, max: 12 }), (y, m) => {
        expect(daysInMonth(y, m)).toBe(new Date(Date.UTC(y, m, 0)).getUTCDate());
      }),
      { numRuns: 2000 },
    );
    for (const y of [1900, 2000, 2024, 2025, 2100, 2400])
      expect(daysInMonth(y, 2)).toBe(new Date(Date.UTC(y, 2, 0)).getUTCDate());
  });

  it('29 February only in leap years; no day 0 or 32; months 1–12', () => {
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2025-02-29')).toBe(false);
    expect(isIsoDate('2100-02-29')).toBe(false);
    expect(isIsoDate('2000-02-29')).toBe(true);
    expect(isIsoDate('2025-04-31')).toBe(false);
    expect(isIsoDate('2025-12-31')).toBe(true);
    expect(isIsoDate('2025-13-01')).toBe(false);
    expect(isIsoDate('2025-01-00')).toBe(false);
  });

  it('reads like the pattern /^(\\d{4})-(\\d{2})-(\\d{2})$/ plus the calendar, for any text (property)', () => {
    const byPattern = (t: string) => {
      const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(t);
      if (!m) return false;
      const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
      return mo >= 1 && mo <= 12 && d >= 1 && d <= new Date(Date.UTC(y, mo, 0)).getUTCDate();
    };
    const digit = fc.constantFrom(...'0123456789０١'.split(''));
    const piece = (n: number) => fc.array(digit, { minLength: n, maxLength: n }).map((a) => a.join(''));
    const dateLike = fc
      .tuple(piece(4), fc.constantFrom('-', '/', '−'), piece(2), fc.constantFrom('-', '.'), piece(2))
      .map((p) => p.join(''));
    fc.assert(
      fc.property(
        fc.oneof(
          dateLike,
          fc.string({ maxLength: 12 }),
          dateLike.map((t) => `${t}\n`),
        ),
        (t) => {
          expect(isIsoDate(t)).toBe(byPattern(t));
        },
      ),
      { numRuns: 5000 },
    );
    for (const t of ['2025-02-28', '0000-02-29', '1900-02-29', '2025-1-01', ' 2025-01-01', '2025-01-01T00:00'])
      expect(isIsoDate(t)).toBe(byPattern(t));
  });
});

describe('dayNumber / daysInclusive', () => {
  const text = (y: number, m: number, d: number) =>
    `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;

  it('a YYYY-MM-DD text counts the days Date.parse counts (years 0000–9999, days past the month are not dates)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 9999 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 31 }),
        (y, m, d) => {
          const t = text(y, m, d);
          const ms = Date.parse(`${t}T00:00:00Z`);
          const isDate = !Number.isNaN(ms) && new Date(ms).toISOString().slice(0, 10) === t;
          expect(dayNumber(t)).toBe(isDate ? ms / 86_400_000 : undefined);
        },
      ),
      { numRuns: 20_000 },
    );
    expect(dayNumber('1970-01-01')).toBe(0);
    expect(dayNumber('0000-02-29')).toBe(Date.parse('0000-02-29T00:00:00Z') / 86_400_000);
    for (const t of ['2025-02-29', '2025-1-01', '2025-01-01T00:00', '', '9999-12-32'])
      expect(dayNumber(t)).toBeUndefined();
  });

  it('days inclusive: a month, a leap year, one day, the open end; texts that are not dates as Date.parse gives them', () => {
    expect(daysInclusive('2025-01-01', '2025-01-31')).toBe(31);
    expect(daysInclusive('2024-01-01', '2024-12-31')).toBe(366);
    expect(daysInclusive('2025-03-01', '2025-03-01')).toBe(1);
    expect(daysInclusive('2025-01-01', '9999-12-31')).toBe(
      Date.UTC(9999, 11, 31) / 86_400_000 - Date.UTC(2025, 0, 1) / 86_400_000 + 1,
    );
    const parsed = (a: string, b: string) =>
      Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000) + 1;
    for (const [a, b] of [
      ['2025-02-30', '2025-03-01'],
      ['2025-1-1', '2025-01-31'],
      ['x', '2025-01-01'],
    ] as const)
      expect(daysInclusive(a, b)).toBe(parsed(a, b));
  });
});

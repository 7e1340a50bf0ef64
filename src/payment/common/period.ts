/**
 * Calendar arithmetic the payment methods share: clipping an enrolment or a stay to a settlement year, counting
 * days, and pro-rating an annual amount by days (按天数折算). Dates are ISO text (YYYY-MM-DD), both ends inclusive.
 */
import { daysInclusive, daysInMonth, digitsAt, type Period } from '../../policy/dates.ts';

/** The settlement year (自然年度) as a period: 1 January to 31 December, inclusive. */
export function yearPeriod(year: number): Period {
  return { from: `${year}-01-01`, to: `${year}-12-31` };
}

/** 365 or 366: the year's February says which (no date text to parse on the per-head path). */
export function daysInYear(year: number): number {
  return daysInMonth(year, 2) === 29 ? 366 : 365;
}

/** The part of `p` inside `within`, or null when they do not meet. */
export function clip(p: Period, within: Period): Period | null {
  // ISO date text compares as text (code units, as `byCode`); Math.min/max would turn it into NaN.
  const from = p.from > within.from ? p.from : within.from;
  const to = p.to < within.to ? p.to : within.to;
  return from <= to ? { from, to } : null;
}

/** Days of `p` inside `within` (0 when they do not meet). */
export function daysWithin(p: Period, within: Period): number {
  const c = clip(p, within);
  return c ? daysInclusive(c.from, c.to) : 0;
}

/** "2025-03-14" or "2025-03-14T08:00:00" → "2025-03". */
export function monthOf(date: string): string {
  return date.slice(0, 7);
}

/** A date `days` days after `date` (negative goes back). */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date.slice(0, 10)}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Whole years of age on `date` (周岁) for someone born on `birthDate`. */
export function ageOn(birthDate: string, date: string): number {
  // ISO dates (the store's, the policy's) are read by their digits; anything else as the parts between dashes.
  if (dashed(birthDate) && dashed(date)) {
    const by = digitsAt(birthDate, 0, 4);
    const bm = digitsAt(birthDate, 5, 7);
    const bd = digitsAt(birthDate, 8, 10);
    const y = digitsAt(date, 0, 4);
    const m = digitsAt(date, 5, 7);
    const d = digitsAt(date, 8, 10);
    if (by >= 0 && bm >= 0 && bd >= 0 && y >= 0 && m >= 0 && d >= 0) return yearsBetween(by, bm, bd, y, m, d);
  }
  const [by, bm, bd] = birthDate.slice(0, 10).split('-').map(Number) as [number, number, number];
  const [y, m, d] = date.slice(0, 10).split('-').map(Number) as [number, number, number];
  return yearsBetween(by, bm, bd, y, m, d);
}

/** Whole years from one year-month-day to another (a year is complete on its anniversary). */
function yearsBetween(by: number, bm: number, bd: number, y: number, m: number, d: number): number {
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

/** "YYYY-MM-DD…": at least ten characters with dashes where an ISO date has them. */
function dashed(s: string): boolean {
  return s.length >= 10 && s.charCodeAt(4) === 45 && s.charCodeAt(7) === 45;
}

/** Plain code-unit comparison, so sorts never depend on the locale. */
export function byCode(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

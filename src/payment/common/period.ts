/**
 * Calendar arithmetic the payment methods share: clipping an enrolment or a stay to a settlement year, counting
 * days, and pro-rating an annual amount by days (按天数折算). Dates are ISO text (YYYY-MM-DD), both ends inclusive.
 */
import { daysInclusive, daysInMonth, type Period } from '../../policy/dates.ts';

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
  if (isoDigits(birthDate) && isoDigits(date)) {
    const by = digits(birthDate, 0, 4);
    const y = digits(date, 0, 4);
    const bmd = digits(birthDate, 5, 7) * 100 + digits(birthDate, 8, 10);
    const md = digits(date, 5, 7) * 100 + digits(date, 8, 10);
    return y - by - (md < bmd ? 1 : 0);
  }
  const [by, bm, bd] = birthDate.slice(0, 10).split('-').map(Number) as [number, number, number];
  const [y, m, d] = date.slice(0, 10).split('-').map(Number) as [number, number, number];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

const DIGIT_AT = [0, 1, 2, 3, 5, 6, 8, 9];

/** "YYYY-MM-DD…": four, two and two ASCII digits between dashes. */
function isoDigits(s: string): boolean {
  if (s.length < 10 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return false;
  for (const i of DIGIT_AT) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

function digits(s: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) n = n * 10 + (s.charCodeAt(i) - 48);
  return n;
}

/** Plain code-unit comparison, so sorts never depend on the locale. */
export function byCode(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Calendar dates as ISO text (YYYY-MM-DD); comparisons are plain string comparisons. */

/**
 * Whether `text` is a calendar date YYYY-MM-DD (ASCII digits, a day the month has). Read by character codes, not a
 * regular expression: engines check every enrolment row's dates several times, and a match allocates an array and
 * three strings each time (issue 9: a province's rows).
 */
export function isIsoDate(text: string): boolean {
  if (text.length !== 10 || text.charCodeAt(4) !== DASH || text.charCodeAt(7) !== DASH) return false;
  const y = digitsAt(text, 0, 4);
  const mo = digitsAt(text, 5, 7);
  const d = digitsAt(text, 8, 10);
  if (y < 0 || mo < 1 || mo > 12 || d < 1) return false;
  return d <= daysInMonth(y, mo);
}

const DASH = 45; // '-'
const ZERO = 48; // '0'

/** The number the ASCII digits text[from, to) spell; −1 when one is not a digit. */
export function digitsAt(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i) - ZERO;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n;
}

/** Days of `month` (1–12) of `year`, as the calendar of `Date.UTC` counts them. */
export function daysInMonth(year: number, month: number): number {
  if (month === 2) {
    // As Date.UTC reads a year: 0–99 are 1900–1999.
    const y = year >= 0 && year < 100 ? year + 1900 : year;
    return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  }
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Days from `from` to `to`, both inclusive ("2025-01-01".."2025-01-31" → 31). */
export function daysInclusive(from: string, to: string): number {
  const a = dayNumber(from);
  const b = dayNumber(to);
  // Arithmetic on the digits (no Date, no string: a province's enrolment rows, issue 9); anything that is not a
  // YYYY-MM-DD text goes through Date.parse as before, so it gives what it gave.
  if (a !== undefined && b !== undefined) return b - a + 1;
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1;
}

/**
 * Days since 1970-01-01 of a YYYY-MM-DD text in the proleptic Gregorian calendar, as `Date.parse` counts an ISO
 * date (years 0000–0099 are those years, unlike `Date.UTC`); undefined when the text is not of that form. The
 * month and day are not checked against the calendar (a day past the month's end counts on, as the formula does).
 */
export function dayNumber(text: string): number | undefined {
  if (text.length !== 10 || text.charCodeAt(4) !== DASH || text.charCodeAt(7) !== DASH) return undefined;
  const y0 = digitsAt(text, 0, 4);
  const m = digitsAt(text, 5, 7);
  const d = digitsAt(text, 8, 10);
  if (y0 < 0 || m < 1 || m > 12 || d < 1 || d > daysInMonth(y0 < 100 ? y0 + 400 : y0, m)) return undefined;
  // Days from civil (March-based years, 400-year eras of 146,097 days).
  const y = m <= 2 ? y0 - 1 : y0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

/** The open end of a period is represented by this date. */
export const END_OF_TIME = '9999-12-31';

export interface Period {
  from: string;
  to: string; // inclusive
}

export function overlaps(a: Period, b: Period): boolean {
  return a.from <= b.to && b.from <= a.to;
}

export function contains(p: Period, date: string): boolean {
  return p.from <= date && date <= p.to;
}

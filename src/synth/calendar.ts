/**
 * Dates as integer day numbers (days since 1970-01-01, UTC) and their text, without `Date` objects per row:
 * the generator formats millions of dates, so the text of every day in range is computed once.
 */

const MS_PER_DAY = 86_400_000;

/** Day number of a calendar date (month 1–12). */
export function dayNumber(year: number, month: number, day: number): number {
  return Math.floor(Date.UTC(year, month - 1, day) / MS_PER_DAY);
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInYear(year: number): number {
  return isLeapYear(year) ? 366 : 365;
}

/** `YYYY-MM-DD` of every day from `fromYear`-01-01 to `toYear`-12-31, looked up by day number. */
export class DateTexts {
  readonly first: number;
  private readonly texts: string[];
  private readonly years: Int16Array;
  /** Month × 100 + day of each day, for ages without string work. */
  private readonly monthDays: Int16Array;

  constructor(fromYear: number, toYear: number) {
    this.first = dayNumber(fromYear, 1, 1);
    const last = dayNumber(toYear, 12, 31);
    this.texts = new Array(last - this.first + 1);
    this.years = new Int16Array(last - this.first + 1);
    this.monthDays = new Int16Array(last - this.first + 1);
    for (let d = this.first; d <= last; d++) {
      const iso = new Date(d * MS_PER_DAY).toISOString();
      this.texts[d - this.first] = iso.slice(0, 10);
      this.years[d - this.first] = Number(iso.slice(0, 4));
      this.monthDays[d - this.first] = Number(iso.slice(5, 7)) * 100 + Number(iso.slice(8, 10));
    }
  }

  date(day: number): string {
    const t = this.texts[day - this.first];
    if (t === undefined) throw new RangeError(`day ${day} outside the calendar`);
    return t;
  }

  year(day: number): number {
    return this.years[day - this.first]!;
  }

  /** Age in completed years (周岁) on `day` of someone born on `birthDay`. */
  age(birthDay: number, day: number): number {
    const b = birthDay - this.first;
    const d = day - this.first;
    if (b < 0 || d < 0 || d >= this.years.length)
      throw new RangeError(`day ${birthDay} or ${day} outside the calendar`);
    const years = this.years[d]! - this.years[b]!;
    return this.monthDays[d]! < this.monthDays[b]! ? years - 1 : years;
  }

  /** `YYYY-MM-DD HH:MM:SS` for a day number and minutes after midnight. */
  dateTime(day: number, minute: number): string {
    return `${this.date(day)} ${TIMES[minute]!}`;
  }
}

/** `HH:MM:00` for every minute of a day. */
const TIMES: readonly string[] = Array.from({ length: 1440 }, (_, m) => {
  const h = Math.floor(m / 60);
  const mm = m % 60;
  return `${h < 10 ? '0' : ''}${h}:${mm < 10 ? '0' : ''}${mm}:00`;
});

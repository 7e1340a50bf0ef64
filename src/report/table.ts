/**
 * A report table: columns with Chinese (default) and English headers and a type, and rows as an iterable (so
 * millions of case rows stream). Money cells are integer fen, shown as yuan with two decimals by every writer;
 * points are integers of 0.0001 point; decimal cells (point values, ratios, coefficients) are exact decimal text
 * rounded once to the column's places, written to workbooks as numbers. An enum column keeps its value in the row
 * (JSON keeps it) and is shown in the reader's language by the CSV and XLSX writers (glossary.md). Row builders are
 * pure; writers (csv.ts, json.ts, xlsx.ts) do the I/O.
 */
import { fenToYuan } from '../model/money.ts';
import { formatPoints } from '../model/points.ts';

export type ColumnKind = 'text' | 'int' | 'money' | 'points' | 'decimal';
export type Lang = 'zh' | 'en';

export interface Column {
  key: string;
  zh: string;
  en: string;
  kind: ColumnKind;
  /** Decimal places of a decimal column (its number format in workbooks); default 6. */
  digits?: number;
  /**
   * A decimal column holding a share (exact decimal text of the fraction, 0.1627): shown as a percentage with
   * `digits` places (16.27%) by the text writers, and in workbooks as the number 0.1627 with the format 0.00%.
   */
  percent?: boolean;
  /** An enum column: the value in the reader's language; the raw value stays in the row and in JSON. */
  label?: (value: string, lang: Lang) => string;
  /**
   * false: not summed in the total row (e.g. an identifier that is a number). Money, points and int sum.
   * 'closing': a balance carried from row to row (a month's carried amount): summed over months it would count
   * once per month, so the total row shows the closing balance — the last row's value of each value of the `total`
   * column (each institution), summed.
   */
  sum?: boolean | 'closing';
  /** What an empty text cell means, in words (a group column's empty value is an ungrouped case: 未入组). */
  empty?: readonly [zh: string, en: string];
  /**
   * `embedded`: the cell holds JSON text (a case's basis `{"zh":…,"en":…,"clause":…}`), written into JSON and JSON Lines
   * as the value it is, not as a string of JSON (walk6); text that is not a JSON object stays a string.
   */
  json?: 'embedded';
}

export type Cell = string | number | null;
export type Row = Record<string, Cell>;

export interface Table {
  /** File and sheet name, e.g. "dip-annual". */
  name: string;
  /** Sheet title in Chinese, e.g. "年度清算单". */
  zh: string;
  /** Sheet title in English (the workbook in `--lang en`); absent: the Chinese title. */
  en?: string;
  columns: Column[];
  rows: Iterable<Row>;
  /** The column that says 合计 / Total in the workbook's total row (the sums of money, points and counts). */
  total?: string;
}

/** A table whose rows stream from the store (a per-case sheet of millions of rows): read once per writer. */
export interface StreamTable extends Omit<Table, 'rows'> {
  rows: AsyncIterable<Row>;
}

/** A table with rows in memory or streamed. */
export type AnyTable = Table | StreamTable;

export const col = (
  key: string,
  kind: ColumnKind,
  zh: string,
  en: string,
  o: Pick<Column, 'digits' | 'label' | 'sum' | 'empty' | 'percent' | 'json'> = {},
): Column => ({ key, kind, zh, en, ...o });

/** A cell's JSON value: the cell, or for a column of embedded JSON the object its text holds. */
export function jsonCell(c: Pick<Column, 'json'>, v: Cell): unknown {
  if (c.json !== 'embedded' || typeof v !== 'string' || !v.startsWith('{')) return v;
  try {
    return JSON.parse(v) as unknown;
  } catch {
    return v;
  }
}

/** A cell as exact text in the reader's language: yuan for money, 4 decimals for points, labels for enums. */
export function cellText(c: Column, v: Cell, lang: Lang = 'zh'): string {
  if (v === null || v === undefined) return '';
  if (c.kind === 'money' && typeof v === 'number') return fenToYuan(v);
  if (c.kind === 'points' && typeof v === 'number') return formatPoints(v);
  if (c.kind === 'decimal' && c.percent && typeof v === 'string' && v !== '') return percentOfDecimal(v, c.digits ?? 2);
  if (c.empty && v === '') return c.empty[lang === 'zh' ? 0 : 1];
  if (c.label && typeof v === 'string' && v !== '') return c.label(v, lang);
  return String(v);
}

/**
 * Exact decimal text of a fraction as a percentage with `places` decimals, rounded half away from zero once:
 * "0.1627" → "16.27%", "1" → "100.00%", "-0.00005" → "-0.01%" (two places). Text that is not a decimal stays as it is.
 */
export function percentOfDecimal(v: string, places: number): string {
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(v.trim());
  if (!m) return v;
  const [, sign, int, frac = ''] = m;
  // v × 100 × 10^places as an integer, with one more digit to round on.
  const digits = `${int}${frac.padEnd(places + 3, '0')}`.slice(0, int!.length + places + 3);
  const scaled = BigInt(digits);
  const rounded = (scaled + 5n) / 10n;
  const unit = 10n ** BigInt(places);
  const whole = (rounded / unit).toString();
  const part = places > 0 ? `.${(rounded % unit).toString().padStart(places, '0')}` : '';
  return `${sign && rounded !== 0n ? '-' : ''}${whole}${part}%`;
}

/** Whether a column is summed in the total row (a 'closing' column shows its summed closing balances). */
export function summed(c: Column): boolean {
  return c.sum !== false && (c.kind === 'money' || c.kind === 'points' || c.kind === 'int');
}

/** The sums of a total row, row by row (streaming writers add each row as they write it). */
export class TotalSums {
  readonly sums = new Map<string, number>();
  /** A 'closing' column's last value per value of the `total` column. */
  private readonly closing = new Map<string, Map<string, number>>();
  constructor(private readonly t: Pick<Table, 'columns' | 'total'>) {}

  add(r: Row): void {
    for (const c of this.t.columns) {
      const v = r[c.key];
      if (!summed(c) || typeof v !== 'number') continue;
      if (c.sum === 'closing') {
        let last = this.closing.get(c.key);
        if (!last) {
          last = new Map();
          this.closing.set(c.key, last);
        }
        last.set(String(this.t.total ? (r[this.t.total] ?? '') : ''), v);
      } else this.sums.set(c.key, (this.sums.get(c.key) ?? 0) + v);
    }
  }

  row(lang: Lang): Row {
    for (const [key, last] of this.closing) {
      let sum = 0;
      for (const v of last.values()) sum += v;
      this.sums.set(key, sum);
    }
    return totalOf(this.t, this.sums, lang);
  }
}

/** The total row of `rows` (integer sums: fen, 0.0001 points, counts), labelled in `t.total`'s column. */
export function totalRow(t: Table, rows: Iterable<Row>, lang: Lang = 'zh'): Row {
  const sums = new TotalSums(t);
  for (const r of rows) sums.add(r);
  return sums.row(lang);
}

export function totalOf(t: Pick<Table, 'columns' | 'total'>, sums: ReadonlyMap<string, number>, lang: Lang): Row {
  const out: Row = {};
  for (const c of t.columns) out[c.key] = summed(c) ? (sums.get(c.key) ?? 0) : null;
  if (t.total) out[t.total] = lang === 'zh' ? '合计' : 'Total';
  return out;
}

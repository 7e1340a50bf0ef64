/**
 * A report table: columns with Chinese (default) and English headers and a type, and rows as an iterable (so
 * millions of case rows stream). Money cells are integer fen, shown as yuan with two decimals by every writer;
 * points are integers of 0.0001 point. Row builders are pure; writers (csv.ts, json.ts, xlsx.ts) do the I/O.
 */
import { fenToYuan } from '../model/money.ts';
import { formatPoints } from '../model/points.ts';

export type ColumnKind = 'text' | 'int' | 'money' | 'points' | 'decimal';

export interface Column {
  key: string;
  zh: string;
  en: string;
  kind: ColumnKind;
}

export type Cell = string | number | null;
export type Row = Record<string, Cell>;

export interface Table {
  /** File and sheet name, e.g. "dip-annual". */
  name: string;
  /** Sheet title in Chinese, e.g. "年度清算表". */
  zh: string;
  /** Sheet title in English (the workbook in `--lang en`); absent: the Chinese title. */
  en?: string;
  columns: Column[];
  rows: Iterable<Row>;
}

export const col = (key: string, kind: ColumnKind, zh: string, en: string): Column => ({ key, kind, zh, en });

/** A cell as exact text: yuan for money, 4 decimals for points. */
export function cellText(c: Column, v: Cell): string {
  if (v === null || v === undefined) return '';
  if (c.kind === 'money' && typeof v === 'number') return fenToYuan(v);
  if (c.kind === 'points' && typeof v === 'number') return formatPoints(v);
  return String(v);
}

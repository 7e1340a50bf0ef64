/**
 * Where a record is in its file, in the words a user finds it by (R-DATA-1: a reject names its file, row and
 * field). CSV and XLSX count as the user's editor or spreadsheet does — the header is row 1, so the first record
 * under it is row 2 (a record spanning lines is at the line it starts on; blank lines count) — and are said as
 * 第 N 行 / row N. Parquet and 4101 JSON have no header line: the 1-based record number, 第 N 条记录 / record N.
 */
import type { RowUnit } from '../store/store.ts';
import type { SourceFormat } from './source/stage.ts';

export type { RowUnit } from '../store/store.ts';

/** How rows of a file of `format` are numbered. */
export function rowUnitOf(format: SourceFormat): RowUnit {
  return format === 'csv' || format === 'xlsx' ? 'row' : 'record';
}

/** 第 N 行 / 第 N 条记录 (no spaces added around it). */
export function rowPlaceZh(unit: RowUnit, n: number | string): string {
  return unit === 'row' ? `第 ${n} 行` : `第 ${n} 条记录`;
}

/** row N / record N. */
export function rowPlaceEn(unit: RowUnit, n: number | string): string {
  return unit === 'row' ? `row ${n}` : `record ${n}`;
}

/** The rejects file's column with the place: qc_row (CSV, XLSX) or qc_record (Parquet, JSON). */
export function rowColumn(unit: RowUnit): string {
  return unit === 'row' ? 'qc_row' : 'qc_record';
}

/** The same words as SQL text expressions around the SQL integer expression `n` (for messages built in SQL). */
export function rowPlaceSql(unit: RowUnit, n: string): { zh: string; en: string } {
  return unit === 'row'
    ? { zh: `'第 ' || ${n} || ' 行'`, en: `'row ' || ${n}` }
    : { zh: `'第 ' || ${n} || ' 条记录'`, en: `'record ' || ${n}` };
}

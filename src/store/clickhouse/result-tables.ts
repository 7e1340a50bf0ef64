/**
 * Result tables of engines on ClickHouse: the column types of `ResultColumnType` in ClickHouse form, rows written
 * as RowBinary (money as its Decimal(18,2) scaled integer, which is the fen itself; decimals from exact text),
 * read back with the store's value conventions (money as integer fen, decimals as exact text, 64-bit integers as
 * safe numbers or bigint).
 */

import { CLICKHOUSE_DIALECT as D } from '../dialect.ts';
import { toSafeNumber } from '../duckdb/sql.ts';
import { StoreError } from '../errors.ts';
import type { ResultColumn, ResultColumnType, ResultTableSpec, ResultValue } from '../store.ts';
import { type Encoder, encoderFor } from './rowbinary.ts';
import { int64, stampText } from './values.ts';

/** ClickHouse types as `system.columns` spells them. A text list cannot be NULL: a missing list is empty. */
export const CH_TYPE: Readonly<Record<ResultColumnType, string>> = {
  text: 'Nullable(String)',
  int: 'Nullable(Int32)',
  bigint: 'Nullable(Int64)',
  money: 'Nullable(Decimal(18, 2))',
  decimal: 'Nullable(Decimal(38, 10))',
  double: 'Nullable(Float64)',
  bool: 'Nullable(Bool)',
  date: 'Nullable(Date32)',
  datetime: "Nullable(DateTime64(3, 'UTC'))",
  'text-list': 'Array(String)',
};

const TYPE_OF: ReadonlyMap<string, ResultColumnType> = new Map(
  Object.entries(CH_TYPE).map(([k, v]) => [v, k as ResultColumnType]),
);

const DECIMAL_SCALE = 10;
const DECIMAL_TEXT = /^([+-])?(\d+)(?:\.(\d+))?$/;

function decimalText(text: string, what: string): string {
  const m = DECIMAL_TEXT.exec(text.trim());
  if (!m) throw new RangeError(`${what}: not a decimal number: "${text}"`);
  const frac = (m[3] ?? '').replace(/0+$/, '');
  if (frac.length > DECIMAL_SCALE) throw new RangeError(`${what}: more than ${DECIMAL_SCALE} decimals: "${text}"`);
  return `${m[1] === '-' ? '-' : ''}${m[2]}${frac ? `.${frac}` : ''}`;
}

/**
 * One value of a result row → the exact JS form its RowBinary encoder takes: money as safe integer fen, 64-bit
 * integers as a safe number or bigint, decimals as exact text.
 */
function writeValue(col: ResultColumn, v: ResultValue | undefined, table: string): unknown {
  const what = `${table}.${col.name}`;
  if (v === null || v === undefined) return col.type === 'text-list' ? [] : null;
  switch (col.type) {
    case 'text':
      return String(v);
    case 'int':
      return toSafeNumber(v, what);
    case 'bigint':
      return typeof v === 'bigint' ? v : toSafeNumber(v, what);
    case 'money':
      return toSafeNumber(v, what);
    case 'decimal':
      return decimalText(String(v), what);
    case 'double':
      return Number(v);
    case 'bool':
      return Boolean(v);
    case 'date':
      return String(v);
    case 'datetime':
      return stampText(String(v));
    case 'text-list':
      return [...(v as readonly string[])];
  }
}

/** Integer fen (or null) into Nullable(Decimal(18, 2)), whose scaled integer is the fen: no text, no double. */
const fenEncoder: Encoder = (w, v) => {
  if (v === null) w.u8(1);
  else {
    w.u8(0);
    w.i64n(v as number); // a safe integer (writeValue): |fen| < 2^53 always fits Decimal(18, 2)
  }
};

/** The RowBinary encoders of a result table's columns, fed by `writeValue`: money by `fenEncoder`, the rest by type. */
export function resultEncoders(spec: ResultTableSpec): { name: string; type: string; encode: Encoder }[] {
  return spec.columns.map((col) => {
    const type = CH_TYPE[col.type];
    const inner = col.type === 'money' ? fenEncoder : encoderFor(type, `${spec.name}.${col.name}`);
    return { name: col.name, type, encode: (w, v) => inner(w, writeValue(col, v as ResultValue, spec.name)) };
  });
}

/** SELECT expression reading a column back with the store's value conventions. */
export function readExpr(name: string, type: ResultColumnType): string {
  const c = `\`${name}\``;
  switch (type) {
    case 'money':
      return `${D.fen(c)} AS ${c}`;
    case 'decimal':
      return `${D.decimalText(c)} AS ${c}`;
    case 'date':
      return `${D.dateText(c)} AS ${c}`;
    case 'datetime':
      return `${D.dateTimeText(c)} AS ${c}`;
    default:
      return c;
  }
}

export function readValue(v: unknown, type: ResultColumnType, what: string): ResultValue {
  if (v === null || v === undefined) return null;
  switch (type) {
    case 'money':
    case 'int':
      return toSafeNumber(typeof v === 'string' ? Number(v) : v, what);
    case 'bigint':
      return int64(v, what);
    case 'decimal': {
      const t = String(v);
      return t.includes('.') ? t.replace(/0+$/, '').replace(/\.$/, '') : t;
    }
    default:
      return v as ResultValue;
  }
}

/** The result-column type of a ClickHouse column type (undefined: not a result table's type). */
export function resultTypeOf(chType: string): ResultColumnType | undefined {
  return TYPE_OF.get(chType);
}

export function mismatch(location: string, table: string, have: string): StoreError {
  return new StoreError(
    'STORE_TABLE_MISMATCH',
    location,
    `结果表 ${table} 已存在但列不同（已有：${have}）；可用 replace 重建`,
    `result table ${table} exists with other columns (${have}); use replace to recreate it`,
  );
}

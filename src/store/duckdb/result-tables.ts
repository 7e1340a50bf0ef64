/**
 * Result tables written by engines through the appender (DuckDB's bulk path), and read back with the same
 * value conventions: money as integer fen, exact decimals as text.
 */
import {
  DECIMAL,
  type DuckDBAppender,
  type DuckDBConnection,
  DuckDBDecimalValue,
  LIST,
  VARCHAR,
} from '@duckdb/node-api';
import { StoreError } from '../errors.ts';
import type {
  ResultColumn,
  ResultColumnType,
  ResultRow,
  ResultTableSpec,
  ResultValue,
  ResultWriter,
} from '../store.ts';
import { CORE_TABLES } from './schema.ts';
import { ident, SAFE_NAME, toSafeNumber } from './sql.ts';

export const SQL_TYPE: Readonly<Record<ResultColumnType, string>> = {
  text: 'VARCHAR',
  int: 'INTEGER',
  bigint: 'BIGINT',
  money: 'DECIMAL(18,2)',
  decimal: 'DECIMAL(38,10)',
  double: 'DOUBLE',
  bool: 'BOOLEAN',
  date: 'DATE',
  datetime: 'TIMESTAMP',
  'text-list': 'VARCHAR[]',
};

const DECIMAL_SCALE = 10;
const DECIMAL_TEXT = /^([+-])?(\d+)(?:\.(\d+))?$/;
const LIST_OF_TEXT = LIST(VARCHAR);
const MONEY_TYPE = DECIMAL(18, 2);

export function checkSpec(spec: ResultTableSpec, location: string): void {
  const bad = (zh: string, en: string) => new StoreError('STORE_BAD_TABLE', location, zh, en);
  if (!SAFE_NAME.test(spec.name)) {
    throw bad(
      `结果表名 "${spec.name}" 只能用小写字母、数字和下划线`,
      `result table name "${spec.name}" must be [a-z][a-z0-9_]*`,
    );
  }
  if (CORE_TABLES.has(spec.name)) {
    throw bad(`"${spec.name}" 是存储的核心表，结果表不能使用`, `"${spec.name}" is a core table of the store`);
  }
  const seen = new Set<string>();
  for (const c of spec.columns) {
    if (!SAFE_NAME.test(c.name))
      throw bad(`列名 "${c.name}" 不合规`, `column name "${c.name}" must be [a-z][a-z0-9_]*`);
    if (seen.has(c.name)) throw bad(`列名 "${c.name}" 重复`, `duplicate column "${c.name}"`);
    if (!(c.type in SQL_TYPE))
      throw bad(`列 "${c.name}" 类型未知: ${c.type}`, `column "${c.name}": unknown type ${c.type}`);
    seen.add(c.name);
  }
  if (spec.columns.length === 0) throw bad('结果表至少需要一列', 'a result table needs at least one column');
}

export function createTableSql(spec: ResultTableSpec): string {
  const cols = spec.columns.map((c) => `${ident(c.name)} ${SQL_TYPE[c.type]}`).join(', ');
  return `CREATE TABLE IF NOT EXISTS ${ident(spec.name)} (${cols})`;
}

/** Exact decimal text → scaled bigint at DECIMAL_SCALE; more decimals than that is an error, not a rounding. */
function decimalValue(text: string, what: string): DuckDBDecimalValue {
  const m = DECIMAL_TEXT.exec(text.trim());
  if (!m) throw new RangeError(`${what}: not a decimal number: "${text}"`);
  const frac = (m[3] ?? '').replace(/0+$/, '');
  if (frac.length > DECIMAL_SCALE) throw new RangeError(`${what}: more than ${DECIMAL_SCALE} decimals: "${text}"`);
  const scaled = BigInt(`${m[2]}${frac.padEnd(DECIMAL_SCALE, '0')}`) * (m[1] === '-' ? -1n : 1n);
  return new DuckDBDecimalValue(scaled, 38, DECIMAL_SCALE);
}

function appendValue(app: DuckDBAppender, col: ResultColumn, v: ResultValue | undefined, table: string): void {
  if (v === null || v === undefined) {
    app.appendNull();
    return;
  }
  const what = `${table}.${col.name}`;
  switch (col.type) {
    case 'text':
      app.appendVarchar(String(v));
      return;
    case 'int':
      app.appendInteger(toSafeNumber(v, what));
      return;
    case 'bigint':
      app.appendBigInt(typeof v === 'bigint' ? v : BigInt(toSafeNumber(v, what)));
      return;
    case 'money':
      app.appendDecimal(new DuckDBDecimalValue(BigInt(toSafeNumber(v, what)), MONEY_TYPE.width, MONEY_TYPE.scale));
      return;
    case 'decimal':
      app.appendDecimal(decimalValue(String(v), what));
      return;
    case 'double':
      app.appendDouble(Number(v));
      return;
    case 'bool':
      app.appendBoolean(Boolean(v));
      return;
    case 'date':
    case 'datetime':
      // The appender casts text to the column's DATE/TIMESTAMP (ISO text in, exact).
      app.appendVarchar(String(v));
      return;
    case 'text-list':
      app.appendList(v as readonly string[], LIST_OF_TEXT);
      return;
  }
}

export class AppenderResultWriter implements ResultWriter {
  private count = 0;
  private closed = false;

  constructor(
    private readonly appender: DuckDBAppender,
    private readonly spec: ResultTableSpec,
  ) {}

  async append(rows: readonly ResultRow[]): Promise<void> {
    if (this.closed) throw new Error(`result writer of ${this.spec.name} is closed`);
    for (const row of rows) {
      for (const col of this.spec.columns) appendValue(this.appender, col, row[col.name], this.spec.name);
      this.appender.endRow();
      this.count++;
    }
  }

  async close(): Promise<number> {
    if (!this.closed) {
      this.closed = true;
      this.appender.closeSync(); // flushes
    }
    return this.count;
  }
}

/** The columns of an existing table as (name, SQL type), or undefined if it does not exist. */
export async function describeTable(
  conn: DuckDBConnection,
  table: string,
): Promise<{ name: string; type: string }[] | undefined> {
  const r = await conn.runAndReadAll(
    `SELECT column_name, data_type FROM information_schema.columns
     WHERE table_name = $t AND table_schema = 'main' ORDER BY ordinal_position`,
    { t: table },
  );
  const rows = r.getRows();
  if (rows.length === 0) return undefined;
  return rows.map((x) => ({ name: x[0] as string, type: x[1] as string }));
}

/** SELECT expression reading a column back with the store's value conventions. */
export function readExpr(name: string, sqlType: string): string {
  const c = ident(name);
  if (sqlType === 'DECIMAL(18,2)') return `CAST(${c} * 100 AS BIGINT) AS ${c}`;
  if (sqlType.startsWith('DECIMAL')) return `CAST(${c} AS VARCHAR) AS ${c}`;
  if (sqlType === 'DATE') return `strftime(${c}, '%Y-%m-%d') AS ${c}`;
  if (sqlType === 'TIMESTAMP') return `strftime(${c}, '%Y-%m-%dT%H:%M:%S') AS ${c}`;
  return c;
}

/** Convert a value read with `readExpr` to a ResultValue. */
export function readValue(v: unknown, sqlType: string): ResultValue {
  if (v === null || v === undefined) return null;
  if (sqlType === 'DECIMAL(18,2)') return toSafeNumber(v, 'money');
  if (sqlType.startsWith('DECIMAL')) {
    const t = v as string;
    return t.includes('.') ? t.replace(/0+$/, '').replace(/\.$/, '') : t;
  }
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v;
  if (typeof v === 'object' && v !== null && 'items' in v) {
    return (v as { items: readonly (string | null)[] }).items.map((x) => x ?? '');
  }
  return v as ResultValue;
}

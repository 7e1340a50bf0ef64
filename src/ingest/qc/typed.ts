/**
 * From staged text to typed values, in SQL. Each column type of the flat-file contract has one parse
 * expression (NULL when the text is malformed) and one message saying what was expected. Nothing is guessed:
 * money is decimal text with at most two decimals (trailing zeros allowed), read as DECIMAL(18,2), never DOUBLE.
 *
 * Accepted forms: integers "12" (also "12.0"); money "1234.5", "1234.56", "-3"; dates "2025-01-31",
 * "2025/01/31", "20250131" (a time part is ignored); date-times "2025-01-31 08:00[:00]", "2025-01-31T08:00:00",
 * "20250131080000", or a date alone (midnight); flags 0/1/true/false; lists "A|B|C" (items trimmed).
 * Dates outside 1900–2100 are treated as malformed (a typo such as 0025-01-01).
 */
import type { ColumnType } from '../../model/columns.ts';

/**
 * Quantity (数量) of a fee line: decimal text with up to four decimals; decimal (小数): an exact decimal with up to
 * six decimals (a coefficient, points). Not contract types: kinds use them through `typeOverrides`.
 */
export type TypedKind = ColumnType | 'quantity' | 'decimal';

export const MONEY_PATTERN = '[+-]?[0-9]{1,16}([.][0-9]{0,2}0*)?';
const INT_PATTERN = '[+-]?[0-9]{1,9}([.]0*)?';
const QUANTITY_PATTERN = '[+-]?[0-9]{1,14}([.][0-9]{0,4}0*)?';
const DECIMAL_PATTERN = '[+-]?[0-9]{1,12}([.][0-9]{0,6}0*)?';

/** Macros the expressions use; created once per connection. */
export const TYPED_MACROS = `
CREATE OR REPLACE TEMP MACRO yb_txt(x) AS nullif(trim(x), '');
CREATE OR REPLACE TEMP MACRO yb_ts(x) AS coalesce(
  TRY_CAST(replace(trim(x), '/', '-') AS TIMESTAMP),
  try_strptime(trim(x), ['%Y%m%d%H%M%S', '%Y%m%d%H%M', '%Y%m%d']));
`;

/** Parse expression of raw text column `r` (quoted); dates are range-checked afterwards by `finalExpr`. */
export function typedExpr(type: TypedKind, r: string): string {
  const t = `yb_txt(${r})`;
  switch (type) {
    case 'text':
    case 'code':
      return t;
    case 'int':
      return `CASE WHEN regexp_full_match(${t}, '${INT_PATTERN}') THEN CAST(CAST(${t} AS DECIMAL(18,4)) AS INTEGER) END`;
    case 'money':
      return `CASE WHEN regexp_full_match(${t}, '${MONEY_PATTERN}') THEN CAST(${t} AS DECIMAL(18,2)) END`;
    case 'quantity':
      return `CASE WHEN regexp_full_match(${t}, '${QUANTITY_PATTERN}') THEN CAST(${t} AS DECIMAL(18,4)) END`;
    case 'decimal':
      return `CASE WHEN regexp_full_match(${t}, '${DECIMAL_PATTERN}') THEN CAST(${t} AS DECIMAL(18,6)) END`;
    case 'date':
    case 'datetime':
      return `yb_ts(${r})`;
    case 'code-list':
    case 'text-list':
      return `CASE WHEN ${t} IS NULL THEN NULL ELSE list_transform(string_split(${t}, '|'), lambda x: trim(x)) END`;
    case 'flag':
      return `CASE WHEN lower(${t}) IN ('1', 'true') THEN true WHEN lower(${t}) IN ('0', 'false') THEN false END`;
  }
}

/** Second step on the parsed value `v` (quoted column): dates outside 1900–2100 become malformed. */
export function finalExpr(type: TypedKind, v: string): string {
  const inRange = `CASE WHEN ${v} >= TIMESTAMP '1900-01-01' AND ${v} < TIMESTAMP '2101-01-01' THEN ${v} END`;
  if (type === 'datetime') return inRange;
  if (type === 'date') return `CAST(${inRange} AS DATE)`;
  return v;
}

/** Columns that can hold malformed text (and so get a `_has_<col>` flag in the typed table). */
export function canBeMalformed(type: TypedKind): boolean {
  return type !== 'text' && type !== 'code' && type !== 'text-list';
}

/**
 * The typed table `yb_typ` from the staging table in one pass: typed values and the `_has_<col>` flags of
 * columns that can be malformed.
 */
export function typedTableSql(columns: readonly { name: string; type: TypedKind }[]): string {
  const q = (n: string) => `"${n}"`;
  const flagged = columns.filter((c) => canBeMalformed(c.type));
  const inner = [
    '_row',
    ...columns.map((c) => `${typedExpr(c.type, q(c.name))} AS ${q(c.name)}`),
    ...flagged.map((c) => `yb_txt(${q(c.name)}) IS NOT NULL AS ${q(`_has_${c.name}`)}`),
  ];
  const outer = [
    '_row',
    ...columns.map((c) => `${finalExpr(c.type, q(c.name))} AS ${q(c.name)}`),
    ...flagged.map((c) => q(`_has_${c.name}`)),
  ];
  return `CREATE TEMP TABLE yb_typ AS SELECT ${outer.join(', ')} FROM (SELECT ${inner.join(', ')} FROM yb_stg)`;
}

/**
 * The md5 of a row's typed values (alias `a`), computed only where content must be compared: typed values,
 * not text, so the same case read from CSV, Parquet or JSON — or read back from the store — hashes alike.
 */
export function contentHash(columns: readonly string[], a: string): string {
  return `md5(concat_ws(chr(31), ${columns.map((c) => `coalesce(CAST(${a}."${c}" AS VARCHAR), chr(0))`).join(', ')}))`;
}

/** What a malformed value of the type should look like, for the reject message. */
export const EXPECTED: Readonly<Record<TypedKind, { zh: string; en: string }>> = {
  text: { zh: '文本', en: 'text' },
  code: { zh: '编码', en: 'a code' },
  int: { zh: '整数', en: 'a whole number' },
  money: {
    zh: '金额（元，最多两位小数，如 1234.56）',
    en: 'an amount in yuan with at most two decimals, e.g. 1234.56',
  },
  quantity: { zh: '数量（最多四位小数）', en: 'a quantity with at most four decimals' },
  decimal: { zh: '小数（最多六位小数，如 0.95）', en: 'a decimal with at most six decimals, e.g. 0.95' },
  date: { zh: '日期（如 2025-01-31）', en: 'a date such as 2025-01-31' },
  datetime: { zh: '日期时间（如 2025-01-31 08:00:00）', en: 'a date-time such as 2025-01-31 08:00:00' },
  'code-list': { zh: '以 | 分隔的编码（不能有空项）', en: 'codes separated by | (no empty item)' },
  'text-list': { zh: '以 | 分隔的文本', en: 'texts separated by |' },
  flag: { zh: '标志 0 或 1', en: 'a flag 0 or 1' },
};

/** SQL predicate over `yb_typ` (alias t) that column `name` was present but malformed. */
export function malformed(type: TypedKind, name: string): string | undefined {
  if (!canBeMalformed(type)) return undefined;
  const v = `t."${name}"`;
  if (type === 'code-list') return `list_contains(${v}, '')`;
  return `t."_has_${name}" AND ${v} IS NULL`;
}

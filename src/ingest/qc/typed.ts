/**
 * From staged text to typed values, in SQL. Each column type of the flat-file contract has one parse
 * expression (NULL when the text is malformed) and one message saying what was expected. Nothing is guessed:
 * money is decimal text with at most two decimals (trailing zeros allowed), read as DECIMAL(18,2), never DOUBLE.
 *
 * Accepted forms: integers "12" (also "12.0"); money "1234.5", "1234.56", "-3", and the same written "1,234.56",
 * "￥1,234.56", "1234.56元", "1234.56 元" or in full-width digits; dates "2025-01-31", "2025/01/31", "20250131",
 * "2025年1月31日", "2025.1.31" (a time part is ignored); date-times "2025-01-31 08:00[:00]", "2025-01-31T08:00:00",
 * "20250131080000", "2025年1月31日 08:00", or a date alone (midnight); flags 0/1/true/false/是/否/yes/no; lists
 * "A|B|C" (items trimmed).
 * Dates outside 1900–2100 are treated as malformed (a typo such as 0025-01-01).
 */
import type { ColumnType } from '../../model/columns.ts';
import { lit } from '../../store/duckdb/sql.ts';

/**
 * Quantity (数量) of a fee line: decimal text with up to four decimals; decimal (小数): an exact decimal with up to
 * six decimals (a coefficient, points). Not contract types: kinds use them through `typeOverrides`.
 */
export type TypedKind = ColumnType | 'quantity' | 'decimal';

export const MONEY_PATTERN = '[+-]?[0-9]{1,16}([.][0-9]{0,2}0*)?';
const INT_PATTERN = '[+-]?[0-9]{1,9}([.]0*)?';
const QUANTITY_PATTERN = '[+-]?[0-9]{1,14}([.][0-9]{0,4}0*)?';
const DECIMAL_PATTERN = '[+-]?[0-9]{1,12}([.][0-9]{0,6}0*)?';

/** Full-width digits and signs (１００００．００, ￥) as their ASCII forms, for `translate`. */
const FULL_WIDTH = { from: '０１２３４５６７８９．，－＋￥　', to: '0123456789.,-+¥ ' };

/**
 * Other spellings of an amount that have one reading (walk7 7): thousands separators in groups of three
 * (10,000.00), a currency sign before it (￥10,000.00, ¥, -￥5 or ￥-5), 元 after it (10000元, 10000.00 元), full-width
 * digits (１００００.００). A comma anywhere else (1,00 — a decimal comma?) or two signs is not read.
 */
const MONEY_SPELLING = '^(?:([+-])[ ]*¥?|¥?[ ]*([+-])?)[ ]*([0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)([.][0-9]*)?[ ]*元?$';

/**
 * Other spellings of a date with one reading: 2025年6月5日 (a time may follow) and 2025.3.5 — the year first and in
 * four digits; 5.3.2025 or 25.3.5 could be read two ways and are not read.
 */
const DATE_CN = '^([0-9]{4})[ ]*年[ ]*([0-9]{1,2})[ ]*月[ ]*([0-9]{1,2})[ ]*日[ ]*';
const DATE_DOTS = '^([0-9]{4})[.]([0-9]{1,2})[.]([0-9]{1,2})([ T]|$)';

/**
 * Macros the expressions use; created once per connection. The other spellings (yb_money_alt, the last step of
 * yb_ts) are tried only on values the plain forms do not read, so a file written plainly costs what it did.
 */
export const TYPED_MACROS = `
CREATE OR REPLACE TEMP MACRO yb_txt(x) AS nullif(trim(x), '');
CREATE OR REPLACE TEMP MACRO yb_fw(x) AS translate(x, '${FULL_WIDTH.from}', '${FULL_WIDTH.to}');
CREATE OR REPLACE TEMP MACRO yb_money_alt(x) AS CASE WHEN regexp_full_match(yb_fw(x), '${MONEY_SPELLING}')
  THEN replace(regexp_replace(yb_fw(x), '${MONEY_SPELLING}', '\\1\\2\\3\\4'), ',', '') END;
CREATE OR REPLACE TEMP MACRO yb_ts(x) AS coalesce(
  TRY_CAST(replace(trim(x), '/', '-') AS TIMESTAMP),
  try_strptime(trim(x), ['%Y%m%d%H%M%S', '%Y%m%d%H%M', '%Y%m%d']),
  TRY_CAST(trim(regexp_replace(regexp_replace(yb_fw(trim(x)), '${DATE_CN}', '\\1-\\2-\\3 '), '${DATE_DOTS}', '\\1-\\2-\\3\\4'))
    AS TIMESTAMP));
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
    case 'money': {
      // The plain form first; another spelling (10,000.00, ￥, 元, full-width) is read only when the plain one fails.
      const alt = `yb_money_alt(${t})`;
      return `CASE WHEN regexp_full_match(${t}, '${MONEY_PATTERN}') THEN CAST(${t} AS DECIMAL(18,2))
        WHEN regexp_full_match(${alt}, '${MONEY_PATTERN}') THEN CAST(${alt} AS DECIMAL(18,2)) END`;
    }
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
      return `CASE WHEN lower(${t}) IN ('1', 'true', '是', 'yes') THEN true WHEN lower(${t}) IN ('0', 'false', '否', 'no') THEN false END`;
  }
}

/** Second step on the parsed value `v` (quoted column): dates outside 1900–2100 become malformed. */
export function finalExpr(type: TypedKind, v: string): string {
  const inRange = `CASE WHEN ${v} >= TIMESTAMP '1900-01-01' AND ${v} < TIMESTAMP '2101-01-01' THEN ${v} END`;
  if (type === 'datetime') return inRange;
  if (type === 'date') return `CAST(${inRange} AS DATE)`;
  return v;
}

/** Columns that can hold malformed text (and so get a `_bad_<col>` column in the typed table). */
export function canBeMalformed(type: TypedKind): boolean {
  return type !== 'text' && type !== 'code' && type !== 'text-list';
}

/** Malformed code lists are told from their typed value (an empty item); the others keep the raw text. */
function keepsBadText(type: TypedKind): boolean {
  return canBeMalformed(type) && type !== 'code-list';
}

/**
 * How a source column of a typed file (Parquet) is read when its type already is the declared one: `value`
 * is the typed value (NULL when the value is unusable, e.g. a date outside 1900–2100), `text` the same value
 * as the flat-file contract writes it (for messages and rejects). `undefined`: the column goes the text way.
 * Each native reading gives exactly what the text way gives for the same value (so CSV and Parquet of the same
 * case are the same case): dates and date-times are range-checked as text would be, date-times are cut to the
 * second like their text (YYYY-MM-DD HH:MM:SS), integers beyond nine digits are malformed as in text.
 */
export function nativeRead(type: TypedKind, sourceType: string): { value: (c: string) => string } | undefined {
  const t = sourceType.toUpperCase();
  const isInt = ['TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT', 'UTINYINT', 'USMALLINT', 'UINTEGER', 'UBIGINT'].includes(
    t,
  );
  const decimal = /^DECIMAL\((\d+),(\d+)\)$/.exec(t);
  switch (type) {
    case 'text':
    case 'code':
      return t === 'VARCHAR' ? { value: (c) => `yb_txt(${c})` } : undefined;
    case 'int':
      if (!isInt) return undefined;
      return { value: (c) => `CASE WHEN ${c} BETWEEN -999999999 AND 999999999 THEN CAST(${c} AS INTEGER) END` };
    case 'money':
      // DECIMAL with at most two decimals and at most 16 integer digits is exact as DECIMAL(18,2). Floats go
      // the text way (their shortest text decides whether they are whole fen).
      if (isInt && t !== 'UBIGINT' && t !== 'BIGINT') return { value: (c) => `CAST(${c} AS DECIMAL(18,2))` };
      if (decimal && Number(decimal[2]) <= 2 && Number(decimal[1]) - Number(decimal[2]) <= 16) {
        return { value: (c) => `CAST(${c} AS DECIMAL(18,2))` };
      }
      return undefined;
    case 'date':
      if (t === 'DATE') return { value: (c) => c };
      if (t === 'TIMESTAMP') return { value: (c) => `CAST(${c} AS DATE)` };
      return undefined;
    case 'datetime':
      if (t === 'TIMESTAMP') return { value: (c) => `date_trunc('second', ${c})` };
      if (t === 'DATE') return { value: (c) => `CAST(${c} AS TIMESTAMP)` };
      return undefined;
    case 'flag':
      return t === 'BOOLEAN' ? { value: (c) => c } : undefined;
    default:
      // Lists: a native VARCHAR[] goes the text way (joined with "|", split and trimmed), which empties and
      // splits items exactly as a flat file would.
      return undefined;
  }
}

/** A source column of the typed table: its name in the source relation and, when typed, its source type. */
export interface TypedSource {
  name: string;
  type: TypedKind;
  /** Set when the source column already has the declared type (see `nativeRead`). */
  native?: { value: (c: string) => string };
  /**
   * The source column as the flat-file contract's text (default: the column itself, already text). A typed
   * column that is not read natively is parsed from this text; a native one shows it when malformed.
   */
  text?: (c: string) => string;
  /**
   * A code column's input words → codes (lower-cased, src/model/code-words.ts): a value that is one of the words
   * (trimmed, case-insensitive) becomes its code; any other value stays as it is and meets the code-set check.
   */
  words?: ReadonlyMap<string, string>;
}

/** `e` with each input word replaced by its code (see `TypedSource.words`). */
export function wordsToCode(e: string, words: ReadonlyMap<string, string>): string {
  const whens = [...words].map(([w, code]) => `WHEN ${lit(w)} THEN ${lit(code)}`).join(' ');
  return `CASE lower(${e}) ${whens} ELSE ${e} END`;
}

/**
 * The typed table `yb_typ` from the source relation `from` (the staging table, or a view over a typed file)
 * in one pass: typed values and, for each column whose value can be malformed, `_bad_<col>` = the raw text
 * when the text was present but gave no value (NULL otherwise), so format checks need no join with the raw row.
 * Over a typed file it can be a view (`as: 'VIEW'`): each check then reads only the columns it needs straight
 * from the file, which costs less than copying every row once (DuckDB decodes 1M Parquet rows of cases in about
 * 0.3 CPU-s, and materialising them takes about 1.8).
 */
export function typedTableSql(
  columns: readonly TypedSource[],
  from = 'yb_stg',
  as: 'TABLE' | 'VIEW' = 'TABLE',
): string {
  const q = (n: string) => `"${n}"`;
  const inner = ['_row'];
  const outer = ['_row'];
  const bad: string[] = [];
  for (const c of columns) {
    const src = q(c.name);
    const text = c.text ?? ((x: string) => x);
    const value = c.native ? c.native.value(src) : typedExpr(c.type, text(src));
    inner.push(`${c.words && c.words.size > 0 ? wordsToCode(value, c.words) : value} AS ${src}`);
    outer.push(`${finalExpr(c.type, src)} AS ${src}`);
    if (keepsBadText(c.type)) {
      const raw = q(`_src_${c.name}`);
      inner.push(`${c.native ? src : text(src)} AS ${raw}`);
      const present = c.native ? `${raw} IS NOT NULL` : `yb_txt(${raw}) IS NOT NULL`;
      bad.push(
        `CASE WHEN ${present} AND ${finalExpr(c.type, src)} IS NULL THEN ${c.native ? text(raw) : raw} END AS ${q(`_bad_${c.name}`)}`,
      );
    }
  }
  return `CREATE TEMP ${as} yb_typ AS SELECT ${[...outer, ...bad].join(', ')} FROM (SELECT ${inner.join(', ')} FROM ${from})`;
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
  flag: { zh: '标志 1/0 或 是/否', en: 'a flag 1/0 or yes/no' },
};

/** SQL predicate over `yb_typ` (alias t) that column `name` was present but malformed. */
export function malformed(type: TypedKind, name: string): string | undefined {
  if (!canBeMalformed(type)) return undefined;
  if (type === 'code-list') return `list_contains(t."${name}", '')`;
  return `t."_bad_${name}" IS NOT NULL`;
}

/** The raw text of a malformed value of column `name` (for messages), over `yb_typ` (alias t). */
export function malformedText(type: TypedKind, name: string): string {
  return type === 'code-list' ? `array_to_string(t."${name}", '|')` : `t."_bad_${name}"`;
}

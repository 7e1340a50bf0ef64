/**
 * The one SQL dialect layer (方言层) between the store's two back-ends, DuckDB (embedded default) and ClickHouse
 * (`clickhouse/`, through a server or chDB in process). SQL that must give the same answer to the fen on both is
 * written once with these fragments; each difference is named here, with what each engine would do by default:
 *
 * - integer division: `/` is exact-decimal or double in DuckDB and always Float64 in ClickHouse; integer division
 *   is DuckDB `//` and ClickHouse `intDiv`, both truncating toward zero (-7 // 2 = -3): `intDiv` on both.
 * - unmatched joins: ClickHouse fills the columns of an unmatched LEFT JOIN row with the type's default (0, '')
 *   unless `join_use_nulls = 1`; every ClickHouse query of the store runs with `SESSION_SETTINGS`.
 * - medians and quantiles: ClickHouse `median`/`quantile` are approximate (reservoir sampling); the exact,
 *   interpolated form that equals DuckDB's `median`/`quantile_cont` is `quantileExactInclusive`; the discrete lower
 *   median (an element of the data, the lower middle one of an even count: DuckDB `quantile_disc(x, 0.5)`, the
 *   monitoring baselines) is `quantileExactLow(0.5)` — `quantileExact(0.5)` takes the upper middle one.
 * - ties: neither engine orders ties stably; `orderBy` always ends with the table's key columns.
 * - Decimal scale: money is Decimal(18,2) yuan on both; it leaves the store as integer fen (`fen`), never through
 *   a binary float (ClickHouse truncates Float64 → Decimal: toDecimal64(1.005, 2) = 1.00).
 * - 64-bit integers: ClickHouse's JSON formats quote them (`output_format_json_quote_64bit_integers = 1`), and the
 *   client turns the text into a safe JS number or a bigint, never a rounded double.
 */

export interface SqlDialect {
  readonly name: 'duckdb' | 'clickhouse';
  /** a ÷ b of integers, truncated toward zero. */
  intDiv(a: string, b: string): string;
  /** Exact median, interpolated between the two middle values (as DuckDB `median`). */
  median(x: string): string;
  /** Exact discrete median: the middle element, the lower of the two middle ones for an even count. */
  lowerMedian(x: string): string;
  /** Exact quantile p ∈ [0, 1], interpolated (as DuckDB `quantile_cont`). */
  quantile(x: string, p: number): string;
  /** Money column (Decimal(18,2) yuan) → integer fen as a 64-bit integer. */
  fen(x: string): string;
  /** A Decimal as its exact text. */
  decimalText(x: string): string;
  /** A date as YYYY-MM-DD. */
  dateText(x: string): string;
  /** A date-time as YYYY-MM-DDTHH:MM:SS (seconds). */
  dateTimeText(x: string): string;
  /** A date-time as YYYY-MM-DDTHH:MM:SS.mmmZ (milliseconds, UTC). */
  dateTimeMillisText(x: string): string;
  /** The month of a date-time as YYYY-MM. */
  monthText(x: string): string;
  /** An ORDER BY list that breaks ties by the key columns (deduplicated, in order). */
  orderBy(columns: readonly string[], key: readonly string[]): string;
  /** Length of a text in bytes of its UTF-8 form (DuckDB `length` counts characters). */
  byteLength(x: string): string;
  /** Number of elements of a list/array. */
  length(x: string): string;
}

const orderBy = (columns: readonly string[], key: readonly string[]) => [...new Set([...columns, ...key])].join(', ');

export const DUCKDB_DIALECT: SqlDialect = {
  name: 'duckdb',
  intDiv: (a, b) => `((${a}) // (${b}))`,
  median: (x) => `median(${x})`,
  lowerMedian: (x) => `quantile_disc(${x}, 0.5)`,
  quantile: (x, p) => `quantile_cont(${x}, ${p})`,
  fen: (x) => `CAST((${x}) * 100 AS BIGINT)`,
  decimalText: (x) => `CAST(${x} AS VARCHAR)`,
  dateText: (x) => `strftime(${x}, '%Y-%m-%d')`,
  dateTimeText: (x) => `strftime(${x}, '%Y-%m-%dT%H:%M:%S')`,
  dateTimeMillisText: (x) => `strftime(${x}, '%Y-%m-%dT%H:%M:%S.%gZ')`,
  monthText: (x) => `strftime(${x}, '%Y-%m')`,
  orderBy,
  byteLength: (x) => `strlen(${x})`,
  length: (x) => `len(${x})`,
};

export const CLICKHOUSE_DIALECT: SqlDialect = {
  name: 'clickhouse',
  intDiv: (a, b) => `intDiv(${a}, ${b})`,
  median: (x) => `quantileExactInclusive(0.5)(${x})`,
  lowerMedian: (x) => `quantileExactLow(0.5)(${x})`,
  quantile: (x, p) => `quantileExactInclusive(${p})(${x})`,
  fen: (x) => `toInt64((${x}) * 100)`,
  decimalText: (x) => `toString(${x})`,
  dateText: (x) => `formatDateTime(${x}, '%Y-%m-%d')`,
  dateTimeText: (x) => `formatDateTime(${x}, '%Y-%m-%dT%H:%i:%S')`,
  // %f prints six digits (microseconds) whatever the scale: keep the first three
  dateTimeMillisText: (x) =>
    `concat(formatDateTime(${x}, '%Y-%m-%dT%H:%i:%S.'), substring(formatDateTime(toDateTime64(${x}, 3, 'UTC'), '%f'), 1, 3), 'Z')`,
  monthText: (x) => `formatDateTime(${x}, '%Y-%m')`,
  orderBy,
  byteLength: (x) => `length(${x})`,
  length: (x) => `length(${x})`,
};

/** Settings every ClickHouse query of the store runs with (see the list above). */
export const CLICKHOUSE_SESSION_SETTINGS = {
  join_use_nulls: 1,
  output_format_json_quote_64bit_integers: 1,
  output_format_decimal_trailing_zeros: 0,
  // ClickHouse's default, set on every query so that one query asking for quoted decimals (the API's generic rows,
  // read exactly as text) never leaves it on for the next in chDB, whose settings live in one session
  output_format_json_quote_decimals: 0,
  date_time_input_format: 'best_effort',
} as const;

/**
 * Staging: every source format becomes one DuckDB temp table with all columns VARCHAR, so no reader ever
 * guesses a type (money is never auto-read as DOUBLE); a typed file (Parquet) can instead be a view over the
 * file in its own declared types (`typed`), so nothing is copied as text. Its columns are `_row` (where the record is,
 * as the user finds it — see ../row-place.ts: for CSV the line it starts on and for XLSX the sheet row, both with the
 * header as 1; for Parquet and JSON the record number, 1 = the first record), every contract column (NULL when the
 * file lacks it) and the source-level
 * problem of the row (`_src_code`, `_src_field`, `_src_zh`, `_src_en`).
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { ColumnSpec } from '../../model/columns.ts';
import type { Encoding, EncodingOption } from './encoding.ts';
import type { SkippedRow } from './header.ts';
import { SRC_COLUMNS } from './normalised-csv.ts';

export type SourceFormat = 'csv' | 'parquet' | 'xlsx' | 'json';

export interface StageTarget {
  conn: DuckDBConnection;
  /** Input file. */
  file: string;
  /** Name of the temp table to create. */
  table: string;
  columns: readonly ColumnSpec[];
  aliases?: Readonly<Record<string, string>>;
  /** A private temporary folder for decoded / normalised copies. */
  tmpDir: string;
  encoding?: EncodingOption;
  /** XLSX: worksheet name (default: the sheet that holds the header). */
  sheet?: string;
  /**
   * When `conn` is inside a transaction, a reader that may fail and fall back must try on a connection of
   * its own first (a failed statement aborts the transaction). Set by the caller in that case.
   */
  probeConnection?: () => Promise<DuckDBConnection>;
  /**
   * Typed files (Parquet): make `table` a view over the file with the columns in their own types instead of
   * a text copy (see parquet.ts and StageResult.typed). Other formats ignore it.
   */
  typed?: boolean;
}

export interface StageResult {
  rows: number;
  format: SourceFormat;
  /** Text encoding read (CSV only). */
  encoding?: Encoding;
  /**
   * `mixed`: the file holds lines of two encodings (those not in `encoding` are rejected); `ambiguous`: the whole
   * file reads cleanly both as UTF-8 and as GB18030 (encoding.ts says which was chosen and why).
   */
  encodingNote?: 'mixed' | 'ambiguous';
  /** Contract columns present in the file. */
  present: string[];
  /** Columns of the file that match no contract column. */
  ignored: string[];
  /**
   * CSV, XLSX, Parquet: each present contract column's name in the file (统筹基金支付 for hifp_pay), so rejects name
   * the field and the columns as the user's file does (walk7 9). JSON 4101 has the contract's names.
   */
  names?: Record<string, string>;
  /**
   * CSV and XLSX: the header's row (the editor's line, the sheet's row) and the non-empty rows above it, which
   * were skipped as titles (header.ts `HeaderSearch`).
   */
  header?: { row: number; above: SkippedRow[]; top?: number };
  /** XLSX: the sheet read (the one holding the header, or --sheet) and the workbook's other sheets, not read. */
  sheet?: { name: string; others: string[] };
  /** How the rows were read: DuckDB's parallel reader, or Node (normalised first). */
  reader: 'duckdb' | 'node';
  sha256: string;
  bytes: number;
  /**
   * Set when the staging relation is a view over a typed file: each present column's type in the file (read
   * natively when it is the declared type, else as its contract text), and the relation that gives the row as
   * all text (for rejects). Such a reader has no source problems (`_src_*`).
   */
  typed?: { sourceTypes: Readonly<Record<string, string>>; rawFrom: string; mtimeMs: number };
}

export function formatOf(file: string, explicit?: string): SourceFormat {
  const f = (explicit ?? file.split('.').pop() ?? '').toLowerCase();
  if (f === 'csv' || f === 'txt' || f === 'tsv') return 'csv';
  if (f === 'parquet' || f === 'pq') return 'parquet';
  if (f === 'xlsx' || f === 'xlsm') return 'xlsx';
  if (f === 'json' || f === 'jsonl' || f === 'ndjson') return 'json';
  throw new RangeError(`cannot tell the format of "${file}"; use --format csv|parquet|xlsx|json`);
}

/** The SELECT list that gives the staging table its fixed shape, from an expression per present column. */
export function stagingSelect(
  columns: readonly ColumnSpec[],
  exprFor: (name: string) => string | undefined,
  rowExpr: string,
  srcExprs?: readonly string[],
): string {
  const cols = columns.map((c) => `${exprFor(c.name) ?? 'CAST(NULL AS VARCHAR)'} AS "${c.name}"`);
  const src = SRC_COLUMNS.map((s, i) => `${srcExprs?.[i] ?? 'CAST(NULL AS VARCHAR)'} AS ${s}`);
  return [`CAST(${rowExpr} AS BIGINT) AS _row`, ...cols, ...src].join(', ');
}

/**
 * Typed columns straight into Parquet: the generator fills a batch of typed arrays (integers, day numbers,
 * fen, dictionary indices, a few texts), DuckDB pulls the batches through a table function and writes the file
 * with `COPY (SELECT …) TO … (FORMAT parquet)`. No CSV text is built, encoded or parsed on the way, and values
 * that are the same for many rows (institution codes, departments, doctors) cross as small integers (ENUM).
 *
 * Raw column kinds and what DuckDB receives:
 * - `int` / `date`: Int32 (INTEGER / DATE = days since 1970-01-01);
 * - `timestamp`: microseconds since 1970 held as a double (exact up to 2^53) → TIMESTAMP;
 * - `money`: integer fen held as a double → DECIMAL(18,2) (its stored integer *is* the fen);
 * - `enum`: index into a fixed list of texts → ENUM (cast to VARCHAR in the SELECT);
 * - `text`: one string per row (the only per-row native call; empty text is NULL, as the CSV reader reads it).
 * Any column can be nullable: `setNull(column, row)`.
 */

import {
  DATE,
  DECIMAL,
  type DuckDBAppender,
  type DuckDBConnection,
  DuckDBDataChunk,
  type DuckDBEnumType,
  DuckDBTableFunction,
  type DuckDBType,
  DuckDBTypeId,
  ENUM,
  INTEGER,
  TIMESTAMP,
  VARCHAR,
} from '@duckdb/node-api';
import duckdb from '@duckdb/node-bindings';

export type RawKind = 'int' | 'date' | 'timestamp' | 'money' | 'enum' | 'text';

export interface RawColumn {
  name: string;
  kind: RawKind;
  /** The texts of an `enum` column, each once (indices are positions in this list). */
  values?: readonly string[];
}

/** Rows per batch: DuckDB's vector size (a data chunk holds at most this many). */
export const BATCH_ROWS = 2048;

const TWO_POW_32 = 4294967296;

/** One raw column's values for a batch. Exactly one of the arrays is used, by kind. */
export class RawBuffer {
  /** int, date, enum. */
  readonly ints: Int32Array<ArrayBuffer>;
  /** timestamp (µs), money (fen). */
  readonly nums: Float64Array;
  /** text. */
  readonly texts: (string | null)[];
  /** Validity bits (1 = value present), DuckDB's layout; reset to all valid for every batch. */
  readonly validity = new Uint8Array(BATCH_ROWS / 8);
  hasNull = false;
  readonly enumType: DuckDBEnumType | null;

  constructor(readonly column: RawColumn) {
    const numeric = column.kind === 'timestamp' || column.kind === 'money';
    this.ints = new Int32Array(numeric || column.kind === 'text' ? 0 : BATCH_ROWS);
    this.nums = new Float64Array(numeric ? BATCH_ROWS : 0);
    this.texts = column.kind === 'text' ? new Array<string | null>(BATCH_ROWS).fill(null) : [];
    this.enumType = column.kind === 'enum' ? ENUM([...(column.values ?? [])]) : null;
  }

  setNull(row: number): void {
    this.validity[row >> 3]! &= ~(1 << (row & 7));
    this.hasNull = true;
  }

  reset(): void {
    if (this.hasNull) {
      this.validity.fill(0xff);
      this.hasNull = false;
    }
  }
}

/** The values of one batch, column by column, in the order of the raw columns. */
export class RawBatch {
  readonly buffers: RawBuffer[];
  private readonly byName = new Map<string, RawBuffer>();
  /** Scratch for 64-bit values (low, high words). */
  private readonly words = new Int32Array(BATCH_ROWS * 2);
  private readonly narrow8 = new Uint8Array(BATCH_ROWS);
  private readonly narrow16 = new Uint16Array(BATCH_ROWS);

  constructor(readonly columns: readonly RawColumn[]) {
    this.buffers = columns.map((c) => {
      const b = new RawBuffer(c);
      b.validity.fill(0xff);
      return b;
    });
    for (const b of this.buffers) this.byName.set(b.column.name, b);
  }

  get(name: string): RawBuffer {
    const b = this.byName.get(name);
    if (!b) throw new Error(`synth: no raw column ${name}`);
    return b;
  }

  reset(): void {
    for (const b of this.buffers) b.reset();
  }

  /** Copy the first `rows` rows into the vectors of a DuckDB data chunk. */
  writeTo(chunk: duckdb.DataChunk, rows: number): void {
    duckdb.data_chunk_set_size(chunk, rows);
    for (let c = 0; c < this.buffers.length; c++) {
      const b = this.buffers[c]!;
      const vector = duckdb.data_chunk_get_vector(chunk, c);
      switch (b.column.kind) {
        case 'int':
        case 'date':
          duckdb.copy_data_to_vector(vector, 0, b.ints.buffer, 0, rows * 4);
          break;
        case 'enum': {
          const id = b.enumType!.internalTypeId;
          if (id === DuckDBTypeId.UTINYINT) {
            for (let r = 0; r < rows; r++) this.narrow8[r] = b.ints[r]!;
            duckdb.copy_data_to_vector(vector, 0, this.narrow8.buffer, 0, rows);
          } else if (id === DuckDBTypeId.USMALLINT) {
            for (let r = 0; r < rows; r++) this.narrow16[r] = b.ints[r]!;
            duckdb.copy_data_to_vector(vector, 0, this.narrow16.buffer, 0, rows * 2);
          } else duckdb.copy_data_to_vector(vector, 0, b.ints.buffer, 0, rows * 4);
          break;
        }
        case 'timestamp':
        case 'money': {
          const w = this.words;
          for (let r = 0; r < rows; r++) {
            const v = b.nums[r]!;
            const high = Math.floor(v / TWO_POW_32);
            w[2 * r] = v - high * TWO_POW_32;
            w[2 * r + 1] = high;
          }
          duckdb.copy_data_to_vector(vector, 0, w.buffer, 0, rows * 8);
          break;
        }
        case 'text':
          for (let r = 0; r < rows; r++) {
            const t = b.texts[r];
            if (t === null || t === undefined || t === '') b.setNull(r);
            else duckdb.vector_assign_string_element(vector, r, t);
          }
          break;
      }
      if (b.hasNull) {
        duckdb.vector_ensure_validity_writable(vector);
        duckdb.copy_data_to_vector_validity(vector, 0, b.validity.buffer, 0, Math.ceil(rows / 64) * 8);
      }
    }
  }
}

function duckType(c: RawBuffer): DuckDBType {
  switch (c.column.kind) {
    case 'int':
      return INTEGER;
    case 'date':
      return DATE;
    case 'timestamp':
      return TIMESTAMP;
    case 'money':
      return DECIMAL(18, 2);
    case 'enum':
      return c.enumType!;
    case 'text':
      return VARCHAR;
  }
}

let functionCount = 0;

export interface TypedParquetJob {
  /** Output file. */
  path: string;
  columns: readonly RawColumn[];
  /** The SELECT list over the raw columns that gives the file's columns, in order. */
  select: string;
  /** The relation the SELECT reads, given the table function's name (default: the function's rows as they are). */
  source?: (fn: string) => string;
  /**
   * Fill up to `BATCH_ROWS` rows of `batch` (from row 0) and return how many; 0 ends the file. Called by DuckDB
   * while it writes, one batch at a time.
   */
  fill: (batch: RawBatch) => number;
  compression?: 'snappy' | 'zstd';
}

export const sqlString = (s: string): string => `'${s.replaceAll("'", "''")}'`;

/**
 * Write one Parquet file from batches. Returns the number of rows. `conn` runs nothing else meanwhile.
 * Errors thrown by `fill` fail the COPY and are rethrown here.
 */
export async function writeTypedParquet(conn: DuckDBConnection, job: TypedParquetJob): Promise<number> {
  const batch = new RawBatch(job.columns);
  const name = `yb_synth_${process.pid}_${++functionCount}`;
  let rows = 0;
  let failure: unknown = null;
  let done = false;
  const fn = DuckDBTableFunction.create({
    name,
    bindFunction: (bind) => {
      for (const b of batch.buffers) bind.addResultColumn(b.column.name, duckType(b));
    },
    initFunction: () => {},
    mainFunction: (info, output) => {
      if (done) {
        duckdb.data_chunk_set_size(output.chunk, 0);
        return;
      }
      try {
        batch.reset();
        const n = job.fill(batch);
        if (n === 0) done = true;
        batch.writeTo(output.chunk, n);
        rows += n;
      } catch (e) {
        failure = e;
        done = true;
        info.setError(e instanceof Error ? e.message : String(e));
      }
    },
  });
  conn.registerTableFunction(fn);
  try {
    await conn.run(
      `COPY (SELECT ${job.select} FROM ${job.source ? job.source(name) : `${name}()`}) TO ${sqlString(job.path)} ` +
        `(FORMAT parquet, COMPRESSION ${job.compression ?? 'snappy'})`,
    );
  } catch (e) {
    throw failure ?? e;
  }
  if (failure) throw failure;
  return rows;
}

/**
 * Rows that arrive interleaved over several files (outpatient visits come enrolment by enrolment, across years):
 * typed batches appended to a temporary table, written out with `copyTo` once every row is in. DuckDB keeps the
 * table in its memory and spills beyond its limit; insertion order is the file's order.
 */
export class TypedTable {
  readonly batch: RawBatch;
  private readonly chunk: DuckDBDataChunk;
  private pending = 0;
  rows = 0;

  private constructor(
    private readonly conn: DuckDBConnection,
    readonly name: string,
    private readonly appender: DuckDBAppender,
    batch: RawBatch,
  ) {
    this.batch = batch;
    this.chunk = DuckDBDataChunk.create(batch.buffers.map(duckType));
  }

  static async create(conn: DuckDBConnection, columns: readonly RawColumn[]): Promise<TypedTable> {
    const batch = new RawBatch(columns);
    const name = `yb_synth_t${process.pid}_${++functionCount}`;
    const cols = batch.buffers.map((b) => `"${b.column.name}" ${duckType(b).toString()}`).join(', ');
    await conn.run(`CREATE TEMP TABLE ${name} (${cols})`);
    return new TypedTable(conn, name, await conn.createAppender(name, 'main', 'temp'), batch);
  }

  /** The batch row to fill next (the previous rows are complete: a full batch goes to the table first). */
  row(): number {
    if (this.pending === BATCH_ROWS) this.flush();
    this.rows++;
    return this.pending++;
  }

  private flush(): void {
    if (this.pending === 0) return;
    duckdb.data_chunk_reset(this.chunk.chunk);
    this.batch.writeTo(this.chunk.chunk, this.pending);
    this.appender.appendDataChunk(this.chunk);
    this.batch.reset();
    this.pending = 0;
  }

  /** Append what is left and write the table to `path` through `select`, then drop it. */
  async copyTo(path: string, select: string, compression: 'snappy' | 'zstd' = 'snappy'): Promise<void> {
    this.flush();
    this.appender.closeSync();
    await this.conn.run(
      `COPY (SELECT ${select} FROM ${this.name}) TO ${sqlString(path)} (FORMAT parquet, COMPRESSION ${compression})`,
    );
    await this.conn.run(`DROP TABLE ${this.name}`);
  }

  /** Drop the table without writing it. */
  async discard(): Promise<void> {
    this.appender.closeSync();
    await this.conn.run(`DROP TABLE ${this.name}`);
  }
}

/**
 * Writing the region: buffered CSV files (UTF-8 or GBK) and their conversion to Parquet through DuckDB, with the
 * flat-file column contract (`model/columns.ts`) deciding each Parquet column's type.
 */
import { createHash } from 'node:crypto';
import { closeSync, createReadStream, openSync, writeSync } from 'node:fs';
import type { DuckDBConnection } from '@duckdb/node-api';
import iconv from 'iconv-lite';
import type { ColumnSpec, ColumnType } from '../model/columns.ts';

export type Encoding = 'utf-8' | 'gbk';

/** A CSV file written line by line through a fixed write buffer; counts data rows. */
export class CsvWriter {
  private readonly fd: number;
  private readonly buffer = Buffer.allocUnsafe(1 << 20);
  private used = 0;
  /** Lines waiting to be encoded into the buffer. */
  private pending: string[] = [];
  private pendingChars = 0;
  rows = 0;

  constructor(
    readonly path: string,
    header: string,
    private readonly encoding: Encoding = 'utf-8',
  ) {
    this.fd = openSync(path, 'w');
    this.append(header);
  }

  write(line: string): void {
    this.append(line);
    this.rows++;
  }

  private append(line: string): void {
    this.pending.push(line);
    this.pendingChars += line.length;
    if (this.pending.length >= 512 || this.pendingChars > 131_072) this.encodePending();
  }

  /** Encode the waiting lines in one go (one call per block is far cheaper than one per line). */
  private encodePending(): void {
    if (this.pending.length === 0) return;
    const text = `${this.pending.join('\n')}\n`;
    this.pending = [];
    this.pendingChars = 0;
    if (this.encoding === 'gbk') {
      this.flush();
      writeSync(this.fd, iconv.encode(text, 'gbk'));
      return;
    }
    // A UTF-16 code unit takes at most 3 bytes in UTF-8.
    if (this.used + text.length * 3 > this.buffer.length) this.flush();
    if (text.length * 3 > this.buffer.length) writeSync(this.fd, text);
    else this.used += this.buffer.write(text, this.used, 'utf8');
  }

  private flush(): void {
    if (this.used > 0) {
      writeSync(this.fd, this.buffer, 0, this.used);
      this.used = 0;
    }
  }

  close(): void {
    this.encodePending();
    this.flush();
    closeSync(this.fd);
  }
}

/** DuckDB type of a contract column in Parquet output. Money is DECIMAL(18,2): exact yuan, never a float. */
export function parquetType(type: ColumnType): string {
  switch (type) {
    case 'int':
      return 'INTEGER';
    case 'money':
      return 'DECIMAL(18,2)';
    case 'date':
      return 'DATE';
    case 'datetime':
      return 'TIMESTAMP';
    default:
      return 'VARCHAR';
  }
}

function sqlString(s: string): string {
  return `'${s.replaceAll("'", "''")}'`;
}

/**
 * Convert a UTF-8 CSV written by `CsvWriter` to Parquet, typing each column by the contract. The CSV is read
 * with fixed options (no sniffing), so the same CSV always gives the same Parquet bytes.
 */
export async function csvToParquet(
  conn: DuckDBConnection,
  csvPath: string,
  parquetPath: string,
  columns: readonly ColumnSpec[],
): Promise<void> {
  const cols = columns.map((c) => `${sqlString(c.name)}: ${sqlString(parquetType(c.type))}`).join(', ');
  await conn.run(
    `COPY (SELECT * FROM read_csv(${sqlString(csvPath)}, header = true, auto_detect = false, delim = ',', ` +
      `quote = '"', escape = '"', nullstr = '', dateformat = '%Y-%m-%d', timestampformat = '%Y-%m-%d %H:%M:%S', ` +
      `columns = {${cols}})) TO ${sqlString(parquetPath)} (FORMAT parquet, COMPRESSION zstd)`,
  );
}

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 4 << 20 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

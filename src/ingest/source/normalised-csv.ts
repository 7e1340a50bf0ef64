/**
 * The normalised staging CSV: what Node writes when it had to read a file itself (XLSX, or a CSV that DuckDB's
 * strict reader refused). Every field is quoted; the columns are `_row`, the expected columns in contract
 * order, then the source-level problem of the row (`_src_code`, `_src_field`, `_src_zh`, `_src_en`).
 */

import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';

export const SRC_COLUMNS = ['_src_code', '_src_field', '_src_zh', '_src_en', '_src_raw'] as const;

export interface SourceProblem {
  code: string;
  field: string;
  zh: string;
  en: string;
  /** The raw text of the record when the reader could not split it reliably (kept for the rejects). */
  raw?: string;
}

const quote = (v: string | null | undefined) => (v === null || v === undefined ? '' : `"${v.replaceAll('"', '""')}"`);

export class NormalisedCsvWriter {
  private readonly out: WriteStream;
  private buffer: string[] = [];
  private size = 0;
  rows = 0;

  constructor(
    readonly path: string,
    readonly columns: readonly string[],
  ) {
    this.out = createWriteStream(path, { encoding: 'utf8' });
    this.buffer.push(`${['_row', ...columns, ...SRC_COLUMNS].join(',')}\n`);
  }

  /** Write one row; `values` are in the order of `columns` (null = empty). */
  async write(row: number, values: readonly (string | null)[], problem?: SourceProblem): Promise<void> {
    const src = problem
      ? [problem.code, problem.field, problem.zh, problem.en, problem.raw ?? null]
      : [null, null, null, null, null];
    const line = `${row},${values.map(quote).join(',')},${src.map(quote).join(',')}\n`;
    this.buffer.push(line);
    this.size += line.length;
    this.rows++;
    if (this.size > 1 << 20) await this.flush();
  }

  private async flush(): Promise<void> {
    if (this.buffer.length === 0) return;
    const text = this.buffer.join('');
    this.buffer = [];
    this.size = 0;
    if (!this.out.write(text)) await once(this.out, 'drain');
  }

  async close(): Promise<void> {
    await this.flush();
    this.out.end();
    await once(this.out, 'finish');
  }

  /** DuckDB `read_csv` arguments that read this file back exactly. */
  static readCsvSql(path: string, columns: readonly string[]): string {
    const cols = ['_row', ...columns, ...SRC_COLUMNS]
      .map((c) => `'${c}': '${c === '_row' ? 'BIGINT' : 'VARCHAR'}'`)
      .join(', ');
    return `read_csv('${path.replaceAll("'", "''")}', header = true, auto_detect = false, delim = ',', quote = '"',
      escape = '"', columns = {${cols}}, max_line_size = 16777216)`;
  }
}

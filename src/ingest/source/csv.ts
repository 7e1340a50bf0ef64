/**
 * CSV → staging table. The fast path is DuckDB's parallel CSV reader in strict mode on the (UTF-8) file with
 * every column declared VARCHAR. If DuckDB refuses any line (a row with the wrong number of fields, a broken
 * quote, mixed line endings), the file is re-read in Node with csv-parse, which keeps every record: rows it
 * cannot read become source problems (E_CSV_SHAPE / E_CSV_SYNTAX) and are rejected, never dropped.
 *
 * The header is the first of the first 20 lines that holds every required column (header.ts `HeaderSearch`):
 * title lines above it ("2025年住院结算清单", a blank line) are skipped and reported. `_row` is the line the record
 * starts on, as an editor numbers it (the file's first line is 1, usually the header; blank lines and the lines of
 * a quoted field that spans lines count), so a reject's row is found where the user looks for it. DuckDB's reader
 * gives no line numbers: its records are numbered from the header's line + 1 only when they are as many as the
 * lines after the header up to the last non-blank one (one record per line, none blank); otherwise Node reads the
 * file.
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { type Options, parse } from 'csv-parse';
import { parse as parseSync } from 'csv-parse/sync';
import { lit } from '../../store/duckdb/sql.ts';
import { IngestFileError } from '../errors.ts';
import { type CsvParseErrorLike, csvSyntaxText } from './csv-syntax.ts';
import { decodeInput, type Encoding, OTHER_ENCODING_MARK, REPLACEMENT_CHAR, scanFile } from './encoding.ts';
import { type FoundHeader, HEADER_SEARCH_ROWS, HeaderSearch } from './header.ts';
import { NormalisedCsvWriter, type SourceProblem } from './normalised-csv.ts';
import { type StageResult, type StageTarget, stagingSelect } from './stage.ts';

interface Header {
  cells: string[];
  delimiter: string;
  /** The header's line (1 = the file's first line) and the byte offset where it starts in the (UTF-8) file. */
  line: number;
  offset: number;
  match: FoundHeader;
}

/** How much of the file's start is read to find the header (the first HEADER_SEARCH_ROWS lines). */
const HEAD_BYTES = 256 * 1024;

/** The cells of one line and its delimiter (the most frequent of , ; tab in the line). */
function splitLine(text: string): { cells: string[]; delimiter: string } {
  const count = (ch: string) => text.split(ch).length - 1;
  const delimiter = [',', '\t', ';'].sort((a, b) => count(b) - count(a))[0]!;
  let cells: string[];
  try {
    const records = parseSync(text, { delimiter, relax_quotes: true, relax_column_count: true }) as string[][];
    cells = records[0] ?? [];
  } catch {
    // A quote never closed on this line (a title such as `"2025年 清单`): its cells as they are.
    cells = text.split(delimiter);
  }
  return { cells: cells.map((c) => c.trim()), delimiter };
}

/**
 * The header line, its delimiter and where it starts: the first of the first HEADER_SEARCH_ROWS lines that holds
 * every required column (header.ts `HeaderSearch`; title lines above it are skipped). Lines are split as
 * csv-parse splits records (CR LF, LF or CR).
 */
async function readHeader(
  path: string,
  file: string,
  columns: StageTarget['columns'],
  aliases: StageTarget['aliases'],
): Promise<Header> {
  const fh = await open(path, 'r');
  let buf: Buffer;
  let whole: boolean;
  try {
    const size = (await fh.stat()).size;
    buf = Buffer.alloc(Math.min(size, HEAD_BYTES));
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    buf = buf.subarray(0, bytesRead);
    whole = bytesRead >= size;
  } finally {
    await fh.close();
  }
  const text = buf.toString('utf8');
  const search = new HeaderSearch(file, columns, aliases ?? {});
  const breaks = /\r\n|\n|\r/g;
  let at = 0;
  // Line HEADER_SEARCH_ROWS + 1 is offered only to be refused (no header in the lines above it).
  for (let line = 1; line <= HEADER_SEARCH_ROWS + 1; line++) {
    const m = breaks.exec(text);
    // The last line of the part read is cut short unless the whole file was read.
    if (!m && !whole) break;
    const content = text.slice(at, m ? m.index : text.length).replace(/^\uFEFF/, '');
    const { cells, delimiter } = splitLine(content);
    const match = search.offer({ row: line, cells });
    if (match) return { cells, delimiter, line, offset: Buffer.byteLength(text.slice(0, at), 'utf8'), match };
    if (!m) break;
    at = m.index + m[0].length;
  }
  search.fail();
  throw new IngestFileError(
    'E_EMPTY_FILE',
    file,
    '文件为空（或只有空行），没有表头',
    'the file is empty (or has blank lines only): no header',
  );
}

/**
 * A header problem whose unrecognised columns hold U+FFFD (the header did not decode) says which encoding the file
 * was read in and how to choose another: "\uFFFD\uFFFDID" alone told a user nothing (walk3 1).
 */
function withEncodingHint(e: unknown, encoding: Encoding): unknown {
  if (!(e instanceof IngestFileError) || !e.code.startsWith('E_HEADER') || !e.zh.includes(REPLACEMENT_CHAR)) return e;
  const name = encoding === 'utf8' ? 'UTF-8' : encoding === 'gb18030' ? 'GB18030' : encoding.toUpperCase();
  const other = encoding === 'utf8' ? 'gbk' : 'utf8';
  return new IngestFileError(
    e.code,
    e.file,
    `${e.zh}。表头含无法解码的字符（�）：文件按 ${name} 读取，编码可能不对；请加 --encoding ${other} 再试`,
    `${e.en}. The header holds undecodable characters (�): the file was read as ${name}, perhaps the wrong encoding; try again with --encoding ${other}`,
  );
}

export async function stageCsv(t: StageTarget): Promise<StageResult> {
  const scan = await scanFile(t.file, { lines: true });
  const {
    path: utf8Path,
    encoding,
    mixed,
    ambiguous,
  } = await decodeInput(t.file, join(t.tmpDir, 'decoded.csv'), t.encoding ?? 'auto', scan);
  const header = await readHeader(utf8Path, t.file, t.columns, t.aliases).catch((e: unknown) => {
    throw withEncodingHint(e, encoding);
  });
  const match = header.match;
  const base = {
    format: 'csv' as const,
    encoding,
    ...(mixed ? { encodingNote: 'mixed' as const } : ambiguous ? { encodingNote: 'ambiguous' as const } : {}),
    present: match.present,
    ignored: match.ignored,
    names: match.names,
    header: { row: match.row, above: match.above, ...(match.top !== undefined ? { top: match.top } : {}) },
    sha256: scan.sha256,
    bytes: scan.bytes,
  };
  // A file that mixes encodings is read in Node, which rejects every record holding an undecodable character
  // wherever it is (also in a column that is not read).
  // One record per line after the header: DuckDB's record numbers + the header's line are the lines (unknown for
  // UTF-16: Node reads).
  const records = scan.lastContentLine === undefined ? undefined : Math.max(0, scan.lastContentLine - header.line);
  if (!mixed && records !== undefined && (await tryDuckDbReader(t, utf8Path, header, match.byPosition, records))) {
    return { ...base, rows: await countRows(t), reader: 'duckdb' };
  }
  const rows = await nodeReader(t, utf8Path, header, match.byPosition, mixed ? encoding : undefined);
  return { ...base, rows, reader: 'node' };
}

async function countRows(t: StageTarget): Promise<number> {
  const r = await t.conn.runAndReadAll(`SELECT count(*) FROM ${t.table}`);
  return Number(r.getRows()[0]![0]);
}

/**
 * Strict DuckDB read; false (and nothing left behind) if any line was refused, or if it read another number of
 * records than `records` (the lines after the header: then a record spans lines or a line is blank, and the
 * record numbers would not be the lines).
 */
async function tryDuckDbReader(
  t: StageTarget,
  path: string,
  header: Header,
  byPosition: readonly (string | undefined)[],
  records: number,
): Promise<boolean> {
  const decl = header.cells.map((_, i) => `'c${i}': 'VARCHAR'`).join(', ');
  const pos = new Map<string, number>();
  byPosition.forEach((name, i) => {
    if (name) pos.set(name, i);
  });
  const select = stagingSelect(
    t.columns,
    (name) => (pos.has(name) ? `c${pos.get(name)}` : undefined),
    `row_number() OVER () + ${header.line}`,
  );
  const rej = `${t.table}_csv_rejects`;
  const scans = `${t.table}_csv_scans`;
  // `skip` passes over the lines above the header (titles, blank lines), counted as an editor counts them.
  const source = `read_csv(${lit(path)}, header = true, skip = ${header.line - 1}, auto_detect = false, delim = ${lit(header.delimiter)},
    quote = '"', escape = '"', columns = {${decl}}, strict_mode = true, ignore_errors = true, store_rejects = true,
    rejects_table = '${rej}', rejects_scan = '${scans}', max_line_size = 16777216)`;
  const count = async (conn: DuckDBConnection, sql: string) => Number((await conn.runAndReadAll(sql)).getRows()[0]![0]);
  /** `read` gives the number of records read; refused if DuckDB refused a line or the records are not the lines. */
  const refused = async (conn: DuckDBConnection, read: () => Promise<number>): Promise<boolean> => {
    try {
      const n = await read();
      if ((await count(conn, `SELECT count(*) FROM ${rej}`)) > 0) return true;
      return n !== records;
    } catch {
      return true;
    } finally {
      await conn.run(`DROP TABLE IF EXISTS ${rej}`).catch(() => undefined);
      await conn.run(`DROP TABLE IF EXISTS ${scans}`).catch(() => undefined);
    }
  };
  if (t.probeConnection) {
    // Inside a transaction: a statement that fails would abort it, so try on a connection of our own first.
    const probe = await t.probeConnection();
    try {
      if (await refused(probe, () => count(probe, `SELECT count(*) FROM ${source}`))) return false;
    } finally {
      probe.closeSync();
    }
  }
  const create = async () => {
    await t.conn.run(`CREATE TEMP TABLE ${t.table} AS SELECT ${select} FROM ${source}`);
    return count(t.conn, `SELECT count(*) FROM ${t.table}`);
  };
  if (!(await refused(t.conn, create))) return true;
  await t.conn.run(`DROP TABLE IF EXISTS ${t.table}`);
  return false;
}

type Parsed =
  | { seq: number; line: number; record: string[]; raw: string }
  | { seq: number; line: number; skipped: CsvParseErrorLike; raw: string };

/** The raw text of a record as kept in a reject (line breaks kept; blank lines before it and its last break dropped). */
const rawText = (raw: string | undefined) => (raw ?? '').replace(/^(?:\r\n|\n|\r)+/, '').replace(/(?:\r\n|\n|\r)$/, '');

/**
 * The line each record starts on, from csv-parse's count of lines when the record ends (`info.lines`, or a
 * skipped record's error `lines`) and the record's raw text: minus the line breaks inside the record (a quoted
 * field spanning lines). csv-parse counts a CR LF inside quotes as two lines (one outside), so the CR LFs inside
 * the records so far are taken off too. Records are given in file order.
 */
export class RecordLines {
  private extra = 0;

  start(lines: number, raw: string | undefined): number {
    const inner = rawText(raw);
    const crlf = inner.match(/\r\n/g)?.length ?? 0;
    const breaks = inner.match(/\r\n|\n|\r/g)?.length ?? 0;
    this.extra += crlf;
    return lines - this.extra - breaks;
  }
}

/** csv-parse in relaxed mode; every record (also the unreadable ones) becomes one staging row. */
async function nodeReader(
  t: StageTarget,
  path: string,
  header: Header,
  byPosition: readonly (string | undefined)[],
  /** The encoding of a file that mixes encodings: its lines of another encoding end in OTHER_ENCODING_MARK. */
  mixedEncoding?: Encoding,
): Promise<number> {
  const names = t.columns.map((c) => c.name);
  const index = new Map(names.map((n, i) => [n, i]));
  const out = new NormalisedCsvWriter(join(t.tmpDir, 'normalised.csv'), names);
  let seq = 0;
  const lines = new RecordLines();
  const skips: Parsed[] = [];
  // Read from the header's line on (`start`): title lines above it are not records, and an unbalanced quote there
  // cannot swallow the file. The lines csv-parse counts are shifted by the lines skipped.
  const skippedLines = header.line - 1;
  // on_record and on_skip run synchronously in file order, so `seq` orders records and skipped ones.
  const options: Options<Parsed, string[]> = {
    delimiter: header.delimiter,
    bom: true,
    relax_quotes: true,
    relax_column_count: true,
    skip_empty_lines: true,
    record_delimiter: ['\r\n', '\n', '\r'],
    skip_records_with_error: true,
    raw: true,
    info: true,
    // With `raw` and `info`, each record arrives as { record, raw, info } (info.lines: the line it ends on).
    on_record: (r: unknown) => {
      const ext = r as { record: string[]; raw: string; info: { lines: number } };
      return {
        seq: ++seq,
        line: skippedLines + lines.start(ext.info.lines, ext.raw),
        record: ext.record,
        raw: ext.raw,
      };
    },
    on_skip: (err, raw) => {
      skips.push({
        seq: ++seq,
        line: skippedLines + lines.start((err as { lines?: number } | undefined)?.lines ?? 0, raw),
        // The parser's error kind and field, put in the reader's words when the row is rejected (csv-syntax.ts).
        skipped: { code: err?.code, index: (err as { index?: unknown } | undefined)?.index, message: err?.message },
        raw: rawText(raw),
      });
      return undefined;
    },
  };
  const parser = createReadStream(path, { start: header.offset }).pipe(parse(options as unknown as Options));
  let rows = 0;
  const write = async (p: Parsed) => {
    if (p.seq === 1) return; // the header
    rows++;
    const values: (string | null)[] = names.map(() => null);
    let problem: SourceProblem | undefined;
    const marked = mixedEncoding !== undefined && p.raw.includes(OTHER_ENCODING_MARK);
    if (marked) {
      p.raw = p.raw.replaceAll(OTHER_ENCODING_MARK, '');
      if ('record' in p) p.record = p.record.map((v) => v.replaceAll(OTHER_ENCODING_MARK, ''));
    }
    if (marked && 'record' in p) {
      p.record.forEach((v, i) => {
        const name = byPosition[i];
        if (name !== undefined) values[index.get(name)!] = v;
      });
      const file = mixedEncoding === 'utf8' ? 'UTF-8' : 'GB18030';
      const row = mixedEncoding === 'utf8' ? '不是合法的 UTF-8（可能是 GBK/GB18030，或字节已损坏）' : '是 UTF-8';
      const rowEn = mixedEncoding === 'utf8' ? 'is not valid UTF-8 (GBK/GB18030, or damaged bytes)' : 'is UTF-8';
      problem = {
        code: 'E_ENCODING',
        field: '',
        zh: `该行${row}，而文件其余各行是 ${file}${mixedEncoding === 'utf8' ? '' : '：文件混用了编码'}，该行未入库；请以统一编码（建议 UTF-8）重新导出`,
        en: `the row ${rowEn} while the rest of the file is ${file}${mixedEncoding === 'utf8' ? '' : ': the file mixes encodings'}; the row is not stored; export the file again in one encoding (UTF-8 preferred)`,
        raw: rawText(p.raw),
      };
    } else if ('skipped' in p) {
      const text = csvSyntaxText(p.skipped, header.cells);
      const index = typeof p.skipped.index === 'number' ? p.skipped.index : -1;
      problem = {
        code: 'E_CSV_SYNTAX',
        field: byPosition[index] ?? text.field,
        zh: text.zh,
        en: text.en,
        raw: p.raw,
      };
    } else {
      p.record.forEach((v, i) => {
        const name = byPosition[i];
        if (name !== undefined) values[index.get(name)!] = v;
      });
      if (p.record.length !== header.cells.length) {
        problem = {
          code: 'E_CSV_SHAPE',
          field: '',
          zh: `该行有 ${p.record.length} 个字段，表头有 ${header.cells.length} 个（原文见拒收明细的“原文”列；常见原因是引号不成对）`,
          en: `the row has ${p.record.length} fields, the header ${header.cells.length} (the row as written is in the rejects file's "raw text" column; often an unbalanced quote)`,
          raw: rawText(p.raw),
        };
      } else if (p.record.some((v) => v.includes(REPLACEMENT_CHAR))) {
        const i = p.record.findIndex((v) => v.includes(REPLACEMENT_CHAR));
        problem = {
          code: 'E_ENCODING',
          field: byPosition[i] ?? header.cells[i] ?? '',
          zh: '该行含有无法解码的字符，或与文件其余各行的编码不同（文件混用了编码）；请以统一编码（建议 UTF-8）重新导出',
          en: 'the row has undecodable characters or another encoding than the rest of the file (mixed encodings); export the file again in one encoding (UTF-8 preferred)',
          raw: rawText(p.raw),
        };
      }
    }
    await out.write(p.line, values, problem);
  };
  try {
    for await (const rec of parser as AsyncIterable<Parsed>) {
      while (skips.length > 0 && skips[0]!.seq < rec.seq) await write(skips.shift()!);
      await write(rec);
    }
    for (const s of skips.splice(0)) await write(s);
  } catch (e) {
    // The parser's error in words, with the line it stopped on (counted from the header's line).
    const text = csvSyntaxText(e as CsvParseErrorLike, header.cells);
    const at = (e as { lines?: unknown }).lines;
    const line = typeof at === 'number' ? skippedLines + at : undefined;
    throw new IngestFileError(
      'E_CSV_SYNTAX',
      t.file,
      `无法读取 CSV${line === undefined ? '' : `（第 ${line} 行）`}：${text.zh}`,
      `cannot read the CSV${line === undefined ? '' : ` (row ${line})`}: ${text.en}`,
    );
  } finally {
    await out.close();
  }
  await t.conn.run(`CREATE TEMP TABLE ${t.table} AS SELECT * FROM ${NormalisedCsvWriter.readCsvSql(out.path, names)}`);
  return rows;
}

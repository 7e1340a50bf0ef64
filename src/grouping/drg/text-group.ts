/**
 * The fast path of `drg group` on CSV text: a byte range of a case file (whole lines, no header, no `"`) is
 * read, split and interned straight into a batch (codes looked up in place, no record objects), grouped, and
 * written back as result lines `id,mdc,adrg,drg,status`. Worker threads each run it on their own range of the
 * file (worker.ts), so reading, interning, grouping and formatting all run in parallel.
 *
 * A file holding a `"` anywhere is not for this path (a quoted field may hold a comma or a line break); the
 * caller then uses the csv-parse path (reference-cases.ts).
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { CaseBatchBuilder, type InternTables } from './case-batch.ts';
import { CASE_FIELDS } from './case-columns.ts';
import { buildCodeDictionary } from './code-dictionary.ts';
import { groupRange } from './kernel.ts';
import { type KernelCore, newResults } from './kernel-types.ts';
import type { DrgCaseFields } from './pack-schema.ts';
import { outcomeAt } from './results.ts';

/** Where the fields are in a line: column index per `CASE_FIELDS` entry (-1 absent), and the column count. */
export interface CaseTextLayout {
  index: Int32Array;
  columns: number;
}

/** The outcome of one range. */
export type TextGroupResult =
  | { kind: 'done'; cases: number; lines: Uint8Array; statusCounts: number[] }
  /** The range holds a `"`: use the csv-parse path for the whole file. */
  | { kind: 'quoted' }
  /** A line whose field count differs from the header's; `offset` is its first byte in the file. */
  | { kind: 'badLine'; offset: number; fields: number };

/** The plain data a worker needs to intern: the dictionaries' codes (id order) and the field reading. */
export interface InternTablesData {
  dxCodes: readonly string[];
  procCodes: readonly string[];
  caseFields: DrgCaseFields;
}

export function internTablesFromData(d: InternTablesData): InternTables {
  return {
    dx: buildCodeDictionary([d.dxCodes]),
    proc: buildCodeDictionary([d.procCodes]),
    codeMaps: null,
    caseFields: d.caseFields,
  };
}

const FIELD = Object.fromEntries(CASE_FIELDS.map((f, k) => [f, k])) as Record<(typeof CASE_FIELDS)[number], number>;

/** Read bytes `[start, end)` of a file. */
export function readRange(file: string, start: number, end: number): Buffer {
  const buf = Buffer.allocUnsafe(end - start);
  const fd = openSync(file, 'r');
  try {
    let done = 0;
    while (done < buf.length) {
      const n = readSync(fd, buf, done, buf.length - done, start + done);
      if (n === 0) break;
      done += n;
    }
    return done === buf.length ? buf : buf.subarray(0, done);
  } finally {
    closeSync(fd);
  }
}

/** Group the whole lines in bytes `[start, end)` of `file`. */
export function groupTextRange(
  core: KernelCore,
  tables: InternTables,
  file: string,
  start: number,
  end: number,
  layout: CaseTextLayout,
): TextGroupResult {
  const buf = readRange(file, start, end);
  if (buf.includes(0x22)) return { kind: 'quoted' };
  const text = buf.toString('utf8');
  const builder = new CaseBatchBuilder(tables, 1 << 16);
  const ids: string[] = [];
  const bad = parseCaseLines(text, layout, builder, ids);
  if (bad >= 0) {
    const fields = countFields(text, bad);
    return { kind: 'badLine', offset: start + Buffer.byteLength(text.slice(0, bad)), fields };
  }
  const batch = builder.finish();
  const results = newResults(batch.size);
  groupRange(core, batch, results, 0, batch.size);
  const statusCounts: number[] = [];
  const lines = new ResultLines(core);
  for (let i = 0; i < batch.size; i++) {
    const s = results.status[i]!;
    statusCounts[s] = (statusCounts[s] ?? 0) + 1;
    lines.add(ids[i]!, results, i);
  }
  return { kind: 'done', cases: batch.size, lines: lines.finish(), statusCounts };
}

/**
 * Split `text` into lines and fields (no quotes) and add each case to `builder`, its id to `ids`. Returns -1,
 * or the offset in `text` of the first line whose field count differs from `layout.columns`.
 */
export function parseCaseLines(text: string, layout: CaseTextLayout, builder: CaseBatchBuilder, ids: string[]): number {
  const cols = layout.columns;
  const starts = new Int32Array(cols + 1);
  const ix = layout.index;
  const at = (f: number) => ix[f]!;
  const iId = at(FIELD.id);
  const iSex = at(FIELD.sex);
  const iAge = at(FIELD.age);
  const iDays = at(FIELD.age_days);
  const iWeight = at(FIELD.birth_weight_g);
  const iLos = at(FIELD.los);
  const iDx = at(FIELD.diagnoses);
  const iProc = at(FIELD.procedures);
  const field = (k: number) => (k < 0 ? '' : text.slice(starts[k]!, starts[k + 1]! - 1));
  let pos = 0;
  const n = text.length;
  while (pos < n) {
    let eol = text.indexOf('\n', pos);
    if (eol < 0) eol = n;
    let lineEnd = eol;
    if (lineEnd > pos && text.charCodeAt(lineEnd - 1) === 13) lineEnd--;
    if (lineEnd === pos) {
      pos = eol + 1;
      continue;
    }
    starts[0] = pos;
    let f = pos;
    for (let k = 1; k < cols; k++) {
      const c = text.indexOf(',', f);
      if (c < 0 || c >= lineEnd) return pos;
      starts[k] = c + 1;
      f = c + 1;
    }
    const extra = text.indexOf(',', f);
    if (extra >= 0 && extra < lineEnd) return pos;
    starts[cols] = lineEnd + 1;
    ids.push(field(iId));
    builder.addRanges(
      field(iSex),
      field(iAge),
      field(iDays),
      field(iWeight),
      field(iLos),
      text,
      starts[iDx]!,
      starts[iDx + 1]! - 1,
      starts[iProc]!,
      starts[iProc + 1]! - 1,
    );
    pos = eol + 1;
  }
  return -1;
}

function countFields(text: string, pos: number): number {
  let eol = text.indexOf('\n', pos);
  if (eol < 0) eol = text.length;
  return text.slice(pos, eol).replace(/\r$/, '').split(',').length;
}

/**
 * Result lines `id,mdc,adrg,drg,status\n`, written into one UTF-8 buffer. The part after the id depends only on
 * (status, mdc, adrg, drg), so it is built once per combination.
 */
export class ResultLines {
  private readonly suffixes = new Map<number, string>();
  private parts: string[] = [];
  private chunk = '';
  private readonly buffers: Buffer[] = [];

  constructor(private readonly core: KernelCore) {}

  add(id: string, r: ReturnType<typeof newResults>, i: number): void {
    const key = ((r.status[i]! * 64 + r.mdc[i]! + 1) * 4096 + r.adrg[i]! + 1) * 4096 + r.drg[i]! + 1;
    let suffix = this.suffixes.get(key);
    if (suffix === undefined) {
      const o = outcomeAt(this.core, r, i);
      suffix = `,${o.mdc},${o.adrg},${o.drg},${o.status}\n`;
      this.suffixes.set(key, suffix);
    }
    this.chunk += id + suffix;
    if (this.chunk.length > 1 << 16) {
      this.parts.push(this.chunk);
      this.chunk = '';
      if (this.parts.length >= 64) this.flush();
    }
  }

  private flush(): void {
    this.buffers.push(Buffer.from(this.parts.join(''), 'utf8'));
    this.parts = [];
  }

  /** All lines, in a buffer of its own (never Node's shared pool, so it can be transferred to another thread). */
  finish(): Uint8Array {
    this.parts.push(this.chunk);
    this.chunk = '';
    this.flush();
    const out = new Uint8Array(this.buffers.reduce((n, b) => n + b.length, 0));
    let at = 0;
    for (const b of this.buffers) {
      out.set(b, at);
      at += b.length;
    }
    return out;
  }
}

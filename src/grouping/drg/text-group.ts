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
import { CaseBatchBuilder, type InternTables, SEX_EMPTY, SEX_FEMALE, SEX_MALE } from './case-batch.ts';
import { CASE_FIELDS } from './case-columns.ts';
import { buildCodeDictionary } from './code-dictionary.ts';
import { ByteCodeLookup } from './code-lookup.ts';
import { groupRange } from './kernel.ts';
import { type DrgResults, type KernelCore, newResults } from './kernel-types.ts';
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

/** What the byte reader needs: byte lookups over the kernel's dictionaries, and how fields are read. */
export interface TextInterner {
  tables: InternTables;
  dx: ByteCodeLookup;
  proc: ByteCodeLookup;
}

export function textInterner(d: InternTablesData): TextInterner {
  return {
    tables: {
      dx: buildCodeDictionary([d.dxCodes]),
      proc: buildCodeDictionary([d.procCodes]),
      codeMaps: null,
      caseFields: d.caseFields,
    },
    dx: new ByteCodeLookup(d.dxCodes),
    proc: new ByteCodeLookup(d.procCodes),
  };
}

const FIELD = Object.fromEntries(CASE_FIELDS.map((f, k) => [f, k])) as Record<(typeof CASE_FIELDS)[number], number>;

const COMMA = 0x2c;
const NEWLINE = 0x0a;
const CR = 0x0d;
const BAR = 0x7c;
const QUOTE = 0x22;

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
  interner: TextInterner,
  file: string,
  start: number,
  end: number,
  layout: CaseTextLayout,
): TextGroupResult {
  const buf = readRange(file, start, end);
  if (buf.includes(QUOTE)) return { kind: 'quoted' };
  // About 40 bytes per case at least: size the arrays once.
  const builder = new CaseBatchBuilder(interner.tables, Math.max(1024, Math.ceil(buf.length / 40)));
  const ids = new Int32Array(2 * Math.max(1024, Math.ceil(buf.length / 8)));
  const parsed = parseCaseBytes(buf, layout, interner, builder, ids);
  if (parsed.badAt >= 0) {
    return { kind: 'badLine', offset: start + parsed.badAt, fields: countFields(buf, parsed.badAt) };
  }
  const batch = builder.finish();
  const results = newResults(batch.size);
  groupRange(core, batch, results, 0, batch.size);
  const statusCounts: number[] = [];
  const lines = new ResultLines(core, buf.length);
  for (let i = 0; i < batch.size; i++) {
    const s = results.status[i]!;
    statusCounts[s] = (statusCounts[s] ?? 0) + 1;
    lines.add(buf, ids[2 * i]!, ids[2 * i + 1]!, results, i);
  }
  return { kind: 'done', cases: batch.size, lines: lines.finish(), statusCounts };
}

/**
 * Split `buf` into lines and fields (no quotes) and add each case to `builder`; the byte range of its id goes
 * to `ids` (start, end per case; the array must hold 2 entries per line). `badAt` is -1, or the offset of the
 * first line whose field count differs from `layout.columns`.
 */
export function parseCaseBytes(
  buf: Uint8Array,
  layout: CaseTextLayout,
  interner: TextInterner,
  builder: CaseBatchBuilder,
  ids: Int32Array,
): { cases: number; badAt: number } {
  return new ByteCaseReader(buf, layout, interner, builder).read(ids);
}

/** The byte reader behind `parseCaseBytes` (a class, so that its small methods are optimised and inlined). */
class ByteCaseReader {
  private readonly starts: Int32Array;
  private readonly cols: number;
  private readonly trim: boolean;
  private readonly empty: number;
  private readonly dxLookup: ByteCodeLookup;
  private readonly procLookup: ByteCodeLookup;

  constructor(
    private readonly buf: Uint8Array,
    private readonly layout: CaseTextLayout,
    interner: TextInterner,
    private readonly builder: CaseBatchBuilder,
  ) {
    this.cols = layout.columns;
    this.starts = new Int32Array(this.cols + 1);
    this.trim = builder.trimsCodes;
    this.empty = builder.emptyNumber;
    this.dxLookup = interner.dx;
    this.procLookup = interner.proc;
  }

  read(ids: Int32Array): { cases: number; badAt: number } {
    const buf = this.buf;
    const starts = this.starts;
    const cols = this.cols;
    const ix = this.layout.index;
    const iId = ix[FIELD.id]!;
    const iSex = ix[FIELD.sex]!;
    const iAge = ix[FIELD.age]!;
    const iDays = ix[FIELD.age_days]!;
    const iWeight = ix[FIELD.birth_weight_g]!;
    const iLos = ix[FIELD.los]!;
    const iDx = ix[FIELD.diagnoses]!;
    const iProc = ix[FIELD.procedures]!;
    const builder = this.builder;
    const n = buf.length;
    let pos = 0;
    let cases = 0;
    while (pos < n) {
      let eol = pos;
      let k = 1;
      starts[0] = pos;
      while (eol < n) {
        const c = buf[eol]!;
        if (c === NEWLINE) break;
        if (c === COMMA) {
          if (k === cols) return { cases, badAt: pos };
          starts[k++] = eol + 1;
        }
        eol++;
      }
      let lineEnd = eol;
      if (lineEnd > pos && buf[lineEnd - 1] === CR) lineEnd--;
      if (lineEnd === pos) {
        pos = eol + 1;
        continue;
      }
      if (k !== cols) return { cases, badAt: pos };
      starts[cols] = lineEnd + 1;
      builder.beginCase(
        this.sexAt(iSex),
        this.numberAt(iAge),
        this.numberAt(iDays),
        this.numberAt(iWeight),
        this.numberAt(iLos),
      );
      this.codes(iDx, this.dxLookup, true);
      builder.endDiagnoses();
      this.codes(iProc, this.procLookup, false);
      builder.endCase();
      ids[2 * cases] = starts[iId]!;
      ids[2 * cases + 1] = starts[iId + 1]! - 1;
      cases++;
      pos = eol + 1;
    }
    return { cases, badAt: -1 };
  }

  private text(a: number, b: number): string {
    return Buffer.from(this.buf.buffer, this.buf.byteOffset + a, b - a).toString('utf8');
  }

  /** A number field: plain digits read in place (the usual case), anything else as the pack reads text. */
  private numberAt(k: number): number {
    if (k < 0) return this.empty;
    const buf = this.buf;
    const a = this.starts[k]!;
    const b = this.starts[k + 1]! - 1;
    if (a === b) return this.empty;
    if (b - a <= 15) {
      let v = 0;
      let j = a;
      for (; j < b; j++) {
        const c = buf[j]! - 48;
        if (c < 0 || c > 9) break;
        v = v * 10 + c;
      }
      if (j === b) return v;
    }
    return this.builder.readNumber(this.text(a, b));
  }

  private sexAt(k: number): number {
    if (k < 0) return SEX_EMPTY;
    const a = this.starts[k]!;
    const b = this.starts[k + 1]! - 1;
    if (a === b) return SEX_EMPTY;
    if (b - a === 1) {
      const c = this.buf[a];
      if (c === 0x31) return SEX_MALE;
      if (c === 0x32) return SEX_FEMALE;
    }
    return this.builder.readSex(this.text(a, b));
  }

  /** The `|`-separated codes of field `k`. */
  private codes(k: number, lookup: ByteCodeLookup, dx: boolean): void {
    const buf = this.buf;
    const end = this.starts[k + 1]! - 1;
    let a = this.starts[k]!;
    for (;;) {
      let bar = a;
      while (bar < end && buf[bar] !== BAR) bar++;
      let s = a;
      let e = bar;
      if (this.trim) {
        while (s < e && buf[s]! <= 32) s++;
        while (e > s && buf[e - 1]! <= 32) e--;
        if (s < e) this.builder.pushCode(dx, lookup.idOfBytes(buf, s, e));
      } else this.builder.pushCode(dx, lookup.idOfBytes(buf, s, e));
      if (bar >= end) return;
      a = bar + 1;
    }
  }
}

function countFields(buf: Uint8Array, pos: number): number {
  let fields = 1;
  for (let j = pos; j < buf.length && buf[j] !== NEWLINE; j++) if (buf[j] === COMMA) fields++;
  return fields;
}

/**
 * Result lines `id,mdc,adrg,drg,status\n` as UTF-8 bytes: the id is copied from the input bytes, the rest
 * depends only on (status, mdc, adrg, drg) and is encoded once per combination.
 */
export class ResultLines {
  private readonly suffixes = new Map<number, Uint8Array>();
  private out: Uint8Array;
  private at = 0;

  constructor(
    private readonly core: KernelCore,
    sizeHint: number,
  ) {
    this.out = new Uint8Array(Math.max(1024, sizeHint));
  }

  add(src: Uint8Array, idFrom: number, idTo: number, r: DrgResults, i: number): void {
    const key = ((r.status[i]! * 64 + r.mdc[i]! + 1) * 4096 + r.adrg[i]! + 1) * 4096 + r.drg[i]! + 1;
    let suffix = this.suffixes.get(key);
    if (suffix === undefined) {
      const o = outcomeAt(this.core, r, i);
      suffix = new TextEncoder().encode(`,${o.mdc},${o.adrg},${o.drg},${o.status}\n`);
      this.suffixes.set(key, suffix);
    }
    const need = this.at + (idTo - idFrom) + suffix.length;
    if (need > this.out.length) {
      const bigger = new Uint8Array(Math.max(need, this.out.length * 2));
      bigger.set(this.out.subarray(0, this.at));
      this.out = bigger;
    }
    const out = this.out;
    let at = this.at;
    for (let j = idFrom; j < idTo; j++) out[at++] = src[j]!;
    for (let j = 0; j < suffix.length; j++) out[at++] = suffix[j]!;
    this.at = at;
  }

  /** The lines written, in a buffer of its own (never Node's shared pool: it can be transferred). */
  finish(): Uint8Array {
    return this.out.slice(0, this.at);
  }
}

/**
 * The fast path of `drg group` on CSV text: a byte range of a case file (whole lines, no header, no `"`) is
 * read, split and interned straight into a batch (codes looked up in place, no record objects), grouped, and
 * written back as result lines `id,mdc,adrg,drg,status`. Worker threads each run it on ranges of the file in
 * turn (worker.ts), so reading, interning, grouping and formatting all run in parallel; a `TextGrouper` keeps
 * its buffers and columns from one range to the next.
 *
 * A file holding a `"` anywhere is not for this path (a quoted field may hold a comma or a line break); the
 * caller then uses the csv-parse path (reference-cases.ts).
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { type CaseBatch, caseNumber, grow, SEX_EMPTY, SEX_FEMALE, SEX_MALE, sexCode } from './case-batch.ts';
import { CASE_FIELDS } from './case-columns.ts';
import { ByteCodeLookup, type ByteCodeTables, byteCodeTables } from './code-lookup.ts';
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

/** The plain data a worker needs to intern: byte lookup tables of the kernel's dictionaries, and the field reading. */
export interface InternTablesData {
  dx: ByteCodeTables;
  proc: ByteCodeTables;
  caseFields: DrgCaseFields;
}

/** What the byte reader needs: byte lookups over the kernel's dictionaries, and how fields are read. */
export interface TextInterner {
  dx: ByteCodeLookup;
  proc: ByteCodeLookup;
  caseFields: DrgCaseFields;
}

/** The intern tables of a kernel's dictionaries (id order, as `kernel.dx.codes` / `kernel.proc.codes`). */
export function internTablesOf(k: {
  dx: { codes: readonly string[] };
  proc: { codes: readonly string[] };
  caseFields: DrgCaseFields;
}): InternTablesData {
  return { dx: byteCodeTables(k.dx.codes), proc: byteCodeTables(k.proc.codes), caseFields: k.caseFields };
}

/** The byte lookups over intern tables (`internTablesOf`). */
export function textInterner(d: InternTablesData): TextInterner {
  return { dx: new ByteCodeLookup(d.dx), proc: new ByteCodeLookup(d.proc), caseFields: d.caseFields };
}

const COMMA = 0x2c;
const NEWLINE = 0x0a;
const CR = 0x0d;
const BAR = 0x7c;
const QUOTE = 0x22;

/** What a column of the file is to the reader (by column index). */
const ROLE_SKIP = 0;
const ROLE_ID = 1;
const ROLE_SEX = 2;
const ROLE_AGE = 3;
const ROLE_AGE_DAYS = 4;
const ROLE_WEIGHT = 5;
const ROLE_LOS = 6;
const ROLE_DX = 7;
const ROLE_PROC = 8;

const ROLE_OF_FIELD: Record<(typeof CASE_FIELDS)[number], number> = {
  id: ROLE_ID,
  sex: ROLE_SEX,
  age: ROLE_AGE,
  age_days: ROLE_AGE_DAYS,
  birth_weight_g: ROLE_WEIGHT,
  los: ROLE_LOS,
  diagnoses: ROLE_DX,
  procedures: ROLE_PROC,
};

function rolesOf(layout: CaseTextLayout): Uint8Array {
  const roles = new Uint8Array(layout.columns);
  CASE_FIELDS.forEach((f, k) => {
    const col = layout.index[k]!;
    if (col >= 0 && col < layout.columns) roles[col] = ROLE_OF_FIELD[f];
  });
  return roles;
}

/** Read bytes `[start, end)` of a file. */
export function readRange(file: string, start: number, end: number): Buffer {
  const buf = Buffer.allocUnsafe(end - start);
  const fd = openSync(file, 'r');
  try {
    const done = readFully(fd, buf, buf.length, start);
    return done === buf.length ? buf : buf.subarray(0, done);
  } finally {
    closeSync(fd);
  }
}

function readFully(fd: number, buf: Uint8Array, length: number, position: number): number {
  let done = 0;
  while (done < length) {
    const n = readSync(fd, buf, done, length - done, position + done);
    if (n === 0) break;
    done += n;
  }
  return done;
}

/**
 * Reads, interns, groups and formats ranges of a case file, one after another, in buffers and columns it keeps
 * (grown as needed): a worker holds one for all its ranges.
 */
export class TextGrouper {
  private buf = new Uint8Array(0);
  private cap = 0;
  private sex = new Uint8Array(0);
  private ageYears = new Float64Array(0);
  private ageDays = new Float64Array(0);
  private birthWeightG = new Float64Array(0);
  private los = new Float64Array(0);
  private preStatus = new Uint8Array(0);
  private dxStart = new Int32Array(1);
  private procStart = new Int32Array(1);
  /** Byte range of each case's id in `buf`: start, end. */
  private ids = new Int32Array(0);
  private dxCode = new Int32Array(1024);
  private procCode = new Int32Array(1024);
  private nDx = 0;
  private nProc = 0;
  private results: DrgResults = newResults(0);
  private readonly lines: ResultLines;
  private readonly notGiven: boolean;
  private readonly truncate: boolean;
  private readonly sexWords: boolean;
  private readonly trim: boolean;
  private readonly empty: number;

  constructor(
    private readonly core: KernelCore,
    private readonly interner: TextInterner,
  ) {
    const f = interner.caseFields;
    this.notGiven = f.emptyNumbers === 'notGiven';
    this.truncate = f.truncateNumbers;
    this.sexWords = f.sexWords;
    this.trim = f.trimCodes;
    this.empty = this.notGiven ? Number.NaN : 0;
    this.lines = new ResultLines(core, 1 << 16);
  }

  /** Group the whole lines in bytes `[start, end)` of `file`. */
  group(file: string, start: number, end: number, layout: CaseTextLayout): TextGroupResult {
    const length = end - start;
    if (this.buf.length < length + 1) this.buf = new Uint8Array(Math.max(length + 1, this.buf.length * 2));
    const fd = openSync(file, 'r');
    let n: number;
    try {
      n = readFully(fd, this.buf, length, start);
    } finally {
      closeSync(fd);
    }
    const buf = this.buf;
    if (Buffer.from(buf.buffer, buf.byteOffset, n).indexOf(QUOTE) >= 0) return { kind: 'quoted' };
    // A line break after the last line, so that every scan stops at one.
    if (n > 0 && buf[n - 1] !== NEWLINE) buf[n++] = NEWLINE;
    // About 40 bytes per case at least.
    this.ensureCases(Math.ceil(n / 40) + 1);
    const parsed = this.parse(n, rolesOf(layout), layout.columns);
    if (parsed.badAt >= 0) {
      return { kind: 'badLine', offset: start + parsed.badAt, fields: countFields(buf, parsed.badAt) };
    }
    const size = parsed.cases;
    const batch = this.batch(size);
    if (this.results.status.length < size) this.results = newResults(this.cap);
    const results = this.results;
    groupRange(this.core, batch, results, 0, size);
    const statusCounts: number[] = [];
    const lines = this.lines;
    lines.reset(n);
    const ids = this.ids;
    for (let i = 0; i < size; i++) {
      const s = results.status[i]!;
      statusCounts[s] = (statusCounts[s] ?? 0) + 1;
      lines.add(buf, ids[2 * i]!, ids[2 * i + 1]!, results, i);
    }
    return { kind: 'done', cases: size, lines: lines.finish(), statusCounts };
  }

  /** The parsed cases as a batch (views of the columns). */
  private batch(size: number): CaseBatch {
    return {
      size,
      sex: this.sex.subarray(0, size),
      ageYears: this.ageYears.subarray(0, size),
      ageDays: this.ageDays.subarray(0, size),
      birthWeightG: this.birthWeightG.subarray(0, size),
      los: this.los.subarray(0, size),
      preStatus: this.preStatus.subarray(0, size),
      dxStart: this.dxStart.subarray(0, size + 1),
      dxCode: this.dxCode.subarray(0, this.nDx),
      procStart: this.procStart.subarray(0, size + 1),
      procCode: this.procCode.subarray(0, this.nProc),
    };
  }

  private ensureCases(cap: number): void {
    if (cap <= this.cap) return;
    cap = Math.max(cap, this.cap * 2);
    this.sex = grow(this.sex, cap);
    this.ageYears = grow(this.ageYears, cap);
    this.ageDays = grow(this.ageDays, cap);
    this.birthWeightG = grow(this.birthWeightG, cap);
    this.los = grow(this.los, cap);
    this.preStatus = new Uint8Array(cap); // always 0: no code translation on this path
    this.dxStart = grow(this.dxStart, cap + 1);
    this.procStart = grow(this.procStart, cap + 1);
    this.ids = grow(this.ids, 2 * cap);
    this.cap = cap;
  }

  /**
   * Split `buf[0, n)` (ending in a line break) into lines and fields in one pass, reading each field as its
   * column's role says: numbers and sex in place, codes looked up in place, the id's byte range kept. Blank
   * lines are skipped; a `\r` before a line break is not part of the last field. `badAt` is -1, or the offset
   * of the first line whose field count differs from `cols`.
   */
  private parse(n: number, roles: Uint8Array, cols: number): { cases: number; badAt: number } {
    const b = this.buf;
    const empty = this.empty;
    const trim = this.trim;
    const dxLookup = this.interner.dx;
    const procLookup = this.interner.proc;
    let sex = this.sex;
    let ageYears = this.ageYears;
    let ageDays = this.ageDays;
    let birthWeightG = this.birthWeightG;
    let los = this.los;
    let dxStart = this.dxStart;
    let procStart = this.procStart;
    let ids = this.ids;
    let dxCode = this.dxCode;
    let procCode = this.procCode;
    let nDx = 0;
    let nProc = 0;
    let c = 0;
    let pos = 0;
    dxStart[0] = 0;
    procStart[0] = 0;
    while (pos < n) {
      const first = b[pos]!;
      if (first === NEWLINE) {
        pos++;
        continue;
      }
      if (first === CR && b[pos + 1] === NEWLINE) {
        pos += 2;
        continue;
      }
      if (c === this.cap) {
        this.ensureCases(c + 1);
        sex = this.sex;
        ageYears = this.ageYears;
        ageDays = this.ageDays;
        birthWeightG = this.birthWeightG;
        los = this.los;
        dxStart = this.dxStart;
        procStart = this.procStart;
        ids = this.ids;
      }
      sex[c] = SEX_EMPTY;
      ageYears[c] = empty;
      ageDays[c] = empty;
      birthWeightG[c] = empty;
      los[c] = empty;
      let col = 0;
      let p = pos;
      for (;;) {
        const role = roles[col]!;
        const fs = p;
        let ch = b[p]!;
        if (role === ROLE_DX || role === ROLE_PROC) {
          const dx = role === ROLE_DX;
          let cs = p;
          for (;;) {
            if (ch === COMMA || ch === NEWLINE || ch === BAR) {
              let ce = p;
              if (ch === NEWLINE && ce > cs && b[ce - 1] === CR) ce--;
              let id = -1;
              if (!trim) id = (dx ? dxLookup : procLookup).idOfBytes(b, cs, ce);
              else {
                while (cs < ce && b[cs]! <= 32) cs++;
                while (ce > cs && b[ce - 1]! <= 32) ce--;
                if (cs < ce) id = (dx ? dxLookup : procLookup).idOfBytes(b, cs, ce);
              }
              if (id >= 0) {
                if (dx) {
                  if (nDx === dxCode.length) dxCode = this.dxCode = grow(dxCode, 2 * nDx);
                  dxCode[nDx++] = id;
                } else {
                  if (nProc === procCode.length) procCode = this.procCode = grow(procCode, 2 * nProc);
                  procCode[nProc++] = id;
                }
              }
              if (ch !== BAR) break;
              cs = p + 1;
            }
            ch = b[++p]!;
          }
        } else if (role === ROLE_SKIP || role === ROLE_ID) {
          while (ch !== COMMA && ch !== NEWLINE) ch = b[++p]!;
          if (role === ROLE_ID) {
            ids[2 * c] = fs;
            ids[2 * c + 1] = ch === NEWLINE && p > fs && b[p - 1] === CR ? p - 1 : p;
          }
        } else {
          // A number or sex: plain digits are read in place (the usual case), anything else as the pack reads text.
          let v = 0;
          let digits = true;
          while (ch !== COMMA && ch !== NEWLINE) {
            const d = ch - 48;
            if (d >= 0 && d <= 9) v = v * 10 + d;
            else digits = false;
            ch = b[++p]!;
          }
          let fe = p;
          if (ch === NEWLINE && fe > fs && b[fe - 1] === CR) fe--;
          if (fe > fs) {
            if (role === ROLE_SEX) {
              const s = b[fs];
              sex[c] =
                fe - fs === 1 && s === 0x31
                  ? SEX_MALE
                  : fe - fs === 1 && s === 0x32
                    ? SEX_FEMALE
                    : this.readSex(b, fs, fe);
            } else {
              const x = digits && fe - fs <= 15 ? v : this.readNumber(b, fs, fe);
              if (role === ROLE_AGE) ageYears[c] = x;
              else if (role === ROLE_AGE_DAYS) ageDays[c] = x;
              else if (role === ROLE_WEIGHT) birthWeightG[c] = x;
              else los[c] = x;
            }
          }
        }
        col++;
        if (ch === NEWLINE) break;
        if (col === cols) {
          this.nDx = nDx;
          this.nProc = nProc;
          return { cases: c, badAt: pos };
        }
        p++;
      }
      this.nDx = nDx;
      this.nProc = nProc;
      if (col !== cols) return { cases: c, badAt: pos };
      dxStart[c + 1] = nDx;
      procStart[c + 1] = nProc;
      c++;
      pos = p + 1;
    }
    this.nDx = nDx;
    this.nProc = nProc;
    return { cases: c, badAt: -1 };
  }

  private text(b: Uint8Array, from: number, to: number): string {
    return Buffer.from(b.buffer, b.byteOffset + from, to - from).toString('utf8');
  }

  private readNumber(b: Uint8Array, from: number, to: number): number {
    return caseNumber(this.text(b, from, to), this.notGiven, this.truncate);
  }

  private readSex(b: Uint8Array, from: number, to: number): number {
    const v = this.text(b, from, to);
    return sexCode(this.trim ? v.trim() : v, this.sexWords);
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
  private readonly adrgSpan: number;
  private readonly drgSpan: number;
  private readonly mdcSpan: number;

  constructor(
    private readonly core: KernelCore,
    sizeHint: number,
  ) {
    this.out = new Uint8Array(Math.max(1024, sizeHint));
    this.mdcSpan = core.mdcs.length + 1;
    this.adrgSpan = core.adrgs.length + 1;
    this.drgSpan = core.drgCodes.length + 1;
  }

  /** Start over (the buffer is kept), expecting about `sizeHint` bytes. */
  reset(sizeHint: number): void {
    this.at = 0;
    if (this.out.length < sizeHint) this.out = new Uint8Array(sizeHint);
  }

  add(src: Uint8Array, idFrom: number, idTo: number, r: DrgResults, i: number): void {
    // A small integer per (status, mdc, adrg, drg): the indexes are bounded by the kernel's table sizes.
    const key =
      ((r.status[i]! * this.mdcSpan + r.mdc[i]! + 1) * this.adrgSpan + r.adrg[i]! + 1) * this.drgSpan + r.drg[i]! + 1;
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

  /**
   * The lines written, in a buffer of their own (never Node's shared pool: it can be transferred to another
   * thread); the next lines go to a new buffer of the same size.
   */
  finish(): Uint8Array {
    const lines = this.out.subarray(0, this.at);
    this.out = new Uint8Array(this.out.length);
    this.at = 0;
    return lines;
  }
}

/**
 * Columnar, interned cases: what the kernel reads. Codes are ids of the kernel's dictionaries (see
 * code-dictionary.ts); lists are flattened with start offsets (case i's diagnoses are
 * `dxCode[dxStart[i]] … dxCode[dxStart[i + 1] - 1]`, the first being the principal diagnosis).
 */
import { codeId, UNKNOWN_CODE } from './code-dictionary.ts';
import type { DrgKernel } from './kernel-types.ts';
import { STATUS_SS_NOT_MAPPING, STATUS_ZD_NOT_MAPPING } from './status.ts';

/** One case as a caller gives it. Fields follow the reference's `cases_public.csv`. */
export interface DrgCaseInput {
  id?: string;
  /** '1' male, '2' female ('男'/'女' and the numbers 1/2 are accepted); empty fails the input check. */
  sex?: string | number | null;
  /** Age in years; empty counts as 0. */
  age?: string | number | null;
  /** Age in days (for infants); empty counts as 0. */
  ageDays?: string | number | null;
  /** Birth weight in grams (newborns); empty counts as 0. */
  birthWeightG?: string | number | null;
  /** Length of stay in days (read only by schemes that check it). */
  los?: string | number | null;
  /** Diagnoses, principal first: an array or a `|`-separated text. */
  diagnoses: readonly string[] | string;
  /** Procedures, main first: an array or a `|`-separated text. */
  procedures: readonly string[] | string;
}

export const SEX_EMPTY = 0;
export const SEX_MALE = 1;
export const SEX_FEMALE = 2;
export const SEX_OTHER = 9;

/**
 * Numbers are read as the pack's `caseFields` say. With `emptyNumbers: 'zero'` (CHS-DRG 1.1) an empty field is
 * 0 and text that is not a number is NaN. With `notGiven` (CHS-DRG 2.0) an empty field is NaN (not given) and
 * text that is not a finite number is -Infinity (given but malformed), so that every bound on a missing field
 * fails and `fieldMalformed` sees the difference.
 */
export interface CaseBatch {
  size: number;
  /** SEX_EMPTY, SEX_MALE, SEX_FEMALE or SEX_OTHER. */
  sex: Uint8Array;
  ageYears: Float64Array;
  ageDays: Float64Array;
  birthWeightG: Float64Array;
  los: Float64Array;
  /** A status already decided while interning (code translation failed), else 0. */
  preStatus: Uint8Array;
  dxStart: Int32Array;
  dxCode: Int32Array;
  procStart: Int32Array;
  procCode: Int32Array;
}

export interface InternOptions {
  /**
   * Translate incoming codes through the pack's code maps (off by default, as in the reference). A code missing
   * from a map gives ZD_NOT_MAPPING / SS_NOT_MAPPING.
   */
  translateCodes?: boolean;
}

export function sexCode(v: string | number | null | undefined, words = true): number {
  if (v === '1' || v === 1 || (words && v === '男')) return SEX_MALE;
  if (v === '2' || v === 2 || (words && v === '女')) return SEX_FEMALE;
  if (v === undefined || v === null || v === '') return SEX_EMPTY;
  return SEX_OTHER;
}

/** A number read with `emptyNumbers: 'notGiven'`: NaN when empty, -Infinity when not a finite number. */
export function givenNumberOf(v: string | number | null | undefined, truncate: boolean): number {
  if (v === undefined || v === null) return Number.NaN;
  let x: number;
  if (typeof v === 'number') x = v;
  else {
    const t = v.trim();
    if (t === '') return Number.NaN;
    x = Number(t);
  }
  if (!Number.isFinite(x)) return Number.NEGATIVE_INFINITY;
  return truncate ? Math.trunc(x) : x;
}

/** Numbers compare as in the reference: empty is 0, text is read as a JS number (non-numbers never match). */
export function numberOf(v: string | number | null | undefined): number {
  if (v === undefined || v === null) return 0;
  return typeof v === 'number' ? v : Number(v);
}

/** A number field read as a pack's `caseFields` say (`emptyNumbers: 'notGiven'` → `notGiven`; `truncateNumbers`). */
export function caseNumber(v: string | number | null | undefined, notGiven: boolean, truncate: boolean): number {
  if (notGiven) return givenNumberOf(v, truncate);
  const x = numberOf(v);
  return truncate ? Math.trunc(x) : x;
}

export function codeList(v: readonly string[] | string): readonly string[] {
  if (typeof v === 'string') return v.split('|');
  return v.length === 0 ? [''] : v;
}

/** What interning needs of a kernel: its code dictionaries, code maps and how it reads case fields. */
export type InternTables = Pick<DrgKernel, 'dx' | 'proc' | 'codeMaps' | 'caseFields'>;

/** Builds a batch case by case, growing its arrays as needed. */
export class CaseBatchBuilder {
  private n = 0;
  private nDx = 0;
  private nProc = 0;
  private cap: number;
  private sex: Uint8Array;
  private ageYears: Float64Array;
  private ageDays: Float64Array;
  private birthWeightG: Float64Array;
  private los: Float64Array;
  private preStatus: Uint8Array;
  private dxStart: Int32Array;
  private procStart: Int32Array;
  private dxCode: Int32Array;
  private procCode: Int32Array;
  private readonly dxMap: ReadonlyMap<string, string> | null;
  private readonly procMap: ReadonlyMap<string, string> | null;
  private readonly notGiven: boolean;
  private readonly truncate: boolean;
  private readonly sexWords: boolean;
  private readonly trim: boolean;

  constructor(
    private readonly kernel: InternTables,
    capacity = 1024,
    options: InternOptions = {},
  ) {
    this.cap = Math.max(1, capacity);
    this.sex = new Uint8Array(this.cap);
    this.ageYears = new Float64Array(this.cap);
    this.ageDays = new Float64Array(this.cap);
    this.birthWeightG = new Float64Array(this.cap);
    this.los = new Float64Array(this.cap);
    this.preStatus = new Uint8Array(this.cap);
    this.dxStart = new Int32Array(this.cap + 1);
    this.procStart = new Int32Array(this.cap + 1);
    this.dxCode = new Int32Array(this.cap * 4);
    this.procCode = new Int32Array(this.cap * 2);
    const maps = options.translateCodes ? kernel.codeMaps : null;
    if (options.translateCodes && !maps) throw new Error('this pack has no code maps to translate with');
    this.dxMap = maps?.diagnosis ?? null;
    this.procMap = maps?.procedure ?? null;
    const f = kernel.caseFields;
    this.notGiven = f.emptyNumbers === 'notGiven';
    this.truncate = f.truncateNumbers;
    this.sexWords = f.sexWords;
    this.trim = f.trimCodes;
  }

  private num(v: string | number | null | undefined): number {
    return caseNumber(v, this.notGiven, this.truncate);
  }

  /** A number field as this pack reads it (`caseFields`). */
  readNumber(v: string): number {
    return this.num(v);
  }

  /** The value of an empty number field (0, or NaN = not given). */
  get emptyNumber(): number {
    return this.notGiven ? Number.NaN : 0;
  }

  /** A sex field as this pack reads it. */
  readSex(v: string): number {
    return sexCode(this.trim ? v.trim() : v, this.sexWords);
  }

  /** Codes are trimmed and empty ones dropped (`caseFields.trimCodes`). */
  get trimsCodes(): boolean {
    return this.trim;
  }

  /**
   * Low-level adding for readers that intern codes themselves (text-group.ts): `beginCase` with the fields
   * already read, then `pushCode` per code in order (diagnoses first, then procedures), then `endCase`.
   */
  beginCase(sex: number, age: number, ageDays: number, birthWeightG: number, los: number): void {
    if (this.n === this.cap) this.growCases();
    const i = this.n;
    this.sex[i] = sex;
    this.ageYears[i] = age;
    this.ageDays[i] = ageDays;
    this.birthWeightG[i] = birthWeightG;
    this.los[i] = los;
    this.preStatus[i] = 0;
  }

  pushCode(dx: boolean, id: number): void {
    this.push(dx, id);
  }

  /** Close the diagnoses of the case begun (procedures follow). */
  endDiagnoses(): void {
    this.dxStart[this.n + 1] = this.nDx;
  }

  endCase(): number {
    const i = this.n++;
    this.dxStart[i + 1] = this.nDx;
    this.procStart[i + 1] = this.nProc;
    return i;
  }

  get size(): number {
    return this.n;
  }

  add(c: DrgCaseInput): number {
    if (this.n === this.cap) this.growCases();
    const i = this.n++;
    this.sex[i] = sexCode(typeof c.sex === 'string' && this.trim ? c.sex.trim() : c.sex, this.sexWords);
    this.ageYears[i] = this.num(c.age);
    this.ageDays[i] = this.num(c.ageDays);
    this.birthWeightG[i] = this.num(c.birthWeightG);
    this.los[i] = this.num(c.los);
    let pre = 0;
    if (this.dxMap === null && this.procMap === null) {
      this.internList(c.diagnoses, true);
      this.internList(c.procedures, false);
    } else {
      for (const raw of codeList(c.diagnoses)) {
        const code = this.trim ? raw.trim() : raw;
        if (this.trim && code === '') continue;
        const id = this.translate(code, this.dxMap, true);
        if (id < 0 && pre === 0) pre = STATUS_ZD_NOT_MAPPING;
        this.pushDx(id < 0 ? UNKNOWN_CODE : id);
      }
      for (const raw of codeList(c.procedures)) {
        const code = this.trim ? raw.trim() : raw;
        if (this.trim && code === '') continue;
        const id = this.translate(code, this.procMap, false);
        if (id < 0 && pre === 0) pre = STATUS_SS_NOT_MAPPING;
        this.pushProc(id < 0 ? UNKNOWN_CODE : id);
      }
    }
    this.preStatus[i] = pre;
    this.dxStart[i + 1] = this.nDx;
    this.procStart[i + 1] = this.nProc;
    return i;
  }

  /**
   * Add one case whose fields are texts and whose code lists are ranges `[dxFrom, dxTo)` and `[procFrom,
   * procTo)` of `text` (`|`-separated), read in place (the fast text reader; no code translation).
   */
  addRanges(
    sex: string,
    age: string,
    ageDays: string,
    birthWeightG: string,
    los: string,
    text: string,
    dxFrom: number,
    dxTo: number,
    procFrom: number,
    procTo: number,
  ): number {
    if (this.dxMap !== null || this.procMap !== null) throw new Error('addRanges does not translate codes');
    if (this.n === this.cap) this.growCases();
    const i = this.n++;
    this.sex[i] = sexCode(this.trim ? sex.trim() : sex, this.sexWords);
    this.ageYears[i] = this.num(age);
    this.ageDays[i] = this.num(ageDays);
    this.birthWeightG[i] = this.num(birthWeightG);
    this.los[i] = this.num(los);
    this.internRange(text, dxFrom, dxTo, true);
    this.internRange(text, procFrom, procTo, false);
    this.preStatus[i] = 0;
    this.dxStart[i + 1] = this.nDx;
    this.procStart[i + 1] = this.nProc;
    return i;
  }

  /** Intern a list without cutting the text: each `|`-separated range is looked up in place. */
  private internList(v: readonly string[] | string, dx: boolean): void {
    if (typeof v === 'string') {
      this.internRange(v, 0, v.length, dx);
      return;
    }
    const lookup = dx ? this.kernel.dx.lookup : this.kernel.proc.lookup;
    const trim = this.trim;
    if (v.length === 0 && !trim) this.push(dx, UNKNOWN_CODE);
    for (const raw of v) {
      const code = trim ? raw.trim() : raw;
      if (trim && code === '') continue;
      this.push(dx, lookup.idOf(code));
    }
  }

  /** Intern the `|`-separated codes of `v` from `from` to `to`. */
  private internRange(v: string, from: number, to: number, dx: boolean): void {
    const lookup = dx ? this.kernel.dx.lookup : this.kernel.proc.lookup;
    const trim = this.trim;
    let start = from;
    for (;;) {
      let bar = v.indexOf('|', start);
      if (bar >= to) bar = -1;
      const end = bar < 0 ? to : bar;
      if (!trim) this.push(dx, lookup.idOfRange(v, start, end));
      else {
        // Trim blanks (code units ≤ U+0020) and drop an empty code.
        let a = start;
        let b = end;
        while (a < b && v.charCodeAt(a) <= 32) a++;
        while (b > a && v.charCodeAt(b - 1) <= 32) b--;
        if (a < b) this.push(dx, lookup.idOfRange(v, a, b));
      }
      if (bar < 0) return;
      start = bar + 1;
    }
  }

  private push(dx: boolean, id: number): void {
    if (dx) this.pushDx(id);
    else this.pushProc(id);
  }

  /** The id of a code through a translation map, or -1 when the code is not in the map. */
  private translate(code: string, map: ReadonlyMap<string, string> | null, dx: boolean): number {
    const dict = dx ? this.kernel.dx : this.kernel.proc;
    if (map === null) return codeId(dict, code);
    const target = map.get(code);
    return target === undefined ? -1 : codeId(dict, target);
  }

  private pushDx(id: number): void {
    if (this.nDx === this.dxCode.length) this.dxCode = grow(this.dxCode, this.dxCode.length * 2);
    this.dxCode[this.nDx++] = id;
  }

  private pushProc(id: number): void {
    if (this.nProc === this.procCode.length) this.procCode = grow(this.procCode, this.procCode.length * 2);
    this.procCode[this.nProc++] = id;
  }

  private growCases(): void {
    const cap = this.cap * 2;
    this.sex = grow(this.sex, cap);
    this.ageYears = grow(this.ageYears, cap);
    this.ageDays = grow(this.ageDays, cap);
    this.birthWeightG = grow(this.birthWeightG, cap);
    this.los = grow(this.los, cap);
    this.preStatus = grow(this.preStatus, cap);
    this.dxStart = grow(this.dxStart, cap + 1);
    this.procStart = grow(this.procStart, cap + 1);
    this.cap = cap;
  }

  /** The cases added so far, in arrays trimmed to size (backed by SharedArrayBuffer when `shared`). */
  finish(shared = false): CaseBatch {
    const n = this.n;
    if (!shared) {
      // Views, not copies: the batch is read once and dropped with the builder.
      return {
        size: n,
        sex: this.sex.subarray(0, n),
        ageYears: this.ageYears.subarray(0, n),
        ageDays: this.ageDays.subarray(0, n),
        birthWeightG: this.birthWeightG.subarray(0, n),
        los: this.los.subarray(0, n),
        preStatus: this.preStatus.subarray(0, n),
        dxStart: this.dxStart.subarray(0, n + 1),
        dxCode: this.dxCode.subarray(0, this.nDx),
        procStart: this.procStart.subarray(0, n + 1),
        procCode: this.procCode.subarray(0, this.nProc),
      };
    }
    return {
      size: n,
      sex: copy(this.sex, n, shared),
      ageYears: copy(this.ageYears, n, shared),
      ageDays: copy(this.ageDays, n, shared),
      birthWeightG: copy(this.birthWeightG, n, shared),
      los: copy(this.los, n, shared),
      preStatus: copy(this.preStatus, n, shared),
      dxStart: copy(this.dxStart, n + 1, shared),
      dxCode: copy(this.dxCode, this.nDx, shared),
      procStart: copy(this.procStart, n + 1, shared),
      procCode: copy(this.procCode, this.nProc, shared),
    };
  }
}

type Typed = Uint8Array | Int32Array | Float64Array;

/** A typed array of `length` (at least `a`'s) starting with `a`'s values. */
export function grow<T extends Typed>(a: T, length: number): T {
  const b = new (a.constructor as new (n: number) => T)(length);
  b.set(a);
  return b;
}

function copy<T extends Typed>(a: T, length: number, shared: boolean): T {
  const Ctor = a.constructor as new (buf: ArrayBufferLike | number, off?: number, len?: number) => T;
  const out = shared ? new Ctor(new SharedArrayBuffer(length * a.BYTES_PER_ELEMENT), 0, length) : new Ctor(length);
  out.set(a.subarray(0, length) as unknown as ArrayLike<number>);
  return out;
}

/** Intern many cases at once. */
export function internCases(
  kernel: InternTables,
  cases: Iterable<DrgCaseInput>,
  options: InternOptions & { shared?: boolean; capacity?: number } = {},
): CaseBatch {
  const b = new CaseBatchBuilder(kernel, options.capacity ?? 1024, options);
  for (const c of cases) b.add(c);
  return b.finish(options.shared ?? false);
}

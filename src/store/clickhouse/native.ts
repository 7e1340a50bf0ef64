/**
 * ClickHouse's Native format, read (issue 17: rows between ClickHouse and JS without JSON text). A Native result is
 * a sequence of blocks; a block is its column count and row count (varints), then per column its name, its type
 * (text) and its values stored column by column: fixed-width numbers as little-endian arrays (copied here into
 * typed arrays at once), strings as varint length + UTF-8 bytes, `Nullable(T)` as a null map (one byte per row)
 * then the T column, `Array(T)` as cumulative end offsets (UInt64) then the T column of every element.
 *
 * Exactness: 64-bit integers arrive as `bigint` (BigInt64Array), Decimal as its scaled integer (Int32/Int64/Int128
 * by precision) with the scale beside it — never through a double. `valueAt` gives one value in the store's JS
 * conventions (safe number or bigint for 64-bit integers, exact text for decimals).
 *
 * Types read: (U)Int8–64, Int128, Float32/64, Bool, String, Decimal(P,S) up to P = 38, Date, Date32, DateTime64,
 * Nothing (a NULL literal), and Nullable / Array of these. LowCardinality is not (the store's tables have none,
 * and a query can cast it away); any other type is refused with its name.
 */
import { endianness } from 'node:os';

if (endianness() !== 'LE') throw new Error('the Native reader assumes a little-endian machine');

export type NativeValues =
  | {
      kind: 'int';
      values: Int8Array | Int16Array | Int32Array | Uint8Array | Uint16Array | Uint32Array;
    }
  | { kind: 'float'; values: Float32Array | Float64Array }
  | { kind: 'int64'; values: BigInt64Array | BigUint64Array }
  | { kind: 'int128'; values: bigint[] }
  | { kind: 'bool'; values: Uint8Array }
  | { kind: 'string'; values: string[] }
  /** The scaled integers of Decimal(P, scale): value = raw / 10^scale. */
  | { kind: 'decimal'; scale: number; raw: Int32Array | BigInt64Array | bigint[] }
  /** Days since 1970-01-01 (Date: UInt16, Date32: Int32). */
  | { kind: 'date'; days: Uint16Array | Int32Array }
  /** Ticks of 10^-precision seconds since the epoch, in UTC. */
  | { kind: 'datetime64'; precision: number; ticks: BigInt64Array }
  | { kind: 'nothing'; n: number }
  | { kind: 'nullable'; nulls: Uint8Array; inner: NativeValues }
  /** `ends[i]`: end (exclusive) of row i's elements in `inner`; row i starts at `ends[i - 1]` (0 for the first). */
  | { kind: 'array'; ends: Float64Array; inner: NativeValues };

export interface NativeColumn {
  name: string;
  type: string;
  data: NativeValues;
}

export interface NativeBlock {
  rows: number;
  columns: NativeColumn[];
}

class Reader {
  pos = 0;
  constructor(readonly buf: Buffer) {}

  get done(): boolean {
    return this.pos >= this.buf.length;
  }

  varint(): number {
    let v = 0;
    let mul = 1;
    for (;;) {
      if (this.pos >= this.buf.length) throw new RangeError('Native: truncated varint');
      const b = this.buf[this.pos++]!;
      v += (b & 0x7f) * mul;
      if (b < 0x80) return v;
      mul *= 128;
      if (mul > 2 ** 49) throw new RangeError('Native: varint too large');
    }
  }

  string(): string {
    const len = this.varint();
    const end = this.pos + len;
    if (end > this.buf.length) throw new RangeError('Native: truncated string');
    const s = this.buf.toString('utf8', this.pos, end);
    this.pos = end;
    return s;
  }

  /** `n` values of `width` bytes, copied into a fresh (aligned) buffer. */
  fixed(n: number, width: number): ArrayBuffer {
    const bytes = n * width;
    const end = this.pos + bytes;
    if (end > this.buf.length) throw new RangeError('Native: truncated column');
    const out = new ArrayBuffer(bytes);
    new Uint8Array(out).set(this.buf.subarray(this.pos, end));
    this.pos = end;
    return out;
  }
}

/** Split "A, B(C, D), 'x'" at top-level commas. */
function typeArgs(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quoted = false;
  let from = 0;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (ch === "'" && s[i - 1] !== '\\') quoted = !quoted;
    if (quoted) continue;
    if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (ch === ',' && depth === 0) {
      out.push(s.slice(from, i).trim());
      from = i + 1;
    }
  }
  out.push(s.slice(from).trim());
  return out;
}

const WRAPPED = /^([A-Za-z0-9]+)\((.*)\)$/s;

/** A type `Outer(…)`: its name, the text inside and its top-level arguments; undefined for a plain type. */
export function wrappedType(type: string): { outer: string; inside: string; args: string[] } | undefined {
  const m = WRAPPED.exec(type);
  return m ? { outer: m[1]!, inside: m[2]!, args: typeArgs(m[2]!) } : undefined;
}

function int128s(r: Reader, n: number): bigint[] {
  const words = new BigUint64Array(r.fixed(n, 16));
  const out = new Array<bigint>(n);
  for (let i = 0; i < n; i++) out[i] = BigInt.asIntN(128, (words[2 * i + 1]! << 64n) | words[2 * i]!);
  return out;
}

function readValues(r: Reader, type: string, n: number): NativeValues {
  switch (type) {
    case 'Int8':
      return { kind: 'int', values: new Int8Array(r.fixed(n, 1)) };
    case 'UInt8':
      return { kind: 'int', values: new Uint8Array(r.fixed(n, 1)) };
    case 'Int16':
      return { kind: 'int', values: new Int16Array(r.fixed(n, 2)) };
    case 'UInt16':
      return { kind: 'int', values: new Uint16Array(r.fixed(n, 2)) };
    case 'Int32':
      return { kind: 'int', values: new Int32Array(r.fixed(n, 4)) };
    case 'UInt32':
      return { kind: 'int', values: new Uint32Array(r.fixed(n, 4)) };
    case 'Int64':
      return { kind: 'int64', values: new BigInt64Array(r.fixed(n, 8)) };
    case 'UInt64':
      return { kind: 'int64', values: new BigUint64Array(r.fixed(n, 8)) };
    case 'Int128':
      return { kind: 'int128', values: int128s(r, n) };
    case 'Float32':
      return { kind: 'float', values: new Float32Array(r.fixed(n, 4)) };
    case 'Float64':
      return { kind: 'float', values: new Float64Array(r.fixed(n, 8)) };
    case 'Bool':
      return { kind: 'bool', values: new Uint8Array(r.fixed(n, 1)) };
    case 'Date':
      return { kind: 'date', days: new Uint16Array(r.fixed(n, 2)) };
    case 'Date32':
      return { kind: 'date', days: new Int32Array(r.fixed(n, 4)) };
    case 'Nothing':
      r.fixed(n, 1);
      return { kind: 'nothing', n };
    case 'String': {
      const values = new Array<string>(n);
      for (let i = 0; i < n; i++) values[i] = r.string();
      return { kind: 'string', values };
    }
  }
  const wrapped = wrappedType(type);
  if (wrapped) {
    const { outer, args } = wrapped;
    switch (outer) {
      case 'Nullable': {
        const nulls = new Uint8Array(r.fixed(n, 1));
        return { kind: 'nullable', nulls, inner: readValues(r, args[0]!, n) };
      }
      case 'Array': {
        const raw = new BigUint64Array(r.fixed(n, 8));
        const ends = new Float64Array(n);
        for (let i = 0; i < n; i++) ends[i] = Number(raw[i]!);
        return { kind: 'array', ends, inner: readValues(r, args[0]!, n ? ends[n - 1]! : 0) };
      }
      case 'Decimal': {
        const p = Number(args[0]);
        const scale = Number(args[1] ?? 0);
        if (p <= 9) return { kind: 'decimal', scale, raw: new Int32Array(r.fixed(n, 4)) };
        if (p <= 18) return { kind: 'decimal', scale, raw: new BigInt64Array(r.fixed(n, 8)) };
        if (p <= 38) return { kind: 'decimal', scale, raw: int128s(r, n) };
        break;
      }
      case 'DateTime64':
        return { kind: 'datetime64', precision: Number(args[0]), ticks: new BigInt64Array(r.fixed(n, 8)) };
    }
  }
  throw new RangeError(`Native: the column type ${type} is not read here`);
}

/** Every block of a Native result. */
export function decodeNative(buf: Buffer): NativeBlock[] {
  const r = new Reader(buf);
  const blocks: NativeBlock[] = [];
  while (!r.done) {
    const ncols = r.varint();
    const rows = r.varint();
    const columns: NativeColumn[] = [];
    for (let c = 0; c < ncols; c++) {
      const name = r.string();
      const type = r.string();
      columns.push({ name, type, data: readValues(r, type, rows) });
    }
    blocks.push({ rows, columns });
  }
  return blocks;
}

/** Scaled integer → exact decimal text without trailing zeros ("12.5", "-0.03", "7"). */
export function decimalText(raw: bigint, scale: number): string {
  if (scale === 0) return raw.toString();
  const neg = raw < 0n;
  const digits = (neg ? -raw : raw).toString().padStart(scale + 1, '0');
  const whole = digits.slice(0, -scale);
  const frac = digits.slice(-scale).replace(/0+$/, '');
  return `${neg ? '-' : ''}${whole}${frac ? `.${frac}` : ''}`;
}

function dateText(days: number): string {
  return new Date(days * 86_400_000).toISOString().slice(0, 10);
}

function safeOrBig(v: bigint): number | bigint {
  const n = Number(v);
  return Number.isSafeInteger(n) ? n : v;
}

/**
 * The value of row `i` in the store's JS conventions: integers up to 32 bits and floats as numbers, 64/128-bit
 * integers as a number when safe and a bigint otherwise, Bool as boolean, Decimal as exact text, Date as
 * "YYYY-MM-DD", DateTime64 as "YYYY-MM-DD hh:mm:ss[.fff]" (UTC), NULL as null, Array as a JS array.
 */
export function valueAt(d: NativeValues, i: number): unknown {
  switch (d.kind) {
    case 'int':
    case 'float':
      return d.values[i];
    case 'int64':
    case 'int128':
      return safeOrBig(d.values[i]!);
    case 'bool':
      return d.values[i] !== 0;
    case 'string':
      return d.values[i];
    case 'decimal': {
      const raw = d.raw[i]!;
      return decimalText(typeof raw === 'bigint' ? raw : BigInt(raw), d.scale);
    }
    case 'date':
      return dateText(d.days[i]!);
    case 'datetime64': {
      const t = d.ticks[i]!;
      const per = 10n ** BigInt(d.precision);
      let s = t / per;
      let f = t % per;
      if (f < 0n) {
        f += per;
        s -= 1n;
      }
      const iso = new Date(Number(s) * 1000).toISOString();
      const frac = d.precision > 0 ? `.${f.toString().padStart(d.precision, '0')}` : '';
      return `${iso.slice(0, 10)} ${iso.slice(11, 19)}${frac}`;
    }
    case 'nothing':
      return null;
    case 'nullable':
      return d.nulls[i] ? null : valueAt(d.inner, i);
    case 'array': {
      const from = i === 0 ? 0 : d.ends[i - 1]!;
      const to = d.ends[i]!;
      const out = new Array<unknown>(to - from);
      for (let k = from; k < to; k++) out[k - from] = valueAt(d.inner, k);
      return out;
    }
  }
}

/** The text elements of row `i` of an Array(String) column (fast path of `valueAt`). */
export function stringsAt(d: NativeValues, i: number): string[] {
  if (d.kind !== 'array' || d.inner.kind !== 'string') throw new TypeError('stringsAt: not an Array(String)');
  const from = i === 0 ? 0 : d.ends[i - 1]!;
  return d.inner.values.slice(from, d.ends[i]!);
}

/** Rows of a block as arrays of `valueAt` values (positions as the SELECT list). */
export function blockRows(b: NativeBlock): unknown[][] {
  const out = new Array<unknown[]>(b.rows);
  const cols = b.columns.map((c) => c.data);
  for (let i = 0; i < b.rows; i++) {
    const row = new Array<unknown>(cols.length);
    for (let c = 0; c < cols.length; c++) row[c] = valueAt(cols[c]!, i);
    out[i] = row;
  }
  return out;
}

/**
 * ClickHouse's RowBinary format, written (issue 17: result rows into ClickHouse without JSON text). A row is its
 * values one after another in the table's column order: fixed-width numbers little-endian, String as varint length
 * + UTF-8 bytes, `Nullable(T)` as one byte (1 = NULL, then nothing; 0, then the T value), `Array(T)` as varint
 * length then the elements, Decimal(P, S) as its scaled integer (Int32/Int64/Int128 by precision), Date32 as days
 * since 1970 (Int32), DateTime64(p) as ticks of 10^-p s (Int64), Bool as one byte.
 *
 * Exactness: a Decimal takes exact decimal text only (never a JS double: "12.35" is 1235 at scale 2); 64- and
 * 128-bit integers take a safe integer number, a bigint or integer text. A value the column cannot hold exactly
 * is refused with the column's name.
 */
import { endianness } from 'node:os';
import { isIsoDate } from '../../policy/dates.ts';
import { wrappedType } from './native.ts';

if (endianness() !== 'LE') throw new Error('the RowBinary writer assumes a little-endian machine');

export class RowBinaryWriter {
  private buf = Buffer.allocUnsafe(1 << 16);
  private pos = 0;

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  u8(v: number): void {
    this.ensure(1);
    this.buf[this.pos++] = v;
  }

  varint(v: number): void {
    this.ensure(10);
    let x = v;
    while (x >= 0x80) {
      this.buf[this.pos++] = (x % 0x80) | 0x80;
      x = Math.floor(x / 0x80);
    }
    this.buf[this.pos++] = x;
  }

  int(v: number, width: 1 | 2 | 4, signed: boolean): void {
    this.ensure(width);
    if (signed) this.buf.writeIntLE(v, this.pos, width);
    else this.buf.writeUIntLE(v, this.pos, width);
    this.pos += width;
  }

  i64(v: bigint): void {
    this.ensure(8);
    this.buf.writeBigInt64LE(v, this.pos);
    this.pos += 8;
  }

  /** A 64-bit integer that is a safe JS integer (the common case, no bigint made). */
  i64n(v: number): void {
    this.ensure(8);
    // two's complement over 64 bits: the lower word in [0, 2^32), the upper word floor(v / 2^32), signed
    const lo = v % 0x1_0000_0000;
    this.buf.writeUInt32LE(lo < 0 ? lo + 0x1_0000_0000 : lo, this.pos);
    this.buf.writeInt32LE(Math.floor(v / 0x1_0000_0000), this.pos + 4);
    this.pos += 8;
  }

  u64(v: bigint): void {
    this.ensure(8);
    this.buf.writeBigUInt64LE(v, this.pos);
    this.pos += 8;
  }

  i128(v: bigint): void {
    this.ensure(16);
    const u = BigInt.asUintN(128, v);
    this.buf.writeBigUInt64LE(u & 0xffff_ffff_ffff_ffffn, this.pos);
    this.buf.writeBigUInt64LE(u >> 64n, this.pos + 8);
    this.pos += 16;
  }

  f64(v: number): void {
    this.ensure(8);
    this.buf.writeDoubleLE(v, this.pos);
    this.pos += 8;
  }

  f32(v: number): void {
    this.ensure(4);
    this.buf.writeFloatLE(v, this.pos);
    this.pos += 4;
  }

  string(s: string): void {
    const len = Buffer.byteLength(s, 'utf8');
    this.ensure(len + 10);
    this.varint(len);
    this.buf.write(s, this.pos, len, 'utf8');
    this.pos += len;
  }

  get length(): number {
    return this.pos;
  }

  /** The bytes written so far (a view, valid until the next write). */
  bytes(): Buffer {
    return this.buf.subarray(0, this.pos);
  }
}

export type Encoder = (w: RowBinaryWriter, v: unknown) => void;

const INT_TEXT = /^-?\d+$/;
const DECIMAL_TEXT = /^([+-])?(\d+)(?:\.(\d*))?$/;

/** An integer value (number, bigint or integer text) as a bigint, or a RangeError naming `what`. */
function bigintOf(v: unknown, what: string): bigint {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number' && Number.isSafeInteger(v)) return BigInt(v);
  if (typeof v === 'string' && INT_TEXT.test(v)) return BigInt(v);
  throw new RangeError(`${what}: ${String(v)} is not an exact integer`);
}

/** Exact decimal text → its integer scaled by 10^scale (no rounding: more decimals than the scale is an error). */
export function scaledDecimal(v: unknown, scale: number, what: string): bigint {
  if (typeof v !== 'string') {
    throw new RangeError(`${what}: a decimal is written from exact text, not ${typeof v} ${String(v)}`);
  }
  const m = DECIMAL_TEXT.exec(v.trim());
  if (!m) throw new RangeError(`${what}: not a decimal number: "${v}"`);
  const frac = (m[3] ?? '').replace(/0+$/, '');
  if (frac.length > scale) throw new RangeError(`${what}: more than ${scale} decimals: "${v}"`);
  const abs = BigInt(`${m[2]}${frac.padEnd(scale, '0')}`);
  return m[1] === '-' ? -abs : abs;
}

const DAY_MS = 86_400_000;

/** A calendar date (`isIsoDate`: Date.parse would roll 2025-02-30 over to March 2) → days since 1970. */
function daysOf(v: unknown, what: string): number {
  if (typeof v !== 'string' || !isIsoDate(v)) throw new RangeError(`${what}: not a date YYYY-MM-DD: ${String(v)}`);
  return Date.parse(`${v}T00:00:00Z`) / DAY_MS;
}

/** ISO date-time or ClickHouse text ("2025-01-02 03:04:05.678"), without a zone meaning UTC → epoch ms. */
function millisOf(v: unknown, what: string): number {
  if (typeof v !== 'string') throw new RangeError(`${what}: not a date-time: ${String(v)}`);
  let t = v.trim().replace(' ', 'T');
  if (!isIsoDate(t.slice(0, 10))) throw new RangeError(`${what}: not a date-time: ${v}`);
  if (t.length === 10) t += 'T00:00:00';
  if (!/(Z|[+-]\d{2}:?\d{2})$/.test(t)) t += 'Z';
  const ms = Date.parse(t);
  if (Number.isNaN(ms)) throw new RangeError(`${what}: not a date-time: ${v}`);
  return ms;
}

function checkInt(v: unknown, lo: number, hi: number, what: string): number {
  const n = typeof v === 'bigint' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < lo || n > hi) {
    throw new RangeError(`${what}: ${String(v)} is not an integer in [${lo}, ${hi}]`);
  }
  return n;
}

/** The encoder of one value of a ClickHouse column type (as `system.columns` spells it). */
export function encoderFor(type: string, what: string): Encoder {
  switch (type) {
    case 'String':
      return (w, v) => {
        if (typeof v !== 'string') throw new RangeError(`${what}: not text: ${String(v)}`);
        w.string(v);
      };
    case 'Int8':
      return (w, v) => w.int(checkInt(v, -128, 127, what), 1, true);
    case 'UInt8':
      return (w, v) => w.int(checkInt(v, 0, 255, what), 1, false);
    case 'Int16':
      return (w, v) => w.int(checkInt(v, -32_768, 32_767, what), 2, true);
    case 'UInt16':
      return (w, v) => w.int(checkInt(v, 0, 65_535, what), 2, false);
    case 'Int32':
      return (w, v) => w.int(checkInt(v, -2_147_483_648, 2_147_483_647, what), 4, true);
    case 'UInt32':
      return (w, v) => w.int(checkInt(v, 0, 4_294_967_295, what), 4, false);
    case 'Int64':
      return (w, v) => {
        if (typeof v === 'number' && Number.isSafeInteger(v)) w.i64n(v);
        else w.i64(BigInt.asIntN(64, checkRange(bigintOf(v, what), 64, true, what)));
      };
    case 'UInt64':
      return (w, v) => w.u64(checkRange(bigintOf(v, what), 64, false, what));
    case 'Int128':
      return (w, v) => w.i128(checkRange(bigintOf(v, what), 128, true, what));
    case 'Float64':
      return (w, v) => {
        if (typeof v !== 'number') throw new RangeError(`${what}: not a number: ${String(v)}`);
        w.f64(v);
      };
    case 'Float32':
      return (w, v) => {
        if (typeof v !== 'number') throw new RangeError(`${what}: not a number: ${String(v)}`);
        w.f32(v);
      };
    case 'Bool':
      return (w, v) => {
        if (typeof v !== 'boolean' && v !== 0 && v !== 1) throw new RangeError(`${what}: not a boolean: ${String(v)}`);
        w.u8(v ? 1 : 0);
      };
    case 'Date32':
      return (w, v) => w.int(daysOf(v, what), 4, true);
    case 'Date':
      return (w, v) => w.int(checkInt(daysOf(v, what), 0, 65_535, what), 2, false);
  }
  const wrapped = wrappedType(type);
  if (wrapped) {
    const { outer, inside, args } = wrapped;
    switch (outer) {
      case 'Nullable': {
        const inner = encoderFor(inside, what);
        return (w, v) => {
          if (v === null || v === undefined) w.u8(1);
          else {
            w.u8(0);
            inner(w, v);
          }
        };
      }
      case 'Array': {
        const inner = encoderFor(inside, what);
        return (w, v) => {
          if (!Array.isArray(v)) throw new RangeError(`${what}: not a list: ${String(v)}`);
          w.varint(v.length);
          for (const x of v) inner(w, x);
        };
      }
      case 'Decimal': {
        const p = Number(args[0]);
        const scale = Number(args[1] ?? 0);
        const bits = p <= 9 ? 32 : p <= 18 ? 64 : p <= 38 ? 128 : 0;
        if (bits === 0) break;
        const limit = 10n ** BigInt(p);
        return (w, v) => {
          const raw = scaledDecimal(v, scale, what);
          if (raw >= limit || raw <= -limit)
            throw new RangeError(`${what}: ${String(v)} exceeds Decimal(${p}, ${scale})`);
          if (bits === 32) w.int(Number(raw), 4, true);
          else if (bits === 64) w.i64(raw);
          else w.i128(raw);
        };
      }
      case 'DateTime64': {
        const p = Number(args[0]);
        if (args[1] !== undefined && args[1] !== "'UTC'") break;
        return (w, v) => {
          const ms = BigInt(millisOf(v, what));
          w.i64(p >= 3 ? ms * 10n ** BigInt(p - 3) : ms / 10n ** BigInt(3 - p));
        };
      }
    }
  }
  throw new RangeError(`${what}: the column type ${type} is not written here`);
}

function checkRange(v: bigint, bits: number, signed: boolean, what: string): bigint {
  const ok = signed ? BigInt.asIntN(bits, v) === v : v >= 0n && BigInt.asUintN(bits, v) === v;
  if (!ok) throw new RangeError(`${what}: ${v} does not fit ${signed ? 'Int' : 'UInt'}${bits}`);
  return v;
}

/** Rows (objects by column name) as RowBinary bytes in the order of `columns`. */
export function encodeRows(
  table: string,
  columns: readonly { name: string; type: string; encode?: Encoder }[],
  rows: readonly Record<string, unknown>[],
): Buffer {
  const enc = columns.map((c) => c.encode ?? encoderFor(c.type, `${table}.${c.name}`));
  const names = columns.map((c) => c.name);
  const w = new RowBinaryWriter();
  for (const row of rows) {
    for (let k = 0; k < enc.length; k++) enc[k]!(w, row[names[k]!]);
  }
  return Buffer.from(w.bytes());
}

/**
 * Code → id lookup that reads a code straight out of a longer text (`I63.900|A01.100` from position 8 to 15)
 * without cutting it out: an open-addressing hash table over the dictionary's codes (FNV-1a over UTF-16 units).
 * Interning a case then allocates no substring and no array.
 */
/** Id of codes not in the dictionary (the same as code-dictionary.ts's UNKNOWN_CODE). */
const UNKNOWN_CODE = 0;

export class CodeLookup {
  private readonly slots: Int32Array;
  private readonly mask: number;

  constructor(private readonly codes: readonly string[]) {
    let size = 16;
    while (size < codes.length * 2) size *= 2;
    this.slots = new Int32Array(size);
    this.mask = size - 1;
    for (let id = 1; id < codes.length; id++) {
      const code = codes[id]!;
      let slot = hashRange(code, 0, code.length) & this.mask;
      while (this.slots[slot] !== 0) slot = (slot + 1) & this.mask;
      this.slots[slot] = id;
    }
  }

  /** Id of `text.slice(start, end)`, or UNKNOWN_CODE. */
  idOfRange(text: string, start: number, end: number): number {
    const len = end - start;
    if (len === 0) return UNKNOWN_CODE;
    let slot = hashRange(text, start, end) & this.mask;
    for (;;) {
      const id = this.slots[slot]!;
      if (id === 0) return UNKNOWN_CODE;
      const code = this.codes[id]!;
      if (code.length === len && sameRange(code, text, start, len)) return id;
      slot = (slot + 1) & this.mask;
    }
  }

  idOf(code: string): number {
    return this.idOfRange(code, 0, code.length);
  }
}

function hashRange(s: string, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

function sameRange(code: string, text: string, start: number, len: number): boolean {
  for (let i = 0; i < len; i++) if (code.charCodeAt(i) !== text.charCodeAt(start + i)) return false;
  return true;
}

/** The tables of a `ByteCodeLookup`: plain typed arrays, so they can be sent to a worker or kept in a snapshot. */
export interface ByteCodeTables {
  /** Every code's UTF-8 bytes, end to end; code `id` is `pool[offsets[id] … offsets[id + 1])`. */
  pool: Uint8Array;
  offsets: Int32Array;
  /** Open-addressing hash table of ids (0 = empty slot); its length is a power of two. */
  slots: Int32Array;
}

/**
 * The same lookup over UTF-8 bytes: reads a code straight out of a file buffer (text-group.ts), so a case file
 * is interned without decoding it to strings. Codes are hashed as their UTF-8 bytes.
 */
export class ByteCodeLookup {
  private readonly slots: Int32Array;
  private readonly mask: number;
  private readonly pool: Uint8Array;
  private readonly offsets: Int32Array;

  /** Over tables made by `byteCodeTables` (here, in the parent thread, or read back from a snapshot). */
  constructor(t: ByteCodeTables) {
    this.pool = t.pool;
    this.offsets = t.offsets;
    this.slots = t.slots;
    this.mask = t.slots.length - 1;
  }

  /** The tables (shared, not copied). */
  get tables(): ByteCodeTables {
    return { pool: this.pool, offsets: this.offsets, slots: this.slots };
  }

  /** Id of the code in `buf[start, end)`, or UNKNOWN_CODE. */
  idOfBytes(buf: Uint8Array, start: number, end: number): number {
    const len = end - start;
    if (len === 0) return UNKNOWN_CODE;
    let slot = hashBytes(buf, start, end) & this.mask;
    const pool = this.pool;
    const offsets = this.offsets;
    for (;;) {
      const id = this.slots[slot]!;
      if (id === 0) return UNKNOWN_CODE;
      const from = offsets[id]!;
      if (offsets[id + 1]! - from === len) {
        let j = 0;
        while (j < len && pool[from + j] === buf[start + j]) j++;
        if (j === len) return id;
      }
      slot = (slot + 1) & this.mask;
    }
  }
}

/** The byte lookup tables of a dictionary's codes (id order; `codes[0]` is the unknown code and is not entered). */
export function byteCodeTables(codes: readonly string[]): ByteCodeTables {
  const encoder = new TextEncoder();
  const encoded = codes.map((c) => encoder.encode(c));
  const offsets = new Int32Array(codes.length + 1);
  encoded.forEach((b, id) => {
    offsets[id + 1] = offsets[id]! + b.length;
  });
  const pool = new Uint8Array(offsets[codes.length]!);
  encoded.forEach((b, id) => {
    pool.set(b, offsets[id]!);
  });
  let size = 16;
  while (size < codes.length * 2) size *= 2;
  const slots = new Int32Array(size);
  const mask = size - 1;
  for (let id = 1; id < codes.length; id++) {
    let slot = hashBytes(pool, offsets[id]!, offsets[id + 1]!) & mask;
    while (slots[slot] !== 0) slot = (slot + 1) & mask;
    slots[slot] = id;
  }
  return { pool, offsets, slots };
}

function hashBytes(b: Uint8Array, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) h = Math.imul(h ^ b[i]!, 0x01000193);
  return h >>> 0;
}

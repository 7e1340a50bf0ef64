/** Membership sets over interned code ids, one bit per id (Int32 words: V8 keeps them unboxed). */

export function newBitset(size: number): Int32Array {
  return new Int32Array((size + 31) >>> 5);
}

export function bitsetOf(ids: Iterable<number>, size: number): Int32Array {
  const set = newBitset(size);
  for (const id of ids) set[id >>> 5]! |= 1 << (id & 31);
  return set;
}

/** Is `id` in `set`? `id` must be below the size the set was made for. */
export function bitsetHas(set: Int32Array, id: number): boolean {
  return ((set[id >>> 5]! >>> (id & 31)) & 1) === 1;
}

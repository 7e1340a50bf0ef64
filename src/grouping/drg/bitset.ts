/** Membership sets over interned code ids, one bit per id. */

export function newBitset(size: number): Uint32Array {
  return new Uint32Array((size + 31) >>> 5);
}

export function bitsetOf(ids: Iterable<number>, size: number): Uint32Array {
  const set = newBitset(size);
  for (const id of ids) set[id >>> 5]! |= 1 << (id & 31);
  return set;
}

/** Is `id` in `set`? `id` must be below the size the set was made for. */
export function bitsetHas(set: Uint32Array, id: number): boolean {
  return ((set[id >>> 5]! >>> (id & 31)) & 1) === 1;
}

/**
 * Dictionary ids by key (a dictionary hash or rank: an integer double below 2^53), in an open-addressing table: the
 * per-row lookup of `iterateCaseColumns` without boxing a 52-bit key per row as a `Map` would (measured). −1: absent.
 */
export class KeyIds {
  private readonly keys: Float64Array;
  private readonly ids: Int32Array;
  private readonly mask: number;
  constructor(size: number) {
    let cap = 16;
    while (cap < size * 2) cap *= 2;
    this.keys = new Float64Array(cap);
    this.ids = new Int32Array(cap).fill(-1);
    this.mask = cap - 1;
  }
  /** The slot of `key`: its own, or the empty one where it would go. */
  private slot(key: number): number {
    // key mod 2^32 (exact for an integer double), then the table's bits
    let s = (key >>> 0) & this.mask;
    while (this.ids[s] !== -1 && this.keys[s] !== key) s = (s + 1) & this.mask;
    return s;
  }
  set(key: number, id: number): void {
    const s = this.slot(key);
    this.keys[s] = key;
    this.ids[s] = id;
  }
  get(key: number): number {
    return this.ids[this.slot(key)]!;
  }
}

/** The dictionary-key table of `iterateCaseColumns`: exact lookups, also for keys that share the table's slot bits. */
import { describe, expect, it } from 'vitest';
import { KeyIds } from './key-ids.ts';

describe('KeyIds (issue 9: case-column dictionary ids by 52-bit key)', () => {
  it('finds each key’s id; keys equal mod 2^32 (one slot) and a 52-bit key stay apart; an unknown key is −1', () => {
    const t = new KeyIds(4);
    const keys = [5, 5 + 2 ** 32, 5 + 2 ** 40, 2 ** 52 - 1];
    for (const [id, k] of keys.entries()) t.set(k, id);
    expect(keys.map((k) => t.get(k))).toEqual([0, 1, 2, 3]);
    expect(t.get(6)).toBe(-1);
    expect(t.get(5 + 2 ** 33)).toBe(-1);
  });

  it('holds many keys (10 000 ranks 1…10 000 and their 2^32 shifts)', () => {
    const t = new KeyIds(20_000);
    for (let k = 1; k <= 10_000; k++) {
      t.set(k, k);
      t.set(k + 2 ** 32, -k + 20_000);
    }
    expect(t.get(1)).toBe(1);
    expect(t.get(10_000)).toBe(10_000);
    expect(t.get(1 + 2 ** 32)).toBe(19_999);
    expect(t.get(10_001)).toBe(-1);
  });
});

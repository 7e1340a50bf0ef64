import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { indexBy, pushTo } from './index-by.ts';

describe('pushTo: a map of lists, each group in the order its values came', () => {
  it('groups by key and keeps the arrival order within a group', () => {
    const m = new Map<string, number[]>();
    for (const [k, v] of [
      ['a', 1],
      ['b', 2],
      ['a', 3],
    ] as const)
      pushTo(m, k, v);
    expect([...m]).toEqual([
      ['a', [1, 3]],
      ['b', [2]],
    ]);
  });

  it('property: concatenating the groups gives back every value once, each group a subsequence of the input', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom('x', 'y', 'z'), fc.integer())), (pairs) => {
        const m = new Map<string, number[]>();
        for (const [k, v] of pairs) pushTo(m, k, v);
        expect([...m.values()].reduce((s, l) => s + l.length, 0)).toBe(pairs.length);
        for (const [k, list] of m) expect(list).toEqual(pairs.filter(([x]) => x === k).map(([, v]) => v));
      }),
    );
  });
});

describe('indexBy: a key given twice is a loud error', () => {
  it('indexes by key and throws naming the duplicate', () => {
    expect(indexBy([{ c: 'A' }, { c: 'B' }], (x) => x.c, 'institution').get('B')).toEqual({ c: 'B' });
    expect(() => indexBy([{ c: 'A' }, { c: 'A' }], (x) => x.c, 'institution')).toThrow(/institution "A" appears twice/);
  });
});

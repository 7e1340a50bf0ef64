/**
 * One part's share of a stored split equals what the whole split gave it (issue 9: `explain` of one capitation or
 * family-doctor head gives the issued amount without the other heads; 四(四)1(3) round once, largest remainder).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ratio, roundOnceAndSplit, sumRatios } from '../../model/money.ts';
import { describeSplit, shareOfSplit } from './issued-split.ts';

describe('issued split (largest remainder, one part at a time)', () => {
  it('hand-computed: 100 fen over thirds 1/3 each → 34, 33, 33; the first key takes the odd fen', () => {
    const parts = ['a', 'b', 'c'].map((key) => ({ key, exact: ratio(100n, 3n) }));
    const { total, parts: amounts } = roundOnceAndSplit(
      parts.map((p) => p.exact),
      'floor',
    );
    expect(total).toBe(100);
    expect(amounts).toEqual([34, 33, 33]);
    const split = describeSplit(total, sumRatios(parts.map((p) => p.exact)), parts, amounts);
    expect(split.cutoff?.key).toBe('a');
    expect(parts.map((p) => shareOfSplit(split, p.key, p.exact))).toEqual([34, 33, 33]);
  });

  it('no odd fen: no cutoff, every share is its floor', () => {
    const parts = [
      { key: 'x', exact: ratio(150n) },
      { key: 'y', exact: ratio(50n) },
    ];
    const split = describeSplit(200, ratio(200n), parts, [150, 50]);
    expect(split.cutoff).toBeNull();
    expect(shareOfSplit(split, 'x', ratio(150n))).toBe(150);
    expect(shareOfSplit(split, 'y', ratio(50n))).toBe(50);
  });

  it('property: every part’s share from the stored split equals the split of all parts (floor and half-up)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.bigInt({ min: 0n, max: 10n ** 9n }), fc.bigInt({ min: 1n, max: 10n ** 4n })), {
          minLength: 1,
          maxLength: 30,
        }),
        fc.constantFrom('floor' as const, 'half-up' as const),
        (raw, rounding) => {
          const parts = raw.map(([n, d], i) => ({ key: `k${String(i).padStart(3, '0')}`, exact: ratio(n, d) }));
          const { total, parts: amounts } = roundOnceAndSplit(
            parts.map((p) => p.exact),
            rounding,
          );
          const split = describeSplit(total, sumRatios(parts.map((p) => p.exact)), parts, amounts);
          expect(parts.map((p) => shareOfSplit(split, p.key, p.exact))).toEqual(amounts);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('property: ties in the remainder go by key, as the split orders them', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 12 }), (total, n) => {
        const parts = Array.from({ length: n }, (_, i) => ({
          key: `k${String(i).padStart(2, '0')}`,
          exact: ratio(7n),
        }));
        const sum = sumRatios(parts.map((p) => p.exact));
        // Equal parts: each gets the floor, and the first `total mod n` keys one fen more (hand-computed).
        const base = Math.floor(total / n);
        const amounts = parts.map((_, i) => base + (i < total - base * n ? 1 : 0));
        const split = describeSplit(total, sum, parts, amounts);
        expect(parts.map((p) => shareOfSplit(split, p.key, p.exact))).toEqual(amounts);
      }),
    );
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { quantityFor, quantityForByScan } from './fee-items.ts';

describe('fee line quantity (cnt × pric = amount to the fen)', () => {
  it('takes the largest divisor of the amount up to min(99, target), else 1', () => {
    expect(quantityFor(1200, 7)).toBe(6);
    expect(quantityFor(9_700, 200)).toBe(97);
    expect(quantityFor(101 * 103, 99)).toBe(1);
    expect(quantityFor(4500 * 9, 9)).toBe(9);
    expect(quantityFor(77, 1)).toBe(1);
    expect(quantityFor(2 ** 40 * 3, 50)).toBe(48);
  });

  it('gives what a scan from the target down gives, for every amount and target (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.integer({ min: -5, max: 500 }), (amount, target) => {
        expect(quantityFor(amount, target)).toBe(quantityForByScan(amount, target));
      }),
      { numRuns: 20_000 },
    );
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2_000_000 }),
        fc.constantFrom(2, 6, 12, 24, 36, 60, 72, 96),
        fc.integer({ min: 1, max: 120 }),
        (base, smooth, target) => {
          expect(quantityFor(base * smooth, target)).toBe(quantityForByScan(base * smooth, target));
        },
      ),
      { numRuns: 20_000 },
    );
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addRatios,
  allocateProportional,
  divRound,
  fenToYuan,
  floorsAndLargestRemainders,
  formatRatio,
  mulRatio,
  parseDecimal,
  ratio,
  ratioFromNumber,
  sumRatios,
  yuanToFen,
} from './money.ts';

describe('exact money', () => {
  it('parses yuan text to fen without binary floats', () => {
    expect(yuanToFen('1234.56')).toBe(123456);
    expect(yuanToFen('0.1')).toBe(10);
    expect(yuanToFen('-3.05')).toBe(-305);
    expect(() => yuanToFen('1.234')).toThrow(/more than two decimals/);
    expect(fenToYuan(123456)).toBe('1234.56');
    expect(fenToYuan(-5)).toBe('-0.05');
  });

  it('reads policy numbers by their shortest decimal text (0.95 is exactly 95/100)', () => {
    expect(ratioFromNumber(0.95)).toEqual(ratio(19n, 20n));
    expect(ratioFromNumber(1e-7)).toEqual(ratio(1n, 10_000_000n));
    expect(parseDecimal('12.3456')).toEqual(ratio(123456n, 10000n));
  });

  it('rounds by a named rule', () => {
    expect(divRound(5n, 2n, 'half-up')).toBe(3n);
    expect(divRound(-5n, 2n, 'half-up')).toBe(-3n);
    expect(divRound(5n, 2n, 'half-even')).toBe(2n);
    expect(divRound(7n, 2n, 'half-even')).toBe(4n);
    expect(divRound(5n, 2n, 'floor')).toBe(2n);
    expect(divRound(-5n, 2n, 'floor')).toBe(-3n);
    expect(divRound(5n, 2n, 'ceil')).toBe(3n);
    // 0.95 × 10.01 yuan = 9.5095 yuan → 9.51 yuan half-up
    expect(mulRatio(1001, ratio(95n, 100n))).toBe(951);
    expect(formatRatio(ratio(2n, 3n), 4)).toBe('0.6667');
  });

  it('allocates a total in proportion, to the fen, remainder to the largest remainders (ties: lower index)', () => {
    // 100 fen over weights 1:1:1 → 33.33 each; the one leftover fen goes to index 0.
    expect(allocateProportional(100, [1n, 1n, 1n])).toEqual([34, 33, 33]);
    expect(allocateProportional(10, [0n, 3n, 7n])).toEqual([0, 3, 7]);
    expect(() => allocateProportional(1, [0n, 0n])).toThrow();
  });

  it('property: allocation always sums to the total and is within one fen of the exact share', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1e12 }),
        fc.array(fc.bigInt({ min: 0n, max: 10n ** 12n }), { minLength: 1, maxLength: 40 }),
        (total, weights) => {
          fc.pre(weights.some((w) => w > 0n));
          const parts = allocateProportional(total, weights);
          const sum = weights.reduce((a, b) => a + b, 0n);
          expect(parts.reduce((a, b) => a + b, 0)).toBe(total);
          parts.forEach((p, i) => {
            const exact = (BigInt(total) * weights[i]!) / sum;
            expect(BigInt(p) - exact >= 0n && BigInt(p) - exact <= 1n).toBe(true);
          });
        },
      ),
    );
  });
});

describe('RatioSum (exact sums without a gcd per addition)', () => {
  it('sums 1/3 + 1/6 + 1/4 + 1/12 to exactly 5/6', () => {
    expect(sumRatios([ratio(1, 3), ratio(1, 6), ratio(1, 4), ratio(1, 12)])).toEqual({ num: 5n, den: 6n });
    expect(sumRatios([])).toEqual({ num: 0n, den: 1n });
  });

  it('property: equals the fold of addRatios, reduced (unreduced parts with shared denominators too)', () => {
    const part = fc
      .record({
        num: fc.bigInt({ min: -1_000_000_000_000n, max: 1_000_000_000_000n }),
        den: fc.constantFrom(1n, 3n, 6n, 365n, 366n, 730n),
      })
      .map((r) => ({ num: r.num * 7n, den: r.den * 7n }));
    fc.assert(
      fc.property(fc.array(part, { maxLength: 40 }), (parts) => {
        const folded = parts.reduce((s, p) => addRatios(s, p), ratio(0));
        expect(sumRatios(parts)).toEqual(folded);
      }),
    );
  });
});

describe('floorsAndLargestRemainders (病例结算金额, R-DIP-6)', () => {
  // Point value 1000/7 fen per point, points in 1/10000: den = 7 × 10000. C1 10 points → 1428.571… fen, C2 20 →
  // 2857.142…, C3 30 → 4285.714…; the institution's 60 points → 8571.428… → 8571 (half-up once). Floors 8570: one
  // fen left, to the largest remainder C3 → 1428, 2857, 4286 (half-up per case would give 8572).
  const den = 70_000n;
  const part = (key: string, points: number) => ({ key, num: BigInt(points) * 1000n });
  it('one fen left goes to the largest remainder', () => {
    expect(
      floorsAndLargestRemainders([part('C1', 100_000), part('C2', 200_000), part('C3', 300_000)], den, 8571),
    ).toEqual([1428, 2857, 4286]);
  });
  it('a tie goes to the lower key, whatever the order of the parts', () => {
    expect(floorsAndLargestRemainders([part('C6', 50_000), part('C5', 50_000)], den, 1429)).toEqual([714, 715]);
  });
  it('a total outside the floors and one fen each is refused', () => {
    expect(() => floorsAndLargestRemainders([part('C1', 100_000)], den, 1427)).toThrow(/not within/);
    expect(() => floorsAndLargestRemainders([part('C1', 100_000)], den, 1430)).toThrow(/not within/);
  });
});

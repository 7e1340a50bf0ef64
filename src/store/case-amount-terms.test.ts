/**
 * R-DIP-6 病例结算金额 at a province's scale: the limb terms DuckDB computes with (`caseAmountLimbs`) give each case
 * the exact floor and remainder of points × point value, for the point value a 20M-case region produced (its
 * denominator near 2^91: the one-limb products overflow 128 bits).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { POINT_SCALE } from '../model/points.ts';
import { caseAmountLimbs, caseAmountsMismatchError, caseAmountTerms, negativePointsError } from './settlement-runs.ts';

const PROVINCE = { num: '3066884089234761518938969990000', den: '2256635620857589536135223507' };

/** What the SQL computes from the limbs, in BigInt. */
function viaLimbs(t: ReturnType<typeof caseAmountLimbs>, points: bigint): { floor: bigint; rem: bigint } {
  const mask = (1n << BigInt(t.k)) - 1n;
  let sumB = 0n;
  let sumC = 0n;
  t.limbs.forEach((l, j) => {
    const pj = (points >> BigInt(t.k * j)) & mask;
    sumB += pj * BigInt(l.b);
    sumC += pj * BigInt(l.c);
    expect(pj * BigInt(l.b)).toBeLessThan(2n ** 126n);
  });
  expect(sumB).toBeLessThan(2n ** 126n);
  const d = BigInt(t.d);
  return { floor: points * BigInt(t.a) + sumC + sumB / d, rem: sumB % d };
}

describe('caseAmountLimbs: exact per-case floors and remainders in 128-bit integers', () => {
  it('R-DIP-6: the 20M region’s point value, one limb refused, limbs exact for any points up to 2^40', () => {
    const maxPoints = 2 ** 40;
    expect(() => caseAmountTerms(PROVINCE, maxPoints)).toThrow(/too large/);
    const t = caseAmountLimbs(PROVINCE, maxPoints);
    expect(t.limbs.length).toBeGreaterThan(1);
    const d = BigInt(PROVINCE.den) * POINT_SCALE;
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: BigInt(maxPoints) }), (p) => {
        const exact = p * BigInt(PROVINCE.num);
        expect(viaLimbs(t, p)).toEqual({ floor: exact / d, rem: exact % d });
      }),
      { numRuns: 2_000 },
    );
  });

  it('R-DIP-6: small point values keep one limb; a point value beyond every limb split is refused', () => {
    const t = caseAmountLimbs({ num: '1000', den: '7' }, 2e8);
    expect(t.limbs).toHaveLength(1);
    expect(viaLimbs(t, 33_333n)).toEqual({ floor: (33_333n * 1000n) / 70_000n, rem: (33_333n * 1000n) % 70_000n });
    expect(() => caseAmountLimbs({ num: '1', den: (2n ** 125n).toString() }, 2 ** 40)).toThrow(/too large/);
  });
});

describe('the split refused, in both languages (the same text from DuckDB and ClickHouse)', () => {
  it('R-DIP-6: a pool with negative points names the pool', () => {
    expect(negativePointsError('p1').message).toBe(
      '病例结算金额：点数池 p1 有负点数的病例，无法按最大余数法分配 / case amounts: pool p1 has a unit with negative points',
    );
  });
  it('R-DIP-6: institutions whose cases do not add up are listed with amount, floors and points units', () => {
    const m = caseAmountsMismatchError('r1', 'p1', [
      ['H1', '100', '98', 1],
      ['H2', null, '5', 2],
    ]).message;
    expect(m).toContain('结算运行 r1 点数池 p1 的病例无法合计为机构点数金额+定额');
    expect(m).toContain('H1 (amount 100, floors 98, point units 1); H2 (amount null, floors 5, point units 2)');
  });
});

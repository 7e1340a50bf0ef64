import { describe, expect, it } from 'vitest';
import { ratio } from '../model/money.ts';
import { valueClaim } from './community-year.ts';

describe('R-MC-2 a stored unit valued for the community (points × point value × fund payment ratio)', () => {
  it('points: 123.4567 points × 12.345678 元/点 × 0.9, half-up to the fen', () => {
    // 123.4567 × 1234.5678 fen × 0.9 = 137,174.0999… fen → 137,174 fen.
    const v = valueClaim({ points: 1_234_567, amountFen: null }, ratio(12_345_678n, 10_000n), ratio(9n, 10n));
    expect(v).toBe(137_174);
  });

  it('a fixed amount × fund payment ratio: 1,000.05 元 × 0.9 = 900.045 → 900.05 元', () => {
    expect(valueClaim({ points: null, amountFen: 100_005 }, ratio(1000n), ratio(9n, 10n))).toBe(90_005);
  });
});

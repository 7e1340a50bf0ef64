import { describe, expect, it } from 'vitest';
import { ratio } from '../model/money.ts';
import type { UnitResult } from '../model/unit-result.ts';
import { valueUnit } from './community-year.ts';

const unit = (claim: UnitResult['claim']): UnitResult => ({
  unitId: 'JS1',
  institutionCode: 'H1',
  month: '2025-03',
  method: 'dip',
  status: 'paid',
  claim,
  billed: 0,
  patientPaid: 0,
  explanation: [],
});

describe('R-MC-2 a stored unit valued for the community (points × point value × fund payment ratio)', () => {
  it('points: 123.4567 points × 12.345678 元/点 × 0.9, half-up to the fen', () => {
    // 123.4567 × 1234.5678 fen × 0.9 = 137,174.0999… fen → 137,174 fen.
    const v = valueUnit(unit({ kind: 'points', points: 1_234_567 }), ratio(12_345_678n, 10_000n), ratio(9n, 10n));
    expect(v).toBe(137_174);
  });

  it('a fixed amount × fund payment ratio: 1,000.05 元 × 0.9 = 900.045 → 900.05 元', () => {
    expect(valueUnit(unit({ kind: 'amount', amount: 100_005 }), ratio(1000n), ratio(9n, 10n))).toBe(90_005);
  });
});

import { describe, expect, it } from 'vitest';
import { referenceKernel } from '../../grouping/drg/testing.ts';
import { ratio } from '../../model/money.ts';
import { testCase } from '../testing.ts';
import { predictDrgCase } from './predict.ts';
import type { DrgPricing } from './price.ts';
import type { DrgWeightTable } from './types.ts';

const table: DrgWeightTable = {
  source: 'test',
  overallMean: 1_225_270,
  weights: new Map([['GZ13', { drg: 'GZ13', rw: ratio(5418n, 10000n), meanCost: 663_851, cases: 0, cv: 0 }]]),
};
const pricing: DrgPricing = {
  mode: 'points',
  pointsPerRw: 100,
  levelCoefficients: { '3': ratio(1n), '2': ratio(9n, 10n), '1': ratio(8n, 10n), primary: ratio(7n, 10n) },
  lowRatio: ratio(4n, 10n),
  itemsInPointPool: 'amount',
  highTiers: [{ multiple: ratio(3n) }],
  highVariant: 'standard-plus-excess',
  excessRate: ratio(9n, 10n),
  ungrouped: 'items',
  sources: { method: 'm', baseRate: 'b', level: 'l', low: 'lo', high: 'hi', ungrouped: 'u' },
};

describe('R-PAY-DRG hospital-side prediction of one case (needs ../shared/reference)', () => {
  it('groups K22.301 with a gastroscopy into GZ13 and predicts 54.18 points × 122.5270 元/点 = 6,638.51 元', () => {
    // The reference case ref-22058878: K22.301|K11.901|E11.900|I10.x05 with 96.0800x005 → MDCG / GZ1 / GZ13.
    const c = testCase({
      setlId: 'P1',
      institutionCode: 'H1',
      diagnoses: ['K22.301', 'K11.901', 'E11.900', 'I10.x05'].map((code) => ({ code })),
      procedures: [{ code: '96.0800x005' }],
      totalCost: 500_000,
      fundPay: 350_000,
    });
    const p = predictDrgCase(referenceKernel(), c, '3', table, pricing, ratio(1_225_270n, 100n));
    expect([p.drg, p.status]).toEqual(['GZ13', 'SUCCESS']);
    expect(p.result.claim).toEqual({ kind: 'points', points: 541_800 });
    // 54.18 points × 12,252.70 fen/point = 663,851.286 fen → 6,638.51 元
    expect(p.expectedPayment).toBe(663_851);
    expect(p.explanation.steps.length).toBeGreaterThan(4);
  });
});

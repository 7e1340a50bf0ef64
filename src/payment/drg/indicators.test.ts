import { describe, expect, it } from 'vitest';
import { ratio } from '../../model/money.ts';
import { DrgIndicatorAccumulator, drgIndicators, lowRiskDrgs } from './indicators.ts';
import type { DrgCase, DrgWeightTable } from './types.ts';

const table: DrgWeightTable = {
  source: 't',
  overallMean: 100,
  weights: new Map([
    ['A1', { drg: 'A1', rw: ratio(1n), meanCost: 100, cases: 0, cv: 0 }],
    ['B1', { drg: 'B1', rw: ratio(3n), meanCost: 300, cases: 0, cv: 0 }],
  ]),
};
const c = (inst: string, drg: string | null, los: number, cost: number, died = false): DrgCase => ({
  setlId: `${inst}-${drg}-${los}-${cost}`,
  institutionCode: inst,
  level: '3',
  insuranceType: 'employee',
  month: '2025-01',
  drg,
  groupStatus: drg ? 'SUCCESS' : 'FAIL',
  losDays: los,
  died,
  cost,
  patientPaid: 0,
});

describe('R-PAY-DRG hospital indicators', () => {
  // Region: A1 cases (H1: los 4, cost 100; H2: los 8, cost 200) → region mean LOS 6, cost 150.
  //         B1 cases (H2: los 10, cost 300, twice) → region mean LOS 10, cost 300.
  const cases = [
    c('H1', 'A1', 4, 100),
    c('H1', null, 3, 50),
    c('H2', 'A1', 8, 200),
    c('H2', 'B1', 10, 300),
    c('H2', 'B1', 10, 300),
  ];
  const [h1, h2] = drgIndicators(cases, table);

  it('R-PAY-DRG: the indicators accumulated batch by batch equal those of the whole year', () => {
    const acc = new DrgIndicatorAccumulator().add(cases.slice(0, 2)).add([]).add(cases.slice(2));
    expect(acc.result(table)).toEqual([h1, h2]);
    // H2's time index: A1 8/6 and B1 10/10 twice → (4/3 + 1 + 1) / 3 = 10/9.
    expect(acc.result(table)[1]!.timeIndex).toBeCloseTo(10 / 9, 12);
  });

  it('counts DRGs and computes CMI = mean RW of grouped cases', () => {
    expect([h1!.key, h1!.cases, h1!.groupedCases, h1!.drgCount, h1!.cmi]).toEqual(['H1', 2, 1, 1, 1]);
    // H2: (1 + 3 + 3) / 3 = 2.3333
    expect(h2!.cmi).toBeCloseTo(7 / 3, 10);
  });

  it('time and cost consumption indices weight each DRG by its cases against the regional mean', () => {
    // H1: A1 LOS 4/6 → 0.6667; cost 100/150 → 0.6667. H2: (1 × 8/6 + 2 × 10/10) / 3 = 1.1111; cost (1 × 200/150 + 2 × 1) / 3.
    expect(h1!.timeIndex).toBeCloseTo(4 / 6, 10);
    expect(h2!.timeIndex).toBeCloseTo((8 / 6 + 2) / 3, 10);
    expect(h2!.costIndex).toBeCloseTo((200 / 150 + 2) / 3, 10);
  });

  it('low-risk DRGs: z-score of ln mortality below −1 over the DRGs with a death; a DRG without deaths is not rated', () => {
    // L 1/10, M1…M4 1/2 each, Z 0/2. ln: −2.3026, −0.6931 × 4 → mean −1.0150, sd 0.6438 → z(L) = −2 → low risk.
    // Z has no death and no logarithm: not rated (rating it would make low-risk mortality 0 by construction).
    const m = [
      ...Array.from({ length: 10 }, (_, i) => c('H', 'L', 1, 1, i === 0)),
      ...['M1', 'M2', 'M3', 'M4'].flatMap((d) => [c('H', d, 1, 1, true), c('H', d, 1, 1, false)]),
      c('H', 'Z', 1, 1, false),
      c('H', 'Z', 1, 1, false),
    ];
    expect([...lowRiskDrgs(m)]).toEqual(['L']);
  });
});

/**
 * Hospital mode with the agency's own parameters reproduces the agency's DIP run case by case — the ground that
 * reconciliation (对账) stands on: any difference then has a reason outside the pricing (special review, different
 * coding, deductions). Uses the seeded synthetic region of src/dip/run.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { hospitalYear } from '../hospital/year.ts';
import { generateRegion } from '../payment/dip/synth.ts';
import { testDipPolicy, testSettlementPolicy } from '../payment/dip/testing.ts';
import { valueOfPoints } from '../settlement/value.ts';
import { runDip } from './dip-pool.ts';
import { hospitalParamsFromDipRun } from './hospital-params.ts';

const region = generateRegion({
  seed: 11,
  institutions: 6,
  diagnoses: 30,
  casesPerYear: { 2022: 400, 2023: 450, 2024: 500, 2025: 600 },
});
const run = runDip({
  region: 'test',
  year: 2025,
  history: [2022, 2023, 2024].flatMap((y) => region.byYear.get(y)!),
  current: region.byYear.get(2025)!,
  institutions: region.institutions,
  dip: {
    policy: testDipPolicy({
      coreGroupThreshold: '{ value: { method: fixed, minCases: 10 }, source: "测试 临界值" }',
      institutionCoefficient: '{ value: { method: calibrated, basis: case-mix }, source: "002 四(二)" }',
      referencePointValue: '{ value: opening, source: "技术规范 年初点值" }',
    }),
    id: 'test-dip-2025',
    version: '1',
  },
  settlement: testSettlementPolicy({
    budget: '{ value: { method: growth, growthRate: 0.05 }, source: "002 四(一)" }',
    fundPaymentRatio: '{ value: computed, source: "技术规范" }',
  }),
});

describe('R-DIP-6 hospital mode at the agency’s parameters', () => {
  const params = hospitalParamsFromDipRun(run, region.institutions);
  const inst = region.institutions[0]!.code;
  const cases = region.byYear.get(2025)!.filter((c) => c.institutionCode === inst);
  const y = hospitalYear(cases, params);
  // The synthetic region has newborns of age 0 without an age in days, which the settlement-list QC would reject
  // (hospital mode keeps them apart, `y.rejected`); the agency's in-memory run settled them: compare every estimate.
  const all = [...y.estimates, ...y.rejected];
  const units = new Map(run.units.map((u) => [u.unitId, u]));

  it('every case has the group and points of the agency’s unit (special-review decisions aside)', () => {
    expect(cases.length).toBeGreaterThan(20);
    for (const e of all) {
      const u = units.get(e.setlId)!;
      expect(e.group ?? undefined).toBe(u.group);
      if (u.status === 'special-review') continue;
      expect(u.claim).toEqual({ kind: 'points', points: e.points });
    }
  });
  it('the fund’s part at the run’s fund payment ratio adds up to the institution’s year-end gross (to a fen a case)', () => {
    const gross = run.settlement.institutions.find((i) => i.institutionCode === inst)!.gross;
    const fund = all.reduce((s, e) => s + e.expectedFund!, 0);
    const special = all.filter((e) => units.get(e.setlId)!.status === 'special-review').length;
    expect(special).toBe(0);
    expect(Math.abs(fund - gross)).toBeLessThanOrEqual(cases.length);
  });
  it('the expected payment is the points valued at the run’s year-end point value', () => {
    const pv = run.settlement.pointValue.pointValue;
    for (const e of all) expect(e.expectedPayment).toBe(valueOfPoints(e.points!, pv));
  });
});

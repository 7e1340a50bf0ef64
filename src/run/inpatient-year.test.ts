import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { UnitResult } from '../model/unit-result.ts';
import { generateRegion } from '../payment/dip/synth.ts';
import { POLICY_KINDS } from '../policy/kinds/index.ts';
import { parsePolicy } from '../policy/loader.ts';
import { loadPolicyDir, PolicySet, policiesDir } from '../policy/registry.ts';
import { caseMethodFor, inpatientHistoryReducer, inpatientYear, inpatientYearStream } from './inpatient-year.ts';

const mix = (method: string) =>
  new PolicySet([
    parsePolicy(
      `kind: payment-mix
region: r
id: r-mix
version: "1"
title: t
effective: { from: 2025-01-01, to: 2025-12-31 }
values:
  inpatientCaseMethod: { value: ${method}, source: "示范细则 第三条" }
`,
      'mix.yaml',
      POLICY_KINDS,
    ),
  ]);

describe('R-PAY-DIP / R-PAY-DRG: the region switches its inpatient method by its payment-mix policy', () => {
  it('the policy decides when no method is given', () => {
    expect(caseMethodFor(mix('dip'), 'r', 2025)).toBe('dip');
    expect(caseMethodFor(mix('drg'), 'r', 2025)).toBe('drg');
  });

  it('an explicit choice wins; an unknown one is an error; no policy for the year is an error', () => {
    expect(caseMethodFor(mix('dip'), 'r', 2025, 'drg')).toBe('drg');
    expect(() => caseMethodFor(mix('dip'), 'r', 2025, 'ffs')).toThrow(/dip \| drg/);
    expect(() => caseMethodFor(mix('dip'), 'r', 2026)).toThrow(/payment-mix/);
  });
});

describe('R-PAY-DIP / R-DIP-4 / R-DIP-6: the settlement year streams in batches, nothing of it kept', () => {
  const policies = loadPolicyDir(policiesDir('policies'), POLICY_KINDS);
  const region = generateRegion({
    seed: 3,
    institutions: 8,
    diagnoses: 40,
    casesPerYear: { 2022: 500, 2023: 600, 2024: 700, 2025: 800 },
  });
  const history = [2022, 2023, 2024].flatMap((y) => region.byYear.get(y)!);
  const current = [...region.byYear.get(2025)!].sort((a, b) => (a.setlId < b.setlId ? -1 : 1));
  const o = { region: 'demo', year: 2025, policies, method: 'dip' as const };
  const whole = inpatientYear(o, history, current, region.institutions);
  const json = (x: unknown) => JSON.stringify(x, (_k, v) => (typeof v === 'bigint' ? v.toString() : v));
  const reduced = () => {
    const r = inpatientHistoryReducer(o, region.institutions);
    for (let i = 0; i < history.length; i += 333) r.add(history.slice(i, i + 333));
    return r.finish();
  };
  /** The year streamed in batches of `size`: what it settled, and every unit it handed out (batches, then the end). */
  const streamed = (size: number) => {
    const y = inpatientYearStream(o, reduced(), region.institutions);
    const units: UnitResult[] = [];
    for (let i = 0; i < current.length; i += size) units.push(...y.add(current.slice(i, i + size)));
    const year = y.finish();
    units.push(...year.specialReviewUnits);
    return { year, units };
  };

  it('every case is paid by exactly one method, and Σ year-end gross = the fund to the fen', () => {
    const c = whole.counts;
    expect(c.current).toBe(current.length);
    expect(c.current).toBe(c.perDiem + c.singleDisease + c.caseMethod);
    expect(c.singleDisease).toBeGreaterThan(0);
    // The special-review cap (5‰ of the DIP cases) binds: more candidates than places, decided over the whole year.
    const sr = whole.dip!.specialReview;
    expect(sr.cap).toBe(Math.floor((c.caseMethod * 5) / 1000));
    expect(sr.candidates).toBeGreaterThan(sr.cap);
    expect(whole.settlement.summary.byStatus['special-review']).toBe(sr.queued);
    expect(whole.settlement.institutions.reduce((s, i) => s + i.gross, 0)).toBe(whole.settlement.fund);
    const { units } = streamed(current.length);
    // Every case of the year is stored once: carved-out cases by their carve-out, the others by DIP.
    expect(new Set(units.map((u) => u.unitId)).size).toBe(units.length);
    expect(units.length).toBe(c.current);
    expect(units.filter((u) => u.method !== 'dip').length).toBe(c.perDiem + c.singleDisease);
    // R-DIP-4: DIP makes no unit for a carved-out case, yet the pool counts each as paid by another method (除外).
    expect(units.some((u) => u.status === 'excluded')).toBe(false);
    expect(whole.settlement.summary.excludedUnits).toBe(c.perDiem + c.singleDisease);
    // The special-review candidates wait for the year's count and leave the stream last, with the year's outcome.
    expect(whole.specialReviewUnits.length).toBe(sr.candidates);
    expect(units.filter((u) => u.status === 'special-review').length).toBe(sr.queued);
  });

  it('any batching gives the same settlement, counts and (batch by batch) the same units as one batch', () => {
    const byId = (us: { unitId: string }[]) => us.sort((a, b) => (a.unitId < b.unitId ? -1 : 1));
    const all = json(byId(streamed(current.length).units));
    fc.assert(
      fc.property(fc.integer({ min: 1, max: current.length + 1 }), (size) => {
        const { year: s, units } = streamed(size);
        expect(json(s.settlement)).toBe(json(whole.settlement));
        expect(s.counts).toEqual(whole.counts);
        expect(json(byId(units))).toBe(all);
      }),
      { numRuns: 5 },
    );
  });
});

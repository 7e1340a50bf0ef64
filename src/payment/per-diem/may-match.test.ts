import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Institution } from '../../model/institution.ts';
import { perDiemKind } from '../../policy/kinds/per-diem.ts';
import { resolvePolicyFile, testCase } from '../testing.ts';
import {
  categoriesClaiming,
  matchCategory,
  mayMatchCategory,
  mayTakeStay,
  type PerDiemCategory,
} from './categories.ts';

const TYPES = ['general', 'tcm', 'psychiatric', 'rehabilitation', 'primary'] as const;

describe('R-PAY-BEDDAY: which stays a per-diem pass evaluates', () => {
  it('mayMatchCategory is true exactly when matchCategory finds a category or an overlap (property)', () => {
    const prefix = fc
      .array(fc.constantFrom('F', '2', '0', 'Z', '5'), { minLength: 1, maxLength: 3 })
      .map((a) => a.join(''));
    const category = fc.record({
      code: fc.string({ minLength: 1, maxLength: 3 }),
      diagnosisPrefixes: fc.array(prefix, { minLength: 1, maxLength: 3 }),
      institutionTypes: fc.subarray([...TYPES], { minLength: 1 }),
      minLosDays: fc.integer({ min: 0, max: 60 }),
    });
    const stay = fc.record({
      dx: fc.option(
        fc.array(fc.constantFrom('F', '2', '0', 'Z', '5', '.'), { maxLength: 5 }).map((a) => a.join('')),
        {
          nil: undefined,
        },
      ),
      los: fc.integer({ min: 0, max: 90 }),
      type: fc.option(fc.constantFrom(...TYPES), { nil: undefined }),
    });
    fc.assert(
      fc.property(fc.array(category, { maxLength: 6 }), fc.array(stay, { maxLength: 10 }), (cats, stays) => {
        const categories = cats.map((k) => ({ ...k, zh: k.code })) as unknown as PerDiemCategory[];
        for (const s of stays) {
          const c = {
            ...testCase({ setlId: 'S1', institutionCode: 'H1', losDays: s.los }),
            diagnoses: s.dx === undefined ? [] : [{ code: s.dx }],
          };
          const inst: Institution | undefined = s.type
            ? { code: 'H1', name: 'h', level: '2', type: s.type, county: 'C' }
            : undefined;
          expect(mayMatchCategory(c, inst, categories)).toBe(matchCategory(c, inst, categories).kind !== 'none');
          // The columnar split: the categories a principal diagnosis may fall in (once per distinct list), then the row.
          expect(mayTakeStay(categoriesClaiming(s.dx, categories), s.los, inst)).toBe(
            mayMatchCategory(c, inst, categories),
          );
        }
      }),
      { numRuns: 300 },
    );
  });

  it('the demo policy: a 40-day F20 stay at a psychiatric hospital qualifies, a 40-day J18 stay does not', () => {
    const demo = resolvePolicyFile(perDiemKind, 'policies/demo/per-diem-2025.yaml', '2025-06-30');
    const psych: Institution = { code: 'H1', name: '精神病医院', level: '2', type: 'psychiatric', county: 'C' };
    const f20 = testCase({ setlId: 'S1', institutionCode: 'H1', losDays: 40, diagnoses: [{ code: 'F20.000' }] });
    const j18 = testCase({ setlId: 'S2', institutionCode: 'H1', losDays: 40, diagnoses: [{ code: 'J18.900' }] });
    expect(matchCategory(f20, psych, demo.categories.value).kind).toBe('match');
    expect(mayMatchCategory(f20, psych, demo.categories.value)).toBe(true);
    expect(mayMatchCategory(j18, psych, demo.categories.value)).toBe(false);
    expect(mayMatchCategory(f20, undefined, demo.categories.value)).toBe(false);
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { singleDiseaseKind } from '../../policy/kinds/single-disease.ts';
import { resolvePolicyFile, testCase } from '../testing.ts';
import {
  candidates,
  type DiseaseEncounter,
  type DiseaseEntry,
  entriesClaiming,
  matchEntry,
  meetsAnyEntry,
  meetsAnyOf,
} from './catalog.ts';

/** The inclusion criteria as the clause states them, entry by entry over the whole catalog (the reference). */
function scanned(c: DiseaseEncounter, catalog: readonly DiseaseEntry[]): DiseaseEntry[] {
  const setting = c.setting ?? 'inpatient';
  const dx = c.diagnoses[0]?.code;
  return catalog.filter((e) => {
    if (setting === 'outpatient' ? e.setting !== 'outpatient' : e.setting === 'outpatient') return false;
    if (e.setting === 'day-surgery' && c.losDays > e.maxLosDays) return false;
    if (dx === undefined || !e.diagnoses.some((p) => dx.startsWith(p))) return false;
    return e.procedures.length === 0 || c.procedures.some((p) => e.procedures.some((q) => p.code.startsWith(q)));
  });
}

const code = (alphabet: string[], min: number, max: number) =>
  fc.array(fc.constantFrom(...alphabet), { minLength: min, maxLength: max }).map((a) => a.join(''));
const entry = fc.record({
  code: fc.string({ minLength: 1, maxLength: 3 }),
  setting: fc.constantFrom('inpatient' as const, 'day-surgery' as const, 'outpatient' as const),
  diagnoses: fc.array(code(['K', '3', '5', '.', '8'], 1, 5), { minLength: 1, maxLength: 3 }),
  procedures: fc.array(code(['4', '7', '.', '0'], 1, 4), { maxLength: 2 }),
  maxLosDays: fc.integer({ min: 1, max: 10 }),
});
const encounter = fc.record({
  dx: fc.option(code(['K', '3', '5', '.', '8'], 0, 6), { nil: undefined }),
  procs: fc.array(code(['4', '7', '.', '0'], 1, 6), { maxLength: 3 }),
  los: fc.integer({ min: 0, max: 12 }),
  setting: fc.option(fc.constantFrom('inpatient' as const, 'outpatient' as const), { nil: undefined }),
});

describe('R-PAY-DISEASE: the catalog matched through its diagnosis-prefix index', () => {
  it('finds exactly the entries a scan of the catalog finds, in catalog order (property)', () => {
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 12 }), fc.array(encounter, { maxLength: 12 }), (entries, encs) => {
        const catalog = entries.map((e) => ({ ...e, zh: e.code, standards: {} })) as unknown as DiseaseEntry[];
        for (const x of encs) {
          const c: DiseaseEncounter = {
            ...testCase({ setlId: 'S1', institutionCode: 'H1', losDays: x.los }),
            diagnoses: x.dx === undefined ? [] : [{ code: x.dx }],
            procedures: x.procs.map((p) => ({ code: p })),
            ...(x.setting ? { setting: x.setting } : {}),
          };
          const expected = scanned(c, catalog);
          expect(candidates(c, catalog)).toEqual(expected);
          expect(meetsAnyEntry(c, catalog)).toBe(expected.length > 0);
          expect(meetsAnyEntry(c, catalog)).toBe(matchEntry(c, catalog).kind !== 'none');
          // The columnar split: the entries a principal diagnosis may meet (once per distinct list), then the row.
          expect(meetsAnyOf(entriesClaiming(c.diagnoses[0]?.code, catalog), c)).toBe(expected.length > 0);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('the demo catalog: K35.8 with 47.01 meets the appendectomy entry; J18.9 without a procedure meets none', () => {
    const demo = resolvePolicyFile(singleDiseaseKind, 'policies/demo/single-disease-2025.yaml', '2025-06-30');
    const catalog = demo.catalog.value;
    const appendix = testCase({
      setlId: 'S1',
      institutionCode: 'H1',
      diagnoses: [{ code: 'K35.800' }],
      procedures: [{ code: '47.0100' }],
    });
    expect(candidates(appendix, catalog).map((e) => e.code)).toContain('SD001');
    expect(candidates(appendix, catalog)).toEqual(scanned(appendix, catalog));
    expect(meetsAnyEntry(appendix, catalog)).toBe(true);
    expect(entriesClaiming('K35.800', catalog).map((e) => e.code)).toContain('SD001');
    expect(entriesClaiming('Z99.9', catalog)).toEqual([]);
    expect(entriesClaiming(undefined, catalog)).toEqual([]);
    const none = testCase({ setlId: 'S2', institutionCode: 'H1', diagnoses: [{ code: 'Z99.9' }] });
    expect(meetsAnyEntry(none, catalog)).toBe(false);
    expect(matchEntry(none, catalog).kind).toBe('none');
  });
});

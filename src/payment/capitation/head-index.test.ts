/**
 * Issue 9: the head index keeps its heads as columns and makes a head's segment and risk factors again on demand;
 * they are the ones `headSegment` and `riskFactorsOf` give for the row (R-CAP-2, R-CAP-3), on random enrolments
 * (switches, overlaps, both classes, rows outside the year, an unknown person) and every risk-age reading.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SpecialDiseaseEnrolment } from '../../model/institution.ts';
import { headSegment, validateEnrolments } from './enrolment.ts';
import { headIndex, personIndex } from './head-index.ts';
import { riskFactorsOf } from './heads.ts';
import { cellRiskModel } from './risk.ts';
import { persons, policy, row, YEAR } from './test-fixtures.ts';
import type { CapitationPolicy } from './types.ts';

const day = fc.integer({ min: -40, max: 400 }).map((d) => {
  const t = new Date(Date.UTC(YEAR, 0, 1) + d * 86_400_000);
  return t.toISOString().slice(0, 10);
});
const rowArb = fc
  .record({
    psn: fc.constantFrom('p1', 'p2', 'p4', 'p6', 'pX'),
    disease: fc.constantFrom('D1', 'D2', 'D9'),
    inst: fc.constantFrom('H1', 'H2'),
    a: day,
    b: day,
    swap: fc.boolean(),
    cls: fc.constantFrom(1 as const, 2 as const, 2 as const),
  })
  .map((r): SpecialDiseaseEnrolment => {
    // Now and then a row whose end comes before its start (an invalid period).
    const [from, to] = r.a <= r.b !== r.swap ? [r.a, r.b] : [r.b, r.a];
    return { ...row(r.psn, r.disease, r.inst, 'F1', from, to), diseaseClass: r.cls };
  });
const enrolmentsArb = fc.uniqueArray(rowArb, {
  maxLength: 12,
  selector: (r) => `${r.psnNo}/${r.diseaseCode}/${r.from}`,
});
const ageAsOf = fc.constantFrom('year-start' as const, 'year-end' as const, 'segment-start' as const);

describe('issue 9: the head index as columns (R-CAP-2, R-CAP-3)', () => {
  it('property: segments, risk factors and scores made on demand are those of headSegment and riskFactorsOf', () => {
    const byPsn = personIndex(persons);
    const model = cellRiskModel(
      [
        { age65: false, class1: false, weight: { num: 4n, den: 5n } },
        { age65: false, class1: true, weight: { num: 6n, den: 5n } },
        { age65: true, class1: false, weight: { num: 11n, den: 10n } },
        { age65: true, class1: true, weight: { num: 6n, den: 5n } },
      ],
      65,
      'test',
    );
    fc.assert(
      fc.property(enrolmentsArb, ageAsOf, (given, asOf) => {
        // As given (a map of the persons' rows) and ordered by person, as the store reads them (run by run).
        for (const rows of [given, [...given].sort((a, b) => (a.psnNo < b.psnNo ? -1 : a.psnNo > b.psnNo ? 1 : 0))])
          check(rows, asOf);
      }),
      { numRuns: 300 },
    );
    function check(rows: SpecialDiseaseEnrolment[], asOf: 'year-start' | 'year-end' | 'segment-start') {
      {
        const p: CapitationPolicy = { ...policy, riskAgeAsOf: { ...policy.riskAgeAsOf, value: asOf } };
        const index = headIndex(rows, { year: YEAR, policy: p, persons: byPsn });
        // The unit-id order (ties by position) and no unit id twice (the rows' ids are unique here).
        expect([...index.order()].map((i) => index.unitIds[i])).toEqual([...index.unitIds].sort());
        expect(index.duplicate()).toBeUndefined();
        const capClass = p.capitatedDiseaseClass.value;
        const conflicted = new Set(validateEnrolments(rows, capClass).flatMap((i) => i.unitIds));
        rows.forEach((r, i) => {
          const seg = headSegment(r, YEAR);
          expect(index.segment(i)).toEqual(seg);
          expect(index.unitIds[i]).toBe(seg.unitId);
          expect(index.days[i]).toBe(seg.days);
          expect(index.yearDays).toBe(seg.yearDays);
          const payable = r.diseaseClass === capClass && seg.days > 0 && !conflicted.has(seg.unitId);
          const own = rows.filter((x) => x.psnNo === r.psnNo);
          const f = payable ? riskFactorsOf(seg, byPsn.get(r.psnNo), own, p, YEAR) : null;
          expect(index.factors(i)).toEqual(f);
          expect(index.hasFactors(i)).toBe(f !== null);
          if (f) expect(index.score(i, model)).toEqual(model.score(f));
        });
      }
    }
  });
});

/**
 * Issue 9, capitation without per-head traces: a region-year evaluates its heads without their traces (each keeps its
 * last step, the basis a statement row shows and the year end reads) and `explain` evaluates again with the whole
 * trace of the one head asked. These tests hold the two to the same figures — claims, statuses, billed, patient
 * payments, the basis step, the year end — on the worked example of test-fixtures.ts and on random enrolments.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SpecialDiseaseEnrolment } from '../../model/institution.ts';
import { type Ratio, roundOnceAndSplit, sumRatios } from '../../model/money.ts';
import type { UnitResult } from '../../model/unit-result.ts';
import { pushTo } from '../common/index-by.ts';
import {
  calibrateCapitation,
  capitationMethod,
  contractUnitId,
  enrolmentUnitId,
  evaluateCapitationHeads,
  evaluateCapitationSplits,
  evaluateFamilyDoctorHeads,
  evaluateFamilyDoctorSplits,
  type FamilyDoctorContract,
  familyDoctorMethod,
  familyDoctorYearEnd,
  type HeadLine,
  headAmount,
  headIndex,
  headLineOf,
  headLines,
  headUnits,
  personIndex,
  personOfUnit,
  settleCapitationYear,
  standardKey,
} from './index.ts';
import { actual, CAP, history, persons, planned, policy, row, spending, YEAR } from './test-fixtures.ts';

const caps = { employee: CAP, resident: 0 };
const standards = calibrateCapitation({ year: YEAR, policy, history, planned, persons, caps });
const context = { year: YEAR, policy, standards, persons, spending, mode: 'year-end' as const };

/** The words of a last step (a unit's whole step carries its figures too). */
const pick = (w: { rule: string; zh: string; en: string; clause?: string }) => ({
  rule: w.rule,
  zh: w.zh,
  en: w.en,
  clause: w.clause,
});

/** A unit as its stored row sees it: everything but the trace, and its last step. */
const withoutTrace = (u: UnitResult) => ({ ...u, explanation: u.explanation.slice(-1) });

/** Random enrolment rows around the year: switches, overlaps, both classes, a person without a record (pX). */
const day = fc.integer({ min: -40, max: 400 }).map((d) => {
  const t = new Date(Date.UTC(YEAR, 0, 1) + d * 86_400_000);
  return t.toISOString().slice(0, 10);
});
const rowArb = fc
  .record({
    psn: fc.constantFrom('p1', 'p2', 'p3', 'p4', 'pX'),
    disease: fc.constantFrom('D1', 'D2', 'D9'),
    inst: fc.constantFrom('H1', 'H2'),
    fd: fc.constantFrom('F1', 'F2'),
    a: day,
    b: day,
    cls: fc.constantFrom(1 as const, 2 as const, 2 as const),
  })
  .map((r): SpecialDiseaseEnrolment => {
    const [from, to] = r.a <= r.b ? [r.a, r.b] : [r.b, r.a];
    return { ...row(r.psn, r.disease, r.inst, r.fd, from, to), diseaseClass: r.cls };
  });
const enrolmentsArb = fc.uniqueArray(rowArb, {
  maxLength: 12,
  selector: (r) => `${r.psnNo}/${r.diseaseCode}/${r.from}`,
});

describe('R-CAP-3/5: heads evaluated without traces give the same figures (trace option)', () => {
  it('R-CAP-3: year end of the worked example — every unit equal but for the trace, which is its last step', () => {
    const full = capitationMethod.evaluate(actual, context);
    const lean = capitationMethod.evaluate(actual, { ...context, trace: false });
    expect(lean).toEqual(full.map(withoutTrace));
    expect(full.some((u) => u.explanation.length > 2)).toBe(true);
    for (const u of lean) expect(u.explanation).toHaveLength(1);
    // The year end reads the last step (R-CAP-5 marks a head without a visit): the same lines either way.
    const a = settleCapitationYear({ year: YEAR, policy, results: full, prepayments: [] });
    const b = settleCapitationYear({ year: YEAR, policy, results: lean, prepayments: [] });
    expect(b).toEqual(a);
  });

  it('R-CAP-3: one head asked (explain) gets its whole trace, the others their last step; the claims are equal', () => {
    const full = capitationMethod.evaluate(planned, { ...context, mode: 'plan' });
    const asked = full.find((u) => u.status === 'paid')!.unitId;
    const one = capitationMethod.evaluate(planned, { ...context, mode: 'plan', trace: (id) => id === asked });
    expect(one).toEqual(full.map((u) => (u.unitId === asked ? u : withoutTrace(u))));
  });

  it('R-CAP-4: family-doctor contracts the same', () => {
    const contracts: FamilyDoctorContract[] = [
      { psnNo: 'p1', institutionCode: 'F1', from: `${YEAR}-01-01`, to: `${YEAR}-12-31` },
      { psnNo: 'p2', institutionCode: 'F1', from: `${YEAR}-03-01`, to: `${YEAR}-12-31` },
      { psnNo: 'p3', institutionCode: 'F2', from: `${YEAR}-01-01`, to: `${YEAR}-06-30` },
      { psnNo: 'p4', institutionCode: 'F3', from: `${YEAR}-01-01`, to: `${YEAR}-12-31` },
    ];
    const fd = {
      year: YEAR,
      policy,
      served: contracts.slice(0, 3).map((c) => ({ psnNo: c.psnNo, institutionCode: c.institutionCode })),
      assessments: [
        { institutionCode: 'F1', score: { num: 9n, den: 10n } },
        { institutionCode: 'F3', score: { num: 1n, den: 1n } },
      ],
    };
    const full = familyDoctorMethod.evaluate(contracts, fd);
    expect(familyDoctorMethod.evaluate(contracts, { ...fd, trace: false })).toEqual(full.map(withoutTrace));
    expect(new Set(full.map((u) => u.status))).toEqual(new Set(['paid', 'ungrouped', 'excluded']));
  });

  it('R-CAP-3/5 property: on random enrolments (switches, overlaps, unknown persons) the lean units equal the traced', () => {
    fc.assert(
      fc.property(enrolmentsArb, (rows) => {
        for (const mode of ['plan', 'year-end'] as const) {
          const full = capitationMethod.evaluate(rows, { ...context, mode });
          expect(capitationMethod.evaluate(rows, { ...context, mode, trace: false })).toEqual(full.map(withoutTrace));
        }
      }),
      { numRuns: 150 },
    );
  });

  it('R-CAP-3/5 property (explain of one head): one person’s rows alone, with the splits the year issued, give the year’s units', () => {
    fc.assert(
      fc.property(enrolmentsArb, (rows) => {
        for (const mode of ['plan', 'year-end'] as const) {
          const year = evaluateCapitationSplits(rows, { ...context, mode, trace: false });
          for (const psn of new Set(rows.map((r) => r.psnNo))) {
            const own = rows.filter((r) => r.psnNo === psn);
            const alone = evaluateCapitationSplits(own, { ...context, mode, issued: year.splits });
            const traced = capitationMethod
              .evaluate(rows, { ...context, mode })
              .filter((u) => u.unitId.startsWith(`${psn}/`));
            expect(alone.units).toEqual(traced);
          }
        }
      }),
      { numRuns: 150 },
    );
  });

  it('R-CAP-4 (explain of one contract): one contract alone, with the splits the year issued, gets its issued share', () => {
    const contracts: FamilyDoctorContract[] = ['p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'p7'].map((psnNo, i) => ({
      psnNo,
      institutionCode: i < 6 ? 'F1' : 'F2',
      from: `${YEAR}-0${1 + (i % 3)}-01`,
      to: `${YEAR}-12-31`,
    }));
    // Days pro-rating with a 2/3 score makes odd fen to share out (largest remainder).
    const fd = {
      year: YEAR,
      policy: { ...policy, familyDoctorCount: { ...policy.familyDoctorCount, value: 'days' as const } },
      served: contracts.map((c) => ({ psnNo: c.psnNo, institutionCode: c.institutionCode })),
      assessments: [
        { institutionCode: 'F1', score: { num: 2n, den: 3n } },
        { institutionCode: 'F2', score: { num: 1n, den: 1n } },
      ],
    };
    const year = evaluateFamilyDoctorSplits(contracts, { ...fd, trace: false });
    const full = familyDoctorMethod.evaluate(contracts, fd);
    // Hand-computed (2021: 365 days; fee 100 元; F1 scores 2/3): p1, p4 365 days → 6666.67 fen, p2, p5 334 days →
    // 6100.46, p3, p6 306 days → 5589.04; Σ 36712.33 → 36712 half-up; floors give 36710, the two odd fen go to the
    // largest fractions (.67: p1 then p4), so p4 is the last head that took one. F2: one whole year at 1 → 10000.
    expect(YEAR).toBe(2021);
    expect(year.units.map((u) => (u.claim.kind === 'amount' ? u.claim.amount : null))).toEqual([
      6667, 6100, 5589, 6667, 6100, 5589, 10000,
    ]);
    expect(year.splits.get('F1')?.total).toBe(36712);
    expect(year.splits.get('F1')?.cutoff?.key).toBe('p4/family-doctor/2021-01-01');
    expect(year.splits.get('F2')?.cutoff).toBeNull();
    for (const c of contracts) {
      const [alone] = evaluateFamilyDoctorSplits([c], { ...fd, issued: year.splits }).units;
      expect(alone).toEqual(full.find((u) => u.unitId === alone?.unitId));
    }
    const f1 = full.filter((u) => u.institutionCode === 'F1' && u.claim.kind === 'amount');
    expect(f1.reduce((s, u) => s + (u.claim.kind === 'amount' ? u.claim.amount : 0), 0)).toBe(
      year.splits.get('F1')?.total,
    );
  });

  it('issue 9 property: heads made in batches of any size are the units of the whole evaluation, in unit-id order, and the year end streams them to the same lines (R-CAP-3/4/5)', () => {
    fc.assert(
      fc.property(enrolmentsArb, fc.integer({ min: 1, max: 5 }), fc.boolean(), (rows, size, traced) => {
        const trace = traced ? undefined : false;
        const all = evaluateCapitationSplits(rows, { ...context, trace }).units;
        const heads = evaluateCapitationHeads(rows, { ...context, trace });
        const batches = [...heads.batches(size)];
        expect(batches.every((b) => b.length <= size)).toBe(true);
        expect(batches.flat()).toEqual(all);
        // Made anew on each read: a second pass gives the same units again.
        expect([...headUnits(heads, size)]).toEqual(all);
        expect(heads.count).toBe(rows.length);
        const ids = all.map((u) => u.unitId);
        expect(ids).toEqual([...ids].sort());
        expect(settleCapitationYear({ year: YEAR, policy, results: headUnits(heads, size), prepayments: [] })).toEqual(
          settleCapitationYear({ year: YEAR, policy, results: all, prepayments: [] }),
        );
        const contracts: FamilyDoctorContract[] = rows.map((r) => ({
          psnNo: r.psnNo,
          institutionCode: r.familyDoctorInstitution ?? 'F1',
          from: r.from,
          to: r.to,
        }));
        const fd = {
          year: YEAR,
          policy,
          served: contracts
            .filter((_, i) => i % 2 === 0)
            .map((c) => ({ psnNo: c.psnNo, institutionCode: c.institutionCode })),
          assessments: [{ institutionCode: 'F1', score: { num: 9n, den: 10n } }],
          trace,
        };
        const fdAll = evaluateFamilyDoctorSplits(contracts, fd);
        const fdHeads = evaluateFamilyDoctorHeads(contracts, fd);
        expect([...fdHeads.batches(size)].flat()).toEqual(fdAll.units);
        expect(fdHeads.splits).toEqual(fdAll.splits);
        expect(familyDoctorYearEnd(headUnits(fdHeads, size), [], policy)).toEqual(
          familyDoctorYearEnd(fdAll.units, [], policy),
        );
      }),
      { numRuns: 150 },
    );
  });

  it('issue 9 property: head lines (no unit or step made per head) carry the units’ figures and last words, and the year end reads them to the same lines (R-CAP-3/4/5)', () => {
    fc.assert(
      fc.property(enrolmentsArb, fc.integer({ min: 1, max: 5 }), fc.boolean(), (rows, size, traced) => {
        const trace = traced ? undefined : false;
        const heads = evaluateCapitationHeads(rows, { ...context, trace });
        const all = [...headUnits(heads)];
        const lines = [...heads.lines(size)];
        expect(lines.every((b) => b.length <= size)).toBe(true);
        const words = (h: HeadLine) => ({ ...h, last: h.last && pick(h.last) });
        expect(lines.flat().map(words)).toEqual(all.map((u) => words(headLineOf(u))));
        expect(settleCapitationYear({ year: YEAR, policy, results: headLines(heads, size), prepayments: [] })).toEqual(
          settleCapitationYear({ year: YEAR, policy, results: all, prepayments: [] }),
        );
        const contracts: FamilyDoctorContract[] = rows.map((r) => ({
          psnNo: r.psnNo,
          institutionCode: r.familyDoctorInstitution ?? 'F1',
          from: r.from,
          to: r.to,
        }));
        const fdHeads = evaluateFamilyDoctorHeads(contracts, {
          year: YEAR,
          policy,
          served: contracts.filter((_, i) => i % 3 !== 1),
          assessments: [{ institutionCode: 'F1', score: { num: 9n, den: 10n } }],
          trace,
        });
        const fdUnits = [...headUnits(fdHeads)];
        expect([...headLines(fdHeads, size)].map(words)).toEqual(fdUnits.map((u) => words(headLineOf(u))));
        expect(familyDoctorYearEnd(headLines(fdHeads, size), [], policy)).toEqual(
          familyDoctorYearEnd(fdUnits, [], policy),
        );
      }),
      { numRuns: 150 },
    );
  });

  it('issue 9 property: each institution’s exact total is Σ of its heads’ exact amounts (rate × weight × days ÷ year days), and the heads’ shares are its largest-remainder split (R-CAP-3)', () => {
    fc.assert(
      fc.property(enrolmentsArb, (rows) => {
        const heads = evaluateCapitationHeads(rows, { ...context, trace: false });
        const index = headIndex(rows, { year: YEAR, policy, persons: personIndex(persons) });
        const exact = new Map<string, { id: string; e: Ratio }[]>();
        const paid = new Set([...headUnits(heads)].filter((u) => u.status === 'paid').map((u) => u.unitId));
        rows.forEach((r, i) => {
          if (!paid.has(index.unitIds[i]!)) return;
          const rate = standards.rates.get(standardKey(r.insuranceType, r.diseaseCode))!;
          const e = headAmount(
            rate,
            standards.riskModel.score(index.factors(i)!).weight,
            index.days[i]!,
            index.yearDays,
          );
          pushTo(exact, r.treatingInstitution, { id: index.unitIds[i]!, e });
        });
        expect([...heads.splits.keys()].sort()).toEqual([...exact.keys()].sort());
        const codes = [...exact.keys()].sort();
        const region = roundOnceAndSplit(
          codes.map((c) => sumRatios(exact.get(c)!.map((x) => x.e))),
          'floor',
        );
        const amounts = new Map(
          [...headUnits(heads)].map((u) => [u.unitId, u.claim.kind === 'amount' ? u.claim.amount : -1]),
        );
        codes.forEach((c, k) => {
          const parts = exact.get(c)!.sort((a, b) => (a.id < b.id ? -1 : 1));
          expect(heads.splits.get(c)!.exact).toEqual(sumRatios(parts.map((x) => x.e)));
          expect(heads.splits.get(c)!.total).toBe(region.parts[k]);
          const sum = sumRatios(parts.map((x) => x.e));
          // Each head's share is the floor of its quota or one fen more, and they add up to the institution's total.
          let given = 0;
          for (const x of parts) {
            const a = amounts.get(x.id)!;
            const floor = Number((BigInt(region.parts[k]!) * x.e.num * sum.den) / (x.e.den * sum.num));
            expect(a === floor || a === floor + 1).toBe(true);
            given += a;
          }
          expect(given).toBe(region.parts[k]);
        });
      }),
      { numRuns: 200 },
    );
  });

  it('issue 9: a head’s person read back from its unit id (enrolment and contract ids, a slash in the person number)', () => {
    expect(personOfUnit(enrolmentUnitId(row('p1', 'D1', 'H1', 'F1', `${YEAR}-01-01`, `${YEAR}-12-31`)))).toBe('p1');
    expect(personOfUnit(contractUnitId({ psnNo: 'a/b', institutionCode: 'F1', from: `${YEAR}-03-01`, to: '' }))).toBe(
      'a/b',
    );
    expect(() => personOfUnit('p1')).toThrow(RangeError);
    expect(() => personOfUnit('p1/D1')).toThrow(RangeError);
  });
});

describe('R-CAP-2: a head’s risk step names its cell with the policy’s age threshold', () => {
  it('riskAgeThreshold 70: the cell reads 70 岁… / … 70 …, never 65, and the step keeps the threshold', () => {
    const p70 = { ...policy, riskAgeThreshold: { ...policy.riskAgeThreshold, value: 70 } };
    const s70 = calibrateCapitation({ year: YEAR, policy: p70, history, planned, persons, caps });
    const units = capitationMethod.evaluate(actual, { ...context, policy: p70, standards: s70 });
    const risk = units.flatMap((u) => u.explanation).filter((st) => st.rule === 'R-CAP-2');
    expect(risk.length).toBeGreaterThan(0);
    for (const st of risk) {
      expect(st.zh).toMatch(/→ 70 岁(及以上|以下)、[有无]一类门特$/);
      expect(st.en).toMatch(/→ (70 and over|under 70), with(out)? a class-1 disease$/);
      expect(st.values?.riskAgeThreshold).toBe(70);
    }
  });
});

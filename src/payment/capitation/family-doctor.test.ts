import { describe, expect, it } from 'vitest';
import { ratio } from '../../model/money.ts';
import { familyDoctorContracts, familyDoctorMethod, familyDoctorMidYear, familyDoctorYearEnd } from './index.ts';
import { actual, policy, row, YEAR } from './test-fixtures.ts';

// 攀枝花 四(四)2: 100 元/人·年; 四(五)1: 50 % prepaid mid-year on the contracts; 四(六)1: the rest at year end for
// contracted persons served, with the assessment result, less the mid-year prepayment.
// Contracts of the fixture year: F1 — p1, p2, p4, pS (pS's two rows both name F1: one contract all year);
//   F2 — p5, p6, p7, p9, p10 (from 1 Oct); H1 — p3 (treating and family doctor at the same institution); p8 none.
const { contracts, conflicts } = familyDoctorContracts(actual, YEAR, 2);
const midYear = familyDoctorMidYear(contracts, policy, YEAR);
const served = [
  ...['p1', 'p2', 'p4', 'pS'].map((psnNo) => ({ psnNo, institutionCode: 'F1' })),
  ...['p5', 'p6', 'p7', 'p10'].map((psnNo) => ({ psnNo, institutionCode: 'F2' })), // p9 not served
  { psnNo: 'p3', institutionCode: 'H1' },
];
const assessments = [
  { institutionCode: 'F1', score: ratio(9n, 10n) },
  { institutionCode: 'F2', score: ratio(1n) },
  { institutionCode: 'H1', score: ratio(8n, 10n) },
];
const results = familyDoctorMethod.evaluate(contracts, { year: YEAR, policy, served, assessments });
const yearEnd = familyDoctorYearEnd(results, midYear, policy);

describe('R-CAP-4 family-doctor fee schedule (攀枝花 四(四)2, 四(五)1, 四(六)1)', () => {
  it('R-CAP-3: contracts merge a person’s rows naming the same institution (pS keeps F1 across his switch)', () => {
    expect(conflicts).toEqual([]);
    expect(contracts.find((c) => c.psnNo === 'pS')).toEqual({
      psnNo: 'pS',
      institutionCode: 'F1',
      from: '2021-01-01',
      to: '2021-12-31',
    });
    expect(contracts.map((c) => c.institutionCode).sort()).toEqual([
      ...Array(4).fill('F1'),
      ...Array(5).fill('F2'),
      'H1',
    ]);
  });

  it('R-CAP-4: mid-year (30 June) 50 %: F1 4 × 100 × 50 % = 200.00, F2 4 (p10 not yet) = 200.00, H1 1 = 50.00', () => {
    expect(midYear.map((m) => [m.institutionCode, m.heads, m.prepay])).toEqual([
      ['F1', 4, 20_000],
      ['F2', 4, 20_000],
      ['H1', 1, 5000],
    ]);
  });

  it('R-CAP-4: year end by served persons × assessment: F1 4 × 100 × 0.9 = 360.00 → 160.00 after the prepayment', () => {
    expect(yearEnd.find((l) => l.institutionCode === 'F1')).toMatchObject({
      servedHeads: 4,
      entitlement: 36_000,
      prepaid: 20_000,
      balance: 16_000,
    });
  });

  it('四(六)1 按年度签约并提供服务总人数和人头标准计算 (familyDoctorCount: heads, the default): F2 4 served heads × 100.00 = 400.00, p10 (from 1 Oct) a whole head; p9 not served → 200.00 after the prepayment', () => {
    expect(policy.familyDoctorCount.value).toBe('heads');
    const p10 = results.find((r) => r.unitId === 'p10/family-doctor/2021-10-01')!;
    expect(p10.claim).toEqual({ kind: 'amount', amount: 10_000 });
    expect(results.find((r) => r.unitId === 'p9/family-doctor/2021-01-01')!.status).toBe('excluded');
    expect(yearEnd.find((l) => l.institutionCode === 'F2')).toMatchObject({
      servedHeads: 4,
      entitlement: 40_000,
      balance: 20_000,
    });
  });

  it('四(六)4 by days (familyDoctorCount: days): F2 3 × 100.00 + p10 100 × 92/365 = 25.2055 → 325.21 rounded once per institution; 125.21 after the prepayment', () => {
    const byDays = { ...policy, familyDoctorCount: { value: 'days' as const, source: 'test' } };
    const r = familyDoctorMethod.evaluate(contracts, { year: YEAR, policy: byDays, served, assessments });
    const p10 = r.find((x) => x.unitId === 'p10/family-doctor/2021-10-01')!;
    expect(p10.claim).toEqual({ kind: 'amount', amount: 2521 });
    expect(familyDoctorYearEnd(r, midYear, byDays).find((l) => l.institutionCode === 'F2')).toMatchObject({
      servedHeads: 4,
      entitlement: 32_521,
      balance: 12_521,
    });
  });

  it('四(六)1 round once per institution: three days-based contracts of 1/3 fen each sum to 1 fen, not 0', () => {
    const third = {
      ...policy,
      familyDoctorFee: { value: 1, source: 'test' },
      familyDoctorCount: { value: 'days' as const, source: 'test' },
    };
    const cs = ['a', 'b', 'c'].map((psnNo) => ({ psnNo, institutionCode: 'X', from: '2021-01-01', to: '2021-05-01' }));
    // 1 fen × 121/365 = 0.3315 fen each; Σ 0.9945 → 1 fen once for the institution (per contract it would be 0 + 0 + 0)
    const r = familyDoctorMethod.evaluate(cs, {
      year: YEAR,
      policy: third,
      served: cs.map((c) => ({ psnNo: c.psnNo, institutionCode: 'X' })),
      assessments: [{ institutionCode: 'X', score: ratio(1n) }],
    });
    expect(r.map((x) => (x.claim.kind === 'amount' ? x.claim.amount : -1))).toEqual([1, 0, 0]);
  });

  it('R-CAP-4: H1 1 × 100 × 0.8 = 80.00 → 30.00 after the prepayment; the patient pays nothing (R-CAP-6)', () => {
    expect(yearEnd.find((l) => l.institutionCode === 'H1')).toMatchObject({ entitlement: 8000, balance: 3000 });
    expect(results.every((r) => r.billed === 0 && r.patientPaid === 0)).toBe(true);
  });

  it('R-CAP-4: an institution without an assessment result is not paid yet (ungrouped), never guessed', () => {
    const r = familyDoctorMethod.evaluate(contracts, {
      year: YEAR,
      policy,
      served,
      assessments: assessments.slice(0, 2),
    });
    expect(r.find((x) => x.institutionCode === 'H1')!.status).toBe('ungrouped');
  });

  it('R-CAP-4: a contract is served by its own person at its own institution — codes holding "|" are not joined into one key', () => {
    // Served: person "a|b" at institution "c". The contract of person "a" at institution "b|c" was not served
    // ("a|b" + "c" and "a" + "b|c" read alike as one text "a|b|c"); the contract of "a|b" at "c" was.
    const two = [
      { psnNo: 'a', institutionCode: 'b|c', from: `${YEAR}-01-01`, to: `${YEAR}-12-31` },
      { psnNo: 'a|b', institutionCode: 'c', from: `${YEAR}-01-01`, to: `${YEAR}-12-31` },
    ];
    const r = familyDoctorMethod.evaluate(two, {
      year: YEAR,
      policy,
      served: [{ psnNo: 'a|b', institutionCode: 'c' }],
      assessments: [
        { institutionCode: 'b|c', score: ratio(1n) },
        { institutionCode: 'c', score: ratio(1n) },
      ],
    });
    expect(r.map((u) => [u.unitId, u.status, u.claim.kind === 'amount' ? u.claim.amount : null])).toEqual([
      [`a/family-doctor/${YEAR}-01-01`, 'excluded', 0],
      [`a|b/family-doctor/${YEAR}-01-01`, 'paid', 10000],
    ]);
  });

  it('R-CAP-3: two family-doctor institutions at once is a conflict; those rows make no contract', () => {
    const rows = [row('x1', 'D1', 'H1', 'F1'), row('x1', 'D2', 'H1', 'F2')];
    const r = familyDoctorContracts(rows, YEAR, 2);
    expect(r.contracts).toEqual([]);
    expect(r.conflicts).toEqual(['x1/D1/2021-01-01', 'x1/D2/2021-01-01']);
  });
});

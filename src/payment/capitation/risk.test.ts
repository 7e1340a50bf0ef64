import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { InsuredPerson, SpecialDiseaseEnrolment } from '../../model/institution.ts';
import { ONE, ratio } from '../../model/money.ts';
import type { UnitResult } from '../../model/unit-result.ts';
import { addDays } from '../common/period.ts';
import { calibrateCapitation, capitationMethod, linearRiskModel } from './index.ts';
import { CAP, history, persons, planned, policy, row, YEAR } from './test-fixtures.ts';
import type { CapitationHistoryHead, CapitationPolicy } from './types.ts';

const sumClaims = (rs: readonly UnitResult[]) =>
  rs.reduce((s, r) => s + (r.claim.kind === 'amount' ? r.claim.amount : 0), 0);
const caps = { employee: CAP, resident: 0 };

describe('R-CAP-2 a pluggable risk model (攀枝花 四(四)1(2) "可将……逐步纳入风险调整因素")', () => {
  // Linear model: 0.8 + 0.3 × [age ≥ 65] + 0.4 × [class-1] → <65 0.8, 65+ 1.1, <65 class-1 1.2, 65+ class-1 1.5.
  // Only p4 (66y, class-1, D2) differs from the cells: 6000 × 1.5 instead of × 1.2 → expected 39900 + 1800 = 41700.00,
  // factor 49875/41700 = 1.196043…, D1 3000 × f = 3588.129… → 3588.12, D2 7176.258… → 7176.25 (rounded down).
  const model = linearRiskModel({
    intercept: ratio(8n, 10n),
    age65: ratio(3n, 10n),
    class1: ratio(4n, 10n),
    ageThreshold: 65,
    source: '攀枝花医保 二类门特按病种结合人头付费试行办法 四(四)1(2)',
  });
  const s = calibrateCapitation({ year: YEAR, policy, history, planned, persons, caps, riskModel: model });
  const plan = capitationMethod.evaluate(planned, {
    year: YEAR,
    policy,
    standards: s,
    persons,
    spending: [],
    mode: 'plan',
  });

  it('R-CAP-2: a regression-style model plugs in and the corrected rates follow it (3588.12 / 7176.25)', () => {
    expect([...s.rates]).toEqual([
      ['employee|D1', 358_812],
      ['employee|D2', 717_625],
    ]);
    const p4 = plan.find((r) => r.unitId === 'p4/D2/2021-01-01')!;
    expect(p4.claim).toEqual({ kind: 'amount', amount: 1_076_437 }); // 7176.25 × 1.5 = 10764.375 → 10764.37
  });

  it('R-CAP-2: the total stays inside the cap, short of it only by rounding (< 1 fen per head and rate)', () => {
    const total = sumClaims(plan);
    expect(total).toBeLessThanOrEqual(CAP);
    expect(CAP - total).toBeLessThan(10 * 3);
  });
});

describe('R-CAP-3 a switch of insurance type (转换险种, 攀枝花 四(六)4)', () => {
  // Each fund has its own standards and cap. Weights all 1 and `not-above-cap` with ample caps keep the factor 1:
  // employee D1 3000.00 × 181/365 = 1487.67; resident D1 2000.00 × 184/365 = 1008.219… → 1008.21.
  const flat: CapitationPolicy = {
    ...policy,
    riskWeights: {
      value: {
        method: 'table',
        cells: [false, true].flatMap((age65) => [false, true].map((class1) => ({ age65, class1, weight: ONE }))),
      },
      source: 'test',
    },
    baseRateCorrection: { value: 'not-above-cap', source: 'test' },
  };
  const hist: CapitationHistoryHead[] = [
    {
      psnNo: 'e',
      insuranceType: 'employee',
      diseaseCode: 'D1',
      ageYears: 50,
      sex: '1',
      hasClass1: false,
      fundPay: 300_000,
      outpatientAdjustment: 0,
    },
    {
      psnNo: 'r',
      insuranceType: 'resident',
      diseaseCode: 'D1',
      ageYears: 50,
      sex: '2',
      hasClass1: false,
      fundPay: 190_000,
      outpatientAdjustment: 10_000,
    },
  ];
  const rows: SpecialDiseaseEnrolment[] = [
    row('p1', 'D1', 'H1', 'F1', '2021-01-01', '2021-06-30'),
    { ...row('p1', 'D1', 'H1', 'F1', '2021-07-01', '2021-12-31'), insuranceType: 'resident' },
  ];
  const s = calibrateCapitation({
    year: YEAR,
    policy: flat,
    history: hist,
    planned: rows,
    persons,
    caps: { employee: 10_000_000, resident: 10_000_000 },
  });
  it('R-CAP-3: each segment is paid from its own fund’s standard, pro-rated by days', () => {
    const r = capitationMethod.evaluate(rows, {
      year: YEAR,
      policy: flat,
      standards: s,
      persons,
      spending: [],
      mode: 'plan',
    });
    expect(r.map((x) => [x.unitId, x.claim])).toEqual([
      ['p1/D1/2021-01-01', { kind: 'amount', amount: 148_767 }],
      ['p1/D1/2021-07-01', { kind: 'amount', amount: 100_822 }], // 100821.92 fen: the region's one fen of remainder
    ]);
    expect(s.corrections.map((c) => c.factor)).toEqual([ONE, ONE]);
  });
});

describe('R-CAP-2 property: the corrected base rate keeps any enrolment inside the cap', () => {
  const people: InsuredPerson[] = Array.from({ length: 12 }, (_, i) => ({
    psnNo: `q${i}`,
    sex: i % 2 ? '1' : '2',
    birthDate: `${1940 + i * 5}-0${(i % 9) + 1}-15`,
    insuranceType: 'employee',
    county: 'X',
  }));
  const segment = fc.record({
    person: fc.integer({ min: 0, max: 11 }),
    disease: fc.constantFrom('D1', 'D2'),
    inst: fc.constantFrom('H1', 'H2', 'H3'),
    start: fc.integer({ min: 0, max: 364 }),
    length: fc.integer({ min: 0, max: 364 }),
    class1: fc.boolean(),
  });
  it('R-CAP-2: Σ heads ≤ cap, and cap − Σ heads < 3 fen per head (fill-cap)', () => {
    fc.assert(
      fc.property(
        fc.array(segment, { minLength: 1, maxLength: 12 }),
        fc.integer({ min: 1, max: 50_000_000 }),
        (segs, cap) => {
          const used = new Set<number>();
          const rows: SpecialDiseaseEnrolment[] = [];
          for (const g of segs) {
            if (used.has(g.person)) continue; // one row per person keeps the enrolment valid
            used.add(g.person);
            const from = addDays('2021-01-01', g.start);
            const to = addDays(from, g.length) > '2021-12-31' ? '2021-12-31' : addDays(from, g.length);
            rows.push(row(`q${g.person}`, g.disease, g.inst, undefined, from, to));
            if (g.class1) rows.push(row(`q${g.person}`, 'C1', g.inst, undefined, from, to, 1));
          }
          const s = calibrateCapitation({
            year: YEAR,
            policy,
            history,
            planned: rows,
            persons: people,
            caps: { employee: cap, resident: 0 },
          });
          const r = capitationMethod.evaluate(rows, {
            year: YEAR,
            policy,
            standards: s,
            persons: people,
            spending: [],
            mode: 'plan',
          });
          const total = sumClaims(r);
          const heads = r.filter((x) => x.status === 'paid').length;
          expect(total).toBeLessThanOrEqual(cap);
          expect(cap - total).toBeLessThan(3 * heads + 1); // per head: < 1 fen × weight (rate floor) + 1 fen (head floor)
        },
      ),
      { numRuns: 200 },
    );
  });
});

import { describe, expect, it } from 'vitest';
import { formatRatio, ratio } from '../../model/money.ts';
import type { UnitResult } from '../../model/unit-result.ts';
import { capitationKind } from '../../policy/kinds/capitation.ts';
import { resolvePolicyFile } from '../testing.ts';
import {
  attributeSpending,
  calibrateCapitation,
  capitationCaps,
  capitationMethod,
  capitationPlanTotals,
  capitationPrepayments,
  enrolmentUnitId,
  settleCapitationYear,
  summariseAttribution,
  validateEnrolments,
} from './index.ts';
import { actual, CAP, history, persons, planned, policy, row, spending, YEAR } from './test-fixtures.ts';

// The worked example is in test-fixtures.ts; expectations below repeat the numbers they check.
const caps = { employee: CAP, resident: 0 };
const standards = calibrateCapitation({ year: YEAR, policy, history, planned, persons, caps });
const plan = capitationMethod.evaluate(planned, { year: YEAR, policy, standards, persons, spending: [], mode: 'plan' });
const planTotals = capitationPlanTotals(planned, { year: YEAR, policy, standards, persons, spending: [] });
const prepayments = capitationPrepayments(planTotals, policy, YEAR);
const yearEnd = capitationMethod.evaluate(actual, {
  year: YEAR,
  policy,
  standards,
  persons,
  spending,
  mode: 'year-end',
});
const attribution = attributeSpending(spending, actual, 2);
const settlement = settleCapitationYear({
  year: YEAR,
  policy,
  results: yearEnd,
  prepayments,
  unattributed: attribution.unattributed,
});
const amountOf = (results: readonly UnitResult[], id: string) => {
  const r = results.find((x) => x.unitId === id)!;
  return r.claim.kind === 'amount' ? r.claim.amount : Number.NaN;
};
const line = (code: string) => settlement.lines.find((l) => l.institutionCode === code)!;

describe('R-CAP-1 per-disease per-head standards (攀枝花 四(四)1(1))', () => {
  it('R-CAP-1: (统筹支付 + 门诊调增费用) ÷ 结算人数 → D1 18000.00/6 = 3000.00, D2 12000.00/2 = 6000.00', () => {
    const d1 = standards.history.get('employee|D1')!;
    const d2 = standards.history.get('employee|D2')!;
    expect([d1.heads, d1.fundPay, d1.outpatientAdjustment]).toEqual([6, 1_770_000, 30_000]);
    expect(d1.perHead).toEqual(ratio(300_000n));
    expect([d2.heads, d2.perHead]).toEqual([2, ratio(600_000n)]);
  });
});

describe('R-CAP-2 risk adjustment and the corrected base rate (攀枝花 四(四)1(2)(3))', () => {
  it('R-CAP-2: cell weights = observed ÷ expected: 0.8 / 1.1 / 1.2 / 1.2', () => {
    expect(standards.riskModel.parameters()).toEqual({
      'age<65/no-class1': '0.800000',
      'age<65/class1': '1.200000',
      'age65+/no-class1': '1.100000',
      'age65+/class1': '1.200000',
    });
  });

  it('R-CAP-2: the correction steps name the fund and the correction in words, no policy enum in zh', () => {
    const texts = standards.steps.filter((s) => s.zh.startsWith('校正系数'));
    expect(texts.map((s) => s.zh)).toEqual([
      '校正系数（职工医保）= 总控额度 ÷ 风险调整后期望总额（按总控额度校正，可上调可下调）',
      '校正系数（居民医保）= 总控额度 ÷ 风险调整后期望总额（按总控额度校正，可上调可下调）',
    ]);
    expect(texts[0]!.en).toContain('(employee insurance)');
  });

  it('R-CAP-2: age exactly 65 on 1 January is in the older cell, 64 is not', () => {
    const cell = (id: string) =>
      plan.find((r) => r.unitId === id)!.explanation.find((s) => s.rule === 'R-CAP-2')!.values!.cell;
    expect(cell('p6/D2/2021-01-01')).toBe('age65+/no-class1');
    expect(cell('p7/D1/2021-01-01')).toBe('age<65/no-class1');
    expect(cell('p5/D1/2021-01-01')).toBe('age<65/class1');
  });

  it('R-CAP-2: expected 39900.00 against the cap 49875.00 → factor 1.25 → D1 3750.00, D2 7500.00', () => {
    const emp = standards.corrections.find((c) => c.insuranceType === 'employee')!;
    expect(emp.expected).toEqual(ratio(3_990_000n));
    expect(formatRatio(emp.factor, 6)).toBe('1.250000');
    expect([...standards.rates]).toEqual([
      ['employee|D1', 375_000],
      ['employee|D2', 750_000],
    ]);
  });

  it('R-CAP-2: the planned heads add up to the cap exactly (49875.00) and never above it', () => {
    expect(plan.reduce((s, r) => s + (r.claim.kind === 'amount' ? r.claim.amount : 0), 0)).toBe(CAP);
    expect(amountOf(plan, 'p2/D1/2021-01-01')).toBe(412_500); // 3750 × 1.1
    expect(amountOf(plan, 'p4/D2/2021-01-01')).toBe(900_000); // 7500 × 1.2
  });

  it('R-CAP-4: the plan’s institution totals (without units) are what the planned heads’ amounts add up to', () => {
    const fromUnits = new Map<string, { total: number; heads: number }>();
    for (const r of plan) {
      if (r.status !== 'paid' || r.claim.kind !== 'amount') continue;
      const t = fromUnits.get(r.institutionCode) ?? { total: 0, heads: 0 };
      fromUnits.set(r.institutionCode, { total: t.total + r.claim.amount, heads: t.heads + 1 });
    }
    expect([...planTotals]).toEqual([...fromUnits].sort(([a], [b]) => (a < b ? -1 : 1)));
    expect([...planTotals.values()].reduce((s, t) => s + t.total, 0)).toBe(CAP);
  });

  it('R-CAP-1: the cap comes with the budget when the policy states no share (四(三)1) — a loud error without it', () => {
    expect(() => capitationCaps(policy, {})).toThrow(/四\(三\)1/);
    expect(() => capitationCaps(policy, {})).toThrow(/capAmount/);
  });

  it('R-CAP-1: a region that states a share derives the cap from each fund’s budget (demo 3.6 %, rounded down)', () => {
    const demo = resolvePolicyFile(capitationKind, 'policies/demo/capitation-2025.yaml', '2025-06-30');
    // 10,000,000.33 × 3.6 % = 360,000.01188 → 360,000.01; 5,000,000.00 × 3.6 % = 180,000.00
    expect(capitationCaps(demo, { fundBudgets: { employee: 1_000_000_033, resident: 500_000_000 } })).toEqual({
      employee: 36_000_001,
      resident: 18_000_000,
    });
  });

  it('R-CAP-1: a class-1 row is a risk factor only, not a capitated head', () => {
    const r = plan.find((x) => x.unitId === 'p4/C1X/2021-01-01')!;
    expect(r).toMatchObject({ status: 'excluded', claim: { kind: 'amount', amount: 0 } });
  });
});

describe('R-CAP-4 monthly prepayment, 95 % of the annual total ÷ 12 (攀枝花 四(五)1)', () => {
  it('R-CAP-4: H1 25125.00 → 2093.75 a month; 95 % = 23868.75 → 1989.07 in Jan–Mar, 1989.06 after', () => {
    const h1 = prepayments.find((p) => p.institutionCode === 'H1')!;
    expect([h1.heads, h1.annualTotal, h1.prepaidTotal]).toEqual([5, 2_512_500, 2_386_875]);
    expect(h1.months.map((m) => m.monthlyTotal)).toEqual(Array(12).fill(209_375));
    expect(h1.months.map((m) => m.prepay)).toEqual([...Array(3).fill(198_907), ...Array(9).fill(198_906)]);
    expect(h1.months.map((m) => m.month)).toEqual(
      Array.from({ length: 12 }, (_, i) => `2021-${String(i + 1).padStart(2, '0')}`),
    );
  });

  it('R-CAP-4: H2 18750.00 → 95 % = 17812.50 → 1484.38 in Jan–Jun, 1484.37 in Jul–Dec (the months add up)', () => {
    const h2 = prepayments.find((p) => p.institutionCode === 'H2')!;
    expect(h2.prepaidTotal).toBe(1_781_250);
    expect(h2.months.map((m) => m.prepay)).toEqual([...Array(6).fill(148_438), ...Array(6).fill(148_437)]);
    expect(h2.months.reduce((s, m) => s + m.prepay, 0)).toBe(h2.prepaidTotal);
  });
});

describe('R-CAP-3 switches pro-rated by days (攀枝花 四(六)4)', () => {
  it('R-CAP-3 四(六)4: pS switches H1 → H4 on 1 July: 3000.00 × 181/365 = 1487.6712 at H1, × 184/365 = 1512.3288 at H4 — rounded once, the two add up to the whole standard 3000.00', () => {
    expect(amountOf(yearEnd, 'pS/D1/2021-01-01')).toBe(148_767);
    expect(amountOf(yearEnd, 'pS/D1/2021-07-01')).toBe(151_233);
    expect(amountOf(yearEnd, 'pS/D1/2021-01-01') + amountOf(yearEnd, 'pS/D1/2021-07-01')).toBe(300_000);
    expect(yearEnd.find((r) => r.unitId === 'pS/D1/2021-07-01')!.institutionCode).toBe('H4');
  });

  it('R-CAP-3: p10 enters on 1 October: 3000.00 × 92/365 = 756.16', () => {
    expect(amountOf(yearEnd, 'p10/D1/2021-10-01')).toBe(75_616);
  });

  it('R-CAP-3: a switch of disease on 1 July: D1 3000.00 × 181/365 = 1487.67, D2 6000.00 × 184/365 = 3024.65', () => {
    const rows = [
      row('p1', 'D1', 'H1', 'F1', '2021-01-01', '2021-06-30'),
      row('p1', 'D2', 'H1', 'F1', '2021-07-01', '2021-12-31'),
    ];
    const r = capitationMethod.evaluate(rows, { year: YEAR, policy, standards, persons, spending: [], mode: 'plan' });
    expect(r.map((x) => [x.unitId, x.claim])).toEqual([
      ['p1/D1/2021-01-01', { kind: 'amount', amount: 148_767 }],
      ['p1/D2/2021-07-01', { kind: 'amount', amount: 302_465 }],
    ]);
  });

  it('R-CAP-3: two treating institutions at the same time is a conflict: neither row is paid until corrected', () => {
    const rows = [row('p1', 'D1', 'H1', 'F1'), row('p1', 'D2', 'H2', 'F1')];
    expect(validateEnrolments(rows, 2).map((i) => i.code)).toEqual(['ENROL_TWO_TREATING']);
    const r = capitationMethod.evaluate(rows, { year: YEAR, policy, standards, persons, spending: [], mode: 'plan' });
    expect(r.map((x) => x.status)).toEqual(['ungrouped', 'ungrouped']);
  });

  it('R-CAP-3: the treating and the family-doctor institution may differ (p1: H1 and F1) without a conflict', () => {
    expect(validateEnrolments(actual, 2)).toEqual([]);
  });

  it('R-CAP-3: the same issues whether the rows come ordered by person (the store’s order) or not', () => {
    // qa: D1 rows overlap (ENROL_OVERLAP) and D2 at H2 beside D1 at H1 (ENROL_TWO_TREATING); qb: a bad period and
    // two family doctors at once; qc: one row.
    const byPerson = [
      row('qa', 'D1', 'H1', 'F1', '2021-01-01', '2021-06-30'),
      row('qa', 'D1', 'H1', 'F1', '2021-06-01', '2021-12-31'),
      row('qa', 'D2', 'H2', 'F1', '2021-03-01', '2021-03-31'),
      row('qb', 'D1', 'H1', 'F1', '2021-05-01', '2021-04-01'),
      row('qb', 'D1', 'H1', 'F1', '2021-01-01', '2021-12-31'),
      row('qb', 'D2', 'H1', 'F2', '2021-01-01', '2021-12-31'),
      row('qc', 'D1', 'H3', undefined),
    ];
    const issues = validateEnrolments(byPerson, 2);
    expect(issues.map((i) => [i.code, i.unitIds])).toEqual([
      ['ENROL_BAD_PERIOD', ['qb/D1/2021-05-01']],
      ['ENROL_OVERLAP', ['qa/D1/2021-01-01', 'qa/D1/2021-06-01']],
      ['ENROL_TWO_FAMILY_DOCTOR', ['qb/D1/2021-01-01', 'qb/D2/2021-01-01']],
      ['ENROL_TWO_TREATING', ['qa/D1/2021-01-01', 'qa/D2/2021-03-01']],
    ]);
    const shuffled = [5, 1, 6, 3, 0, 4, 2].map((k) => byPerson[k]!);
    expect(validateEnrolments(shuffled, 2)).toEqual(issues);
  });
});

describe('R-CAP-5 year end by actual heads (攀枝花 四(六)1–3)', () => {
  it('R-CAP-5: p9 never visited → not an actual head; his amount is shown, not paid', () => {
    const r = yearEnd.find((x) => x.unitId === 'p9/D1/2021-01-01')!;
    expect(r.status).toBe('excluded');
    expect(r.explanation.at(-1)!.values).toMatchObject({ wouldBe: '3000.00' });
  });

  it('R-CAP-5: visits that fit no head are listed with the reason (p1 at H2; p9 for D2)', () => {
    expect(settlement.unattributed.map((u) => [u.visit.setlId, u.en])).toEqual([
      ['v12', 'visit at H2, not the treating institution H1 chosen that day'],
      ['v13', 'no entitlement for disease D2 that day'],
    ]);
  });

  it('R-CAP-5: surplus — H1 total 23612.67, spending 20000.00: keeps 80 % of 3612.67 = 2890.14 → fund pays 22890.14', () => {
    const l = line('H1');
    expect([l.heads, l.total, l.fundSpending]).toEqual([5, 2_361_267, 2_000_000]);
    expect([l.sharing.surplus, l.fundPays, l.sharing.fundRetains]).toEqual([361_267, 2_289_014, 72_253]);
    // prepaid 23868.75 → clearing −978.61 (the institution pays back)
    expect([l.prepaid, l.clearing]).toEqual([2_386_875, -97_861]);
  });

  it('R-CAP-5: overspend of 6 % — H2 total 15750.00, spending 16695.00: fund bears 40 % of 945.00 = 378.00', () => {
    const l = line('H2');
    expect([l.heads, l.notCounted, l.total, l.fundSpending]).toEqual([3, 1, 1_575_000, 1_669_500]);
    expect(l.sharing.lines.map((b) => [b.amount, b.shared])).toEqual([[94_500, 37_800]]);
    expect([l.fundPays, l.sharing.institutionBears]).toEqual([1_612_800, 56_700]);
    // prepaid 17812.50 (planned with p9) → clearing 16128.00 − 17812.50 = −1684.50
    expect(l.clearing).toBe(-168_450);
  });

  it('R-CAP-5: overspend of 15 % — H3 total 6000.00, spending 6900.00: 40 % of the first 600.00 = 240.00; the other 300.00 is the institution’s', () => {
    const l = line('H3');
    expect(l.sharing.lines.map((b) => [b.from, b.to, b.shared])).toEqual([
      [0, 60_000, 24_000],
      [60_000, 90_000, 0],
    ]);
    expect([l.fundPays, l.sharing.institutionBears, l.prepaid, l.clearing]).toEqual([624_000, 66_000, 570_000, 54_000]);
  });

  it('R-CAP-5 四(四)1(3): mid-year arrivals only — H4 total = 3000.00 × (184 + 92)/365 = 2268.4932 → 2268.49 (rounded once, not 1512.32 + 756.16), spending 2000.00 → fund pays 2000.00 + 268.49 × 80 % = 2214.79', () => {
    const l = line('H4');
    expect([l.heads, l.total, l.fundSpending, l.fundPays, l.prepaid, l.clearing]).toEqual([
      2, 226_849, 200_000, 221_479, 0, 221_479,
    ]);
  });

  it('R-CAP-5: every institution balances: fund pays = prepaid + clearing; spending + sharing = fund pays', () => {
    for (const l of settlement.lines) {
      expect(l.prepaid + l.clearing).toBe(l.fundPays);
      if (l.sharing.surplus > 0) expect(l.fundPays + l.sharing.fundRetains).toBe(l.total);
      else expect(l.fundPays + l.sharing.institutionBears).toBe(l.fundSpending);
    }
    expect(settlement.totals.fundPays).toBe(2_289_014 + 1_612_800 + 624_000 + 221_479);
  });
});

describe('R-CAP-3 a head’s spending read by segment position (issue 9: no look-up by unit id per head)', () => {
  // The store's sums by segment (`SpendingSummary.bySegment`): the capitated rows of `actual` in order, each with its
  // visits summed as attributeSpending sums them (p1 5000.00 + 500.00 billed over, pS 2000.00 before the switch …).
  const summary = summariseAttribution(attribution);
  const segmentRows = actual.filter((r) => r.diseaseClass === 2);
  const column = (f: 'visits' | 'billed' | 'fundPayable') =>
    Float64Array.from(segmentRows, (r) => summary.byUnit.get(enrolmentUnitId(r))?.[f] ?? 0);
  const bySegment = {
    rows: segmentRows,
    visits: column('visits'),
    billed: column('billed'),
    fundPayable: column('fundPayable'),
  };
  const context = { year: YEAR, policy, standards, persons, spending: [], mode: 'year-end' as const, trace: false };

  it('R-CAP-3: the same units as by unit id (p1 billed 5500.00, patient 500.00; p9 not visited), byUnit never read', () => {
    const attributed = {
      get byUnit(): never {
        throw new Error('read by unit id');
      },
      unattributed: summary.unattributed,
      bySegment,
    };
    const got = capitationMethod.evaluate(actual, { ...context, attributed });
    const want = capitationMethod.evaluate(actual, { ...context, attributed: summary });
    expect(got).toEqual(want);
    const p1 = got.find((u) => u.unitId === 'p1/D1/2021-01-01')!;
    expect([p1.billed, p1.patientPaid]).toEqual([550_000, 50_000]);
    expect(got.find((u) => u.unitId === 'p9/D1/2021-01-01')!.status).toBe('excluded');
  });

  it('R-CAP-3: sums of other row objects (not these rows in this order) are read by unit id instead', () => {
    const copies = { ...bySegment, rows: segmentRows.map((r) => ({ ...r })) };
    const got = capitationMethod.evaluate(actual, {
      ...context,
      attributed: { byUnit: summary.byUnit, unattributed: summary.unattributed, bySegment: copies },
    });
    expect(got).toEqual(capitationMethod.evaluate(actual, { ...context, attributed: summary }));
  });

  it('R-CAP-3: a unit id given twice is refused, naming the first row (in row order) that repeats one', () => {
    const a = row('pa', 'D1', 'H1', undefined);
    const b = row('pb', 'D1', 'H1', undefined);
    expect(() => capitationMethod.evaluate([b, a, { ...a }, { ...b }], { ...context, attributed: summary })).toThrow(
      'enrolment pa/D1/2021-01-01 is given twice',
    );
  });
});

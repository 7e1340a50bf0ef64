import { describe, expect, it } from 'vitest';
import type { InpatientCase } from '../model/case.ts';
import { testCase } from '../payment/testing.ts';
import { lowRiskGroups, lowRiskMortality } from './mortality.ts';
import { mostLoss } from './profit.ts';
import { dipParams } from './testing.ts';
import { hospitalYear } from './year.ts';

const stay = (
  setlId: string,
  kind: 'appendix' | 'pneumonia',
  department: string,
  doctorCode: string,
  costYuan: number,
  losDays: number,
  died = false,
): InpatientCase =>
  testCase({
    setlId,
    institutionCode: 'H1',
    department,
    doctorCode,
    doctorName: `医师${doctorCode}`,
    diagnoses: [{ code: kind === 'appendix' ? 'K35.800' : 'J18.900' }],
    procedures: kind === 'appendix' ? [{ code: '47.0901', date: '2025-03-02' }] : [],
    totalCost: costYuan * 100,
    losDays,
    dischargeWay: died ? '5' : '1',
  });

/**
 * A small hospital under DIP (testing.ts: appendectomy 1000 points, pneumonia 500 points, coefficient 0.9,
 * reference 10 元/点, forecast 9.5 元/点). Pneumonia: base 450 points, standard 4,275 元, low-cost below 2,250 元.
 *   A1 appendix 03 D1  8,000 元 → 8,550 (+550)      A2 appendix 03 D2 20,000 元 high → 10,450 (−9,550)
 *   P1 pneumonia 02 D3  5,000 元 → 4,275 (−725)     P2 pneumonia 02 D3  2,000 元 low → 1,900 (−100)
 *   P3 pneumonia 03 D1  3,000 元 → 4,275 (+1,275), died
 */
const cases = [
  stay('A1', 'appendix', '03', 'D1', 8000, 5),
  stay('A2', 'appendix', '03', 'D2', 20000, 9),
  stay('P1', 'pneumonia', '02', 'D3', 5000, 4),
  stay('P2', 'pneumonia', '02', 'D3', 2000, 2),
  stay('P3', 'pneumonia', '03', 'D1', 3000, 6, true),
];

describe('R-DIP-6 hospital mode: profit and loss of a small hand-made hospital', () => {
  const params = { ...dipParams(), lowRiskGroups: { groups: new Set(['J18.9|']), source: '测试 公布的低风险组' } };
  const y = hospitalYear(cases, params);
  const pick = (lines: typeof y.book.groups) => lines.map((l) => [l.code, l.cases, l.cost, l.payment, l.profit]);

  it('by institution: cost 38,000 元, payment 29,450 元, loss −8,550 元; fund = payment − patients’ 30 %', () => {
    const [h] = y.book.institutions;
    expect([h!.cases, h!.cost, h!.payment, h!.profit]).toEqual([5, 3_800_000, 2_945_000, -855_000]);
    // testCase: fund pays 70 % of cost, so patients paid 30 % = 11,400 元; fund part = 29,450 − 11,400 = 18,050 元.
    expect(h!.fund).toBe(1_805_000);
    expect([h!.lowCost, h!.highCost, h!.deviatingShare]).toEqual([1, 1, 0.4]);
    expect(y.months).toEqual([
      expect.objectContaining({ month: '2025-03', cases: 5, payment: 2_945_000, cost: 3_800_000, profit: -855_000 }),
    ]);
  });
  it('by group: appendectomy −9,000 元 (2 cases, one high-cost), pneumonia +450 元 (3 cases, one low-cost)', () => {
    expect(pick(y.book.groups)).toEqual([
      ['J18.9|', 3, 1_000_000, 1_045_000, 45_000],
      ['K35.8|47.0901', 2, 2_800_000, 1_900_000, -900_000],
    ]);
    expect(y.book.groups[1]!.averagePoints).toBe(1000); // (900 + 1,100) ÷ 2
    // walk4 item 22: a line of ungrouped cases only showed 次均点数 0: it has no grouped case, so no mean (blank).
    const ungrouped = hospitalYear(
      [testCase({ setlId: 'U1', institutionCode: 'H1', diagnoses: [{ code: 'F20.0' }] })],
      params,
    );
    expect(ungrouped.book.groups.map((l) => [l.code, l.cases, l.averagePoints, l.cmi])).toEqual([['', 1, null, null]]);
    expect(ungrouped.book.departments[0]!.averagePoints).toBeNull();
    expect(mostLoss(y.book.groups, 5).map((l) => l.code)).toEqual(['K35.8|47.0901']);
  });
  it('by department: 03 −7,725 元, 02 −825 元; ranked by loss', () => {
    expect(pick(y.book.departments)).toEqual([
      ['02', 2, 700_000, 617_500, -82_500],
      ['03', 3, 3_100_000, 2_327_500, -772_500],
    ]);
    expect(mostLoss(y.book.departments, 5).map((l) => l.code)).toEqual(['03', '02']);
  });
  it('by doctor: D1 +1,825 元, D2 −9,550 元, D3 −825 元', () => {
    expect(pick(y.book.doctors)).toEqual([
      ['D1', 2, 1_100_000, 1_282_500, 182_500],
      ['D2', 1, 2_000_000, 1_045_000, -955_000],
      ['D3', 2, 700_000, 617_500, -82_500],
    ]);
    expect(y.book.doctors[0]!.name).toBe('医师D1');
  });
  it('consumption indices against the group means of the cases: department 03 time (14/7 + 6/4)/3, cost (28,000/14,000 + 3,000/3,333.33)/3', () => {
    const d03 = y.book.departments[1]!;
    expect(d03.timeIndex).toBeCloseTo(3.5 / 3, 10);
    expect(d03.costIndex).toBeCloseTo((2 + 0.9) / 3, 10);
    // The hospital holds every case of each group and both references come from those cases: 1 by definition,
    // left blank (it showed 1 as if measured against the region); so are the group lines' (each group against itself).
    const h = y.book.institutions[0]!;
    expect([h.timeIndex, h.costIndex]).toEqual([null, null]);
    expect(y.book.groups.map((l) => [l.timeIndex, l.costIndex])).toEqual(y.book.groups.map(() => [null, null]));
    expect(y.book.references).toEqual({ costPublished: 0, groups: 2, time: 'cases' });
  });
  it('low-risk mortality with the published low-risk group (pneumonia): department 03 1/1, 02 0/2, hospital 1/3', () => {
    expect(y.book.departments.map((l) => [l.code, l.lowRiskCases, l.lowRiskDeaths, l.lowRiskMortality])).toEqual([
      ['02', 2, 0, 0],
      ['03', 1, 1, 1],
    ]);
    expect(y.book.institutions[0]!.lowRiskMortality).toBeCloseTo(1 / 3, 12);
    expect(y.book.lowRisk.source).toBe('published');
  });
});

describe('R-DRG indicators: low-risk groups by the z-score of ln mortality (hand numbers)', () => {
  // Mortality A 1/1000, B 1/100, C 10/100, D 10/100. ln: −6.9078, −4.6052, −2.3026, −2.3026; mean −4.0295;
  // population sd = √((2.8783² + 0.5756² + 1.7269² × 2) ÷ 4) = 1.9092; z_A = −1.5076 < −1, z_B = −0.3015.
  const groups = new Map([
    ['A', { cases: 1000, deaths: 1 }],
    ['B', { cases: 100, deaths: 1 }],
    ['C', { cases: 100, deaths: 10 }],
    ['D', { cases: 100, deaths: 10 }],
    ['E', { cases: 500, deaths: 0 }],
  ]);
  it('only A is low-risk; E (no death) is not rated', () => {
    expect([...lowRiskGroups(groups)]).toEqual(['A']);
  });
  it('an institution with 600 of A’s cases and its one death: 1/600; one with the other 400 and none: 0', () => {
    expect(lowRiskMortality(600, 1)).toBeCloseTo(1 / 600, 12);
    expect(lowRiskMortality(400, 0)).toBe(0);
    expect(lowRiskMortality(0, 0)).toBeNull();
  });
  it('the raw-rate z-score would find no low-risk group here (the old blank indicator)', () => {
    const rates = [0.001, 0.01, 0.1, 0.1, 0];
    const mean = rates.reduce((s, r) => s + r, 0) / rates.length;
    const sd = Math.sqrt(rates.reduce((s, r) => s + (r - mean) ** 2, 0) / rates.length);
    expect(rates.filter((r) => (r - mean) / sd < -1)).toEqual([]);
  });
  it('fewer than two groups with deaths, or equal mortality everywhere: no low-risk group', () => {
    expect(lowRiskGroups(new Map([['A', { cases: 10, deaths: 1 }]])).size).toBe(0);
    expect(
      lowRiskGroups(
        new Map([
          ['A', { cases: 10, deaths: 1 }],
          ['B', { cases: 20, deaths: 2 }],
        ]),
      ).size,
    ).toBe(0);
  });
});

/**
 * Reconciliation (对账, issue 13 item 4): one case of each difference reason, totals by reason to the fen; the
 * agency's side read from a stored run's rows; the hospital's file with Chinese headers.
 */
import { describe, expect, it } from 'vitest';
import { testCase } from '../payment/testing.ts';
import type { RunResultsReader, RunUnitRow } from '../store/settlement-runs.ts';
import { estimateCase } from './estimate.ts';
import { viewFromRows } from './io/reconcile-rows.ts';
import { type AgencyCase, type HospitalViewCase, reconcile } from './reconcile.ts';
import { agencySideOfRun } from './reconcile-run.ts';
import { dipParams } from './testing.ts';

const G = 'K35.8|47.0901';
const agency = (setlId: string, o: Partial<AgencyCase> = {}): AgencyCase => ({
  setlId,
  institution: 'H1',
  month: '2025-03',
  group: G,
  status: 'paid',
  points: 9_000_000,
  amount: 855_000,
  ...o,
});
const hospital = (setlId: string, o: Partial<HospitalViewCase> = {}): HospitalViewCase => ({
  setlId,
  institution: 'H1',
  group: G,
  points: 9_000_000,
  amount: 855_000,
  status: null,
  ...o,
});

describe('R-DIP-5 reconciliation: one case of each difference reason (900 points at 9.5 元/点 = 8,550 元)', () => {
  const p = dipParams();
  const coded = (setlId: string, dx: string, procs: string[]) =>
    testCase({
      setlId,
      institutionCode: 'H1',
      diagnoses: [{ code: dx }],
      procedures: procs.map((code) => ({ code, date: '2025-03-02' })),
      totalCost: 800_000,
      fundPay: 600_000,
    });
  // The agency's settlement list codes an appendectomy; the hospital's view was worked out on a pneumonia coding.
  const agencyPath = estimateCase(coded('G', 'K35.800', ['47.0901']), p).path;
  const hospitalPath = estimateCase(coded('G', 'J18.900', []), p).path;
  const r = reconcile(
    [
      hospital('SAME'),
      hospital('G', { group: 'J18.9|', points: 4_500_000, amount: 427_500 }),
      hospital('S'),
      hospital('D'),
      hospital('C', { points: 10_000_000, amount: 950_000 }),
      hospital('ONLY-H', { amount: 427_500, points: 4_500_000 }),
    ],
    [
      agency('SAME'),
      agency('G'),
      agency('S', { status: 'special-review', points: 0, amount: 0 }),
      agency('D', { status: 'high-cost', points: 12_000_000, amount: 1_140_000 }),
      agency('C'),
      agency('ONLY-A', { group: 'J18.9|', points: 4_500_000, amount: 427_500 }),
    ],
    [
      { institution: 'H1', month: '2025-03', deductions: 12_345 },
      { institution: 'H1', month: '2025-04', deductions: 0 },
    ],
    (id) => (id === 'G' ? { agency: agencyPath, hospital: hospitalPath } : null),
  );
  const by = new Map(r.lines.map((l) => [l.setlId || `deduction ${l.month}`, l] as const));

  it('each case gets its reason; a matching case is no difference', () => {
    expect(r.matched).toBe(1);
    expect(Object.fromEntries(r.lines.map((l) => [l.setlId || `deduction ${l.month}`, l.reason]))).toEqual({
      G: 'group',
      S: 'special-review',
      D: 'deviating',
      C: 'coefficient',
      'ONLY-H': 'missing-agency',
      'ONLY-A': 'missing-hospital',
      'deduction 2025-03': 'deduction',
    });
  });
  it('a different group names the first step where the two paths part', () => {
    const parting = by.get('G')!.parting!;
    expect(agencyPath.map((s) => s.zh)).not.toEqual(hospitalPath.map((s) => s.zh));
    const i = agencyPath.findIndex((s, k) => s.zh !== hospitalPath[k]?.zh);
    expect(parting.zh).toBe(`经办：${agencyPath[i]!.zh}；医院：${hospitalPath[i]!.zh}`);
    expect(parting.zh).toContain('K35.8');
  });
  it('money at stake = agency − hospital, totals by reason to the fen', () => {
    // group 8,550 − 4,275 = +4,275 元; special review 0 − 8,550 = −8,550 元; deviating (high-cost 1,200 points)
    // 11,400 − 8,550 = +2,850 元; coefficient 8,550 − 9,500 = −950 元; missing at the agency −4,275 元; missing
    // at the hospital +4,275 元; audit deduction −123.45 元. Sum −2,498.45 元.
    expect(r.totals).toEqual([
      { reason: 'missing-agency', cases: 1, atStake: -427_500 },
      { reason: 'missing-hospital', cases: 1, atStake: 427_500 },
      { reason: 'group', cases: 1, atStake: 427_500 },
      { reason: 'special-review', cases: 1, atStake: -855_000 },
      { reason: 'deviating', cases: 1, atStake: 285_000 },
      { reason: 'coefficient', cases: 1, atStake: -95_000 },
      { reason: 'deduction', cases: 1, atStake: -12_345 },
    ]);
    expect(r.atStake).toBe(-249_845);
  });
  it('the hospital’s own status decides a deviating case too (it thought low-cost, the agency paid the standard)', () => {
    const x = reconcile([hospital('L', { status: 'low-cost', points: 4_000_000, amount: 380_000 })], [agency('L')], []);
    expect(x.lines.map((l) => [l.reason, l.atStake])).toEqual([['deviating', 475_000]]);
  });
});

describe('the agency’s side of a stored run', () => {
  const unit = (unitId: string, o: Partial<RunUnitRow>): RunUnitRow => ({
    poolId: 'P',
    unitId,
    method: 'dip',
    institution: 'H1',
    month: '2025-03',
    group: G,
    status: 'paid',
    points: null,
    amountFen: null,
    billedFen: 0,
    patientPaidFen: 0,
    basis: null,
    trace: null,
    ...o,
  });
  const units = [
    unit('A', { points: 9_000_000 }),
    unit('B', { method: 'drg', group: 'BR11', amountFen: 1_080_000 }),
    unit('HEAD', { method: 'capitation', amountFen: 5_000 }),
  ];
  const reader = {
    runId: 'r1',
    pools: async () => [{ poolId: 'P', pointValue: { num: '950', den: '1' } }],
    units: async function* () {
      yield units;
    },
    institutionMonths: async () => [
      { institution: 'H1', month: '2025-03', deductionsFen: 0 },
      { institution: 'H1', month: '2025-04', deductionsFen: 12_345 },
    ],
  } as unknown as RunResultsReader;
  it('points valued at the pool’s year-end point value (900 × 9.5 = 8,550 元), amounts as claimed, heads left out, deductions by month', async () => {
    const s = await agencySideOfRun(reader);
    expect(s.cases.map((c) => [c.setlId, c.group, c.amount])).toEqual([
      ['A', G, 855_000],
      ['B', 'BR11', 1_080_000],
    ]);
    expect(s.deductions).toEqual([{ institution: 'H1', month: '2025-04', deductions: 12_345 }]);
  });
});

describe('the hospital’s view file', () => {
  it('reads Chinese headers, points to 4 decimals, yuan to fen and Chinese statuses', () => {
    const v = viewFromRows(
      [
        ['结算ID', '病种编码', '点数', '金额', '病例类型', '备注'],
        ['A', G, '900.0000', '8550.00', '高倍率', 'x'],
        ['B', '', '', '123.45', '', ''],
      ],
      'view.csv',
    );
    expect(v).toEqual([
      { setlId: 'A', institution: null, group: G, points: 9_000_000, amount: 855_000, status: 'high-cost' },
      { setlId: 'B', institution: null, group: null, points: null, amount: 12_345, status: null },
    ]);
  });
  it('names a missing column', () => {
    expect(() => viewFromRows([['setl_id', 'group']], 'v.csv')).toThrow(/amount/);
  });
});

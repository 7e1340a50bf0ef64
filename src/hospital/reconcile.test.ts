/**
 * Reconciliation (对账, issue 13 item 4): one case of each difference reason, totals by reason to the fen; the
 * agency's side read from a stored run's rows; the hospital's file with Chinese headers.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { testCase } from '../payment/testing.ts';
import { writeCsv } from '../report/csv.ts';
import { hospitalTables } from '../report/hospital-rows.ts';
import { agencySideOfRun } from '../run/reconcile-run.ts';
import type { RunResultsReader, RunUnitRow } from '../store/settlement-runs.ts';
import { testUnitRow } from '../store/testing.ts';
import { readCsvTable } from '../tables/index.ts';
import { estimateCase } from './estimate.ts';
import { readHospitalView, viewFromRows } from './io/reconcile-rows.ts';
import { type AgencyCase, type HospitalViewCase, REASON_TEXT, reconcile } from './reconcile.ts';
import { groupingPaths, pathsLookup, withCoding } from './reconcile-paths.ts';
import { dipParams, drgParams, SPLIT_EXAMPLE } from './testing.ts';
import type { CaseEstimate } from './types.ts';
import { hospitalYear } from './year.ts';

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
  it('a special-review case the hospital expected at the agency’s points and amount is no difference (a fen off: only the split)', () => {
    const sr = { status: 'special-review', points: 110_000, amount: 1572, perCase: { down: 1571, up: 1572 } };
    const x = reconcile(
      [
        hospital('SAME', { status: 'special-review', points: 110_000, amount: 1572 }),
        hospital('UNSAID', { points: 110_000, amount: 1572 }),
        hospital('FEN', { status: 'special-review', points: 110_000, amount: 1571 }),
        hospital('PAID', { status: 'paid', points: 110_000, amount: 1572 }),
        hospital('MORE', { status: 'special-review', points: 120_000, amount: 1714 }),
      ],
      [agency('SAME', sr), agency('UNSAID', sr), agency('FEN', sr), agency('PAID', sr), agency('MORE', sr)],
      [],
    );
    expect(x.matched).toBe(2);
    expect(x.lines.map((l) => [l.setlId, l.reason, l.atStake])).toEqual([
      ['MORE', 'special-review', -142],
      ['PAID', 'status', 0],
      ['FEN', 'split', 1],
    ]);
  });
  it('a special-review case the hospital has as 正常 at the same money is a case-type difference (0.00, or a fen: still the type)', () => {
    const sr = { status: 'special-review', points: 110_000, amount: 1572, perCase: { down: 1571, up: 1572 } };
    const x = reconcile(
      [
        hospital('PAID', { status: 'paid', points: 110_000, amount: 1572 }),
        hospital('PAID-FEN', { status: 'paid', points: 110_000, amount: 1571 }),
        hospital('HIGH', { status: 'high-cost', points: 110_000, amount: 1572 }),
      ],
      [agency('PAID', sr), agency('PAID-FEN', sr), agency('HIGH', sr)],
      [],
    );
    expect(x.matched).toBe(0);
    expect(x.lines.map((l) => [l.setlId, l.reason, l.agencyStatus, l.hospitalStatus, l.atStake])).toEqual([
      ['HIGH', 'status', 'special-review', 'high-cost', 0],
      ['PAID-FEN', 'status', 'special-review', 'paid', 1],
      ['PAID', 'status', 'special-review', 'paid', 0],
    ]);
    expect(x.totals).toEqual([{ reason: 'status', cases: 3, atStake: 1 }]);
  });
  it('a view without the case type (no 病例类型 column) is held to the agency’s points: a high-cost case at the same points and amount matches', () => {
    const x = reconcile(
      [hospital('H', { points: 12_000_000, amount: 1_140_000 }), hospital('L', { points: 4_000_000, amount: 380_000 })],
      [
        agency('H', { status: 'high-cost', points: 12_000_000, amount: 1_140_000 }),
        agency('L', { status: 'low-cost', points: 5_000_000, amount: 475_000 }),
      ],
      [],
    );
    expect(x.matched).toBe(1);
    expect(x.lines.map((l) => [l.setlId, l.reason, l.atStake])).toEqual([['L', 'deviating', 95_000]]);
  });
  it('the hospital’s own status decides a deviating case too (it thought low-cost, the agency paid the standard)', () => {
    const x = reconcile([hospital('L', { status: 'low-cost', points: 4_000_000, amount: 380_000 })], [agency('L')], []);
    expect(x.lines.map((l) => [l.reason, l.atStake])).toEqual([['deviating', 475_000]]);
  });
});

describe('the agency’s side of a stored run', () => {
  const unit = (unitId: string, o: Partial<RunUnitRow>) => testUnitRow('P', unitId, { group: G, ...o });
  const units = [
    unit('A', { points: 9_000_000 }),
    unit('B', { method: 'drg', group: 'BR11', amountFen: 1_080_000 }),
    unit('HEAD', { method: 'capitation', amountFen: 5_000 }),
    // The carve-outs settled in the same point pool are cases of the institution too (per-bed-day in points).
    unit('BED', { method: 'per-diem', group: 'PSY', points: 2_000_000 }),
    unit('SD', { method: 'single-disease', group: 'SD01', amountFen: 300_000 }),
    unit('FFS', { poolId: 'F', method: 'ffs', amountFen: 1_000 }),
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
    derived: async () => [],
  } as unknown as RunResultsReader;
  it('a run stored before 病例结算金额: points valued at the pool’s year-end point value (900 × 9.5 = 8,550 元; a per-bed-day case’s 200 points 1,900 元), amounts as claimed, heads and item billing left out, deductions by month', async () => {
    const s = await agencySideOfRun(reader);
    expect(s.amounts).toBe('not-stored');
    expect(s.cases.map((c) => c.method)).toEqual(['dip', 'drg', 'per-diem', 'single-disease']);
    expect(s.cases.map((c) => [c.setlId, c.group, c.amount])).toEqual([
      ['A', G, 855_000],
      ['B', 'BR11', 1_080_000],
      ['BED', 'PSY', 190_000],
      ['SD', 'SD01', 300_000],
    ]);
    expect(s.deductions).toEqual([{ institution: 'H1', month: '2025-04', deductions: 12_345 }]);
  });
});

// The hand-computed institution (its derivation in ./testing.ts, SPLIT_EXAMPLE).
describe('R-DIP-6 the agency’s 病例结算金额 and the fen split (分配尾差), point value 1000/7 fen per point', () => {
  const E = SPLIT_EXAMPLE;
  const unit = (unitId: string, settledFen: number | null) =>
    testUnitRow('P', unitId, { group: G, points: E.points[unitId]!, settledFen });
  const readerOf = (stored: boolean, rounding: 'largest-remainder' | 'none' | null): RunResultsReader =>
    ({
      runId: 'r1',
      pools: async () => [{ poolId: 'P', pointValue: E.pointValue }],
      units: async function* () {
        yield ['A', 'B', 'C', 'D'].map((id) => unit(id, stored ? E.settled[id]! : null));
      },
      institutionMonths: async () => [],
      derived: async () =>
        rounding ? [{ kind: 'case-amount-rounding', name: 'P', content: JSON.stringify({ value: rounding }) }] : [],
    }) as unknown as RunResultsReader;
  const view = E.view.map((v) => hospital(v.setlId, v));

  it('the agency’s amounts are the run’s stored 病例结算金额 (572, 1572, 2571, 3571 fen; Σ 8286 = H1’s amount)', async () => {
    const s = await agencySideOfRun(readerOf(true, 'largest-remainder'));
    expect(s.amounts).toBe('stored');
    expect(s.cases.map((c) => [c.setlId, c.amount, c.perCase])).toEqual([
      ['A', 572, { down: 571, up: 572 }],
      ['B', 1572, { down: 1571, up: 1572 }],
      ['C', 2571, { down: 2571, up: 2572 }],
      ['D', 3571, { down: 3571, up: 3572 }],
    ]);
    expect(s.cases.reduce((t, c) => t + c.amount, 0)).toBe(E.institutionValueFen);
  });
  it('A and B differ only by the split (+1 fen each, listed last), D by a real difference (−143 fen); Σ = the institution’s −141 fen', async () => {
    const s = await agencySideOfRun(readerOf(true, 'largest-remainder'));
    const r = reconcile(view, s.cases, s.deductions);
    expect(r.matched).toBe(1);
    expect(r.lines.map((l) => [l.setlId, l.reason, l.agencyAmount, l.hospitalAmount, l.atStake])).toEqual([
      ['D', 'coefficient', 3571, 3714, -143],
      ['A', 'split', 572, 571, 1],
      ['B', 'split', 1572, 1571, 1],
    ]);
    expect(r.totals).toEqual([
      { reason: 'coefficient', cases: 1, atStake: -143 },
      { reason: 'split', cases: 2, atStake: 2 },
    ]);
    // agency Σ 8286 − hospital Σ (571 + 1571 + 2571 + 3714 = 8427) = −141
    expect(r.atStake).toBe(8286 - 8427);
  });
  it('a run stored before (or under caseAmountRounding: none): half-up per case as before, said by `amounts`; its differences miss the institution’s by 2 fen', async () => {
    for (const [rounding, amounts] of [
      [null, 'not-stored'],
      ['none', 'not-split'],
    ] as const) {
      const s = await agencySideOfRun(readerOf(false, rounding));
      expect(s.amounts).toBe(amounts);
      expect(s.cases.map((c) => [c.amount, c.perCase])).toEqual([
        [571, undefined],
        [1571, undefined],
        [2571, undefined],
        [3571, undefined],
      ]);
      const r = reconcile(view, s.cases, s.deductions);
      expect(r.lines.map((l) => [l.setlId, l.reason, l.atStake])).toEqual([['D', 'coefficient', -143]]);
      expect(r.atStake).toBe(-143);
    }
  });
  it('a fen is a real difference when the hospital used another point value, another number of points, or is 2 fen off', () => {
    const a = (id: string, o: Partial<AgencyCase> = {}) =>
      agency(id, { points: 110_000, amount: 1572, perCase: { down: 1571, up: 1572 }, ...o });
    const r = reconcile(
      [
        // 11 × 1.43 元/点 (a point value rounded to 2 places) = 15.73 元: one fen off, but not points × the run's value
        hospital('PV', { points: 110_000, amount: 1573 }),
        // one fen off at other points: a coefficient
        hospital('PTS', { points: 110_001, amount: 1571 }),
        // 2 fen off
        hospital('TWO', { points: 110_000, amount: 1570 }),
        // the agency's amount not its stored split (a run stored before): no split
        hospital('OLD', { points: 110_000, amount: 1571 }),
      ],
      [a('PV'), a('PTS'), a('TWO'), a('OLD', { perCase: undefined })],
      [],
    );
    expect(r.lines.map((l) => [l.setlId, l.reason, l.atStake])).toEqual([
      ['PTS', 'coefficient', 1],
      ['OLD', 'amount', 1],
      ['PV', 'amount', -1],
      ['TWO', 'amount', 2],
    ]);
  });
});

// walk4 item 17: the single-disease case SD056 (3,500 vs 3,400 元) was listed as 金额不同（点值）, a point-value
// difference, though a fixed standard has no point value.
describe('R-PAY-DISEASE / R-PAY-BEDDAY reconciliation of a case the agency paid in money', () => {
  it('a single-disease or per-bed-day amount is a fixed-standard difference; a DIP case paid its cost an amount claim', () => {
    const r = reconcile(
      [
        hospital('SD', { group: 'SD056', points: null, amount: 340_000 }),
        hospital('BED', { group: 'PSY', points: null, amount: 900_000 }),
        hospital('LOW', { points: null, amount: 200_000, status: 'low-cost' }),
        hospital('PV', { amount: 855_100 }),
      ],
      [
        agency('SD', { method: 'single-disease', group: 'SD056', points: null, amount: 350_000 }),
        agency('BED', { method: 'per-diem', group: 'PSY', points: null, amount: 945_000 }),
        agency('LOW', { method: 'dip', points: null, amount: 210_000, status: 'low-cost' }),
        agency('PV', { method: 'dip' }),
      ],
      [],
    );
    // 3,500 − 3,400 = +100 元; 9,450 − 9,000 = +450 元; 2,100 − 2,000 = +100 元; 8,550 − 8,551 = −1 元
    expect(r.lines.map((l) => [l.setlId, l.reason, l.atStake])).toEqual([
      ['PV', 'amount', -100],
      ['BED', 'fixed', 45_000],
      ['SD', 'fixed', 10_000],
      ['LOW', 'claim', 10_000],
    ]);
    expect([REASON_TEXT.fixed, REASON_TEXT.claim]).toEqual([
      ['金额不同（定额）', 'amount (fixed standard)'],
      ['金额不同（按金额支付）', 'amount (paid as an amount)'],
    ]);
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
      {
        setlId: 'A',
        institution: null,
        group: G,
        points: 9_000_000,
        amount: 855_000,
        status: 'high-cost',
        coding: null,
      },
      { setlId: 'B', institution: null, group: null, points: null, amount: 12_345, status: null, coding: null },
    ]);
  });
  it('reads a workbook’s first sheet with a 结算ID column (the hospital workbook has its cases after the summaries)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'yibao-view-'));
    try {
      const wb = new ExcelJS.Workbook();
      wb.addWorksheet('医院预测汇总').addRows([
        ['机构编码', '病例数'],
        ['H1', 1],
      ]);
      wb.addWorksheet('病例预测明细').addRows([
        ['结算ID', '机构编码', '病种编码', '病例类型', '病例点数', '预测支付金额'],
        ['A', 'H1', G, '正常病例', 900, 8550],
      ]);
      const file = join(dir, 'hospital-H1.xlsx');
      await wb.xlsx.writeFile(file);
      expect(await readHospitalView(file)).toEqual([
        { setlId: 'A', institution: 'H1', group: G, points: 9_000_000, amount: 855_000, status: 'paid', coding: null },
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  it('reads a comprehensive group as the statements write it (病种/分组: C34 综合病种（保守治疗）) as its code', () => {
    const v = viewFromRows(
      [
        ['结算ID', '病种/分组', '金额'],
        ['A', 'C34 综合病种（相关手术）', '1'],
        ['B', 'K26 comprehensive (conservative treatment)', '1'],
        ['C', 'K35.8|47.0901', '1'],
        ['D', 'X 综合病种（别的）', '1'],
      ],
      'cases.csv',
    );
    expect(v.map((x) => x.group)).toEqual(['C34#surgery', 'K26#conservative', 'K35.8|47.0901', 'X 综合病种（别的）']);
  });
  it('reads the hospital’s own coding: principal diagnosis first, "|" or ";" between codes', () => {
    const v = viewFromRows(
      [
        ['setl_id', 'group', 'amount', 'diag_codes', 'oprn_oprt_codes'],
        ['A', 'BR13', '7200', 'd1|m1; c9', ''],
        ['B', 'BR11', '10800', '', 'p1'],
      ],
      'view.csv',
    );
    expect(v.map((x) => x.coding)).toEqual([{ diagnoses: ['d1', 'm1', 'c9'], procedures: [] }, null]);
  });
  it('reads the hospital-cases.csv that yibao hospital settle writes (病例点数, 预测支付金额, 正常病例/高倍率病例)', () => {
    const v = viewFromRows(
      [
        ['结算ID', '机构编码', '病种编码', '病例类型', '标准点数', '病例点数', '支付标准金额', '预测支付金额'],
        ['A', 'H1', G, '高倍率病例', '1531.9021', '2297.8532', '17478.39', '26217.58'],
        ['B', 'H1', G, '正常病例', '1531.9021', '1531.9021', '17478.39', '17478.39'],
      ],
      'hospital-cases.csv',
    );
    expect(v.map((x) => [x.institution, x.points, x.amount, x.status])).toEqual([
      ['H1', 22_978_532, 2_621_758, 'high-cost'],
      ['H1', 15_319_021, 1_747_839, 'paid'],
    ]);
  });
  it('names a missing column', () => {
    expect(() => viewFromRows([['setl_id', 'group']], 'v.csv')).toThrow(/amount/);
  });
  // walk4 item 5: `hospital settle --lang en` wrote `settlement id, …, expected payment`, and reconcile said
  // "column setl_id is missing" to the file README says reads as it is.
  it.each(['zh', 'en'] as const)('reads the hospital-cases.csv hospital settle writes in %s as it is', (lang) => {
    const dir = mkdtempSync(join(tmpdir(), 'yibao-view-'));
    try {
      // K35.8 + 47.0901 (1000 points × level 0.9 = 900 points at 9.5 元/点 = 8,550 元): a normal and a high-cost case.
      const y = hospitalYear(
        [
          testCase({
            setlId: 'A',
            institutionCode: 'H1',
            diagnoses: [{ code: 'K35.8' }],
            procedures: [{ code: '47.0901', date: '2025-03-02' }],
            totalCost: 800_000,
          }),
          testCase({
            setlId: 'B',
            institutionCode: 'H1',
            diagnoses: [{ code: 'K35.8' }],
            procedures: [{ code: '47.0901', date: '2025-03-02' }],
            totalCost: 3_000_000,
          }),
        ],
        dipParams(),
      );
      const cases = hospitalTables(y, lang).find((t) => t.name === 'hospital-cases')!;
      const file = join(dir, 'hospital-cases.csv');
      writeCsv(file, { ...cases, rows: [...cases.rows] }, lang);
      const v = viewFromRows(readCsvTable(file, 'hospital-cases.csv').rows, 'hospital-cases.csv');
      expect(v.map((x) => [x.setlId, x.institution, x.group, x.status, x.points, x.amount])).toEqual([
        ['A', 'H1', G, 'paid', 9_000_000, 855_000],
        // high-cost above 2 × 900 points × 10 元 (reference) = 18,000 元: 900 + (30,000 − 18,000) ÷ 10 = 2,100 points × 9.5 = 19,950 元
        ['B', 'H1', G, 'high-cost', 21_000_000, 1_995_000],
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  it('says in English which headers it reads (an English and a Chinese one)', () => {
    expect(() => viewFromRows([['x', 'amount']], 'v.csv')).toThrow(
      /setl_id \/ settlement id is missing \(a Chinese header reads too: 结算ID\)/,
    );
  });
});

describe('R-PAY-DRG reconciliation of a DRG run: one case of each reason (mini pack, 100 元/点, level 2 × 0.9)', () => {
  // BR11 (RW 1.2): 1.2 × 100 × 0.9 = 108 points = 10,800 元; BR13 (RW 0.8): 72 points = 7,200 元.
  const p = drgParams('points');
  const list = (setlId: string, dx: string[], totalCost = 900_000) =>
    testCase({
      setlId,
      institutionCode: 'H1',
      department: '03',
      doctorCode: 'D1',
      diagnoses: dx.map((code) => ({ code })),
      totalCost,
    });
  const asAgency = (e: CaseEstimate, o: Partial<AgencyCase> = {}): AgencyCase => ({
    setlId: e.setlId,
    institution: e.institutionCode,
    month: e.month,
    group: e.group,
    status: e.status,
    points: e.points,
    amount: e.expectedPayment!,
    ...o,
  });
  const asView = (e: CaseEstimate, o: Partial<HospitalViewCase> = {}): HospitalViewCase => ({
    setlId: e.setlId,
    institution: e.institutionCode,
    group: e.group,
    points: e.points,
    amount: e.expectedPayment!,
    status: null,
    ...o,
  });
  // The agency's lists: d1 with MCCs m1 (excluded with d1) and m2 (counts) → BR11. The hospital coded case G
  // d1, m1, c9 (a CC instead of the MCC m2) → BR13.
  const agencyList = {
    SAME: list('SAME', ['d1', 'm1', 'm2']),
    G: list('G', ['d1', 'm1', 'm2']),
    S: list('S', ['d1', 'm1', 'm2']),
    D: list('D', ['d1', 'm1', 'm2'], 3_000_000),
    C: list('C', ['d1', 'm1', 'm2']),
    'ONLY-A': list('ONLY-A', ['d1', 'm1', 'm2']),
  };
  const est = (id: keyof typeof agencyList) => estimateCase(agencyList[id], p);
  const hospitalCoding = { diagnoses: ['d1', 'm1', 'c9'], procedures: [] };
  const hospitalG = estimateCase(withCoding(agencyList.G, hospitalCoding), p);
  const normalD = estimateCase(list('D', ['d1', 'm1', 'm2']), p);
  const view = [
    asView(est('SAME')),
    asView(hospitalG, { coding: hospitalCoding }),
    asView(est('S')),
    asView(normalD),
    // The hospital assumed a level-3 coefficient (1.0): 120 points = 12,000 元.
    asView(est('C'), { points: 1_200_000, amount: 1_200_000 }),
    asView(est('SAME'), { setlId: 'ONLY-H' }),
  ];
  const agency = [
    asAgency(est('SAME')),
    asAgency(est('G')),
    asAgency(est('S'), { status: 'special-review', points: 0, amount: 0 }),
    asAgency(est('D')),
    asAgency(est('C')),
    asAgency(est('ONLY-A')),
  ];
  const paths = groupingPaths(Object.values(agencyList), p, (id) => (id === 'G' ? hospitalCoding : null));
  const r = reconcile(view, agency, [{ institution: 'H1', month: '2025-03', deductions: 50_000 }], pathsLookup(paths));

  it('the estimates the sides stand on: BR11 108 points, BR13 72 points, a high-cost BR11 of 30,000 元', () => {
    expect([est('G').group, est('G').points, est('G').expectedPayment]).toEqual(['BR11', 1_080_000, 1_080_000]);
    expect([hospitalG.group, hospitalG.points, hospitalG.expectedPayment]).toEqual(['BR13', 720_000, 720_000]);
    // High-cost above 2 × 12,000 = 24,000 元: 10,800 + (30,000 − 24,000) × 0.9 = 16,200 元 → 162 points: 108 + (2.5 −
    // 2) × 0.9 × 120, the level coefficient 0.9 on the standard only (R-PAY-DRG; it was 156.6, the excess × 0.9 too).
    expect([est('D').status, est('D').points, est('D').expectedPayment]).toEqual(['high-cost', 1_620_000, 1_620_000]);
  });
  it('each case gets its reason', () => {
    expect(Object.fromEntries(r.lines.map((l) => [l.setlId || `deduction ${l.month}`, l.reason]))).toEqual({
      G: 'group',
      S: 'special-review',
      D: 'deviating',
      C: 'coefficient',
      'ONLY-H': 'missing-agency',
      'ONLY-A': 'missing-hospital',
      'deduction 2025-03': 'deduction',
    });
    expect(r.matched).toBe(1);
  });
  it('the DRG paths part where the hospital coded a CC (c9) instead of the MCC m2; both paths are kept', () => {
    const g = r.lines.find((l) => l.setlId === 'G')!;
    expect(g.paths!.agency.map((s) => s.stage)).toEqual(['mdc', 'adrg', 'severity', 'severity', 'drg']);
    expect(g.paths!.hospital!.map((s) => s.stage)).toEqual(['mdc', 'adrg', 'severity', 'severity', 'drg']);
    expect(g.parting!.zh).toMatch(/^经办：第 3 诊断 m2 .*MCC，计入；医院：第 3 诊断 c9 .*CC，计入$/);
    expect(g.parting!.en).toMatch(/^agency: diagnosis 3 m2 .*; hospital: diagnosis 3 c9 /);
    expect(g.paths!.hospital!.at(-1)!.zh).toContain('BR13');
  });
  it('money at stake to the fen: +3,600 −10,800 +5,400 −1,200 −10,800 +10,800 −500 = −3,500 元', () => {
    expect(r.totals).toEqual([
      { reason: 'missing-agency', cases: 1, atStake: -1_080_000 },
      { reason: 'missing-hospital', cases: 1, atStake: 1_080_000 },
      { reason: 'group', cases: 1, atStake: 360_000 },
      { reason: 'special-review', cases: 1, atStake: -1_080_000 },
      { reason: 'deviating', cases: 1, atStake: 540_000 },
      { reason: 'coefficient', cases: 1, atStake: -120_000 },
      { reason: 'deduction', cases: 1, atStake: -50_000 },
    ]);
    expect(r.atStake).toBe(-350_000);
  });
});

describe('R-DIP-1 a view spelling a core group another way is the same group (finding 18)', () => {
  it('S52.5|79.0201|93.5401, S52.5 + 79.0201 + 93.5401 and the run’s S52.5|79.0201+93.5401 match (it was 分组不同 at 0.00)', () => {
    const view = viewFromRows(
      [
        ['结算ID', '病种编码', '点数', '金额'],
        ['A', 'S52.5|79.0201|93.5401', '900', '8550.00'],
        ['B', 'S52.5 + 79.0201 + 93.5401', '900', '8550.00'],
      ],
      'view.csv',
    ).map((v) => ({ ...v, institution: 'H1' }));
    const g = 'S52.5|79.0201+93.5401';
    const r = reconcile(view, [agency('A', { group: g }), agency('B', { group: g })], []);
    expect(r.matched).toBe(2);
    expect(r.lines.filter((l) => l.reason === 'group')).toEqual([]);
  });
});

describe('R-DATA-1 a hospital view with a title row above its header (as hospital settle and yibao qc read files)', () => {
  it('the header under the title is found; a bad row is named by its row in the file, in each language', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'yibao-view-title-'));
    try {
      const f = join(dir, 'view.csv');
      writeFileSync(
        f,
        '本院对账视图 2025\n\n结算ID,病种编码,点数,金额\nA,K35.8 + 47.0901,900,8550.00\nB,K35.8|47.0901,900,x\n',
      );
      const err = (await readHospitalView(f).catch((e: unknown) => e)) as { zh: string; en: string };
      expect(err.zh).toMatch(/^view\.csv 第 5 行：/);
      expect(err.en).toMatch(/^view\.csv row 5: /);
      writeFileSync(f, '本院对账视图 2025\n\n结算ID,病种编码,点数,金额\nA,K35.8 + 47.0901,900,8550.00\n');
      expect(await readHospitalView(f)).toEqual([
        {
          setlId: 'A',
          institution: null,
          group: 'K35.8|47.0901',
          points: 9_000_000,
          amount: 855_000,
          status: null,
          coding: null,
        },
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

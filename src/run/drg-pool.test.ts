/** DRG year end to end with the real CHS-DRG 1.1 kernel (needs ../shared/reference; fails, never skips, without it). */
import { describe, expect, it } from 'vitest';
import { readCaseFile } from '../grouping/drg/reference-cases.ts';
import { CHS_DRG_11_REFERENCE_DIR } from '../grouping/drg/reference-dir.ts';
import { referenceKernel } from '../grouping/drg/testing.ts';
import type { InpatientCase } from '../model/case.ts';
import { ratio } from '../model/money.ts';
import { type ContractFixture, runPaymentContract, seededShuffle } from '../payment/contract.ts';
import { testInstitution, testSettlementPolicy } from '../payment/dip/testing.ts';
import { type DrgMethodContext, drgMethod } from '../payment/drg/method.ts';
import { pricingFromPolicy } from '../payment/drg/policy.ts';
import type { DrgCase } from '../payment/drg/types.ts';
import { resolvePolicyFile, testCase } from '../payment/testing.ts';
import { drgKind } from '../policy/kinds/drg.ts';
import { SettlementError } from '../settlement/errors.ts';
import type { PoolSettlement } from '../settlement/settle.ts';
import { drgHistoryReducer, groupForPayment, runDrg, withBaseRateStep } from './drg-pool.ts';

const policy = resolvePolicyFile(drgKind, 'policies/demo/drg-2025.yaml', '2025-06-30');
const institutions = [testInstitution('H1', '3'), testInstitution('H2', '2'), testInstitution('H3', 'primary')];
const kernel = referenceKernel();

const list = (v: string | readonly string[]): string[] =>
  typeof v === 'string' ? v.split('|').filter((x) => x !== '') : [...v];

/** Reference cases that group (SUCCESS) as a region: one copy per year, deterministic costs. */
function regionCases(): { history: InpatientCase[]; current: InpatientCase[] } {
  const ref = readCaseFile(`${CHS_DRG_11_REFERENCE_DIR}/cases_public.csv`).slice(0, 150);
  const history: InpatientCase[] = [];
  const current: InpatientCase[] = [];
  ref.forEach((r, i) => {
    for (const [year, copy] of [2022, 2023, 2024, 2025].flatMap((y) => [0, 1, 2].map((k) => [y, k] as const))) {
      const cost = 200_000 + ((i * 7919 + year * 104_729 + copy * 15_485_863) % 2_000_000);
      const c = testCase({
        setlId: `${year}-${String(i).padStart(4, '0')}-${copy}`,
        institutionCode: institutions[(i + copy) % 3]!.code,
        admissionTime: `${year}-${String((i % 12) + 1).padStart(2, '0')}-03`,
        sex: r.sex === '2' ? '2' : '1',
        ageYears: Number(r.age ?? 40) || 40,
        diagnoses: list(r.diagnoses).map((code) => ({ code })),
        procedures: list(r.procedures).map((code) => ({ code })),
        totalCost: cost,
        fundPay: Math.floor(cost * 0.7),
      });
      (year === 2025 ? current : history).push(c);
    }
  });
  return { history, current };
}

describe('R-PAY-DRG: a DRG year through the shared settlement layer', () => {
  const { history, current } = regionCases();
  const settlement = testSettlementPolicy({
    budget: '{ value: { method: given, amount: 4000000 }, source: "测试预算" }',
  });
  const input = { region: 'test', year: 2025, history, current, institutions, kernel, drg: policy, settlement };
  const run = runDrg(input);

  it('groups with the CHS-DRG 1.1 kernel and calibrates weights from history', () => {
    expect(run.groupedShare).toBeGreaterThan(0.8);
    expect(run.weights.weights.size).toBeGreaterThan(10);
    expect(run.units.length).toBe(current.length);
  });

  it('R-DIP-6: Σ institutions’ year-end gross = the pool fund to the fen (floating point value)', () => {
    const gross = run.settlement.institutions.reduce((s, i) => s + i.gross, 0);
    expect(gross).toBe(run.settlement.fund);
    expect(run.settlement.fund).toBe(400_000_000);
  });

  it('rerunning gives identical results; case order does not matter', () => {
    const again = runDrg({ ...input, current: seededShuffle(current, 7), history: seededShuffle(history, 11) });
    const json = (v: unknown) => JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x));
    expect(json(again.settlement.institutions)).toBe(json(run.settlement.institutions));
    expect(JSON.stringify(again.units)).toBe(JSON.stringify(run.units));
  });

  it('R-PAY-DRG / R-DIP-6: the history reduced in batches of any size gives the same weights, opening value and settlement', () => {
    const json = (v: unknown) =>
      JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x instanceof Map ? [...x] : x));
    for (const size of [1, 7, 250, history.length]) {
      const r = drgHistoryReducer(input);
      for (let i = 0; i < history.length; i += size) r.add(history.slice(i, i + size));
      const reduced = r.finish();
      expect(reduced.cases).toBe(history.length);
      expect(json(reduced.weights)).toBe(json(run.weights));
      expect(json(reduced.openingPointValue)).toBe(json(run.settlement.openingPointValue));
      const b = runDrg({ ...input, history: reduced });
      expect(json(b.settlement)).toBe(json(run.settlement));
      expect(json(b.indicators)).toBe(json(run.indicators));
    }
    // Last year's fund payment: Σ fund paid of the 2024 cases per institution (all three are in the directory).
    const expected = new Map<string, number>();
    for (const c of history.filter((h) => h.dischargeTime.startsWith('2024')))
      expected.set(c.institutionCode, (expected.get(c.institutionCode) ?? 0) + c.fundPay);
    expect([...run.lastYearFundPaid].sort()).toEqual([...expected].sort());
  });

  it('hospital indicators exist for every institution with cases', () => {
    expect(run.indicators.map((i) => i.key)).toEqual(['H1', 'H2', 'H3']);
    for (const i of run.indicators) expect(i.cmi).toBeGreaterThan(0);
  });
});

const levels = new Map(institutions.map((i) => [i.code, i.level] as const));
runPaymentContract(
  'drg',
  () => drgMethod,
  (): ContractFixture<DrgCase, DrgMethodContext>[] => {
    const { history, current } = regionCases();
    const table = runDrg({
      region: 'test',
      year: 2025,
      history,
      current: current.slice(0, 5),
      institutions,
      kernel,
      drg: policy,
      settlement: testSettlementPolicy(),
    }).weights;
    const cases = groupForPayment(kernel, current.slice(0, 120), levels);
    return [
      { label: 'point method, demo policy', units: cases, context: { table, pricing: pricingFromPolicy(policy) } },
      {
        label: 'base rate given',
        units: cases,
        context: {
          table,
          pricing: {
            ...pricingFromPolicy(policy),
            mode: 'amount' as const,
            baseRate: { employee: 1_225_270, resident: 964_924 },
          },
        },
      },
    ];
  },
  { unitIdOf: (c) => c.setlId },
);

// A new region's own history, none of it grouped by the scheme (K35.800 is a gray code), stopped the settlement with
// "internal error: RangeError: no history cases with a DRG to calibrate weights from" (exit 70).
describe('R-PAY-DRG weights calibrated from a history in which no case gets a DRG', () => {
  it('is the user’s data problem: how many history cases, why by grouper status, what to check (zh and en)', () => {
    const history = [2022, 2023, 2024].flatMap((year) =>
      [0, 1].map((k) =>
        testCase({
          setlId: `G${year}${k}`,
          institutionCode: 'H1',
          admissionTime: `${year}-03-01`,
          diagnoses: [{ code: 'NOT-A-CODE' }],
          totalCost: 1_000_000,
          fundPay: 700_000,
        }),
      ),
    );
    const r = drgHistoryReducer({ year: 2025, institutions, kernel, drg: policy });
    r.add(history);
    let error: unknown;
    try {
      r.finish();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SettlementError);
    const e = error as SettlementError;
    expect(e.code).toBe('DRG_NO_GROUPED_HISTORY');
    expect(e.zh).toMatch(
      /^DRG 权重按 2025 年以前的历史病例测算，但 6 例历史病例没有一例入组（.+ 6 例）：请核对诊断与手术操作编码/,
    );
    expect(e.en).toMatch(
      /^DRG weights are calibrated from the history cases before 2025, but not one of the 6 history cases got a DRG \(6: /,
    );
    expect(e.en).not.toMatch(/\p{Script=Han}/u);
  });
});

describe('R-DIP-6 / R-PAY-DRG opening point value: history years weighted by calendar year (walk3 #3/#4)', () => {
  // One grouped reference case, priced at a published weight RW 1 (mean 2,000.00 元, so both costs are normal
  // cases): points = 1 × 100 × 1 (H1, level 3) = 100 each. History 2022 (1,000.00 元) and 2024 (3,000.00 元), no
  // 2023; weights 1:2:7 → 2022: 1, 2024: 7. Opening = (1 × 100,000 + 7 × 300,000) ÷ (1 × 100 + 7 × 100)
  // = 2,200,000 ÷ 800 = 2,750 分/点 = 27.50 元/点. By position 2022 took 2023's weight 2: 2,300,000 ÷ 900 = 25.56.
  const { history } = regionCases();
  const levels = new Map(institutions.map((i) => [i.code, i.level] as const));
  const sample = history.find((c) => groupForPayment(kernel, [c], levels)[0]?.drg)!;
  const drg = groupForPayment(kernel, [sample], levels)[0]!.drg!;
  const at = (year: number, cost: number) =>
    testCase({
      setlId: `Y${year}`,
      institutionCode: 'H1',
      admissionTime: `${year}-03-01`,
      sex: sample.sex,
      ageYears: sample.ageYears,
      diagnoses: sample.diagnoses,
      procedures: sample.procedures,
      totalCost: cost,
      fundPay: cost / 2,
    });
  const published = {
    source: 'test table',
    overallMean: 200_000,
    weights: new Map([[drg, { drg, rw: { num: 1n, den: 1n }, meanCost: 200_000, cases: 10, cv: 0 }]]),
  };

  it('2022 and 2024 with points, none in 2023: 27.50 元/点 (2022 × 1, 2024 × 7)', () => {
    const r = drgHistoryReducer({ year: 2025, institutions, kernel, drg: policy, weights: published });
    r.add([at(2022, 100_000), at(2024, 300_000)]);
    const v = r.finish().openingPointValue;
    expect(Number(v.num) / Number(v.den)).toBe(2_750);
  });

  it('no weighted year with points: a DRG error naming the weighted years and the published table, no DIP catalog', () => {
    const r = drgHistoryReducer({
      year: 2025,
      institutions,
      kernel,
      drg: policy,
      weights: { ...published, weights: new Map() },
    });
    r.add([at(2024, 300_000)]);
    let error: unknown;
    try {
      r.finish();
    } catch (e) {
      error = e;
    }
    const e = error as SettlementError;
    expect(e.code).toBe('NO_POINTS');
    expect(e.zh).toContain('DRG 历史年度（2022、2023、2024');
    expect(e.zh).toContain('公布的权重表');
    expect(e.zh).not.toContain('病种目录');
    expect(e.en).toContain('years 2022, 2023, 2024');
  });
});

describe('R-PAY-DRG a base rate from the budget is explained as 费率 (audit region: 88.375 元/点 × 100 = 8,837.50 元/RW)', () => {
  // The audit's DRG region settled at (51,590.00 ÷ 0.7 − 3,000.00) ÷ 800 points = 88.375 元/点 (8,837.5 fen per point).
  const settled = () =>
    ({
      steps: [
        { rule: 'R-BUD-2', zh: '基金预算', en: 'budget', result: '51590.00' },
        { rule: 'R-DIP-6', zh: '浮动点值', en: 'floating point value', result: '88.375000 元/点' },
        { rule: 'R-DIP-6', zh: '全池年度应付总额', en: 'year-end total', result: '51590.00' },
      ],
      pointValue: { pointValue: ratio(17_675n, 2n) },
    }) as unknown as PoolSettlement;
  const baseRate = {
    ...policy,
    method: { value: 'base-rate' as const, source: 'm' },
    baseRate: { value: 'budget' as const, source: '费率 = 基金预算 ÷ 总权重' },
  };

  it('after the point-value step: 费率 = 88.375000 × 100 = 8837.50 元/RW, citing the base-rate clause', () => {
    const s = withBaseRateStep(settled(), baseRate);
    expect(s.steps.map((x) => x.result)).toEqual(['51590.00', '88.375000 元/点', '8837.50 元/RW', '51590.00']);
    expect(s.steps[2]).toMatchObject({
      rule: 'R-PAY-DRG',
      clause: '费率 = 基金预算 ÷ 总权重',
      values: { pointValue: '88.375000', pointsPerRw: 100 },
    });
    expect(s.steps[2]!.zh).toMatch(/^费率 = 年度点值 × 每RW点数/);
  });

  it('the point method (points, point value = budget ÷ total points) gets no base-rate step', () => {
    expect(withBaseRateStep(settled(), policy).steps).toHaveLength(3);
  });
});

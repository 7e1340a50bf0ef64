import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DipGrouper } from '../grouping/dip/index.ts';
import { seededShuffle } from '../payment/contract.ts';
import { groupLevelMeans, groupMeanKey } from '../payment/dip/index.ts';
import { generateRegion } from '../payment/dip/synth.ts';
import { testDipPolicy, testSettlementPolicy } from '../payment/dip/testing.ts';
import { dipHistoryReducer, explainDipCase, explainDipSettlement, runDip } from './dip-pool.ts';

const region = generateRegion({
  seed: 7,
  institutions: 8,
  diagnoses: 40,
  casesPerYear: { 2022: 600, 2023: 700, 2024: 800, 2025: 900 },
});
const history = [2022, 2023, 2024].flatMap((y) => region.byYear.get(y)!);
const current = region.byYear.get(2025)!;
const dip = {
  policy: testDipPolicy({
    coreGroupThreshold: '{ value: { method: fixed, minCases: 15 }, source: "技术规范 临界值 15" }',
    trimming: '{ value: { low: 0.025, high: 0.975 }, source: "技术规范 剔除" }',
    institutionCoefficient: '{ value: { method: calibrated, basis: case-mix }, source: "002 四(二)" }',
    referencePointValue: '{ value: opening, source: "技术规范 年初点值" }',
    auxiliary:
      '{ value: { minCases: 5, minCoefficient: 1.1, age: [{ code: E65, zh: "≥65岁", unit: years, from: 65 }], icuDays: [{ code: U7, zh: "2–7天", from: 2, to: 7 }, { code: U14, zh: "≥8天", from: 8 }], cci: [{ code: S1, zh: "CCI≥1", from: 1 }], death: true }, source: "技术规范 辅助目录" }',
  }),
  id: 'test-dip-2025',
  version: '1',
};
const settlement = testSettlementPolicy({
  budget: '{ value: { method: growth, growthRate: 0.05 }, source: "002 四(一)" }',
  fundPaymentRatio: '{ value: computed, source: "技术规范" }',
  provisionalPointValue: '{ value: { method: monthly-quota, quotaRatio: 0.9 }, source: "002 四(三)" }',
});
const input = { region: 'test', year: 2025, history, current, institutions: region.institutions, dip, settlement };
const json = (x: unknown) => JSON.stringify(x, (_k, v) => (typeof v === 'bigint' ? v.toString() : v));

describe('a DIP year end to end (R-PAY-DIP)', () => {
  const run = runDip(input);

  it('R-DIP-6: Σ institutions’ year-end amounts = the DIP fund to the fen', () => {
    const total = run.settlement.institutions.reduce((s, i) => s + i.yearEnd, 0);
    expect(total).toBe(run.settlement.fund);
    // fund = last year's fund payment × 1.05, half-up
    const last = region.byYear.get(2024)!.reduce((s, c) => s + c.fundPay, 0);
    expect(run.settlement.fund).toBe(Math.round(last * 1.05));
  });

  it('every case is accounted for with a status; the explanation arrives at its points', () => {
    expect(run.units.length).toBe(current.length);
    const r = run.evaluation.results[10]!;
    const e = explainDipCase(run, r.setlId);
    expect(e.steps.some((s) => s.rule === 'R-DIP-1')).toBe(true);
    expect(e.steps.at(-1)!.rule).toBe('R-DIP-6');
    const s = explainDipSettlement(run, region.institutions[0]!.code);
    expect(s.steps.at(-1)!.zh).toContain('清算');
  });

  it('rerun is identical; the order of history and current cases does not matter', () => {
    const a = json(run.settlement);
    expect(json(runDip(input).settlement)).toBe(a);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), (seed) => {
        const b = runDip({
          ...input,
          history: seededShuffle(history, seed),
          current: seededShuffle(current, seed + 1),
        });
        expect(b.catalog.hash).toBe(run.catalog.hash);
        expect(json(b.settlement)).toBe(a);
      }),
      { numRuns: 5 },
    );
  });

  it('R-DIP-4: per-bed-day units join the same point pool and their cases leave DIP', () => {
    const pd = current[0]!;
    const extra = {
      unitId: pd.setlId,
      institutionCode: pd.institutionCode,
      month: pd.dischargeTime.slice(0, 7),
      method: 'per-diem' as const,
      group: 'PSY',
      status: 'paid' as const,
      claim: { kind: 'points' as const, points: 1_000_000 },
      billed: pd.totalCost,
      patientPaid: pd.totalCost - pd.fundPay,
      explanation: [],
    };
    const r = runDip({ ...input, extraUnits: [extra], paidByOtherMethod: new Map([[pd.setlId, 'per-diem']]) });
    expect(r.evaluation.results.find((x) => x.setlId === pd.setlId)!.status).toBe('excluded');
    expect(r.settlement.groups.some((g) => g.method === 'per-diem')).toBe(true);
    expect(r.settlement.institutions.reduce((s, i) => s + i.yearEnd, 0)).toBe(r.settlement.fund);
  });

  it('R-DIP-4: history cases of the per-bed-day categories stay out of calibration (catalog and opening value) but not out of last year’s payments', () => {
    const y2024 = history.filter((c) => c.dischargeTime.startsWith('2024'));
    const out = new Set(y2024.slice(0, 50).map((c) => c.setlId));
    const r = runDip({ ...input, historyOfOtherMethods: out });
    const keptCases = r.catalog.groups.reduce((s, g) => s + g.cases, 0);
    const allCases = run.catalog.groups.reduce((s, g) => s + g.cases, 0);
    expect(keptCases).toBe(allCases - 50);
    expect(r.settlement.fund).toBe(run.settlement.fund);
  });
});

describe('R-DIP-1 / R-DIP-2 / R-DIP-3: the history reduced batch by batch, never held', () => {
  const meansDip = {
    ...dip,
    policy: testDipPolicy({
      coreGroupThreshold: '{ value: { method: fixed, minCases: 15 }, source: "技术规范 临界值 15" }',
      trimming: '{ value: { low: 0.025, high: 0.975 }, source: "技术规范 剔除" }',
      deviationStandard:
        '{ value: group-mean-cost, source: "DIP 技术规范 2.0 上一年度同级别定点医疗机构该病种次均医疗总费用" }',
    }),
  };
  const reduceIn = (d: typeof dip, size: number, other?: ReadonlySet<string>) => {
    const r = dipHistoryReducer({ region: 'test', year: 2025, institutions: region.institutions, dip: d });
    for (let i = 0; i < history.length; i += size) {
      r.add(history.slice(i, i + size), other ? (c) => other.has(c.setlId) : undefined);
    }
    return r.finish();
  };

  it('any batching gives the catalog, group means, opening value and settlement of the whole array, to the exact ratio', () => {
    const out = new Set(history.filter((_, i) => i % 11 === 0).map((c) => c.setlId));
    const whole = runDip({ ...input, dip: meansDip, historyOfOtherMethods: out });
    expect(whole.engine).toBeDefined();
    fc.assert(
      fc.property(fc.integer({ min: 1, max: history.length + 1 }), (size) => {
        const reduced = reduceIn(meansDip, size, out);
        expect(reduced.catalog.hash).toBe(whole.catalog.hash);
        expect(json(reduced.openingPointValue)).toBe(json(whole.openingPointValue));
        expect(json([...reduced.groupMeans!])).toBe(json([...reduceIn(meansDip, history.length, out).groupMeans!]));
        expect(reduced.cases).toBe(history.length);
        const b = runDip({ ...input, dip: meansDip, history: reduced });
        expect(json(b.settlement)).toBe(json(whole.settlement));
        expect(json(b.units)).toBe(json(whole.units));
      }),
      { numRuns: 6 },
    );
  });

  it('R-DIP-6: last year’s fund payment is every 2024 case’s fund payment per institution (per-bed-day stays included)', () => {
    const out = new Set(history.filter((_, i) => i % 3 === 0).map((c) => c.setlId));
    const reduced = reduceIn(dip, 97, out);
    const expected = new Map<string, number>();
    for (const c of region.byYear.get(2024)!)
      expected.set(c.institutionCode, (expected.get(c.institutionCode) ?? 0) + c.fundPay);
    expect([...reduced.lastYearFundPaid].sort()).toEqual([...expected].sort());
  });

  it('R-DIP-3: group means are last year’s same-level mean total cost per group, summed over distinct grouping keys', () => {
    const reduced = reduceIn(meansDip, 250);
    const direct = groupLevelMeans(
      reduced.catalog,
      meansDip.policy,
      region.byYear.get(2024)!,
      region.institutions,
      2024,
    );
    expect(json([...reduced.groupMeans!])).toBe(json([...direct]));
    // One mean by hand: Σ cost ÷ n of the 2024 cases of the level that the grouper puts in the group.
    const [key, mean] = [...reduced.groupMeans!][0]!;
    const grouper = new DipGrouper(reduced.catalog, undefined, meansDip.policy.coreMatch.value);
    const levelOf = new Map(region.institutions.map((i) => [i.code, i.level] as const));
    const own = region.byYear.get(2024)!.filter((c) => {
      const g = grouper.groupIndex(c);
      return g >= 0 && groupMeanKey(reduced.catalog.groups[g]!.code, levelOf.get(c.institutionCode)!) === key;
    });
    const sum = own.reduce((s, c) => s + c.totalCost, 0);
    expect(own.length).toBeGreaterThan(0);
    expect(mean.num * BigInt(own.length)).toBe(BigInt(sum) * mean.den);
  });
});

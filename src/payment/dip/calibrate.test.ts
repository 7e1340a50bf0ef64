import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatPoints } from '../../model/points.ts';
import { formatPointValue } from '../../settlement/value.ts';
import { seededShuffle } from '../contract.ts';
import { calibrateCatalog, keptCv, selectNth } from './calibrate.ts';
import { coefficientOfVariation } from './stats.ts';
import { dipCase, testDipPolicy, testInstitution } from './testing.ts';

const meta = { policyId: 'test-dip-2025', version: '1', region: 'test' };
const insts = [testInstitution('H1', '3'), testInstitution('H2', '2')];

// Group A: K35.8 × 47.0901 (appendectomy); group B: J18.9 conservative. Costs in yuan (fen in the data).
const history = [
  dipCase('a1', { dx: 'K35.800', procs: ['47.0901'], cost: 100_000, date: '2022-05-01' }),
  dipCase('a2', { dx: 'K35.800', procs: ['47.0901'], cost: 100_000, date: '2022-06-01' }),
  dipCase('a3', { dx: 'K35.800', procs: ['47.0901'], cost: 120_000, date: '2023-05-01' }),
  dipCase('a4', { dx: 'K35.800', procs: ['47.0901'], cost: 150_000, date: '2024-05-01' }),
  dipCase('b1', { dx: 'J18.900', cost: 50_000, date: '2022-05-01' }),
  dipCase('b2', { dx: 'J18.900', cost: 60_000, date: '2023-05-01' }),
  dipCase('b3', { dx: 'J18.900', cost: 80_000, date: '2024-05-01' }),
];

describe('catalog calibration (R-DIP-1, R-DIP-2)', () => {
  it('R-DIP-2: scores with year weights 1:2:7 and scale 1000, computed by hand', () => {
    // Group A yearly means: 2022 (1000+1000)/2 = 1000, 2023 1200, 2024 1500 yuan.
    //   m_A = (1×1000 + 2×1200 + 7×1500) ÷ 10 = 13900 ÷ 10 = 1390 yuan.
    // Group B: m_B = (1×500 + 2×600 + 7×800) ÷ 10 = 730 yuan.
    // All cases: 2022 (1000+1000+500)/3 = 833.33…, 2023 (1200+600)/2 = 900, 2024 (1500+800)/2 = 1150.
    //   M = (833.33… + 2×900 + 7×1150) ÷ 10 = 1068.333… yuan (= 320500/3 fen).
    // RW_A = 1390 ÷ 1068.333… × 1000 = 1301.09204… → 1301.0920; RW_B = 730 ÷ 1068.333… × 1000 = 683.30733… → 683.3073.
    const { catalog } = calibrateCatalog({ history, institutions: insts, policy: testDipPolicy(), meta });
    const a = catalog.groups.find((g) => g.code === 'K35.8|47.0901')!;
    const b = catalog.groups.find((g) => g.code === 'J18.9|')!;
    expect(formatPoints(a.score)).toBe('1301.0920');
    expect(formatPoints(b.score)).toBe('683.3073');
    expect(a.meanCost).toBe(139_000);
    expect(b.meanCost).toBe(73_000);
    expect(catalog.basisMeanCost).toBe(106_833); // 1068.33 yuan, half-up to the fen
    expect(a.kind).toBe('core');
    expect(catalog.version).toMatch(/^1\+[0-9a-f]{12}$/);
  });

  it('R-DIP-2: scale 100 and a fixed basis M = 1000 yuan', () => {
    // RW_A = 1390 ÷ 1000 × 100 = 139.0000; RW_B = 730 ÷ 1000 × 100 = 73.0000.
    const policy = testDipPolicy({
      scoreScale: '{ value: 100, source: "技术规范 × 100" }',
      scoreBasis: '{ value: { method: fixed, meanCost: 1000 }, source: "技术规范 定额法" }',
    });
    const { catalog } = calibrateCatalog({ history, institutions: insts, policy, meta });
    expect(formatPoints(catalog.groups.find((g) => g.code === 'K35.8|47.0901')!.score)).toBe('139.0000');
    expect(formatPoints(catalog.groups.find((g) => g.code === 'J18.9|')!.score)).toBe('73.0000');
  });

  it('R-DIP-1: combinations below the threshold fold into comprehensive groups by 类目 × treatment type', () => {
    // Threshold 3: K35.8×47.0901 has 4 cases (core); J18.9 conservative has 3 (core); a single K35.2×47.0100 case
    // and a single K35.3 with a diagnostic 88.0100 both go to comprehensive groups K35#surgery / K35#diagnostic.
    const policy = testDipPolicy({
      coreGroupThreshold: '{ value: { method: fixed, minCases: 3 }, source: "临界值 3" }',
    });
    const extra = [
      dipCase('c1', { dx: 'K35.200', procs: ['47.0100'], cost: 90_000, date: '2024-01-01' }),
      dipCase('c2', { dx: 'K35.300', procs: ['88.0100'], cost: 40_000, date: '2024-01-02' }),
    ];
    const { catalog } = calibrateCatalog({ history: [...history, ...extra], institutions: insts, policy, meta });
    expect(catalog.groups.map((g) => `${g.code}:${g.kind}`)).toEqual([
      'J18.9|:core',
      'K35#diagnostic:comprehensive',
      'K35#surgery:comprehensive',
      'K35.8|47.0901:core',
    ]);
  });

  it('R-DIP-1: a coverage threshold takes the count at which core groups reach the share of cases', () => {
    // Counts: A 4, B 3, two singles → 9 cases. Coverage 0.7 → 6.3 cases: A (4) then B (3) reach 7 ≥ 6.3 → threshold 3.
    const policy = testDipPolicy({
      coreGroupThreshold: '{ value: { method: coverage, coverage: 0.7 }, source: "技术规范 覆盖 70%" }',
    });
    const extra = [
      dipCase('c1', { dx: 'K35.200', procs: ['47.0100'], cost: 90_000, date: '2024-01-01' }),
      dipCase('c2', { dx: 'K35.300', procs: ['88.0100'], cost: 40_000, date: '2024-01-02' }),
    ];
    const r = calibrateCatalog({ history: [...history, ...extra], institutions: insts, policy, meta });
    expect(r.steps[0]!.result).toBe(3);
    expect(r.catalog.groups.filter((g) => g.kind === 'core').length).toBe(2);
  });

  it('R-DIP-2: trimming 2.5 % / 97.5 % drops floor(n × 2.5 %) cases at each end before the mean', () => {
    // 40 cases of 1000 yuan plus one of 100 and one of 100000 yuan (n = 42, floor(42 × 0.025) = 1 each end):
    // the trimmed mean is exactly 1000 yuan, all in 2024.
    const cases = Array.from({ length: 40 }, (_, i) =>
      dipCase(`t${i}`, { dx: 'I10.x00', cost: 100_000, date: '2024-02-01' }),
    );
    cases.push(dipCase('lo', { dx: 'I10.x00', cost: 10_000, date: '2024-02-01' }));
    cases.push(dipCase('hi', { dx: 'I10.x00', cost: 10_000_000, date: '2024-02-01' }));
    const policy = testDipPolicy({ trimming: '{ value: { low: 0.025, high: 0.975 }, source: "技术规范 剔除" }' });
    const { catalog } = calibrateCatalog({ history: cases, institutions: insts, policy, meta });
    const g = catalog.groups[0]!;
    expect(g.meanCost).toBe(100_000);
    expect(g.trimmedCases).toBe(40);
    expect(g.cv).toBe(0);
  });

  it('R-DIP-5: level coefficients by mean cost and the opening point value at base points', () => {
    // mean-cost basis: level 3 cases (H1) a1,a3,b1 → year means 2022 (1000+500)/2 = 750, 2023 1200; 2024: none.
    // Level 3 weighted = (1×750 + 2×1200) ÷ 3 = 1050. City = 1068.333… → coefficient 1050 ÷ 1068.333… = 0.98284… → 0.9828.
    const hist = history.map((c) => ({ ...c, institutionCode: ['a1', 'a3', 'b1'].includes(c.setlId) ? 'H1' : 'H2' }));
    const policy = testDipPolicy({
      institutionCoefficient: '{ value: { method: calibrated, basis: mean-cost }, source: "技术规范 等级系数" }',
      referencePointValue: '{ value: opening, source: "技术规范 年初点值" }',
    });
    const r = calibrateCatalog({ history: hist, institutions: insts, policy, meta });
    const lv = Object.fromEntries(r.catalog.institutionCoefficients.map((e) => [e.key, e.coefficient]));
    expect(lv['3']).toBe('0.9828');
    // Level 2 (H2): a2 (2022, 1000), b2 (2023, 600), a4 (2024, 1500), b3 (2024, 800):
    // (1×1000 + 2×600 + 7×1150) ÷ 10 = 1025 → 1025 ÷ 1068.333… = 0.95944… → 0.9594.
    expect(lv['2']).toBe('0.9594');
    // Opening point value = Σ w × cost ÷ Σ w × points, with points = score × level coefficient:
    //   2022: cost 2500 yuan; points a1 1301.0920×0.9828 = 1278.7132, a2 1301.0920×0.9594 = 1248.2677,
    //         b1 683.3073×0.9828 = 671.5544 → 3198.5353;
    //   2023: 1800 yuan; a3 1278.7132 + b2 683.3073×0.9594 = 655.5650 → 1934.2782;
    //   2024: 2300 yuan; a4 1248.2677 + b3 655.5650 → 1903.8327.
    //   pv = (2500 + 3600 + 16100) ÷ (3198.5353 + 3868.5564 + 13326.8289) = 22200 ÷ 20393.9206 = 1.0885597… yuan/point.
    expect(formatPointValue(r.openingPointValue, 6)).toBe('1.088560');
    expect(r.referencePointValue).toEqual(r.openingPointValue);
  });

  it('R-DIP-5: an auxiliary subtype is triggered by enough cases and a high enough coefficient', () => {
    // Group J18.9: 4 cases of 500 yuan aged 40 and 2 of 1000 yuan aged 70 (all 2024). Group mean 666.67;
    // subtype ≥65 mean 1000 → coefficient 1000 ÷ 666.67 = 1.5000 (min cases 2, min coefficient 1.1).
    const cases = [
      ...[1, 2, 3, 4].map((i) => dipCase(`y${i}`, { dx: 'J18.900', cost: 50_000, date: '2024-03-01', age: 40 })),
      ...[1, 2].map((i) => dipCase(`o${i}`, { dx: 'J18.900', cost: 100_000, date: '2024-03-01', age: 70 })),
    ];
    const policy = testDipPolicy({
      auxiliary:
        '{ value: { minCases: 2, minCoefficient: 1.1, age: [{ code: E65, zh: "≥65岁", unit: years, from: 65 }], icuDays: [], cci: [], death: true }, source: "技术规范 辅助目录" }',
    });
    const { catalog } = calibrateCatalog({ history: cases, institutions: insts, policy, meta });
    expect(catalog.groups[0]!.auxiliary).toEqual([{ subtype: 'age:E65', coefficient: '1.5000', cases: 2 }]);
  });

  it('R-DIP-5: with a CV trigger, a subtype is kept only when splitting it off lowers the CV enough', () => {
    // Group J18.9 (all 2024): aged 40 — 400, 600, 400, 600 yuan; aged 70 — 500, 1500 yuan. Group mean 666.67,
    // subtype ≥65 mean 1000 → coefficient 1.5000. Population CV of the group: sd 381.517 ÷ 666.667 = 0.57228.
    // After the split: young CV 100 ÷ 500 = 0.2, old CV 500 ÷ 1000 = 0.5, case-weighted (4×0.2 + 2×0.5) ÷ 6 = 0.3.
    // Reduction (0.57228 − 0.3) ÷ 0.57228 = 0.4758: triggered at a 40 % threshold, not at 50 %.
    const cases = [
      ...[400, 600, 400, 600].map((y, i) =>
        dipCase(`y${i}`, { dx: 'J18.900', cost: y * 100, date: '2024-03-01', age: 40 }),
      ),
      ...[500, 1500].map((y, i) => dipCase(`o${i}`, { dx: 'J18.900', cost: y * 100, date: '2024-03-01', age: 70 })),
    ];
    const aux = (reduction: number) =>
      testDipPolicy({
        auxiliary: `{ value: { minCases: 2, minCoefficient: 1.1, minCvReduction: ${reduction}, age: [{ code: E65, zh: "≥65岁", unit: years, from: 65 }], icuDays: [], cci: [], death: true }, source: "技术规范 辅助目录 变异系数下降" }`,
      });
    const at40 = calibrateCatalog({ history: cases, institutions: insts, policy: aux(0.4), meta }).catalog;
    expect(at40.groups[0]!.auxiliary).toEqual([
      { subtype: 'age:E65', coefficient: '1.5000', cases: 2, cvReduction: '0.4758' },
    ]);
    const at50 = calibrateCatalog({ history: cases, institutions: insts, policy: aux(0.5), meta }).catalog;
    expect(at50.groups[0]!.auxiliary).toEqual([]);
  });

  it('primary-care groups from the policy list are marked; a missing one is a warning', () => {
    const policy = testDipPolicy({
      primaryCareGroups: '{ value: { groups: ["J18.9|", "X99.9|"], maxCv: 0.7 }, source: "002 四(二) 基层病种库" }',
    });
    const { catalog } = calibrateCatalog({ history, institutions: insts, policy, meta });
    expect(catalog.groups.find((g) => g.code === 'J18.9|')!.primaryCare).toBe(true);
    expect(catalog.warnings.map((w) => w.code)).toContain('PRIMARY_NOT_FOUND');
  });

  it('is independent of the order of history cases and deterministic (same hash)', () => {
    const a = calibrateCatalog({ history, institutions: insts, policy: testDipPolicy(), meta });
    const b = calibrateCatalog({ history: [...history].reverse(), institutions: insts, policy: testDipPolicy(), meta });
    expect(b.catalog.hash).toBe(a.catalog.hash);
    expect(JSON.stringify(b.catalog)).toBe(JSON.stringify(a.catalog));
  });

  it('trimming with many tied costs at the cut is decided by setl_id: any input order gives the same catalog', () => {
    const policy = testDipPolicy({
      trimming: '{ value: { low: 0.1, high: 0.9 }, source: "测试 剔除 10%" }',
      institutionCoefficient: '{ value: { method: calibrated, basis: case-mix }, source: "002 四(二)" }',
      referencePointValue: '{ value: opening, source: "技术规范 年初点值" }',
    });
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            cost: fc.constantFrom(100, 200, 300),
            inst: fc.constantFrom('H1', 'H2'),
            y: fc.constantFrom(2022, 2023, 2024),
          }),
          {
            minLength: 10,
            maxLength: 40,
          },
        ),
        fc.integer(),
        (rows, seed) => {
          const cases = rows.map((r, i) =>
            dipCase(`c${i}`, { dx: 'J18.900', cost: r.cost * 100, inst: r.inst, date: `${r.y}-05-01` }),
          );
          const a = calibrateCatalog({ history: cases, institutions: insts, policy, meta });
          const b = calibrateCatalog({ history: seededShuffle(cases, seed), institutions: insts, policy, meta });
          expect(b.catalog.hash).toBe(a.catalog.hash);
          expect(b.openingPointValue).toEqual(a.openingPointValue);
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe('R-DIP-2 trimming helpers (the 2.5 % / 97.5 % cut found by selection, the CV of the kept cases)', () => {
  it('selectNth gives the value a full sort puts at position k, also with many ties, and the second cut within the rest', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 20 }), { minLength: 1, maxLength: 300 }), fc.nat(), (xs, seed) => {
        const sorted = Float64Array.from(xs).sort();
        const n = xs.length;
        const start = seed % n;
        const end = start + ((seed >> 3) % (n - start)) + 1;
        const work = Float64Array.from(xs);
        expect(selectNth(work, 0, n - 1, start)).toBe(sorted[start]);
        expect(selectNth(work, start, n - 1, end - 1)).toBe(sorted[end - 1]);
      }),
    );
  });

  it('selectNth: 1000 equal keys and a sorted run (the pivot rounds stay few) give the sorted value', () => {
    expect(selectNth(new Float64Array(1000).fill(7), 0, 999, 24)).toBe(7);
    const run = Float64Array.from({ length: 1000 }, (_, i) => i);
    expect(selectNth(run, 0, 999, 975)).toBe(975);
  });

  it('keptCv equals coefficientOfVariation of the kept costs in order: costs 100, 200, 400 (kept) and 9000 (trimmed) → CV 0.5345', () => {
    const cost = Float64Array.from([100, 9000, 200, 400]);
    const kept = Uint8Array.from([1, 0, 1, 1]);
    expect(keptCv(kept, cost, 3, 700)).toBe(coefficientOfVariation([100, 200, 400]));
    expect(keptCv(kept, cost, 3, 700)).toBe(0.5345);
    expect(keptCv(kept.subarray(1, 2), cost.subarray(1, 2), 0, 0)).toBeNull();
  });
});

describe('R-DIP-2 history years without cases (walk3 #4)', () => {
  it('only 2024 of 2022/2023/2024 at 1:2:7: a warning naming 2022 and 2023 and 2024 at 100.0%; the scores as from 2024 alone', () => {
    // A (2024): 1500 yuan; B (2024): 800 yuan; M = (1500 + 800) ÷ 2 = 1150 (a missing year adds to neither sum).
    // RW_A = 1500 ÷ 1150 × 1000 = 1304.34782… → 1304.3478.
    const only2024 = history.filter((c) => c.dischargeTime.startsWith('2024'));
    const { catalog } = calibrateCatalog({ history: only2024, institutions: insts, policy: testDipPolicy(), meta });
    const w = catalog.warnings.find((x) => x.code === 'HISTORY_YEAR_MISSING')!;
    expect(w.zh).toMatch(
      /^DIP 历史年度 2022、2023（权重 1:2）没有病例：病种分值与年初点值只按有病例的年度 2024 测算，权重 7 重新归一为 2024 100\.0%/,
    );
    expect(w.en).toContain('history year(s) 2022, 2023 (weight 1:2) have no cases');
    expect(w.en).toContain('only, the weight 7 renormalised to 2024 100.0%');
    expect(formatPoints(catalog.groups.find((g) => g.code === 'K35.8|47.0901')!.score)).toBe('1304.3478');
  });

  it('2023 missing: 2022 and 2024 renormalised 1:7 = 12.5% and 87.5%; all three present: no warning', () => {
    const no2023 = history.filter((c) => !c.dischargeTime.startsWith('2023'));
    const { catalog } = calibrateCatalog({ history: no2023, institutions: insts, policy: testDipPolicy(), meta });
    expect(catalog.warnings.find((x) => x.code === 'HISTORY_YEAR_MISSING')!.zh).toContain(
      '权重 1:7 重新归一为 2022 12.5%、2024 87.5%',
    );
    const all = calibrateCatalog({ history, institutions: insts, policy: testDipPolicy(), meta }).catalog;
    expect(all.warnings.map((x) => x.code)).not.toContain('HISTORY_YEAR_MISSING');
  });
});

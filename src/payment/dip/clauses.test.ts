/**
 * DIP readings the policy chooses, checked by hand against the specifications (DIP 技术规范 1.0/2.0, DIP 3.0 draft,
 * 002 四(二)): the deviating-case standard, cost-paid cases, the extreme-case cap, main-procedure-first core
 * matching and the reference point value.
 */
import { describe, expect, it } from 'vitest';
import { CaseColumnBuilder } from '../../model/case-columns.ts';
import { formatPoints } from '../../model/points.ts';
import { DipEngine, groupMeanKey } from './engine.ts';
import { DipError } from './errors.ts';
import { caseSteps, specialReviewStep } from './explain.ts';
import { groupLevelMeans, groupMeansAccumulator } from './group-means.ts';
import { aboveCapReason, selectSpecialReview } from './special-review.ts';
import { dipCase, testCatalog, testDipPolicy, testInstitution } from './testing.ts';

// One group X (I10.X conservative) of 1000 points; level-2 coefficient 1; reference value 10 元/点 → the same-level
// payment standard is 1000 × 10 = 10000.00 yuan. Last year (2024) two level-2 cases cost 7000 and 9000 yuan: the
// previous year's same-level group mean cost is 8000.00 yuan.
const catalog = testCatalog([{ code: 'I10.X|', kind: 'core', dx: 'I10.X', points: 1000 }]);
const institutions = [testInstitution('H2', '2')];
const history = [
  dipCase('h1', { inst: 'H2', dx: 'I10.X00', cost: 700_000, date: '2024-05-01' }),
  dipCase('h2', { inst: 'H2', dx: 'I10.X00', cost: 900_000, date: '2024-06-01' }),
  dipCase('h3', { inst: 'H2', dx: 'I10.X00', cost: 5_000_000, date: '2023-06-01' }), // not last year
];
const meanPolicy = testDipPolicy({
  deviationStandard:
    '{ value: group-mean-cost, source: "DIP 技术规范 2.0 上一年度同级别定点医疗机构该病种次均医疗总费用" }',
});
const means = groupLevelMeans(catalog, meanPolicy, history, institutions, 2024);
const byMean = new DipEngine({ catalog, policy: meanPolicy, institutions, groupMeans: means });
const byStandard = new DipEngine({
  catalog,
  policy: testDipPolicy({ costPaidCases: '{ value: year-end, source: "002 四(二) 按实际费用确定病种分值" }' }),
  institutions,
});
const at = (e: DipEngine, cost: number) => e.evaluate([dipCase('c', { inst: 'H2', dx: 'I10.X00', cost })]).results[0]!;

describe('DIP 技术规范 偏差病例 standard (policy `deviationStandard`)', () => {
  it('DIP 1.0/2.0 上一年度同级别定点医疗机构该病种次均医疗总费用: (7000 + 9000) ÷ 2 = 8000.00 yuan for I10.X at level 2', () => {
    expect(means.get(groupMeanKey('I10.X|', '2'))).toEqual({ num: 800_000n, den: 1n });
  });

  it('DIP 1.0/2.0 高倍率: 17000.00 > 2 × 8000 → high-cost, points = 1000 × ((17000 ÷ 8000 − 2) × 1 + 1) = 1125.0000; by the payment standard (2 × 10000) it is normal', () => {
    const m = at(byMean, 1_700_000);
    expect([m.status, formatPoints(m.points)]).toEqual(['high-cost', '1125.0000']);
    expect(m.standard).toEqual({ num: 800_000n, den: 1n });
    expect(at(byStandard, 1_700_000).status).toBe('paid');
  });

  it('DIP 1.0/2.0 低倍率: 4500.00 ≥ 50 % × 8000 → normal by the mean; < 50 % × 10000 → low-cost by the payment standard', () => {
    expect(at(byMean, 450_000).status).toBe('paid');
    expect(at(byStandard, 450_000).status).toBe('low-cost');
  });

  it('the deviating-case step shows the standard as the policy value (group-mean-cost) and cites its source as a clause, not as the value', () => {
    const dev = caseSteps(at(byMean, 1_700_000), byMean).find((s) => s.rule === 'R-DIP-3')!;
    expect(dev.values!.偏差判定标准).toBe('group-mean-cost');
    expect(dev.values!.上一年度同级别病种次均费用).toBe('8000.00');
    expect(dev.clause!.startsWith('DIP 技术规范 2.0 上一年度同级别定点医疗机构该病种次均医疗总费用; ')).toBe(true);
  });

  it('DIP 1.0/2.0 group mean stays exact past 2^53 fen: 3 cases of 2^52 + 1 fen each → mean 2^52 + 1 (the sum leaves the double range, read as columns too)', () => {
    const big = 2 ** 52 + 1;
    const cases = ['b1', 'b2', 'b3'].map((id) =>
      dipCase(id, { inst: 'H2', dx: 'I10.X00', cost: big, date: '2024-05-01' }),
    );
    const exact = { num: BigInt(big), den: 1n };
    expect(groupLevelMeans(catalog, meanPolicy, cases, institutions, 2024).get(groupMeanKey('I10.X|', '2'))).toEqual(
      exact,
    );
    const acc = groupMeansAccumulator(institutions, 2024);
    acc.addColumns(new CaseColumnBuilder().columns(cases));
    expect(acc.finish(catalog, meanPolicy).get(groupMeanKey('I10.X|', '2'))).toEqual(exact);
  });

  it('DIP 1.0/2.0: a group × level without last-year cases falls back to the same-level payment standard', () => {
    const none = new DipEngine({ catalog, policy: meanPolicy, institutions, groupMeans: new Map() });
    const r = at(none, 1_700_000);
    expect([r.status, r.standard]).toEqual(['paid', null]);
  });
});

describe('002 四(二) 对于异常低值的病例，按实际费用确定病种分值 (policy `costPaidCases`)', () => {
  it('year-end (default): a low-cost case claims its cost 4500.00 as an amount, so the pool pays it at any year-end point value', () => {
    const r = at(byStandard, 450_000);
    expect([r.status, r.claim, r.amount, r.points]).toEqual(['low-cost', 'amount', 450_000, 0]);
  });
});

describe('DIP 技术规范 费用极高病例 cap (policy `highCost.maxPointsMultiple`)', () => {
  it('极高病例: 50000.00 on a 10000 standard → 1000 × ((5 − 2) + 1) = 4000.0000 points; capped at 3 × base = 3000.0000', () => {
    expect(formatPoints(at(byStandard, 5_000_000).points)).toBe('4000.0000');
    const capped = new DipEngine({
      catalog,
      policy: testDipPolicy({
        highCost: '{ value: { multiple: 2, excessRate: 1, maxPointsMultiple: 3 }, source: "本地办法 极高病例封顶" }',
        specialReview: '{ value: { multiple: 100, capPerMille: 5 }, source: "本地办法 特例单议" }',
      }),
      institutions,
    });
    expect(formatPoints(at(capped, 5_000_000).points)).toBe('3000.0000');
  });
});

describe('DIP 技术规范 核心病种 matching: the main procedure first (policy `coreMatch`)', () => {
  // D|A (one procedure) and D|B+C (two); a case with A (main, first listed), B and C and no exact group.
  const cat = testCatalog([
    { code: 'K80.1|51.2200', kind: 'core', dx: 'K80.1', procedures: ['51.2200'], treatment: 'surgery', points: 900 },
    {
      code: 'K80.1|44.4300+45.1300',
      kind: 'core',
      dx: 'K80.1',
      procedures: ['44.4300', '45.1300'],
      treatment: 'surgery',
      points: 1500,
    },
  ]);
  const c = dipCase('m', { inst: 'H2', dx: 'K80.100', procs: ['51.2200', '44.4300', '45.1300'] });
  it('main-procedure-first (default): the core group with the main procedure 51.2200 wins over the one sharing more', () => {
    const e = new DipEngine({ catalog: cat, policy: testDipPolicy(), institutions });
    expect(cat.groups[e.grouper.group(c).index]!.code).toBe('K80.1|51.2200');
  });
  it('most-shared: the two shared procedures win whatever the main one', () => {
    const e = new DipEngine({
      catalog: cat,
      policy: testDipPolicy({ coreMatch: '{ value: most-shared, source: "本地办法" }' }),
      institutions,
    });
    expect(cat.groups[e.grouper.group(c).index]!.code).toBe('K80.1|44.4300+45.1300');
  });
});

describe('参考点值 (policy `referencePointValue`)', () => {
  it('a number written in the policy is honoured over the catalog’s: 12 元/点 → standard 12000.00, so 23000.00 is normal', () => {
    const e = new DipEngine({
      catalog,
      policy: testDipPolicy({ referencePointValue: '{ value: 12, source: "本地办法 参考点值" }' }),
      institutions,
    });
    expect(e.referencePointValue).toEqual({ num: 1200n, den: 1n });
    expect(at(e, 2_300_000).status).toBe('paid');
    expect(at(byStandard, 2_300_000).status).toBe('high-cost');
  });

  it('no reference value anywhere: an error that says what to provide, in zh and en', () => {
    const bare = { ...catalog, referencePointValue: null };
    try {
      new DipEngine({
        catalog: bare,
        policy: testDipPolicy({ referencePointValue: '{ value: opening, source: "技术规范 年初点值" }' }),
        institutions,
      });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(DipError);
      expect((e as DipError).zh).toMatch(/请在 DIP 政策中写 referencePointValue/);
      expect((e as DipError).en).toMatch(/state referencePointValue in the DIP policy/);
    }
  });
});

// A statement's 计算依据 read "特例单议：超过特例单议上限 0 例（技术规范 特例单议 5‰），按高倍率病例计分 [技术规范 特例单议 5‰]":
// the clause twice, and a cap of 0 with nothing saying why. `yibao explain case` read "特例单议：" and nothing more.
describe('R-DIP-3 技术规范 特例单议不超过出院总病例数 5‰: a candidate above the cap', () => {
  it('1 DIP case × 5‰ = 0.005, rounded down: cap 0; the reason says how, once, and the clause stays the step’s own', () => {
    const policy = testDipPolicy();
    // 60000.00 on the 10000.00 standard: 6 × > the special-review multiple 5 → a candidate.
    const r = byStandard.evaluate([dipCase('c', { inst: 'H2', dx: 'I10.X00', cost: 6_000_000 })]).results[0]!;
    expect(r.specialCandidate).toBe(true);
    expect(selectSpecialReview([r], policy, undefined, byStandard.referencePointValue).cap).toBe(0);
    expect(r.reason).toBe(
      '超过特例单议上限 0 例（1 例 DIP 病例 × 5‰，向下取整），按高倍率病例计分 / above the special-review cap of 0 cases (1 DIP case × 5‰, rounded down): scored as a high-cost case',
    );
    expect(r.reason).not.toContain('技术规范');
    expect(aboveCapReason(400, policy)).toMatch(/^超过特例单议上限 2 例（400 例 DIP 病例 × 5‰，向下取整）/);
    const step = specialReviewStep(r, byStandard)!;
    expect([step.clause, step.zh]).toEqual([
      '技术规范 特例单议 5‰',
      '特例单议：超过特例单议上限 0 例（1 例 DIP 病例 × 5‰，向下取整），按高倍率病例计分',
    ]);
  });
});

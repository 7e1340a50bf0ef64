import { describe, expect, it } from 'vitest';
import { renderExplanation } from '../../model/explain.ts';
import { fenToYuan } from '../../model/money.ts';
import { formatPoints } from '../../model/points.ts';
import { readableExplanation } from '../../report/readable-explanation.ts';
import { runPaymentContract } from '../contract.ts';
import { DipEngine } from './engine.ts';
import { explainCase } from './explain.ts';
import { dipMethod } from './method.ts';
import { dipCase, testCatalog, testDipPolicy, testInstitution } from './testing.ts';
import { toUnitResult } from './unit-result.ts';

// Reference point value 10 yuan/point (1000 fen/point); level 3 coefficient 1.2, level 2 1, primary 0.8.
const catalog = testCatalog([
  { code: 'K35.8|47.0901', kind: 'core', dx: 'K35.8', procedures: ['47.0901'], treatment: 'surgery', points: 1000 },
  {
    code: 'K35.8|47.0901+54.5100',
    kind: 'core',
    dx: 'K35.8',
    procedures: ['47.0901', '54.5100'],
    treatment: 'surgery',
    points: 1400,
  },
  {
    code: 'K35.8|47.0100+54.5100',
    kind: 'core',
    dx: 'K35.8',
    procedures: ['47.0100', '54.5100'],
    treatment: 'surgery',
    points: 1200,
  },
  { code: 'K35#surgery', kind: 'comprehensive', dx: 'K35', treatment: 'surgery', points: 800 },
  { code: 'K35#conservative', kind: 'comprehensive', dx: 'K35', treatment: 'conservative', points: 500 },
  { code: 'J18.9|', kind: 'core', dx: 'J18.9', points: 600, primaryCare: true },
  {
    code: 'I63.9|',
    kind: 'core',
    dx: 'I63.9',
    points: 1000,
    auxiliary: [{ subtype: 'age:E65', coefficient: '1.5000', cases: 20 }],
  },
]);
const institutions = [testInstitution('H3', '3'), testInstitution('H2', '2'), testInstitution('P1', 'primary')];
const AGE_POLICY = {
  costPaidCases: '{ value: year-end, source: "002 四(二) 按实际费用确定病种分值" }',
  institutionCoefficient:
    '{ value: { method: given, byLevel: { "3": 1.2, "2": 1, "1": 0.9, primary: 0.8 } }, source: "002 四(二) 医院等级系数" }',
  auxiliary:
    '{ value: { minCases: 10, minCoefficient: 1.1, age: [{ code: E65, zh: "≥65岁", unit: years, from: 65 }], icuDays: [], cci: [], death: true }, source: "技术规范 辅助目录" }',
};

const engine = new DipEngine({ catalog, policy: testDipPolicyWithAge(), institutions });

function testDipPolicyWithAge() {
  return testDipPolicy(AGE_POLICY);
}

describe('grouping order (R-DIP-1)', () => {
  const g = (procs: string[], dx: string | string[] = 'K35.800') => engine.grouper.group(dipCase('x', { dx, procs }));
  it('1 exact: 亚目 + all procedures', () => {
    expect(g(['47.0901'])).toMatchObject({
      step: 'exact',
      index: catalog.groups.findIndex((x) => x.code === 'K35.8|47.0901'),
    });
    // order of procedures does not matter for the combination
    expect(catalog.groups[g(['54.5100', '47.0901']).index]!.code).toBe('K35.8|47.0901+54.5100');
  });
  it('2 most-shared: the core group whose procedures are all done, with the most of them', () => {
    const m = g(['47.0901', '54.5100', '99.0400']);
    expect(m.step).toBe('most-shared');
    expect(catalog.groups[m.index]!.code).toBe('K35.8|47.0901+54.5100');
  });
  it('3 main-procedure: a core group containing the main (first) procedure', () => {
    const m = g(['47.0100', '99.0400']);
    expect(m.step).toBe('main-procedure');
    expect(catalog.groups[m.index]!.code).toBe('K35.8|47.0100+54.5100');
  });
  it('4 comprehensive: 类目 × treatment type (surgery before therapeutic, diagnostic, conservative)', () => {
    expect(catalog.groups[g(['47.0901'], 'K35.100').index]!.code).toBe('K35#surgery');
    // a surgery and a therapeutic procedure: surgery decides
    expect(catalog.groups[g(['99.0400', '47.0901'], 'K35.100').index]!.code).toBe('K35#surgery');
    expect(catalog.groups[g([]).index]!.code).toBe('K35#conservative');
  });
  it('5 none: no core and no comprehensive group of the type — a clear reason, never a silent zero', () => {
    const m = g(['88.0100']);
    expect(m).toMatchObject({ step: 'none', index: -1 });
    expect(m.reason).toContain('K35#diagnostic');
    const r = engine.evaluate([dipCase('u1', { dx: 'K35.800', procs: ['88.0100'], inst: 'H2' })]).results[0]!;
    expect(r.status).toBe('ungrouped');
    expect(r.reason).toContain('K35#diagnostic');
  });

  it('R-DIP-1: a case evaluated with its group given (a columnar reader groups once per code-list pair) is the same result', () => {
    const cases = [
      dipCase('g1', { dx: 'K35.800', procs: ['47.0901'], inst: 'H3' }),
      dipCase('g2', { dx: 'K35.800', procs: ['47.0901', '54.5100', '99.0400'], inst: 'H2' }),
      dipCase('g3', { dx: 'K35.100', procs: ['99.0400', '47.0901'], inst: 'P1' }),
      dipCase('g4', { dx: 'K35.800', procs: ['88.0100'], inst: 'H2' }),
      dipCase('g5', { dx: 'I63.900', procs: [], inst: 'H3', age: 70 }),
    ];
    for (const c of cases) expect(engine.evaluateCase(c, {}, engine.grouper.group(c))).toEqual(engine.evaluateCase(c));
  });

  // Fault 3: the en reason read "no core group and no comprehensive group K35 comprehensive (…)" once the group code
  // was put in words, the en grouping step "grouping: none", and the per-case sheet of a run (units without traces)
  // had an empty basis for an ungrouped case.
  it('R-DIP-1: an ungrouped case says why in each language, in the trace and as the basis of a unit without trace', () => {
    const r = engine.evaluate([dipCase('u1', { dx: 'K35.800', procs: ['88.0100'], inst: 'H2' })]).results[0]!;
    expect(r.reason).toBe(
      '目录中无 K35 的诊断性操作组综合病种，亦无可匹配的核心病种 / the catalog has no K35#diagnostic and no matching core group',
    );
    const steps = explainCase(r, engine).steps;
    expect(steps[0]!.en).toBe('grouping: ungrouped');
    expect(steps[1]!.en).toBe('ungrouped case: no points until reviewed (local rule)');
    expect(steps[1]!.zh).toBe('未入组病例：按本地规则暂不计分，待核查');
    const unit = toUnitResult(r, engine, false);
    expect(unit.explanation).toHaveLength(1);
    expect(unit.explanation[0]!.zh).toBe(
      '未入组病例：按本地规则暂不计分，待核查（目录中无 K35 的诊断性操作组综合病种，亦无可匹配的核心病种）',
    );
    expect(unit.explanation[0]!.en).toBe(
      'ungrouped case: no points until reviewed (local rule) (the catalog has no K35#diagnostic and no matching core group)',
    );
  });

  // walk3 10: a normal (and a high-cost) DIP case of a run had a blank 计算依据 while DRG, single-disease and per-bed-day
  // rows had one: units without traces carried no step at all.
  it('R-DIP-3, R-DIP-5: a grouped case without trace carries its basis: the deviating-case rule and how base points are made', () => {
    // H2 is level 2 (coefficient 1): standard = 1000 points × 1 × 10 yuan = 10000 yuan; cost 10000 is normal.
    const paid = engine.evaluate([dipCase('p1', { dx: 'K35.800', procs: ['47.0901'], inst: 'H2', cost: 1_000_000 })]);
    const normal = toUnitResult(paid.results[0]!, engine, false).explanation;
    expect(normal).toHaveLength(1);
    expect(normal[0]!.zh).toBe('费用在正常区间：病例点数 = 病种分值 × 医院等级系数 × 辅助目录系数');
    expect(normal[0]!.en).toBe(
      'cost within the normal range: points = group score × level coefficient × auxiliary coefficient',
    );
    // The clause of the score × coefficient rule, as the full trace's coefficient step cites it.
    const trace = explainCase(paid.results[0]!, engine).steps;
    expect(normal[0]!.clause).toBe(trace.find((s) => s.zh === '医院等级系数（按机构级别）')!.clause);
    // 30000 yuan is 3 × the standard of 10000: a high-cost case, its own rule.
    const high = engine.evaluate([dipCase('p2', { dx: 'K35.800', procs: ['47.0901'], inst: 'H2', cost: 3_000_000 })]);
    expect(high.results[0]!.deviation).toBe('high');
    expect(toUnitResult(high.results[0]!, engine, false).explanation[0]!.zh).toMatch(
      /^高倍率病例：病例点数 = 基础点数 × \(\(费用 ÷ 标准费用 − 高倍界值\) × 超出部分比例 \+ 1\).*；基础点数 = 病种分值 × 医院等级系数 × 辅助目录系数$/,
    );
    // A primary-care group has no level coefficient (R-DIP-5), and its basis says so.
    const primary = engine.evaluate([dipCase('p3', { dx: 'J18.900', procs: [], inst: 'H3', cost: 600_000 })]);
    expect(toUnitResult(primary.results[0]!, engine, false).explanation[0]!.zh).toContain(
      '费用在正常区间：病例点数 = 病种分值 × 辅助目录系数（基层病种不设医院等级系数）',
    );
  });
});

describe('case points and deviating cases (R-DIP-3, R-DIP-5)', () => {
  const one = (cost: number, inst = 'H3', dx = 'K35.800', procs = ['47.0901'], age = 40) =>
    engine.evaluate([dipCase('c1', { inst, dx, procs, cost, age })]).results[0]!;

  it('R-DIP-5: points = score × level coefficient: 1000 × 1.2 = 1200', () => {
    // standard = 1200 × 10 yuan = 12000 yuan; cost 10000 is within [6000, 24000] → base points.
    const r = one(1_000_000);
    expect(r.status).toBe('paid');
    expect(formatPoints(r.points)).toBe('1200.0000');
  });

  // A new user's en explanation titled the level coefficient "institution coefficient" (the zh 医院等级系数), its input
  // "level coefficient", and the score step divided by an unnamed "M".
  it('R-DIP-2/5 explain in en: the level coefficient is named as in zh (医院等级系数 = level coefficient), no bare M', () => {
    const steps = explainCase(one(1_000_000), engine).steps;
    const step = (prefix: string) => steps.find((s) => s.zh.startsWith(prefix))!;
    expect(step('医院等级系数').en).toBe("level coefficient (by the institution's level)");
    expect(step('医院等级系数').result).toBe('1.2000');
    expect(step('基础点数').en).toBe(
      'base points = group score × level coefficient × auxiliary coefficient (half-up to 0.0001)',
    );
    expect(step('病种分值').en).toBe('group score = weighted group mean cost ÷ reference cost × score scale');
    const primary = explainCase(one(600_000, 'H3', 'J18.900', []), engine).steps;
    expect(primary.find((s) => s.zh.startsWith('基层病种'))!.en).toBe(
      'primary-care group: no level coefficient (same price for the same disease in the city)',
    );
  });

  it('R-DIP-5: a primary-care group carries no level coefficient (同城同病同价)', () => {
    // J18.9 600 points at a level-3 hospital and at a primary institution alike.
    expect(formatPoints(one(600_000, 'H3', 'J18.900', []).points)).toBe('600.0000');
    expect(formatPoints(one(600_000, 'P1', 'J18.900', []).points)).toBe('600.0000');
    expect(one(600_000, 'H3', 'J18.900', []).coefficientScope).toBe('primary-care');
  });

  it('R-DIP-5: auxiliary coefficient ≥65 years: 1000 × 1.2 × 1.5 = 1800', () => {
    const r = one(1_800_000, 'H3', 'I63.900', [], 70);
    expect(r.auxSubtype).toBe('age:E65');
    expect(formatPoints(r.points)).toBe('1800.0000');
  });

  // `explain case --lang en` of such a case read 满足的亚型 = 年龄 ≥65岁 in English output: the band's English name
  // (the policy's `en`) in en, its Chinese in zh; a policy without one falls back to its Chinese (R-DIP-5).
  it('R-DIP-5: the subtypes met and in force read in the reader’s language', () => {
    const r = one(1_800_000, 'H3', 'I63.900', [], 70);
    const shown = (e: ReturnType<typeof explainCase>, lang: 'zh' | 'en') =>
      renderExplanation(readableExplanation(e, lang), lang);
    const e = explainCase(r, engine, { pointValue: { num: 1000n, den: 1n }, source: '002 四(三)' });
    expect(shown(e, 'zh')).toContain('     满足的亚型 = 年龄 ≥65岁\n');
    expect(shown(e, 'zh')).toContain('     本病种已启用亚型 = 年龄 ≥65岁=1.5000\n');
    expect(shown(e, 'en')).toContain('     subtypes met = age ≥65岁\n');
    const named = new DipEngine({
      catalog,
      policy: testDipPolicy({
        ...AGE_POLICY,
        auxiliary: AGE_POLICY.auxiliary.replace('zh: "≥65岁",', 'zh: "≥65岁", en: 65 years and over,'),
      }),
      institutions,
    });
    const met = named.evaluate([dipCase('c1', { inst: 'H3', dx: 'I63.900', procs: [], cost: 1_800_000, age: 70 })])
      .results[0]!;
    const en = shown(explainCase(met, named, { pointValue: { num: 1000n, den: 1n }, source: '002 四(三)' }), 'en');
    expect(en).toContain('     subtypes met = age 65 years and over\n');
    expect(en).toContain('     the group’s subtypes in force = age 65 years and over=1.5000\n');
    expect(shown(explainCase(met, named, { pointValue: { num: 1000n, den: 1n }, source: '' }), 'zh')).toContain(
      '     满足的亚型 = 年龄 ≥65岁\n',
    );
  });

  it('R-DIP-3: a low-cost case (cost < 50 % of standard) is paid exactly its cost (costPaidCases: year-end)', () => {
    // standard 12000 yuan; cost 5000 < 6000 → paid 5000.00 yuan whatever the year-end point value.
    const r = one(500_000);
    expect(r.status).toBe('low-cost');
    expect([r.claim, r.amount]).toEqual(['amount', 500_000]);
    const e = explainCase(r, engine, { pointValue: { num: 937n, den: 1n }, source: '002 四(三)' });
    expect(e.steps.at(-1)!.result).toBe(fenToYuan(500_000));
    // The steps say what happens: an amount, no points (not "points = cost ÷ point value" next to 0 points).
    const low = e.steps.find((s) => s.rule === 'R-DIP-3')!;
    expect(low.zh).toContain('以医疗总费用计入定额结算金额，不计点数');
    expect(low.result).toBe('5000.00');
    expect(e.steps.at(-1)!.values).toEqual({ 定额金额: '5000.00' });
    expect(e.steps.at(-1)!.zh).toBe('病例支付 = 按实际费用的定额金额');
    const withFund = explainCase(r, engine, {
      pointValue: { num: 937n, den: 1n },
      fundPaymentRatio: { num: 7n, den: 10n },
      source: '002 四(三)',
    });
    expect(withFund.steps.at(-1)!.values).toEqual({ 定额金额: '5000.00', 基金支付比例: '0.7' });
    // The result is the fund's part, and the step says so (not "病例支付"). R-DIP-6
    expect(withFund.steps.at(-1)!.zh).toBe('本病例的基金支付部分 = 定额金额（按实际费用）× 基金支付比例');
    expect(withFund.steps.at(-1)!.en).toBe(
      'the fund’s part of this case = its fixed amount (its actual cost) × fund payment ratio',
    );
    expect(withFund.steps.at(-1)!.result).toBe('3500.00');
  });

  it('R-DIP-3 explain: a deviating case is named with the glossary word the statements use (高倍率病例 / 低倍率病例), not 费用极高/极低病例', () => {
    // standard 12000 yuan: 5000 < 6000 is low-cost; 30000 > 2 × 12000 is high-cost.
    for (const [cost, word] of [
      [500_000, '低倍率病例'],
      [3_000_000, '高倍率病例'],
    ] as const) {
      const e = explainCase(one(cost), engine, { pointValue: { num: 1000n, den: 1n }, source: 'x' });
      const step = e.steps.find((s) => s.rule === 'R-DIP-3')!;
      expect(step.zh.startsWith(`${word}：`)).toBe(true);
      expect(step.zh).not.toMatch(/费用极[高低]/);
    }
  });

  it('R-DIP-3 (costPaidCases: opening): scored at the reference value, cost ÷ 10 = 500.0000 points', () => {
    const opening = new DipEngine({
      catalog,
      policy: testDipPolicy({
        ...AGE_POLICY,
        costPaidCases: '{ value: opening, source: "测试 年初点值计分" }',
      }),
      institutions,
    });
    const oneO = (cost: number) =>
      opening.evaluate([dipCase('c1', { inst: 'H3', dx: 'K35.800', procs: ['47.0901'], cost })]).results[0]!;
    const r = oneO(500_000);
    expect(formatPoints(r.points)).toBe('500.0000');
    expect(explainCase(r, opening, { pointValue: { num: 1000n, den: 1n }, source: 'x' }).steps.at(-1)!.result).toBe(
      fenToYuan(500_000),
    );
    // an odd amount: 4321.09 yuan → 432.1090 points → 4321.09 yuan
    const r2 = oneO(432_109);
    expect(formatPoints(r2.points)).toBe('432.1090');
    expect(explainCase(r2, engine, { pointValue: { num: 1000n, den: 1n }, source: 'x' }).steps.at(-1)!.result).toBe(
      '4321.09',
    );
  });

  it('R-DIP-3: at exactly 50 % of the standard the case is not low-cost', () => {
    expect(one(600_000).status).toBe('paid');
  });

  it('R-DIP-3: a high-cost case (cost > 2 × standard): points = base × ((cost ÷ standard − 2) + 1)', () => {
    // cost 30000, standard 12000: 1200 × ((2.5 − 2) + 1) = 1200 × 1.5 = 1800.0000.
    const r = one(3_000_000);
    expect(r.status).toBe('high-cost');
    expect(formatPoints(r.points)).toBe('1800.0000');
    // exactly 2 × standard (24000) is still a normal case
    expect(one(2_400_000).status).toBe('paid');
  });

  it('R-DIP-3: special review queue capped at 5‰ of the region’s DIP cases', () => {
    // 200 cases → cap floor(200 × 5 ÷ 1000) = 1. Two candidates above 5 × 12000 = 60000 yuan:
    // s1 cost 70000 (ratio 5.83), s2 cost 90000 (ratio 7.5) → s2 is queued, s1 stays high-cost with
    // 1200 × ((70000 ÷ 12000 − 2) + 1) = 5800.0000 points.
    const filler = Array.from({ length: 198 }, (_, i) =>
      dipCase(`f${String(i).padStart(3, '0')}`, { inst: 'H3', procs: ['47.0901'] }),
    );
    const cases = [
      ...filler,
      dipCase('s1', { inst: 'H3', procs: ['47.0901'], cost: 7_000_000 }),
      dipCase('s2', { inst: 'H3', procs: ['47.0901'], cost: 9_000_000 }),
    ];
    const ev = engine.evaluate(cases);
    expect(ev.specialReview).toEqual({ cap: 1, queued: 1, candidates: 2 });
    const s1 = ev.results.find((r) => r.setlId === 's1')!;
    const s2 = ev.results.find((r) => r.setlId === 's2')!;
    expect(s2.status).toBe('special-review');
    expect(s1.status).toBe('high-cost');
    expect(formatPoints(s1.points)).toBe('5800.0000');
    // The panel approves s2 for payment by items. Default reading (specialReviewByItems: points-at-cost; 002 四(二)
    // 通过病例单议、专家评审等方式确定病种分值): points at its cost, 90000 ÷ 10 yuan/point = 9000.0000 points.
    const decisions = new Map([
      ['s2', { setlId: 's2', approved: true, payment: { kind: 'items' as const }, source: '专家评审 2025-04 第3号' }],
    ]);
    const d2 = engine.evaluate(cases, { decisions }).results.find((r) => r.setlId === 's2')!;
    expect(d2).toMatchObject({ status: 'special-review', claim: 'points', points: 90_000_000 });
    expect(d2.reason).toContain('按项目费用折算点数');
    // The items reading (DIP 技术规范 评审通过的病例按项目付费): a fixed amount = its cost, 90,000.00 yuan.
    const byItems = new DipEngine({
      catalog,
      policy: testDipPolicy({
        ...AGE_POLICY,
        specialReviewByItems: '{ value: items, source: "DIP 技术规范 评审通过的病例按项目付费" }',
      }),
      institutions,
    });
    const i2 = byItems.evaluate(cases, { decisions }).results.find((r) => r.setlId === 's2')!;
    expect(i2).toMatchObject({ status: 'special-review', claim: 'amount', amount: 9_000_000, points: 0 });
  });

  it('ungrouped cases are paid by the local rule: cost × 70 % (year-end), or cost ÷ reference value × 70 % (opening)', () => {
    const e = new DipEngine({
      catalog,
      policy: testDipPolicy({
        ungrouped: '{ value: { method: discounted, ratio: 0.7 }, source: "本地规则" }',
        costPaidCases: '{ value: year-end, source: "002 四(二)" }',
      }),
      institutions,
    });
    // 1000 yuan × 0.7 = 700.00 yuan
    const r = e.evaluate([dipCase('u', { inst: 'H2', dx: 'Z99.900', cost: 100_000 })]).results[0]!;
    expect(r).toMatchObject({ status: 'ungrouped', match: 'none', claim: 'amount', amount: 70_000 });
    const o = new DipEngine({
      catalog,
      policy: testDipPolicy({
        ungrouped: '{ value: { method: discounted, ratio: 0.7 }, source: "本地规则" }',
        costPaidCases: '{ value: opening, source: "测试" }',
      }),
      institutions,
    });
    // 1000 yuan ÷ 10 × 0.7 = 70.0000 points
    const r2 = o.evaluate([dipCase('u', { inst: 'H2', dx: 'Z99.900', cost: 100_000 })]).results[0]!;
    expect(r2).toMatchObject({ status: 'ungrouped', match: 'none', points: 700_000 });
  });

  it('R-DIP-4: per-bed-day cases are excluded from DIP with the paying method named', () => {
    const r = engine.evaluate([dipCase('pd', { inst: 'H2' })], { paidByOtherMethod: new Map([['pd', 'per-diem']]) })
      .results[0]!;
    expect(r).toMatchObject({ status: 'excluded', points: 0 });
    expect(r.reason).toContain('按床日付费');
    expect(r.reason).toContain('per-bed-day payment');
    expect(r.reason).not.toMatch(/由 per-diem/);
  });

  it('an unknown institution is an error naming the case, not a guess', () => {
    expect(() => engine.evaluate([dipCase('x1', { inst: 'NOPE' })])).toThrow(/NOPE/);
  });
});

runPaymentContract(
  'DIP',
  () => dipMethod,
  () => [
    { label: 'empty batch', units: [], context: { engine } },
    {
      label: 'boundary cases (low, high, ungrouped, primary care, auxiliary)',
      units: [
        dipCase('b1', { inst: 'H3', cost: 500_000, procs: ['47.0901'] }),
        dipCase('b2', { inst: 'H3', cost: 600_000, procs: ['47.0901'] }),
        dipCase('b3', { inst: 'H3', cost: 2_400_000, procs: ['47.0901'] }),
        dipCase('b4', { inst: 'H3', cost: 3_000_000, procs: ['47.0901'] }),
        dipCase('b5', { inst: 'H2', procs: ['88.0100'] }),
        dipCase('b6', { inst: 'P1', dx: 'J18.900' }),
        dipCase('b7', { inst: 'H3', dx: 'I63.900', age: 80 }),
        dipCase('b8', { inst: 'H2', dx: 'K35.800', procs: ['47.0901', '54.5100', '99.0400'] }),
        dipCase('b9', { inst: 'H3', cost: 9_000_000, procs: ['47.0901'] }),
      ],
      context: { engine },
    },
  ],
  { unitIdOf: (c) => c.setlId },
);

import { describe, expect, it } from 'vitest';
import type { InpatientCase } from '../../model/case.ts';
import { renderExplanation } from '../../model/explain.ts';
import type { Institution } from '../../model/institution.ts';
import { yuanToFen } from '../../model/money.ts';
import type { UnitResult } from '../../model/unit-result.ts';
import { perDiemKind } from '../../policy/kinds/per-diem.ts';
import { readableExplanation } from '../../report/readable-explanation.ts';
import { runPaymentContract } from '../contract.ts';
import { resolvePolicyFile, resolveValuesText, testCase } from '../testing.ts';
import {
  buildRateTable,
  daysPerStage,
  findCategoryOverlaps,
  longStayIndicators,
  type PerDiemContext,
  perDiemMethod,
  perDiemMiss,
} from './index.ts';

const demo = resolvePolicyFile(perDiemKind, 'policies/demo/per-diem-2025.yaml', '2025-06-30');
const institutions: Institution[] = [
  { code: 'H1', name: '精神卫生中心', level: '3', type: 'psychiatric', county: 'C1' },
  { code: 'H2', name: '人民医院', level: '3', type: 'general', county: 'C1' },
  { code: 'H3', name: '康复医院', level: '2', type: 'rehabilitation', county: 'C1' },
  { code: 'H4', name: '中医院', level: '2', type: 'tcm', county: 'C2' },
];
const demoContext: PerDiemContext = { policy: demo, institutions, rates: buildRateTable(demo).table };

const psy = (setlId: string, institutionCode: string, losDays: number, extra: Partial<InpatientCase> = {}) =>
  testCase({ setlId, institutionCode, losDays, diagnoses: [{ code: 'F20.0' }], ...extra });

function one(c: InpatientCase, context = demoContext): UnitResult {
  return perDiemMethod.evaluate([c], context)[0]!;
}

describe('R-PAY-BEDDAY stages of a stay (资府办函〔2018〕52号 二(八))', () => {
  it('R-PAY-BEDDAY: bed-days split 1–60 / 61–180 / >180 and add up to the stay', () => {
    const stages = demo.stages.value;
    expect(daysPerStage(0, stages)).toEqual([0, 0, 0]);
    expect(daysPerStage(60, stages)).toEqual([60, 0, 0]);
    expect(daysPerStage(61, stages)).toEqual([60, 1, 0]);
    expect(daysPerStage(180, stages)).toEqual([60, 120, 0]);
    expect(daysPerStage(181, stages)).toEqual([60, 120, 1]);
    expect(daysPerStage(200, stages)).toEqual([60, 120, 20]);
  });

  it('R-PAY-BEDDAY: the demo categories do not overlap', () => {
    expect(findCategoryOverlaps(demo.categories.value)).toEqual([]);
  });
});

describe('R-PAY-BEDDAY / R-DIP-4 demo rates converted to points at 10 yuan/point', () => {
  it('R-PAY-BEDDAY: 200 days of schizophrenia at a psychiatric hospital = 60×260 + 120×230 + 20×200 = 47200.00 → 4720 points', () => {
    const r = one(psy('A', 'H1', 200));
    expect(r.status).toBe('paid');
    expect(r.group).toBe('PSY');
    expect(r.claim).toEqual({ kind: 'points', points: 47_200_000 });
    expect(r.explanation.find((s) => s.rule === 'R-DIP-4')!.values).toMatchObject({ standard: '47200.00' });
  });

  it('R-PAY-BEDDAY: day 60 is the last day of stage 1 (15600.00), day 61 is paid at the stage-2 rate (+230.00)', () => {
    expect(one(psy('B', 'H1', 60)).claim).toEqual({ kind: 'points', points: 15_600_000 });
    expect(one(psy('C', 'H1', 61)).claim).toEqual({ kind: 'points', points: 15_830_000 });
  });

  it('R-PAY-BEDDAY: the same stay at a general hospital uses its own rates: 60×300 + 1×260 = 18260.00 → 1826 points', () => {
    expect(one(psy('D', 'H2', 61)).claim).toEqual({ kind: 'points', points: 18_260_000 });
  });

  it('R-PAY-BEDDAY: rehabilitation needs 15 days — 14 days is not per-diem, 15 days = 15 × 420 = 6300.00', () => {
    const reh = (id: string, los: number) =>
      testCase({ setlId: id, institutionCode: 'H3', losDays: los, diagnoses: [{ code: 'I69.3' }] });
    expect(one(reh('E', 14))).toMatchObject({ status: 'excluded', claim: { kind: 'amount', amount: 0 } });
    expect(one(reh('F', 15)).claim).toEqual({ kind: 'points', points: 6_300_000 });
  });

  it('R-PAY-BEDDAY: a category at an institution type it does not name is not per-diem (PSY at a TCM hospital)', () => {
    expect(one(psy('G', 'H4', 30)).status).toBe('excluded');
  });

  it('R-PAY-BEDDAY: a diagnosis outside every category is excluded, never paid as zero silently', () => {
    const r = one(testCase({ setlId: 'H', institutionCode: 'H1', losDays: 30 }));
    expect(r.status).toBe('excluded');
    expect(r.explanation[0]!.zh).toContain('J18.9');
  });
});

// `yibao explain case` of a 110-day schizophrenia stay printed 机构类型 psychiatric, 第 >180 天 and 标准来源 = policy
// in zh output: English codes where the reader's words belong (glossary: no English enum in zh output).
describe('R-PAY-BEDDAY explanation in the reader’s words (zh and en)', () => {
  const r = one(psy('X', 'H1', 200));
  // As `explain case` prints it: the trace keeps its values (`policy`), the reader gets words.
  const zh = renderExplanation(readableExplanation({ subject: 'case X', steps: r.explanation }, 'zh'), 'zh');
  const en = renderExplanation(readableExplanation({ subject: 'case X', steps: r.explanation }, 'en'), 'en');

  it('R-PAY-BEDDAY: zh names the institution type, the stages and the rate basis in Chinese, no English code', () => {
    expect(zh).toContain('按床日付费病种：精神病（PSY），机构类型 精神专科医院');
    expect(zh).toContain('第 1–60 天：60 床日 × 260.00 元');
    expect(zh).toContain('第 61–180 天：120 床日 × 230.00 元');
    expect(zh).toContain('第 181 天起：20 床日 × 200.00 元');
    expect(zh).toContain('标准来源 = 政策公布标准');
    expect(zh).toContain('依据 = 政策公布标准');
    expect(zh).not.toMatch(/psychiatric|policy|>180/);
  });

  // en read "Per-bed-day category PSY": the demo policy names its categories in English (`en: mental illness`).
  it('R-PAY-BEDDAY: en says the same in English with the category’s English name, no Chinese', () => {
    expect(en).toContain('Per-bed-day category mental illness (PSY), institution type psychiatric hospital');
    expect(en).toContain('Days 1–60: 60 bed-days × 260.00 yuan');
    expect(en).toContain('Day 181 on: 20 bed-days × 200.00 yuan');
    expect(en).toContain('rate basis = published standard');
    const lines = en.split('\n').filter((l) => !l.startsWith('1. [') && !l.includes('['));
    expect(lines.filter((l) => /\p{Script=Han}/u.test(l))).toEqual([]);
    // Each step's own text (the clause in [brackets] is the policy's quoted text): no Chinese.
    const texts = en.split('\n').flatMap((l) => (/^\d+\. \[/.test(l) ? [l.replace(/^\d+\. \[[^\]]*\] /, '')] : []));
    expect(texts.filter((l) => /\p{Script=Han}/u.test(l))).toEqual([]);
  });

  it('R-PAY-BEDDAY: a stay that does not qualify names the institution type in words', () => {
    const reh = testCase({ setlId: 'Y', institutionCode: 'H4', losDays: 30, diagnoses: [{ code: 'F20.0' }] });
    const x = one(reh);
    expect(x.explanation[0]!.zh).toContain('机构类型 中医医院 或住院 30 天');
    expect(x.explanation[0]!.en).toContain('institution type TCM hospital or a stay of 30 days');
  });
});

describe('R-PAY-BEDDAY a category’s English name (`en`, optional, validated)', () => {
  const text = (en: string) => `
categories: { value: [{ code: PSY, zh: 精神病, ${en}diagnosisPrefixes: [F20], institutionTypes: [psychiatric], minLosDays: 1 }], source: "二(八)" }
stages: { value: [{ fromDay: 1, toDay: null }], source: "二(八)" }
rates: { value: { method: table, table: [{ category: PSY, institutionType: psychiatric, stageRates: [300] }] }, source: "二(八)" }
settleAs: { value: amount, source: "二(八)" }
referencePointValue: { value: 7, source: "test" }
readmissionWindowDays: { value: 31, source: "test" }`;

  it('a user’s policy without one: en falls back to the category’s Chinese name; zh is unchanged', () => {
    const policy = resolveValuesText(perDiemKind, text(''));
    const r = one(psy('E', 'H1', 10), { policy, institutions, rates: buildRateTable(policy).table });
    expect(r.explanation[0]!.en).toBe('Per-bed-day category 精神病 (PSY), institution type psychiatric hospital');
    expect(r.explanation[0]!.zh).toBe('按床日付费病种：精神病（PSY），机构类型 精神专科医院');
  });

  it('with one: en names it; an en name written in Chinese is refused, in both languages', () => {
    const policy = resolveValuesText(perDiemKind, text('en: psychiatric care, '));
    const r = one(psy('E', 'H1', 10), { policy, institutions, rates: buildRateTable(policy).table });
    expect(r.explanation[0]!.en).toContain('Per-bed-day category psychiatric care (PSY)');
    expect(r.explanation[0]!.zh).not.toContain('psychiatric care');
    let err: unknown;
    try {
      resolveValuesText(perDiemKind, text('en: 精神科, '));
    } catch (e) {
      err = e;
    }
    expect(String((err as Error)?.message)).toMatch(/en 为英文名称，不应含汉字/);
    expect(String((err as Error)?.message)).toMatch(/en is the English name: no Chinese characters/);
  });
});

describe('R-PAY-BEDDAY calibrated rates (mean daily cost × stage factor)', () => {
  const calibrated = resolveValuesText(
    perDiemKind,
    `
categories: { value: [{ code: PSY, zh: 精神病, diagnosisPrefixes: [F20], institutionTypes: [psychiatric, general], minLosDays: 1 }], source: "二(八)" }
stages: { value: [{ fromDay: 1, toDay: 60 }, { fromDay: 61, toDay: 180 }, { fromDay: 181, toDay: null }], source: "二(八)" }
rates: { value: { method: calibrate, stageFactors: [1, 0.9, 0.8], minCases: 2 }, source: "二(八) 历史日均费用" }
settleAs: { value: amount, source: "二(八)" }
referencePointValue: { value: 7, source: "test" }
readmissionWindowDays: { value: 31, source: "test" }`,
  );
  // History at H1 (psychiatric): 30000.00 / 100 days and 12000.00 / 50 days → 42000.00 / 150 = 280.00 yuan/day;
  // stage rates 280.00, 252.00, 224.00. H2 (general) has one stay only → below minCases 2 → a gap.
  const history = [
    psy('h1', 'H1', 100, { totalCost: 3_000_000 }),
    psy('h2', 'H1', 50, { totalCost: 1_200_000 }),
    psy('h3', 'H2', 40, { totalCost: 1_000_000 }),
  ];
  const built = buildRateTable(calibrated, history, institutions);

  it('R-PAY-BEDDAY: mean daily cost 42000.00 / 150 = 280.00 → stage rates 280.00 / 252.00 / 224.00', () => {
    expect(built.table.get('PSY|psychiatric')).toMatchObject({
      stageRates: [28_000, 25_200, 22_400],
      cases: 2,
      bedDays: 150,
    });
    expect(built.gaps).toEqual([{ category: 'PSY', institutionType: 'general', cases: 1, minCases: 2 }]);
  });

  it('R-PAY-BEDDAY: 70 days at calibrated rates = 60 × 280.00 + 10 × 252.00 = 19320.00 (amount)', () => {
    const r = one(psy('X', 'H1', 70), { policy: calibrated, institutions, rates: built.table });
    expect(r.claim).toEqual({ kind: 'amount', amount: 1_932_000 });
  });

  it('R-PAY-BEDDAY: a stay at a type without a calibrated rate is `ungrouped`, not paid zero silently', () => {
    const r = one(psy('Y', 'H2', 10), { policy: calibrated, institutions, rates: built.table });
    expect(r.status).toBe('ungrouped');
  });

  it('R-DIP-4: 1000.00 / 3 days = 333.33 yuan/day (half-up); 1 day ÷ 7 yuan/point = 47.618571… → 47.6186 points', () => {
    const p = { ...calibrated, settleAs: { value: 'points' as const, source: 'test' } };
    const rates = buildRateTable(
      p,
      [psy('k1', 'H1', 3, { totalCost: 100_000 }), psy('k2', 'H1', 3, { totalCost: 100_000 })],
      institutions,
    );
    expect(rates.table.get('PSY|psychiatric')!.stageRates[0]).toBe(33_333);
    const r = one(psy('Z', 'H1', 1), { policy: p, institutions, rates: rates.table });
    expect(r.claim).toEqual({ kind: 'points', points: 476_186 });
  });
});

describe('R-PAY-BEDDAY long-stay indicators (资府办函〔2018〕52号 二(八) 平均住院天数、日均费用)', () => {
  // H1: P1 59 days 15000.00 (1 Jan–1 Mar), P1 again from 20 Mar (19 days later → readmission) 30 days 9000.00,
  //     P2 40 days 10000.00 → 3 stays, 129 days, 34000.00: mean LOS 43, daily 263.57, readmission 1/3.
  // H2: P3 10 days 5000.00 (1–11 May), P3 again 20 Jun (40 days later, not a readmission) 10 days 3000.00
  //     → mean LOS 10, daily 400.00, readmission 0.
  // Region: 5 stays, 149 days, 42000.00 → mean LOS 29.8, daily 281.88, readmission 0.2.
  const stays = [
    psy('a', 'H1', 59, { psnNo: 'P1', admissionTime: '2025-01-01', totalCost: 1_500_000 }),
    psy('b', 'H1', 30, { psnNo: 'P1', admissionTime: '2025-03-20', totalCost: 900_000 }),
    psy('c', 'H1', 40, { psnNo: 'P2', admissionTime: '2025-02-01', totalCost: 1_000_000 }),
    psy('d', 'H2', 10, { psnNo: 'P3', admissionTime: '2025-05-01', totalCost: 500_000 }),
    psy('e', 'H2', 10, { psnNo: 'P3', admissionTime: '2025-06-20', totalCost: 300_000 }),
    testCase({ setlId: 'f', institutionCode: 'H1', losDays: 3 }), // not per-diem: left out
  ];

  it('R-PAY-BEDDAY: mean LOS, mean daily cost, readmission rate and indices per institution', () => {
    const { region, byInstitution } = longStayIndicators(stays, institutions, demo);
    expect(region.display).toEqual({ meanLos: '29.8000', meanDailyCostYuan: '281.88', readmissionRate: '0.2000' });
    expect(byInstitution.map((i) => [i.institutionCode, i.cases, i.bedDays, i.readmissions])).toEqual([
      ['H1', 3, 129, 1],
      ['H2', 2, 20, 0],
    ]);
    expect(byInstitution[0]!.display).toEqual({
      meanLos: '43.0000',
      meanDailyCostYuan: '263.57',
      readmissionRate: '0.3333',
      losIndex: '1.4430', // 43 / 29.8
      dailyCostIndex: '0.9350', // (34000/129) / (42000/149)
    });
    expect(byInstitution[1]!.display).toMatchObject({
      meanDailyCostYuan: '400.00',
      losIndex: '0.3356',
      dailyCostIndex: '1.4190',
    });
  });
});

/** Σ of the stage subtotals shown in the explanation = the standard shown = the claim (amount mode). */
function stageBalance(results: readonly UnitResult[]) {
  return results
    .filter((r) => r.status === 'paid')
    .flatMap((r) => {
      const stages = r.explanation.filter((s) => s.values !== undefined && 'bedDays' in s.values);
      const total = r.explanation.find((s) => String(s.en).startsWith('Per-diem standard'))!;
      const sum = stages.reduce((t, s) => t + yuanToFen(String(s.result)), 0);
      const checks = [
        { what: `${r.unitId}: Σ stage subtotals = standard`, expected: yuanToFen(String(total.result)), actual: sum },
      ];
      if (r.claim.kind === 'amount')
        checks.push({ what: `${r.unitId}: standard = claim`, expected: r.claim.amount, actual: sum });
      return checks;
    });
}

runPaymentContract(
  'per-diem',
  () => perDiemMethod,
  () => [
    { label: 'empty batch', units: [], context: demoContext },
    {
      label: 'demo region, stage boundaries and exclusions',
      units: [
        psy('A', 'H1', 200),
        psy('B', 'H1', 60),
        psy('C', 'H1', 61),
        psy('D', 'H2', 61),
        psy('G', 'H4', 30),
        testCase({ setlId: 'E', institutionCode: 'H3', losDays: 14, diagnoses: [{ code: 'I69.3' }] }),
        testCase({ setlId: 'F', institutionCode: 'H3', losDays: 400, diagnoses: [{ code: 'Z50.1' }] }),
        testCase({ setlId: 'P', institutionCode: 'H4', losDays: 9, diagnoses: [{ code: 'Z51.5' }] }),
        testCase({ setlId: 'Q', institutionCode: 'H9', losDays: 9, diagnoses: [{ code: 'F20.0' }] }),
      ],
      context: demoContext,
    },
  ],
  {
    unitIdOf: (c) => c.setlId,
    balances: (_f, results) => stageBalance(results),
    permuteContext: (c, permute) => ({ ...c, institutions: permute(c.institutions) }),
  },
);

describe('R-PAY-BEDDAY: why a stay of a per-diem category is paid by the case method (hand-checked by audit2)', () => {
  const byCode = (code: string) => institutions.find((i) => i.code === code);
  const reh = (losDays: number) =>
    testCase({ setlId: 'R', institutionCode: 'H3', losDays, diagnoses: [{ code: 'I69.3' }] });

  it('rehabilitation 14 days at a rehabilitation hospital: the minimum is 15', () => {
    expect(perDiemMiss(reh(14), byCode('H3'), demo.categories.value)).toEqual({
      zh: '主要诊断 I69.3 属按床日付费病种，但医疗康复（REH）须住院至少 15 天，本次 14 天：不按床日付费',
      en: 'principal diagnosis I69.3 is in a per-diem category, but medical rehabilitation (REH) needs a stay of at least 15 days, this one 14: not paid per bed-day',
    });
  });

  it('exactly 15 days qualifies (15 × 420.00 = 6,300.00 ÷ 10 元/点 = 630 points): nothing to explain', () => {
    expect(perDiemMiss(reh(15), byCode('H3'), demo.categories.value)).toBeUndefined();
    expect(one(reh(15)).claim).toEqual({ kind: 'points', points: 6_300_000 });
  });

  it('mental illness at a TCM hospital: the category does not name that institution type', () => {
    expect(perDiemMiss(psy('P', 'H4', 30), byCode('H4'), demo.categories.value)!.zh).toBe(
      '主要诊断 F20.0 属按床日付费病种，但精神病（PSY）不含机构类型中医医院：不按床日付费',
    );
  });

  it('a diagnosis no category claims has nothing to explain', () => {
    const c = testCase({ setlId: 'X', institutionCode: 'H2', losDays: 40, diagnoses: [{ code: 'K29.7' }] });
    expect(perDiemMiss(c, byCode('H2'), demo.categories.value)).toBeUndefined();
  });
});

// Issue 9: a region-year run stores a per-diem unit's basis (its last step) and recomputes the whole trace on demand.
describe('R-PAY-BEDDAY units without their explanation (a run stores the basis only)', () => {
  const stays = [psy('A', 'H1', 200), psy('D', 'H2', 61), psy('G', 'H4', 30)];
  const whole = perDiemMethod.evaluate(stays, demoContext);
  const lean = perDiemMethod.evaluate(stays, { ...demoContext, explain: false });

  it('R-DIP-4: the same points (4720 and 1826), the one step the whole trace’s last; an excluded stay keeps its step', () => {
    expect(lean.map((u) => [u.unitId, u.status, u.claim])).toEqual([
      ['A', 'paid', { kind: 'points', points: 47_200_000 }],
      ['D', 'paid', { kind: 'points', points: 18_260_000 }],
      ['G', 'excluded', { kind: 'amount', amount: 0 }],
    ]);
    for (const [k, u] of lean.entries()) {
      const w = whole[k]!;
      if (u.status === 'paid') {
        expect(w.explanation.length).toBeGreaterThan(2);
        expect(u.explanation).toEqual([w.explanation.at(-1)]);
      } else expect(u.explanation).toEqual(w.explanation);
    }
  });

  it('R-PAY-BEDDAY: settled as amounts, the last step is the standard (47200.00)', () => {
    const amounts = {
      ...demoContext,
      policy: { ...demo, settleAs: { ...demo.settleAs, value: 'amount' as const } },
    };
    const w = perDiemMethod.evaluate([stays[0]!], amounts)[0]!;
    const l = perDiemMethod.evaluate([stays[0]!], { ...amounts, explain: false })[0]!;
    expect(l.claim).toEqual({ kind: 'amount', amount: 4_720_000 });
    expect(l.explanation).toEqual([w.explanation.at(-1)]);
    expect(l.explanation[0]!.result).toBe('47200.00');
  });
});

import { describe, expect, it } from 'vitest';
import type { Institution } from '../../model/institution.ts';
import { ratio } from '../../model/money.ts';
import { formatPoints, toPoints } from '../../model/points.ts';
import type { UnitResult } from '../../model/unit-result.ts';
import { singleDiseaseKind } from '../../policy/kinds/single-disease.ts';
import { monthOf } from '../common/period.ts';
import { step } from '../common/trace.ts';
import { runPaymentContract } from '../contract.ts';
import { resolvePolicyFile, resolveValuesText, testCase } from '../testing.ts';
import {
  buildStandards,
  type DiseaseEncounter,
  type FallbackEvaluator,
  findCatalogOverlaps,
  leavesPathway,
  matchEntry,
  pathwayExitStep,
  pathwayExitSteps,
  pathwayExits,
  type SingleDiseaseContext,
  singleDiseaseMethod,
} from './index.ts';

const demo = resolvePolicyFile(singleDiseaseKind, 'policies/demo/single-disease-2025.yaml', '2025-06-30');
const institutions: Institution[] = [
  { code: 'H3', name: '市人民医院', level: '3', type: 'general', county: 'C1' },
  { code: 'H2', name: '县人民医院', level: '2', type: 'general', county: 'C2' },
  { code: 'H1', name: '区医院', level: '1', type: 'general', county: 'C2' },
  { code: 'HP', name: '乡镇卫生院', level: 'primary', type: 'primary', county: 'C2' },
];

/** A stand-in for the DIP engine: 1 point per 10.00 yuan of cost. */
const fakeDip: FallbackEvaluator = {
  method: 'dip',
  evaluate: (cases) =>
    cases.map((c): UnitResult => {
      const points = toPoints(ratio(BigInt(c.totalCost), 1000n));
      return {
        unitId: c.setlId,
        institutionCode: c.institutionCode,
        month: monthOf(c.dischargeTime),
        method: 'dip',
        group: 'K35.8:47.0100',
        status: 'paid',
        claim: { kind: 'points', points },
        billed: c.totalCost,
        patientPaid: 0,
        explanation: [step('R-DIP-2', 'test', '测试 DIP', 'test DIP', {}, formatPoints(points))],
      };
    }),
};
const context: SingleDiseaseContext = {
  policy: demo,
  institutions,
  standards: buildStandards(demo).table,
  fallback: fakeDip,
};

const appendix = (setlId: string, institutionCode: string, losDays: number, extra: Partial<DiseaseEncounter> = {}) =>
  testCase({
    setlId,
    institutionCode,
    losDays,
    diagnoses: [{ code: 'K35.8' }],
    procedures: [{ code: '47.0100' }],
    totalCost: 700_000,
    ...extra,
  }) as DiseaseEncounter;
const one = (c: DiseaseEncounter, ctx = context) => singleDiseaseMethod.evaluate([c], ctx)[0]!;

describe('R-PAY-DISEASE the demo catalog (资府办函〔2018〕52号 二(三)、二(六))', () => {
  it('R-PAY-DISEASE: ≥ 100 diseases, with day surgery and outpatient disease payment, and no unresolved overlap', () => {
    const cat = demo.catalog.value;
    expect(cat.length).toBeGreaterThanOrEqual(100);
    expect(cat.some((e) => e.setting === 'day-surgery')).toBe(true);
    expect(cat.some((e) => e.setting === 'outpatient')).toBe(true);
    expect(findCatalogOverlaps(cat)).toEqual([]);
    expect(buildStandards(demo).gaps).toEqual([]);
  });
});

// `explain case` of a single disease read 入组病种 SD001 急性阑尾炎 阑尾切除术（inpatient，按诊断+手术） in zh — the
// setting's English enum — and "Catalog entry SD001 (inpatient; matched by procedure)" in en, without its name.
describe('R-PAY-DISEASE the matched entry in the reader’s words', () => {
  it('zh: the setting in Chinese (住院); en: the entry’s English name (the demo policy’s `en`)', () => {
    const step = one(appendix('N', 'H3', 5)).explanation[0]!;
    expect(step.zh).toBe('入组病种 SD001 急性阑尾炎 阑尾切除术（住院，按诊断+手术）');
    expect(step.en).toBe(
      'Catalog entry SD001 acute appendicitis, appendectomy (inpatient; matched by diagnosis and procedure)',
    );
  });
});

describe('R-PAY-DISEASE payment on the pathway (standards by level)', () => {
  it('R-PAY-DISEASE: appendicectomy for acute appendicitis, 5 days at a level-3 hospital → SD001 6500.00', () => {
    const r = one(appendix('A', 'H3', 5));
    expect(r).toMatchObject({ status: 'paid', group: 'SD001', claim: { kind: 'amount', amount: 650_000 } });
  });

  it('R-PAY-DISEASE: the same at level 2 → 5520.00 (6500 × 85 % to 10 yuan), at a primary centre 4550.00', () => {
    expect(one(appendix('B', 'H2', 5)).claim).toEqual({ kind: 'amount', amount: 552_000 });
    expect(one(appendix('C', 'HP', 5)).claim).toEqual({ kind: 'amount', amount: 455_000 });
  });

  it('R-PAY-DISEASE: 7 days is the pathway’s last day (still paid the standard)', () => {
    expect(one(appendix('D', 'H3', 7)).status).toBe('paid');
  });

  it('R-PAY-DISEASE: a secondary diagnosis present at admission is not a complication', () => {
    const r = one(appendix('E', 'H3', 5, { diagnoses: [{ code: 'K35.8' }, { code: 'I10', admissionCondition: '1' }] }));
    expect(r.status).toBe('paid');
  });

  it('R-PAY-DISEASE: day surgery — cataract phaco with a 1-day stay → DS001 4500.00 (day surgery precedes inpatient)', () => {
    const c = testCase({
      setlId: 'F',
      institutionCode: 'H3',
      losDays: 1,
      diagnoses: [{ code: 'H25.1' }],
      procedures: [{ code: '13.4100' }],
    });
    expect(one(c)).toMatchObject({ group: 'DS001', claim: { kind: 'amount', amount: 450_000 } });
    const longer = { ...c, setlId: 'G', losDays: 2 };
    expect(one(longer)).toMatchObject({ group: 'SD015', claim: { kind: 'amount', amount: 600_000 } });
  });

  it('R-PAY-DISEASE: outpatient disease payment — hypertension visit at a primary centre → OD001 150.00; inpatient → SD062', () => {
    const visit = {
      ...testCase({ setlId: 'H', institutionCode: 'HP', losDays: 0, diagnoses: [{ code: 'I10' }] }),
      setting: 'outpatient' as const,
    };
    expect(one(visit)).toMatchObject({ group: 'OD001', claim: { kind: 'amount', amount: 15_000 } });
    const stay = testCase({ setlId: 'I', institutionCode: 'H3', losDays: 6, diagnoses: [{ code: 'I10' }] });
    expect(one(stay)).toMatchObject({ group: 'SD062', claim: { kind: 'amount', amount: 400_000 } });
  });

  it('R-PAY-DISEASE: a case meeting two entries of the same precedence is `ungrouped` with both codes', () => {
    const c = testCase({
      setlId: 'J',
      institutionCode: 'H3',
      losDays: 6,
      diagnoses: [{ code: 'D25.1' }],
      procedures: [{ code: '68.2900' }, { code: '68.4100' }],
    });
    const r = one(c);
    expect(r.status).toBe('ungrouped');
    expect(r.explanation[0]!.values).toEqual({ entries: 'SD010,SD011' });
  });

  it('R-PAY-DISEASE: a diagnosis outside the catalog is `excluded` (paid by another method)', () => {
    expect(one(testCase({ setlId: 'K', institutionCode: 'H3', diagnoses: [{ code: 'K29.7' }] })).status).toBe(
      'excluded',
    );
  });
});

describe('R-PAY-DISEASE leaving the pathway falls back by policy (demo: to DIP)', () => {
  it('R-PAY-DISEASE: 8 days > 7 → fallback, paid the DIP points (7000.00 / 10 = 700 points), explanation says why', () => {
    const r = one(appendix('L', 'H3', 8));
    expect(r).toMatchObject({
      method: 'single-disease',
      status: 'fallback',
      group: 'SD001',
      claim: { kind: 'points', points: 7_000_000 },
    });
    expect(r.explanation[1]!.en).toContain('stay of 8 days exceeds the pathway');
    expect(r.explanation.at(-1)!.values).toMatchObject({ fallbackMethod: 'dip', fallbackStatus: 'paid' });
  });

  it('R-PAY-DISEASE: death (离院方式 5) → fallback', () => {
    expect(one(appendix('M', 'H3', 3, { dischargeWay: '5' })).status).toBe('fallback');
  });

  it('R-PAY-DISEASE: a listed complication (T81.4) or one arising in hospital (入院病情 4) → fallback', () => {
    expect(one(appendix('N', 'H3', 5, { diagnoses: [{ code: 'K35.8' }, { code: 'T81.4' }] })).status).toBe('fallback');
    expect(
      one(appendix('O', 'H3', 5, { diagnoses: [{ code: 'K35.8' }, { code: 'J18.9', admissionCondition: '4' }] }))
        .status,
    ).toBe('fallback');
  });

  it('R-PAY-DISEASE: leavesPathway says exactly whether pathwayExits lists a reason (stay, way, complication)', () => {
    const sd001 = demo.catalog.value.find((e) => e.code === 'SD001')!;
    const cases: [DiseaseEncounter, boolean][] = [
      [appendix('A', 'H3', 7), false], // 7 days = the pathway's 7: stays in
      [appendix('B', 'H3', 8), true], // 8 > 7 days
      [appendix('C', 'H3', 3, { dischargeWay: '5' }), true], // death
      [appendix('D', 'H3', 3, { dischargeWay: '1' }), false], // discharged as ordered
      [appendix('E', 'H3', 5, { diagnoses: [{ code: 'K35.8' }, { code: 'T81.4' }] }), true], // listed complication
      [appendix('F', 'H3', 5, { diagnoses: [{ code: 'K35.8' }, { code: 'J18.9', admissionCondition: '4' }] }), true],
      [appendix('G', 'H3', 5, { diagnoses: [{ code: 'K35.8' }, { code: 'J18.9', admissionCondition: '1' }] }), false],
      [appendix('H', 'H3', 5, { diagnoses: [{ code: 'T81.4' }] }), false], // a principal T81.4 is no complication
    ];
    for (const [c, leaves] of cases) {
      expect(pathwayExits(c, sd001, demo).length > 0).toBe(leaves);
      expect(leavesPathway(c, sd001, demo)).toBe(leaves);
    }
  });

  it('R-PAY-DISEASE: without the DIP evaluator a leaving case is a loud error, never a silent zero', () => {
    expect(() => one(appendix('P', 'H3', 9), { ...context, fallback: undefined })).toThrow(/context\.fallback/);
  });

  it('R-PAY-DISEASE: a policy falling back to FFS pays the settlement list’s total cost by items', () => {
    const p = { ...demo, fallbackTo: { value: 'ffs' as const, source: 'test' } };
    const r = one(appendix('Q', 'H3', 9), { ...context, policy: p, fallback: undefined });
    expect(r).toMatchObject({
      status: 'fallback',
      claim: { kind: 'amount', amount: 700_000 },
      billed: 700_000,
      patientPaid: 210_000,
    });
  });
});

describe('R-PAY-DISEASE standards calibrated from history (二(六) 以既往费用数据为基础)', () => {
  const policy = resolveValuesText(
    singleDiseaseKind,
    `
catalog: { value: [{ code: X1, zh: 阑尾炎, setting: inpatient, diagnoses: [K35], procedures: ["47.0"], maxLosDays: 7 }, { code: X2, zh: 疝, setting: inpatient, diagnoses: [K40], procedures: ["53.0"], maxLosDays: 6 }], source: "二(六)" }
pathwayExit: { value: { losAboveMax: true, dischargeWays: ["5"], complicationOnset: false, complicationDiagnoses: [] }, source: "二(六)" }
fallbackTo: { value: ffs, source: "test" }
calibration: { value: { minCases: 3, trimLow: 0.1, trimHigh: 0.9, adjust: 0.95 }, source: "二(六) 既往费用" }`,
  );
  // Level 3 (H3), 10 in-pathway cases: 3000, 5000, 5200, …, 6400, 30000 → drop 1 low and 1 high (10 × 0.1) →
  //   mean of 5000…6400 = 45600 / 8 = 5700.00 → × 0.95 = 5415.00. A 10-day case (left the pathway) is not used.
  // Level 2 (H2) has 2 cases (< 3) → all 12 cases pooled: drop 1 + 1 → (4000 + 4400 + 45600) / 10 = 5400.00 → 5130.00.
  const l3 = [3000, 5000, 5200, 5400, 5600, 5800, 6000, 6200, 6400, 30000].map((y, i) =>
    appendix(`h3-${i}`, 'H3', 5, { totalCost: y * 100 }),
  );
  const history = [
    ...l3,
    appendix('h3-long', 'H3', 10, { totalCost: 9_000_000 }),
    appendix('h2-0', 'H2', 5, { totalCost: 400_000 }),
    appendix('h2-1', 'H2', 5, { totalCost: 440_000 }),
  ];
  const built = buildStandards(policy, history, institutions);

  it('R-PAY-DISEASE: level 3 from its own trimmed mean × 0.95 = 5415.00; level 2 pooled = 5130.00', () => {
    expect(built.table.get('X1|3')).toMatchObject({ standard: 541_500, basis: 'calibrated-level', cases: 8 });
    expect(built.table.get('X1|2')).toMatchObject({ standard: 513_000, basis: 'calibrated-pooled', cases: 10 });
    expect(built.table.get('X1|primary')!.standard).toBe(513_000);
  });

  it('R-PAY-DISEASE: an entry without history or published standard is a gap; its cases are `ungrouped`', () => {
    expect(built.gaps.filter((g) => g.code === 'X2').map((g) => g.level)).toEqual(['3', '2', '1', 'primary']);
    const c = testCase({
      setlId: 'Z',
      institutionCode: 'H3',
      diagnoses: [{ code: 'K40.9' }],
      procedures: [{ code: '53.0200' }],
    });
    expect(one(c, { policy, institutions, standards: built.table }).status).toBe('ungrouped');
  });
});

runPaymentContract(
  'single-disease',
  () => singleDiseaseMethod,
  () => [
    { label: 'empty batch', units: [], context },
    {
      label: 'demo catalog: on the pathway, day surgery, outpatient, overlap, fallback',
      units: [
        appendix('A', 'H3', 5),
        appendix('B', 'H2', 5),
        appendix('L', 'H3', 8),
        appendix('M', 'HP', 3, { dischargeWay: '5' }),
        testCase({
          setlId: 'F',
          institutionCode: 'H1',
          losDays: 1,
          diagnoses: [{ code: 'H25.1' }],
          procedures: [{ code: '13.4100' }],
        }),
        {
          ...testCase({ setlId: 'H', institutionCode: 'HP', losDays: 0, diagnoses: [{ code: 'E11.9' }] }),
          setting: 'outpatient' as const,
        },
        testCase({
          setlId: 'J',
          institutionCode: 'H3',
          diagnoses: [{ code: 'D25.1' }],
          procedures: [{ code: '68.29' }, { code: '68.41' }],
        }),
        testCase({ setlId: 'K', institutionCode: 'H3', diagnoses: [{ code: 'K29.7' }] }),
        appendix('X', 'H9', 5),
      ],
      context,
    },
  ],
  {
    unitIdOf: (c) => c.setlId,
    permuteContext: (c, permute) => ({ ...c, institutions: permute(c.institutions) }),
    balances: (f, results) =>
      results
        .filter((r) => r.status === 'paid')
        .map((r) => {
          // the claim is exactly the published standard of the entry at the institution's level
          const inst = f.context.institutions.find((i) => i.code === r.institutionCode)!;
          const entry = f.context.policy.catalog.value.find((e) => e.code === r.group)!;
          return {
            what: `${r.unitId} claim = standard`,
            expected: entry.standards![inst.level]!,
            actual: r.claim.kind === 'amount' ? r.claim.amount : -1,
          };
        }),
  },
);

describe('R-PAY-DISEASE: why a listed disease was paid by the case method (资府办函〔2018〕52号 二(六); hand-checked by audit2)', () => {
  it('SD001 appendicitis, 9 days at a level-3 hospital (> 7): the entry, then 出径 to DIP in words (no enum in zh)', () => {
    const steps = pathwayExitSteps(appendix('SD03', 'H3', 9), demo, 'dip')!;
    expect(steps.map((s) => s.result)).toEqual(['SD001', '改为按病种分值付费（DIP） / paid by DIP']);
    expect(steps[1]!.zh).toBe('出径：住院 9 天超过路径 7 天，改为按病种分值付费（DIP）结算');
    expect(steps[1]!.en).toBe("Leaves the pathway: stay of 9 days exceeds the pathway's 7; paid by DIP");
    expect(steps[1]!.zh).not.toMatch(/[a-z]{3}/);
  });

  it('death: the discharge way in words (离院方式 5（死亡）)', () => {
    const steps = pathwayExitSteps(appendix('SD05', 'H3', 5, { dischargeWay: '5' }), demo, 'drg')!;
    expect(steps[1]!.zh).toBe('出径：离院方式 5（死亡），改为按疾病诊断相关分组付费（DRG）结算');
    expect(steps[1]!.en).toContain('discharge way 5 (died)');
  });

  it('a case that stays in its pathway, or meets no entry, has none', () => {
    expect(pathwayExitSteps(appendix('SD01', 'H3', 5), demo, 'dip')).toBeUndefined();
    expect(pathwayExitSteps(appendix('X', 'H3', 5, { diagnoses: [{ code: 'K29.7' }] }), demo, 'dip')).toBeUndefined();
  });
});

// Issue 9: a region-year run stores a carve-out unit's basis (its last step) and recomputes the whole trace on demand,
// so it asks for units without their explanation, and reuses the catalog match it made when choosing the carve-outs.
describe('R-PAY-DISEASE units without their explanation (a run stores the basis only)', () => {
  const cases = [
    appendix('P1', 'H3', 5),
    appendix('P2', 'H2', 6),
    appendix('P3', 'H3', 9),
    appendix('P4', 'H3', 5, { dischargeWay: '5' }),
    appendix('P5', 'H1', 5, { diagnoses: [{ code: 'K29.7' }] }),
  ];
  const whole = singleDiseaseMethod.evaluate(cases, context);
  const lean = singleDiseaseMethod.evaluate(cases, { ...context, explain: false });

  it('paid units: the same figures, and their one step is the whole trace’s last (SD001 6500.00 at level 3, 5520.00 at 2)', () => {
    expect(lean.map((u) => [u.unitId, u.status, u.claim])).toEqual(whole.map((u) => [u.unitId, u.status, u.claim]));
    const paid = lean.filter((u) => u.status === 'paid');
    expect(paid.map((u) => u.claim)).toEqual([
      { kind: 'amount', amount: 650_000 },
      { kind: 'amount', amount: 552_000 },
    ]);
    for (const u of paid) {
      const w = whole.find((x) => x.unitId === u.unitId)!;
      expect(w.explanation).toHaveLength(2);
      expect(u.explanation).toEqual([w.explanation.at(-1)]);
      expect(Object.isFrozen(u.explanation[0])).toBe(true);
    }
  });

  it('units of any other status keep their whole explanation', () => {
    for (const u of lean.filter((x) => x.status !== 'paid'))
      expect(u.explanation).toEqual(whole.find((x) => x.unitId === u.unitId)!.explanation);
  });

  it('a match given by the caller is the one used (P1 matched as no entry: excluded, not paid)', () => {
    const none = singleDiseaseMethod.evaluate([cases[0]!], { ...context, matched: () => ({ kind: 'none' }) });
    expect(none[0]!.status).toBe('excluded');
    const same = singleDiseaseMethod.evaluate(cases, { ...context, matched: (c) => matchEntry(c, demo.catalog.value) });
    expect(same).toEqual(whole);
  });

  it('pathwayExitStep from a match is pathwayExitSteps’ second step (9 days, death), none when the case stays in', () => {
    for (const c of cases) {
      const m = matchEntry(c, demo.catalog.value);
      expect(pathwayExitStep(c, m, demo, 'dip')).toEqual(pathwayExitSteps(c, demo, 'dip')?.[1]);
    }
    expect(pathwayExitStep(cases[2]!, matchEntry(cases[2]!, demo.catalog.value), demo, 'dip')!.zh).toBe(
      '出径：住院 9 天超过路径 7 天，改为按病种分值付费（DIP）结算',
    );
    expect(pathwayExitStep(cases[0]!, matchEntry(cases[0]!, demo.catalog.value), demo, 'dip')).toBeUndefined();
  });
});

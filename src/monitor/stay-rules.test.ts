import { describe, expect, it } from 'vitest';
import type { InpatientCase } from '../model/case.ts';
import { applyRule, checkCase } from './check-case.ts';
import type { CaseContext, OtherStay } from './context.ts';
import { evidenceText } from './labels.ts';
import { emptyContext, mkCase, mkRule, r, testKnowledge } from './testing.ts';
import type { RuleLogic } from './types.ts';

const k = testKnowledge();
const run = (logic: RuleLogic, c: InpatientCase, ctx: CaseContext = emptyContext()) =>
  applyRule(mkRule('R1', logic, 'suspicious'), { case: c, items: [], context: ctx }, k);

const stay = (o: Partial<OtherStay>): OtherStay => ({
  setlId: 'S0',
  mdtrtId: 'V0',
  totalCost: 800_000,
  fundPay: 560_000,
  institutionCode: 'H1',
  admissionTime: '2025-02-20T08:00:00',
  dischargeTime: '2025-02-28T09:00:00',
  principal: 'J18.000',
  plannedReadmission: false,
  ...o,
});

const split: RuleLogic = {
  detector: 'split-admission',
  params: {
    windowDays: 15,
    highWithinDays: 1,
    sameInstitution: true,
    exceptLists: ['chemotherapy'],
    exceptPlanned: true,
  },
};

describe('R-MON-2 split admission (分解住院)', () => {
  it('re-admitted 1 day after a discharge with the same category → high; fund payment at issue', () => {
    const f = run(split, mkCase(), emptyContext({ otherStays: [stay({})] }));
    expect(f).toEqual([
      expect.objectContaining({
        severity: 'high',
        amount: 700_000,
        evidence: expect.objectContaining({ gapDays: 1, previousSetlId: 'S0' }),
      }),
    ]);
  });

  it('10 days later → medium; 16 days later, another category, another institution, planned or chemo → none', () => {
    const ten = stay({ dischargeTime: '2025-02-19T09:00:00' });
    expect(run(split, mkCase(), emptyContext({ otherStays: [ten] }))[0]?.severity).toBe('medium');
    const none = [
      stay({ dischargeTime: '2025-02-13T09:00:00' }),
      stay({ principal: 'I10.x00' }),
      stay({ institutionCode: 'H2' }),
      stay({ plannedReadmission: true }),
    ];
    for (const o of none) expect(run(split, mkCase(), emptyContext({ otherStays: [o] }))).toEqual([]);
    const chemo = mkCase({ diagnoses: [{ code: 'Z51.102' }] });
    expect(run(split, chemo, emptyContext({ otherStays: [stay({ principal: 'Z51.102' })] }))).toEqual([]);
  });

  it('a same-day readmission counts even when admitted at an earlier hour than the discharge (gap 0)', () => {
    const c = mkCase({ admissionTime: '2025-02-28T07:00:00' });
    expect(run(split, c, emptyContext({ otherStays: [stay({})] }))[0]?.evidence.gapDays).toBe(0);
    // a stay admitted later is not an earlier stay
    expect(
      run(split, mkCase({ admissionTime: '2025-02-19T07:00:00' }), emptyContext({ otherStays: [stay({})] })),
    ).toEqual([]);
  });

  it('the nearest earlier discharge is the evidence', () => {
    const f = run(
      split,
      mkCase(),
      emptyContext({
        otherStays: [stay({ setlId: 'A', dischargeTime: '2025-02-20T09:00:00' }), stay({ setlId: 'B' })],
      }),
    );
    expect(f[0]?.evidence.previousSetlId).toBe('B');
  });
});

describe('R-MON-2 overlapping stays at two institutions', () => {
  it('a stay at another institution overlapping in time is a violation; back-to-back stays are not', () => {
    const logic: RuleLogic = { detector: 'overlapping-stays' };
    const other = stay({
      institutionCode: 'H2',
      admissionTime: '2025-03-03T08:00:00',
      dischargeTime: '2025-03-09T08:00:00',
    });
    expect(run(logic, mkCase(), emptyContext({ otherStays: [other] }))[0]?.evidence.otherSetlId).toBe('S0');
    const after = stay({
      institutionCode: 'H2',
      admissionTime: '2025-03-06T10:00:00',
      dischargeTime: '2025-03-09T08:00:00',
    });
    expect(run(logic, mkCase(), emptyContext({ otherStays: [after] }))).toEqual([]);
  });
});

describe('R-MON-2 one overlap counted once (walk4 #26: S05 6,300.00 and S06 5,950.00 said 12,250.00)', () => {
  const logic: RuleLogic = { detector: 'overlapping-stays' };
  // S05 at H1 1–10 May (fund 6,300.00), S06 at H2 5–12 May (fund 5,950.00): S06 was admitted while the person was
  // an inpatient at H1, so S06 carries its 5,950.00 and S05 is flagged with 0 at issue → 5,950.00 for the overlap.
  const s05 = mkCase({
    setlId: 'S05',
    institutionCode: 'H1',
    admissionTime: '2025-05-01T00:00:00',
    dischargeTime: '2025-05-10T00:00:00',
    fundPay: 630_000,
  });
  const s06 = mkCase({
    setlId: 'S06',
    institutionCode: 'H2',
    admissionTime: '2025-05-05T00:00:00',
    dischargeTime: '2025-05-12T00:00:00',
    fundPay: 595_000,
  });
  const asStay = (c: InpatientCase) => stay({ ...c, fundPay: c.fundPay });
  it('the later admission carries its fund payment; the earlier is flagged with 0 at issue', () => {
    const a = run(logic, s05, emptyContext({ otherStays: [asStay(s05), asStay(s06)] }));
    const b = run(logic, s06, emptyContext({ otherStays: [asStay(s05), asStay(s06)] }));
    expect([a[0]!.amount, b[0]!.amount]).toEqual([0, 595_000]);
    expect(a[0]!.evidence.otherSetlId).toBe('S06');
    expect(b[0]!.evidence.otherSetlId).toBe('S05');
  });
  it('the same admission time: the larger settlement id carries it', () => {
    const t = { admissionTime: '2025-05-01T00:00:00' };
    const x = { ...s05, ...t };
    const y = { ...s06, ...t };
    const ctx = emptyContext({ otherStays: [asStay(x), asStay(y)] });
    expect([run(logic, x, ctx)[0]!.amount, run(logic, y, ctx)[0]!.amount]).toEqual([0, 595_000]);
  });
});

describe('R-MON-2 duplicate settlement (重复结算, walk4 #8: S03 and S04 share 就诊ID V03)', () => {
  const logic: RuleLogic = { detector: 'duplicate-settlement' };
  const s03 = mkCase({
    setlId: 'S03',
    mdtrtId: 'V03',
    psnNo: 'P002',
    admissionTime: '2025-04-01T00:00:00',
    dischargeTime: '2025-04-08T00:00:00',
    totalCost: 800_000,
    fundPay: 560_000,
  });
  const s04 = { ...s03, setlId: 'S04' };
  const both = emptyContext({ otherStays: [stay({ ...s03 }), stay({ ...s04 })] });
  it('the second settlement of one 就诊ID is a violation with its whole fund payment; the first stands', () => {
    expect(run(logic, s03, both)).toEqual([]);
    const [f] = run(logic, s04, both);
    expect(f).toMatchObject({ flagId: 'R1:S04', amount: 560_000, setlId: 'S04' });
    expect(f!.evidence).toEqual({
      mdtrtId: 'V03',
      firstSetlId: 'S03',
      admissionDate: '2025-04-01',
      dischargeDate: '2025-04-08',
      firstTotalCost: 800_000,
      firstFundPay: 560_000,
      totalCost: 800_000,
      fundPay: 560_000,
    });
  });
  it('another 就诊ID, another institution or other dates (中途结算 of a long stay) is not a duplicate', () => {
    const other = (o: Partial<InpatientCase>) => emptyContext({ otherStays: [stay({ ...s03, ...o })] });
    expect(run(logic, s04, other({ mdtrtId: 'V99' }))).toEqual([]);
    expect(run(logic, s04, other({ institutionCode: 'H2' }))).toEqual([]);
    expect(run(logic, s04, other({ dischargeTime: '2025-04-04T00:00:00' }))).toEqual([]);
    expect(run(logic, { ...s04, mdtrtId: '' }, other({ mdtrtId: '' }))).toEqual([]);
  });
});

describe('R-MON-2 low-standard admission (低标入院)', () => {
  const logic: RuleLogic = {
    detector: 'low-standard-admission',
    params: { list: 'outpatient-manageable', maxLosDays: 4 },
  };
  it('a listed condition, 3 days, no procedure → flag; 5 days, a procedure, ICU or death → none', () => {
    const c = mkCase({ diagnoses: [{ code: 'I10.x00' }], losDays: 3 });
    expect(run(logic, c)).toHaveLength(1);
    expect(run(logic, { ...c, losDays: 5 })).toEqual([]);
    expect(run(logic, { ...c, procedures: [{ code: '88.7201' }] })).toEqual([]);
    expect(run(logic, { ...c, icuDays: 1 })).toEqual([]);
    expect(run(logic, { ...c, dischargeWay: '5' })).toEqual([]);
    expect(run(logic, mkCase({ losDays: 3 }))).toEqual([]);
  });
  it('the evidence shows every condition checked: diagnosis, stay and its limit, no procedure, no ICU day, not a death (zh, en)', () => {
    const [f] = run(logic, mkCase({ diagnoses: [{ code: 'I10.x00' }], losDays: 3, dischargeWay: '1' }));
    expect(f!.evidence).toEqual({
      principal: 'I10.x00',
      losDays: 3,
      maxLosDays: 4,
      procedures: 0,
      icuDays: 0,
      dischargeWay: '1',
    });
    expect(evidenceText(f!, 'zh')).toBe(
      '主要诊断=I10.x00; 住院天数=3; 限定住院天数=4; 手术操作数=0; 重症监护天数=0; 离院方式=1 医嘱离院',
    );
    expect(evidenceText(f!, 'en')).toBe(
      'principal diagnosis=I10.x00; length of stay=3; stay limit (days)=4; procedures=0; ICU days=0; discharge way=1 discharged',
    );
  });
});

describe('R-MON-2 upcoding suspect: an MCC without trace in cost or stay', () => {
  const logic: RuleLogic = {
    detector: 'upcoding-no-trace',
    params: { list: 'mcc', costFactor: r(11, 10), losFactor: r(1) },
  };
  const ctx = emptyContext({
    baselines: {
      all: new Map(),
      plain: new Map([['mcc|J18|2', { cases: 40, medianCost: 900_000, medianLos: 6 }]]),
      ownShare: new Map(),
    },
  });
  const c = mkCase({ diagnoses: [{ code: 'J18.900' }, { code: 'J96.900x001' }], totalCost: 900_000 });
  it('cost 9,000.00 and 9,900.00 ≤ 1.1 × 9,000.00 with LOS 5 ≤ 6 → flag; cost 9,900.01 or LOS 7 → none', () => {
    expect(run(logic, c, ctx)[0]?.evidence).toMatchObject({ secondary: 'J96.900x001', baselineMedianCost: 900_000 });
    expect(run(logic, { ...c, totalCost: 990_000 }, ctx)).toHaveLength(1);
    expect(run(logic, { ...c, totalCost: 990_001 }, ctx)).toEqual([]);
    expect(run(logic, { ...c, losDays: 7 }, ctx)).toEqual([]);
  });
  it('no MCC, an MCC as principal, or no baseline of the category × level → none', () => {
    expect(run(logic, mkCase(), ctx)).toEqual([]);
    expect(run(logic, mkCase({ diagnoses: [{ code: 'J96.900x001' }] }), ctx)).toEqual([]);
    expect(run(logic, c, { ...ctx, institution: { level: '3', type: 'general' } })).toEqual([]);
  });
});

describe('R-MON-2 abnormal length of stay', () => {
  const logic: RuleLogic = { detector: 'abnormal-los', params: { losFactor: r(3), minExcessDays: 10 } };
  const ctx = emptyContext({
    baselines: {
      all: new Map([['J18|2', { cases: 50, medianCost: 1, medianLos: 6 }]]),
      plain: new Map(),
      ownShare: new Map(),
    },
  });
  it('LOS 19 > 3 × 6 and 13 ≥ 10 more → flag; 18 → none; short median: 3 × 2 but < 10 more → none', () => {
    expect(run(logic, mkCase({ losDays: 19 }), ctx)).toHaveLength(1);
    expect(run(logic, mkCase({ losDays: 18 }), ctx)).toEqual([]);
    const short = emptyContext({
      baselines: {
        all: new Map([['J18|2', { cases: 50, medianCost: 1, medianLos: 2 }]]),
        plain: new Map(),
        ownShare: new Map(),
      },
    });
    expect(run(logic, mkCase({ losDays: 11 }), short)).toEqual([]);
    expect(run(logic, mkCase({ losDays: 12 }), short)).toHaveLength(1);
  });
});

describe('R-MON-2 cost shifting on one case (转嫁费用)', () => {
  const logic: RuleLogic = { detector: 'cost-shifting-case', params: { ownShareFactor: r(3), minOwnShare: r(1, 10) } };
  // level share 50,000 / 1,000,000 = 5 %
  const ctx = emptyContext({
    baselines: {
      all: new Map(),
      plain: new Map(),
      ownShare: new Map([['2', { cases: 10, ownPay: 50_000, totalCost: 1_000_000 }]]),
    },
  });
  it('own pay 15 % ≥ 3 × 5 % and ≥ 10 % → flag; amount = 150,000 − 5 % × 1,000,000 = 100,000', () => {
    const f = run(logic, mkCase({ ownPay: 150_000 }), ctx);
    expect(f[0]).toMatchObject({ amount: 100_000, evidence: { ownSharePermille: 150, baselineSharePermille: 50 } });
    expect(run(logic, mkCase({ ownPay: 149_999 }), ctx)).toEqual([]);
  });
  it('the minimum share also binds: 3 × 2 % = 6 % but below 10 % → none', () => {
    const low = emptyContext({
      baselines: {
        all: new Map(),
        plain: new Map(),
        ownShare: new Map([['2', { cases: 10, ownPay: 20_000, totalCost: 1_000_000 }]]),
      },
    });
    expect(run(logic, mkCase({ ownPay: 80_000 }), low)).toEqual([]);
    expect(run(logic, mkCase({ ownPay: 100_000 }), low)).toHaveLength(1);
  });
});

describe('R-MON-3 checkCase: enabled case rules of the stage, in order', () => {
  it('skips disabled rules, institution detectors and rules of other stages', () => {
    const lowStd: RuleLogic = {
      detector: 'low-standard-admission',
      params: { list: 'outpatient-manageable', maxLosDays: 4 },
    };
    const rules = [
      { ...mkRule('B', lowStd), stages: ['after' as const] },
      mkRule('A', lowStd),
      { ...mkRule('C', lowStd), enabled: false },
      mkRule('D', { detector: 'cost-shifting-share', params: { zMin: r(2), riseMin: r(3, 10) } }),
    ];
    const input = {
      case: mkCase({ diagnoses: [{ code: 'I10.x00' }], losDays: 2 }),
      items: [],
      context: emptyContext(),
    };
    expect(checkCase(rules, k, input).map((f) => f.ruleId)).toEqual(['A', 'B']);
    expect(checkCase(rules, k, input, { stage: 'during' }).map((f) => f.ruleId)).toEqual(['A']);
  });
});

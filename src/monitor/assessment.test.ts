import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareRatios, ratio } from '../model/money.ts';
import { POLICY_KINDS } from '../policy/kinds/index.ts';
import { monitorKind } from '../policy/kinds/monitor.ts';
import { parsePolicy } from '../policy/loader.ts';
import { resolveFile } from '../policy/registry.ts';
import { auditDeductions, deductionLimit, deductionRefusal, type Review, scoreInstitutions } from './assessment.ts';
import { compareWithPeers, type InstitutionYear, institutionFlags, levelMean } from './indicators.ts';
import type { RuleBase } from './rule-base.ts';
import { mkRule, r, testKnowledge } from './testing.ts';
import type { Flag, MonitorRule } from './types.ts';

const inst = (code: string, level: string, values: InstitutionYear['values'], cases = 1000): InstitutionYear => ({
  institutionCode: code,
  level,
  type: 'general',
  year: 2025,
  cases,
  values,
});

describe('R-MON-1 indicators against peers of the same level (leave-one-out)', () => {
  const rows = [
    inst('A', '2', { mccShare: 0.1 }),
    inst('B', '2', { mccShare: 0.12 }),
    inst('C', '2', { mccShare: 0.08 }),
    inst('D', '2', { mccShare: 0.3 }),
    inst('E', '3', { mccShare: 0.9 }),
  ];
  const table = compareWithPeers(rows, 'level');
  it("D's peers are A, B, C: mean 0.10, sd √(0.0008/3) = 0.016330, z = (0.30 − 0.10) / 0.016330 = 12.25", () => {
    const d = table.find((x) => x.institutionCode === 'D')!;
    expect(d.peers).toBe(3);
    expect(d.peerMean).toBeCloseTo(0.1, 12);
    expect(d.peerSd).toBeCloseTo(Math.sqrt(0.0008 / 3), 12);
    expect(d.z).toBeCloseTo(0.2 / Math.sqrt(0.0008 / 3), 9);
  });
  it('an institution alone in its level has no peer mean, no level average and no z', () => {
    const e = table.find((x) => x.institutionCode === 'E')!;
    expect(e.peers).toBe(0);
    expect(e.peerMean).toBeUndefined();
    expect(levelMean(e)).toBeUndefined();
    expect(e.z).toBeUndefined();
  });

  it('R-MON-1 002 四(五) 与同级别医院平均水平对比, hand-computed: three level-3 hospitals still get a same-level mean', () => {
    // 15-day readmission: A1 1 of 4 = 0.25, A2 1 of 3, A3 0 of 3. Level average (all three, 002 四(五) read
    // literally) = (0.25 + 1/3 + 0) ÷ 3 = 0.194444…; A1's peers without it: (1/3 + 0) ÷ 2 = 0.166667. Two peers: a
    // mean but no spread and no z (fewer than 3), so no detector fires on them.
    const three = compareWithPeers(
      [
        inst('A1', '3', { readmit15: 0.25 }, 4),
        inst('A2', '3', { readmit15: 1 / 3 }, 3),
        inst('A3', '3', { readmit15: 0 }, 3),
      ],
      'level',
    );
    const a1 = three.find((x) => x.institutionCode === 'A1')!;
    expect(a1.peers).toBe(2);
    expect(a1.peerMean).toBeCloseTo(1 / 6, 12);
    expect(levelMean(a1)).toBeCloseTo((0.25 + 1 / 3) / 3, 12);
    expect(a1.peerSd).toBeUndefined();
    expect(a1.z).toBeUndefined();
    for (const row of three) expect(levelMean(row)).toBeCloseTo((0.25 + 1 / 3) / 3, 12);
  });

  it('R-MON-2 upcoding-share flags D (z ≥ 2); high severity only when it also rose ≥ 30 % on its own last year', () => {
    const rule = mkRule(
      'IN1',
      { detector: 'upcoding-share', params: { list: 'mcc', zMin: r(2), riseMin: r(3, 10) } },
      'suspicious',
    );
    const f = institutionFlags([rule], rows, [inst('D', '2', { mccShare: 0.29 })], table);
    expect(f).toEqual([
      expect.objectContaining({ flagId: 'IN1:D:2025', scope: 'institution', severity: 'medium', amount: 0 }),
    ]);
    const rose = institutionFlags([rule], rows, [inst('D', '2', { mccShare: 0.2 })], table);
    expect(rose[0]?.severity).toBe('high');
    expect(rose[0]?.evidence).toMatchObject({ indicator: 'mccShare', peers: 3, rise: '0.5000' });
  });

  it('R-MON-2 capitation under-service: visits down ≥ 20 % and referrals up ≥ 30 %, both needed', () => {
    const rule = mkRule('IN4', {
      detector: 'under-service',
      params: { visitsDropMin: r(2, 10), referralRiseMin: r(3, 10) },
    });
    const cur = [
      inst('P', 'primary', { visitsGrowth: -0.25, referralGrowth: 0.4 }),
      inst('Q', 'primary', { visitsGrowth: -0.25, referralGrowth: 0.1 }),
      inst('R', 'primary', { visitsGrowth: -0.1, referralGrowth: 0.9 }),
    ];
    expect(institutionFlags([rule], cur, [], []).map((f) => f.institutionCode)).toEqual(['P']);
  });
});

const policyText = (bands: string) => `kind: monitor
region: t
id: t-monitor
version: "1"
title: t
effective: { from: 2025-01-01 }
values:
  rules: { value: [], source: "test rules" }
  knowledge: { value: { itemLimits: a.csv, codePairs: b.csv, itemCatalog: c.csv, diagnosisLists: d.csv }, source: "test" }
  baselineYears: { value: 3, source: "test" }
  baselineMinCases: { value: 20, source: "test" }
  peerBy: { value: level, source: "test" }
  readmissionDays: { value: [14, 15, 31], source: "test" }
  assessment:
    value: { base: 100, violationPoints: 1, suspiciousPoints: 0.2, indicatorPoints: 2, indicatorZ: 2, perThousandCases: true, maxDeduction: 30, bands: ${bands} }
    source: "考核办法 第三条"`;

function baseWith(rules: MonitorRule[]): RuleBase {
  const f = parsePolicy(
    policyText(
      '[{ minScore: 95, coefficient: 1 }, { minScore: 90, coefficient: 0.99 }, { minScore: 0, coefficient: 0.95 }]',
    ),
    't.yaml',
    POLICY_KINDS,
  );
  const { values } = resolveFile(f, monitorKind, '2025-06-30');
  return { policyId: 't', policyVersion: '1', rules, knowledge: testKnowledge(), values };
}

const flag = (id: string, inst: string, result: Flag['result'], amount = 0): Flag => ({
  flagId: id,
  ruleId: 'R',
  result,
  severity: 'high',
  scope: 'case',
  setlId: id,
  institutionCode: inst,
  period: '2025-03',
  amount,
  evidence: {},
});

describe('R-MON-4 assessment score → coefficient, reviews → audit deductions', () => {
  const base = baseWith([mkRule('R', { detector: 'duplicate-charge' })]);
  it('2,000 cases, 4 violations (2‰) and 10 suspicious (5‰ × 0.2 = 1), 1 deviating indicator (2): 100 − 5 = 95 → 1.00', () => {
    const flags = [
      ...Array.from({ length: 4 }, (_, i) => flag(`v${i}`, 'A', 'violation')),
      ...Array.from({ length: 10 }, (_, i) => flag(`s${i}`, 'A', 'suspicious')),
    ];
    const ind = [{ institutionCode: 'A', year: 2025, indicator: 'drugShare' as const, value: 0.5, peers: 3, z: 2.5 }];
    const [s] = scoreInstitutions(base, [{ institutionCode: 'A', cases: 2000 }], flags, ind, new Map());
    expect(compareRatios(s!.score, ratio(95))).toBe(0);
    expect(s!.deviatingIndicators).toEqual(['drugShare']);
    expect(compareRatios(s!.coefficient, ratio(1))).toBe(0);
    // one more violation: 2.5 per thousand → 94.5 → 0.99
    const [t] = scoreInstitutions(
      base,
      [{ institutionCode: 'A', cases: 2000 }],
      [...flags, flag('v9', 'A', 'violation')],
      ind,
      new Map(),
    );
    expect(compareRatios(t!.coefficient, ratio(99, 100))).toBe(0);
  });

  it('a dismissed flag does not count; a low z in the better direction does not deviate; deduction is capped', () => {
    const flags = [flag('v1', 'A', 'violation')];
    const dismissed = new Map<string, Review>([
      ['v1', { flagId: 'v1', decision: 'dismissed', reason: '核实无误', reviewer: 'x', at: '2026-01-05T10:00:00' }],
    ]);
    const visits = [
      { institutionCode: 'A', year: 2025, indicator: 'visitsPerEnrollee' as const, value: 9, peers: 3, z: 3 },
    ];
    const [s] = scoreInstitutions(base, [{ institutionCode: 'A', cases: 10 }], flags, visits, dismissed);
    expect(compareRatios(s!.score, ratio(100))).toBe(0);
    const many = Array.from({ length: 5 }, (_, i) => flag(`m${i}`, 'A', 'violation'));
    const [c] = scoreInstitutions(base, [{ institutionCode: 'A', cases: 10 }], many, [], new Map());
    expect(compareRatios(c!.score, ratio(70))).toBe(0);
    expect(compareRatios(c!.coefficient, ratio(95, 100))).toBe(0);
  });

  it('the score never leaves [base − maxDeduction, base] (property)', () => {
    fc.assert(
      fc.property(fc.nat(50), fc.nat(200), fc.integer({ min: 1, max: 100_000 }), (v, s, cases) => {
        const flags = [
          ...Array.from({ length: v }, (_, i) => flag(`v${i}`, 'A', 'violation')),
          ...Array.from({ length: s }, (_, i) => flag(`s${i}`, 'A', 'suspicious')),
        ];
        const [x] = scoreInstitutions(base, [{ institutionCode: 'A', cases }], flags, [], new Map());
        return compareRatios(x!.score, ratio(70)) >= 0 && compareRatios(x!.score, ratio(100)) <= 0;
      }),
      { numRuns: 50 },
    );
  });

  it('only confirmed flags with money become deductions, with the reviewed amount when given', () => {
    const flags = [
      flag('a', 'A', 'violation', 9_000),
      flag('b', 'A', 'violation', 5_000),
      flag('c', 'B', 'suspicious', 0),
    ];
    const reviews = new Map<string, Review>([
      [
        'a',
        {
          flagId: 'a',
          decision: 'confirmed',
          reason: '属实',
          reviewer: '张三',
          at: '2026-01-05T10:00:00',
          amount: 4_500,
        },
      ],
      ['b', { flagId: 'b', decision: 'dismissed', reason: '不属实', reviewer: '张三', at: '2026-01-05T10:00:00' }],
      ['c', { flagId: 'c', decision: 'confirmed', reason: '属实', reviewer: '张三', at: '2026-01-05T10:00:00' }],
    ]);
    expect(auditDeductions(base, flags, reviews)).toEqual([
      {
        institutionCode: 'A',
        period: '2025-03',
        amount: 4_500,
        reason: 'R a',
        source: 'test clause；复核 张三 2026-01-05：属实',
      },
    ]);
  });
});

describe('R-MON-4 a confirmed deduction rests on the flag: no more than the amount at issue', () => {
  const base = baseWith([mkRule('R', { detector: 'duplicate-charge' })]);
  const review = (id: string, amount?: number): Review => ({
    flagId: id,
    decision: 'confirmed',
    reason: '属实',
    reviewer: '张三',
    at: '2026-01-05T10:00:00',
    ...(amount === undefined ? {} : { amount }),
  });
  it('walk4 #7: 50,000.00 on a flag of 20.00 at issue is refused with both figures; 20.00 and 15.00 stand', () => {
    const f = flag('YB-IT-011:S07:250101001', 'H2', 'violation', 2_000);
    expect(deductionLimit(f, 840_000)).toBe(2_000);
    const no = deductionRefusal(f, 5_000_000, 840_000)!;
    expect(no.zh).toContain('扣款金额 50000.00 元超过疑点 YB-IT-011:S07:250101001 的涉及金额 20.00 元');
    expect(no.en).toContain('50000.00 yuan, is more than the amount at issue');
    expect(no.en).toContain('20.00 yuan');
    expect(deductionRefusal(f, 2_000, 840_000)).toBeUndefined();
    expect(deductionRefusal(f, 1_500, 840_000)).toBeUndefined();
  });
  it("a case flag whose amount is left to review (0) deducts up to the case's fund payment (8,400.00)", () => {
    const f = flag('YB-CS-004:S07', 'H2', 'suspicious', 0);
    expect(deductionLimit(f, 840_000)).toBe(840_000);
    expect(deductionRefusal(f, 840_000, 840_000)).toBeUndefined();
    expect(deductionRefusal(f, 840_001, 840_000)!.zh).toContain('病例 YB-CS-004:S07 的统筹基金支付 8400.00 元');
  });
  it('an institution flag with nothing at issue deducts nothing itself', () => {
    const f: Flag = { ...flag('YB-IN-001:H2:2025', 'H2', 'suspicious', 0), scope: 'institution', setlId: '' };
    expect(deductionLimit(f, undefined)).toBe(0);
    expect(deductionRefusal(f, 100, undefined)!.en).toContain('deducts nothing itself');
  });
  it('a review stored before the cap (99,999.99 on 723.12) deducts the amount at issue', () => {
    const f = flag('a', 'A', 'violation', 72_312);
    expect(auditDeductions(base, [f], new Map([['a', review('a', 9_999_999)]]))[0]!.amount).toBe(72_312);
    expect(auditDeductions(base, [f], new Map([['a', review('a', 50_000)]]))[0]!.amount).toBe(50_000);
    const zero = flag('z', 'A', 'suspicious', 0);
    expect(auditDeductions(base, [zero], new Map([['z', review('z', 30_000)]]))[0]!.amount).toBe(30_000);
  });
});

describe('rule base and knowledge tables are validated', () => {
  it('a rule with an unknown detector or a duplicate id is refused with the file named', () => {
    const bad = policyText('[{ minScore: 0, coefficient: 1 }]').replace(
      'rules: { value: [], source: "test rules" }',
      `rules: { value: [{ id: YB-X-1, name: x, nameEn: x, logic: { detector: nope }, result: violation, window: case, settings: [inpatient], stages: [after], clause: "c c" }], source: "s s" }`,
    );
    expect(() => parsePolicy(bad, 'bad.yaml', POLICY_KINDS)).toThrow(/bad\.yaml/);
    const rule = `{ id: YB-X-1, name: x, nameEn: x, logic: { detector: duplicate-charge }, result: violation, window: case, settings: [inpatient], stages: [after], clause: "c c" }`;
    const dup = policyText('[{ minScore: 0, coefficient: 1 }]').replace(
      'rules: { value: [], source: "test rules" }',
      `rules: { value: [${rule}, ${rule}], source: "s s" }`,
    );
    expect(() => parsePolicy(dup, 'dup.yaml', POLICY_KINDS)).toThrow(/duplicate rule id YB-X-1/);
  });
});

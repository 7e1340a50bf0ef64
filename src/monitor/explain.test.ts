import { describe, expect, it } from 'vitest';
import { explainFlag } from './explain.ts';
import { mkRule, r } from './testing.ts';
import type { Flag } from './types.ts';

// The demo's YB-CS-001 (policies/demo/monitor-2025.yaml) and one of its flags.
const rule = {
  ...mkRule(
    'YB-CS-001',
    {
      detector: 'split-admission',
      params: {
        windowDays: 15,
        highWithinDays: 1,
        sameInstitution: true,
        exceptLists: ['chemotherapy'],
        exceptPlanned: true,
      },
    },
    'suspicious',
  ),
  name: '分解住院',
  nameEn: 'split admission',
  window: '15d',
};
const flag: Flag = {
  flagId: 'YB-CS-001:JS2025000000047',
  ruleId: 'YB-CS-001',
  result: 'suspicious',
  severity: 'medium',
  scope: 'case',
  setlId: 'JS2025000000047',
  institutionCode: 'H99010200002',
  period: '2025-02',
  amount: 1561568,
  evidence: { previousSetlId: 'JS2025000000046', gapDays: 8 },
};

describe('R-MON-4 explain flag: the rule’s logic in the reader’s words (walk2 #9)', () => {
  it('zh: detector, parameters, list and window in Chinese — no detector = split-admission, windowDays, 15d', () => {
    const [step] = explainFlag(flag, rule, undefined, 'zh').steps;
    expect(step!.zh).toContain('时间窗 15 天，');
    expect(step!.values).toEqual({
      检测方法: '分解住院',
      '时间窗（天）': 15,
      间隔不超过此天数为高度可疑: 1,
      限同一机构: true,
      除外诊断表: '放化疗诊断表',
      除外计划再入院: true,
    });
    for (const [k, v] of Object.entries(step!.values ?? {}))
      expect(`${k} ${typeof v === 'boolean' ? '' : v}`).not.toMatch(/[a-z]{3,}/);
  });

  it('en: the same in English', () => {
    const [step] = explainFlag(flag, rule, undefined, 'en').steps;
    expect(step!.en).toContain('window 15 days,');
    expect(step!.values).toMatchObject({
      detector: 'split admission',
      'excepted diagnosis lists': 'chemotherapy list',
    });
    expect(Object.keys(step!.values ?? {}).join(' ')).not.toMatch(/[\u4e00-\u9fff]/);
  });

  it('a ratio parameter as the policy wrote it (1.1, 3), not 1.100000', () => {
    const upcoding = {
      ...mkRule('YB-CS-004', {
        detector: 'upcoding-no-trace',
        params: { list: 'mcc', costFactor: r(11, 10), losFactor: r(3) },
      }),
    };
    const [step] = explainFlag({ ...flag, ruleId: 'YB-CS-004' }, upcoding, undefined, 'zh').steps;
    expect(step!.values).toEqual({
      检测方法: '高套编码（合并症无费用与住院日痕迹）',
      诊断表: '严重合并症诊断表',
      '费用倍数（对基线中位数）': '1.1',
      '住院天数倍数（对基线中位数）': '3',
    });
  });

  it('a declarative rule’s conditions and a case window in words (收费类别 = 06, 本次住院)', () => {
    const decl = {
      ...mkRule('YB-IT-009', {
        where: [
          { field: 'item.chargeCategory', op: 'eq', value: '06' },
          { field: 'case.procedureCount', op: 'eq', value: 0 },
        ],
      }),
      window: 'case',
    };
    const [step] = explainFlag({ ...flag, ruleId: 'YB-IT-009' }, decl, undefined, 'zh').steps;
    expect(step!.zh).toContain('时间窗 本次住院，');
    expect(step!.values).toEqual({ '条件 1': '收费类别 = 06', '条件 2': '手术操作数 = 0' });
  });

  it('walk4 #26: an overlapping stay says which case carries the money and why, in zh and en', () => {
    const overlap = mkRule('YB-CS-002', { detector: 'overlapping-stays' });
    const f = { ...flag, ruleId: 'YB-CS-002', amount: 0 };
    const [zh] = explainFlag(f, overlap, undefined, 'zh').steps;
    expect(zh!.values!['涉及金额的计法']).toContain('一次重叠只计一次：计在后入院的病例上');
    const [en] = explainFlag(f, overlap, undefined, 'en').steps;
    expect(en!.values!['how the amount at issue is counted']).toContain('one overlap is counted once');
  });
});

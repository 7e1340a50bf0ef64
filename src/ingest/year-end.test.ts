/**
 * Year-end inputs (issue 11 item 3): audit deductions, assessment results and special-review decisions are read
 * row by row, each accepted or rejected with its row, field and reason, and the settlement applies them — checked
 * against a hand-computed year end (R-DIP-6: 考核系数 and 审核扣款; R-DIP-3: 特例单议).
 */
import { describe, expect, it } from 'vitest';
import type { Institution } from '../model/institution.ts';
import { ratio } from '../model/money.ts';
import type { UnitResult } from '../model/unit-result.ts';
import type { SettlementRules } from '../settlement/rules.ts';
import { settlePool } from '../settlement/settle.ts';
import { parseAssessments, parseDeductions, parseSpecialReview, YearEndFileError } from './year-end.ts';

const ctx = { year: 2025, institutions: new Set(['A', 'B']) };

describe('year-end inputs: every row accepted or rejected with row, field and reason', () => {
  it('审核扣款: a month and the year accepted; unknown institution, wrong period, a third decimal and a duplicate rejected', () => {
    const text = [
      '医疗机构编码,期间,扣款金额,原因,依据',
      'A,2025-03,1000.00,重复收费,审核结论 2025-03 第 12 号',
      'A,2025,500,超标准收费,年度审核结论 第 3 号',
      'Z,2025-04,10.00,重复收费,审核结论',
      'B,2024-12,10.00,重复收费,审核结论',
      'B,2025-05,10.005,重复收费,审核结论',
      'A,2025-03,1.00,重复收费,审核结论',
    ].join('\n');
    const r = parseDeductions(text, ctx);
    expect(r.read).toBe(6);
    expect(r.accepted).toEqual([
      {
        institutionCode: 'A',
        period: '2025-03',
        amount: 100_000,
        reason: '重复收费',
        source: '审核结论 2025-03 第 12 号',
      },
      { institutionCode: 'A', period: '2025', amount: 50_000, reason: '超标准收费', source: '年度审核结论 第 3 号' },
    ]);
    expect(r.rejected.map((x) => [x.row, x.field])).toEqual([
      [3, 'institution'],
      [4, 'period'],
      [5, 'amount'],
      [6, 'institution'],
    ]);
    expect(r.rejected[0]!.zh).toBe('未知的医疗机构 Z');
    expect(r.rejected[3]!.en).toBe('duplicates row 1');
  });

  it('考核系数 with English headers; a coefficient that is not a decimal or above 2 is rejected', () => {
    const r = parseAssessments('institution,coefficient,source\nA,0.95,2025 年度考核 第 1 号\nB,1.2.3,x\nB,2.5,x', ctx);
    expect(r.accepted).toEqual([
      { institutionCode: 'A', coefficient: ratio(95n, 100n), source: '2025 年度考核 第 1 号' },
    ]);
    expect(r.rejected.map((x) => [x.row, x.field])).toEqual([
      [2, 'coefficient'],
      [3, 'coefficient'],
    ]);
  });

  it('特例单议结果: approved by items or at points, not approved; a decision in other words is rejected', () => {
    const r = parseSpecialReview(
      [
        '结算ID,结果,支付方式,点数,依据',
        'S1,通过,按项目,,专家评审 2025-Q3',
        'S2,通过,按点数,120.5,专家评审 2025-Q3',
        'S3,不通过,,,专家评审 2025-Q3',
        'S4,待定,,,专家评审 2025-Q3',
        'S5,通过,按点数,0,专家评审 2025-Q3',
      ].join('\n'),
    );
    expect(r.accepted).toEqual([
      { setlId: 'S1', approved: true, payment: { kind: 'items' }, source: '专家评审 2025-Q3' },
      { setlId: 'S2', approved: true, payment: { kind: 'points', points: 1_205_000 }, source: '专家评审 2025-Q3' },
      { setlId: 'S3', approved: false, source: '专家评审 2025-Q3' },
    ]);
    expect(r.rejected.map((x) => [x.row, x.field])).toEqual([
      [4, 'decision'],
      [5, 'points'],
    ]);
  });

  it('a file without a required column names what is missing and what it has', () => {
    expect(() => parseAssessments('医疗机构编码,系数\nA,0.9', ctx)).toThrow(YearEndFileError);
    try {
      parseAssessments('医疗机构编码,系数\nA,0.9', ctx);
    } catch (e) {
      expect((e as YearEndFileError).zh).toContain('考核系数/coefficient');
    }
  });
});

describe('R-DIP-6: the year end applies the assessment coefficient and the audit deductions (hand-computed)', () => {
  // Two institutions, 6000 and 4000 points, a fund of 100,000.00 yuan, floating point value → 10 yuan/point; fund
  // payment ratio 1 and no sharing, so gross A = 60,000.00 and B = 40,000.00.
  // A: × 0.95 = 57,000.00; − deductions 1,000.00 (March) − 500.00 (year) = 55,500.00. B: coefficient 1 → 40,000.00.
  const rules: SettlementRules = {
    fundPaymentRatio: { value: { kind: 'given', ratio: ratio(1n) }, source: '基金支付比例 1 (test)' },
    pointValue: { value: { kind: 'floating' }, source: '浮动点值 (test)' },
    provisionalPointValue: { value: { kind: 'fixed', pointValue: ratio(1000n) }, source: '预结算点值 10 元 (test)' },
    prepayRatio: { value: ratio(9n, 10n), source: '预结算 90% (test)' },
    advanceMonths: { value: {}, source: '不预付 (test)' },
    sharing: { value: null, source: '不分担 (test)' },
    defaultAssessment: { value: ratio(1n), source: '考核系数 1 (test)' },
  };
  const institutions: Institution[] = [
    { code: 'A', name: 'A 医院', level: '3', type: 'general', county: '1' },
    { code: 'B', name: 'B 医院', level: '2', type: 'general', county: '1' },
  ];
  const unit = (id: string, inst: string, month: string, points: number): UnitResult => ({
    unitId: id,
    institutionCode: inst,
    month,
    method: 'dip',
    group: 'G',
    status: 'paid',
    claim: { kind: 'points', points },
    billed: 0,
    patientPaid: 0,
    explanation: [],
  });

  it('A 55,500.00 and B 40,000.00 from the parsed files', () => {
    const deductions = parseDeductions(
      '医疗机构编码,期间,扣款金额,原因,依据\nA,2025-03,1000.00,重复收费,审核 12 号\nA,2025,500.00,超标准收费,审核 3 号',
      ctx,
    ).accepted;
    const assessments = parseAssessments('医疗机构编码,考核系数,依据\nA,0.95,考核 1 号', ctx).accepted;
    const s = settlePool({
      poolId: 'p',
      region: 'p',
      year: 2025,
      units: [unit('U1', 'A', '2025-03', 60_000_000), unit('U2', 'B', '2025-03', 40_000_000)],
      budget: { fund: 10_000_000, steps: [] },
      openingPointValue: { value: ratio(1000n), source: '年初点值 10 元 (test)' }, // point values in fen per point
      institutions,
      lastYearFundPaid: new Map(),
      deductions,
      assessments,
      rules,
    });
    const a = s.institutions.find((i) => i.institutionCode === 'A')!;
    const b = s.institutions.find((i) => i.institutionCode === 'B')!;
    expect([a.gross, a.afterAssessment, a.deductions, a.yearEnd]).toEqual([6_000_000, 5_700_000, 150_000, 5_550_000]);
    expect([b.gross, b.afterAssessment, b.deductions, b.yearEnd]).toEqual([4_000_000, 4_000_000, 0, 4_000_000]);
    // The March deduction is also taken in March's pre-settlement: 60,000.00 × 0.9 − 1,000.00 = 53,000.00.
    expect(a.monthly.find((m) => m.month === '2025-03')!.payment).toBe(5_300_000);
  });
});

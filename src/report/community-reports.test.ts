import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { communityBudget } from '../community/budget.ts';
import { communityEligibility } from '../community/eligibility.ts';
import { assessPerformance, type IndicatorInputs } from '../community/indicators.ts';
import { settleCommunityYear } from '../community/reconcile.ts';
import { regionPointTable } from '../community/region-points.ts';
import { templateCommunity, templateCommunityPolicy } from '../community/test-fixtures.ts';
import { formatRatio, ratio } from '../model/money.ts';
import type { CommunityRunResult } from '../run/community-year.ts';
import {
  budgetTable,
  burdenTable,
  communitySummaryText,
  indicatorTable,
  memberMethodTable,
  reconciliationTable,
  writeCommunityWorkbook,
} from './community-reports.ts';
import { moneyWithoutUnit } from './money-units.ts';
import { cellText, percentOfDecimal } from './table.ts';

function sample(): CommunityRunResult {
  const policy = templateCommunityPolicy();
  const community = templateCommunity();
  const history = [2022, 2023, 2024].map((year) => ({ year, fundSpending: 50_000_000, population: 5_000 }));
  const budgets = (['employee', 'resident'] as const).map((fund) =>
    communityBudget({ communityId: community.id, fund, year: 2025, history, population: 5_000 }, policy),
  );
  const x: IndicatorInputs = {
    medicalCost: 1,
    lastYearMedicalCost: 1,
    fundPaid: 1,
    inCountyFundPaid: 1,
    primaryFundPaid: 1,
    visits: 1,
    primaryVisits: 1,
    admissions: 1,
    outsideCountyAdmissions: 0,
  };
  const performance = assessPerformance(x, policy);
  const row = (fund: 'employee' | 'resident', month: string, fundPaid: number) => ({
    institutionCode: 'H0002',
    month,
    fund,
    method: 'dip' as const,
    units: 1,
    fundPaid,
    points: 0,
    billed: 0,
    patientPaid: 0,
  });
  const result = settleCommunityYear(
    {
      communityId: community.id,
      name: community.name,
      lead: community.lead,
      year: 2025,
      members: community.members,
      budgets,
      memberMonths: [row('employee', '2025-01', 20_000_000), row('resident', '2025-02', 33_000_000)],
      populationSpending: [{ fund: 'resident', where: 'outside-county', amount: 10_000_000 }],
      compensations: [],
      performance,
    },
    policy,
  );
  return {
    region: 'sd-template',
    runId: 'RUN-TEST',
    year: 2025,
    policies: { registry: 'r', payment: 'p' },
    communities: [
      {
        community,
        eligibility: communityEligibility(community, '2025-01-01', 's'),
        budgets,
        indicatorInputs: x,
        performance,
        result,
      },
    ],
    institutions: [{ code: 'H0002', name: '示例镇卫生院', level: 'primary', type: 'primary', county: '370000' }],
    points: regionPointTable(ratio(1000n), 's', [], [{ institutionCode: 'H0002', method: 'ffs', amount: 100_000 }]),
    burden: [],
    referrals: 0,
    pricedBills: 0,
  };
}

describe('community workbook (医共体结算工作簿)', () => {
  it('the 合计 row of the year-end sheet adds up the funds; one community, one total row (walk7 #13)', () => {
    const t = reconciliationTable(sample());
    const rows = [...t.rows];
    const funds = rows.filter((r) => r.fund !== '合计');
    // It had two: 示例县医共体 合计 and 合计, with the same figures.
    expect(rows.filter((r) => r.fund === '合计')).toHaveLength(1);
    const total = rows.at(-1)!;
    expect([total.community, total.fund]).toEqual(['示例县医共体', '合计']);
    for (const k of ['budget', 'methods', 'actual', 'fundBears', 'paidMonthly', 'advance', 'clearing'])
      expect(total[k]).toBe(funds.reduce((s, r) => s + (r[k] as number), 0));
    // R-MC-3: the clearing deducts what was paid monthly and the community's advance (labelled whose).
    for (const r of funds)
      expect((r.year as number) - (r.paidMonthly as number) - (r.advance as number)).toBe(r.clearing as number);
    expect(t.columns.map((c) => c.zh)).toContain('年初预付（医共体）');
    // R-DIP-8: the points column says what it converts and why it may be negative (walk8 #6: -416.2331 unexplained).
    const points = t.columns.find((c) => c.key === 'points')!;
    expect(points.zh).toBe('医共体年度应得折算点数（÷ 统筹区点值；为负：县域外等已付超过基金承担）');
    expect(points.en).toBe(
      'community’s year in points (÷ the region’s point value; negative: spending elsewhere already paid exceeds what the fund bears)',
    );
  });

  // tidy4 2: the indicators' total read "示例县医共体 合计" in the first column and the coefficient as text.
  it('监测与考核指标: one total row per community, 合计 beside its name, the score and the coefficient as numbers', () => {
    const r = sample();
    for (const lang of ['zh', 'en'] as const) {
      const t = indicatorTable(r, lang);
      const rows = [...t.rows];
      const word = lang === 'zh' ? '合计' : 'total';
      expect(rows.filter((x) => x.indicator === word)).toEqual([rows.at(-1)]);
      expect(rows.filter((x) => String(x.community).includes(word))).toEqual([]);
      const c = r.communities[0]!;
      expect(rows.at(-1)).toMatchObject({
        community: '示例县医共体',
        indicator: word,
        weight: c.performance.maxScore,
        score: c.performance.score,
        coefficient: Number(formatRatio(c.performance.coefficient, 4)),
      });
      expect(t.columns.map((x) => (lang === 'zh' ? x.zh : x.en)).at(-1)).toBe(
        lang === 'zh' ? '考核系数' : 'assessment coefficient',
      );
    }
  });

  it('成员单位与支付方式: one row per member and method, adding up to the one total (walk7 #13: 56,000 under 28,000)', () => {
    const rows = [...memberMethodTable(sample()).rows];
    const total = rows.at(-1)!;
    expect(rows.filter((r) => r.member === '合计')).toEqual([total]);
    expect(rows.slice(0, -1).map((r) => [r.member, r.method, r.amount])).toEqual([
      ['H0002', '按病种分值付费（DIP）', 53_000_000],
    ]);
    expect(total.amount).toBe(53_000_000);
  });

  it('writes numbers as numbers in yuan, with names and sheet titles in Chinese', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'yibao-community-'));
    const file = await writeCommunityWorkbook(sample(), dir);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    expect(wb.worksheets.map((w) => w.name)).toContain('年度清算对账');
    const ws = wb.getWorksheet('总额预算测算')!;
    // 10,000 fen per head × (1 + 3.5 %) = 103.50 元 per head; × 5,000 heads = 517,500.00 元.
    const employee = ws.getRow(2).values as unknown[];
    expect(employee[2]).toBe('职工');
    expect(employee[5]).toBe(103.5);
    expect(employee[8]).toBeUndefined(); // no last year's budget stored
    expect(employee[9]).toBe(517_500);
    const members = wb.getWorksheet('成员单位与支付方式')!;
    expect((members.getRow(2).values as unknown[])[3]).toBe('示例镇卫生院');
  });

  it('in --lang en: English sheet names and words; only proper names stay Chinese', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'yibao-community-en-'));
    const file = await writeCommunityWorkbook(sample(), dir, 'en');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    expect(wb.worksheets.map((w) => w.name)).toEqual([
      'Eligibility',
      'Budget',
      'Monthly settlement',
      'Members and methods',
      'Year-end reconciliation',
      'Indicators',
      'Region points',
    ]);
    const budget = wb.getWorksheet('Budget')!;
    expect((budget.getRow(1).values as unknown[])[2]).toBe('insurance type');
    expect((budget.getRow(2).values as unknown[])[2]).toBe('employee');
    expect((budget.getRow(4).values as unknown[])[2]).toBe('total');
    const names = new Set(['示例医共体', '示例镇卫生院', sample().communities[0]!.community.name]);
    for (const ws of wb.worksheets)
      ws.eachRow((row) => {
        for (const v of row.values as unknown[]) {
          if (typeof v !== 'string' || !/\p{Script=Han}/u.test(v)) continue;
          const rest = [...names].reduce((s, n) => s.split(n).join(''), v);
          expect(rest, `${ws.name}: ${v}`).not.toMatch(/\p{Script=Han}/u);
        }
      });
  });
});

// walk4 #25: the indicators' value read 0.1627 beside a target of ≤ 8.00%, and the history per head was a yuan float
// (1058.79) among integer fen.
describe('community tables: figures in the units their neighbours use', () => {
  it('R-MC-4: an indicator’s value is a percentage as its target is', () => {
    const rows = [...indicatorTable(sample()).rows];
    // medical cost 1 against last year's 1: growth 0 → 0.00%; fund paid 1 of medical cost 1: 100.00%.
    const t = indicatorTable(sample());
    const value = t.columns.find((c) => c.key === 'value')!;
    const growth = rows.find((r) => r.indicator === '医疗费用增长率')!;
    // The row keeps the exact fraction (JSON, workbooks as a number formatted 0.00%); the text writers show a percentage.
    expect(growth.value).toBe('0.0000');
    expect(cellText(value, growth.value ?? null)).toBe('0.00%');
    expect(growth.target).toMatch(/^≤ \d+\.\d{2}%$/);
    expect(cellText(value, rows.find((r) => r.indicator === '医保报销比例')!.value!)).toBe('100.00%');
    expect(value).toMatchObject({ kind: 'decimal', percent: true, digits: 2 });
  });
  it('a share column: exact fraction text as a percentage, rounded half away from zero once', () => {
    expect(percentOfDecimal('0.1627', 2)).toBe('16.27%');
    expect(percentOfDecimal('1', 2)).toBe('100.00%');
    expect(percentOfDecimal('0.162750', 2)).toBe('16.28%');
    expect(percentOfDecimal('0.16274999', 2)).toBe('16.27%');
    expect(percentOfDecimal('-0.00005', 2)).toBe('-0.01%');
    expect(percentOfDecimal('-0.00004', 2)).toBe('0.00%');
    expect(percentOfDecimal('0.035', 1)).toBe('3.5%');
    expect(percentOfDecimal('—', 2)).toBe('—');
  });
  it('R-MC-2: the history per head is money in integer fen (50,000,000 fen ÷ 5,000 heads = 10,000 fen)', () => {
    const t = budgetTable(sample());
    expect(t.columns.find((c) => c.key === 'perHeadBase')!.kind).toBe('money');
    expect([...t.rows][0]!.perHeadBase).toBe(10_000);
  });
});

describe('community summary for the terminal (demo, community settle)', () => {
  // Budget 103.50 元 × 5,000 per fund = 517,500.00 元 each; the methods paid 200,000.00 (employee) + 330,000.00
  // (resident); the residents' 100,000.00 outside the county counts: actual 630,000.00; surpluses 317,500.00 and 87,500.00.
  it('R-MC-3: budget, what the methods paid, the reconciliation, indicators and score', () => {
    const text = communitySummaryText(sample(), 'zh');
    expect(text).toContain('基金预算 1035000.00 元：职工 103.50 元/人 × 5000 人 = 517500.00 元');
    expect(text).toContain('按支付方式年度所得 530000.00 元：按病种分值付费（DIP） 530000.00 元');
    expect(text).toContain(
      '纳入预算的实际支出 630000.00 元（成员单位按支付方式年度所得 530000.00 元 + 县域外等按结算清单统筹基金支付 100000.00 元）',
    );
    // No payments given: the methods' amounts were paid in their months; the community's advance, labelled.
    expect(text).toMatch(
      /清算支付额 = 医共体年度应得 [\d.]+ 元 − 月度已支付 530000\.00 元 − 年初预付（医共体） [\d.]+ 元 = /,
    );
    expect(text).toContain('职工结余 317500.00 元，结余留用 317500.00 元');
    expect(text).toContain('居民结余 87500.00 元');
    expect(text).toMatch(/考核得分 \d+\/\d+，考核系数/);
  });
  // The demo's community part printed the methods' amounts, the members' and the sharing figures without 元 / yuan.
  it('every money figure carries its unit, in zh and en (the coefficient 1.00 is not money)', () => {
    expect(moneyWithoutUnit(communitySummaryText(sample(), 'zh'), 'zh')).toEqual([]);
    const en = communitySummaryText(sample(), 'en');
    expect(moneyWithoutUnit(en, 'en')).toEqual([]);
    expect(en).toContain(
      'actual 630000.00 yuan (members by the methods 530000.00 yuan + elsewhere at the settlement lists’ pooled-fund payment 100000.00 yuan)',
    );
    expect(en).toContain('employee 103.50 yuan/head × 5000 = 517500.00 yuan');
    // A lead hospital without a name in the run: no blank before the comma (it read "牵头医院 H0001 ，").
    expect(communitySummaryText(sample(), 'zh')).not.toContain(' ，');
  });
  it('in English, no Chinese but the proper names', () => {
    const text = communitySummaryText(sample(), 'en');
    expect(text).toContain('fund budget 1035000.00 yuan: employee 103.50 yuan/head × 5000 = 517500.00 yuan');
    const c = sample().communities[0]!.community;
    const rest = [c.name, '示例镇卫生院'].reduce((s, n) => s.split(n).join(''), text);
    expect(rest).not.toMatch(/\p{Script=Han}/u);
  });
  it('en counts one admission in the singular (it read "1 admissions")', () => {
    const row = (level: '3' | '2', bills: number) => ({
      level,
      bills,
      total: 10_000,
      basicFund: 6_000,
      criticalIllness: 0,
      assistance: 0,
      patient: 4_000,
      recordedFund: 6_100,
      burden: ratio(2n, 5n),
    });
    const r = { ...sample(), burden: [{ scope: 'region', rows: [row('3', 1), row('2', 2)] }] };
    expect(communitySummaryText(r, 'en')).toContain('level 3 40.0% (1 admission), level 2 40.0% (2 admissions)');
    expect(communitySummaryText(r, 'zh')).toContain('三级 40.0%（1 人次），二级 40.0%（2 人次）');
    const c = sample().communities[0]!.community;
    const en = communitySummaryText(r, 'en');
    expect(en).toContain(`lead hospital ${c.lead}`);
    expect(en).toContain(c.members.length === 1 ? ', 1 member' : `, ${c.members.length} members`);
    expect(en).not.toMatch(/\b1 members\b/);
  });
});

// walk3 (DRG demo, zh): the community workbook's pooling-region burden read basic fund 78,491,461.16 and patient
// 52,808,865.39, the store's hifp_pay summed to 78,505,507.08 and the statements' 患者负担 to 55,138,695.64, with nothing
// saying why. They differ by definition: the burden is the benefits policy's one-stop split of each admission
// (R-BEN-1…4), the statements' 患者负担 is the lists' total − pooled-fund payment. Each figure now says what it counts.
describe('R-BEN-1: the burden figures say what they count, beside the lists’ record', () => {
  // Two levels, hand-made: level 3 one admission, level 2 two (each row: total 100.00, the policy's basic fund 60.00,
  // patient 40.00, the lists' hifp_pay 61.00). Sums: 3 admissions, total 200.00, basic 120.00, patient 80.00, recorded
  // 122.00 → rules − record = −2.00; the statements' 患者负担 = 200.00 − 122.00 = 78.00.
  const row = (level: '3' | '2', bills: number) => ({
    level,
    bills,
    total: 10_000,
    basicFund: 6_000,
    criticalIllness: 0,
    assistance: 0,
    patient: 4_000,
    recordedFund: 6_100,
    burden: ratio(2n, 5n),
  });
  const r = {
    ...sample(),
    policies: { registry: 'r', payment: 'p', benefits: 'demo-benefits-2025' },
    pricedBills: 2,
    burden: [{ scope: 'region', rows: [row('3', 1), row('2', 2)] }],
  };
  it('zh: the split is the benefit rules’, the record and the gap stand beside it', () => {
    expect(communitySummaryText(r, 'zh')).toContain(
      '  个人负担按待遇政策 demo-benefits-2025 对 3 人次逐次测算一站式结算（2 人次按费用明细分段，其余按结算清单自费金额）：' +
        '测算基本医保统筹支付 120.00 元、个人负担 80.00 元；结算清单记录的统筹基金支付 122.00 元，测算与记录相差 -2.00 元；' +
        '结算单中的“患者负担”为结算清单医疗费用总额 − 统筹基金支付 = 78.00 元',
    );
  });
  it('en: the same in English', () => {
    const en = communitySummaryText(r, 'en');
    expect(en).toContain(
      'basic fund 120.00 yuan, patient 80.00 yuan; the settlement lists record a pooled-fund payment of 122.00 yuan, rules − record -2.00 yuan',
    );
    expect(en).toContain('patient burden (patient share by the benefit rules, by level): level 3 40.0% (1 admission)');
  });
  it('the sheet: headers say “by the benefit rules”, the record and the gap per row and in the total', () => {
    const t = burdenTable(r, 'zh');
    const headers = t.columns.map((c) => c.zh);
    expect(headers).toContain('基本医保统筹支付（按待遇政策测算）');
    expect(headers).toContain('统筹基金支付（结算清单记录）');
    const rows = [...t.rows];
    expect(rows[0]).toMatchObject({ basicFund: 6_000, recordedFund: 6_100, fundGap: -100 });
    expect(rows.at(-1)).toMatchObject({ bills: 3, basicFund: 12_000, recordedFund: 12_200, fundGap: -200 });
    // tidy4 2: 合计 beside the scope's name, not "全统筹区 合计" in the first column; one total row per scope.
    expect(rows.filter((x) => x.level === '合计')).toEqual([rows.at(-1)]);
    expect([rows.at(-1)!.scope, rows.at(-1)!.level]).toEqual(['全统筹区', '合计']);
    expect([...burdenTable(r, 'en').rows].at(-1)).toMatchObject({ scope: 'pooling region', level: 'total' });
  });
});

/**
 * A DRG pool at a fixed base rate (R-PAY-DRG 费率法: 支付标准 = RW × 费率 × 等级系数) is reported as such, not as a
 * floating point pool with 总点数 0 and 年度点值 0.000000 (walk5 #5). Hand-computed, walk5's own region: 费率
 * 10,000.00 元/RW for both funds; ES35 RW 1.0, BR25 RW 1.5, LX19 RW 0.5; H1 tertiary (等级系数 1): 10,000 + 15,000 +
 * 5,000 = 30,000.00; H2 secondary (等级系数 0.9): 9,000 + 13,500 + 4,500 = 27,000.00; fund payment ratio 0.7 →
 * H1 21,000.00, H2 18,900.00, the pool 57,000.00 × 0.7 = 39,900.00 (budget 100,000.00 is not spent).
 */
import { describe, expect, it } from 'vitest';
import { renderExplanation } from '../model/explain.ts';
import type { Institution } from '../model/institution.ts';
import { ratio } from '../model/money.ts';
import type { UnitResult } from '../model/unit-result.ts';
import { toCsv } from '../report/csv.ts';
import { poolMonthsTable } from '../report/pool-month-rows.ts';
import { readableExplanation } from '../report/readable-explanation.ts';
import { annualTable, monthlyTable, regionTable } from '../report/settlement-rows.ts';
import { poolSummaryText } from '../report/summary.ts';
import { poolBudget } from '../settlement/budget.ts';
import { explainSettlement } from '../settlement/explain.ts';
import type { SettlementRules } from '../settlement/rules.ts';
import { settlePool } from '../settlement/settle.ts';
import { withFixedBaseRate } from './drg-pool.ts';

const r = (n: number, d = 1) => ratio(BigInt(n), BigInt(d));
const rules: SettlementRules = {
  fundPaymentRatio: { value: { kind: 'given', ratio: r(7, 10) }, source: '基金支付比例 0.7' },
  pointValue: { value: { kind: 'floating' }, source: '浮动点值' },
  provisionalPointValue: { value: { kind: 'fixed', pointValue: r(1000) }, source: '预结算点值' },
  prepayRatio: { value: r(95, 100), source: '预结算 95%' },
  advanceMonths: { value: { '3': r(1), '2': r(1), '1': r(1) }, source: '预付 1 个月' },
  sharing: { value: null, source: '不分担' },
  defaultAssessment: { value: r(1), source: '考核系数 1' },
};
const insts: Institution[] = [
  { code: 'H1', name: '市第一人民医院', level: '3', type: 'general', county: '150101' },
  { code: 'H2', name: '县人民医院', level: '2', type: 'general', county: '150102' },
];
// RW × 10,000.00 × 等级系数, in fen, as the DRG pricing claims them (mode amount).
const amounts: [string, string, number][] = [
  ['S1', 'H1', 1_000_000],
  ['S2', 'H1', 1_500_000],
  ['S3', 'H1', 500_000],
  ['S4', 'H2', 900_000],
  ['S5', 'H2', 1_350_000],
  ['S6', 'H2', 450_000],
];
const units: UnitResult[] = amounts.map(([id, inst, amount], i) => ({
  unitId: id,
  institutionCode: inst,
  month: `2025-0${3 + i}`,
  method: 'drg',
  group: 'ES35',
  status: 'paid',
  claim: { kind: 'amount', amount },
  billed: amount,
  patientPaid: Math.round(amount * 0.3),
  explanation: [],
}));

function settled(o: { rules?: SettlementRules; lastYearFundPaid?: Map<string, number> } = {}) {
  const s = settlePool({
    poolId: 'city05-drg-2025',
    region: 'city05',
    year: 2025,
    units,
    budget: poolBudget({ value: { kind: 'given', amount: 10_000_000 }, source: 'test' }, 0),
    openingPointValue: { value: r(9350), source: 'history' },
    institutions: insts,
    lastYearFundPaid: o.lastYearFundPaid ?? new Map(),
    deductions: [],
    assessments: [],
    rules: o.rules ?? rules,
  });
  return withFixedBaseRate(s, { employee: 1_000_000, resident: 1_000_000 }, '费率 10000 元/RW');
}

describe('R-PAY-DRG a DRG pool at a fixed base rate reads as 费率法 (walk5 #5)', () => {
  it('pays H1 21,000.00 and H2 18,900.00, 39,900.00 in all', () => {
    const s = settled();
    expect(s.institutions.map((i) => [i.institutionCode, i.gross])).toEqual([
      ['H1', 2_100_000],
      ['H2', 1_890_000],
    ]);
    expect(s.summary.baseRate).toEqual({ employee: 1_000_000, resident: 1_000_000, source: '费率 10000 元/RW' });
  });

  it('the terminal says the 费率 and the fixed amounts, no points and no point value, zh and en', () => {
    const zh = poolSummaryText(settled(), 'zh');
    expect(zh).toContain('city05 2025 结算池 city05-drg-2025（DRG 费率法）');
    expect(zh).toContain('费率：10000.00 元/RW（费率法');
    expect(zh).toContain('定额结算金额：57000.00 元');
    expect(zh).not.toMatch(/总点数|点值|点数池|浮动/);
    const en = poolSummaryText(settled(), 'en');
    expect(en).toContain('base rate: 10000.00 yuan/RW (base-rate method');
    expect(en).toContain('fixed amounts: 57000.00 yuan');
    expect(en).not.toMatch(/total points|point value|point pool|floating/);
  });

  it('the statements show the 费率, never a point value of 0.000000', () => {
    const s = settled();
    const annual = annualTable(s);
    const keys = annual.columns.map((c) => c.key);
    expect(keys).toContain('baseRate');
    expect(keys).not.toContain('pointValue');
    expect(keys).not.toContain('points');
    const csv = [toCsv(annual, 'zh'), toCsv(regionTable(s), 'zh'), toCsv(regionTable(s), 'en')].join('\n');
    expect(csv).not.toContain('0.000000');
    expect(csv).not.toMatch(/年度点值|年初点值|point value/);
    expect(toCsv(annual, 'zh')).toContain('H2,,二级,3,0,10000.00,27000.00,0.700000');
    expect(toCsv(regionTable(s), 'zh')).toMatch(/费率（元\/RW）,,,,10000\.00/);
    // The months: their quotas and fixed amounts, no point-value columns (no opening value 93.50 beside them).
    const monthly = monthlyTable(s).columns.map((c) => c.key);
    expect(monthly).toContain('amountClaims');
    expect(monthly).not.toContain('pointValue');
    expect(monthly).not.toContain('points');
    const months = poolMonthsTable(s).columns.map((c) => c.key);
    expect(months).toContain('amounts');
    expect(months).not.toContain('opening');
    expect(months).not.toContain('pointValue');
  });

  it('the explanation lets a reader redo 39,900.00 = 57,000.00 × 0.7 and H2 18,900.00 = 27,000.00 × 0.7, zh and en', () => {
    const e = explainSettlement(settled(), 'H2');
    const zh = renderExplanation(e, 'zh');
    expect(zh).toContain('费率 = 10000.00 元/RW\n     → 57000.00');
    expect(zh).toContain('全池年度应付总额 = 定额结算金额 × 基金支付比例');
    expect(zh).toContain('定额结算金额 = 57000.00\n     基金支付比例 = 0.7\n     → 39900.00');
    expect(zh).toContain('定额金额 = 27000.00\n     基金支付比例 = 0.7\n     → 18900.00');
    expect(zh).not.toMatch(/浮动点值时等于基金预算|点值 = 0\.000000/);
    const en = renderExplanation(e, 'en');
    expect(en).toContain('base rate = 10000.00 yuan/RW');
    expect(en).toContain('the pool’s year-end total = fixed amounts × fund payment ratio');
    expect(en).not.toMatch(/baseRate|定额结算金额 =|费率 =/);
  });

  it('explain settlement heads a 结算池, not a 点数池, and its months are fixed amounts less patient payments × prepay ratio, zh and en', () => {
    // H2 in June: S4 RW 1.0 × 10,000.00 × 等级系数 0.9 = 9,000.00; patients paid 2,700.00; (9,000.00 − 2,700.00) × 0.95
    // = 5,985.00. Before, the heading read （点数池 city05-drg-2025）, the month's step 预结算点值取政策规定值 → 10.000000 元/点
    // and the line (当月点数 × 预结算点值 + 定额金额 − 患者负担) with 点数 = 0.0000 and 预结算点值 = 10.000000.
    const e = explainSettlement(settled(), 'H2', '2025-06');
    const zh = renderExplanation(readableExplanation(e, 'zh'), 'zh');
    expect(zh.split('\n')[0]).toBe('机构结算 H2 2025-06（结算池 city05-drg-2025）');
    expect(zh).toContain(
      '费率法：当月不计点数、不用预结算点值；各机构月预结算 = (定额金额 − 患者负担) × 预结算比例，定额金额为按费率的 RW × 费率 × 等级系数及按床日、按病种的定额',
    );
    expect(zh).toContain('月预结算 = (定额金额 − 患者负担) × 预结算比例 − 审核扣款；其余为质量保证金（费率法');
    expect(zh).toContain('定额金额 = 9000.00\n     患者负担 = 2700.00\n     预结算比例 = 0.95');
    expect(zh).toContain('→ 5985.00');
    expect(zh).not.toMatch(/点数池|预结算点值 =|预结算点值取|点数 = 0\.0000|当月点数 ×/);
    const en = renderExplanation(readableExplanation(e, 'en'), 'en');
    expect(en.split('\n')[0]).toMatch(/\(settlement pool city05-drg-2025\)$/);
    expect(en).toContain('monthly pre-settlement = (fixed amounts − patient payments) × prepay ratio − deductions');
    expect(en).not.toMatch(/point pool|points × pre-settlement point value/);
    // The whole year's heading too.
    const year = renderExplanation(readableExplanation(explainSettlement(settled(), 'H2'), 'zh'), 'zh');
    expect(year.split('\n')[0]).toBe('机构结算 H2 2025（结算池 city05-drg-2025）');
    // An unknown institution is not in a 点数池 either.
    expect(() => explainSettlement(settled(), 'H9')).toThrow(
      '结算池 city05-drg-2025 中没有机构 H9；本年度结算的机构：H1、H2（检查机构编码）',
    );
  });

  // walk6 #6: the sheet of a 费率法 pool was still named 月度预结算点值 and its 月度预结算总额 column was empty; its name
  // and columns now fit the method: the fixed amounts less patients' payments × the prepay ratio.
  it('the pool’s month sheet is named for 费率法, without the empty quota column; the month = (fixed amounts − patients) × prepay ratio, zh and en', () => {
    const t = poolMonthsTable(settled());
    expect([t.name, t.zh, t.en]).toEqual([
      'city05-drg-2025-month-pre-settlement',
      '结算池月度预结算（费率法）',
      'pool pre-settlement (base rate)',
    ]);
    expect(t.en!.length).toBeLessThanOrEqual(31); // an Excel sheet name
    expect(t.columns.map((c) => c.key)).toEqual([
      'month',
      'patientPaid',
      'amounts',
      'byItems',
      'gross',
      'prepayRatio',
      'prepay',
      'how',
      'basis',
    ]);
    expect(t.columns.map((c) => c.zh)).not.toContain('月度预结算总额（元）');
    // March: H1's S1 10,000.00, patients 3,000.00 → (10,000.00 − 3,000.00) × 0.95 = 6,650.00 (H1's March payment).
    const zh = toCsv(t, 'zh');
    expect(zh.split(/\r?\n/)[0]).toBe(
      '月份,患者负担（元）,当月定额金额（元）,特例单议按项目付费（元）,应预结算（定额金额 − 患者负担，元）,预结算比例,预结算额（元）,确定方法,计算依据',
    );
    expect(zh).toContain('2025-03,3000.00,10000.00,,7000.00,0.950000,6650.00,费率法：按当月定额金额减患者负担预结算');
    const en = toCsv(t, 'en');
    expect(en.split(/\r?\n/)[0]).toContain(
      'pre-settlement due (fixed amounts − patient payments),prepay ratio,prepay (yuan)',
    );
    expect(en).not.toMatch(/monthly pre-settlement total|point value \(yuan/);
  });

  it('月度预结算点值: each month’s 确定方法 and 计算依据 say fixed amounts less patient payments, not a point value, zh and en', () => {
    const t = poolMonthsTable(settled());
    const zh = toCsv(t, 'zh');
    // March: H1's S1 10,000.00, patients 3,000.00.
    expect(zh).toContain(
      '2025-03,3000.00,10000.00,,7000.00,0.950000,6650.00,费率法：按当月定额金额减患者负担预结算，不用点值,费率法：当月不计点数',
    );
    expect(zh).not.toMatch(/预结算点值取政策规定值|当月无点数|\(预结算总额/);
    const en = toCsv(t, 'en');
    expect(en).toContain('base-rate method: the month’s fixed amounts less patient payments, no point value');
    expect(en).not.toMatch(/the value the policy sets|no points this month/);
  });

  it('月度预结算点值 under the monthly-quota rule: no 月度预结算总额 and no 当月无点数，无预结算点值 (the fixed amounts pay the month)', () => {
    // R-DIP-6 monthly quota = last year's 12,000.00 ÷ 12 × 0.9 = 900.00 would stand beside a month it does not pay.
    const quota: SettlementRules = {
      ...rules,
      provisionalPointValue: { value: { kind: 'monthly-quota', quotaRatio: r(9, 10) }, source: '月度预结算总额' },
    };
    const s = settled({ rules: quota, lastYearFundPaid: new Map([['H1', 1_200_000]]) });
    expect(s.months.map((m) => m.quota)).toEqual([null, null, null, null, null, null]);
    const zh = toCsv(poolMonthsTable(s), 'zh');
    expect(zh).toContain(
      '2025-03,3000.00,10000.00,,7000.00,0.950000,6650.00,费率法：按当月定额金额减患者负担预结算，不用点值,',
    );
    expect(zh).not.toMatch(/当月无点数|预结算点值 = \(预结算总额/);
    // The money is unchanged: H1's March (10,000.00 − 3,000.00) × 0.95 = 6,650.00.
    expect(s.institutions[0]!.monthly[0]!.payment).toBe(665_000);
  });

  it('a month the policy caps at its quota (overQuota: cap) keeps its quota and says how it was capped', () => {
    // March: fixed amounts 10,000.00 > quota 900.00 + patients 3,000.00: the month pays within 3,900.00, so the
    // quota matters and stays; its steps are not the fixed-amounts ones.
    const quota: SettlementRules = {
      ...rules,
      provisionalPointValue: {
        value: { kind: 'monthly-quota', quotaRatio: r(9, 10), overQuota: 'cap' },
        source: '月度预结算总额',
      },
    };
    const s = settled({ rules: quota, lastYearFundPaid: new Map([['H1', 1_200_000]]) });
    expect(s.months[0]!.quota).toBe(90_000);
    expect(
      s.months[0]!.steps.some((st) => st.zh.startsWith('当月定额金额超过月度预结算总额与患者负担之和：当月不超过')),
    ).toBe(true);
    expect(s.months[0]!.steps.some((st) => st.rule === 'R-PAY-DRG')).toBe(false);
  });
});

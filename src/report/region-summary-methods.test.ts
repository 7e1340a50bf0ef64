/**
 * The region summary (统筹区汇总) names the carve-outs for what they are — cases of this pool paid per bed-day or per
 * single disease, with what they were paid — not "按其他方式结算（除外）病例数" (read as unpaid/excluded, no amount); and
 * it shows the ungrouped cases' (未入组) cost and what their method left unpaid beside their count, in the sheet and
 * in the terminal summary, zh and en. (R-DIP-4 carve-outs in one point pool; R-DIP-6; hand-computed)
 */
import { describe, expect, it } from 'vitest';
import type { Institution } from '../model/institution.ts';
import { ratio } from '../model/money.ts';
import type { UnitResult } from '../model/unit-result.ts';
import type { SettlementRules } from '../settlement/rules.ts';
import { settlePool } from '../settlement/settle.ts';
import { toCsv } from './csv.ts';
import { annualTable, regionTable } from './settlement-rows.ts';
import { poolSummaryText } from './summary.ts';

const rules: SettlementRules = {
  fundPaymentRatio: { value: { kind: 'given', ratio: ratio(1n, 2n) }, source: '基金支付比例 0.5 (test)' },
  pointValue: { value: { kind: 'floating' }, source: '浮动点值 (test)' },
  provisionalPointValue: { value: { kind: 'fixed', pointValue: ratio(1000n) }, source: '预结算点值 10 元 (test)' },
  prepayRatio: { value: ratio(9n, 10n), source: '预结算 90% (test)' },
  advanceMonths: { value: {}, source: '不预付 (test)' },
  sharing: { value: null, source: '不分担 (test)' },
  defaultAssessment: { value: ratio(1n), source: '考核系数 1 (test)' },
};
const institutions: Institution[] = [{ code: 'A', name: 'A 医院', level: '3', type: 'general', county: '1' }];
const unit = (
  id: string,
  method: UnitResult['method'],
  group: string | undefined,
  status: UnitResult['status'],
  claim: UnitResult['claim'],
  billed = 0,
): UnitResult => ({
  unitId: id,
  institutionCode: 'A',
  month: '2025-03',
  method,
  ...(group === undefined ? {} : { group }),
  status,
  claim,
  billed,
  patientPaid: 0,
  explanation: [],
});

// DIP 6000 points (D1) and 2000 points (D2); a per-bed-day stay at 2000 points (PSY); a single disease at a fixed
// 5,000.00 (SD001); a DIP case that fits no group (未入组, unpaid: 0 points) costing 3,000.00; the two carve-outs'
// DIP units are `excluded`. Fund 110,000.00 at a fund payment ratio 0.5: value 220,000.00 − 5,000.00 fixed =
// 215,000.00 over 10,000 points = 21.50 yuan/point. DIP: 8000 × 21.5 = 172,000.00 (2 cases); per-bed-day
// 2000 × 21.5 = 43,000.00; single disease 5,000.00; carve-outs together 2 cases, 48,000.00.
const s = settlePool({
  poolId: 'p',
  region: 'r',
  year: 2025,
  units: [
    unit('D1', 'dip', 'G1', 'paid', { kind: 'points', points: 60_000_000 }),
    unit('D2', 'dip', 'G2', 'paid', { kind: 'points', points: 20_000_000 }),
    unit('U1', 'dip', undefined, 'ungrouped', { kind: 'points', points: 0 }, 300_000),
    unit('P1', 'per-diem', 'PSY', 'paid', { kind: 'points', points: 20_000_000 }),
    unit('P1', 'dip', undefined, 'excluded', { kind: 'points', points: 0 }),
    unit('S1', 'single-disease', 'SD001', 'paid', { kind: 'amount', amount: 500_000 }),
    unit('S1', 'dip', undefined, 'excluded', { kind: 'points', points: 0 }),
  ],
  budget: { fund: 11_000_000, steps: [] },
  openingPointValue: { value: ratio(2000n), source: '年初点值 (test)' },
  institutions,
  lastYearFundPaid: new Map(),
  deductions: [],
  assessments: [],
  rules,
});

describe('R-DIP-4: the region summary names the carve-outs and their payment (hand-computed)', () => {
  it('zh: the cases by method with their payment; no "除外" line', () => {
    const zh = toCsv(regionTable(s), 'zh');
    expect(zh).toContain('病例数,,5,,');
    expect(zh).toContain('其中：按病种分值付费（DIP）,,3,,172000.00');
    expect(zh).toContain('其中：按床日付费、按病种付费等其他方式支付,,2,,48000.00');
    expect(zh).toContain('其他方式：按床日付费,,1,,43000.00');
    expect(zh).toContain('其他方式：按病种付费,,1,,5000.00');
    expect(zh).not.toContain('除外');
  });

  it('en: the same rows in English, no Chinese', () => {
    const en = toCsv(regionTable(s), 'en');
    expect(en).toContain('of which DIP,,3,,172000.00');
    expect(en).toContain('of which paid by another method (per-bed-day / single-disease …),,2,,48000.00');
    expect(en).toContain('another method: per-bed-day payment,,1,,43000.00');
    expect(en).toContain('another method: single-disease payment,,1,,5000.00');
    expect(en).not.toMatch(/\p{Script=Han}/u);
  });
});

// walk6 #1: the ungrouped line said "未支付 15000.00" — the whole cost of a case whose settlement list has 统筹基金支付
// 10,500.00 and the patient's 4,500.00 — where the fund left 10,500.00 unpaid. Two ungrouped cases here: U1 claims
// nothing (cost 15,000.00, patient 4,500.00 → pooled-fund payment 10,500.00); U2 is paid at a discount, 1000 points
// (cost 20,000.00, patient 6,000.00 → 14,000.00). With D1's 9000 points, 10,000 points; fund 50,000.00 at a fund
// payment ratio 0.5 → 100,000.00 ÷ 10,000 = 10 yuan/point. U2: payment 1000 × 10 = 10,000.00, the fund's part
// × 0.5 = 5,000.00, left unpaid 14,000.00 − 5,000.00 = 9,000.00; U1: 10,500.00 unpaid. Together: cost 35,000.00,
// pooled-fund payment 24,500.00, payment 10,000.00, payable by the fund 5,000.00, left unpaid 19,500.00.
const withPatients = settlePool({
  poolId: 'p',
  region: 'r',
  year: 2025,
  units: [
    unit('D1', 'dip', 'G1', 'paid', { kind: 'points', points: 90_000_000 }),
    { ...unit('U1', 'dip', undefined, 'ungrouped', { kind: 'points', points: 0 }, 1_500_000), patientPaid: 450_000 },
    {
      ...unit('U2', 'dip', undefined, 'ungrouped', { kind: 'points', points: 10_000_000 }, 2_000_000),
      patientPaid: 600_000,
    },
  ],
  budget: { fund: 5_000_000, steps: [] },
  openingPointValue: { value: ratio(1000n), source: '年初点值 (test)' },
  institutions,
  lastYearFundPaid: new Map(),
  deductions: [],
  assessments: [],
  rules,
});

describe('R-DIP-6: the ungrouped cases (未入组): their cost, their pooled-fund payment and what of it the fund did not pay (hand-computed, walk6 #1)', () => {
  it('the summary keeps them: 1 case, 3,000.00 cost, paid 0, the fund leaves its 3,000.00 pooled-fund payment unpaid', () => {
    expect(s.summary.ungrouped).toMatchObject({
      units: 1,
      billed: 300_000,
      value: 0,
      fundByItems: 300_000,
      fundPaid: 0,
      fundUnpaid: 300_000,
    });
    expect(withPatients.summary.ungrouped).toMatchObject({
      units: 2,
      billed: 3_500_000,
      value: 1_000_000,
      fundByItems: 2_450_000,
      fundPaid: 500_000,
      fundUnpaid: 1_950_000,
    });
  });

  it('the sheet shows them beside the count, zh and en', () => {
    const zh = toCsv(regionTable(withPatients), 'zh');
    expect(zh).toContain('状态：未入组,,2,,');
    expect(zh).toContain('未入组病例医疗费用总额,,,,35000.00');
    expect(zh).toContain('未入组病例统筹基金支付（结算清单）,,,,24500.00');
    expect(zh).toContain('未入组病例付费额（点数×年度点值+定额）,,,,10000.00');
    expect(zh).toContain('未入组病例基金应付（付费额×基金支付比例）,,,,5000.00');
    expect(zh).toContain('未入组病例统筹基金支付中未支付,,,,19500.00');
    expect(zh).not.toContain('未入组病例未支付的医疗费用');
    const en = toCsv(regionTable(withPatients), 'en');
    expect(en).toContain('ungrouped cases: total medical cost,,,,35000.00');
    expect(en).toContain('ungrouped cases: pooled-fund payment (settlement lists),,,,24500.00');
    expect(en).toContain('ungrouped cases: payable by the fund (payment × fund payment ratio),,,,5000.00');
    expect(en).toContain('ungrouped cases: pooled-fund payment left unpaid,,,,19500.00');
  });

  it('the year-end statement (年度清算单, each institution’s workbook too) shows them beside its cases and cost', () => {
    expect(s.summary.ungrouped?.byInstitution).toEqual({
      A: {
        units: 1,
        billed: 300_000,
        value: 0,
        unpaid: 300_000,
        fundByItems: 300_000,
        fundPaid: 0,
        fundUnpaid: 300_000,
      },
    });
    const [head, row] = toCsv(annualTable(withPatients, new Map(), 'A'), 'zh').split(/\r?\n/);
    const cell = (name: string) => row!.split(',')[head!.split(',').indexOf(name)];
    expect(cell('病例数')).toBe('3');
    expect(cell('其中未入组病例数')).toBe('2');
    expect(cell('其中未入组病例统筹基金支付中未支付')).toBe('19500.00');
    const en = toCsv(annualTable(withPatients), 'en').split(/\r?\n/)[0]!;
    expect(en).toContain('of which ungrouped cases,');
    expect(en).toContain('of which ungrouped cases: pooled-fund payment left unpaid,');
  });

  it('the terminal summary says what the fund did not pay, in glossary words, zh and en', () => {
    expect(poolSummaryText(withPatients, 'zh')).toContain(
      '未入组：2 例，医疗费用总额 35000.00 元，其中统筹基金支付 24500.00 元；付费额 10000.00 元，基金应付 5000.00 元；统筹基金支付中未支付 19500.00 元',
    );
    expect(poolSummaryText(withPatients, 'en')).toContain(
      'ungrouped: 2 cases, total medical cost 35000.00 yuan, of which pooled-fund payment 24500.00 yuan; payment 10000.00 yuan, payable by the fund 5000.00 yuan; pooled-fund payment left unpaid 19500.00 yuan',
    );
  });

  it('a run stored before the fund’s figures were kept: the cost and the payment, no "left unpaid" of another meaning', () => {
    const old = {
      ...s,
      summary: {
        ...s.summary,
        ungrouped: {
          units: 1,
          billed: 300_000,
          value: 0,
          unpaid: 300_000,
          byInstitution: { A: { units: 1, billed: 300_000, value: 0, unpaid: 300_000 } },
        },
      },
    };
    expect(poolSummaryText(old, 'zh')).toContain('未入组：1 例，医疗费用总额 3000.00 元，付费额 0.00 元\n');
    expect(toCsv(regionTable(old), 'zh')).not.toContain('未支付');
    expect(toCsv(annualTable(old), 'zh').split(/\r?\n/)[0]).not.toContain('未支付');
  });
});

// walk3 item 5: the region sheet's 患者负担 (55,138,695.64) stood beside the community sheet's 个人负担 (52,808,865.39) and
// the item pricing's 19,127,903.76 with nothing saying what each counts. This one is Σ (total − pooled-fund payment).
describe('R-DIP-6: the region sheet names what its patient figure counts', () => {
  it('zh and en (every unit here records 0 paid by patients: 0.00)', () => {
    expect(toCsv(regionTable(s), 'zh')).toContain('患者负担（医疗费用总额 − 统筹基金支付）,,,,0.00');
    expect(toCsv(regionTable(s), 'en')).toContain(
      'patient payments (total medical cost − pooled-fund payment),,,,0.00',
    );
  });
});

describe('R-DIP-2 the warnings the run gave are rows of the summary sheet (警示), after the region and year', () => {
  const warning = {
    zh: 'DIP 历史年度 2023（权重 2）没有病例：权重 1:7 重新归一为 2022 12.5%、2024 87.5%',
    en: 'DIP history year(s) 2023 (weight 2) have no cases: the weights 1:7 renormalised to 2022 12.5%, 2024 87.5%',
  };
  it('zh and en, each in the reader’s words; none without warnings', () => {
    const zh = toCsv(regionTable(s, [warning]), 'zh').split('\r\n');
    expect(zh[3]).toBe(`警示：${warning.zh},,,,`);
    const en = toCsv(regionTable(s, [warning]), 'en').split('\r\n');
    expect(en[3]).toBe(`"warning: ${warning.en}",,,,`);
    expect(toCsv(regionTable(s), 'zh')).not.toContain('警示');
  });
});

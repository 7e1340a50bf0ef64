/**
 * The region summary shows what the special-review cases (特例单议) add beside their count — their points, the
 * amounts paid by items (按项目付费), their payment at the year-end point value and the fund's part — in zh and en,
 * in the table that CSV, JSON and XLSX are written from and in the terminal summary. (R-DIP-3; DIP 技术规范:
 * 特例单议病例数量和金额公开)
 */
import { describe, expect, it } from 'vitest';
import type { Institution } from '../model/institution.ts';
import { ratio } from '../model/money.ts';
import type { UnitResult } from '../model/unit-result.ts';
import type { SettlementRules } from '../settlement/rules.ts';
import { settlePool } from '../settlement/settle.ts';
import { toCsv } from './csv.ts';
import { regionTable } from './settlement-rows.ts';
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
const unit = (id: string, status: UnitResult['status'], claim: UnitResult['claim']): UnitResult => ({
  unitId: id,
  institutionCode: 'A',
  month: '2025-03',
  method: 'dip',
  group: 'G',
  status,
  claim,
  billed: 0,
  patientPaid: 0,
  explanation: [],
});

// 6000 normal points, a special-review case at the panel's 2000 points and one paid by items 10,000.00; fund
// 100,000.00 at a fund payment ratio of 0.5: point value (100,000 ÷ 0.5 − 10,000) ÷ 8000 = 23.75 yuan/point.
// Special review: 2000 points, 10,000.00 by items, payment 2000 × 23.75 + 10,000 = 57,500.00, fund part × 0.5 = 28,750.00.
const s = settlePool({
  poolId: 'p',
  region: 'r',
  year: 2025,
  units: [
    unit('S1', 'paid', { kind: 'points', points: 60_000_000 }),
    unit('S2', 'special-review', { kind: 'points', points: 20_000_000 }),
    unit('S3', 'special-review', { kind: 'amount', amount: 1_000_000 }),
  ],
  budget: { fund: 10_000_000, steps: [] },
  openingPointValue: { value: ratio(2000n), source: '年初点值 (test)' },
  institutions,
  lastYearFundPaid: new Map(),
  deductions: [],
  assessments: [],
  rules,
});

describe('R-DIP-3: the region summary shows the special-review amount beside the count (hand-computed)', () => {
  it('2 cases, 2000 points, 10,000.00 by items, payment 57,500.00, fund part 28,750.00', () => {
    expect(s.summary.specialReview).toEqual({
      units: 2,
      points: 20_000_000,
      amountClaims: 1_000_000,
      billed: 0,
      value: 5_750_000,
      fund: 2_875_000,
    });
  });

  it('zh and en rows of the region table (CSV, JSON and XLSX are written from it), numbers as numbers', () => {
    const zh = toCsv(regionTable(s), 'zh');
    expect(zh).toContain('状态：特例单议,,2,,');
    expect(zh).toContain('特例单议点数,,,2000.0000,');
    expect(zh).toContain('特例单议按项目付费金额,,,,10000.00');
    expect(zh).toContain('特例单议付费额（点数×年度点值+按项目）,,,,57500.00');
    expect(zh).toContain('特例单议基金应付（×基金支付比例）,,,,28750.00');
    const en = toCsv(regionTable(s), 'en');
    expect(en).toContain('special review: payment (points × year-end point value + fee-for-service),,,,57500.00');
    expect(en).toContain('special review: payable by the fund (× fund payment ratio),,,,28750.00');
    expect(en).not.toMatch(/\p{Script=Han}/u);
  });

  it('the terminal summary says it too, in zh and en', () => {
    expect(poolSummaryText(s, 'zh')).toContain(
      '特例单议：2 例，点数 2000.0000，按项目付费 10000.00 元，付费额 57500.00 元，基金应付 28750.00 元',
    );
    expect(poolSummaryText(s, 'en')).toContain(
      'special review: 2 cases, points 2000.0000, fee-for-service 10000.00 yuan, payment 57500.00 yuan, payable by the fund 28750.00 yuan',
    );
  });
});

/**
 * R-PAY-DISEASE inside the inpatient point pool: what the fund pays for a single-disease case at its fixed standard
 * (settlement rule `singleDiseaseFundShare`, from the single-disease policy's `fundShare`). 资府办函〔2018〕52号 二(六)
 * "统筹做好按病种收费、付费的政策衔接……科学合理确定病种收付费标准": one standard is both what is charged for the encounter and
 * what is paid for it, so the fund pays the standard less what the patient paid (default `standard-less-patient`); the
 * other reading values the standard like any fixed amount of the pool, i.e. × the pool's fund payment ratio.
 *
 * Hand-computed pool: budget 30,000.00 元, floating point value, fund payment ratio computed.
 *   D1  H1  DIP 100 points        cost 10,000.00  patient paid 2,000.00
 *   S1  H1  single-disease 6,000.00  cost  5,500.00  patient paid 1,500.00
 *   D2  H2  DIP 200 points        cost 20,000.00  patient paid 6,000.00
 *
 * standard-less-patient: S1's fund part = 6,000.00 − 1,500.00 = 4,500.00, paid first; the rest 25,500.00 goes to the
 *   points: fund payment ratio without S1 = (8,000 + 14,000) ÷ 30,000 = 0.733333…; point value = 25,500 ÷ 0.733333… ÷ 300
 *   = 115.909091 元/点; H1 = 25,500 × 100/300 + 4,500 = 8,500.00 + 4,500.00 = 13,000.00, H2 = 17,000.00. H1 receives for
 *   S1 4,500.00 from the fund + 1,500.00 from the patient = the standard 6,000.00.
 * pool-ratio: fund payment ratio = (8,000 + 4,000 + 14,000) ÷ 35,500 = 0.732394…; point value = (30,000 ÷ 0.732394… −
 *   6,000) ÷ 300 = 116.538462 元/点; H1 value 100 × 116.538… + 6,000 = 17,653.85, H2 23,307.69; 30,000.00 split in
 *   proportion: 12,929.577… → 12,929.58 (the leftover fen, remainder .746), 17,070.42. S1 alone: 6,000 × 0.732394… =
 *   4,394.37 from the fund, 5,894.37 with the patient's 1,500.00 — not the standard.
 */
import { describe, expect, it } from 'vitest';
import type { Institution } from '../model/institution.ts';
import { ratio } from '../model/money.ts';
import type { UnitResult } from '../model/unit-result.ts';
import { resolvePolicyFile } from '../payment/testing.ts';
import { singleDiseaseKind } from '../policy/kinds/single-disease.ts';
import { poolBudget } from './budget.ts';
import { formatRatioShort } from './point-value.ts';
import type { SettlementRules, SingleDiseaseFundShareRule } from './rules.ts';
import { settlePool } from './settle.ts';
import { formatPointValue } from './value.ts';

const r = (n: number, d = 1) => ratio(BigInt(n), BigInt(d));
const unit = (
  unitId: string,
  institutionCode: string,
  method: 'dip' | 'single-disease',
  claim: UnitResult['claim'],
  billed: number,
  patientPaid: number,
): UnitResult => ({
  unitId,
  institutionCode,
  month: '2025-03',
  method,
  group: method === 'dip' ? 'K35.8' : 'SD001',
  status: 'paid',
  claim,
  billed,
  patientPaid,
  explanation: [],
});
const units = [
  unit('D1', 'H1', 'dip', { kind: 'points', points: 1_000_000 }, 1_000_000, 200_000),
  unit('S1', 'H1', 'single-disease', { kind: 'amount', amount: 600_000 }, 550_000, 150_000),
  unit('D2', 'H2', 'dip', { kind: 'points', points: 2_000_000 }, 2_000_000, 600_000),
];
const insts: Institution[] = [
  { code: 'H1', name: '市第一人民医院', level: '3', type: 'general', county: '150101' },
  { code: 'H2', name: '市第二人民医院', level: '3', type: 'general', county: '150101' },
];
const rules = (share?: SingleDiseaseFundShareRule): SettlementRules => ({
  fundPaymentRatio: { value: { kind: 'computed' }, source: '基金支付比例按实际计算' },
  pointValue: { value: { kind: 'floating' }, source: '浮动点值' },
  provisionalPointValue: { value: { kind: 'fixed', pointValue: r(10_000) }, source: '预结算点值' },
  prepayRatio: { value: r(1), source: '预结算 100%' },
  advanceMonths: { value: { '3': r(0), '2': r(0), '1': r(0) }, source: '不预付' },
  sharing: { value: null, source: '不分担' },
  defaultAssessment: { value: r(1), source: '考核系数 1' },
  ...(share ? { singleDiseaseFundShare: { value: share, source: '000 二(六) 病种收付费标准' } } : {}),
});
const settle = (share?: SingleDiseaseFundShareRule) =>
  settlePool({
    poolId: 'city-inpatient-2025',
    region: 'city',
    year: 2025,
    units,
    budget: poolBudget({ value: { kind: 'given', amount: 3_000_000 }, source: 'test' }, 0),
    openingPointValue: { value: r(10_000), source: 'history' },
    institutions: insts,
    lastYearFundPaid: new Map(),
    deductions: [],
    assessments: [],
    rules: rules(share),
  });

describe('R-PAY-DISEASE a single-disease case at its standard in the inpatient pool: the fund pays standard − patient payment, or standard × the pool ratio', () => {
  it('standard-less-patient: S1 4,500.00 first; the rest 25,500.00 by points at 115.909091 元/点 (ratio 0.733333 without S1): H1 13,000.00, H2 17,000.00', () => {
    const s = settle('standard-less-patient');
    expect(formatRatioShort(s.fundPaymentRatio)).toBe('≈0.733333');
    expect(formatPointValue(s.pointValue.pointValue)).toBe('115.909091');
    expect(s.institutions.map((i) => [i.institutionCode, i.gross])).toEqual([
      ['H1', 1_300_000],
      ['H2', 1_700_000],
    ]);
    expect(s.summary.allocated).toBe(3_000_000);
    // The pool's steps say it: S1's fund part, then the ratio without it, then the rest of the budget by points.
    const sd = s.steps.find((st) => st.rule === 'R-PAY-DISEASE')!;
    expect(sd.result).toBe('4500.00');
    expect(sd.values).toMatchObject({ 按病种付费病例数: '1', 病种定额合计: '6000.00', 按病种付费患者负担: '1500.00' });
    const value = s.steps.find((st) => st.zh.startsWith('浮动点值'))!;
    expect(value.values).toMatchObject({ '基金预算 − 按病种付费基金支付': '25500.00', 定额结算金额: '0.00' });
    // H1's year: its share of the rest + S1's fund part, named.
    const h1 = s.institutions[0]!.steps.find((st) => st.zh.startsWith('年度应付'))!;
    expect(h1.values).toMatchObject({ 其他定额金额: '0.00', 按病种付费基金支付: '4500.00' });
    expect(h1.result).toBe('13000.00');
  });

  it('pool-ratio: ratio 26,000 ÷ 35,500 = 0.732394, point value 116.538462 元/点, H1 12,929.58, H2 17,070.42', () => {
    for (const s of [settle('pool-ratio'), settle()]) {
      expect(formatRatioShort(s.fundPaymentRatio)).toBe('≈0.732394');
      expect(formatPointValue(s.pointValue.pointValue)).toBe('116.538462');
      expect(s.institutions.map((i) => [i.institutionCode, i.gross])).toEqual([
        ['H1', 1_292_958],
        ['H2', 1_707_042],
      ]);
      expect(s.steps.some((st) => st.rule === 'R-PAY-DISEASE')).toBe(false);
    }
  });

  it('the month pays the same under both (定额 − 患者负担 already): H1 March 100 × 100.00 + 6,000.00 − 3,500.00 = 12,500.00', () => {
    for (const share of ['standard-less-patient', 'pool-ratio'] as const) {
      const h1 = settle(share).months[0]!.lines.find((l) => l.institutionCode === 'H1')!;
      expect(h1.gross).toBe(1_250_000);
    }
  });

  it('the demo states standard-less-patient, citing 资府办函〔2018〕52号 二(六)', () => {
    const demo = resolvePolicyFile(singleDiseaseKind, 'policies/demo/single-disease-2025.yaml', '2025-06-30');
    expect(demo.fundShare.value).toBe('standard-less-patient');
    expect(demo.fundShare.source).toContain('52号 二(六)');
  });
});

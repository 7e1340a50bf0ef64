/**
 * A negative monthly payment (an audit deduction above the month's prepayment) is clamped and carried by default,
 * or paid back when the policy says so — and always reported. A zero budget stops with what to provide.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mulRatio, ratio } from '../model/money.ts';
import { dipSettlementValues } from '../policy/testing.ts';
import { poolBudget } from './budget.ts';
import { SettlementError } from './errors.ts';
import { preSettleMonth } from './monthly.ts';
import { settlementRules } from './policy-rules.ts';
import type { UnitTotals } from './pool.ts';
import type { SettlementRules } from './rules.ts';

const rules = (over: Partial<SettlementRules> = {}): SettlementRules => ({
  fundPaymentRatio: { value: { kind: 'given', ratio: ratio(1n) }, source: '技术规范 基金支付比例' },
  pointValue: { value: { kind: 'floating' }, source: '002 四(三) 年终点值' },
  provisionalPointValue: { value: { kind: 'fixed', pointValue: ratio(1000n) }, source: '002 四(三) 预结算点值 10 元' },
  prepayRatio: { value: ratio(9n, 10n), source: '技术规范 预结算 90%' },
  advanceMonths: { value: {}, source: '无' },
  sharing: { value: null, source: '不分担' },
  defaultAssessment: { value: ratio(1n), source: '考核系数 1' },
  ...over,
});

const totals = (points: number) =>
  new Map([['A', { units: 1, points, amount: 0, billed: 0, patientPaid: 0, byStatus: {} } as never]]);
const deduction = (amount: number) =>
  new Map([['A', [{ institutionCode: 'A', period: '2025-01', amount, reason: '审核扣款', source: '稽核通知 1 号' }]]]);

describe('negative monthly payment (policy `negativeMonth`)', () => {
  // January: 100 points × 10 元 = 1000.00, × 90 % = 900.00 prepaid; a 1500.00 deduction → −600.00.
  it('clamp-and-carry (default): January pays 0.00 and carries 600.00; February (900.00) pays 300.00; both reported', () => {
    const jan = preSettleMonth({
      month: '2025-01',
      byInstitution: totals(1_000_000),
      rules: rules(),
      openingPointValue: { value: ratio(1000n), source: 'x' },
      deductions: deduction(150_000),
    });
    const a = jan.lines[0]!;
    expect([a.prepay, a.deductions, a.payment, a.carriedOut]).toEqual([90_000, 150_000, 0, 60_000]);
    expect(jan.notices!.map((n) => [n.amount, n.rule])).toEqual([[-60_000, 'clamp-and-carry']]);
    expect(jan.notices![0]!.zh).toContain('从本年度后续月份的月度预结算中扣减，年度清算不另行扣回');
    const feb = preSettleMonth({
      month: '2025-02',
      byInstitution: totals(1_000_000),
      rules: rules(),
      openingPointValue: { value: ratio(1000n), source: 'x' },
      deductions: new Map(),
      carryIn: new Map([['A', 60_000]]),
    });
    expect([feb.lines[0]!.carriedIn, feb.lines[0]!.payment, feb.lines[0]!.carriedOut]).toEqual([60_000, 30_000, 0]);
  });

  // A month with nothing negative of its own that stays negative only because of what was carried in read
  // "月度预结算为负（-600.00 元）" as if the month were; and the monthly statement summed the carried balance per month.
  it('a month negative only by what was carried in says so; the carried balance is not summed over months', async () => {
    const mar = preSettleMonth({
      month: '2025-03',
      byInstitution: totals(1_000_000), // 100 points × 10 元 = 1,000.00; prepay 900.00
      rules: rules(),
      openingPointValue: { value: ratio(1000n), source: 'x' },
      deductions: new Map(),
      carryIn: new Map([['A', 150_000]]), // 1,500.00 carried in: 900.00 − 1,500.00 = −600.00
    });
    expect([mar.lines[0]!.payment, mar.lines[0]!.carriedOut]).toEqual([0, 60_000]);
    expect(mar.notices![0]!.zh).toBe(
      'A 2025-03 月度预结算连同此前结转的 1500.00 元仍为负（-600.00 元）：当月不付，600.00 元从本年度后续月份的月度预结算中扣减，年度清算不另行扣回',
    );
    // en figures carry yuan as zh figures carry 元 (it read "negative (-600.00): … 600.00 carried to").
    expect(mar.notices![0]!.en).toBe(
      "A 2025-03: the monthly pre-settlement, less 1500.00 yuan carried in from earlier months, is still negative (-600.00 yuan): nothing paid this month; 600.00 yuan is subtracted from this year's later monthly pre-settlements, and the year end takes nothing back separately",
    );
    const { monthlyTable } = await import('../report/settlement-rows.ts');
    const carried = monthlyTable({ months: [], institutions: [] } as never).columns.find((c) => c.key === 'carried')!;
    expect(carried.sum).toBe('closing');
  });

  // The monthly statement (月度预结算单, each institution's workbook beside its year-end statement) showed what a month
  // carried in (结转扣减) but not what a negative month carried out: January paid 0.00 and nothing said 600.00 was
  // still owed until February took it (R-DIP-6, 002 四(三)).
  // walk3 10: the 合计 row left 结转扣减 / 结转后续 blank while every other money column showed 0.00; a balance's total is
  // its closing balance (each institution's last month), so the total row says what is still carried at the end.
  it('the monthly statement shows the amount a negative month carries forward; the total row its closing balance', async () => {
    const jan = preSettleMonth({
      month: '2025-01',
      byInstitution: totals(1_000_000), // 1,000.00 × 90 % = 900.00 prepaid; 1,500.00 deducted → −600.00
      rules: rules(),
      openingPointValue: { value: ratio(1000n), source: 'x' },
      deductions: deduction(150_000),
    });
    const feb = preSettleMonth({
      month: '2025-02',
      byInstitution: totals(1_000_000),
      rules: rules(),
      openingPointValue: { value: ratio(1000n), source: 'x' },
      deductions: new Map(),
      carryIn: new Map([['A', 60_000]]),
    });
    const { monthlyTable } = await import('../report/settlement-rows.ts');
    const t = monthlyTable({
      months: [],
      institutions: [{ institutionCode: 'A', monthly: [jan.lines[0]!, feb.lines[0]!] }],
    } as never);
    const out = t.columns.find((c) => c.key === 'carriedOut')!;
    expect([out.zh, out.en, out.sum]).toEqual(['结转后续', 'negative amount carried forward', 'closing']);
    expect([...t.rows].map((r) => [r.month, r.carried, r.carriedOut, r.payment])).toEqual([
      ['2025-01', 0, 60_000, 0],
      ['2025-02', 60_000, 0, 30_000],
    ]);
    // A second institution B ends the year with January's −600.00 still carried. The total row: 结转扣减 = A's
    // February 600.00 + B's January 0.00 = 600.00 (not 600.00 summed once per month it rolled), 结转后续 = A's 0.00 +
    // B's 600.00 = 600.00 (still carried when the year ends: the clearing takes nothing back on its own, January counted as
    // 0.00 paid), 月度已支付 = 0 + 300.00 + 0 = 300.00.
    const { totalRow } = await import('../report/table.ts');
    const two = monthlyTable({
      months: [],
      institutions: [
        { institutionCode: 'A', monthly: [jan.lines[0]!, feb.lines[0]!] },
        { institutionCode: 'B', monthly: [{ ...jan.lines[0]!, institutionCode: 'B' }] },
      ],
    } as never);
    const total = totalRow(two, two.rows);
    expect([total.institution, total.carried, total.carriedOut, total.payment]).toEqual([
      '合计',
      60_000,
      60_000,
      30_000,
    ]);
  });

  // 002 四(三) 扣除保证金后按月进行预拨付: 0 points and 4,500.00 paid by the patient (a month whose patients' payments
  // are netted with no points to net against, e.g. an ungrouped case under `unpaidCases: netted`).
  it('a month whose patients paid more than its points are worth holds no deposit: −4,500.00 carried whole, deposit 0.00', () => {
    const byInstitution = new Map([
      ['A', { units: 1, points: 0, amount: 0, billed: 1_500_000, patientPaid: 450_000, byStatus: {} } as never],
    ]);
    const jan = preSettleMonth({
      month: '2025-06',
      byInstitution,
      rules: rules(),
      openingPointValue: { value: ratio(1000n), source: 'x' },
      deductions: new Map(),
    });
    const a = jan.lines[0]!;
    expect([a.gross, a.prepay, a.deposit, a.payment, a.carriedOut]).toEqual([-450_000, -450_000, 0, 0, 450_000]);
    expect(jan.notices!.map((n) => n.amount)).toEqual([-450_000]);
    expect(a.steps[0]!.zh).toContain('不乘预结算比例、不留质量保证金');
  });

  // Same month (gross −4,500.00) under `negativeMonthDeposit: formula` and the template's prepay ratio 95 %:
  // prepay = −4,500.00 × 0.95 = −4,275.00 (exact), deposit = −4,500.00 − (−4,275.00) = −225.00; clamp-and-carry
  // pays 0.00 and carries 4,275.00.
  const paidByPatient = (patientPaid: number) =>
    new Map([['A', { units: 1, points: 0, amount: 0, billed: 1_500_000, patientPaid, byStatus: {} } as never]]);
  const formula95 = (over: Partial<SettlementRules> = {}) =>
    rules({
      prepayRatio: { value: ratio(19n, 20n), source: '002 四(三) 扣除保证金后按月进行预拨付（保证金 5%）' },
      negativeMonthDeposit: { value: 'formula', source: '本地结算办法 负数月份同样计提保证金' },
      ...over,
    });
  it('negativeMonthDeposit formula (002 四(三), half-up): −4,500.00 × 95 % → prepay −4,275.00, deposit −225.00, 4,275.00 carried', () => {
    const m = preSettleMonth({
      month: '2025-06',
      byInstitution: paidByPatient(450_000),
      rules: formula95(),
      openingPointValue: { value: ratio(1000n), source: 'x' },
      deductions: new Map(),
    });
    const a = m.lines[0]!;
    expect([a.gross, a.prepay, a.deposit, a.payment, a.carriedOut]).toEqual([-450_000, -427_500, -22_500, 0, 427_500]);
    expect(m.notices!.map((n) => [n.amount, n.rule])).toEqual([[-427_500, 'clamp-and-carry']]);
    expect(a.steps[0]!.zh).toContain('质量保证金为负');
    expect(a.steps[0]!.clause).toContain('本地结算办法 负数月份同样计提保证金');
  });

  // −4,500.10 × 0.95 = −4,275.095 yuan = −427,509.5 fen: the clause's half-up rounds the half away from zero,
  // −427,510 fen = −4,275.10; deposit −450,010 − (−427,510) = −22,500 fen = −225.00.
  it('negativeMonthDeposit formula, a half fen: −4,500.10 → prepay −4,275.10 (half-up, away from zero), deposit −225.00', () => {
    const m = preSettleMonth({
      month: '2025-06',
      byInstitution: paidByPatient(450_010),
      rules: formula95({ negativeMonth: { value: 'pay-back', source: '本地结算办法' } }),
      openingPointValue: { value: ratio(1000n), source: 'x' },
      deductions: new Map(),
    });
    const a = m.lines[0]!;
    expect([a.gross, a.prepay, a.deposit, a.payment, a.carriedOut]).toEqual([-450_010, -427_510, -22_500, -427_510, 0]);
  });

  it('negativeMonthDeposit none stated equals the default (absent): prepay −4,500.00, deposit 0.00 at 95 %', () => {
    const run = (over: Partial<SettlementRules>) =>
      preSettleMonth({
        month: '2025-06',
        byInstitution: paidByPatient(450_000),
        rules: rules({ prepayRatio: { value: ratio(19n, 20n), source: '95 %' }, ...over }),
        openingPointValue: { value: ratio(1000n), source: 'x' },
        deductions: new Map(),
      }).lines[0]!;
    const stated = run({ negativeMonthDeposit: { value: 'none', source: '002 四(三)' } });
    const absent = run({});
    expect([stated.prepay, stated.deposit]).toEqual([-450_000, 0]);
    expect([absent.prepay, absent.deposit, absent.payment]).toEqual([stated.prepay, stated.deposit, stated.payment]);
  });

  it('property: prepay + deposit = gross under both readings; they differ only on a negative gross', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 100_000_000 }), // points (× 1/10,000)
        fc.integer({ min: 0, max: 50_000_000 }), // patient paid, fen
        fc.integer({ min: 0, max: 100 }), // prepay ratio, %
        (points, patientPaid, pct) => {
          const byInstitution = new Map([
            ['A', { units: 1, points, amount: 0, billed: 0, patientPaid, byStatus: {} } as never],
          ]);
          const prepayRatio = { value: ratio(BigInt(pct), 100n), source: 'x' };
          const line = (value: 'none' | 'formula') =>
            preSettleMonth({
              month: '2025-06',
              byInstitution,
              rules: rules({ prepayRatio, negativeMonthDeposit: { value, source: 'x' } }),
              openingPointValue: { value: ratio(1000n), source: 'x' },
              deductions: new Map(),
            }).lines[0]!;
          const none = line('none');
          const formula = line('formula');
          for (const l of [none, formula]) expect(l.prepay + l.deposit).toBe(l.gross);
          expect(formula.prepay).toBe(mulRatio(formula.gross, prepayRatio.value, 'half-up'));
          if (none.gross < 0) expect([none.prepay, none.deposit]).toEqual([none.gross, 0]);
          else expect(none).toEqual(formula);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('pay-back: January pays −600.00 (the institution pays it back), reported', () => {
    const jan = preSettleMonth({
      month: '2025-01',
      byInstitution: totals(1_000_000),
      rules: rules({ negativeMonth: { value: 'pay-back', source: '本地结算办法' } }),
      openingPointValue: { value: ratio(1000n), source: 'x' },
      deductions: deduction(150_000),
    });
    expect([jan.lines[0]!.payment, jan.lines[0]!.carriedOut]).toEqual([-60_000, 0]);
    expect(jan.notices![0]!.en).toContain('pays it back');
  });
});

describe('policy field dip-settlement.negativeMonthDeposit', () => {
  const read = (extra: string) => settlementRules(dipSettlementValues(extra)).negativeMonthDeposit!;
  it('absent: none, cited as the yibao default (existing files stay valid)', () => {
    const r = read('');
    expect(r.value).toBe('none');
    expect(r.source).toMatch(/^yibao default: 002 四\(三\)/);
  });
  it('formula is read with its clause; any other word is refused', () => {
    expect(read('  negativeMonthDeposit: { value: formula, source: "本地办法" }')).toEqual({
      value: 'formula',
      source: '本地办法',
    });
    expect(() => read('  negativeMonthDeposit: { value: negative, source: "本地办法" }')).toThrow(
      /negativeMonthDeposit/,
    );
  });
});

describe('a zero budget says what to provide', () => {
  it('a growth-rate budget without last year’s payments: ZERO_BUDGET naming budget: { method: given }', () => {
    try {
      poolBudget({ value: { kind: 'growth', growthRate: ratio(5n, 100n) }, source: '002 四(一)' }, 0);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(SettlementError);
      expect((e as SettlementError).code).toBe('ZERO_BUDGET');
      expect((e as SettlementError).zh).toContain('请导入上年度的结算清单');
      expect((e as SettlementError).en).toContain('method: given');
    }
  });
});

describe('a special-review case paid by items (特例单议, specialReviewByItems: items) is paid beside the monthly quota', () => {
  // Monthly quota: last year's fund payment 1,200,000.00 ÷ 12 × 1 = 100,000.00 (002 四(三) 月度预结算总额).
  // A: 8000 points, no patient payment. B: one case approved by items, cost 150,000.00 of which the patient paid 30,000.00.
  // Before: (100,000 + 30,000 − 150,000) < 0 → point value 0 for the whole pool, A paid nothing.
  // Now: the quota values the points alone: 100,000.00 ÷ 8000 = 12.5 yuan/point, A 100,000.00 × 90 % = 90,000.00;
  // B its items: (150,000.00 − 30,000.00) × 90 % = 108,000.00.
  const quotaRules = rules({
    provisionalPointValue: {
      value: { kind: 'monthly-quota', quotaRatio: ratio(1n), capAtOpening: false },
      source: '002 四(三) 月度预结算总额',
    },
  });
  it('12.5 yuan/point for the month; A 90,000.00, B 108,000.00; no negative month', () => {
    const m = preSettleMonth({
      month: '2025-03',
      byInstitution: new Map<string, UnitTotals>([
        ['A', { units: 1, points: 80_000_000, amount: 0, billed: 0, patientPaid: 0, byStatus: { paid: 1 } }],
        [
          'B',
          {
            units: 1,
            points: 0,
            amount: 15_000_000,
            billed: 15_000_000,
            patientPaid: 3_000_000,
            byStatus: { 'special-review': 1 },
            byItems: { amount: 15_000_000, patientPaid: 3_000_000 },
          },
        ],
      ]),
      rules: quotaRules,
      openingPointValue: { value: ratio(1000n), source: 'x' },
      lastYearFundPaid: 120_000_000,
      deductions: new Map(),
    });
    expect(m.quota).toBe(10_000_000);
    expect(m.pointValue).toEqual(ratio(1250n)); // fen per point
    expect(m.lines.map((l) => [l.institutionCode, l.value, l.gross, l.payment])).toEqual([
      ['A', 10_000_000, 10_000_000, 9_000_000],
      ['B', 15_000_000, 12_000_000, 10_800_000],
    ]);
    expect(m.notices).toEqual([]);
    expect(m.steps[0]!.values).toMatchObject({ 特例单议按项目付费: '150000.00' });
  });
});

// Fault 8: an implausible budget (zero, or far from last year's pooled-fund payment) was applied silently; a
// template's example revenue left in place set the point value off by the same factor.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ratio } from '../model/money.ts';
import { dipSettlementKind } from '../policy/kinds/dip-settlement.ts';
import { budgetWarningText } from '../report/summary.ts';
import { checkBudget } from './budget-check.ts';

const BOUNDS = { minShare: ratio(1n, 10n), maxMultiple: ratio(10n) };
// Last year's pooled-fund payment 63,000.00 yuan: the bounds are 6,300.00 and 630,000.00 yuan.
const LAST = 6_300_000;

describe('R-BUD-2 the pool budget is checked against last year’s pooled-fund payment (budgetPlausibility)', () => {
  it('the bounds are inclusive: 6,300.00 and 630,000.00 pass; 6,299.99 is low, 630,000.01 high, 0 zero', () => {
    expect(checkBudget(630_000, LAST, BOUNDS, 's')).toBeUndefined();
    expect(checkBudget(63_000_000, LAST, BOUNDS, 's')).toBeUndefined();
    expect(checkBudget(629_999, LAST, BOUNDS, 's')).toMatchObject({
      kind: 'low',
      budget: 629_999,
      lastYearFundPaid: LAST,
    });
    expect(checkBudget(63_000_001, LAST, BOUNDS, 's')).toMatchObject({ kind: 'high', bound: ratio(10n) });
    expect(checkBudget(0, LAST, BOUNDS, 's')).toMatchObject({ kind: 'zero' });
  });

  it('a first year (no payment last year) is checked for a zero budget only', () => {
    expect(checkBudget(100_000_000_000, 0, BOUNDS, 's')).toBeUndefined();
    expect(checkBudget(0, 0, BOUNDS, 's')).toMatchObject({ kind: 'zero' });
  });

  it('property: a warning exactly when budget < 0.1 × last, budget > 10 × last, or budget = 0', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e12 }), fc.integer({ min: 1, max: 1e11 }), (budget, last) => {
        const w = checkBudget(budget, last, BOUNDS, 's');
        const expected = budget === 0 ? 'zero' : budget * 10 < last ? 'low' : budget > last * 10 ? 'high' : undefined;
        expect(w?.kind).toBe(expected);
      }),
    );
  });

  it('the warning names both figures and the bound, in zh (no English) and en', () => {
    // The template's example: revenue 1,000,000,000 − reserve 3 % − deductions = 555,000,000.00 yuan vs 63,000.00.
    const w = checkBudget(55_500_000_000, LAST, BOUNDS, '本地核对规则')!;
    const zh = budgetWarningText(w, 'zh');
    expect(zh).toContain('基金预算 555000000.00 元 超过上年度基金支付 63000.00 元 的 10 倍');
    expect(zh).not.toMatch(/[a-z]{4,} [a-z]{4,}/);
    const en = budgetWarningText(w, 'en');
    expect(en).toContain(
      "the fund budget 555000000.00 yuan is above 10 × last year's pooled-fund payment 63000.00 yuan",
    );
    // The bounds' source is a citation, labelled as one (en read "the bounds are budgetPlausibility (本地核对规则)").
    expect(zh).toContain('核对界值见结算政策的 budgetPlausibility（依据：本地核对规则）');
    expect(en).toContain("the bound (10 ×) is the settlement policy's budgetPlausibility, source: “本地核对规则”");
    expect(budgetWarningText(checkBudget(629_999, LAST, BOUNDS, 's')!, 'zh')).toContain(
      '不到上年度基金支付 63000.00 元 的 0.1 倍',
    );
  });

  it('the bounds are policy data with a cited default (0.1 and 10) when the settlement policy does not state them', () => {
    const parsed = dipSettlementKind.values.shape.budgetPlausibility.parse(undefined);
    expect(parsed[0]!.value).toEqual({ minShare: ratio(1n, 10n), maxMultiple: ratio(10n) });
    expect(parsed[0]!.source).toMatch(/^yibao default: /);
  });
});

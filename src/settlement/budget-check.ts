/**
 * Is the pool's budget plausible for the region (R-BUD-1 "以收定支、收支平衡、略有结余", R-BUD-2)? A budget of zero,
 * or far below or above last year's pooled-fund payment of the same pool, is most often a slip — yuan typed for
 * 万元, a template's example amount left in place — and would set a point value off by the same factor. The bounds
 * are the settlement policy's `budgetPlausibility` (a share and a multiple of last year's payment). A warning with
 * both figures; the budget is applied as the policy says. Pure.
 */
import type { Fen, Ratio } from '../model/money.ts';

export interface BudgetBounds {
  /** Below this share of last year's payment the budget is implausibly low (e.g. 0.1). */
  minShare: Ratio;
  /** Above this multiple of last year's payment it is implausibly high (e.g. 10). */
  maxMultiple: Ratio;
}

export interface BudgetWarning {
  kind: 'zero' | 'low' | 'high';
  budget: Fen;
  lastYearFundPaid: Fen;
  bound: Ratio;
  /** The policy clause of the bounds (`budgetPlausibility` source). */
  source: string;
}

/**
 * The warning for `budget` against last year's pooled-fund payment, or undefined when it is within the bounds. A
 * region without last year's payment (a first year) is only checked for a zero budget.
 */
export function checkBudget(
  budget: Fen,
  lastYearFundPaid: Fen,
  bounds: BudgetBounds,
  source: string,
): BudgetWarning | undefined {
  const base = { budget, lastYearFundPaid, source };
  if (budget <= 0) return { kind: 'zero', ...base, bound: bounds.minShare };
  if (lastYearFundPaid <= 0) return undefined;
  const b = BigInt(budget);
  const last = BigInt(lastYearFundPaid);
  // budget < last × num / den  ⇔  budget × den < last × num (exact)
  if (b * bounds.minShare.den < last * bounds.minShare.num) return { kind: 'low', ...base, bound: bounds.minShare };
  if (b * bounds.maxMultiple.den > last * bounds.maxMultiple.num)
    return { kind: 'high', ...base, bound: bounds.maxMultiple };
  return undefined;
}

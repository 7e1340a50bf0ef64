/**
 * The regional inpatient budget (区域住院总额预算, R-BUD-2) and the pool fund derived from it.
 *
 * 002 四(一): "以当年度基本医疗保险统筹基金总收入，适当预留部分基金，在扣除急诊、普通门诊统筹、门诊特慢病、门诊特殊用药、
 * 统筹区域外就医、医保直接结算的药品及耗材费用、大病保险、职工生育保险等支出费用后，确定区域内所有定点医疗机构住院可分配的基金总额。"
 * DIP 技术规范 also allows a budget by growth rate (≤ the region's cost-growth target) or a given amount.
 */
import type { TraceStep } from '../model/explain.ts';
import { addRatios, type Fen, fenToYuan, mulRatio, ONE, type Ratio } from '../model/money.ts';
import type { Cited } from '../policy/values.ts';
import { SettlementError } from './errors.ts';
import { formatRatioShort } from './point-value.ts';

/** A listed deduction from revenue (急诊、普通门诊统筹、门诊特慢病 …), with its clause. */
export interface BudgetDeduction {
  /** Item name as published, e.g. "普通门诊统筹". */
  item: string;
  /** Its name in English when the policy gives one (shown in en output; else the item as published). */
  en?: string;
  amount: Fen;
  source?: string;
}

export type BudgetRule =
  /** R-BUD-2: revenue − reserve (a share of revenue, or an amount) − listed deductions. */
  | { kind: 'items'; revenue: Fen; reserveRatio: Ratio; reserveAmount?: undefined; deductions: BudgetDeduction[] }
  | { kind: 'items'; revenue: Fen; reserveRatio?: undefined; reserveAmount: Fen; deductions: BudgetDeduction[] }
  /** Last year's fund payment of the pool × (1 + growth rate). */
  | { kind: 'growth'; growthRate: Ratio }
  /** An amount fixed by the agency. */
  | { kind: 'given'; amount: Fen };

export interface BudgetResult {
  /** The fund of the pool for the year (fen). */
  fund: Fen;
  steps: TraceStep[];
}

/**
 * Compute the pool fund. The reserve is revenue × reserveRatio rounded half-up, or the amount the policy reserves
 * (002 四(一) "适当预留部分基金" fixes neither); the rest is exact subtraction.
 * `lastYearFundPaid` is needed by the `growth` rule only. A negative budget is an error.
 */
export function poolBudget(rule: Cited<BudgetRule>, lastYearFundPaid?: Fen): BudgetResult {
  const r = rule.value;
  const steps: TraceStep[] = [];
  let fund: Fen;
  switch (r.kind) {
    case 'items': {
      const reserve = r.reserveRatio !== undefined ? mulRatio(r.revenue, r.reserveRatio, 'half-up') : r.reserveAmount;
      const deducted = r.deductions.reduce((s, d) => s + d.amount, 0);
      fund = r.revenue - reserve - deducted;
      const values: Record<string, string> = {
        统筹基金总收入: fenToYuan(r.revenue),
        ...(r.reserveRatio !== undefined ? { 预留比例: formatRatioShort(r.reserveRatio) } : {}),
        预留基金: fenToYuan(reserve),
      };
      // The key carries the item's English name in square brackets when the policy gives one (`扣除 急诊 [emergency
      // care] (002 四(一))`): en output shows it, zh drops it (src/model/explain-labels.ts).
      for (const d of r.deductions)
        values[`扣除 ${d.item}${d.en ? ` [${d.en}]` : ''}${d.source ? ` (${d.source})` : ''}`] = fenToYuan(d.amount);
      steps.push({
        rule: 'R-BUD-2',
        clause: rule.source,
        zh: '住院可分配基金总额 = 统筹基金总收入 − 预留基金 − 急诊、门诊统筹、门特慢病、特殊用药、异地就医、直接结算药耗、大病保险、生育保险等支出',
        en: 'inpatient budget = pooled-fund revenue − reserve − listed non-inpatient spending',
        values,
        result: fenToYuan(fund),
      });
      break;
    }
    case 'growth': {
      if (lastYearFundPaid === undefined) {
        throw new SettlementError(
          'NO_BASE',
          '按增长率测算预算需要上年度基金支付额',
          'a growth-rate budget needs last year’s fund payment',
        );
      }
      fund = mulRatio(lastYearFundPaid, addRatios(ONE, r.growthRate), 'half-up');
      steps.push({
        rule: 'R-BUD-2',
        clause: rule.source,
        zh: '基金预算 = 上年度统筹基金住院支付额 × (1 + 增长率)，四舍五入到分',
        en: 'fund = last year’s fund payment × (1 + growth rate), half-up to the fen',
        values: { 上年度基金支付: fenToYuan(lastYearFundPaid), 增长率: formatRatioShort(r.growthRate) },
        result: fenToYuan(fund),
      });
      break;
    }
    case 'given':
      fund = r.amount;
      steps.push({
        rule: 'R-BUD-2',
        clause: rule.source,
        zh: '基金预算取经办机构确定额',
        en: 'fund as fixed by the agency',
        result: fenToYuan(fund),
      });
      break;
  }
  if (fund < 0) {
    throw new SettlementError(
      'NEGATIVE_BUDGET',
      `预算为负：${fenToYuan(fund)} 元。请核对结算政策 budget 中的收入、预留比例和各项扣除（${rule.source}）`,
      `the budget is negative: ${fenToYuan(fund)}. Check revenue, reserve ratio and the listed deductions of the settlement policy's budget (${rule.source})`,
    );
  }
  if (fund === 0) {
    throw new SettlementError(
      'ZERO_BUDGET',
      r.kind === 'growth'
        ? `基金预算为 0：按增长率测算需要上年度统筹基金住院支付额，而上年度没有支付额。请导入上年度的结算清单，或在结算政策中写 budget: { method: given, amount: 元 }（${rule.source}）`
        : `基金预算为 0，所有支付都会是 0：请在结算政策 budget 中写出本年度住院可分配基金总额（${rule.source}）`,
      r.kind === 'growth'
        ? `the fund budget is 0: a growth-rate budget needs last year's pooled-fund inpatient payments and there are none. Ingest last year's settlement lists, or write budget: { method: given, amount: YUAN } in the settlement policy (${rule.source})`
        : `the fund budget is 0, so every payment would be 0: state this year's inpatient fund in the settlement policy's budget (${rule.source})`,
    );
  }
  return { fund, steps };
}

/**
 * Monthly prepayment (按月预付, R-CAP-4): each institution's annual per-head total, split equally over the months,
 * prepaid at 95 %.
 *
 * 攀枝花医保 二类门特按病种结合人头付费试行办法 四(五)1: "按'总额控制、按月预付、年终清算'的方式结算。根据年度总额按月均等划分为月度
 * 总额。医保经办机构将二类门特年度病种人头付费总额分配到每个月份，按 95% 的比例向医疗机构预付。"
 *
 * Rounding: the annual total is the institution's share of the region's planned total (`capitationPlanTotals`: the
 * region's exact sum rounded down once, split by largest remainder), what its planned heads' amounts add up to.
 * Monthly totals = the annual total split into equal parts; the year's prepayment = annual total × 95 %, rounded
 * half-up once, split into equal parts. Equal parts use the largest-remainder method (`allocateProportional` with
 * equal weights), so the fen that do not divide go one each to the earliest months and every column adds up.
 */
import type { TraceStep } from '../../model/explain.ts';
import { allocateProportional, type Fen, formatRatio, mulRatio } from '../../model/money.ts';
import { byCode } from '../common/period.ts';
import { step, yuan } from '../common/trace.ts';
import type { PlanTotal } from './method.ts';
import type { CapitationPolicy } from './types.ts';

export interface PrepayMonth {
  month: string;
  monthlyTotal: Fen;
  prepay: Fen;
}

export interface CapitationPrepayment {
  institutionCode: string;
  heads: number;
  annualTotal: Fen;
  prepaidTotal: Fen;
  months: PrepayMonth[];
  steps: TraceStep[];
}

/** The institutions' planned totals and paid heads (`capitationPlanTotals`) → monthly prepayments per institution. */
export function capitationPrepayments(
  totals: ReadonlyMap<string, PlanTotal>,
  policy: CapitationPolicy,
  year: number,
): CapitationPrepayment[] {
  const n = policy.prepayMonths.value;
  const equal = Array.from({ length: n }, () => 1n);
  const months = Array.from({ length: n }, (_, i) => monthLabel(year, i, n));
  return [...totals.keys()].sort(byCode).map((code) => {
    const { total, heads } = totals.get(code)!;
    const prepaidTotal = mulRatio(total, policy.prepayShare.value, 'half-up');
    const monthly = allocateProportional(total, equal);
    const prepay = allocateProportional(prepaidTotal, equal);
    return {
      institutionCode: code,
      heads,
      annualTotal: total,
      prepaidTotal,
      months: months.map((month, i) => ({ month, monthlyTotal: monthly[i]!, prepay: prepay[i]! })),
      steps: [
        step(
          'R-CAP-4',
          policy.prepayMonths.source,
          `年度病种人头付费总额按 ${n} 个月均等划分（不能整除的分按月份先后各加 1 分）`,
          `Annual total split equally over ${n} months (leftover fen to the earliest months)`,
          { heads, annualTotal: yuan(total), firstMonth: yuan(monthly[0]!), lastMonth: yuan(monthly[n - 1]!) },
          yuan(total),
        ),
        step(
          'R-CAP-4',
          policy.prepayShare.source,
          `按 ${formatRatio(policy.prepayShare.value, 2)} 的比例按月预付（全年预付额四舍五入一次再均分）`,
          `Prepaid monthly at ${formatRatio(policy.prepayShare.value, 2)} (the year's prepayment rounded once, then split)`,
          { firstMonth: yuan(prepay[0]!), lastMonth: yuan(prepay[n - 1]!) },
          yuan(prepaidTotal),
        ),
      ],
    };
  });
}

/** 12 parts → "YYYY-01".."YYYY-12"; other counts label the part's first month. */
function monthLabel(year: number, i: number, n: number): string {
  const m = Math.floor((i * 12) / n) + 1;
  return `${year}-${String(m).padStart(2, '0')}`;
}

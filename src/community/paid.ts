/**
 * What the fund actually paid the members during the year (R-MC-2), by fund — what a community's year-end clearing
 * deducts (R-MC-3), as opposed to what the methods computed for them at the year end (按各种付费方式计算获取的医保基金).
 *
 * 鲁医保发〔2024〕39号 二(三): "由医保经办机构按DRG/DIP付费、床日付费、人头付费等现行付费方式分类与县域医共体牵头医院做好月度结算。
 * 年终清算时，将县域医共体按各种付费方式计算获取的医保基金与县域医共体支出总额预算对账"; 二(四): "可根据基金结余情况向县域医共体
 * 预付1个月左右的医保基金".
 *
 * A run pays a member of a point pool (DIP/DRG and the pool's per-bed-day and single-disease amounts) per month and per
 * institution, not per fund; a community reconciles per fund. So each month's payment is split over the funds in
 * proportion to what the member's units of that month come to by fund (largest remainder, ties to the fund listed
 * first: employee, then resident); a month with no weight (a carried negative month, units of no known fund) by the
 * member's year. The member's own advance under its method is split by the member's year. All integer fen; the parts
 * add up to the run's figures exactly.
 */
import { allocateProportional, type Fen } from '../model/money.ts';
import type { MethodId } from '../model/unit-result.ts';
import { FUNDS, type Fund } from './types.ts';

/** What the fund paid a member in a month for one fund (R-MC-2). */
export interface MemberPayment {
  institutionCode: string;
  month: string;
  fund: Fund;
  /** The method, when the payment is one method's (capitation); absent for a point pool's monthly pre-settlement. */
  method?: MethodId;
  paid: Fen;
}

/** A member's own start-of-year advance under its methods (e.g. DIP by level, 000 §4), this fund's part. */
export interface MemberAdvance {
  institutionCode: string;
  fund: Fund;
  amount: Fen;
}

/**
 * A member's own year end under its point pool, as the run issued it (年度清算额 − 月度已支付 − 年初预付 = 清算支付额):
 * inside a community its clearing is not paid separately — the community's clearing takes its place (R-MC-3).
 */
export interface MemberOwnYearEnd {
  institutionCode: string;
  yearEnd: Fen;
  monthlyPaid: Fen;
  advance: Fen;
  clearing: Fen;
}

/** What a member's units of a month come to, by fund (the weights of the split). */
export interface FundWeight {
  institutionCode: string;
  month: string;
  fund: Fund;
  amount: Fen;
}

const key = (code: string, month: string) => `${code}\u0000${month}`;

function split(total: Fen, weights: ReadonlyMap<Fund, Fen> | undefined, fallback: ReadonlyMap<Fund, Fen> | undefined) {
  const w = (m: ReadonlyMap<Fund, Fen> | undefined) => FUNDS.map((f) => BigInt(Math.max(0, m?.get(f) ?? 0)));
  let ws = w(weights);
  if (ws.every((x) => x === 0n)) ws = w(fallback);
  // Nothing to weigh by (no unit of a known fund all year): the funds share it equally.
  if (ws.every((x) => x === 0n)) ws = FUNDS.map(() => 1n);
  return allocateProportional(total, ws);
}

function weightMaps(weights: readonly FundWeight[]) {
  const byMonth = new Map<string, Map<Fund, Fen>>();
  const byYear = new Map<string, Map<Fund, Fen>>();
  const add = (m: Map<string, Map<Fund, Fen>>, k: string, w: FundWeight) => {
    let x = m.get(k);
    if (!x) {
      x = new Map();
      m.set(k, x);
    }
    x.set(w.fund, (x.get(w.fund) ?? 0) + w.amount);
  };
  for (const w of weights) {
    add(byMonth, key(w.institutionCode, w.month), w);
    add(byYear, w.institutionCode, w);
  }
  return { byMonth, byYear };
}

/** A point pool's monthly payments of the members (per institution and month) split over the funds. */
export function splitPaymentsByFund(
  payments: readonly { institutionCode: string; month: string; paid: Fen }[],
  weights: readonly FundWeight[],
): MemberPayment[] {
  const { byMonth, byYear } = weightMaps(weights);
  const out: MemberPayment[] = [];
  for (const p of payments) {
    const parts = split(p.paid, byMonth.get(key(p.institutionCode, p.month)), byYear.get(p.institutionCode));
    FUNDS.forEach((fund, k) => {
      if (parts[k] !== 0) out.push({ institutionCode: p.institutionCode, month: p.month, fund, paid: parts[k]! });
    });
  }
  return out;
}

/** The members' own advances (per institution) split over the funds by the member's year. */
export function splitAdvancesByFund(
  advances: readonly { institutionCode: string; amount: Fen }[],
  weights: readonly FundWeight[],
): MemberAdvance[] {
  const { byYear } = weightMaps(weights);
  const out: MemberAdvance[] = [];
  for (const a of advances) {
    const parts = split(a.amount, byYear.get(a.institutionCode), undefined);
    FUNDS.forEach((fund, k) => {
      if (parts[k] !== 0) out.push({ institutionCode: a.institutionCode, fund, amount: parts[k]! });
    });
  }
  return out;
}

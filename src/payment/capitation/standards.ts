/**
 * Per-disease per-head standards from history (病种人头标准, R-CAP-1): for each fund and class-2 disease,
 * (Σ 统筹支付 [+ Σ 门诊调增费用]) ÷ 结算人数 over the base period's heads, kept as an exact ratio of fen.
 *
 * 攀枝花医保 二类门特按病种结合人头付费试行办法 四(四)1(1): "根据二类门特预算统筹基金总控额度，以'国家药品集中采购'前的统筹支付、
 * 就诊人数等结算数据为基础，综合考虑各病种统筹支付均费、门诊调增费用、结算人数等因素测算各病种人头标准。"
 */
import type { InsuranceType } from '../../model/case.ts';
import { type Fen, type Ratio, ratio } from '../../model/money.ts';
import { byCode } from '../common/period.ts';
import { type CapitationHistoryHead, type CapitationPolicy, standardKey } from './types.ts';

export interface HistoryStandard {
  insuranceType: InsuranceType;
  diseaseCode: string;
  /** 结算人数 */
  heads: number;
  fundPay: Fen;
  outpatientAdjustment: Fen;
  /** Per head per year, fen, exact. */
  perHead: Ratio;
}

/** The cost of one history head that the standards use. */
export function historyCost(h: CapitationHistoryHead, policy: CapitationPolicy): Fen {
  return h.fundPay + (policy.standardBasis.value.includeOutpatientAdjustment ? h.outpatientAdjustment : 0);
}

/** Standards keyed by `standardKey(fund, disease)`, in key order. */
export function historyStandards(
  history: readonly CapitationHistoryHead[],
  policy: CapitationPolicy,
): Map<string, HistoryStandard> {
  const acc = new Map<string, Omit<HistoryStandard, 'perHead'>>();
  for (const h of history) {
    const key = standardKey(h.insuranceType, h.diseaseCode);
    const a = acc.get(key) ?? {
      insuranceType: h.insuranceType,
      diseaseCode: h.diseaseCode,
      heads: 0,
      fundPay: 0,
      outpatientAdjustment: 0,
    };
    a.heads++;
    a.fundPay += h.fundPay;
    a.outpatientAdjustment += h.outpatientAdjustment;
    acc.set(key, a);
  }
  const out = new Map<string, HistoryStandard>();
  for (const key of [...acc.keys()].sort(byCode)) {
    const a = acc.get(key)!;
    const cost = a.fundPay + (policy.standardBasis.value.includeOutpatientAdjustment ? a.outpatientAdjustment : 0);
    out.set(key, { ...a, perHead: ratio(BigInt(cost), BigInt(a.heads)) });
  }
  return out;
}

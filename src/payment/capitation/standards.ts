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
import {
  type CapitationHistoryGroup,
  type CapitationHistoryHead,
  type CapitationPolicy,
  standardKey,
} from './types.ts';

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

/** Heads held as objects, grouped as the store groups them (`CapitationHistoryGroup`), in key order. */
export function historyGroupsOf(
  history: readonly CapitationHistoryHead[],
  policy: CapitationPolicy,
): CapitationHistoryGroup[] {
  const threshold = policy.riskAgeThreshold.value;
  const acc = new Map<string, CapitationHistoryGroup>();
  for (const h of history) {
    const overAge = h.ageYears >= threshold;
    const key = `${standardKey(h.insuranceType, h.diseaseCode)}|${overAge ? 1 : 0}|${h.hasClass1 ? 1 : 0}`;
    let g = acc.get(key);
    if (!g) {
      g = {
        insuranceType: h.insuranceType,
        diseaseCode: h.diseaseCode,
        overAge,
        hasClass1: h.hasClass1,
        heads: 0,
        fundPay: 0,
        outpatientAdjustment: 0,
      };
      acc.set(key, g);
    }
    g.heads++;
    g.fundPay += h.fundPay;
    g.outpatientAdjustment += h.outpatientAdjustment;
  }
  return [...acc.keys()].sort(byCode).map((k) => acc.get(k)!);
}

/** The cost of a group of history heads that the standards use (Σ of `historyCost`). */
export function groupCost(g: CapitationHistoryGroup, policy: CapitationPolicy): Fen {
  return g.fundPay + (policy.standardBasis.value.includeOutpatientAdjustment ? g.outpatientAdjustment : 0);
}

/** Standards keyed by `standardKey(fund, disease)`, in key order, from the history heads grouped. */
export function historyStandards(
  history: readonly CapitationHistoryGroup[],
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
    a.heads += h.heads;
    a.fundPay += h.fundPay;
    a.outpatientAdjustment += h.outpatientAdjustment;
    acc.set(key, a);
  }
  const out = new Map<string, HistoryStandard>();
  for (const key of [...acc.keys()].sort(byCode)) {
    const a = acc.get(key)!;
    if (a.heads === 0) continue;
    const cost = a.fundPay + (policy.standardBasis.value.includeOutpatientAdjustment ? a.outpatientAdjustment : 0);
    out.set(key, { ...a, perHead: ratio(BigInt(cost), BigInt(a.heads)) });
  }
  return out;
}

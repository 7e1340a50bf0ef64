/**
 * Assessment (考核, R-MON-4): flags and indicators roll up to an institution score, and the policy's bands map the
 * score to the assessment coefficient (考核系数) the settlement layer applies. Confirmed flags with money at issue
 * become audit deductions (审核扣款) for the next settlement run.
 *
 * score = base − min(maxDeduction, violationPoints × V + suspiciousPoints × S + indicatorPoints × D), where V and S
 * count the institution's violation and suspicious flags that review has not dismissed (per 1,000 cases when
 * `perThousandCases`), and D the indicators that deviate from peers by at least `indicatorZ` in their worse direction.
 * All in exact ratios; the coefficient is the first band (highest first) whose minScore the score reaches.
 */

import {
  addRatios,
  compareRatios,
  type Fen,
  fenToYuan,
  mulRatios,
  type Ratio,
  ratio,
  subRatios,
  ZERO,
} from '../model/money.ts';
import type { AssessmentResult, AuditDeduction } from '../settlement/deductions.ts';
import { INDICATORS, type IndicatorRow } from './indicators.ts';
import type { RuleBase } from './rule-base.ts';
import type { Flag } from './types.ts';

/** A reviewer's decision on a flag (复核结论). */
export interface Review {
  flagId: string;
  decision: 'confirmed' | 'dismissed';
  reason: string;
  reviewer: string;
  /** ISO date-time. */
  at: string;
  /** Amount to deduct when confirmed, fen (default: the flag's amount). */
  amount?: number;
}

export interface InstitutionScore {
  institutionCode: string;
  cases: number;
  violations: number;
  suspicious: number;
  deviatingIndicators: string[];
  deduction: Ratio;
  score: Ratio;
  coefficient: Ratio;
  result: AssessmentResult;
}

/** Indicators that deviate from peers in their worse direction by at least `z`. */
export function deviating(rows: readonly IndicatorRow[], institutionCode: string, z: number): string[] {
  return rows
    .filter((r) => r.institutionCode === institutionCode && r.z !== undefined)
    .filter((r) => {
      const worse = INDICATORS[r.indicator].worse;
      return worse !== 0 && (r.z as number) * worse >= z;
    })
    .map((r) => r.indicator)
    .sort();
}

export function scoreInstitutions(
  base: RuleBase,
  institutions: readonly { institutionCode: string; cases: number }[],
  flags: readonly Flag[],
  indicators: readonly IndicatorRow[],
  reviews: ReadonlyMap<string, Review>,
): InstitutionScore[] {
  const a = base.values.assessment.value;
  const source = base.values.assessment.source;
  const z = Number(a.indicatorZ.num) / Number(a.indicatorZ.den);
  const bands = a.bands;
  return institutions.map(({ institutionCode, cases }) => {
    const mine = flags.filter(
      (f) => f.institutionCode === institutionCode && reviews.get(f.flagId)?.decision !== 'dismissed',
    );
    const violations = mine.filter((f) => f.result === 'violation').length;
    const suspicious = mine.length - violations;
    const dev = deviating(indicators, institutionCode, z);
    const per = (n: number) =>
      a.perThousandCases ? (cases > 0 ? ratio(BigInt(n) * 1000n, BigInt(cases)) : ZERO) : ratio(n);
    let deduction = addRatios(
      addRatios(mulRatios(a.violationPoints, per(violations)), mulRatios(a.suspiciousPoints, per(suspicious))),
      mulRatios(a.indicatorPoints, ratio(dev.length)),
    );
    if (compareRatios(deduction, a.maxDeduction) > 0) deduction = a.maxDeduction;
    const score = subRatios(a.base, deduction);
    const band = bands.find((b) => compareRatios(score, b.minScore) >= 0) ?? bands[bands.length - 1]!;
    return {
      institutionCode,
      cases,
      violations,
      suspicious,
      deviatingIndicators: dev,
      deduction,
      score,
      coefficient: band.coefficient,
      result: { institutionCode, coefficient: band.coefficient, source },
    };
  });
}

/**
 * The most a confirmed flag may deduct (R-MON-4: a deduction rests on the flag's evidence): its amount at issue. Where
 * the rule leaves the amount to review (涉及金额 0: upcoding, abnormal stay, the earlier of two overlapping stays), a
 * case flag may deduct up to what the fund paid for the case (统筹基金支付); an institution flag with nothing at
 * issue deducts nothing itself — what its audit finds is deducted on the cases' flags, and the flag counts in the
 * assessment score whether or not money is deducted.
 */
export function deductionLimit(flag: Flag, caseFundPay: Fen | undefined): Fen {
  if (flag.amount > 0) return flag.amount;
  return flag.scope === 'case' ? Math.max(0, caseFundPay ?? 0) : 0;
}

/** Why a confirmed review's amount is refused (both figures, zh and en), or undefined when it may stand. */
export function deductionRefusal(
  flag: Flag,
  amount: Fen,
  caseFundPay: Fen | undefined,
): { zh: string; en: string } | undefined {
  const limit = deductionLimit(flag, caseFundPay);
  if (amount <= limit) return undefined;
  const asked = fenToYuan(amount);
  if (flag.amount > 0)
    return {
      zh: `扣款金额 ${asked} 元超过疑点 ${flag.flagId} 的涉及金额 ${fenToYuan(limit)} 元：确认的扣款不能超过涉及金额`,
      en: `the amount to deduct, ${asked} yuan, is more than the amount at issue of flag ${flag.flagId}, ${fenToYuan(limit)} yuan: a confirmed deduction may not exceed the amount at issue`,
    };
  if (flag.scope === 'case')
    return {
      zh: `扣款金额 ${asked} 元超过病例 ${flag.setlId} 的统筹基金支付 ${fenToYuan(limit)} 元：此规则的涉及金额由复核确定，上限为病例的统筹基金支付`,
      en: `the amount to deduct, ${asked} yuan, is more than the pooled-fund payment of case ${flag.setlId}, ${fenToYuan(limit)} yuan: this rule leaves the amount to review, up to the case's pooled-fund payment`,
    };
  return {
    zh: `机构疑点 ${flag.flagId} 没有涉及金额，不能直接扣款（扣款 ${asked} 元）：请在该机构核实属实的病例疑点上确认扣款；确认本疑点只计入考核`,
    en: `institution flag ${flag.flagId} has no amount at issue and deducts nothing itself (asked ${asked} yuan): confirm the deduction on the flags of the cases the audit found; confirming this flag counts in the assessment only`,
  };
}

/**
 * Confirmed flags with money at issue, as audit deductions of the flag's period (case: discharge month). A review
 * carried over from an earlier run (flag ids are stable) deducts no more than the flag's amount at issue now.
 */
export function auditDeductions(
  base: RuleBase,
  flags: readonly Flag[],
  reviews: ReadonlyMap<string, Review>,
): AuditDeduction[] {
  const out: AuditDeduction[] = [];
  for (const f of flags) {
    const r = reviews.get(f.flagId);
    if (r?.decision !== 'confirmed') continue;
    const amount = f.amount > 0 ? Math.min(r.amount ?? f.amount, f.amount) : (r.amount ?? 0);
    if (amount <= 0) continue;
    const rule = base.rules.find((x) => x.id === f.ruleId);
    out.push({
      institutionCode: f.institutionCode,
      period: f.period,
      amount,
      // One text in every language: (institution, period, reason) is the stored row's key, so the file exported in
      // zh and the one exported in en ingest as the same deduction (已存在), never twice. The rule's name and clause
      // as the region's rule base publishes them.
      reason: `${rule?.name ?? f.ruleId} ${f.flagId}`,
      source: `${rule?.clause ?? ''}；复核 ${r.reviewer} ${r.at.slice(0, 10)}：${r.reason}`,
    });
  }
  return out;
}

/** A score as decimal text, truncated to two places (display only; the coefficient uses the exact score). */
export function scoreText(r: Ratio): string {
  const hundred = (r.num * 100n) / r.den;
  const sign = hundred < 0n ? '-' : '';
  const abs = hundred < 0n ? -hundred : hundred;
  return `${sign}${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`;
}

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

import { addRatios, compareRatios, mulRatios, type Ratio, ratio, subRatios, ZERO } from '../model/money.ts';
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

/** Confirmed flags with money at issue, as audit deductions of the flag's period (case: discharge month). */
export function auditDeductions(
  base: RuleBase,
  flags: readonly Flag[],
  reviews: ReadonlyMap<string, Review>,
): AuditDeduction[] {
  const out: AuditDeduction[] = [];
  for (const f of flags) {
    const r = reviews.get(f.flagId);
    if (r?.decision !== 'confirmed') continue;
    const amount = r.amount ?? f.amount;
    if (amount <= 0) continue;
    const rule = base.rules.find((x) => x.id === f.ruleId);
    out.push({
      institutionCode: f.institutionCode,
      period: f.period,
      amount,
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

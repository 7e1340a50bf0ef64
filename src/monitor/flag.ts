import type { InpatientCase } from '../model/case.ts';
import type { Evidence, Flag, MonitorRule, Severity } from './types.ts';

/** Default severity: a violation is high, a suspicion medium (a detector may grade further). */
export function defaultSeverity(rule: MonitorRule): Severity {
  return rule.result === 'violation' ? 'high' : 'medium';
}

/** A flag on one case; `detail` (an item code, a pair) keeps several flags of one rule on one case apart. */
export function caseFlag(
  rule: MonitorRule,
  c: InpatientCase,
  detail: string,
  amount: number,
  evidence: Evidence,
  severity: Severity = defaultSeverity(rule),
): Flag {
  return {
    flagId: detail ? `${rule.id}:${c.setlId}:${detail}` : `${rule.id}:${c.setlId}`,
    ruleId: rule.id,
    result: rule.result,
    severity,
    scope: 'case',
    setlId: c.setlId,
    institutionCode: c.institutionCode,
    period: c.dischargeTime.slice(0, 7),
    amount,
    evidence,
  };
}

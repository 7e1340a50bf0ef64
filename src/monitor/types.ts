/**
 * What monitoring produces (R-MON-4): a flag (疑点) names the rule, the case or institution, the money at issue and
 * the evidence — the numbers that made the rule fire and the baseline it was compared with — so that a reviewer can
 * confirm or dismiss it and an appeal can answer it.
 */
import type { Fen } from '../model/money.ts';
import type { MonitorRule } from '../policy/kinds/monitor.ts';

export type { MonitorRule, RuleLogic } from '../policy/kinds/monitor.ts';

/** 违规 violation / 可疑 suspicious (the rule's result type). */
export type FlagResult = MonitorRule['result'];
export type Severity = 'high' | 'medium' | 'low';

/** Evidence values: integers (fen, days, counts, per-mille shares) or codes; never binary floats of money. */
export type EvidenceValue = string | number | readonly string[];
export type Evidence = Readonly<Record<string, EvidenceValue>>;

export interface Flag {
  /** Stable id: rule, subject and detail (`YB-IT-001:JS2025000123:YB09001`), the same in both modes. */
  flagId: string;
  ruleId: string;
  result: FlagResult;
  severity: Severity;
  scope: 'case' | 'institution';
  /** The flagged case (settlement id); empty for an institution flag. */
  setlId: string;
  institutionCode: string;
  /** `YYYY-MM` (discharge month) of a case, `YYYY` of an institution flag. */
  period: string;
  /** Money at issue (涉及金额), fen ≥ 0; what an audit deduction could recover after review. */
  amount: Fen;
  evidence: Evidence;
}

export const SEVERITY_ORDER: Readonly<Record<Severity, number>> = { high: 0, medium: 1, low: 2 };

/** Deterministic order of flags: rule, subject, id. */
export function compareFlags(a: Flag, b: Flag): number {
  return a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : a.flagId < b.flagId ? -1 : a.flagId > b.flagId ? 1 : 0;
}

/**
 * Audit deductions (审核扣款) and assessment results (考核系数) that adjust an institution's settlement. They come
 * from review and monitoring (R-MON-4), not from the payment method, so they are inputs of the settlement layer.
 */
import type { Fen, Ratio } from '../model/money.ts';

export interface AuditDeduction {
  institutionCode: string;
  /** `YYYY-MM`: deducted in that month's pre-settlement (and counted again in the year-end amount, which covers
   *  the whole year); `YYYY`: deducted at year end only. */
  period: string;
  /** Fen, ≥ 0. */
  amount: Fen;
  reason: string;
  /** The audit decision or clause. */
  source: string;
}

export interface AssessmentResult {
  institutionCode: string;
  /** 考核系数, e.g. 0.98. */
  coefficient: Ratio;
  source: string;
}

/** Deductions by institution for one period key (`YYYY-MM`) or, with `year`, all of that year. */
export function deductionsFor(list: readonly AuditDeduction[], period: string): Map<string, AuditDeduction[]> {
  const out = new Map<string, AuditDeduction[]>();
  for (const d of list) {
    if (!(d.period === period || (period.length === 4 && d.period.startsWith(period)))) continue;
    if (!Number.isSafeInteger(d.amount) || d.amount < 0) {
      throw new RangeError(`deduction for ${d.institutionCode} ${d.period} must be a non-negative integer of fen`);
    }
    const l = out.get(d.institutionCode);
    if (l) l.push(d);
    else out.set(d.institutionCode, [d]);
  }
  return out;
}

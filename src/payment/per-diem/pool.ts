/** How a pool takes per-bed-day stays (R-PAY-BEDDAY, R-DIP-4): the agency's run and the hospital side apply it alike. */
import type { PerDiemPolicy } from './categories.ts';

/**
 * The per-bed-day policy as a pool applies it: a policy's points are made at its reference point value, on the DIP
 * scale (元/点); in a DRG pool (points = RW × 100, another scale) the same bed-days enter as their amounts instead,
 * so that neither scale distorts the other (the R-DIP-4 conversion applies to DIP pools only).
 */
export function perDiemPolicyInPool(policy: PerDiemPolicy, caseMethod: string): PerDiemPolicy {
  return caseMethod === 'drg' && policy.settleAs.value === 'points'
    ? {
        ...policy,
        settleAs: { value: 'amount' as const, source: `${policy.settleAs.source}（DRG 点数池按金额计入）` },
      }
    : policy;
}

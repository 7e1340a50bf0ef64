/**
 * `estimateCase`: one settlement list at discharge → its group with the path, points or RW, the standard payment,
 * the deviating-case thresholds in money and where the case stands, the expected payment at the published or
 * forecast point value, the expected profit or loss (预测盈亏 = expected payment − total medical cost) and the
 * before-care prompts (事前提示). DIP and CHS-DRG through the same function, chosen by the published parameters.
 *
 * Pure and in process (API-ready): the engines are built once (`HospitalParams`), each call groups and prices one
 * case. It reports what the agency's rules give for the case as coded; it never proposes another coding.
 */
import type { InpatientCase } from '../model/case.ts';
import { mulRatio } from '../model/money.ts';
import { estimateDip } from './estimate-dip.ts';
import { estimateDrg } from './estimate-drg.ts';
import { beforeCarePrompts } from './prompts.ts';
import type { CaseEstimate, HospitalParams } from './types.ts';

export function estimateCase(c: InpatientCase, params: HospitalParams): CaseEstimate {
  const p = params.pricing;
  const base =
    p.method === 'dip' ? estimateDip(c, p) : estimateDrg(c, p, params.institutions.get(c.institutionCode)?.level);
  const fpr = params.fundPaymentRatio;
  if (fpr && base.expectedPayment !== null) base.expectedFund = mulRatio(base.expectedPayment, fpr.value, 'half-up');
  return { ...base, prompts: beforeCarePrompts(c, params.prompts) };
}

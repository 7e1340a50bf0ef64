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
import type { UnitResult } from '../model/unit-result.ts';
import { carveOutUnit, estimateCarveOut } from './estimate-carve-out.ts';
import { estimateDip } from './estimate-dip.ts';
import { estimateDrg } from './estimate-drg.ts';
import { beforeCarePrompts } from './prompts.ts';
import type { CaseEstimate, HospitalParams } from './types.ts';

/**
 * `fundPayGiven: false` says the case's 统筹基金支付 is not known (a case typed at discharge without it): with no
 * published fund payment ratio the fund's part is then not estimated, rather than payment − the whole cost.
 */
export function estimateCase(
  c: InpatientCase,
  params: HospitalParams,
  opts: { fundPayGiven?: boolean } = {},
): CaseEstimate {
  const p = params.pricing;
  // A case the region carves out (per-bed-day, then single-disease) is priced as the agency's run prices it.
  const carved = params.carveOuts ? carveOutUnit(c, params.carveOuts, params.institutions) : null;
  const base = carved
    ? estimateCarveOut(c, carved, p.pointValue, carveOutName(carved, params))
    : p.method === 'dip'
      ? estimateDip(c, p)
      : estimateDrg(c, p, params.institutions.get(c.institutionCode)?.level);
  const fpr = params.fundPaymentRatio;
  let fundBasis: CaseEstimate['fundBasis'] = 'patient-paid';
  if (fpr) {
    fundBasis = 'ratio';
    if (base.expectedPayment !== null) base.expectedFund = mulRatio(base.expectedPayment, fpr.value, 'half-up');
  } else if (opts.fundPayGiven === false) {
    fundBasis = 'not-given';
    base.expectedFund = null;
  }
  return { ...base, fundBasis, prompts: beforeCarePrompts(c, params.prompts) };
}

/** A carve-out's category or entry by its name in the policy (精神病, 单胎顺产), as a DIP group is named. */
function carveOutName(u: UnitResult, params: HospitalParams): string | null {
  if (u.group === undefined) return null;
  if (u.method === 'per-diem')
    return params.carveOuts?.perDiem?.policy.categories.value.find((k) => k.code === u.group)?.zh ?? null;
  return params.carveOuts?.singleDisease?.policy.catalog.value.find((e) => e.code === u.group)?.zh ?? null;
}

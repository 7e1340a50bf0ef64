/**
 * Fee-for-service payment (按项目付费, R-PAY-FFS): one unit per settlement (setl_id) with its fee line items.
 *
 * The clause behind item billing is the policy's `itemBilling.source` (e.g. "对不宜打包付费的复杂病例和门诊费用，可按项目
 * 付费"); a case paid by items for another method's reason cites that method's clause.
 *
 * A unit's claim is the item billing (Σ price × quantity); `patientPaid` is what the patient bears of it:
 * own-pay (丙类 and excluded services, R-BEN-3), the 乙类 self-pay share, and the deductible and coinsurance the
 * benefit rules charged (R-BEN-1, given as `patientCostSharing`). The fund's part is claim − patientPaid.
 */
import type { FeeItem, SettledCase } from '../../model/case.ts';
import type { Fen } from '../../model/money.ts';
import { byUnitId, type PaymentMethod, type UnitResult } from '../../model/unit-result.ts';
import { monthOf } from '../common/period.ts';
import { step, yuan } from '../common/trace.ts';
import { type FfsPolicy, type PricedItem, priceItems } from './items.ts';

/** One settlement billed item by item. */
export interface FfsSettlement {
  setlId: string;
  institutionCode: string;
  /** Settlement date (ISO); its month is the settlement month. */
  date: string;
  items: readonly FeeItem[];
  /** Deductible and coinsurance on in-scope costs (起付线、共付), from the benefit rules; 0 when none. */
  patientCostSharing?: Fen;
}

export interface FfsContext {
  policy: FfsPolicy;
}

function sum<T>(xs: readonly T[], f: (x: T) => number): number {
  return xs.reduce((s, x) => s + f(x), 0);
}

/**
 * The exclusions met, in both languages: `公共卫生费用；体育健身、养生保健消费 / public health services; fitness and
 * wellness spending` (by the Chinese name); 无 (none) when none.
 */
function exclusionReasons(excluded: readonly PricedItem[]): string {
  const met = new Map<string, string>();
  for (const p of excluded) if (p.scope.kind === 'excluded') met.set(p.scope.zh, p.scope.en);
  const zh = [...met.keys()].sort();
  // zh names are joined by ；, since a name may hold 、 itself (体育健身、养生保健消费).
  return zh.length === 0 ? '无' : `${zh.join('；')} / ${zh.map((k) => met.get(k)).join('; ')}`;
}

export function evaluateFfsSettlement(s: FfsSettlement, policy: FfsPolicy): UnitResult {
  const priced = priceItems(s.items, policy);
  const billed = sum(priced, (p) => p.amount);
  const classA = sum(
    priced.filter((p) => p.scope.kind === 'class-a'),
    (p) => p.amount,
  );
  const classB = sum(
    priced.filter((p) => p.scope.kind === 'class-b'),
    (p) => p.amount,
  );
  const classC = sum(
    priced.filter((p) => p.scope.kind === 'class-c'),
    (p) => p.amount,
  );
  const excluded = priced.filter((p) => p.scope.kind === 'excluded');
  const selfPay = sum(priced, (p) => p.selfPay);
  const ownPay = sum(priced, (p) => p.ownPay);
  const inScope = sum(priced, (p) => p.inScope);
  const sharingAsked = s.patientCostSharing ?? 0;
  // Cost sharing applies to in-scope costs only; more than that is a data error shown, not silently paid.
  const sharing = Math.min(sharingAsked, inScope);
  const patientPaid = ownPay + selfPay + sharing;
  const mismatches = priced.filter((p) => p.listedDiffers).length;
  const explanation = [
    step(
      'R-PAY-FFS',
      policy.itemBilling.source,
      '按项目计价：单价 × 数量（逐项四舍五入到分）',
      'Price each item: unit price × quantity (half-up to the fen per item)',
      { items: priced.length, listedAmountDiffers: mismatches },
      yuan(billed),
    ),
    step(
      'R-PAY-FFS',
      policy.classBSelfPayShare.source,
      '按目录类别划分：甲类全额纳入，乙类先行自付后纳入，丙类自费',
      'Split by catalog class: class A (甲) fully in scope, class B (乙) after its self-pay share, class C (丙) own pay',
      { classA: yuan(classA), classB: yuan(classB), classBSelfPay: yuan(selfPay), classC: yuan(classC) },
      yuan(inScope + sum(excluded, (p) => p.amount)),
    ),
    step(
      'R-BEN-3',
      policy.exclusions.source,
      '剔除不得纳入医保支付范围的项目（公共卫生、体育健身、养生保健）',
      'Take out services the fund never pays (public health, fitness, wellness)',
      {
        excludedItems: excluded.length,
        excludedAmount: yuan(sum(excluded, (p) => p.amount)),
        // Both languages (`中文 / English`), as other methods keep a reason; the reader's part is shown.
        reasons: exclusionReasons(excluded),
      },
      yuan(inScope),
    ),
    // Without the benefit rules' deductible and coinsurance (the year's item pricing gives none), the patient's part
    // is own pay + 乙 self-pay only and the rest is no fund payment: the step says so and shows no fund part (walk3:
    // the demo called 19,127,903.76 of own pay and self-pay 患者负担, and billed − it was shown as the fund's).
    s.patientCostSharing === undefined
      ? step(
          'R-PAY-FFS',
          policy.itemBilling.source,
          '按项目付费：申报金额 = 项目合计；患者负担只计自费 + 乙类先行自付（未给出起付线及共付）；其余为政策范围内费用，由基金与患者按待遇政策分担',
          'Claim = item billing; the patient part counts own pay + class B self-pay only (no deductible or coinsurance given); the rest is in scope, shared by the fund and the patient under the benefit rules',
          { ownPay: yuan(ownPay), selfPay: yuan(selfPay), inScope: yuan(inScope) },
          yuan(billed),
        )
      : step(
          'R-PAY-FFS',
          policy.itemBilling.source,
          '按项目付费：申报金额 = 项目合计；患者负担 = 自费 + 乙类自付 + 起付线及共付；基金 = 其余',
          'Claim = item billing; patient pays own pay + class B self-pay + cost sharing; the fund pays the rest',
          {
            ownPay: yuan(ownPay),
            selfPay: yuan(selfPay),
            costSharing: yuan(sharing),
            costSharingAsked: yuan(sharingAsked),
            fundPart: yuan(billed - patientPaid),
          },
          yuan(billed),
        ),
  ];
  const allExcluded = excluded.length > 0 && inScope === 0;
  return {
    unitId: s.setlId,
    institutionCode: s.institutionCode,
    month: monthOf(s.date),
    method: 'ffs',
    status: allExcluded ? 'excluded' : 'paid',
    claim: { kind: 'amount', amount: billed },
    billed,
    patientPaid,
    explanation,
  };
}

/**
 * A case without fee items paid by items (e.g. a single-disease case leaving its pathway, 出径病例): the claim is
 * the settlement list's total cost and the patient's part is total − fund.
 */
export function ffsForCase(c: SettledCase, why: { zh: string; en: string; source: string }): UnitResult {
  const patientPaid = Math.max(0, Math.min(c.totalCost, c.totalCost - c.fundPay));
  return {
    unitId: c.setlId,
    institutionCode: c.institutionCode,
    month: monthOf(c.dischargeTime),
    method: 'ffs',
    status: 'paid',
    claim: { kind: 'amount', amount: c.totalCost },
    billed: c.totalCost,
    patientPaid,
    explanation: [
      step(
        'R-PAY-FFS',
        why.source,
        `按项目付费（${why.zh}）：申报金额 = 结算清单医疗费总额`,
        `Paid by items (${why.en}): claim = the settlement list's total cost`,
        { totalCost: yuan(c.totalCost), fundPay: yuan(c.fundPay), patientPaid: yuan(patientPaid) },
        yuan(c.totalCost),
      ),
    ],
  };
}

export const ffsMethod: PaymentMethod<FfsSettlement, FfsContext> = {
  id: 'ffs',
  zh: '按项目付费',
  en: 'Fee-for-service',
  evaluate(units, context) {
    return units.map((u) => evaluateFfsSettlement(u, context.policy)).sort(byUnitId);
  },
};

/**
 * Year-end settlement of capitation (年终清算, R-CAP-5): each institution's total by its actual heads against the
 * fund spending of those heads, shared by the policy's bands, less the monthly prepayments.
 *
 * 攀枝花医保 二类门特按病种结合人头付费试行办法 四(六)1: "按定点医疗机构实际就诊人头数定额清算。"
 * 四(六)2: "全年……实际发生符合统筹基金支付范围的费用审核后不超过当年度总额控制费用的，结余额中的 80% 划拨给定点医疗机构。"
 * 四(六)3: "……超出全年总额控制费用总额的，超出总额 10% 以内的部分由基金承担 40%，定点医疗机构承担 60%；超出总额 10% 及以上的，
 * 由定点医疗机构全部承担。"
 *
 * Reading of 四(六)3 (bands, not a cliff): the overspend is cut at 10 % of the total; the part up to that edge is
 * shared 40 % fund / 60 % institution, the part beyond it is the institution's alone. "10% 以内的部分" names a
 * part of the overspend, and "10% 及以上的" the rest of it. So 15 % over → the fund bears 40 % of the first 10 %
 * (4 % of the total); exactly 10 % over → 40 % of all of it. The other reading (≥ 10 % → the institution bears
 * everything, including the first 10 %) would make 10.01 % cost the institution more than 9.99 % by 4 % of the
 * total, a cliff the text does not ask for.
 *
 * The policy's `overspendReading` chooses: `bands` (default, above) or `cliff` (`shareWithCliff`), which some regions
 * use.
 *
 * Rounding: `shareDifference` (src/settlement/sharing.ts) — band edges at total × share half-up, each band's
 * share half-up; the clearing payment = fund pays − prepaid, exact. A negative clearing is a refund.
 */
import type { TraceStep } from '../../model/explain.ts';
import { divRound, type Fen, formatRatio, ZERO } from '../../model/money.ts';
import type { UnitResult } from '../../model/unit-result.ts';
import { type SharingBands, type SharingResult, shareDifference } from '../../settlement/sharing.ts';
import { byCode } from '../common/period.ts';
import { step, yuan } from '../common/trace.ts';
import { type HeadLine, headLineOf } from './head-unit.ts';
import type { CapitationPrepayment } from './prepay.ts';
import type { UnattributedVisit } from './spending.ts';
import type { CapitationPolicy } from './types.ts';

export interface CapitationYearEndLine {
  institutionCode: string;
  /** Actual heads (head segments counted). */
  heads: number;
  /** Enrolled capitated head segments not counted because they had no visit (实际就诊人头 rule). */
  notCounted: number;
  /** Head segments not paid for a reason to resolve (enrolment conflict, no standard, unknown person). */
  unresolved: number;
  /** The year's total by actual heads (年度总额). */
  total: Fen;
  /**
   * Audited fund spending of the counted heads (符合统筹基金支付范围的费用), with their referral fees (`referral`)
   * when the policy charges them.
   */
  fundSpending: Fen;
  /** Referral fees (转诊费用) of the counted heads: their visits at other institutions (`referralFee`); 0 without. */
  referral: Fen;
  sharing: SharingResult;
  fundPays: Fen;
  prepaid: Fen;
  /** fundPays − prepaid; negative = the institution pays back. */
  clearing: Fen;
  steps: TraceStep[];
}

export interface CapitationYearEnd {
  year: number;
  lines: CapitationYearEndLine[];
  totals: { total: Fen; fundSpending: Fen; referral: Fen; fundPays: Fen; prepaid: Fen; clearing: Fen };
  unattributed: UnattributedVisit[];
}

export function capitationBands(policy: CapitationPolicy): SharingBands {
  return { ...policy.sharing.value, source: policy.sharing.source };
}

export function settleCapitationYear(args: {
  year: number;
  policy: CapitationPolicy;
  /**
   * Year-end-mode heads of the capitation method, as units or as lines (`lines` of the evaluation: no unit made per
   * head); read once: they may stream.
   */
  results: Iterable<UnitResult | HeadLine>;
  prepayments: readonly CapitationPrepayment[];
  unattributed?: readonly UnattributedVisit[];
  /**
   * Referral fees (转诊费用) of the counted heads by institution (`CapitationHeadsEvaluation.referrals`), added to the
   * institution's fund spending; absent: none.
   */
  referrals?: ReadonlyMap<string, { amount: Fen; heads: number }>;
}): CapitationYearEnd {
  const { policy } = args;
  const bands = capitationBands(policy);
  type Acc = { heads: number; notCounted: number; unresolved: number; total: Fen; fundSpending: Fen };
  const acc = new Map<string, Acc>();
  const get = (code: string) => {
    const a = acc.get(code) ?? { heads: 0, notCounted: 0, unresolved: 0, total: 0, fundSpending: 0 };
    acc.set(code, a);
    return a;
  };
  for (const u of args.results) {
    if (u.method !== 'capitation') continue;
    const r = 'claim' in u ? headLineOf(u) : u;
    const a = get(r.institutionCode);
    if (r.status === 'paid') {
      a.heads++;
      a.total += r.amount;
      a.fundSpending += r.billed - r.patientPaid;
    } else if (r.status === 'excluded') {
      // Only capitated heads left out by the actual-heads rule (their last step is R-CAP-5); class-1 rows and
      // rows outside the year are not heads of this scheme at all.
      if (r.last?.rule === 'R-CAP-5') a.notCounted++;
    } else a.unresolved++;
  }
  const prepaidBy = new Map(args.prepayments.map((p) => [p.institutionCode, p.prepaidTotal]));
  for (const code of prepaidBy.keys()) get(code);
  for (const code of args.referrals?.keys() ?? []) get(code);
  const cliff = policy.overspendReading.value === 'cliff';

  const lines = [...acc.keys()].sort(byCode).map((code): CapitationYearEndLine => {
    const own = acc.get(code)!;
    const referred = args.referrals?.get(code);
    const referral = referred?.amount ?? 0;
    const a = { ...own, fundSpending: own.fundSpending + referral };
    const sharing = cliff
      ? shareWithCliff(a.total, a.fundSpending, bands)
      : shareDifference(a.total, a.fundSpending, bands);
    const prepaid = prepaidBy.get(code) ?? 0;
    const clearing = sharing.fundPays - prepaid;
    const steps = [
      step(
        'R-CAP-5',
        policy.yearEndHeads.source,
        `按实际就诊人头数定额清算：${a.heads} 个人头段计入年度总额`,
        `Total by actual heads: ${a.heads} head segments counted`,
        { notCounted: a.notCounted, unresolved: a.unresolved },
        yuan(a.total),
      ),
      step(
        'R-CAP-5',
        policy.sharing.source,
        '实际发生符合统筹基金支付范围的费用（审核后）',
        'Audited fund spending of the counted heads',
        { total: yuan(a.total) },
        yuan(own.fundSpending),
      ),
      ...(referred && referral > 0
        ? [
            step(
              'R-PAY-CAP',
              policy.referralFee.source,
              `转诊费用：${referred.heads} 个人头在其他机构就诊，统筹基金支付 ${yuan(referral)} 元由本机构承担，计入基金支出`,
              `Referral fees: ${referred.heads} heads’ visits at other institutions, fund-payable ${yuan(referral)}, charged to this institution’s fund spending`,
              { ownFundSpending: yuan(own.fundSpending), referral: yuan(referral) },
              yuan(a.fundSpending),
            ),
          ]
        : []),
      ...sharing.lines.map((l) =>
        step(
          'R-CAP-5',
          policy.sharing.source,
          sharing.surplus > 0
            ? `结余 ${yuan(l.from)}–${yuan(l.to)} 元段：机构留用 ${yuan(l.shared)} 元`
            : `超支 ${yuan(l.from)}–${yuan(l.to)} 元段：基金承担 ${yuan(l.shared)} 元，其余由机构承担`,
          sharing.surplus > 0
            ? `Surplus band ${yuan(l.from)}–${yuan(l.to)}: institution keeps ${yuan(l.shared)}`
            : `Overspend band ${yuan(l.from)}–${yuan(l.to)}: fund bears ${yuan(l.shared)}, the institution the rest`,
          { amount: yuan(l.amount), share: formatRatio(l.share, 4) },
          yuan(l.shared),
        ),
      ),
      step(
        'R-CAP-5',
        policy.sharing.source,
        '基金应付 = 总额 ± 分担结果',
        'Fund pays = total adjusted by the sharing bands',
        {
          surplus: yuan(sharing.surplus),
          overspend: yuan(sharing.overspend),
          fundRetains: yuan(sharing.fundRetains),
          institutionBears: yuan(sharing.institutionBears),
        },
        yuan(sharing.fundPays),
      ),
      step(
        'R-CAP-4',
        policy.prepayShare.source,
        '清算额 = 基金应付 − 已按月预付（负数为机构退回）',
        'Clearing = fund pays − monthly prepayments (negative: the institution pays back)',
        { fundPays: yuan(sharing.fundPays), prepaid: yuan(prepaid) },
        yuan(clearing),
      ),
    ];
    return { institutionCode: code, ...a, referral, sharing, fundPays: sharing.fundPays, prepaid, clearing, steps };
  });
  const sum = (f: (l: CapitationYearEndLine) => Fen) => lines.reduce((s, l) => s + f(l), 0);
  return {
    year: args.year,
    lines,
    totals: {
      total: sum((l) => l.total),
      fundSpending: sum((l) => l.fundSpending),
      referral: sum((l) => l.referral),
      fundPays: sum((l) => l.fundPays),
      prepaid: sum((l) => l.prepaid),
      clearing: sum((l) => l.clearing),
    },
    unattributed: [...(args.unattributed ?? [])],
  };
}

/**
 * The cliff reading of an overspend clause such as 四(六)3 ("超出总额 10% 及以上的，由定点医疗机构全部承担"): an
 * overspend below the last shared band's edge (total × its `upTo`) is shared by the bands; one at or above it is
 * the institution's alone, the first part included. A surplus is shared by the bands as always.
 */
export function shareWithCliff(target: Fen, actual: Fen, bands: SharingBands): SharingResult {
  const banded = shareDifference(target, actual, bands);
  if (banded.overspend === 0) return banded;
  const shared = bands.overspend.filter((b) => b.fundShare.num > 0n && b.upTo);
  const last = shared.at(-1);
  if (!last?.upTo) return banded;
  const edge = Number(divRound(BigInt(target) * last.upTo.num, last.upTo.den, 'half-up'));
  if (banded.overspend < edge) return banded;
  return {
    ...banded,
    lines: [{ from: 0, to: banded.overspend, amount: banded.overspend, share: ZERO, shared: 0 }],
    fundPays: target,
    institutionBears: banded.overspend,
  };
}

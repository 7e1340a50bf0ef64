/**
 * Fee line items priced by quantity (按项目计价) and split by catalog class (甲/乙/丙) and exclusions.
 * R-PAY-FFS, R-BEN-3.
 *
 * 资府办函〔2018〕52号 二(五): "对不宜打包付费的复杂病例和门诊费用，可按项目付费。……公共卫生费用、与疾病治疗无直接关系的
 * 体育健身或养生保健消费等，不得纳入医保支付范围。"
 *
 * Rounding: an item's amount is unit price (fen) × quantity (exact decimal text), rounded half-up to the fen once
 * per item; a class 乙 self-pay part is amount × share, rounded half-up per item. Everything else adds exactly.
 */
import type { FeeItem } from '../../model/case.ts';
import { type Fen, mulRatio, parseDecimal, type Ratio } from '../../model/money.ts';
import type { ResolvedValues } from '../../policy/kind.ts';
import type { ffsKind } from '../../policy/kinds/ffs.ts';

export type FfsPolicy = ResolvedValues<typeof ffsKind>;

/** Why an item is outside the fund's scope. */
export type ItemScope =
  | { kind: 'class-a' }
  | { kind: 'class-b'; selfPayShare: Ratio; source: string }
  | { kind: 'class-c' }
  | { kind: 'excluded'; reason: 'public-health' | 'wellness'; zh: string; en: string; source: string };

/** An exclusion's English name when the policy gives none (its `reason`, R-BEN-3). */
const EXCLUSION_EN: Readonly<Record<'public-health' | 'wellness', string>> = {
  'public-health': 'public health services',
  wellness: 'fitness and wellness spending',
};

export interface PricedItem {
  item: FeeItem;
  /** unit price × quantity, half-up to the fen. */
  amount: Fen;
  /** The item's own `amount` differs from price × quantity (shown, not trusted). */
  listedDiffers: boolean;
  scope: ItemScope;
  /** Paid by the patient outside the fund's scope (自费: 丙类 and exclusions). */
  ownPay: Fen;
  /** 乙类先行自付. */
  selfPay: Fen;
  /** 政策范围内费用: amount − ownPay − selfPay. */
  inScope: Fen;
}

/** unit price × quantity (decimal text), half-up to the fen. */
export function priceItem(item: FeeItem): Fen {
  const q = parseDecimal(item.quantity);
  if (q.num < 0n) throw new RangeError(`item ${item.itemCode} of ${item.setlId}: negative quantity ${item.quantity}`);
  return mulRatio(item.unitPrice, q, 'half-up');
}

function startsWithAny(code: string, prefixes: readonly string[]): boolean {
  return prefixes.some((p) => code.startsWith(p));
}

/**
 * Which exclusion (if any), then which catalog rule, applies to an item. Exclusions come first (R-BEN-3). Any
 * matching exclusion makes the item own-pay, so when two match, the policy's list order (its stated precedence)
 * only decides which reason is shown.
 */
export function scopeOf(item: FeeItem, policy: FfsPolicy): ItemScope {
  for (const ex of policy.exclusions.value) {
    const byCode = startsWithAny(item.itemCode, ex.itemCodePrefixes);
    const byCategory = item.chargeCategory !== undefined && ex.chargeCategories.includes(item.chargeCategory);
    if (byCode || byCategory)
      return {
        kind: 'excluded',
        reason: ex.reason,
        zh: ex.zh,
        en: ex.en ?? EXCLUSION_EN[ex.reason],
        source: policy.exclusions.source,
      };
  }
  switch (item.catalogClass) {
    case 'A':
      return { kind: 'class-a' };
    case 'C':
      return { kind: 'class-c' };
    case 'B': {
      // The longest matching prefix wins, so a specific override beats a general one without depending on order.
      let best: { itemCodePrefix: string; share: Ratio } | undefined;
      for (const o of policy.classBSelfPayOverrides.value) {
        if (
          item.itemCode.startsWith(o.itemCodePrefix) &&
          (!best || o.itemCodePrefix.length > best.itemCodePrefix.length)
        )
          best = o;
      }
      return best
        ? { kind: 'class-b', selfPayShare: best.share, source: policy.classBSelfPayOverrides.source }
        : { kind: 'class-b', selfPayShare: policy.classBSelfPayShare.value, source: policy.classBSelfPayShare.source };
    }
  }
}

export function priceItems(items: readonly FeeItem[], policy: FfsPolicy): PricedItem[] {
  return items.map((item) => {
    const amount = priceItem(item);
    const scope = scopeOf(item, policy);
    const ownPay = scope.kind === 'class-c' || scope.kind === 'excluded' ? amount : 0;
    const selfPay = scope.kind === 'class-b' ? mulRatio(amount, scope.selfPayShare, 'half-up') : 0;
    return {
      item,
      amount,
      listedDiffers: item.amount !== amount,
      scope,
      ownPay,
      selfPay,
      inScope: amount - ownPay - selfPay,
    };
  });
}

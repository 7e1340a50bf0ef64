/** Turn a resolved `drg` policy into the pricing parameters of `priceDrgCase`. */

import type { ResolvedValues } from '../../policy/kind.ts';
import type { drgKind } from '../../policy/kinds/drg.ts';
import type { DrgPricing } from './price.ts';

export function pricingFromPolicy(v: ResolvedValues<typeof drgKind>): DrgPricing {
  const given = v.baseRate.value !== 'budget' ? v.baseRate.value : undefined;
  const mode = v.method.value === 'base-rate' && given ? 'amount' : 'points';
  return {
    mode,
    ...(given ? { baseRate: given } : {}),
    pointsPerRw: v.pointsPerRw.value,
    levelCoefficients: v.levelCoefficients.value,
    lowRatio: v.lowOutlier.value.ratio,
    highTiers: v.highOutlier.value.tiers,
    highVariant: v.highOutlier.value.variant,
    excessRate: v.highOutlier.value.excessRate,
    ungrouped: v.ungrouped.value,
    itemsInPointPool: v.itemsInPointPool.value,
    excessInPointPool: v.excessInPointPool.value,
    sources: {
      // A base rate derived from the budget is paid as points (费率 = 预算 ÷ 总权重): the points basis cites the
      // method and the base-rate clause, not the method's "支付标准 = RW × 费率" alone (walk3 #8's own region).
      method: v.method.value === 'base-rate' && !given ? `${v.method.source}; ${v.baseRate.source}` : v.method.source,
      baseRate: v.baseRate.source,
      level: v.levelCoefficients.source,
      low: v.lowOutlier.source,
      high: v.highOutlier.source,
      ungrouped: v.ungrouped.source,
    },
  };
}

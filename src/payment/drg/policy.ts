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
    sources: {
      method: v.method.source,
      baseRate: v.baseRate.source,
      level: v.levelCoefficients.source,
      low: v.lowOutlier.source,
      high: v.highOutlier.source,
      ungrouped: v.ungrouped.source,
    },
  };
}

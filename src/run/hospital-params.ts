/**
 * Hospital parameters taken from the agency's own run of a year (DIP or DRG): the same catalog or weights, rules and
 * coefficients, and the run's year-end point value as the published one. The demo uses this to show one hospital
 * its year as it would compute it itself; reconciliation against a stored run starts from the same parameters.
 */

import type { DrgKernel } from '../grouping/drg/index.ts';
import type { HospitalParams } from '../hospital/types.ts';
import type { Institution } from '../model/institution.ts';
import type { DrgPricing } from '../payment/drg/index.ts';
import type { PoolSettlement } from '../settlement/settle.ts';
import type { DipRunResult } from './dip-pool.ts';
import type { DrgRunResult } from './drg-pool.ts';

const common = (institutions: readonly Institution[], s: PoolSettlement) => ({
  institutions: new Map(institutions.map((i) => [i.code, i] as const)),
  fundPaymentRatio: { value: s.fundPaymentRatio, source: `${s.poolId} 基金支付比例 / fund payment ratio` },
  prompts: {},
  source: { id: s.poolId, version: '', title: s.poolId },
});

export function hospitalParamsFromDipRun(
  run: Pick<DipRunResult, 'settlement' | 'engine'>,
  institutions: readonly Institution[],
): HospitalParams {
  const s = run.settlement;
  return {
    ...common(institutions, s),
    pricing: {
      method: 'dip',
      engine: run.engine,
      pointValue: {
        value: s.pointValue.pointValue,
        basis: 'published',
        source: `${s.poolId} 年度点值 / year-end point value`,
      },
    },
  };
}

export function hospitalParamsFromDrgRun(
  kernel: DrgKernel,
  run: Pick<DrgRunResult, 'settlement' | 'weights'>,
  pricing: DrgPricing,
  institutions: readonly Institution[],
): HospitalParams {
  const s = run.settlement;
  return {
    ...common(institutions, s),
    pricing: {
      method: 'drg',
      kernel,
      table: run.weights,
      pricing,
      pointValue:
        pricing.mode === 'points'
          ? {
              value: s.pointValue.pointValue,
              basis: 'published',
              source: `${s.poolId} 年度点值 / year-end point value`,
            }
          : null,
    },
  };
}

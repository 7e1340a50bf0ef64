/** CHS-DRG payment as a `PaymentMethod` (R-PAY-DRG): grouped cases → UnitResults for the shared settlement layer. */
import { byUnitId, type PaymentMethod } from '../../model/unit-result.ts';
import { type DrgPricing, priceDrgCase, priceDrgUnit } from './price.ts';
import type { DrgCase, DrgWeightTable } from './types.ts';

export interface DrgMethodContext {
  table: DrgWeightTable;
  pricing: DrgPricing;
  /**
   * false: each unit carries only its basis step (what a run stores); the full trace is recomputed on demand by
   * `priceDrgCase`. Default true.
   */
  explain?: boolean;
}

export const drgMethod: PaymentMethod<DrgCase, DrgMethodContext> = {
  id: 'drg',
  zh: 'DRG 付费',
  en: 'CHS-DRG payment',
  evaluate: (cases, ctx) =>
    cases.map((c) => (ctx.explain === false ? priceDrgUnit : priceDrgCase)(c, ctx.table, ctx.pricing)).sort(byUnitId),
};

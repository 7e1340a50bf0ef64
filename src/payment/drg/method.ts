/** CHS-DRG payment as a `PaymentMethod` (R-PAY-DRG): grouped cases → UnitResults for the shared settlement layer. */
import { byUnitId, type PaymentMethod } from '../../model/unit-result.ts';
import { type DrgPricing, priceDrgCase } from './price.ts';
import type { DrgCase, DrgWeightTable } from './types.ts';

export interface DrgMethodContext {
  table: DrgWeightTable;
  pricing: DrgPricing;
}

export const drgMethod: PaymentMethod<DrgCase, DrgMethodContext> = {
  id: 'drg',
  zh: 'DRG 付费',
  en: 'CHS-DRG payment',
  evaluate: (cases, ctx) => cases.map((c) => priceDrgCase(c, ctx.table, ctx.pricing)).sort(byUnitId),
};

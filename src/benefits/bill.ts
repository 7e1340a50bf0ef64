/**
 * A bill's scope from priced fee items (src/payment/ffs/items.ts): the exclusions of R-BEN-3 and the catalog
 * classes are the fee-for-service policy's, so the patient side and the FFS payment read the same rules.
 */
import type { PricedItem } from '../payment/ffs/items.ts';
import type { BillScope } from './types.ts';

export function billScopeFromItems(items: readonly PricedItem[]): BillScope {
  let total = 0;
  let ownPay = 0;
  let classBSelfPay = 0;
  let inScope = 0;
  const excluded = new Map<string, { reason: string; zh: string; amount: number; source: string }>();
  for (const p of items) {
    total += p.amount;
    ownPay += p.ownPay;
    classBSelfPay += p.selfPay;
    inScope += p.inScope;
    if (p.scope.kind === 'excluded') {
      const e = excluded.get(p.scope.reason);
      if (e) e.amount += p.ownPay;
      else
        excluded.set(p.scope.reason, {
          reason: p.scope.reason,
          zh: p.scope.zh,
          amount: p.ownPay,
          source: p.scope.source,
        });
    }
  }
  return { total, ownPay, excluded: [...excluded.values()], classBSelfPay, inScope };
}

/**
 * Fee-for-service pricing of a year's fee line items (按项目付费, R-PAY-FFS, R-BEN-3): every settlement with fee
 * items is priced item by item (unit price × quantity), split by catalog class (甲/乙/丙) and cleared of excluded
 * services. In the compound system this is the item billing that DIP/DRG payments are compared with, and the
 * payment itself for services no other method bundles.
 */
import type { FeeItem } from '../model/case.ts';
import type { UnitResult } from '../model/unit-result.ts';
import { pushTo } from '../payment/common/index-by.ts';
import { ffsMethod } from '../payment/ffs/index.ts';
import { ffsKind } from '../policy/kinds/ffs.ts';
import type { PolicySet } from '../policy/registry.ts';
import type { Store } from '../store/store.ts';

export interface FfsYear {
  policy: string;
  settlements: number;
  items: number;
  billed: number;
  patientPaid: number;
  /** Settlements whose every item is excluded from the fund (R-BEN-3). */
  excludedSettlements: number;
  /** Σ (listed line amount − price × quantity) ≠ 0: lines where the hospital's amount differs from our pricing. */
  listedDiffers: number;
  units: UnitResult[];
}

export async function runFfsYear(
  store: Store,
  o: {
    region: string;
    year: number;
    policies: PolicySet;
  },
): Promise<FfsYear> {
  const policy = o.policies.resolveYear(ffsKind, o.region, o.year);
  const where = new Map<string, { institution: string; date: string }>();
  // Where and when each settlement of the year was made (its cases stream by; only these two strings are kept).
  for await (const batch of store.iterateCases({ year: o.year }, 50_000)) {
    for (const c of batch) where.set(c.setlId, { institution: c.institutionCode, date: c.dischargeTime.slice(0, 10) });
  }
  const bySetl = new Map<string, FeeItem[]>();
  let items = 0;
  for await (const batch of store.iterateFeeItems({ year: o.year }, 100_000)) {
    for (const item of batch) {
      items++;
      pushTo(bySetl, item.setlId, item);
    }
  }
  const settlements = [...bySetl]
    .filter(([id]) => where.has(id))
    .map(([setlId, list]) => ({
      setlId,
      institutionCode: where.get(setlId)!.institution,
      date: where.get(setlId)!.date,
      items: list,
    }));
  const units = ffsMethod.evaluate(settlements, { policy: policy.values });
  let listedDiffers = 0;
  for (const u of units) listedDiffers += Number(u.explanation[0]?.values?.listedAmountDiffers ?? 0);
  return {
    policy: policy.id,
    settlements: units.length,
    items,
    billed: units.reduce((s, u) => s + u.billed, 0),
    patientPaid: units.reduce((s, u) => s + u.patientPaid, 0),
    excludedSettlements: units.filter((u) => u.status === 'excluded').length,
    listedDiffers,
    units,
  };
}

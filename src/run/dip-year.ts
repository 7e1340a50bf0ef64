/**
 * A DIP year read from the store (the imperative shell around `runDip`): policies from a directory, cases of the
 * history years and the current year, institutions, the procedure types of the store's ICD-9-CM-3 list, and —
 * when the region has a `per-diem` policy — the per-bed-day units in the same point pool (R-DIP-4).
 * Used by `yibao dip settle`, and by `yibao demo` / `yibao explain` to get a `DipRunResult`.
 *
 * 002 四(二): "对于精神类、康复类及安宁疗护等住院时间较长的病例使用床日付费，并确定分值".
 */

import type { Catalog } from '../grouping/dip/index.ts';
import type { InpatientCase } from '../model/case.ts';
import type { MethodId, UnitResult } from '../model/unit-result.ts';
import { matchCategory, perDiemMethod, rateAccumulator } from '../payment/per-diem/index.ts';
import { dipKind } from '../policy/kinds/dip.ts';
import { dipSettlementKind } from '../policy/kinds/dip-settlement.ts';
import { POLICY_KINDS } from '../policy/kinds/index.ts';
import { perDiemKind } from '../policy/kinds/per-diem.ts';
import { loadPolicyDir, type PolicySet, policiesDir } from '../policy/registry.ts';
import type { Store } from '../store/store.ts';
import { type DipRunResult, dipHistoryReducer, runDip } from './dip-pool.ts';
import { procedureClassifier } from './procedure-classifier.ts';

export interface DipStoreOptions {
  region: string;
  year: number;
  /** Directory of policy files (default "policies"), or an already loaded set. */
  policies?: string | PolicySet;
  /** An imported catalog instead of calibrating. */
  catalog?: Catalog;
  /** Include per-bed-day units when the region has a per-diem policy (default true). */
  perDiem?: boolean;
}

export interface DipStoreRun {
  run: DipRunResult;
  policies: { dip: string; settlement: string; perDiem?: string };
  counts: { history: number; current: number; perDiem: number };
}

async function readYear(store: Store, year: number): Promise<InpatientCase[]> {
  const out: InpatientCase[] = [];
  for await (const batch of store.iterateCases({ year }, 50_000)) for (const c of batch) out.push(c);
  return out;
}

export async function runDipFromStore(store: Store, o: DipStoreOptions): Promise<DipStoreRun> {
  const set = typeof o.policies === 'object' ? o.policies : loadPolicyDir(policiesDir(o.policies), POLICY_KINDS);
  const dip = set.resolveYear(dipKind, o.region, o.year);
  const settlement = set.resolveYear(dipSettlementKind, o.region, o.year);
  const institutions = await store.readInstitutions();
  const classify = await procedureClassifier(store);
  const hasPerDiem = set.files.some((f) => f.kind === 'per-diem' && f.region === o.region);
  const pd = hasPerDiem ? set.resolveYear(perDiemKind, o.region, o.year) : undefined;
  // Per-bed-day history stays out of DIP calibration (the same cases as `settle` keeps out), even when the
  // per-bed-day units themselves are not asked for.
  const instByCode = new Map(institutions.map((i) => [i.code, i] as const));
  const isPerDiem = pd
    ? (c: InpatientCase) =>
        matchCategory(c, instByCode.get(c.institutionCode), pd.values.categories.value).kind === 'match'
    : undefined;
  const wantUnits = o.perDiem !== false && pd !== undefined && pd.values.settleAs.value === 'points';
  const rates = wantUnits ? rateAccumulator(pd.values, institutions) : undefined;
  const reducer = dipHistoryReducer({
    region: o.region,
    year: o.year,
    institutions,
    dip: { policy: dip.values, id: dip.id, version: dip.version },
    classify,
    ...(o.catalog ? { catalog: o.catalog } : {}),
  });
  for (const y of dip.values.historyYears.value.years) {
    for await (const batch of store.iterateCases({ year: y }, 50_000)) {
      reducer.add(batch, isPerDiem);
      rates?.add(batch);
    }
  }
  const history = reducer.finish();
  const current = await readYear(store, o.year);
  let extraUnits: UnitResult[] | undefined;
  let paidByOtherMethod: Map<string, MethodId> | undefined;
  if (rates && pd) {
    const units = perDiemMethod.evaluate(current, { policy: pd.values, institutions, rates: rates.finish().table });
    extraUnits = units.filter((u) => u.status !== 'excluded');
    paidByOtherMethod = new Map(extraUnits.map((u) => [u.unitId, 'per-diem' as const]));
  }
  const run = runDip({
    region: o.region,
    year: o.year,
    history,
    current,
    institutions,
    dip: { policy: dip.values, id: dip.id, version: dip.version },
    settlement: settlement.values,
    classify,
    ...(o.catalog ? { catalog: o.catalog } : {}),
    ...(extraUnits ? { extraUnits, paidByOtherMethod: paidByOtherMethod! } : {}),
  });
  return {
    run,
    policies: { dip: dip.id, settlement: settlement.id, ...(o.perDiem !== false && pd ? { perDiem: pd.id } : {}) },
    counts: { history: history.cases, current: current.length, perDiem: extraUnits?.length ?? 0 },
  };
}

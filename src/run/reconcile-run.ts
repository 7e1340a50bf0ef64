import type { DrgKernel } from '../grouping/drg/index.ts';
import type { AgencyAmounts, AgencyCase, AuditDeduction, HospitalViewCase } from '../hospital/reconcile.ts';
import { type CasePaths, groupingPaths } from '../hospital/reconcile-paths.ts';
import type { HospitalParams } from '../hospital/types.ts';
import { type DrgWeight, type DrgWeightTable, pricingFromPolicy } from '../payment/drg/index.ts';
import { dipKind } from '../policy/kinds/dip.ts';
import { drgKind } from '../policy/kinds/drg.ts';
import { valueOfPoints } from '../settlement/value.ts';
import type { RunResultsReader } from '../store/settlement-runs.ts';
import type { Store } from '../store/store.ts';
import { dipEngineOfRun } from './dip-engine-of-run.ts';
import { snapshotPolicies } from './explain-run.ts';
import { METHODS } from './methods.ts';
import { caseAmountRoundings, fromJson, ratioOf } from './results.ts';

/**
 * The cases a hospital reconciles: every unit of the methods settled in the inpatient point pool (DIP or DRG and the
 * carve-outs per-bed-day and single-disease), whose 病例结算金额 add up to the institution's 点数金额+定额; not the
 * capitation heads, nor item billing kept for reference.
 */
const CASE_METHODS = new Set(METHODS.filter((m) => m.pool === 'inpatient').map((m) => m.id as string));

export async function agencySideOfRun(
  reader: RunResultsReader,
  institution?: string,
): Promise<{ cases: AgencyCase[]; deductions: AuditDeduction[]; amounts: AgencyAmounts }> {
  const pools = await reader.pools();
  const pointValue = new Map(pools.map((p) => [p.poolId, ratioOf(p.pointValue)] as const));
  const cases: AgencyCase[] = [];
  const casePools = new Set<string>();
  let stored = 0;
  for await (const batch of reader.units(institution !== undefined ? { institution } : {})) {
    for (const u of batch) {
      if (!CASE_METHODS.has(u.method)) continue;
      casePools.add(u.poolId);
      const pv = pointValue.get(u.poolId);
      const c: AgencyCase = {
        setlId: u.unitId,
        method: u.method,
        institution: u.institution,
        month: u.month,
        group: u.group,
        status: u.status,
        points: u.points,
        amount: 0,
      };
      if (u.settledFen !== null && u.settledFen !== undefined) {
        stored++;
        c.amount = u.settledFen;
        // A points unit may hold a fixed amount beside its points (a DRG high-cost excess as money): both count.
        const fixed = u.amountFen ?? 0;
        if (u.points !== null && pv)
          c.perCase = {
            down: valueOfPoints(u.points, pv, 'floor') + fixed,
            up: valueOfPoints(u.points, pv, 'ceil') + fixed,
          };
      } else c.amount = (u.points !== null && pv ? valueOfPoints(u.points, pv) : 0) + (u.amountFen ?? 0);
      cases.push(c);
    }
  }
  // The run says how it split (a derived record per pool); a run without it was stored before amounts were kept.
  const rounding = await caseAmountRoundings(reader);
  const applied = [...casePools].map((p) => rounding.get(p)?.value);
  const amounts: AgencyAmounts =
    stored > 0
      ? 'stored'
      : applied.includes('none')
        ? 'not-split'
        : applied.includes(undefined)
          ? 'not-stored'
          : 'stored';
  const deductions: AuditDeduction[] = [];
  for (const poolId of casePools) {
    for (const m of await reader.institutionMonths(poolId, institution)) {
      if (m.deductionsFen !== 0)
        deductions.push({ institution: m.institution, month: m.month, deductions: m.deductionsFen });
    }
  }
  return { cases, deductions, amounts };
}

/**
 * The institution the run settled each of `setlIds` for (those of its case methods; ids not in the run are absent):
 * what a hospital's view without an institution column is matched to. Streams the run's units without their traces.
 */
export async function institutionsOfCases(
  reader: RunResultsReader,
  setlIds: readonly string[],
): Promise<Map<string, string>> {
  const wanted = new Set(setlIds);
  const found = new Map<string, string>();
  for await (const batch of reader.units({ trace: false }))
    for (const u of batch) if (CASE_METHODS.has(u.method) && wanted.has(u.unitId)) found.set(u.unitId, u.institution);
  return found;
}

/**
 * The parameters the run grouped and priced its cases with, rebuilt from the run's own policy snapshot and what it
 * derived (as `explain case` does): DIP — the stored catalog and reference point value; DRG — the stored weights
 * with the pack `kernel` (a DRG run without a kernel has none: undefined). The run's year-end point value stands as
 * the published one.
 */
export async function runHospitalParams(
  store: Store,
  reader: RunResultsReader,
  kernel?: () => Promise<DrgKernel>,
): Promise<HospitalParams | undefined> {
  const record = await reader.record();
  const pool = (await reader.pools())[0];
  if (!pool) return undefined;
  const policies = snapshotPolicies(await reader.policies());
  const date = `${record.year}-01-01`;
  const institutions = await store.readInstitutions();
  const pointValue = { value: ratioOf(pool.pointValue), basis: 'published' as const, source: record.id };
  const common = {
    institutions: new Map(institutions.map((i) => [i.code, i] as const)),
    prompts: {},
    source: { id: record.id, version: '', title: record.id },
  };
  if (record.caseMethod === 'dip') {
    const dip = policies.resolve(dipKind, record.region, date);
    const engine = await dipEngineOfRun(store, reader, dip.values, institutions);
    if (!engine) return undefined;
    return { ...common, pricing: { method: 'dip', engine, pointValue } };
  }
  if (record.caseMethod === 'drg' && kernel) {
    const [w] = await reader.derived('drg-weights');
    if (!w) return undefined;
    const stored = fromJson<{ source: string; overallMean: number; weights: [string, DrgWeight][] }>(w.content);
    const table: DrgWeightTable = {
      source: stored.source,
      overallMean: stored.overallMean,
      weights: new Map(stored.weights),
    };
    const pricing = pricingFromPolicy(policies.resolve(drgKind, record.region, date).values);
    return {
      ...common,
      pricing: {
        method: 'drg',
        kernel: await kernel(),
        table,
        pricing,
        pointValue: pricing.mode === 'points' ? pointValue : null,
      },
    };
  }
  return undefined;
}

/**
 * Both grouping paths of each case whose group differs: the agency's on its settlement list in the store, the
 * hospital's on the same list with the view's coding (when the view gives it), grouped by the run's parameters.
 * Empty when the run's parameters cannot be rebuilt (a DRG run without its pack).
 */
export async function reconcilePaths(
  store: Store,
  reader: RunResultsReader,
  view: readonly HospitalViewCase[],
  setlIds: readonly string[],
  kernel?: () => Promise<DrgKernel>,
): Promise<Map<string, CasePaths>> {
  if (setlIds.length === 0) return new Map();
  const params = await runHospitalParams(store, reader, kernel);
  if (!params) return new Map();
  const coding = new Map(view.map((v) => [v.setlId, v.coding ?? null] as const));
  return groupingPaths(await store.readCases(setlIds), params, (id) => coding.get(id));
}

/**
 * The agency's side of a reconciliation, read from a stored run (store.runResults(id)): every case unit of the
 * run's inpatient pool(s) with its group, status and points or amount, valued at its pool's year-end point value
 * (the value the run settled with), and the run's audit deductions by institution and month
 * (run_institution_months). Only case methods (DIP, DRG) are read; heads (capitation) are not cases.
 */
import type { Catalog } from '../grouping/dip/catalog.ts';
import { DipEngine } from '../payment/dip/engine.ts';
import { dipKind } from '../policy/kinds/dip.ts';
import { snapshotPolicies } from '../run/explain-run.ts';
import { procedureClassifier } from '../run/procedure-classifier.ts';
import { fromJson, type RatioText, ratioOf } from '../run/results.ts';
import { valueOfPoints } from '../settlement/value.ts';
import type { RunResultsReader } from '../store/settlement-runs.ts';
import type { Store } from '../store/store.ts';
import { estimateCase } from './estimate.ts';
import type { AgencyCase, AuditDeduction } from './reconcile.ts';
import type { HospitalParams, PathStep } from './types.ts';

const CASE_METHODS = new Set(['dip', 'drg']);

export async function agencySideOfRun(
  reader: RunResultsReader,
  institution?: string,
): Promise<{ cases: AgencyCase[]; deductions: AuditDeduction[] }> {
  const pools = await reader.pools();
  const pointValue = new Map(pools.map((p) => [p.poolId, ratioOf(p.pointValue)] as const));
  const cases: AgencyCase[] = [];
  const casePools = new Set<string>();
  for await (const batch of reader.units(institution !== undefined ? { institution } : {})) {
    for (const u of batch) {
      if (!CASE_METHODS.has(u.method)) continue;
      casePools.add(u.poolId);
      const pv = pointValue.get(u.poolId);
      const amount = u.points !== null ? (pv ? valueOfPoints(u.points, pv) : 0) : (u.amountFen ?? 0);
      cases.push({
        setlId: u.unitId,
        institution: u.institution,
        month: u.month,
        group: u.group,
        status: u.status,
        points: u.points,
        amount,
      });
    }
  }
  const deductions: AuditDeduction[] = [];
  for (const poolId of casePools) {
    for (const m of await reader.institutionMonths(poolId, institution)) {
      if (m.deductionsFen !== 0)
        deductions.push({ institution: m.institution, month: m.month, deductions: m.deductionsFen });
    }
  }
  return { cases, deductions };
}

/**
 * The agency's grouping path of each DIP case whose group differs, recomputed from the run's own policy snapshot
 * and stored catalog (as `explain case` does) on the agency's settlement list in the store; `firstParting` then
 * names the step that decided the agency's group. DRG runs (which need the pack) give no path here.
 */
export async function agencyDipPaths(
  store: Store,
  reader: RunResultsReader,
  setlIds: readonly string[],
): Promise<Map<string, PathStep[]>> {
  const paths = new Map<string, PathStep[]>();
  if (setlIds.length === 0) return paths;
  const record = await reader.record();
  if (record.caseMethod !== 'dip') return paths;
  const [cat] = await reader.derived('dip-catalog');
  const [ref] = await reader.derived('dip-reference-point-value');
  const pool = (await reader.pools())[0];
  if (!cat || !pool) return paths;
  const dip = snapshotPolicies(await reader.policies()).resolve(dipKind, record.region, `${record.year}-01-01`);
  const institutions = await store.readInstitutions();
  const engine = new DipEngine({
    catalog: fromJson<Catalog>(cat.content),
    policy: dip.values,
    institutions,
    ...(ref ? { referencePointValue: ratioOf(fromJson<RatioText>(ref.content)) } : {}),
    classify: await procedureClassifier(store),
  });
  const params: HospitalParams = {
    pricing: {
      method: 'dip',
      engine,
      pointValue: { value: ratioOf(pool.pointValue), basis: 'published', source: `${record.id}` },
    },
    institutions: new Map(institutions.map((i) => [i.code, i] as const)),
    prompts: {},
    source: { id: record.id, version: '', title: record.id },
  };
  for (const c of await store.readCases(setlIds)) paths.set(c.setlId, estimateCase(c, params).path);
  return paths;
}

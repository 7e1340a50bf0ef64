/**
 * The agency's side of a reconciliation, read from a stored run (store.runResults(id)): every case unit of the
 * run's inpatient pool(s) with its group, status and points or amount, valued at its pool's year-end point value
 * (the value the run settled with), and the run's audit deductions by institution and month
 * (run_institution_months). Only case methods (DIP, DRG) are read; heads (capitation) are not cases.
 */
import { ratioOf } from '../run/results.ts';
import { valueOfPoints } from '../settlement/value.ts';
import type { RunResultsReader } from '../store/settlement-runs.ts';
import type { AgencyCase, AuditDeduction } from './reconcile.ts';

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

/**
 * One unit's explanation for the API, from a stored run (run/explain-run.ts): the trace the run kept (per-bed-day,
 * single-disease), or the case's steps recomputed for that one case from the run's own policy snapshot and what
 * it derived (DIP catalog, DRG weights), checked against the stored claim. Today's policy files that differ from
 * the run's snapshot are named (`policyChanges`).
 */
import type { DrgKernel } from '../grouping/drg/index.ts';
import { openSchemeKernel } from '../run/drg-scheme.ts';
import { explainRunCase, type RunExplanation } from '../run/explain-run.ts';
import type { SettlementRunRecord } from '../store/settlement-runs.ts';
import type { ApiDb } from './db.ts';

export type UnitExplainer = (run: SettlementRunRecord, unitId: string) => Promise<RunExplanation | null>;

/**
 * Explains units of stored runs. A DRG unit is regrouped by the scheme of its run's policy snapshot (or `pack`
 * when given); each scheme's kernel is opened once, on demand.
 */
export function runExplainer(db: ApiDb, pack?: string): UnitExplainer {
  const kernels = new Map<string, Promise<DrgKernel>>();
  const openKernel = (scheme: string) => {
    const name = pack ?? scheme;
    let kernel = kernels.get(name);
    if (!kernel) {
      kernel = openSchemeKernel(name);
      kernels.set(name, kernel);
    }
    return kernel;
  };
  return (run, unitId) =>
    db.use(async (store) => (await explainRunCase(store, store.runResults(run.id), run, unitId, openKernel)) ?? null);
}

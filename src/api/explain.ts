/**
 * One unit's explanation for the API, from a stored run (run/explain-run.ts): the case's steps recomputed for that
 * one case from the run's own policy snapshot and what it derived (DIP catalog, DRG weights, per-bed-day rates,
 * single-disease standards), checked against the stored claim; or the trace a run stored before kept (per-bed-day,
 * single-disease). Today's policy files that differ from the run's snapshot are named (`policyChanges`).
 */
import type { DrgKernel } from '../grouping/drg/index.ts';
import { openSchemeKernel } from '../run/drg-scheme.ts';
import { explainRunCase, type RunExplanation } from '../run/explain-run.ts';
import type { SettlementRunRecord } from '../store/settlement-runs.ts';
import type { ApiDb } from './db.ts';

export type UnitExplainer = (run: SettlementRunRecord, unitId: string) => Promise<RunExplanation | null>;

/**
 * Opens CHS-DRG kernels on demand, once per scheme: the scheme each run recorded, or `pack` (the server's `--pack`)
 * for every run when given.
 */
export function kernelOpener(pack?: string): (scheme: string) => Promise<DrgKernel> {
  const kernels = new Map<string, Promise<DrgKernel>>();
  return (scheme) => {
    const name = pack ?? scheme;
    let kernel = kernels.get(name);
    if (!kernel) {
      kernel = openSchemeKernel(name);
      kernels.set(name, kernel);
      kernel.catch(() => kernels.delete(name));
    }
    return kernel;
  };
}

/** Explains units of stored runs; a DRG unit is regrouped by its run's scheme through `openKernel`. */
export function runExplainer(db: ApiDb, openKernel: (scheme: string) => Promise<DrgKernel>): UnitExplainer {
  return (run, unitId) =>
    db.use(async (store) => (await explainRunCase(store, store.runResults(run.id), run, unitId, openKernel)) ?? null);
}

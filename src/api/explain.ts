/**
 * One unit's explanation for the API, from a stored run (run/explain-run.ts): the trace the run kept (per-bed-day,
 * single-disease), or the case's steps recomputed for that one case from the run's own policy snapshot and what
 * it derived (DIP catalog, DRG weights), checked against the stored claim. Today's policy files that differ from
 * the run's snapshot are named (`policyChanges`).
 */
import type { DrgKernel } from '../grouping/drg/index.ts';
import { demoKernel } from '../run/demo.ts';
import { explainRunCase, type RunExplanation } from '../run/explain-run.ts';
import type { SettlementRunRecord } from '../store/settlement-runs.ts';
import type { ApiDb } from './db.ts';

export type UnitExplainer = (run: SettlementRunRecord, unitId: string) => Promise<RunExplanation | null>;

/** The DRG pack (default: the demo's scheme beside the project), opened once, on demand. */
export function kernelOpener(pack?: string): () => Promise<DrgKernel> {
  let kernel: Promise<DrgKernel> | undefined;
  return () => {
    kernel ??= demoKernel(pack);
    kernel.catch(() => {
      kernel = undefined;
    });
    return kernel;
  };
}

/** Explains units of stored runs; DRG cases through the pack of `openKernel`. */
export function runExplainer(db: ApiDb, openKernel: () => Promise<DrgKernel>): UnitExplainer {
  return (run, unitId) =>
    db.use(async (store) => (await explainRunCase(store, store.runResults(run.id), run, unitId, openKernel)) ?? null);
}

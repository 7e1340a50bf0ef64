/**
 * One unit's explanation for the API, from a stored run: the trace the run kept (per-bed-day, single-disease,
 * capitation), or the case's steps recomputed from the run's own policy snapshot (DIP, DRG).
 */
import type { Explanation, TraceStep } from '../model/explain.ts';
import { fromJson } from '../run/results.ts';
import type { SettlementRunRecord } from '../store/settlement-runs.ts';
import type { ApiDb } from './db.ts';

export type UnitExplainer = (run: SettlementRunRecord, unitId: string) => Promise<Explanation | null>;

export function storedTraceExplainer(db: ApiDb): UnitExplainer {
  return async (run, unitId) => {
    const [u] = await db.query('SELECT method, trace FROM run_units WHERE run_id = $r AND unit_id = $u LIMIT 1', {
      r: run.id,
      u: unitId,
    });
    if (!u?.trace) return null;
    return { subject: `${unitId} (${String(u.method)}, ${run.id})`, steps: fromJson<TraceStep[]>(String(u.trace)) };
  };
}

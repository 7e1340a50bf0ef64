/** The API's settlement runs by id, read once per server and re-read only when a job of the server stores a run. */
import type { SettlementRunRecord } from '../store/settlement-runs.ts';

/**
 * Settlement runs by id, what-if runs too ("latest": the most recent issued run). The list is read once and kept:
 * the server holds its store for writing, so the only runs that appear while it serves are those its own jobs store,
 * and a job drops the list when it has stored its run (`invalidate`). Estimates ask on every request, so no request
 * waits on a periodic re-read (a re-read every two seconds held the store's queue for 5-7 ms and showed in the p99).
 */
export function runFinder(list: () => Promise<SettlementRunRecord[]>): {
  find: (runId: string) => Promise<SettlementRunRecord | undefined>;
  invalidate: () => void;
} {
  let cached: Promise<SettlementRunRecord[]> | undefined;
  let byId = new Map<string, SettlementRunRecord>();
  let latest: SettlementRunRecord | undefined;
  let ready = false;
  const load = () => {
    ready = false;
    const p = list().then((runs) => {
      if (cached === p) {
        byId = new Map(runs.map((r) => [r.id, r] as const));
        latest = runs.find((r) => r.kind !== 'what-if');
        ready = true;
      }
      return runs;
    });
    p.catch(() => {
      if (cached === p) cached = undefined;
    });
    cached = p;
    return p;
  };
  const pick = (runId: string) => (runId === 'latest' ? latest : byId.get(runId));
  return {
    find: async (runId) => {
      if (ready) return pick(runId);
      await (cached ?? load());
      return pick(runId);
    },
    invalidate: () => {
      load();
    },
  };
}

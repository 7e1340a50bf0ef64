/**
 * Record a settlement run in the store's run log (运行记录): the command, the policy files it applied with their
 * SHA-256, the counts and the duration — so every statement can be traced to the exact inputs that made it.
 */
import type { PolicySet } from '../policy/registry.ts';
import { hashFile, newRunId } from '../store/runs.ts';
import type { RunRecord, Store } from '../store/store.ts';

export async function recordSettlementRun(
  store: Store,
  o: {
    command: string;
    policies: PolicySet;
    /** Ids of the policy files the run applied. */
    applied: readonly string[];
    counts: Record<string, number>;
    started: Date;
  },
): Promise<RunRecord> {
  const files = o.policies.files.filter((f) => o.applied.includes(f.id));
  const inputs = await Promise.all(files.map((f) => hashFile(f.file, `policy ${f.kind}`)));
  const main = files[files.length - 1];
  const finished = new Date();
  const run: RunRecord = {
    id: newRunId(o.started),
    command: o.command,
    inputs,
    ...(main ? { policy: { id: main.id, version: main.version, file: main.file } } : {}),
    counts: o.counts,
    startedAt: o.started.toISOString(),
    finishedAt: finished.toISOString(),
    durationMs: finished.getTime() - o.started.getTime(),
    status: 'ok',
    message: files.map((f) => `${f.id} v${f.version}`).join(', '),
  };
  await store.recordRun(run);
  return run;
}

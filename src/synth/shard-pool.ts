/**
 * Runs a region's shards: on this thread one after the other (one worker, or one shard), else on worker threads
 * that each take the next shard not yet taken. Results come back in shard order whoever ran them.
 */
import type { Worker } from 'node:worker_threads';
import { siblingModule, startWorker, type WorkerModule } from '../workers/start.ts';
import { generateShard, type RegionPlan, type ShardResult } from './shard.ts';
import type { ShardReply, ShardRequest } from './shard-worker.ts';

/**
 * The generator's worker module. From source, workers start from a bundle of `shard-worker.ts` made once per
 * process (src/workers/start.ts): packages imported by their file URL, `import.meta.url` the worker source's own
 * (the sample code lists are found relative to it). Not cached: the bundle imports packages.
 */
const WORKER: WorkerModule = { entry: siblingModule(import.meta.url, './shard-worker') };

/** `onCases(shard, done, year)`: cases the shard has generated so far. */
export async function runShards(
  plan: RegionPlan,
  dir: string,
  workers: number,
  onCases: (shard: number, done: number, year: number) => void,
): Promise<ShardResult[]> {
  const results: ShardResult[] = new Array(plan.shards);
  const threads = Math.min(workers, plan.shards);
  if (threads <= 1) {
    for (let s = 0; s < plan.shards; s++) {
      results[s] = await generateShard(plan, s, dir, (done, year) => onCases(s, done, year));
    }
    return results;
  }
  const pool = Array.from({ length: threads }, () => startWorker(WORKER));
  let next = 0;
  const lane = (w: Worker): Promise<void> =>
    new Promise((resolve, reject) => {
      const take = (): void => {
        if (next >= plan.shards) {
          resolve();
          return;
        }
        const request: ShardRequest = { type: 'shard', plan, shard: next++, dir };
        w.postMessage(request);
      };
      w.on('message', (r: ShardReply) => {
        if (r.type === 'progress') onCases(r.shard, r.done, r.year);
        else if (r.type === 'error') reject(new Error(`synth worker: ${r.message}`));
        else {
          results[r.result.shard] = r.result;
          take();
        }
      });
      w.on('error', reject);
      w.on('exit', (code) => {
        if (code !== 0) reject(new Error(`synth worker stopped (exit ${code})`));
      });
      take();
    });
  try {
    await Promise.all(pool.map(lane));
  } finally {
    await Promise.all(pool.map((w) => w.terminate()));
  }
  return results;
}

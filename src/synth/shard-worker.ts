/**
 * Worker thread of the generator: runs the shards it is given (`shard.ts`) and answers with their results;
 * reports progress on the way. Started by `shard-pool.ts` (`src/workers/start.ts`).
 */
import { parentPort } from 'node:worker_threads';
import { generateShard, type RegionPlan, type ShardResult } from './shard.ts';

export type ShardRequest = { type: 'shard'; plan: RegionPlan; shard: number; dir: string };
export type ShardReply =
  | { type: 'progress'; shard: number; done: number; year: number }
  | { type: 'done'; result: ShardResult }
  | { type: 'error'; message: string };

const port = parentPort;
if (!port) throw new Error('shard-worker.ts runs as a worker thread');
port.on('message', (m: ShardRequest) => {
  const reply = (r: ShardReply) => port.postMessage(r);
  generateShard(m.plan, m.shard, m.dir, (done, year) => reply({ type: 'progress', shard: m.shard, done, year })).then(
    (result) => reply({ type: 'done', result }),
    (e: unknown) => reply({ type: 'error', message: e instanceof Error ? (e.stack ?? e.message) : String(e) }),
  );
});

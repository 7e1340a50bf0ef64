/**
 * A grouping worker thread: receives the compiled kernel once, then groups ranges of shared batches into
 * shared result arrays. Started by parallel.ts through worker-boot.mjs.
 */
import { parentPort } from 'node:worker_threads';
import type { CaseBatch } from './case-batch.ts';
import { groupRange } from './kernel.ts';
import type { DrgResults, KernelCore } from './kernel-types.ts';

export type WorkerRequest =
  | { type: 'init'; core: KernelCore }
  | { type: 'group'; batch: CaseBatch; out: DrgResults; from: number; to: number };

export type WorkerReply = { type: 'ready' } | { type: 'done'; ms: number } | { type: 'error'; message: string };

let core: KernelCore | null = null;
const port = parentPort;
if (port) {
  port.on('message', (msg: WorkerRequest) => {
    try {
      if (msg.type === 'init') {
        core = msg.core;
        port.postMessage({ type: 'ready' } satisfies WorkerReply);
        return;
      }
      if (core === null) throw new Error('worker not initialised');
      const t0 = performance.now();
      groupRange(core, msg.batch, msg.out, msg.from, msg.to);
      port.postMessage({ type: 'done', ms: performance.now() - t0 } satisfies WorkerReply);
    } catch (e) {
      port.postMessage({ type: 'error', message: (e as Error).stack ?? String(e) } satisfies WorkerReply);
    }
  });
}

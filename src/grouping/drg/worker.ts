/**
 * A grouping worker thread: receives the compiled kernel once (and, for the text path, byte lookup tables of the
 * code dictionaries),
 * then groups ranges of shared batches into shared result arrays, or whole byte ranges of a case file
 * (text-group.ts). Started by parallel.ts (src/workers/start.ts).
 */
import { parentPort } from 'node:worker_threads';
import type { CaseBatch } from './case-batch.ts';
import { groupRange } from './kernel.ts';
import type { DrgResults, KernelCore } from './kernel-types.ts';
import {
  type CaseTextLayout,
  type InternTablesData,
  TextGrouper,
  type TextGroupResult,
  textInterner,
} from './text-group.ts';

export type WorkerRequest =
  | { type: 'init'; core: KernelCore; tables?: InternTablesData }
  | { type: 'group'; batch: CaseBatch; out: DrgResults; from: number; to: number }
  | { type: 'groupText'; file: string; start: number; end: number; layout: CaseTextLayout };

export type WorkerReply =
  | { type: 'ready' }
  | { type: 'done'; ms: number }
  | { type: 'text'; result: TextGroupResult }
  | { type: 'error'; message: string };

let core: KernelCore | null = null;
let grouper: TextGrouper | null = null;
const port = parentPort;
if (port) {
  port.on('message', (msg: WorkerRequest) => {
    try {
      if (msg.type === 'init') {
        core = msg.core;
        grouper = msg.tables ? new TextGrouper(msg.core, textInterner(msg.tables)) : null;
        port.postMessage({ type: 'ready' } satisfies WorkerReply);
        return;
      }
      if (core === null) throw new Error('worker not initialised');
      if (msg.type === 'groupText') {
        if (grouper === null) throw new Error('worker has no code dictionaries');
        const result = grouper.group(msg.file, msg.start, msg.end, msg.layout);
        const transfer = result.kind === 'done' ? [result.lines.buffer as ArrayBuffer] : [];
        port.postMessage({ type: 'text', result } satisfies WorkerReply, transfer);
        return;
      }
      const t0 = performance.now();
      groupRange(core, msg.batch, msg.out, msg.from, msg.to);
      port.postMessage({ type: 'done', ms: performance.now() - t0 } satisfies WorkerReply);
    } catch (e) {
      port.postMessage({ type: 'error', message: (e as Error).stack ?? String(e) } satisfies WorkerReply);
    }
  });
}

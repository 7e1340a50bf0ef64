/**
 * Multi-core grouping with worker threads. The batch and the results live in SharedArrayBuffers, so workers read
 * and write them in place; each worker gets the compiled kernel once (it is plain data) and then groups one
 * contiguous range of cases per request.
 */
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { siblingModule, startWorker, type WorkerModule } from '../../workers/start.ts';
import { cacheEntryPath, GROUPER_SOURCE_DIRS, grouperSourceHash, writeCacheEntry } from './cache.ts';
import type { CaseBatch } from './case-batch.ts';
import { type DrgKernel, type DrgResults, newResults } from './kernel-types.ts';
import type { CaseTextLayout, InternTablesData, TextGrouper, TextGroupResult } from './text-group.ts';
import type { WorkerReply, WorkerRequest } from './worker.ts';

export interface ParallelOptions {
  /** Number of worker threads (default: available cores, at most 8). */
  workers?: number;
}

/**
 * The grouping worker module. From source, workers start from a bundle of `worker.ts` (src/workers/start.ts) kept
 * in the grouper's cache (cache.ts) under a hash of the grouper's source, so later runs start their workers from
 * that file without loading esbuild; with the cache off it is made once per process and run as a `data:` URL.
 */
const WORKER: WorkerModule = {
  entry: siblingModule(import.meta.url, './worker'),
  cache: {
    key: grouperSourceHash,
    prefix: 'drg-worker-',
    covers: GROUPER_SOURCE_DIRS,
    find: cacheEntryPath,
    write: writeCacheEntry,
  },
};

/** A set of started grouping workers holding one kernel. */
export class DrgWorkerPool {
  /** Per worker, the requests sent and not yet answered, oldest first (a worker answers them in order). */
  private readonly waiting: { resolve: (r: WorkerReply) => void; reject: (e: Error) => void }[][];

  private constructor(private readonly workers: Worker[]) {
    this.waiting = workers.map(() => []);
    workers.forEach((w, k) => {
      const queue = this.waiting[k]!;
      w.on('message', (reply: WorkerReply) => {
        const p = queue.shift();
        if (p === undefined) return;
        if (reply.type === 'error') p.reject(new Error(`grouping worker failed: ${reply.message}`));
        else p.resolve(reply);
      });
      w.on('error', (e: Error) => {
        for (const p of queue.splice(0)) p.reject(e);
      });
      w.on('exit', (code) => {
        for (const p of queue.splice(0)) p.reject(new Error(`grouping worker stopped (exit ${code})`));
      });
    });
  }

  /** Start `count` workers holding the kernel (batch path; `spawn` and `init` with tables for the text path). */
  static async start(kernel: DrgKernel, count: number): Promise<DrgWorkerPool> {
    const pool = DrgWorkerPool.spawn(count);
    try {
      await pool.init(kernel);
    } catch (e) {
      await pool.close();
      throw e;
    }
    return pool;
  }

  /**
   * Start `count` workers without a kernel yet: they load their code while the caller loads the pack; `init`
   * then hands them the kernel (messages wait in the worker's queue until it listens).
   */
  static spawn(count: number): DrgWorkerPool {
    const workers = Array.from({ length: Math.max(1, count) }, () => startWorker(WORKER));
    return new DrgWorkerPool(workers);
  }

  /**
   * Give every worker the kernel (and, for the text path, the byte lookup tables of its code dictionaries:
   * `internTablesOf(kernel)`, or as read back with the kernel's snapshot).
   */
  async init(kernel: DrgKernel, tables?: InternTablesData): Promise<void> {
    await Promise.all(
      this.workers.map((_, k) => this.request(k, { type: 'init', core: kernel.core, ...(tables ? { tables } : {}) })),
    );
  }

  get size(): number {
    return this.workers.length;
  }

  private request(k: number, msg: WorkerRequest): Promise<WorkerReply> {
    return new Promise((resolve, reject) => {
      this.waiting[k]!.push({ resolve, reject });
      this.workers[k]!.postMessage(msg);
    });
  }

  /** Group a shared batch into shared results, splitting it into one range per worker. */
  async group(batch: CaseBatch, out: DrgResults): Promise<void> {
    const shared = shareBatch(batch);
    const n = this.workers.length;
    const per = Math.ceil(shared.size / n);
    await Promise.all(
      this.workers.map((_, k) => {
        const from = Math.min(shared.size, k * per);
        const to = Math.min(shared.size, from + per);
        return this.request(k, { type: 'group', batch: shared, out, from, to });
      }),
    );
  }

  /**
   * Group byte ranges of a case file: each worker takes the next range not yet taken (two at a time, so that it
   * never waits for this thread), and so does `local` on this thread when given; a thread slowed by other work
   * takes fewer. `onResult` gets each range's result (in the order they finish, with the range's index); when
   * it returns false no further range is handed out.
   */
  async groupText(
    file: string,
    ranges: readonly [number, number][],
    layout: CaseTextLayout,
    onResult: (index: number, result: TextGroupResult) => boolean,
    local?: TextGrouper,
  ): Promise<void> {
    let next = 0;
    let stop = false;
    const take = () => (stop || next >= ranges.length ? -1 : next++);
    const deliver = (r: number, result: TextGroupResult) => {
      if (!onResult(r, result)) stop = true;
    };
    const lane = async (k: number) => {
      for (let r = take(); r >= 0; r = take()) {
        const [start, end] = ranges[r]!;
        const reply = await this.request(k, { type: 'groupText', file, start, end, layout });
        if (reply.type !== 'text') throw new Error(`grouping worker: unexpected reply ${reply.type}`);
        deliver(r, reply.result);
      }
    };
    const lanes = this.workers.flatMap((_, k) => [lane(k), lane(k)]);
    if (local) {
      lanes.push(
        (async () => {
          for (let r = take(); r >= 0; r = take()) {
            const [start, end] = ranges[r]!;
            deliver(r, local.group(file, start, end, layout));
            // Let the workers' answers in (each sends the worker its next range).
            await new Promise<void>((resolve) => setImmediate(resolve));
          }
        })(),
      );
    }
    await Promise.all(lanes);
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

function isShared(a: { buffer: ArrayBufferLike }): boolean {
  return a.buffer instanceof SharedArrayBuffer;
}

/** The batch itself when its arrays are shared already, else a copy in SharedArrayBuffers. */
export function shareBatch(b: CaseBatch): CaseBatch {
  if (isShared(b.sex) && isShared(b.dxCode) && isShared(b.procCode)) return b;
  const share = <T extends Uint8Array | Int32Array | Float64Array>(a: T): T => {
    const Ctor = a.constructor as new (buf: SharedArrayBuffer) => T;
    const out = new Ctor(new SharedArrayBuffer(a.byteLength));
    out.set(a as unknown as ArrayLike<number> & T);
    return out;
  };
  return {
    size: b.size,
    sex: share(b.sex),
    ageYears: share(b.ageYears),
    ageDays: share(b.ageDays),
    birthWeightG: share(b.birthWeightG),
    los: share(b.los),
    preStatus: share(b.preStatus),
    dxStart: share(b.dxStart),
    dxCode: share(b.dxCode),
    procStart: share(b.procStart),
    procCode: share(b.procCode),
  };
}

export function defaultWorkerCount(): number {
  return Math.min(8, Math.max(1, availableParallelism()));
}

/** Group a batch on several threads (starts and stops a pool; keep a `DrgWorkerPool` to reuse one). */
export async function groupBatchParallel(
  kernel: DrgKernel,
  batch: CaseBatch,
  options: ParallelOptions = {},
): Promise<DrgResults> {
  const pool = await DrgWorkerPool.start(kernel, options.workers ?? defaultWorkerCount());
  try {
    const out = newResults(batch.size, true);
    await pool.group(batch, out);
    return out;
  } finally {
    await pool.close();
  }
}

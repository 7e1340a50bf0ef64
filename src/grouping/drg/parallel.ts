/**
 * Multi-core grouping with worker threads. The batch and the results live in SharedArrayBuffers, so workers read
 * and write them in place; each worker gets the compiled kernel once (it is plain data) and then groups one
 * contiguous range of cases per request.
 */
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { cacheEntryPath, GROUPER_SOURCE_DIRS, grouperSourceHash, writeCacheEntry } from './cache.ts';
import type { CaseBatch } from './case-batch.ts';
import { type DrgKernel, type DrgResults, newResults } from './kernel-types.ts';
import type { CaseTextLayout, InternTablesData, TextGrouper, TextGroupResult } from './text-group.ts';
import type { WorkerReply, WorkerRequest } from './worker.ts';

export interface ParallelOptions {
  /** Number of worker threads (default: available cores, at most 8). */
  workers?: number;
}

const WORKER_EXT = import.meta.url.endsWith('.ts') ? '.ts' : '.js';

/** The esbuild API (only its synchronous bundler is used). */
interface Esbuild {
  buildSync(o: Record<string, unknown>): {
    outputFiles?: { text: string }[];
    metafile?: { inputs: Record<string, unknown> };
  };
}

let bundled: URL | null | undefined;

/**
 * Running from TypeScript source, a worker would have to register tsx and have each of its modules transformed
 * (about a second of CPU per worker). Instead the worker module is bundled, with the esbuild that tsx itself
 * depends on, into one module that imports only Node built-ins. The bundle is kept in the grouper's cache
 * (cache.ts) under a hash of the grouper's source, so later runs start their workers from that file without
 * loading esbuild; with the cache off it is made once per process and run as a `data:` URL. Null when esbuild
 * cannot be loaded or fails: the workers then register tsx (worker-boot.mjs).
 */
function bundledWorker(): URL | null {
  if (bundled !== undefined) return bundled;
  bundled = null;
  if (WORKER_EXT !== '.ts') return bundled;
  const name = `drg-worker-${grouperSourceHash().slice(0, 32)}.mjs`;
  const cached = cacheEntryPath(name);
  if (cached !== null) {
    bundled = pathToFileURL(cached);
    return bundled;
  }
  try {
    const fromTsx = createRequire(createRequire(import.meta.url).resolve('tsx/package.json'));
    const esbuild = fromTsx('esbuild') as Esbuild;
    const out = esbuild.buildSync({
      entryPoints: [fileURLToPath(new URL('./worker.ts', import.meta.url))],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      write: false,
      metafile: true,
      absWorkingDir: GROUPER_SOURCE_DIRS[0],
      logLevel: 'silent',
    });
    const code = out.outputFiles?.[0]?.text;
    // Only Node built-ins may remain imported: the bundle is run from a data: URL or from the cache folder,
    // neither of which has packages to resolve.
    if (code && !/\bfrom\s*["'](?!node:)/.test(code)) {
      // Cached only when every input lies in the folders the source hash covers.
      const inputs = Object.keys(out.metafile?.inputs ?? {}).map((f) => resolve(GROUPER_SOURCE_DIRS[0]!, f));
      const covered = inputs.every((f) => GROUPER_SOURCE_DIRS.some((d) => f.startsWith(d)));
      const file = covered ? writeCacheEntry(name, code, 'drg-worker-') : null;
      bundled = file ? pathToFileURL(file) : new URL(`data:text/javascript,${encodeURIComponent(code)}`);
    }
  } catch {
    // no esbuild beside tsx, or the bundle failed: workers load the source through tsx
  }
  return bundled;
}

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
    const entry = new URL(`./worker${WORKER_EXT}`, import.meta.url).href;
    const direct = bundledWorker();
    const workers = Array.from({ length: Math.max(1, count) }, () =>
      direct
        ? new Worker(direct)
        : new Worker(new URL('./worker-boot.mjs', import.meta.url), { workerData: { entry } }),
    );
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

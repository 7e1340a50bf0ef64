/**
 * Runs a region's shards: on this thread one after the other (one worker, or one shard), else on worker threads
 * that each take the next shard not yet taken. Results come back in shard order whoever ran them.
 */
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { generateShard, type RegionPlan, type ShardResult } from './shard.ts';
import type { ShardReply, ShardRequest } from './shard-worker.ts';

const WORKER_EXT = import.meta.url.endsWith('.ts') ? '.ts' : '.js';

/** The esbuild API (only its synchronous bundler is used). */
interface Esbuild {
  buildSync(o: Record<string, unknown>): { outputFiles?: { text: string }[] };
}

let bundled: URL | null | undefined;

/**
 * Running from TypeScript source, a worker would register tsx and have each of its modules transformed (seconds
 * of CPU per worker). Instead the worker module is bundled once per process, with the esbuild tsx depends on,
 * into one module run from a `data:` URL: packages stay outside, imported by their absolute file URL, and
 * `import.meta.url` is the worker source's own (the sample code lists are found relative to it). Null when
 * esbuild cannot be loaded or fails: the workers then register tsx (worker-boot.mjs).
 */
function bundledWorker(): URL | null {
  if (bundled !== undefined) return bundled;
  bundled = null;
  if (WORKER_EXT !== '.ts') return bundled;
  try {
    const require = createRequire(import.meta.url);
    const esbuild = createRequire(require.resolve('tsx/package.json'))('esbuild') as Esbuild;
    const source = fileURLToPath(new URL('./shard-worker.ts', import.meta.url));
    const out = esbuild.buildSync({
      entryPoints: [source],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      write: false,
      logLevel: 'silent',
      define: { 'import.meta.url': JSON.stringify(pathToFileURL(source).href) },
      packages: 'external',
    });
    // Packages by their absolute file URL: a data: URL module resolves no bare name but Node's built-ins.
    const code = out.outputFiles?.[0]?.text.replace(
      /(from\s*|import\s*\(?\s*)"((?!node:)[^"./][^"]*)"/g,
      (_, lead, name) => `${lead}"${pathToFileURL(require.resolve(name)).href}"`,
    );
    if (code) bundled = new URL(`data:text/javascript,${encodeURIComponent(code)}`);
  } catch {
    // no esbuild beside tsx, or the bundle failed: workers load the source through tsx
  }
  return bundled;
}

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
  const entry = new URL(`./shard-worker${WORKER_EXT}`, import.meta.url).href;
  const direct = bundledWorker();
  const pool = Array.from({ length: threads }, () =>
    direct ? new Worker(direct) : new Worker(new URL('./worker-boot.mjs', import.meta.url), { workerData: { entry } }),
  );
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

/**
 * Starting worker threads on a module of the project, one way for every pool (the DRG grouper's, the synthetic
 * generator's). Workers do not inherit the parent's TypeScript loader: running from TypeScript source (a clone,
 * tsx, vitest, or the CLI bundle of bin/cli-bundle.mjs, whose modules keep their source's `import.meta.url`), a
 * worker would register tsx and have each of its modules transformed (a second or more of CPU per worker).
 * Instead the worker module is bundled once per process, with the esbuild that tsx itself depends on, into one
 * module run from a `data:` URL: packages stay outside, imported by their absolute file URL (a `data:` module
 * resolves no bare name but Node's built-ins), and `import.meta.url` reads as the worker source's own, so files
 * found relative to it are found as from source. A bundle that imports nothing but Node built-ins may be kept in
 * an on-disk cache the caller names (`WorkerCache`), so later runs start their workers without loading esbuild.
 * When esbuild cannot be loaded or fails, and for a module that is not TypeScript, the worker starts through
 * boot.mjs, which registers tsx when it is needed and imports the module.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

/** Where a bundled worker module is kept between runs (e.g. the grouper's cache, src/grouping/drg/cache.ts). */
export interface WorkerCache {
  /** A hash of every source file the bundle may be made from; part of the entry's name. */
  key: () => string;
  /** The start of the entry's name (the cache keeps the newest few entries of one prefix). */
  prefix: string;
  /** The folders `key` covers: a bundle is cached only when every file it is made from lies in one of them. */
  covers: readonly string[];
  /** The path of an entry when it exists, else null. */
  find: (name: string) => string | null;
  /** Writes an entry and gives its path, or null when it could not be written. */
  write: (name: string, code: string, prefix: string) => string | null;
}

export interface WorkerModule {
  /** The worker module (`siblingModule(import.meta.url, './worker')`): TypeScript source, or JavaScript. */
  entry: URL;
  cache?: WorkerCache;
}

/** The module `name` beside the calling module, with the caller's extension (`.ts` from source, else `.js`). */
export function siblingModule(callerUrl: string, name: string): URL {
  return new URL(`${name}${callerUrl.endsWith('.ts') ? '.ts' : '.js'}`, callerUrl);
}

/** The esbuild API (only its synchronous bundler is used). */
interface Esbuild {
  buildSync(o: Record<string, unknown>): {
    outputFiles?: { text: string }[];
    metafile?: { inputs: Record<string, unknown> };
  };
}

/**
 * The name esbuild's `define` replaces, spelt so that bin/cli-bundle.mjs (which rewrites every literal occurrence
 * in a module's text to that module's URL) leaves it alone.
 */
const IMPORT_META_URL = ['import', 'meta', 'url'].join('.');

/** Bundles made in this process, by the worker module's URL (null: none could be made). */
const bundles = new Map<string, URL | null>();

/** Start one worker thread on the module (its bundle, made on the first call, or through boot.mjs). */
export function startWorker(module: WorkerModule): Worker {
  const key = module.entry.href;
  let direct = bundles.get(key);
  if (direct === undefined) {
    direct = bundleWorker(module);
    bundles.set(key, direct);
  }
  return direct
    ? new Worker(direct)
    : new Worker(new URL('./boot.mjs', import.meta.url), { workerData: { entry: module.entry.href } });
}

let ownDigest: string | null | undefined;

/** A hash of this file: how a bundle is made is part of a cached bundle's name. Null when it cannot be read. */
function ownSourceHash(): string | null {
  if (ownDigest === undefined) {
    try {
      ownDigest = createHash('sha256')
        .update(readFileSync(fileURLToPath(import.meta.url)))
        .digest('hex');
    } catch {
      ownDigest = null;
    }
  }
  return ownDigest;
}

/** The cache entry's name for a module: its caller's source hash and this file's, both. */
function cacheName(cache: WorkerCache): string | null {
  const own = ownSourceHash();
  if (own === null) return null;
  const h = createHash('sha256').update(`${cache.key()}\0${own}`).digest('hex');
  return `${cache.prefix}${h.slice(0, 32)}.mjs`;
}

/**
 * The module as one bundle that a worker can start from: a file of the cache, or a `data:` URL. Null for a module
 * that is not TypeScript (it needs no transform), or when esbuild cannot be loaded or the bundle fails. Not
 * remembered: `startWorker` makes it once per process.
 */
export function bundleWorker(module: WorkerModule): URL | null {
  if (!module.entry.pathname.endsWith('.ts')) return null;
  const { cache } = module;
  const name = cache ? cacheName(cache) : null;
  if (cache && name !== null) {
    const cached = cache.find(name);
    if (cached !== null) return pathToFileURL(cached);
  }
  try {
    const source = fileURLToPath(module.entry);
    const dir = dirname(source);
    const require = createRequire(source);
    const esbuild = createRequire(require.resolve('tsx/package.json'))('esbuild') as Esbuild;
    const out = esbuild.buildSync({
      entryPoints: [source],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      write: false,
      metafile: true,
      absWorkingDir: dir,
      logLevel: 'silent',
      define: { [IMPORT_META_URL]: JSON.stringify(module.entry.href) },
      packages: 'external',
    });
    const text = out.outputFiles?.[0]?.text;
    if (!text) return null;
    let packages = 0;
    const code = text.replace(/(from\s*|import\s*\(?\s*)"((?!node:)[^"./][^"]*)"/g, (_, lead: string, pkg: string) => {
      packages++;
      return `${lead}"${pathToFileURL(require.resolve(pkg)).href}"`;
    });
    if (cache && name !== null && packages === 0) {
      // Cached only when every input lies in the folders the cache's key covers (a package's file may change
      // under the same key, so a bundle importing one is never cached).
      const inputs = Object.keys(out.metafile?.inputs ?? {}).map((f) => resolve(dir, f));
      if (inputs.every((f) => cache.covers.some((d) => f.startsWith(d)))) {
        const file = cache.write(name, code, cache.prefix);
        if (file !== null) return pathToFileURL(file);
      }
    }
    return new URL(`data:text/javascript,${encodeURIComponent(code)}`);
  } catch {
    // no esbuild beside tsx, or the bundle failed: the worker loads the source through boot.mjs and tsx
    return null;
  }
}

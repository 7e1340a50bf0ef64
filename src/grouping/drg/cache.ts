/**
 * The grouper's on-disk cache: things that are slow to make and fully determined by content — a compiled kernel
 * (kernel-snapshot.ts) and the bundled worker module (parallel.ts through src/workers/start.ts) — kept under a name that is a hash of
 * everything they are made from: the scheme's files and the source code that reads and compiles them. A changed
 * scheme file or a changed line of grouper code gives another name, so a stale entry is never read.
 *
 * Where: `$YIBAO_CACHE_DIR`, else `$XDG_CACHE_HOME/yibao`, else `~/.cache/yibao`. `YIBAO_CACHE_DIR=off` (or empty)
 * turns the cache off. Entries are written to a temporary name and renamed, so concurrent runs never see half a
 * file; a cache that cannot be written is skipped without a word (the work is then done each time).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The cache folder, or null when the cache is off. */
export function cacheDir(): string | null {
  const env = process.env.YIBAO_CACHE_DIR;
  if (env !== undefined) return env === '' || env === 'off' ? null : env;
  return join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'yibao');
}

/** The source folders whose code decides what a kernel or a worker bundle holds: this folder and src/tables. */
export const GROUPER_SOURCE_DIRS: readonly string[] = [
  fileURLToPath(new URL('.', import.meta.url)),
  fileURLToPath(new URL('../../tables/', import.meta.url)),
];

let sourceDigest: string | undefined;

/** A hash of the grouper's source files (every `.ts` / `.js` / `.mjs` file but tests, in every sub-folder). */
export function grouperSourceHash(): string {
  if (sourceDigest !== undefined) return sourceDigest;
  const h = createHash('sha256');
  for (const dir of GROUPER_SOURCE_DIRS)
    hashTree(h, dir, dir, (name) => /\.(ts|js|mjs)$/.test(name) && !/\.test\./.test(name));
  sourceDigest = h.digest('hex');
  return sourceDigest;
}

/** A hash of a file, or of every file in a folder and its sub-folders (names and contents). */
export function contentHash(path: string): string {
  const h = createHash('sha256');
  if (statSync(path).isDirectory()) hashTree(h, path, path, () => true);
  else h.update(readFileSync(path));
  return h.digest('hex');
}

function hashTree(h: ReturnType<typeof createHash>, root: string, dir: string, take: (name: string) => boolean): void {
  const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
  );
  for (const e of entries) {
    const path = join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== 'node_modules' && !e.name.startsWith('.')) hashTree(h, root, path, take);
    } else if (e.isFile() && take(e.name)) {
      const bytes = readFileSync(path);
      h.update(`${relative(root, path)}\0${bytes.length}\0`);
      h.update(bytes);
    }
  }
}

/** The bytes of a cache entry, or null. */
export function readCacheEntry(name: string): Buffer | null {
  const dir = cacheDir();
  if (dir === null) return null;
  try {
    return readFileSync(join(dir, name));
  } catch {
    return null;
  }
}

/** The path of a cache entry when it exists, else null. */
export function cacheEntryPath(name: string): string | null {
  const dir = cacheDir();
  if (dir === null) return null;
  const path = join(dir, name);
  try {
    return statSync(path).isFile() ? path : null;
  } catch {
    return null;
  }
}

/**
 * Write a cache entry (atomically); keep only the `keep` newest entries whose name starts with `prefix`.
 * Returns the entry's path, or null when it could not be written.
 */
export function writeCacheEntry(name: string, bytes: Uint8Array | string, prefix: string, keep = 8): string | null {
  const dir = cacheDir();
  if (dir === null) return null;
  try {
    mkdirSync(dir, { recursive: true });
    const path = join(dir, name);
    const tmp = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    writeFileSync(tmp, bytes);
    renameSync(tmp, path);
    const old = readdirSync(dir)
      .filter((f) => f.startsWith(prefix) && !f.endsWith('.tmp'))
      .map((f) => ({ f, t: statSync(join(dir, f)).mtimeMs }))
      .sort((a, b) => b.t - a.t)
      .slice(keep);
    for (const { f } of old) rmSync(join(dir, f), { force: true });
    return path;
  } catch {
    return null;
  }
}

/**
 * Atomic outputs (nothing half-written): a file is written under a temporary sibling name and renamed over its
 * final name once complete; a set of files (a run's statements) is written into a temporary sibling folder and
 * renamed over the final folder as a whole. A process killed at any moment therefore leaves, under the final
 * names, either the previous complete output or the new complete output — never a truncated file, never a mix
 * of an old and a new set. What a kill can leave behind is a `*.tmp-*` sibling (and, in the instant between the
 * two renames of a folder swap, the previous set under `*.old-*`), which the next write of the same target
 * removes.
 *
 * A folder written as a set lists its files in `.yibao-files`. When the folder is replaced, the files of the
 * previous set go; anything else in the folder (a catalog written by another command, a user's own file) is
 * carried over into the new folder by hard links before the swap, so replacing a set never deletes what it
 * did not write.
 */
import { randomBytes } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  linkSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';

const suffix = () => `${process.pid}-${randomBytes(4).toString('hex')}`;

/** The list of the entries a set wrote into its folder. */
const MANIFEST = '.yibao-files';

/** Hard-link (or copy) `from` into `to`, recursively for folders. */
function linkTree(from: string, to: string): void {
  if (statSync(from).isDirectory()) {
    mkdirSync(to);
    for (const name of readdirSync(from)) linkTree(join(from, name), join(to, name));
    return;
  }
  try {
    linkSync(from, to);
  } catch {
    copyFileSync(from, to);
  }
}

/**
 * Carry the entries of `outDir` that its previous set did not write (and the new set does not write) into the
 * new folder. Without a manifest (a folder from an older yibao or the user's), only what the new set writes
 * is replaced.
 */
function carryOver(outDir: string, temp: string, own: ReadonlySet<string>): void {
  const manifest = join(outDir, MANIFEST);
  const previous = existsSync(manifest)
    ? new Set(
        readFileSync(manifest, 'utf8')
          .split('\n')
          .filter((l) => l !== ''),
      )
    : new Set<string>();
  for (const name of readdirSync(outDir)) {
    if (name === MANIFEST || own.has(name) || previous.has(name)) continue;
    linkTree(join(outDir, name), join(temp, name));
  }
}

/**
 * The files the previous set wrote into the folder `target` (paths relative to it, sorted): what replacing the
 * folder removes or overwrites. Empty when the folder does not exist or has no manifest (nothing of it is ours).
 */
export function previousSetFiles(target: string): string[] {
  const manifest = join(target, MANIFEST);
  if (!existsSync(manifest)) return [];
  const out: string[] = [];
  const walk = (rel: string) => {
    const abs = join(target, rel);
    if (!existsSync(abs)) return;
    if (!statSync(abs).isDirectory()) {
      // a nested set's own manifest is bookkeeping, not a statement
      if (basename(rel) !== MANIFEST) out.push(rel.split(sep).join('/'));
      return;
    }
    for (const name of readdirSync(abs)) walk(join(rel, name));
  };
  for (const entry of readFileSync(manifest, 'utf8').split('\n')) if (entry !== '') walk(entry);
  return out.sort();
}

/** Leftovers of earlier killed writes of `target` (`target.tmp-*`, `target.old-*`). */
function removeLeftovers(target: string): void {
  const dir = dirname(target);
  const base = basename(target);
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir)) {
    if (name.startsWith(`${base}.tmp-`) || name.startsWith(`${base}.old-`)) {
      rmSync(join(dir, name), { recursive: true, force: true });
    }
  }
}

/**
 * Write the file `path` through `write(tempPath)` and rename it into place when `write` has finished. If `write`
 * throws, the temporary file is removed and `path` is untouched.
 */
export async function writeFileAtomic<T>(path: string, write: (tempPath: string) => T | Promise<T>): Promise<T> {
  mkdirSync(dirname(path), { recursive: true });
  if (existsSync(path) && statSync(path).isDirectory()) {
    throw Object.assign(new Error(`EISDIR: ${path}`), { code: 'EISDIR', path });
  }
  const temp = `${path}.tmp-${suffix()}`;
  try {
    const result = await write(temp);
    renameSync(temp, path);
    return result;
  } catch (e) {
    rmSync(temp, { force: true });
    throw e;
  }
}

/** The same for a synchronous writer. */
export function writeFileAtomicSync<T>(path: string, write: (tempPath: string) => T): T {
  mkdirSync(dirname(path), { recursive: true });
  if (existsSync(path) && statSync(path).isDirectory()) {
    throw Object.assign(new Error(`EISDIR: ${path}`), { code: 'EISDIR', path });
  }
  const temp = `${path}.tmp-${suffix()}`;
  try {
    const result = write(temp);
    renameSync(temp, path);
    return result;
  } catch (e) {
    rmSync(temp, { force: true });
    throw e;
  }
}

/** Copy a finished file (e.g. from a private temp folder) to `path` atomically. */
export async function publishFile(source: string, path: string): Promise<void> {
  await writeFileAtomic(path, (temp) => copyFileSync(source, temp));
}

/**
 * Write a set of files into the folder `outDir` as a whole: `write(dir)` fills a fresh temporary sibling folder
 * and returns the files it wrote (paths inside `dir`); then the folder replaces `outDir` (the previous content
 * of `outDir` is removed, so no file of an earlier run survives beside the new set). Returns the files under
 * their final paths. If `write` throws, `outDir` is untouched.
 */
/**
 * A folder written as a set is swapped in as a whole: it cannot be the working folder, one above it or the root.
 * Throws E_OUT_CONTAINS_CWD — before any work when a command checks it first (the demo does).
 */
export function assertOwnOutFolder(target: string): void {
  const outDir = resolve(target);
  const cwd = process.cwd();
  if (cwd === outDir || cwd.startsWith(`${outDir}${sep}`) || dirname(outDir) === outDir) {
    throw Object.assign(new Error(`output folder contains the working folder: ${target}`), {
      code: 'E_OUT_CONTAINS_CWD',
      path: target,
    });
  }
}

export async function writeDirAtomic(target: string, write: (dir: string) => Promise<string[]>): Promise<string[]> {
  assertOwnOutFolder(target);
  const outDir = resolve(target);
  const parent = dirname(outDir);
  mkdirSync(parent, { recursive: true });
  if (existsSync(outDir) && !statSync(outDir).isDirectory()) {
    throw Object.assign(new Error(`ENOTDIR: ${outDir}`), { code: 'ENOTDIR', path: outDir });
  }
  removeLeftovers(outDir);
  const temp = `${outDir}.tmp-${suffix()}`;
  mkdirSync(temp);
  let files: string[];
  try {
    files = await write(temp);
    const own = new Set(files.map((f) => relative(temp, f).split(/[\\/]/)[0]!));
    writeFileSync(join(temp, MANIFEST), `${[...own].sort().join('\n')}\n`);
    if (existsSync(outDir)) carryOver(outDir, temp, own);
  } catch (e) {
    rmSync(temp, { recursive: true, force: true });
    throw e;
  }
  if (existsSync(outDir)) {
    const old = `${outDir}.old-${suffix()}`;
    renameSync(outDir, old);
    renameSync(temp, outDir);
    rmSync(old, { recursive: true, force: true });
  } else {
    renameSync(temp, outDir);
  }
  return files.map((f) => join(target, relative(temp, f)));
}

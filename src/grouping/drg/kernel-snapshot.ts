/**
 * Opening a scheme through a snapshot of its compiled kernel: importing the CHS-DRG 2.0 reference folder and
 * compiling it takes about half a second of CPU; reading the compiled kernel back (v8 serialization) takes a few
 * hundredths. The snapshot also holds the byte lookup tables of the text path (text-group.ts), so `drg group`
 * builds nothing before its workers start. It is kept in the grouper's cache (cache.ts) under a hash of the
 * scheme's files and of the grouper's source code; a snapshot never changes a result, it only saves the work.
 */
import { createHash } from 'node:crypto';
import { deserialize, serialize } from 'node:v8';
import { cacheDir, contentHash, grouperSourceHash, readCacheEntry, writeCacheEntry } from './cache.ts';
import { lazyCodeDictionary } from './code-dictionary.ts';
import { openDrgKernel } from './index.ts';
import type { DrgKernel } from './kernel-types.ts';
import { resolveDrgPackPath } from './pack-names.ts';
import { type InternTablesData, internTablesOf } from './text-group.ts';

/** Bump when the snapshot's layout changes (the source hash already covers the code that fills it). */
const SNAPSHOT_FORMAT = 'yibao.drg-kernel-snapshot/1';
const PREFIX = 'drg-kernel-';

interface Snapshot {
  format: string;
  key: string;
  kernel: Omit<DrgKernel, 'dx' | 'proc'> & { dx: readonly string[]; proc: readonly string[] };
  tables: InternTablesData;
}

export interface OpenedKernel {
  kernel: DrgKernel;
  /** Byte lookup tables of the kernel's dictionaries (text path). */
  tables: InternTablesData;
  /** Where the kernel came from: a snapshot, or the scheme (then written to the cache when it is on). */
  from: 'snapshot' | 'scheme';
}

/** The cache key of a scheme source (a name, pack file, reference folder or workbook), or null when absent. */
export function kernelSnapshotKey(nameOrPath?: string): string | null {
  let content: string;
  try {
    content = contentHash(resolveDrgPackPath(nameOrPath));
  } catch {
    return null;
  }
  return createHash('sha256').update(`${SNAPSHOT_FORMAT}\0${grouperSourceHash()}\0${content}`).digest('hex');
}

/** `openDrgKernel` through the snapshot cache. */
export async function openDrgKernelCached(nameOrPath?: string): Promise<OpenedKernel> {
  const key = cacheDir() === null ? null : kernelSnapshotKey(nameOrPath);
  const name = `${PREFIX}${key}.v8`;
  if (key !== null) {
    const bytes = readCacheEntry(name);
    if (bytes !== null) {
      try {
        const snap = deserialize(bytes) as Snapshot;
        if (snap.format === SNAPSHOT_FORMAT && snap.key === key) {
          const kernel: DrgKernel = {
            ...snap.kernel,
            dx: lazyCodeDictionary(snap.kernel.dx),
            proc: lazyCodeDictionary(snap.kernel.proc),
          };
          return { kernel, tables: snap.tables, from: 'snapshot' };
        }
      } catch {
        // unreadable: made again below
      }
    }
  }
  const kernel = await openDrgKernel(nameOrPath);
  const tables = internTablesOf(kernel);
  if (key !== null) {
    const snap: Snapshot = {
      format: SNAPSHOT_FORMAT,
      key,
      kernel: { ...kernel, dx: kernel.dx.codes, proc: kernel.proc.codes },
      tables,
    };
    writeCacheEntry(name, serialize(snap), PREFIX);
  }
  return { kernel, tables, from: 'scheme' };
}

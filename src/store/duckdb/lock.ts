/**
 * One writer per store file. Across processes DuckDB's own file lock refuses a second writer; inside one
 * process DuckDB would let two instances open the same file (and corrupt it), so this registry refuses that.
 */
import { realpathSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** Open stores of this process: "writer", or the number of read-only opens. */
const open = new Map<string, 'writer' | number>();

/** A stable key for a path that may not exist yet. */
export function lockKey(path: string): string {
  const abs = resolve(path);
  try {
    return realpathSync(abs);
  } catch {
    try {
      return join(realpathSync(dirname(abs)), abs.slice(dirname(abs).length + 1));
    } catch {
      return abs;
    }
  }
}

/** Claim the file for this process; false if that conflicts with an open of it here. */
export function claim(key: string, readOnly: boolean): boolean {
  const cur = open.get(key);
  if (cur === undefined) {
    open.set(key, readOnly ? 1 : 'writer');
    return true;
  }
  if (cur === 'writer' || !readOnly) return false;
  open.set(key, cur + 1);
  return true;
}

export function release(key: string): void {
  const cur = open.get(key);
  if (cur === undefined || cur === 'writer' || cur <= 1) open.delete(key);
  else open.set(key, cur - 1);
}

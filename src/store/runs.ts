/** Helpers for run records (运行记录): ids, input hashes, timing. */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { RunInput } from './store.ts';

/** A sortable, unique run id: UTC start time plus 6 random hex digits, e.g. "20250102T030405Z-a1b2c3". */
export function newRunId(start: Date = new Date()): string {
  const stamp = start
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
  return `${stamp}-${randomBytes(3).toString('hex')}`;
}

/** SHA-256 and size of a file, streamed. */
export async function hashFile(path: string, role?: string): Promise<RunInput> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  const input: RunInput = { path, sha256: hash.digest('hex'), bytes: (await stat(path)).size };
  if (role) input.role = role;
  return input;
}

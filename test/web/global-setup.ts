/**
 * Vitest global setup: a fresh folder for the workbench tests' demo store on every run (never a stale store, and
 * two runs side by side do not share one), removed at the end.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    workbenchCache: string;
  }
}

export default function setup(project: TestProject): () => void {
  const root = fileURLToPath(new URL('../../.vitest-tmp', import.meta.url));
  mkdirSync(root, { recursive: true });
  const dir = mkdtempSync(join(root, 'workbench-'));
  project.provide('workbenchCache', dir);
  return () => rmSync(dir, { recursive: true, force: true });
}

/** Vitest global setup: the workbench tests' demo store is rebuilt on every run (never a stale one). */
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export default function setup(): void {
  rmSync(fileURLToPath(new URL('../../.vitest-tmp/workbench', import.meta.url)), { recursive: true, force: true });
}

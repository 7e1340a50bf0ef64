// Entry of worker threads started from a module's source (start.ts, when the module could not be bundled).
// Workers do not inherit the parent's TypeScript loader, so when the worker module is TypeScript source (running
// from a clone, under tsx or vitest) register tsx first.
import { workerData } from 'node:worker_threads';

if (workerData.entry.endsWith('.ts')) {
  const { register } = await import('tsx/esm/api');
  register();
}
await import(workerData.entry);

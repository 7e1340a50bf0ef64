/** A worker for start.test.ts: answers with its `import.meta.url`, a package's work and a sibling module's. */
import { parentPort } from 'node:worker_threads';
import { stringify } from 'yaml';
import { twice } from './twice.ts';

parentPort?.postMessage({ url: import.meta.url, yaml: stringify({ a: 1 }), twice: twice(21) });

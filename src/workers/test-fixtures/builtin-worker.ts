/** A worker for start.test.ts that imports nothing but Node built-ins and a sibling module (so it may be cached). */
import { parentPort } from 'node:worker_threads';
import { twice } from './twice.ts';

parentPort?.postMessage({ twice: twice(4) });

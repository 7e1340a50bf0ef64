// A JavaScript worker for start.test.ts: started through boot.mjs, without a bundle.
import { parentPort, workerData } from 'node:worker_threads';

parentPort?.postMessage({ entry: workerData.entry });

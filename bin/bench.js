#!/usr/bin/env node
// `npm run bench`: performance figures (throughput, peak memory per stage). Not part of the tests.
import { register } from 'tsx/esm/api';

register();
const { runBench } = await import('../bench/main.ts');
process.exitCode = await runBench(process.argv.slice(2));

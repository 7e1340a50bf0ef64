#!/usr/bin/env node
// Entry point: registers the TypeScript loader (tsx) and runs the CLI from source,
// so a fresh clone needs no build step.
import { register } from 'tsx/esm/api';

// `yibao … | head` closes the pipe early: stop quietly, as other command-line tools do, instead of a stack trace.
process.stdout.on('error', (e) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv);

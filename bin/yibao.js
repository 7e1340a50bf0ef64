#!/usr/bin/env node
// Entry point: runs the CLI from source through the TypeScript loader (tsx), so a fresh clone needs no build
// step. Commands whose start-up is part of their speed (`drg …`, `explain …`) start from a cached bundle instead
// (bin/cli-bundle.mjs), made on their first run and remade whenever a source file changes.

import GLOBAL_OPTIONS_FILE from '../src/cli/global-options.json' with { type: 'json' };

// `yibao … | head` closes the pipe early: stop quietly, as other command-line tools do, instead of a stack trace.
process.stdout.on('error', (e) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});

/** Commands started from the bundle (`explain`: one case or head answers in well under the start-up through tsx). */
const FAST_COMMANDS = new Set(['drg', 'explain']);
/** Global options that take a value: the one list src/cli/main.ts registers (src/cli/global-options.json). */
const GLOBAL_VALUE_OPTIONS = new Set(
  GLOBAL_OPTIONS_FILE.options.filter((o) => o.flags.includes('<')).map((o) => o.flags.split(' ')[0]),
);

function commandWord(argv) {
  for (let i = 2; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('-')) return a;
    if (GLOBAL_VALUE_OPTIONS.has(a)) i++;
  }
  return undefined;
}

let cli = null;
if (FAST_COMMANDS.has(commandWord(process.argv))) {
  const { bundledCli } = await import('./cli-bundle.mjs');
  cli = await bundledCli();
}
if (cli === null) {
  const { register } = await import('tsx/esm/api');
  register();
  cli = await import('../src/cli/main.ts');
}
process.exitCode = await cli.main(process.argv);

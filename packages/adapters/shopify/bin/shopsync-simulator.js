#!/usr/bin/env node
// The `shopsync-simulator` command: the built program (npm links this file at install, before any build).
let cli;
try {
  cli = await import('../dist/simulator-cli.js');
} catch (err) {
  if (err?.code !== 'ERR_MODULE_NOT_FOUND' || !String(err.message).includes('dist/simulator-cli.js')) throw err;
  process.stderr.write('shopsync-simulator: not built yet: run `npm run build` first.\n');
  process.exit(1);
}
cli.runAsProgram();

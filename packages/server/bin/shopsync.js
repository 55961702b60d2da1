#!/usr/bin/env node
// The `shopsync` command: the built program (npm links this file at install, before any build).
try {
  await import('../dist/cli.js');
} catch (err) {
  if (err?.code !== 'ERR_MODULE_NOT_FOUND' || !String(err.message).includes('dist/cli.js')) throw err;
  process.stderr.write('shopsync: not built yet: run `npm run build` first.\n');
  process.exit(1);
}

// web-test-runner glue for @shopsync/http's browser tests: a koa middleware that mounts a real
// sync handler (test-server.ts) on the test page's origin under /shopsync-test/, and the server
// command `shopsync-http` that drives its engine. test-server.ts is bundled from source once, on
// first use, with esbuild (the `source` export condition, as the node tests run), so that the
// test runner's own process needs no TypeScript loader.
import { mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const PREFIX = '/shopsync-test/';

let loading;
function load() {
  loading ??= (async () => {
    const { build } = await import('esbuild');
    const outdir = join(here, '../../../../../node_modules/.cache/shopsync-http-test');
    mkdirSync(outdir, { recursive: true });
    const outfile = join(outdir, `test-server-${process.pid}.mjs`);
    await build({
      entryPoints: [join(here, 'test-server.ts')],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      conditions: ['source'],
      logLevel: 'warning',
      // CommonJS dependencies (eventemitter3) bundled into ESM need a require for Node built-ins.
      banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
    });
    try {
      return await import(pathToFileURL(outfile).href);
    } finally {
      rmSync(outfile, { force: true });
    }
  })();
  return loading;
}

/** Koa middleware: the sync handler under /shopsync-test/ (everything else passes through). */
export async function httpTestMiddleware(ctx, next) {
  if (!ctx.path.startsWith(PREFIX)) return next();
  const server = await load();
  return server.handle(ctx, next);
}

/** Plugin answering `executeServerCommand('shopsync-http', { action, ... })`. */
export function httpTestCommands() {
  return {
    name: 'shopsync-http-test-commands',
    async executeCommand({ command, payload }) {
      if (command !== 'shopsync-http') return undefined;
      const server = await load();
      return server.command(payload);
    },
  };
}

// Browser tests, in Debian's Chromium (never a downloaded browser). Part of `npm test`.
// TypeScript through esbuild; workspace packages resolve to their sources (`source` condition);
// `node:test` and `node:assert/strict` map to small browser shims so that the core's portable
// suites run here unchanged.
import rollupCommonjs from '@rollup/plugin-commonjs';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { fromRollup } from '@web/dev-server-rollup';
import { chromeLauncher } from '@web/test-runner-chrome';
import { serverCommands } from './test/browser/server-commands.mjs';
import { httpTestCommands, httpTestMiddleware } from './packages/adapters/http/test/browser/wtr.mjs';

const commonjs = fromRollup(rollupCommonjs);

/** Core suites that need nothing from Node: they run in Chromium as well. */
const PORTABLE_CORE_SUITES = [
  'packages/core/test/api-version.test.ts',
  'packages/core/test/engine.test.ts',
  'packages/core/test/hash-and-logs.test.ts',
  'packages/core/test/queue.property.test.ts',
  'packages/core/test/status-machine.test.ts',
  'packages/core/test/storage-memory.test.ts',
  'packages/core/test/validation.test.ts',
];

const SHIMS = {
  'node:test': '/test/browser/node-test-shim.ts',
  'node:assert/strict': '/test/browser/node-assert-shim.ts',
};

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--headless=new',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** Suites that change the browser itself (a storage quota) run in a browser of their own (a group, always). */
export const OWN_BROWSER_SUITES = ['packages/adapters/indexeddb/test/quota.browser.test.ts'];

const chromium = () =>
  chromeLauncher({
    launchOptions: { executablePath: process.env.CHROME_PATH || '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS },
  });

export default {
  rootDir: '.',
  // The widget's tests sit beside its components (packages/widget/src/<component>/*.browser.test.ts).
  files: ['packages/**/test/**/*.browser.test.ts', 'packages/widget/src/**/*.browser.test.ts', 'stories/test/**/*.browser.test.ts', '!**/node_modules/**', ...OWN_BROWSER_SUITES.map((f) => `!${f}`), ...PORTABLE_CORE_SUITES],
  groups: OWN_BROWSER_SUITES.map((f) => ({ name: f.split('/').pop().replace('.browser.test.ts', ''), files: f, browsers: [chromium()] })),
  nodeResolve: { exportConditions: ['source', 'browser', 'import', 'default'] },
  concurrency: 1,
  testsFinishTimeout: 300_000,
  testFramework: { config: { timeout: 60_000 } },
  // @shopsync/http's browser tests talk to a real sync handler on the page's origin.
  middleware: [httpTestMiddleware],
  plugins: [
    { name: 'node-shims', resolveImport: ({ source }) => SHIMS[source] },
    esbuildPlugin({ ts: true, target: 'es2022', tsconfig: 'tsconfig.browser.json' }),
    commonjs({ include: ['**/node_modules/eventemitter3/**'], strictRequires: false }),
    serverCommands(),
    httpTestCommands(),
  ],
  browsers: [chromium()],
};

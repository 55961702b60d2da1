// `npm run bench:widget`: bundles bench/widget.page.ts, serves it on 127.0.0.1, runs it in Debian's
// Chromium (puppeteer-core), measures the widget's bundle size, and writes the table to bench/RESULTS.md.
// Goals: first render <= 50 ms, <= 1 render per frame, bundle <= 30 KB min+gzip with lit external.
import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { launchChromium, servePage } from './browser-page.mjs';

const tsconfigRaw = { compilerOptions: { experimentalDecorators: true, useDefineForClassFields: false } };

/** min+gzip size (KB) of the widget's entry with the given packages left external. */
async function gzipKb(external) {
  const r = await build({ entryPoints: ['packages/widget/src/index.ts'], bundle: true, minify: true, format: 'esm', write: false, external, conditions: ['source'], target: 'es2022', tsconfigRaw });
  return gzipSync(r.outputFiles[0].contents, { level: 9 }).length / 1024;
}
const cpus = availableParallelism();
const LIT = ['lit', 'lit/*', 'lit-html', 'lit-html/*', 'lit-element', 'lit-element/*', '@lit/reactive-element', '@lit/reactive-element/*'];
const litExternal = await gzipKb([...LIT, '@shopsync/core']);
// As dist/index.js ships: every dependency the widget's package.json names stays external.
const DEPS = Object.keys(JSON.parse(readFileSync('packages/widget/package.json', 'utf8')).dependencies).flatMap((d) => [d, `${d}/*`]);
const depsExternal = await gzipKb([...LIT, ...DEPS]);
const selfContained = gzipSync(
  (await build({ entryPoints: ['packages/widget/src/bundle.ts'], bundle: true, minify: true, format: 'esm', write: false, conditions: ['source'], target: 'es2022', tsconfigRaw })).outputFiles[0].contents,
  { level: 9 },
).length / 1024;

const served = await servePage('bench/widget.page.ts', { title: 'widget bench', bodyStyle: 'margin:0;width:1200px', tsconfigRaw });
const url = served.url;
const browser = await launchChromium();
try {
  async function run(query) {
    const tab = await browser.newPage();
    await tab.setViewport({ width: 1200, height: 900 });
    tab.on('pageerror', (e) => console.error(e));
    tab.on('console', (m) => console.log('page:', m.text()));
    await tab.goto(url + query);
    await tab.waitForFunction(() => 'benchResult' in globalThis, { timeout: 120_000 });
    const result = await tab.evaluate(() => globalThis.benchResult);
    await tab.close();
    return result;
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  // Each first render is cold: a fresh page, templates and styles never compiled before.
  const firsts = [];
  for (let i = 0; i < 7; i++) firsts.push(await run('?first'));
  const { live } = await run('?live');
  const first = median(firsts.map((r) => r.cold.overview));
  const warm = median(firsts.map((r) => r.warm.overview));
  const items = median(firsts.map((r) => r.cold.items));
  const runs = firsts;
  const secs = live.ms / 1000;
  const rendersPerS = live.renders / secs;
  const framesPerS = live.frames / secs;
  const perFrame = live.renders / live.frames;
  const version = await browser.version();
  const { writeResults } = await import('./results.ts');
  writeResults(
    'widget',
    'npm run bench:widget',
    [
      ['what', 'figure', 'goal'],
      ['first render, cold (fresh page): Synchronization tab of an event with 1,000 iterations, source → panel and every part rendered, median ms', first.toFixed(1), '≤ 50'],
      ['same, warm (a second panel in the same page), median ms', warm.toFixed(1), ''],
      ['first render, cold: Item Synchronization Status tab over 100,000 items (first page, error groups, virtualized rows in view), median ms', items.toFixed(1), ''],
      [`live: source updates per second (${live.updates} in ${secs.toFixed(1)} s)`, (live.updates / secs).toFixed(0), '1,000'],
      ['live: panel renders per second', rendersPerS.toFixed(1), '≤ frames/s'],
      ['live: animation frames per second', framesPerS.toFixed(1), ''],
      ['live: renders per frame', perFrame.toFixed(3), '≤ 1'],
      ['bundle, lit external (@lit/context and the HTTP client included), KB min+gzip', litExternal.toFixed(1), '≤ 30'],
      ['bundle, every dependency external (as dist/index.js ships), KB min+gzip', depsExternal.toFixed(1), ''],
      ['self-contained bundle (lit and all included), KB min+gzip', selfContained.toFixed(1), ''],
    ],
    [
      `${version} (headless), 1200×900 viewport; first renders: median of ${runs.length} fresh pages; live for ${secs.toFixed(1)} s with 1 in 20 updates an iterationCompleted and the rest pendingChanged.`,
      // Timings scale with what else the machine runs (it is shared): its load is part of the figure.
      `Load average when done: ${loadavg()
        .map((x) => x.toFixed(1))
        .join(' / ')} (1 / 5 / 15 min) on ${cpus} cores.`,
    ],
  );
  console.log(`first render ${first.toFixed(1)} ms cold (warm ${warm.toFixed(1)} ms), items tab ${items.toFixed(1)} ms, ${rendersPerS.toFixed(1)} renders/s at ${framesPerS.toFixed(1)} frames/s`);
  console.log(`RESULT widget first_render_ms=${first.toFixed(1)} renders_per_s=${rendersPerS.toFixed(1)} bundle_gzip_kb=${litExternal.toFixed(1)}`);
} finally {
  await browser.close();
  served.close();
}

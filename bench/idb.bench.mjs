// `npm run bench:idb`: bundles bench/idb.page.ts, serves it on 127.0.0.1, runs it in Debian's
// Chromium (puppeteer-core, no downloaded browser) and writes the table to bench/RESULTS.md.
import { launchChromium, servePage } from './browser-page.mjs';

const served = await servePage('bench/idb.page.ts', { title: 'idb bench' });
const url = served.url;
const browser = await launchChromium();
try {
  const page = await browser.newPage();
  page.on('pageerror', (e) => console.error(e));
  page.on('console', (m) => console.log('page:', m.text()));
  await page.goto(url);
  await page.waitForFunction(() => 'benchResult' in globalThis, { timeout: 30_000 });
  const result = await page.evaluate(() => globalThis.benchResult);
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const o = median(result.ours);
  const r = median(result.raw);
  const oursOps = Math.round((result.n * 1000) / o);
  const ratio = r / o;
  const { writeResults } = await import('./results.ts');
  const version = await browser.version();
  writeResults(
    'queue.indexeddb',
    'npm run bench:idb',
    [
      ['what', `median ms (${result.ours.length} runs)`, 'changes/s', 'ratio'],
      ['@shopsync/indexeddb: enqueue (coalescing, item statuses, counts) + lease + ack, one transaction each', o.toFixed(0), String(oursOps), ratio.toFixed(3)],
      ['raw idb: batched puts, then batched deletes, of the same records', r.toFixed(0), String(Math.round((result.n * 1000) / r)), '1.000'],
    ],
    [`${result.n.toLocaleString('en')} changes in ${version} (headless), enqueued 1,000 per transaction, leased and acknowledged 250 at a time; entries validated before timing (the adapter's cost alone).`],
  );
  console.log(`ours ${o.toFixed(0)} ms, raw ${r.toFixed(0)} ms`);
  console.log(`RESULT queue.indexeddb ratio=${ratio.toFixed(3)} ops_per_s=${oursOps}`);
} finally {
  await browser.close();
  served.close();
}

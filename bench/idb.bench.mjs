// `npm run bench:idb`: bundles bench/idb.page.ts, serves it on 127.0.0.1, runs it in Debian's
// Chromium (puppeteer-core, no downloaded browser) and writes the table to bench/RESULTS.md.
import { launchChromium, servePage } from './browser-page.mjs';

const served = await servePage('bench/idb.page.ts', { title: 'idb bench' });
const url = served.url;
const browser = await launchChromium();
try {
  const page = await browser.newPage();
  page.on('pageerror', (e) => console.error(e));
  // The page says how long each phase of each round took: `ours enqueue E lease L ack A`, `raw put P`.
  const phases = { enqueue: [], lease: [], ack: [], put: [] };
  page.on('console', (m) => {
    const text = m.text();
    console.log('page:', text);
    const ours = /^ours enqueue (\d+) lease (\d+) ack (\d+)$/.exec(text);
    if (ours) ['enqueue', 'lease', 'ack'].forEach((k, i) => phases[k].push(Number(ours[i + 1])));
    const raw = /^raw put (\d+)$/.exec(text);
    if (raw) phases.put.push(Number(raw[1]));
  });
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
    [
      `${result.n.toLocaleString('en')} changes in ${version} (headless), enqueued 1,000 per transaction, leased and acknowledged 250 at a time; entries validated before timing (the adapter's cost alone).`,
      `Median by phase, ms: adapter enqueue ${median(phases.enqueue)}, lease ${median(phases.lease)}, ack ${median(phases.ack)}; raw puts ${median(phases.put)}, deletes ${median(result.raw.map((ms, i) => Math.round(ms) - phases.put[i]))}.`,
      'Per item, the adapter writes its row twice (enqueued, then its outcome over its change: the item tab keeps it) where raw idb puts and deletes it; its index entries: 1 in the drain order and, for a variant, 1 under its product while it waits, 1 in the status index once settled. Per batch it also reads its rows (one getAll a run of neighbouring keys), the live leases and the counts, and writes the counts. A lease reads a page of the drain order (cut to about what the last lease looked at) and the waiting variants of each product it takes (one getAll a product), and writes one lease row naming keys and seqs.',
      "Issue #20's layout (IndexedDB schema version 5: no entity index, a queued row out of the status index, a lease naming keys and seqs instead of copying its changes, a batch's rows read by key ranges instead of one get a key, lease pages cut to what the last lease looked at) took the first row from a ratio of 0.420 (11,226 ms against 4,713) in the previous table of this file.",
    ],
  );
  console.log(`ours ${o.toFixed(0)} ms, raw ${r.toFixed(0)} ms`);
  console.log(`RESULT queue.indexeddb ratio=${ratio.toFixed(3)} ops_per_s=${oursOps}`);
} finally {
  await browser.close();
  served.close();
}

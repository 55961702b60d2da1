/**
 * One worker process of bench:fleet: a FleetRunner on PostgreSQL driving the registry's stores
 * through a ShopifyTarget against the benchmark's simulator fleet (one endpoint, every shop).
 * Job from SHOPSYNC_BENCH_FLEET (JSON). Writes one line per slot to `out`:
 * `{"c", "outcome", "from", "to"}` (process.hrtime.bigint(), shared by the machine's processes).
 * Prints `ready`, then on SIGTERM stops the runner (iterations finish, claims are released) and
 * prints its memory figures as JSON: the heap after GC each time it has driven 50 more
 * connectors (from 100 on: the schemas, code and caches of the first runs are loaded by then),
 * as `[driven, bytes]` pairs, the last one once every slot ended; and how many it drove.
 */
import { appendFileSync } from 'node:fs';
import { FleetRunner } from '@shopsync/core';
import { PostgresStorage } from '@shopsync/postgres';
import { ShopifyTarget } from '@shopsync/shopify';

interface Job {
  url: string;
  schema: string;
  simulator: string;
  token: string;
  worker: string;
  concurrency: number;
  sliceMs: number;
  out: string;
}

const job = JSON.parse(process.env.SHOPSYNC_BENCH_FLEET ?? '{}') as Job;
const gc = (globalThis as { gc?: () => void }).gc;
const heap = (): number => {
  gc?.();
  gc?.();
  return process.memoryUsage().heapUsed;
};

const storage = await PostgresStorage.open({ url: job.url, schema: job.schema, max: job.concurrency + 2 });
// One target for every store of this process: it keeps a session per connector only while it runs it (suspend).
const target = new ShopifyTarget({ accessToken: job.token, endpoint: job.simulator });
const runner = new FleetRunner({ storage, worker: job.worker, targetFor: () => target, concurrency: job.concurrency, sliceMs: job.sliceMs, claimMs: 30_000, pollMs: 200, engine: { batchSize: 250 } });
const driven = new Set<string>();
const from = new Map<string, bigint>();
runner.on('claimed', (e) => {
  from.set(e.connectorId, process.hrtime.bigint());
  driven.add(e.connectorId);
});
const samples: Array<[number, number]> = [];
runner.on('released', (e) => {
  if (driven.size >= 100 && driven.size % 50 === 0 && samples.at(-1)?.[0] !== driven.size) samples.push([driven.size, heap()]);
  const line = { c: e.connectorId, outcome: e.outcome, from: String(from.get(e.connectorId)), to: String(process.hrtime.bigint()), ...(e.error !== undefined && { error: String(e.error).slice(0, 300) }) };
  appendFileSync(job.out, `${JSON.stringify(line)}\n`);
});
runner.start();
process.stdout.write('ready\n');
process.once('SIGTERM', () => {
  void (async () => {
    await runner.stop();
    samples.push([driven.size, heap()]);
    process.stdout.write(`${JSON.stringify({ samples, driven: driven.size, heldByTarget: target.activeConnectors.length })}\n`);
    await storage.close();
    process.exit(0);
  })();
});

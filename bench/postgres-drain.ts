/**
 * One draining process of bench/postgres.bench.ts (part b): leases from the benchmark's
 * connectors, round robin starting at its own, and acknowledges each lease at once with the
 * engine's commit (postgres-commit.ts), until every connector is drained. It opens its storage
 * and computes the hashes first, says `ready`, and starts on `go` (stdin), so that start-up is
 * not timed. At the end it writes every lease to its file, one JSON line each:
 * `{ "c", "lease", "keys", "from", "to" }`, `from` just after the lease returned (its items
 * claimed and committed) and `to` just after its ack returned, on the machine's monotonic clock
 * (ns, shared by its processes); and prints `{ "start", "end", "items", "leases", "empty" }`.
 */
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { toQueueEntries, seededRandom } from '@shopsync/core/testing';
import { PostgresStorage } from '@shopsync/postgres';
import { EngineCommits, hashesOf } from './postgres-commit.js';
import { storageWorkload } from './workload.js';

interface Job {
  url: string;
  schema: string;
  connectors: string[];
  /** Changes per connector (the same storageWorkload for each), to compute their hashes. */
  perConnector: number;
  /** This process's place among the others: where its round robin starts, and its random seed. */
  index: number;
  minLimit: number;
  maxLimit: number;
  /** Where the leases go. */
  out: string;
}

const job = JSON.parse(process.env.SHOPSYNC_BENCH_PG_DRAIN ?? '') as Job;
const random = seededRandom(1_000 + job.index);
const hashes = hashesOf(toQueueEntries(storageWorkload(job.perConnector)).entries);
const storage = await PostgresStorage.open({ url: job.url, schema: job.schema, max: 2 });
const lines: string[] = [];
try {
  const commits = new Map(job.connectors.map((c) => [c, new EngineCommits(c, Date.now())]));
  process.stdin.setEncoding('utf8');
  process.stdout.write('ready\n');
  await once(process.stdin, 'data');
  const start = process.hrtime.bigint();
  const done = new Set<string>();
  let items = 0;
  let empty = 0;
  let misses = 0;
  for (let i = job.index; done.size < job.connectors.length; i++) {
    const c = job.connectors[i % job.connectors.length]!;
    if (done.has(c)) continue;
    const limit = job.minLimit + Math.floor(random() * (job.maxLimit - job.minLimit + 1));
    const leasedAt = Date.now();
    const lease = await storage.lease(c, { limit, leaseMs: 300_000, now: leasedAt });
    const from = process.hrtime.bigint();
    if (!lease) {
      empty++;
      const counts = await storage.pendingCounts(c);
      // Pending but nothing free: another process holds the rest of this connector (its leases count until acked).
      if (counts.categories + counts.products + counts.variants === 0) done.add(c);
      else if (++misses >= job.connectors.length - done.size) {
        misses = 0;
        await sleep(1);
      }
      continue;
    }
    misses = 0;
    await storage.ack(c, lease.id, commits.get(c)!.commit(lease, hashes, leasedAt, Date.now()));
    const to = process.hrtime.bigint();
    items += lease.items.length;
    lines.push(JSON.stringify({ c, lease: lease.id, keys: lease.items.map((e) => e.key), from: String(from), to: String(to) }));
  }
  const end = process.hrtime.bigint();
  writeFileSync(job.out, lines.length ? `${lines.join('\n')}\n` : '');
  process.stdout.write(`${JSON.stringify({ start: String(start), end: String(end), items, leases: lines.length, empty })}\n`);
} finally {
  await storage.close();
  process.stdin.destroy();
}

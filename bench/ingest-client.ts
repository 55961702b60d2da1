/**
 * bench:ingest's HTTP client, a process of its own (`node --expose-gc --conditions=source --import
 * tsx bench/ingest-client.ts`, an IPC channel to the bench): for each message `{ id, url, key,
 * connector, batch }` it makes the batch's NDJSON itself (ingest-workload.ts, the same bytes the
 * bench reads) as UTF-8 bytes, collects its garbage, then POSTs it and answers `{ id, ms, status, text }`, timed
 * from the request's start to its answer's last byte. Neither the bench's heap nor its work
 * falls inside a request's time.
 */
import { performance } from 'node:perf_hooks';
import { ingestBatch, toNdjson } from './ingest-workload.js';

interface Job {
  id: number;
  url: string;
  key: string;
  connector: string;
  batch: number;
  size: number;
}

const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);

process.on('message', (job: Job) => {
  void (async () => {
    // Encoded before timing: the request's time is the service's, not the client's UTF-8 encoding.
    const body = Buffer.from(toNdjson(ingestBatch(job.batch, job.size)));
    gc();
    const t0 = performance.now();
    const res = await fetch(`${job.url}/v1/connectors/${job.connector}/changes`, { method: 'POST', headers: { authorization: `Bearer ${job.key}`, 'content-type': 'application/x-ndjson' }, body });
    const text = await res.text();
    const ms = performance.now() - t0;
    process.send!({ id: job.id, ms, status: res.status, text, bytes: body.length });
  })().catch((err: unknown) => process.send!({ id: job.id, error: (err as Error).stack ?? String(err) }));
});
process.send!('ready');

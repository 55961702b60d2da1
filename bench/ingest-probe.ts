/**
 * Loaded into bench:ingest's service process (`--import ./bench/ingest-probe.ts`, before the
 * CLI; no file of the service is changed). It wraps two methods of the modules the service
 * itself loads (the same module instances), to time them inside the service:
 * - `ChangeQueue.prototype.enqueue` (core): validation (`toQueueEntries`) + the adapter's enqueue;
 * - `SqliteStorage.prototype.enqueue` / `PostgresStorage.prototype.enqueue`: the adapter alone;
 * and on each message of the bench's IPC channel it answers the totals so far (wall and CPU ms of
 * each) and the process's CPU time (user + system, every thread), so that the bench can split a
 * request's time. The channel does not keep the process alive.
 */
import { performance } from 'node:perf_hooks';
import { ChangeQueue } from '@shopsync/core';
import { PostgresStorage } from '@shopsync/postgres';
import { SqliteStorage } from '@shopsync/sqlite';

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

const totals = { queueMs: 0, queueCpu: 0, adapterMs: 0, adapterCpu: 0 };

function wrap(proto: object, name: 'queue' | 'adapter'): void {
  const target = proto as { enqueue: (...args: unknown[]) => Promise<unknown> };
  const original = target.enqueue;
  target.enqueue = async function (this: unknown, ...args: unknown[]) {
    const t0 = performance.now();
    const c0 = cpuMs();
    try {
      return await original.apply(this, args);
    } finally {
      totals[`${name}Ms`] += performance.now() - t0;
      totals[`${name}Cpu`] += cpuMs() - c0;
    }
  };
}

wrap(ChangeQueue.prototype, 'queue');
wrap(SqliteStorage.prototype, 'adapter');
wrap(PostgresStorage.prototype, 'adapter');

if (process.send) {
  process.on('message', () => process.send!({ cpuMs: cpuMs(), ...totals }));
  process.channel?.unref();
}

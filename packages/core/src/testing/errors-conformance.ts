/**
 * Core's storage errors, as every StorageAdapter must throw them where a situation can be made
 * alike on each: a call on a closed storage, and opening a storage a newer shopsync wrote. Part
 * of `runStorageConformance`: the same class (`instanceof` core's), the same `code`, the
 * adapter's own `backend`.
 */
import { StorageClosedError } from '../errors/storage-closed-error.js';
import { StorageError, type StorageBackend } from '../errors/storage-error.js';
import { StorageVersionError } from '../errors/storage-version-error.js';
import { toQueueEntries } from '../queue/queue.js';
import type { StorageAdapter } from '../storage/adapter.js';
import { AssertionFailed, equal, ok } from './assert.js';
import { C, T0, event, log } from './records.js';
import { connectorRecord } from './registry-conformance.js';

/** A storage that a newer shopsync wrote, left by `ConformanceOptions.writtenByNewer`. */
export interface NewerStorage {
  /** Opens it as the adapter under test would (`XStorage.open(...)`): it must refuse with StorageVersionError. */
  open(): Promise<StorageAdapter> | StorageAdapter;
  /** The schema version the storage has, as the error must say it (undefined where the backend cannot tell). */
  found: number | undefined;
  /** The newest schema version the adapter under test knows. */
  expected: number;
  /** Removes it. */
  cleanup?(): Promise<void> | void;
}

/** What the errors' tests need to know of the adapter (part of `ConformanceOptions`). */
export interface StorageErrorConformance {
  /** The `backend` the adapter's errors name. */
  backend: StorageBackend;
  /** Leaves a storage a newer shopsync wrote; absent where nothing outlives the storage (memory). */
  writtenByNewer?(): Promise<NewerStorage> | NewerStorage;
}

/** Every call of the contract but `close`, with arguments it would accept on an open storage. */
const CALLS: ReadonlyArray<readonly [string, (s: StorageAdapter) => Promise<unknown>]> = [
  ['enqueue', (s) => s.enqueue(C, toQueueEntries([{ entity: 'product', op: 'upsert', ref: 'p1', data: { title: 'P1' } }]).entries, T0)],
  ['lease', (s) => s.lease(C, { limit: 10, leaseMs: 60_000, now: T0 })],
  ['ack', (s) => s.ack(C, 'lease_1', { items: [], now: T0 })],
  ['release', (s) => s.release(C, 'lease_1')],
  ['pendingCounts', (s) => s.pendingCounts(C)],
  ['getHashes', (s) => s.getHashes(C, ['product:p1'])],
  ['saveEvent', (s) => s.saveEvent(event('evt_1', T0))],
  ['getEvent', (s) => s.getEvent(C, 'evt_1')],
  ['listEvents', (s) => s.listEvents(C, { offset: 0, limit: 10 })],
  ['appendLogs', (s) => s.appendLogs(C, 'evt_1', [log('evt_1', 'a line')])],
  ['readLogs', (s) => s.readLogs(C, 'evt_1')],
  ['getItems', (s) => s.getItems(C, ['product:p1'])],
  ['queryItems', (s) => s.queryItems(C, { offset: 0, limit: 10 })],
  ['getTargetIds', (s) => s.getTargetIds(C, ['product:p1'])],
  ['setTargetIds', (s) => s.setTargetIds(C, [{ key: 'product:p1', id: 'gid://shopify/Product/1' }])],
  ['createConnector', (s) => s.createConnector(connectorRecord(C))],
  ['updateConnector', (s) => s.updateConnector(connectorRecord(C))],
  ['deleteConnector', (s) => s.deleteConnector(C)],
  ['getConnector', (s) => s.getConnector(C)],
  ['listConnectors', (s) => s.listConnectors({ offset: 0, limit: 10 })],
  ['claimConnectors', (s) => s.claimConnectors({ worker: 'w1', now: T0, leaseMs: 60_000, limit: 10 })],
  ['renewConnectorClaim', (s) => s.renewConnectorClaim(C, 'w1', T0, 60_000)],
  ['releaseConnector', (s) => s.releaseConnector(C, 'w1', { now: T0, open: false })],
  ['requestRun', (s) => s.requestRun(C, T0)],
  ['fleetView', (s) => s.fleetView(T0)],
];

/** What `fn` threw or rejected with (a throw before the promise counts too). */
async function failure(fn: () => unknown, what: string): Promise<unknown> {
  try {
    await fn();
  } catch (err) {
    return err;
  }
  throw new AssertionFailed(`${what}: expected a rejection, it resolved`);
}

const shown = (err: unknown) => (err instanceof Error ? `${err.name}: ${err.message}` : String(err));

/** Registers the storage errors' tests with the suite's `describe` and `test` (a fresh storage each). */
export function storageErrorConformance(
  describe: (name: string, fn: () => void) => unknown,
  it: (name: string, fn: () => Promise<void>) => unknown,
  test: (name: string, fn: (s: StorageAdapter) => Promise<void>) => unknown,
  options: StorageErrorConformance,
): void {
  describe("core's storage errors", () => {
    test('after close() every call rejects with StorageClosedError (reason "closed"); close() again is harmless', async (s) => {
      await s.close();
      await s.close();
      for (const [name, call] of CALLS) {
        const err = await failure(() => call(s), name);
        ok(err instanceof StorageClosedError && err instanceof StorageError, `${name}: expected core's StorageClosedError, got ${shown(err)}`);
        equal(err.code, 'storage_closed', `${name}: code`);
        equal(err.backend, options.backend, `${name}: backend`);
        equal(err.reason, 'closed', `${name}: reason`);
        equal(err.retryable, false, `${name}: retryable`);
      }
    });

    const newer = options.writtenByNewer;
    if (newer) {
      it('a storage written by a newer shopsync is refused with StorageVersionError, naming both versions', async () => {
        const stored = await newer();
        try {
          const err = await failure(() => stored.open(), 'open');
          ok(err instanceof StorageVersionError && err instanceof StorageError, `expected core's StorageVersionError, got ${shown(err)}`);
          equal(err.code, 'storage_version_too_new');
          equal(err.backend, options.backend, 'backend');
          equal(err.found, stored.found, 'found');
          equal(err.expected, stored.expected, 'expected');
          equal(err.retryable, false, 'retryable');
          ok(/newer version of shopsync/.test(err.message) && /nothing was changed/.test(err.message), `message: ${err.message}`);
        } finally {
          await stored.cleanup?.();
        }
      });
    }
  });
}

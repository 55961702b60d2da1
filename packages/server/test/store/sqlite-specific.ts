/**
 * What is particular to SqliteServerStore: it shares the sync storage's file without touching
 * that storage's `user_version`, keeps its own version row, refuses a newer one, and refuses
 * damaged rows (written behind its back with raw SQL) with an error naming table, row and field,
 * changing nothing.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Sqlite from 'better-sqlite3';
import { ShopsyncError, StorageCorruptError } from '@shopsync/core';
import { SqliteStorage } from '@shopsync/sqlite';
import { SqliteServerStore } from '../../src/store/sqlite-store.js';
import type { ServerStore } from '../../src/store/types.js';
import { apiKey, delivery, ids, rejectsWith, started, T0, webhook } from './conformance-helpers.js';

/** Where the tests make their database files. */
export interface TempFiles {
  file(): { path: string; remove: () => void };
}

/** Asserts that `p` rejects with the damaged-record error naming `table`, `row` and `field`. */
export async function refusedAsDamaged(p: Promise<unknown>, table: string, row: string, field: string): Promise<void> {
  await assert.rejects(p, (err: unknown) => {
    assert.ok(err instanceof StorageCorruptError, `expected core's StorageCorruptError, got ${String(err)}`);
    assert.ok(err instanceof ShopsyncError);
    assert.equal(err.code, 'storage_corrupt');
    assert.deepEqual({ table: err.table, row: err.row, field: err.field }, { table, row, field });
    for (const part of [`table ${table}`, row, `field ${field}`]) assert.ok(err.message.includes(part), `message names ${part}: ${err.message}`);
    return true;
  });
}

/** The SQLite store's own cases. */
export function sqliteSpecificCases(files: TempFiles): void {
  describe('SqliteServerStore', () => {
    async function withFile(fn: (path: string, store: SqliteServerStore) => Promise<void>): Promise<void> {
      const { path, remove } = files.file();
      const store = SqliteServerStore.open({ path });
      try {
        await store.migrate();
        await fn(path, store);
      } finally {
        await store.close();
        remove();
      }
    }

    it("shares the sync storage's file: its own version row in server_meta, the file's user_version left to @shopsync/sqlite", async () => {
      const { path, remove } = files.file();
      const sync = SqliteStorage.open({ path });
      const userVersion = sync.version;
      const store = SqliteServerStore.open({ path });
      try {
        await store.migrate();
        await store.createApiKey(apiKey('k1', T0));
        assert.equal(sync.version, userVersion);
        // The sync storage still works on the same file, beside the service's connection.
        assert.equal(typeof (await sync.pendingCounts('c1')).products, 'number');
        const raw = new Sqlite(path, { readonly: true });
        try {
          assert.deepEqual(raw.prepare('SELECT name, value FROM server_meta').all(), [{ name: 'schema_version', value: 1 }]);
          assert.equal(raw.pragma('user_version', { simple: true }), userVersion);
          assert.equal(raw.pragma('journal_mode', { simple: true }), 'wal');
        } finally {
          raw.close();
        }
      } finally {
        await store.close();
        await sync.close();
      }
      // The other order: the service's tables first, then the sync storage opens the file and migrates it.
      const again = SqliteStorage.open({ path });
      assert.equal(again.version, userVersion);
      await again.close();
      const reopened = SqliteServerStore.open({ path });
      await reopened.migrate();
      assert.equal((await reopened.getApiKey('k1'))?.id, 'k1');
      await reopened.close();
      remove();
    });

    it('refuses tables of a newer version (storage_version_too_new) and changes nothing', () =>
      withFile(async (path, store) => {
        const raw = new Sqlite(path);
        raw.prepare("UPDATE server_meta SET value = 99 WHERE name = 'schema_version'").run();
        raw.close();
        await rejectsWith(store.migrate(), 'storage_version_too_new');
        const check = new Sqlite(path, { readonly: true });
        assert.deepEqual(check.prepare('SELECT value FROM server_meta').all(), [{ value: 99 }]);
        check.close();
      }));

    it('before migrate(): storage_not_migrated, saying to call it', async () => {
      const { path, remove } = files.file();
      const store = SqliteServerStore.open({ path });
      try {
        await rejectsWith(store.getApiKey('k1'), 'storage_not_migrated');
      } finally {
        await store.close();
        remove();
      }
    });

    it('open() refuses an empty path (invalid_input)', () => {
      assert.throws(() => SqliteServerStore.open({ path: '' }), (err: unknown) => (err as ShopsyncError).code === 'invalid_input');
    });

    describe('damaged rows are refused, naming table, row and field', () => {
      /** A store holding a key, settings, credentials, an idempotency record, a webhook and three deliveries, then damaged by `sql`. */
      async function damaged(sql: string, fn: (store: ServerStore, path: string) => Promise<void>): Promise<void> {
        await withFile(async (path, store) => {
          await store.createApiKey(apiKey('k1', T0, { scopes: ['ingest', 'read'] }));
          await store.putSettings('c1', { allowedOrigins: ['https://erp.example.com'] });
          await store.putCredentials('c1', { kind: 'token', sealed: 's', updatedAt: T0 });
          await store.beginIdempotent(started('c1', 'idem-1', T0), 0);
          await store.createWebhook(webhook('wh-1', 'c1', T0));
          await store.addDeliveries([delivery('d1', { nextAttemptAt: T0 - 2 }), delivery('d2', { nextAttemptAt: T0 - 1 }), delivery('d3')]);
          const raw = new Sqlite(path);
          raw.exec(sql);
          raw.close();
          await fn(store, path);
        });
      }

      it('server_api_keys: JSON that does not parse, a scope unknown, a time that is text', async () => {
        await damaged(`UPDATE server_api_keys SET scopes = '["ingest",' WHERE id = 'k1'`, (s) => refusedAsDamaged(s.getApiKey('k1'), 'server_api_keys', 'id "k1"', 'scopes'));
        await damaged(`UPDATE server_api_keys SET scopes = '["ingest","root"]'`, (s) => refusedAsDamaged(s.listApiKeys(), 'server_api_keys', 'id "k1"', 'scopes[1]'));
        await damaged(`UPDATE server_api_keys SET created_at = 'yesterday'`, (s) => refusedAsDamaged(s.getApiKey('k1'), 'server_api_keys', 'id "k1"', 'created_at'));
      });

      it('server_settings, server_credentials, server_webhooks', async () => {
        await damaged(`UPDATE server_settings SET allowed_origins = '"https://erp.example.com"'`, (s) => refusedAsDamaged(s.getSettings('c1'), 'server_settings', 'connector "c1"', 'allowed_origins'));
        await damaged(`UPDATE server_credentials SET kind = 'password'`, (s) => refusedAsDamaged(s.getCredentials('c1'), 'server_credentials', 'connector "c1"', 'kind'));
        await damaged(`UPDATE server_webhooks SET events = '[1]'`, (s) => refusedAsDamaged(s.listWebhooks('c1'), 'server_webhooks', 'id "wh-1"', 'events[0]'));
      });

      it('server_idempotency: a done record without its status', () =>
        damaged(`UPDATE server_idempotency SET state = 'done'`, (s) => refusedAsDamaged(s.beginIdempotent(started('c1', 'idem-1', T0 + 1), 0), 'server_idempotency', 'connector "c1", key "idem-1"', 'status')));

      it('server_deliveries: a read, a list and a claim that meet a damaged attempt are refused; the claim is rolled back whole', () =>
        damaged(`UPDATE server_deliveries SET attempts = '[{"at":"then","durationMs":1}]' WHERE id = 'd2'`, async (s) => {
          await refusedAsDamaged(s.getDelivery('d2'), 'server_deliveries', 'id "d2"', 'attempts[0].at');
          await refusedAsDamaged(s.listDeliveries({ connectorId: 'c1', offset: 0, limit: 10 }), 'server_deliveries', 'id "d2"', 'attempts[0].at');
          await refusedAsDamaged(s.claimDeliveries({ worker: 'w1', now: T0, leaseMs: 1000, limit: 10 }), 'server_deliveries', 'id "d2"', 'attempts[0].at');
          assert.equal((await s.getDelivery('d1'))?.claimedBy, undefined, 'd1 was not left claimed');
        }));

      it('server_deliveries: a pending delivery without its due time; recordAttempt on a damaged row changes nothing', () =>
        damaged(`UPDATE server_deliveries SET next_attempt_at = NULL WHERE id = 'd3'`, async (s, path) => {
          await refusedAsDamaged(s.getDelivery('d3'), 'server_deliveries', 'id "d3"', 'next_attempt_at');
          assert.deepEqual(ids(await s.claimDeliveries({ worker: 'w1', now: T0, leaseMs: 1000, limit: 1 })), ['d1']);
          const raw = new Sqlite(path);
          raw.exec(`UPDATE server_deliveries SET attempts = '{"at":1}' WHERE id = 'd1'`);
          raw.close();
          await refusedAsDamaged(s.recordAttempt('d1', 'w1', { at: T0, status: 200, durationMs: 1 }, { state: 'succeeded' }), 'server_deliveries', 'id "d1"', 'attempts');
          const check = new Sqlite(path, { readonly: true });
          assert.deepEqual(check.prepare(`SELECT state, claimed_by FROM server_deliveries WHERE id = 'd1'`).get(), { state: 'pending', claimed_by: 'w1' });
          check.close();
        }));
    });
  });
}

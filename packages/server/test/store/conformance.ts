/**
 * One conformance suite for every ServerStore (memory, SQLite, PostgreSQL): each method and the
 * edges its doc comment states, on a fresh migrated store per test. This file: the lifecycle,
 * API keys, settings and credentials; conformance-ingest.ts: idempotent ingest, webhooks and
 * deleteConnectorData; conformance-deliveries.ts: the outbox.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StorageClosedError } from '@shopsync/core';
import { apiKey, rejectsWith, T0, withStore, type OpenStore } from './conformance-helpers.js';
import { deliveryCases } from './conformance-deliveries.js';
import { ingestCases, webhookCases } from './conformance-ingest.js';

/** How the suite gets a store: a fresh one per test, and what removes it. */
export type { OpenStore, StoreUnderTest } from './conformance-helpers.js';

/** Registers the conformance suite of the ServerStore that `open` makes (a fresh, empty store per call). */
export function runServerStoreConformance(name: string, open: OpenStore): void {
  describe(`ServerStore conformance: ${name}`, () => {
    describe('lifecycle', () => lifecycleCases(open));
    describe('API keys', () => apiKeyCases(open));
    describe('settings and credentials', () => settingsCases(open));
    describe('idempotent ingest', () => ingestCases(open));
    describe('webhooks and connector data', () => webhookCases(open));
    describe('deliveries', () => deliveryCases(open));
  });
}

function lifecycleCases(open: OpenStore): void {
  it('migrate() again keeps what is stored', () =>
    withStore(open, async (store) => {
      await store.createApiKey(apiKey('k1', T0));
      await store.putSettings('c1', { allowedOrigins: ['https://erp.example.com'] });
      await store.migrate();
      await store.migrate();
      assert.equal((await store.getApiKey('k1'))?.id, 'k1');
      assert.deepEqual(await store.getSettings('c1'), { allowedOrigins: ['https://erp.example.com'] });
    }));

  it("after close() every method rejects with storage_closed (core's StorageClosedError); close() again is harmless", async () => {
    const { store, cleanup } = await open();
    try {
      await store.migrate();
      await store.close();
      await store.close();
      await rejectsWith(store.getApiKey('k1'), 'storage_closed');
      await rejectsWith(store.listApiKeys(), 'storage_closed');
      await rejectsWith(store.putSettings('c1', { allowedOrigins: [] }), 'storage_closed');
      await rejectsWith(store.claimDeliveries({ worker: 'w', now: T0, leaseMs: 1000, limit: 1 }), 'storage_closed');
      await rejectsWith(store.addDeliveries([]), 'storage_closed');
      await rejectsWith(store.migrate(), 'storage_closed');
      await assert.rejects(store.getApiKey('k1'), (err: unknown) => err instanceof StorageClosedError && err.reason === 'closed');
    } finally {
      await cleanup();
    }
  });

  it('records given and returned are copies: changing them changes nothing stored', () =>
    withStore(open, async (store) => {
      const key = apiKey('k1', T0, { scopes: ['read'] });
      await store.createApiKey(key);
      key.scopes.push('admin');
      const got = (await store.getApiKey('k1'))!;
      assert.deepEqual(got.scopes, ['read']);
      got.scopes.push('admin');
      assert.deepEqual((await store.getApiKey('k1'))!.scopes, ['read']);
    }));
}

function apiKeyCases(open: OpenStore): void {
  it('stores a key with every field and reads it back as given', () =>
    withStore(open, async (store) => {
      const full = apiKey('k1', T0, { scopes: ['ingest', 'read', 'admin'], connectorId: 'c1', name: 'erp-prod', revokedAt: T0 + 5 });
      await store.createApiKey(full);
      assert.deepEqual(await store.getApiKey('k1'), full);
    }));

  it('a key without its optional fields reads back without them (no undefined keys)', () =>
    withStore(open, async (store) => {
      await store.createApiKey(apiKey('k1', T0));
      assert.deepEqual(await store.getApiKey('k1'), { id: 'k1', hash: 'sha256-of-k1', scopes: ['ingest'], createdAt: T0 });
    }));

  it('getApiKey of an unknown id is undefined', () =>
    withStore(open, async (store) => {
      assert.equal(await store.getApiKey('nope'), undefined);
    }));

  it('a second key with a taken id is refused (api_key_exists) and the first is kept', () =>
    withStore(open, async (store) => {
      await store.createApiKey(apiKey('k1', T0, { name: 'first' }));
      await rejectsWith(store.createApiKey(apiKey('k1', T0 + 1, { name: 'second' })), 'api_key_exists');
      assert.equal((await store.getApiKey('k1'))?.name, 'first');
      assert.equal((await store.listApiKeys()).length, 1);
    }));

  it('lists every key, revoked ones included, oldest first (ties by id)', () =>
    withStore(open, async (store) => {
      assert.deepEqual(await store.listApiKeys(), []);
      await store.createApiKey(apiKey('k3', T0 + 30));
      await store.createApiKey(apiKey('k1', T0 + 10));
      await store.createApiKey(apiKey('k2b', T0 + 20));
      await store.createApiKey(apiKey('k2a', T0 + 20));
      await store.revokeApiKey('k1', T0 + 40);
      const list = await store.listApiKeys();
      assert.deepEqual(
        list.map((k) => k.id),
        ['k1', 'k2a', 'k2b', 'k3'],
      );
      assert.equal(list[0]!.revokedAt, T0 + 40);
    }));

  it('revokeApiKey: true once, then false (already revoked: the first time is kept); false for an unknown id', () =>
    withStore(open, async (store) => {
      await store.createApiKey(apiKey('k1', T0));
      assert.equal(await store.revokeApiKey('k1', T0 + 1), true);
      assert.equal(await store.revokeApiKey('k1', T0 + 2), false);
      assert.equal((await store.getApiKey('k1'))?.revokedAt, T0 + 1);
      assert.equal(await store.revokeApiKey('nope', T0), false);
    }));

  it('a key created revoked cannot be revoked again', () =>
    withStore(open, async (store) => {
      await store.createApiKey(apiKey('k1', T0, { revokedAt: T0 }));
      assert.equal(await store.revokeApiKey('k1', T0 + 1), false);
    }));
}

function settingsCases(open: OpenStore): void {
  it('settings: undefined until put; put replaces; per connector', () =>
    withStore(open, async (store) => {
      assert.equal(await store.getSettings('c1'), undefined);
      await store.putSettings('c1', { allowedOrigins: ['https://a.example.com', 'https://b.example.com'] });
      await store.putSettings('c2', { allowedOrigins: [] });
      assert.deepEqual(await store.getSettings('c1'), { allowedOrigins: ['https://a.example.com', 'https://b.example.com'] });
      await store.putSettings('c1', { allowedOrigins: ['https://c.example.com'] });
      assert.deepEqual(await store.getSettings('c1'), { allowedOrigins: ['https://c.example.com'] });
      assert.deepEqual(await store.getSettings('c2'), { allowedOrigins: [] });
    }));

  it('credentials: undefined until put; put replaces kind, sealed text and time; per connector', () =>
    withStore(open, async (store) => {
      assert.equal(await store.getCredentials('c1'), undefined);
      await store.putCredentials('c1', { kind: 'token', sealed: 'v1.sealed-a', updatedAt: T0 });
      await store.putCredentials('c2', { kind: 'client_credentials', sealed: 'v1.sealed-b', updatedAt: T0 });
      assert.deepEqual(await store.getCredentials('c1'), { kind: 'token', sealed: 'v1.sealed-a', updatedAt: T0 });
      await store.putCredentials('c1', { kind: 'refresh', sealed: 'v1.sealed-c', updatedAt: T0 + 9 });
      assert.deepEqual(await store.getCredentials('c1'), { kind: 'refresh', sealed: 'v1.sealed-c', updatedAt: T0 + 9 });
      assert.deepEqual(await store.getCredentials('c2'), { kind: 'client_credentials', sealed: 'v1.sealed-b', updatedAt: T0 });
    }));
}

/**
 * Secrets at rest: the SecretBox (AES-256-GCM, keys with ids, rotation, values bound to their
 * connector) and the token stores a connector's grant lives in (over its storage, sealed; in
 * memory), with renewals taking turns. (That a real database file holds none of it is checked
 * by test/security/secrets.test.ts, with a run across renewals.)
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { MemoryStorage, ShopsyncError, ValidationError } from '@shopsync/core';
import { memoryTokenStore, SecretBox, storageTokenStore, type StoredGrant } from '@shopsync/shopify';

const key = (bytes = randomBytes(32)) => bytes.toString('base64');
const grant = (n = 1): Extract<StoredGrant, { kind: 'refresh' }> => ({
  v: 1,
  kind: 'refresh',
  accessToken: `shpat_${'a'.repeat(31)}${n}`,
  expiresAt: Date.UTC(2026, 11, 5, 13),
  issuedAt: Date.UTC(2026, 11, 5, 12),
  refreshToken: `shprt_${'b'.repeat(31)}${n}`,
});

async function rejectsWith(p: Promise<unknown>, code: string, message?: RegExp): Promise<void> {
  await assert.rejects(p, (err: unknown) => {
    assert.ok(err instanceof ShopsyncError, String(err));
    assert.equal(err.code, code);
    if (message) assert.match(err.message, message);
    return true;
  });
}

describe('SecretBox: AES-256-GCM with the host’s keys', () => {
  it('seals and opens; the sealed form names its key and holds nothing of the secret', async () => {
    const box = SecretBox.create([{ id: 'k1', key: key() }]);
    const secret = 'shprt_0123456789abcdef0123456789abcdef';
    const sealed = await box.seal(secret, 'connector-a');
    assert.match(sealed, /^sb1\.k1\.[\w-]+\.[\w-]+$/);
    assert.ok(!sealed.includes(secret) && !sealed.includes(Buffer.from(secret).toString('base64')));
    assert.equal(SecretBox.keyIdOf(sealed), 'k1');
    assert.equal(await box.open(sealed, 'connector-a'), secret);
    assert.notEqual(await box.seal(secret, 'connector-a'), sealed, 'a new IV each time');
  });

  it('a value is bound to what it is for: sealed for one connector, it does not open for another', async () => {
    const box = SecretBox.create([{ id: 'k1', key: key() }]);
    await rejectsWith(box.open(await box.seal('x'.repeat(20), 'connector-a'), 'connector-b'), 'secret_unreadable', /another connector/);
  });

  it('keys rotate: the first key seals, every key opens what it sealed; a missing key is named', async () => {
    const [k1, k2] = [key(), key()];
    const old = SecretBox.create([{ id: 'k1', key: k1 }]);
    const sealedByK1 = await old.seal('first secret value', 'c');
    const rotated = SecretBox.create([
      { id: 'k2', key: k2 },
      { id: 'k1', key: k1 },
    ]);
    assert.equal(rotated.currentKeyId, 'k2');
    assert.equal(await rotated.open(sealedByK1, 'c'), 'first secret value');
    assert.equal(SecretBox.keyIdOf(await rotated.seal('next', 'c')), 'k2');
    const withoutK1 = SecretBox.create([{ id: 'k2', key: k2 }]);
    await rejectsWith(withoutK1.open(sealedByK1, 'c'), 'secret_key_missing', /"k1".*add that key back/);
    // The same id with other bytes: it does not open, and says so.
    await rejectsWith(SecretBox.create([{ id: 'k1', key: key() }]).open(sealedByK1, 'c'), 'secret_unreadable');
  });

  it('refuses malformed keys naming the field, never quoting the key', () => {
    const short = randomBytes(16).toString('base64');
    assert.throws(
      () => SecretBox.create([{ id: 'k1', key: short }]),
      (err: unknown) => err instanceof ValidationError && /keys\[0\]\.key/.test(err.message) && !err.message.includes(short),
    );
    assert.throws(() => SecretBox.create([]), (err: unknown) => err instanceof ValidationError && /at least one key/.test(err.message));
    assert.throws(() => SecretBox.create([{ id: 'bad id!', key: key() }]), (err: unknown) => err instanceof ValidationError && /keys\[0\]\.id/.test(err.message));
    const k = key();
    assert.throws(() => SecretBox.create([{ id: 'a', key: k }, { id: 'a', key: k }]), (err: unknown) => err instanceof ValidationError && /each key id once/.test(err.message));
    assert.ok(SecretBox.create([{ id: 'raw', key: new Uint8Array(32) }]), 'bytes are accepted as they are');
  });

  it('a value that is not sealed (stored in clear, or damaged) is refused, saying what to do', async () => {
    const box = SecretBox.create([{ id: 'k1', key: key() }]);
    await rejectsWith(box.open('shprt_plain', 'c'), 'secret_unreadable', /set the credentials again/);
    const sealed = await box.seal('secret value', 'c');
    await rejectsWith(box.open(`${sealed.slice(0, -4)}AAAA`, 'c'), 'secret_unreadable');
  });
});

describe('token stores', () => {
  it('over a connector’s storage: sealed, per connector, refused without keys', async () => {
    const storage = new MemoryStorage();
    const keys = [{ id: 'k1', key: key() }];
    const a = storageTokenStore({ storage, connectorId: 'a', keys });
    assert.equal(await a.load(), undefined);
    await a.save(grant(1));
    assert.deepEqual(await a.load(), grant(1));
    const raw = (await storage.getTargetIds('a', ['shopify:credentials'])).get('shopify:credentials')!;
    assert.ok(raw.startsWith('sb1.k1.') && !raw.includes('shprt_') && !raw.includes('shpat_'));
    assert.equal(await storageTokenStore({ storage, connectorId: 'b', keys }).load(), undefined, "one connector's grant is not another's");
    // Copied to another connector's row, it does not open there.
    await storage.setTargetIds('b', [{ key: 'shopify:credentials', id: raw }]);
    await rejectsWith(storageTokenStore({ storage, connectorId: 'b', keys }).load(), 'secret_unreadable');
    const keyless = storageTokenStore({ storage, connectorId: 'a' });
    await rejectsWith(keyless.save(grant(2)), 'secret_key_required', /openssl rand -base64 32/);
    await rejectsWith(keyless.load(), 'secret_key_required');
    await assert.rejects(a.save({ ...grant(3), accessToken: '' }), ValidationError, 'an invalid grant is not saved');
    assert.deepEqual(await a.load(), grant(1), 'nothing half-written');
  });

  it('renewals take turns: exclusive runs one at a time per connector and storage', async () => {
    const storage = new MemoryStorage();
    const keys = [{ id: 'k1', key: key() }];
    const one = storageTokenStore({ storage, connectorId: 'a', keys });
    const two = storageTokenStore({ storage, connectorId: 'a', keys });
    const other = storageTokenStore({ storage, connectorId: 'b', keys });
    const order: string[] = [];
    const step = (name: string, ms: number) => async () => {
      order.push(`${name} start`);
      await new Promise((r) => setTimeout(r, ms));
      order.push(`${name} end`);
    };
    await Promise.all([one.exclusive(step('one', 30)), two.exclusive(step('two', 1)), other.exclusive(step('other', 1))]);
    assert.ok(order.indexOf('two start') > order.indexOf('one end'), `same connector in turn: ${order.join(', ')}`);
    assert.ok(order.indexOf('other end') < order.indexOf('one end'), 'another connector does not wait');
    // A turn that fails does not block the next.
    await assert.rejects(one.exclusive(async () => Promise.reject(new Error('boom'))));
    assert.equal(await two.exclusive(async () => 'next'), 'next');
  });

  it('in memory: the same contract, no key needed', async () => {
    const store = memoryTokenStore();
    assert.equal(await store.load(), undefined);
    await store.save(grant(1));
    assert.deepEqual(await store.load(), grant(1));
    await assert.rejects(store.save({ ...grant(2), expiresAt: -1 }), ValidationError);
  });
});

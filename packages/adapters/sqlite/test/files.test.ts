import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import Sqlite from 'better-sqlite3';
import { StorageCorruptError, StorageReadOnlyError, StorageVersionError, SyncEngine, type Change } from '@shopsync/core';
import { FakeTarget } from '@shopsync/core/testing';
import { SqliteStorage } from '@shopsync/sqlite';
import { DB_VERSION } from '../src/schema.js';
import { tempDir } from './helpers.js';

const tmp = tempDir('files');
after(() => tmp.cleanup());
const C = 'store-1';
const products = (n: number): Change[] => Array.from({ length: n }, (_, i) => ({ entity: 'product', op: 'upsert', ref: `P${i}`, data: { title: `Product ${i}` } }));

describe('SQLite files', () => {
  it('uses a WAL journal and records its schema version', () => {
    const s = SqliteStorage.open({ path: tmp.file('wal.sqlite') });
    assert.equal(s.version, DB_VERSION);
    const raw = new Sqlite(tmp.file('wal.sqlite'), { readonly: true });
    assert.equal(raw.pragma('journal_mode', { simple: true }), 'wal');
    raw.close();
    void s.close();
  });

  it('a database from a newer shopsync is refused, says what to do, and is left untouched', () => {
    const path = tmp.file('newer.sqlite');
    const raw = new Sqlite(path);
    raw.pragma(`user_version = ${DB_VERSION + 1}`);
    raw.exec('CREATE TABLE future (x)');
    raw.close();
    assert.throws(() => SqliteStorage.open({ path }), (err: unknown) => err instanceof StorageVersionError && /Update shopsync/.test(err.message));
    const again = new Sqlite(path, { readonly: true });
    assert.equal(again.pragma('user_version', { simple: true }), DB_VERSION + 1);
    assert.equal(again.pragma('journal_mode', { simple: true }), 'delete', 'not even switched to WAL');
    again.close();
  });

  it('a corrupt file is a typed error, and the file is not modified', () => {
    const path = tmp.file('corrupt.sqlite');
    const junk = 'this is not a database '.repeat(500);
    writeFileSync(path, junk);
    assert.throws(() => SqliteStorage.open({ path }), (err: unknown) => err instanceof StorageCorruptError && /backup/.test(err.message));
    assert.equal(readFileSync(path, 'utf8'), junk);
  });

  it('a read-only folder is a typed error that says to check permissions', { skip: process.getuid?.() === 0 ? 'root ignores file permissions' : false }, () => {
    const dir = tmp.file('readonly');
    mkdirSync(dir);
    chmodSync(dir, 0o500);
    try {
      assert.throws(() => SqliteStorage.open({ path: `${dir}/db.sqlite` }), StorageReadOnlyError);
    } finally {
      chmodSync(dir, 0o700);
    }
  });

  it('a read-only file system is a typed error, even for root', () => {
    // /proc refuses new files to everyone.
    assert.throws(() => SqliteStorage.open({ path: '/proc/shopsync-test.sqlite' }), (err: unknown) => err instanceof StorageReadOnlyError && /writable/.test(err.message));
  });

  it('a path that cannot be a file (under a regular file) is a typed error', () => {
    const file = tmp.file('plain-file');
    writeFileSync(file, 'x');
    assert.throws(() => SqliteStorage.open({ path: `${file}/db.sqlite` }), (err: unknown) => err instanceof StorageReadOnlyError && /writable/.test(err.message));
  });

  it('the engine drains a queue on it, and everything survives reopening', async () => {
    const path = tmp.file('engine.sqlite');
    const storage = SqliteStorage.open({ path });
    const engine = new SyncEngine({ connector: { id: C, shopDomain: 'demo.myshopify.com', apiVersion: '2026-07' }, target: new FakeTarget({ outcomes: { 'product:P2': { errors: [{ message: 'bad' }] } } }), storage, batchSize: 2 });
    await engine.enqueue(products(5));
    const event = await engine.start();
    assert.equal(event.status, 'completed');
    await engine.dispose();
    await storage.close();
    const reopened = SqliteStorage.open({ path });
    assert.deepEqual((await reopened.getEvent(C, event.id))?.iterations.length, 3);
    assert.equal((await reopened.queryItems(C, { status: 'error', offset: 0, limit: 10 })).items[0]?.ref, 'P2');
    assert.ok((await reopened.readLogs(C, event.id)).length > 3);
    await reopened.close();
  });

  it('validates its options, naming the field', () => {
    assert.throws(() => SqliteStorage.open({ path: '' }), /path: expected/);
  });
});

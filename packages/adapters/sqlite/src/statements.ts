/**
 * Every prepared statement of the queue and the history (queue.ts, history.ts), each named and
 * prepared once per connection: what SQL runs when is one hop away. The statements of a lease's
 * reads are lease.ts's, those of the connector registry registry.ts's, and the item tab's
 * filtered queries are built per filter in history.ts. The layout they read and write: schema.ts.
 */
import type { Database, Statement } from 'better-sqlite3';
import { prepareLeaseReads, type LeaseStatements } from './lease.js';

/** The columns every read of an item row selects (items.ts `ItemDbRow`). */
export const ITEM_COLUMNS = 'key, pending, force, enqueued_at, os, outcome, u';

/** The statements of one connection, by table (prepareStatements). */
export interface Statements {
  getCid: Statement;
  addCid: Statement;
  getMeta: Statement;
  putMeta: Statement;
  getItem: Statement;
  putItem: Statement;
  insertItem: Statement;
  lastId: Statement;
  finishCurrent: Statement;
  /** A lease's reads (lease.ts). */
  lease: LeaseStatements;
  allLeases: Statement;
  expiredLeases: Statement;
  getLease: Statement;
  putLease: Statement;
  setSuperseded: Statement;
  deleteLease: Statement;
  getHash: Statement;
  putHash: Statement;
  deleteHash: Statement;
  getTargetId: Statement;
  putTargetId: Statement;
  deleteTargetId: Statement;
  putEvent: Statement;
  getEvent: Statement;
  listEvents: Statement;
  countEvents: Statement;
  addLog: Statement;
  readLogs: Statement;
}

/** Prepares the statements (once per connection). */
export function prepareStatements(db: Database): Statements {
  return {
    // A connector's number in `connectors` (items name their connector by it); the registry is registry.ts.
    getCid: db.prepare('SELECT id FROM connectors WHERE name = ?').pluck(),
    addCid: db.prepare('INSERT INTO connectors (name) VALUES (?)'),
    getMeta: db.prepare('SELECT seq, categories, products, variants FROM meta WHERE connector = ?'),
    putMeta: db.prepare(
      'INSERT INTO meta (connector, seq, categories, products, variants) VALUES (?, ?, ?, ?, ?) ' +
        'ON CONFLICT (connector) DO UPDATE SET seq = excluded.seq, categories = excluded.categories, products = excluded.products, variants = excluded.variants',
    ),
    getItem: db.prepare(`SELECT ${ITEM_COLUMNS} FROM items WHERE connector = ? AND key = ?`),
    putItem: db.prepare(
      'INSERT INTO items (connector, key, pending, force, enqueued_at, ob, os, vp, outcome, u, st) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ' +
        'ON CONFLICT (connector, key) DO UPDATE SET pending = excluded.pending, force = excluded.force, enqueued_at = excluded.enqueued_at, ob = excluded.ob, os = excluded.os, vp = excluded.vp, outcome = excluded.outcome, u = excluded.u, st = excluded.st',
    ),
    insertItem: db.prepare(
      "INSERT INTO items (id, connector, key, pending, force, enqueued_at, ob, os, vp, u, st) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending') ON CONFLICT (connector, key) DO NOTHING",
    ),
    // The last id in a bucket's range (its start if none).
    lastId: db.prepare('SELECT coalesce(max(id), @start) FROM items WHERE id >= @start AND id < @end').pluck(),
    finishCurrent: db.prepare(
      'UPDATE items SET pending = NULL, force = NULL, enqueued_at = NULL, ob = NULL, os = NULL, vp = NULL, outcome = ?, u = ?, st = ? WHERE id = ? AND os = ?',
    ),
    lease: prepareLeaseReads(db),
    allLeases: db.prepare('SELECT id, expires_at, keys, superseded FROM leases WHERE connector = ?'),
    expiredLeases: db.prepare('SELECT id, expires_at, keys, superseded FROM leases WHERE connector = ? AND expires_at <= ? ORDER BY expires_at'),
    getLease: db.prepare('SELECT id, expires_at, keys, superseded FROM leases WHERE connector = ? AND id = ?'),
    putLease: db.prepare("INSERT INTO leases (connector, id, expires_at, keys, superseded) VALUES (?, ?, ?, ?, '[]')"),
    setSuperseded: db.prepare('UPDATE leases SET superseded = ? WHERE connector = ? AND id = ?'),
    deleteLease: db.prepare('DELETE FROM leases WHERE connector = ? AND id = ?'),
    getHash: db.prepare('SELECT hash FROM hashes WHERE connector = ? AND key = ?'),
    putHash: db.prepare('INSERT INTO hashes (connector, key, hash) VALUES (?, ?, ?) ON CONFLICT (connector, key) DO UPDATE SET hash = excluded.hash'),
    deleteHash: db.prepare('DELETE FROM hashes WHERE connector = ? AND key = ?'),
    getTargetId: db.prepare('SELECT id FROM target_ids WHERE connector = ? AND key = ?'),
    putTargetId: db.prepare('INSERT INTO target_ids (connector, key, id) VALUES (?, ?, ?) ON CONFLICT (connector, key) DO UPDATE SET id = excluded.id'),
    deleteTargetId: db.prepare('DELETE FROM target_ids WHERE connector = ? AND key = ?'),
    putEvent: db.prepare(
      'INSERT INTO events (connector, id, started_at, body) VALUES (?, ?, ?, ?) ON CONFLICT (connector, id) DO UPDATE SET started_at = excluded.started_at, body = excluded.body',
    ),
    getEvent: db.prepare('SELECT id, body FROM events WHERE connector = ? AND id = ?'),
    listEvents: db.prepare('SELECT id, body FROM events WHERE connector = ? ORDER BY started_at DESC, id DESC LIMIT ? OFFSET ?'),
    countEvents: db.prepare('SELECT count(*) AS n FROM events WHERE connector = ?'),
    addLog: db.prepare('INSERT INTO logs (connector, event_id, body) VALUES (?, ?, ?)'),
    readLogs: db.prepare('SELECT seq, body FROM logs WHERE connector = ? AND event_id = ? ORDER BY seq'),
  };
}

import type { Database } from 'better-sqlite3';

/**
 * Schema migrations, applied in order inside one transaction on open; `PRAGMA user_version`
 * records the version reached. Version 1 created the tables and the drain-order index; version 2
 * added the indexes of the item tab's status and type filters.
 *
 * `items` has one row per item key: its pending change (JSON) while it has one, with `ob`/`os`
 * (bucket, seq) placing it in the drain order, and its last outcome (JSON). `u`/`st` are what the
 * item tab sorts and filters on. A lease row holds the changes it handed out, so leasing writes
 * one row and finishing an item updates its row once. `meta` keeps exact pending counts.
 */
export const MIGRATIONS: ReadonlyArray<string> = [
  `
  CREATE TABLE meta (
    connector TEXT PRIMARY KEY,
    seq INTEGER NOT NULL,
    categories INTEGER NOT NULL,
    products INTEGER NOT NULL,
    variants INTEGER NOT NULL
  ) WITHOUT ROWID;
  CREATE TABLE items (
    connector TEXT NOT NULL,
    key TEXT NOT NULL,
    entity TEXT NOT NULL,
    ref TEXT NOT NULL,
    pending TEXT,
    last_at INTEGER,
    ob INTEGER,
    os INTEGER,
    outcome TEXT,
    u INTEGER NOT NULL,
    st TEXT NOT NULL,
    PRIMARY KEY (connector, key)
  ) WITHOUT ROWID;
  CREATE INDEX items_order ON items (connector, ob, os) WHERE ob IS NOT NULL;
  CREATE TABLE leases (
    connector TEXT NOT NULL,
    id TEXT NOT NULL,
    expires_at INTEGER NOT NULL,
    entries TEXT NOT NULL,
    PRIMARY KEY (connector, id)
  ) WITHOUT ROWID;
  CREATE INDEX leases_expiry ON leases (connector, expires_at);
  CREATE TABLE hashes (connector TEXT NOT NULL, key TEXT NOT NULL, hash TEXT NOT NULL, PRIMARY KEY (connector, key)) WITHOUT ROWID;
  CREATE TABLE target_ids (connector TEXT NOT NULL, key TEXT NOT NULL, id TEXT NOT NULL, PRIMARY KEY (connector, key)) WITHOUT ROWID;
  CREATE TABLE events (
    connector TEXT NOT NULL,
    id TEXT NOT NULL,
    started_at INTEGER NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (connector, id)
  ) WITHOUT ROWID;
  CREATE INDEX events_started ON events (connector, started_at DESC, id DESC);
  CREATE TABLE logs (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    connector TEXT NOT NULL,
    event_id TEXT NOT NULL,
    body TEXT NOT NULL
  );
  CREATE INDEX logs_event ON logs (connector, event_id, seq);
  `,
  `
  CREATE INDEX items_status ON items (connector, st, u);
  CREATE INDEX items_entity ON items (connector, entity, u);
  `,
];

export const DB_VERSION = MIGRATIONS.length;

/** Brings `db` from its recorded version up to `target`, in one transaction. */
export function migrate(db: Database, target = DB_VERSION): void {
  const from = db.pragma('user_version', { simple: true }) as number;
  if (from >= target) return;
  db.transaction(() => {
    for (let v = from; v < target; v++) db.exec(MIGRATIONS[v]!);
    db.pragma(`user_version = ${target}`);
  }).immediate();
}

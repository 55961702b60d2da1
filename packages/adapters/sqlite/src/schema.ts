import type { Database } from 'better-sqlite3';

/**
 * Schema migrations, applied in order inside one transaction on open; `PRAGMA user_version`
 * records the version reached. Version 1 created the tables and the drain-order index; version 2
 * added the indexes of the item tab's status and type filters; version 3 cut the writes per item;
 * version 4 finds a product's pending variant upserts (a lease takes a product with its variants);
 * version 5 keeps the connector registry and the fleet's claims; version 6 keeps a host's run
 * requests.
 *
 * Version 3 layout. `items` has one row per item key, with a stable `id`: its pending change while
 * it has one, stored as its parts (`pending` is the change's JSON, `os` its seq, `ob` its drain
 * bucket), and its last outcome (JSON). `u`/`st` are what the item tab sorts and filters on (`u`
 * is when the item last became pending, while it is). `connector` is the connector's number in
 * `connectors`. `leases` rows list [key, item id, seq] of what they handed out (`keys`), and copy
 * in `superseded` the handed-out entries whose row took a newer change meanwhile. `meta` keeps
 * exact pending counts per connector.
 *
 * Version 4 adds `vp` to `items`: the product reference of the row's pending change while that is
 * a variant upsert (drain bucket 2), else NULL; and `items_parent` on (connector, vp) for the rows
 * that have one. A pending variant upsert is thus in two partial indexes (`items_order` and
 * `items_parent`), every other row in at most one, as in version 3.
 *
 * Version 5 adds the connector registry and the fleet's claims: `registry` (registry.ts).
 *
 * Version 6 adds `run_requested_at` to `registry`: when a host last asked for a run (core's
 * FleetState.runRequestedAt; NULL: none waiting).
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
  // Version 3. Every index costs each enqueue and each ack a b-tree write, so an item is in
  // exactly one of two partial indexes: `items_order` while a change waits (the drain order),
  // `items_done` once finished (status, newest first; kept small: a type filter there is a
  // range of `items_key`). `items_key` finds an item; ids let a lease name its rows.
  // Connectors are numbered so that index entries start with a small integer, not the name.
  // Leases no longer copy every entry (see above) and lose their expiry index: a connector
  // holds few leases, and every lease already reads them all.
  `
  CREATE TABLE connectors (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
  INSERT INTO connectors (name) SELECT DISTINCT connector FROM items ORDER BY connector;
  CREATE TABLE items_v3 (
    id INTEGER PRIMARY KEY,
    connector INTEGER NOT NULL,
    key TEXT NOT NULL,
    pending TEXT,
    force INTEGER,
    enqueued_at INTEGER,
    ob INTEGER,
    os INTEGER,
    outcome TEXT,
    u INTEGER NOT NULL,
    st TEXT NOT NULL
  );
  INSERT INTO items_v3 (connector, key, pending, force, enqueued_at, ob, os, outcome, u, st)
    SELECT c.id, key, pending -> 'change', pending ->> 'force', CAST(round(unixepoch(pending ->> 'enqueuedAt', 'subsec') * 1000) AS INTEGER), ob, os, outcome, u, st
    FROM items JOIN connectors AS c ON c.name = items.connector ORDER BY c.id, ob IS NULL, ob, os;
  DROP TABLE items;
  ALTER TABLE items_v3 RENAME TO items;
  CREATE UNIQUE INDEX items_key ON items (connector, key);
  CREATE INDEX items_order ON items (connector, ob, os) WHERE ob IS NOT NULL;
  CREATE INDEX items_done ON items (connector, st, u) WHERE st <> 'pending';
  DROP INDEX leases_expiry;
  ALTER TABLE leases RENAME COLUMN entries TO superseded;
  ALTER TABLE leases ADD COLUMN keys TEXT NOT NULL DEFAULT '[]';
  UPDATE leases SET keys = (
    SELECT json_group_array(v ORDER BY n, p) FROM (
      SELECT e.key AS n, 0 AS p, e.value ->> 'key' AS v FROM json_each(leases.superseded) AS e
      UNION ALL
      SELECT e.key, 1, i.id FROM json_each(leases.superseded) AS e LEFT JOIN items AS i ON i.connector = (SELECT id FROM connectors WHERE name = leases.connector) AND i.key = e.value ->> 'key'
      UNION ALL
      SELECT e.key, 2, e.value ->> 'seq' FROM json_each(leases.superseded) AS e
    )
  );
  `,
  // Version 4. A lease hands out product groups (core's planLease): it asks for the pending
  // variant upserts of a product. `vp` holds the variant's product reference while the row's
  // pending change is a variant upsert (set by every write of the row, cleared when the change
  // leaves), and the partial index `items_parent` finds them; rows without one cost it nothing.
  // Rows already queued take it from their change; a damaged change (not JSON, no text
  // parentRef) is left NULL here and refused by the lease that reads it, as before.
  `
  ALTER TABLE items ADD COLUMN vp TEXT;
  UPDATE items SET vp = CASE WHEN json_valid(pending) THEN CASE json_type(pending, '$.parentRef') WHEN 'text' THEN pending ->> 'parentRef' END END
    WHERE ob = 2;
  CREATE INDEX items_parent ON items (connector, vp) WHERE vp IS NOT NULL;
  `,
  // Version 5. The connector registry: one row per registered connector, keyed by its name (as
  // `meta`, whose exact pending counts a claim joins). `record` is the ConnectorRecord's JSON;
  // `enabled` (0 or 1) repeats its `config.enabled` for the claim's SQL, written with it and
  // checked against it on every read. The rest is the fleet state (core's FleetState), one
  // column per field (`open` 0 or 1, times in epoch ms, `throttle` JSON), as the claim's SQL
  // reads it. `registry_claim` walks enabled connectors in claim order (least recently claimed
  // first, never claimed (NULL) before all, then by name), so a claim stops after `limit`.
  // Existing connectors are not registered: their queues and counts stay as they are.
  `
  CREATE TABLE registry (
    connector TEXT PRIMARY KEY,
    record TEXT NOT NULL,
    enabled INTEGER NOT NULL,
    open INTEGER NOT NULL DEFAULT 0,
    claimed_by TEXT,
    claim_until INTEGER,
    last_claim_at INTEGER,
    last_release_at INTEGER,
    next_run_at INTEGER,
    throttle TEXT
  ) WITHOUT ROWID;
  CREATE INDEX registry_claim ON registry (last_claim_at, connector) WHERE enabled = 1;
  `,
  // Version 6. A host's run request (StorageAdapter.requestRun): epoch ms of the newest request no
  // run has handled yet, else NULL. A requested connector has work (the claim's SQL), and
  // `registry_claim`, over the enabled connectors, serves its claim as before. Rows keep their
  // fleet state and have no request.
  `
  ALTER TABLE registry ADD COLUMN run_requested_at INTEGER;
  `,
];

/** The schema version this code writes and reads (the number of migrations). */
export const DB_VERSION = MIGRATIONS.length;

/**
 * Brings `db` from its recorded version up to `target`, in one transaction. The version is read
 * again once the transaction holds the write lock: processes opening one file at once (a fleet's
 * workers) each find what the one before them left, and only the first migrates.
 */
export function migrate(db: Database, target = DB_VERSION): void {
  const version = () => db.pragma('user_version', { simple: true }) as number;
  if (version() >= target) return;
  db.transaction(() => {
    const from = version();
    if (from >= target) return;
    for (let v = from; v < target; v++) db.exec(MIGRATIONS[v]!);
    db.pragma(`user_version = ${target}`);
  }).immediate();
}

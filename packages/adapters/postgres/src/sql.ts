/**
 * Every SQL statement the storage runs, each a named entry made once per schema (as pg-boss keeps
 * its plans.ts): what SQL runs when is one hop away. `$1` is the connector wherever a statement
 * is per connector. Batches go as arrays (`unnest`), one statement per batch, not one per row.
 * The layout these statements read and write is described in migrations.ts.
 */
import { bucketOf } from '@shopsync/core';
import { quoted } from './migrations.js';

/** The columns every read of an item row selects (items.ts reads them). */
export const ITEM_COLUMNS = 'id, key, pending, force, enqueued_at, os, ob, vp, outcome, u, lease_id, lease_seq, flying';

const CATEGORY_UPSERTS = bucketOf('category', 'upsert');
const PRODUCT_UPSERTS = bucketOf('product', 'upsert');
const VARIANT_UPSERTS = bucketOf('variant', 'upsert');

/** The statements of one schema. */
export function statements(schema: string) {
  const s = quoted(schema);
  /** The rows of product groups $2 (product refs): their variant upserts, and the product upserts $3 (keys). Free rows only. */
  const groupRows = `connector = $1 AND lease_id IS NULL AND ((ob = ${VARIANT_UPSERTS} AND vp = ANY($2::text[])) OR (ob = ${PRODUCT_UPSERTS} AND key = ANY($3::text[])))`;
  const itemValues = 'pending, force, enqueued_at, ob, os, vp, outcome, u, st, lease_id, lease_seq, flying';
  const itemArrays = '$2::text[], $3::boolean[], $4::bigint[], $5::smallint[], $6::bigint[], $7::text[], $8::text[], $9::bigint[], $10::text[], $11::text[], $12::bigint[], $13::text[]';
  return {
    // meta: the connector's last seq and pending counts. `lockMeta` creates the row if needed and
    // locks it: enqueue and ack of one connector take turns on it (they change the counts).
    lockMeta: `INSERT INTO ${s}.meta AS m (connector, seq, categories, products, variants) VALUES ($1, 0, 0, 0, 0)
      ON CONFLICT (connector) DO UPDATE SET seq = m.seq RETURNING seq, categories, products, variants`,
    /** The row locked, if there is one (an ack: a connector with a lease has one). */
    lockMetaRow: `SELECT seq, categories, products, variants FROM ${s}.meta WHERE connector = $1 FOR UPDATE`,
    getMeta: `SELECT seq, categories, products, variants FROM ${s}.meta WHERE connector = $1`,
    /** The counts, and whether any lease or queued row exists, in one snapshot (the counts are exact only if they agree). */
    drained: `SELECT seq, categories, products, variants,
      EXISTS (SELECT 1 FROM ${s}.leases WHERE connector = $1) AS leased,
      EXISTS (SELECT 1 FROM ${s}.items WHERE connector = $1 AND ob IS NOT NULL) AS queued
      FROM ${s}.meta WHERE connector = $1`,
    putMeta: `UPDATE ${s}.meta SET seq = $2, categories = $3, products = $4, variants = $5 WHERE connector = $1`,

    // items: one row per item.
    getItems: `SELECT ${ITEM_COLUMNS} FROM ${s}.items WHERE connector = $1 AND key = ANY($2::text[])`,
    /** Rows of keys $2, locked in key order (every writer of existing rows locks them in this order: no deadlock among them). */
    lockItems: `SELECT ${ITEM_COLUMNS} FROM ${s}.items WHERE connector = $1 AND key = ANY($2::text[]) ORDER BY key FOR UPDATE`,
    /** Rows of leases $2, locked in key order. */
    lockLeased: `SELECT ${ITEM_COLUMNS} FROM ${s}.items WHERE connector = $1 AND lease_id = ANY($2::text[]) ORDER BY key FOR UPDATE`,
    insertItems: `INSERT INTO ${s}.items (connector, key, ${itemValues})
      SELECT $1, * FROM unnest($14::text[], ${itemArrays})`,
    updateItems: `UPDATE ${s}.items AS i SET (${itemValues}) = (v.pending, v.force, v.enqueued_at, v.ob, v.os, v.vp, v.outcome, v.u, v.st, v.lease_id, v.lease_seq, v.flying)
      FROM unnest($14::bigint[], ${itemArrays}) AS v(id, ${itemValues}) WHERE i.connector = $1 AND i.id = v.id`,
    /** Finished rows whose leased change is still theirs: the outcome replaces it, in one write. */
    finishItems: `UPDATE ${s}.items AS i SET pending = NULL, force = NULL, enqueued_at = NULL, ob = NULL, os = NULL, vp = NULL,
      outcome = v.outcome, u = v.u, st = v.st, lease_id = NULL, lease_seq = NULL, flying = NULL
      FROM unnest($2::bigint[], $3::text[], $4::bigint[], $5::text[]) AS v(id, outcome, u, st) WHERE i.connector = $1 AND i.id = v.id`,
    /** Rows of an ended lease that stay as they are: pending again, in place. */
    returnItems: `UPDATE ${s}.items SET lease_id = NULL, lease_seq = NULL, flying = NULL WHERE connector = $1 AND id = ANY($2::bigint[])`,

    // The reads of a lease (lease.ts): rows are locked as they are read, and rows another
    // transaction holds are skipped (never waited for).
    bucketPage: `SELECT ${ITEM_COLUMNS} FROM ${s}.items WHERE connector = $1 AND ob = $2 AND os > $3 AND lease_id IS NULL
      ORDER BY os LIMIT $4 FOR UPDATE SKIP LOCKED`,
    lockGroups: `SELECT ${ITEM_COLUMNS} FROM ${s}.items WHERE ${groupRows} FOR UPDATE SKIP LOCKED`,
    /** Free rows of those groups that another transaction holds (not among the ids $4 this one locked). */
    heldGroupRows: `SELECT key, vp FROM ${s}.items WHERE ${groupRows} AND NOT (id = ANY($4::bigint[]))`,
    pendingCategories: `SELECT key FROM ${s}.items WHERE connector = $1 AND ob = ${CATEGORY_UPSERTS} AND key = ANY($2::text[]) AND lease_id IS NULL`,
    lockCategories: `SELECT ${ITEM_COLUMNS} FROM ${s}.items WHERE connector = $1 AND ob = ${CATEGORY_UPSERTS} AND key = ANY($2::text[]) AND lease_id IS NULL
      FOR UPDATE SKIP LOCKED`,
    /** Rows locked by this lease's reads, so free: the guard on lease_id only makes a broken promise loud. */
    claim: `UPDATE ${s}.items SET lease_id = $2, lease_seq = os WHERE connector = $1 AND id = ANY($3::bigint[]) AND lease_id IS NULL RETURNING id`,

    // leases
    insertLease: `INSERT INTO ${s}.leases (connector, id, expires_at) VALUES ($1, $2, $3)`,
    lockLease: `SELECT expires_at FROM ${s}.leases WHERE connector = $1 AND id = $2 FOR UPDATE`,
    /** Expired leases no other transaction is ending. */
    lockExpired: `SELECT id FROM ${s}.leases WHERE connector = $1 AND expires_at <= $2 ORDER BY id FOR UPDATE SKIP LOCKED`,
    deleteLeases: `DELETE FROM ${s}.leases WHERE connector = $1 AND id = ANY($2::text[])`,

    // hashes and target ids
    getHashes: `SELECT key, hash AS value FROM ${s}.hashes WHERE connector = $1 AND key = ANY($2::text[])`,
    putHashes: `INSERT INTO ${s}.hashes (connector, key, hash) SELECT $1, * FROM unnest($2::text[], $3::text[])
      ON CONFLICT (connector, key) DO UPDATE SET hash = excluded.hash`,
    deleteHashes: `DELETE FROM ${s}.hashes WHERE connector = $1 AND key = ANY($2::text[])`,
    getTargetIds: `SELECT key, id AS value FROM ${s}.target_ids WHERE connector = $1 AND key = ANY($2::text[])`,
    putTargetIds: `INSERT INTO ${s}.target_ids (connector, key, id) SELECT $1, * FROM unnest($2::text[], $3::text[])
      ON CONFLICT (connector, key) DO UPDATE SET id = excluded.id`,
    deleteTargetIds: `DELETE FROM ${s}.target_ids WHERE connector = $1 AND key = ANY($2::text[])`,

    // events and logs
    putEvent: `INSERT INTO ${s}.events (connector, id, started_at, body) VALUES ($1, $2, $3, $4)
      ON CONFLICT (connector, id) DO UPDATE SET started_at = excluded.started_at, body = excluded.body`,
    getEvent: `SELECT id, body FROM ${s}.events WHERE connector = $1 AND id = $2`,
    listEvents: `SELECT id, body FROM ${s}.events WHERE connector = $1 ORDER BY started_at DESC, id DESC LIMIT $2 OFFSET $3`,
    countEvents: `SELECT count(*) AS n FROM ${s}.events WHERE connector = $1`,
    /** In the order given: identities are drawn in insert order. */
    addLogs: `INSERT INTO ${s}.logs (connector, event_id, body) SELECT $1, $2, t.body FROM unnest($3::text[]) WITH ORDINALITY AS t(body, n) ORDER BY t.n`,
    readLogs: `SELECT seq, body FROM ${s}.logs WHERE connector = $1 AND event_id = $2 ORDER BY seq`,

    // the connector registry
    getConnector: `SELECT enabled, updated_at FROM ${s}.connector WHERE id = $1`,
    /** Returns a row only when something changed. */
    setConnectorEnabled: `INSERT INTO ${s}.connector AS c (id, enabled, updated_at) VALUES ($1, $2, $3)
      ON CONFLICT (id) DO UPDATE SET enabled = excluded.enabled, updated_at = excluded.updated_at WHERE c.enabled IS DISTINCT FROM excluded.enabled
      RETURNING id`,

    notify: 'SELECT pg_notify($1, $2)',
  };
}

/** The statements of one schema, by name. */
export type Statements = ReturnType<typeof statements>;

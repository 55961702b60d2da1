/**
 * Every SQL statement the storage runs, each a named entry made once per schema (as pg-boss keeps
 * its plans.ts): what SQL runs when is one hop away. `$1` is the connector wherever a statement
 * is per connector. Batches go as arrays (`unnest`), one statement per batch, not one per row.
 * The layout these statements read and write is described in migrations.ts.
 */
import { bucketOf } from '@shopsync/core/internal';
import { quoted } from './migrations.js';

/** The columns every read of an item row selects (items.ts reads them). */
export const ITEM_COLUMNS = 'id, key, pending, force, enqueued_at, os, ob, vp, outcome, u';

/** The columns every read of a lease row selects (queue.ts reads them). */
export const LEASE_COLUMNS = 'id, expires_at, ids, keys, seqs, superseded';

const CATEGORY_UPSERTS = bucketOf('category', 'upsert');
const VARIANT_UPSERTS = bucketOf('variant', 'upsert');

/** The statements of one schema. */
export function statements(schema: string) {
  const s = quoted(schema);
  const itemValues = 'pending, force, enqueued_at, ob, os, vp, outcome, u, st';
  const itemArrays = '$2::text[], $3::boolean[], $4::bigint[], $5::smallint[], $6::bigint[], $7::text[], $8::text[], $9::bigint[], $10::text[]';
  /** Not a row a live lease handed out ($n: the ids of those rows). */
  const free = (n: number) => `NOT (id = ANY($${n}::bigint[]))`;
  return {
    // meta: the connector's last seq and pending counts. Every writer of a connector's queue
    // (enqueue, lease, ack, release) locks its meta row first: they take turns per connector.
    // `lockMeta` creates the row if needed (enqueue).
    lockMeta: `INSERT INTO ${s}.meta AS m (connector, seq, categories, products, variants) VALUES ($1, 0, 0, 0, 0)
      ON CONFLICT (connector) DO UPDATE SET seq = m.seq RETURNING seq, categories, products, variants`,
    /** The row locked, if there is one (a connector never queued to has none, and nothing to lease). */
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
    itemsById: `SELECT ${ITEM_COLUMNS} FROM ${s}.items WHERE connector = $1 AND id = ANY($2::bigint[])`,
    /** New rows; a key that has one already is left alone, and not returned. */
    insertNew: `INSERT INTO ${s}.items (connector, key, ${itemValues})
      SELECT $1, * FROM unnest($11::text[], ${itemArrays}) ON CONFLICT ON CONSTRAINT items_key DO NOTHING RETURNING key`,
    updateItems: `UPDATE ${s}.items AS i SET (${itemValues}) = (v.pending, v.force, v.enqueued_at, v.ob, v.os, v.vp, v.outcome, v.u, v.st)
      FROM unnest($11::bigint[], ${itemArrays}) AS v(id, ${itemValues}) WHERE i.connector = $1 AND i.id = v.id`,
    /** Finished rows still holding the change their lease handed out (seq $3): the outcome replaces it, in one write. Returns those written. */
    finishItems: `UPDATE ${s}.items AS i SET pending = NULL, force = NULL, enqueued_at = NULL, ob = NULL, os = NULL, vp = NULL, outcome = v.outcome, u = v.u, st = v.st
      FROM unnest($2::bigint[], $3::bigint[], $4::text[], $5::bigint[], $6::text[]) AS v(id, seq, outcome, u, st) WHERE i.connector = $1 AND i.id = v.id AND i.os = v.seq
      RETURNING i.id`,

    // The reads of a lease (lease.ts), under the connector's meta lock: nothing they read changes
    // until the lease commits. Rows live leases handed out ($n) are left out.
    bucketPage: `SELECT ${ITEM_COLUMNS} FROM ${s}.items WHERE connector = $1 AND ob = $2 AND os > $3 AND ${free(5)} ORDER BY os LIMIT $4`,
    groupVariants: `SELECT ${ITEM_COLUMNS} FROM ${s}.items WHERE connector = $1 AND ob = ${VARIANT_UPSERTS} AND vp = ANY($2::text[]) AND ${free(3)}`,
    pendingCategories: `SELECT ${ITEM_COLUMNS} FROM ${s}.items WHERE connector = $1 AND ob = ${CATEGORY_UPSERTS} AND key = ANY($2::text[]) AND ${free(3)}`,

    // leases: what each handed out (ids, keys, seqs) and superseded since.
    liveLeases: `SELECT ${LEASE_COLUMNS} FROM ${s}.leases WHERE connector = $1`,
    insertLease: `INSERT INTO ${s}.leases (connector, id, expires_at, ids, keys, seqs) VALUES ($1, $2, $3, $4, $5, $6)`,
    /** Ends a lease: its row deleted and returned (none when it is gone). */
    takeLease: `DELETE FROM ${s}.leases WHERE connector = $1 AND id = $2 RETURNING ${LEASE_COLUMNS}`,
    takeExpired: `DELETE FROM ${s}.leases WHERE connector = $1 AND expires_at <= $2 RETURNING ${LEASE_COLUMNS}`,
    deleteLeases: `DELETE FROM ${s}.leases WHERE connector = $1 AND id = ANY($2::text[])`,
    setSuperseded: `UPDATE ${s}.leases AS l SET superseded = v.superseded FROM unnest($2::text[], $3::text[]) AS v(id, superseded) WHERE l.connector = $1 AND l.id = v.id`,

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
    getConnectorFlag: `SELECT enabled, updated_at FROM ${s}.connector WHERE id = $1`,
    /** Returns a row only when something changed. */
    setConnectorEnabled: `INSERT INTO ${s}.connector AS c (id, enabled, updated_at) VALUES ($1, $2, $3)
      ON CONFLICT (id) DO UPDATE SET enabled = excluded.enabled, updated_at = excluded.updated_at,
        record = CASE WHEN c.record IS NULL THEN NULL ELSE jsonb_set(jsonb_set(c.record::jsonb, '{config,enabled}', to_jsonb(excluded.enabled)), '{updatedAt}', to_jsonb($4::text))::text END
      WHERE c.enabled IS DISTINCT FROM excluded.enabled
      RETURNING id`,

    // the registry's records and the fleet's claims (registry.ts)
    createConnector: `INSERT INTO ${s}.connector AS c (id, enabled, updated_at, record) VALUES ($1, $2, $3, $4)
      ON CONFLICT (id) DO UPDATE SET enabled = excluded.enabled, updated_at = excluded.updated_at, record = excluded.record WHERE c.record IS NULL
      RETURNING id`,
    /** Returns whether the flag was set before (null when the row is new to the registry). */
    updateConnector: `UPDATE ${s}.connector AS c SET enabled = $2, updated_at = $3, record = $4 FROM (SELECT id, enabled FROM ${s}.connector WHERE id = $1 FOR UPDATE) AS o
      WHERE c.id = o.id AND c.record IS NOT NULL RETURNING o.enabled AS was`,
    deleteConnector: `DELETE FROM ${s}.connector WHERE id = $1 AND record IS NOT NULL RETURNING id`,
    getRecord: `SELECT id, record FROM ${s}.connector WHERE id = $1 AND record IS NOT NULL`,
    listRecords: `SELECT id, record FROM ${s}.connector WHERE record IS NOT NULL ORDER BY id LIMIT $1 OFFSET $2`,
    countRecords: `SELECT count(*) AS n FROM ${s}.connector WHERE record IS NOT NULL`,
    /**
     * Claims for $1 up to $4 connectors with work, least recently claimed first: registered,
     * enabled, no live claim, a run open, a run requested or changes pending (meta), not held
     * back. Rows another worker is claiming are skipped (SKIP LOCKED: here rows are independent jobs).
     */
    claimConnectors: `WITH c AS (
        SELECT k.id, k.last_claim_at AS prev FROM ${s}.connector AS k LEFT JOIN ${s}.meta AS m ON m.connector = k.id
        WHERE k.record IS NOT NULL AND k.enabled AND (k.claimed_by IS NULL OR k.claim_until <= $2)
          AND (k.open OR k.run_requested_at IS NOT NULL OR coalesce(m.categories + m.products + m.variants, 0) > 0) AND (k.next_run_at IS NULL OR k.next_run_at <= $2)
        ORDER BY k.last_claim_at NULLS FIRST, k.id LIMIT $4 FOR UPDATE OF k SKIP LOCKED)
      UPDATE ${s}.connector AS k SET claimed_by = $1, claim_until = $2 + $3, last_claim_at = $2, open = true FROM c WHERE k.id = c.id
      RETURNING k.id, k.record, k.claim_until, k.throttle, k.run_requested_at, c.prev`,
    renewClaim: `UPDATE ${s}.connector SET claim_until = $3 WHERE id = $1 AND claimed_by = $2 RETURNING id`,
    /**
     * Core's `releasedState`: the run request stays unless handled ($7 at or after it); one made
     * after the claim also lifts the release's hold ($6). SET reads the row as it was.
     */
    releaseClaim: `UPDATE ${s}.connector SET claimed_by = NULL, claim_until = NULL, open = $3, last_release_at = $4, throttle = coalesce($5, throttle),
        run_requested_at = CASE WHEN run_requested_at <= $7::bigint THEN NULL ELSE run_requested_at END,
        next_run_at = CASE WHEN run_requested_at > coalesce($7::bigint, -1) AND run_requested_at > coalesce(last_claim_at, -1) THEN NULL ELSE $6::bigint END
      WHERE id = $1 AND claimed_by = $2`,
    /** Core's `requestedState`: the newest request kept (greatest ignores null), any hold lifted. Returns a row when the connector is registered. */
    requestRun: `UPDATE ${s}.connector SET run_requested_at = greatest(run_requested_at, $2::bigint), next_run_at = NULL WHERE id = $1 AND record IS NOT NULL RETURNING id`,
    fleetRows: `SELECT k.id, k.record, k.claimed_by, k.claim_until, k.open, k.last_claim_at, k.last_release_at, k.next_run_at, k.run_requested_at, k.throttle,
        coalesce(m.categories + m.products + m.variants, 0) AS pending
      FROM ${s}.connector AS k LEFT JOIN ${s}.meta AS m ON m.connector = k.id WHERE k.record IS NOT NULL`,

    notify: 'SELECT pg_notify($1, $2)',
  };
}

/** The statements of one schema, by name. */
export type Statements = ReturnType<typeof statements>;

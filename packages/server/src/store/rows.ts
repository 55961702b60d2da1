/**
 * The rows of the `server_*` tables as read back, checked with zod before they become records:
 * a row of the wrong shape is core's StorageCorruptError naming its table, its row and the field
 * (column, and path inside a JSON column), never a SyntaxError or unsound data. The two SQL stores
 * differ only in how a cell arrives (`Dialect`): SQLite hands JSON columns over as text and
 * INTEGER as numbers; node-postgres hands jsonb over parsed and int8 as text (unless a host set a
 * global parser: numbers are accepted too).
 */
import { z } from 'zod';
import { compact, damagedError, type StorePlace } from './rules.js';
import type { ApiKeyRecord, ConnectorSettings, DeliveryRecord, IdempotencyRecord, SealedCredentials, WebhookRecord } from './types.js';

/** How one database hands cells over. */
export interface Dialect {
  /** A JSON column holding what `inner` accepts. */
  json<T extends z.ZodType>(inner: T): z.ZodType<z.output<T>>;
  /** An epoch-ms column (INTEGER / bigint). */
  readonly ms: z.ZodType<number>;
}

/** Epoch milliseconds: a safe whole number, or (`text`) its decimal text as node-postgres gives int8. */
const epochMs = (text: boolean): z.ZodType<number> =>
  z.unknown().transform((v, ctx) => {
    const n = text && typeof v === 'string' && /^-?\d{1,16}$/.test(v) ? Number(v) : v;
    if (typeof n === 'number' && Number.isSafeInteger(n)) return n;
    ctx.addIssue({ code: 'custom', message: 'expected epoch milliseconds (a whole number)', input: v });
    return z.NEVER;
  });

/** SQLite: JSON as text, INTEGER as numbers. */
export const SQLITE_CELLS: Dialect = {
  json: <T extends z.ZodType>(inner: T) =>
    z
      .string()
      .transform((text, ctx) => {
        try {
          return JSON.parse(text) as unknown;
        } catch {
          ctx.addIssue({ code: 'custom', message: 'expected JSON text', input: text });
          return z.NEVER;
        }
      })
      .pipe(inner),
  ms: epochMs(false),
};

/** PostgreSQL (node-postgres): jsonb parsed, int8 as text. */
export const POSTGRES_CELLS: Dialect = {
  json: <T extends z.ZodType>(inner: T) => inner as z.ZodType<z.output<T>>,
  ms: epochMs(true),
};

const scopes = z.array(z.enum(['ingest', 'read', 'admin']));
const eventTypes = z.array(z.enum(['sync.completed', 'sync.failed', 'sync.paused', 'items.failed']));
const attempt = z.object({
  at: z.number().int(),
  status: z.number().int().optional(),
  error: z.string().optional(),
  durationMs: z.number().nonnegative(),
});

/** A short, safe picture of a found value for a message. */
function shown(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) return 'an object';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}

/** `attempts[2].status` from a zod path (its first segment is the column). */
const fieldOf = (path: readonly PropertyKey[]): string =>
  path.reduce<string>((out, seg) => (typeof seg === 'number' ? `${out}[${seg}]` : out ? `${out}.${String(seg)}` : String(seg)), '') || '(row)';

/** A cell as a person finds it in a row name: `"store-1"`. */
const cell = (v: unknown): string => JSON.stringify(typeof v === 'string' ? v : String(v));

/** Parses `row` of `table` with `schema`, or throws the error naming the first field refused. */
function checked<T>(schema: z.ZodType<T>, where: StorePlace, table: string, row: Record<string, unknown>, name: string): T {
  const parsed = schema.safeParse(row, { reportInput: true });
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const found = 'input' in issue ? `, found ${shown(issue.input)}` : '';
  throw damagedError(where, { table, row: name, field: fieldOf(issue.path), problem: `${issue.message}${found}` });
}

/** The row names of errors. */
const byId = (row: Record<string, unknown>): string => `id ${cell(row.id)}`;
const byConnector = (row: Record<string, unknown>): string => `connector ${cell(row.connector_id)}`;
const byKey = (row: Record<string, unknown>): string => `connector ${cell(row.connector_id)}, key ${cell(row.key)}`;

/** Reads rows of each table into records, for one database (`where` names it in errors). */
export function rowReaders(d: Dialect, where: StorePlace) {
  const apiKey = z.object({
    id: z.string(),
    hash: z.string(),
    scopes: d.json(scopes),
    connector_id: z.string().nullable(),
    name: z.string().nullable(),
    created_at: d.ms,
    revoked_at: d.ms.nullable(),
  });
  const settings = z.object({ allowed_origins: d.json(z.array(z.string())) });
  const credentials = z.object({ kind: z.enum(['token', 'refresh', 'client_credentials']), sealed: z.string(), updated_at: d.ms });
  const idempotency = z
    .object({
      connector_id: z.string(),
      key: z.string(),
      fingerprint: z.string(),
      state: z.enum(['started', 'done']),
      status: z.number().int().nullable(),
      body: z.string().nullable(),
      created_at: d.ms,
    })
    .superRefine((r, ctx) => {
      if (r.state === 'done' && r.status === null) ctx.addIssue({ code: 'custom', path: ['status'], message: 'expected the status of a done request', input: null });
      else if (r.state === 'done' && r.body === null) ctx.addIssue({ code: 'custom', path: ['body'], message: 'expected the answer of a done request', input: null });
    });
  const webhook = z.object({
    id: z.string(),
    connector_id: z.string(),
    url: z.string(),
    events: d.json(eventTypes),
    sealed_secret: z.string(),
    created_at: d.ms,
  });
  const delivery = z
    .object({
      id: z.string(),
      webhook_id: z.string(),
      connector_id: z.string(),
      type: z.enum(['sync.completed', 'sync.failed', 'sync.paused', 'items.failed']),
      payload: z.string(),
      created_at: d.ms,
      state: z.enum(['pending', 'succeeded', 'failed']),
      next_attempt_at: d.ms.nullable(),
      attempts: d.json(z.array(attempt)),
      claimed_by: z.string().nullable(),
      claim_until: d.ms.nullable(),
    })
    .superRefine((r, ctx) => {
      if (r.state === 'pending' && r.next_attempt_at === null) ctx.addIssue({ code: 'custom', path: ['next_attempt_at'], message: 'expected the due time of a pending delivery', input: null });
      if ((r.claimed_by === null) !== (r.claim_until === null)) ctx.addIssue({ code: 'custom', path: ['claim_until'], message: 'expected a claim to have both its worker and its end', input: r.claim_until });
    });

  return {
    apiKey(row: Record<string, unknown>): ApiKeyRecord {
      const r = checked(apiKey, where, 'server_api_keys', row, byId(row));
      return compact({ id: r.id, hash: r.hash, scopes: r.scopes, connectorId: r.connector_id ?? undefined, name: r.name ?? undefined, createdAt: r.created_at, revokedAt: r.revoked_at ?? undefined });
    },
    settings(row: Record<string, unknown>): ConnectorSettings {
      return { allowedOrigins: checked(settings, where, 'server_settings', row, byConnector(row)).allowed_origins };
    },
    credentials(row: Record<string, unknown>): SealedCredentials {
      const r = checked(credentials, where, 'server_credentials', row, byConnector(row));
      return { kind: r.kind, sealed: r.sealed, updatedAt: r.updated_at };
    },
    idempotency(row: Record<string, unknown>): IdempotencyRecord {
      const r = checked(idempotency, where, 'server_idempotency', row, byKey(row));
      return compact({ connectorId: r.connector_id, key: r.key, fingerprint: r.fingerprint, state: r.state, status: r.status ?? undefined, body: r.body ?? undefined, createdAt: r.created_at });
    },
    webhook(row: Record<string, unknown>): WebhookRecord {
      const r = checked(webhook, where, 'server_webhooks', row, byId(row));
      return { id: r.id, connectorId: r.connector_id, url: r.url, events: r.events, sealedSecret: r.sealed_secret, createdAt: r.created_at };
    },
    delivery(row: Record<string, unknown>): DeliveryRecord {
      const r = checked(delivery, where, 'server_deliveries', row, byId(row));
      return compact({
        id: r.id,
        webhookId: r.webhook_id,
        connectorId: r.connector_id,
        type: r.type,
        payload: r.payload,
        createdAt: r.created_at,
        state: r.state,
        nextAttemptAt: r.next_attempt_at ?? undefined,
        attempts: r.attempts.map((a) => compact(a)),
        claimedBy: r.claimed_by ?? undefined,
        claimUntil: r.claim_until ?? undefined,
      });
    },
  };
}

/** What `rowReaders` returns: one reader per table. */
export type RowReaders = ReturnType<typeof rowReaders>;

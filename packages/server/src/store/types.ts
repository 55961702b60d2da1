/**
 * What the service keeps beside the sync storage (core's StorageAdapter, which holds connectors,
 * queues and history): API keys, per-connector settings (allowed origins), sealed credentials,
 * idempotent ingest answers, webhook subscriptions and their deliveries.
 *
 * One interface, three implementations: memory (tests), SQLite (the same file as the sync
 * storage, one process) and PostgreSQL (the same database, many processes). Every method is
 * atomic. Secrets never reach this interface in clear: API keys arrive hashed, credentials and
 * webhook secrets sealed (SecretBox) by the caller. Times are epoch milliseconds.
 */

/** What an API key may do. `admin` includes the others. */
export type Scope = 'ingest' | 'read' | 'admin';

/** An API key as stored: never the key itself, only its SHA-256. */
export interface ApiKeyRecord {
  /** Public part of the key (`ssk_<id>_…`), shown in lists. */
  id: string;
  /** SHA-256 of the whole key, hex. */
  hash: string;
  scopes: Scope[];
  /** Limited to this connector when set. */
  connectorId?: string;
  /** A label for people (`erp-prod`). */
  name?: string;
  createdAt: number;
  revokedAt?: number;
}

/** Per-connector settings of the service. */
export interface ConnectorSettings {
  /** Origins allowed to call the panel routes with an embed token (CORS), e.g. `https://erp.example.com`. */
  allowedOrigins: string[];
}

/** A connector's credentials, sealed by the caller (SecretBox); `kind` is kept in clear to say which without opening it. */
export interface SealedCredentials {
  kind: 'token' | 'refresh' | 'client_credentials';
  sealed: string;
  updatedAt: number;
}

/** An ingest request remembered under its `Idempotency-Key`. */
export interface IdempotencyRecord {
  connectorId: string;
  key: string;
  /** SHA-256 of the request body: the same key with another body is refused. */
  fingerprint: string;
  /** `started`: being handled (or its process died while handling it); `done`: `status` and `body` are the answer. */
  state: 'started' | 'done';
  status?: number;
  /** The answer's JSON. */
  body?: string;
  createdAt: number;
}

/** Webhook event types. */
export type WebhookEventType = 'sync.completed' | 'sync.failed' | 'sync.paused' | 'items.failed';

/** A webhook subscription. */
export interface WebhookRecord {
  id: string;
  connectorId: string;
  url: string;
  events: WebhookEventType[];
  /** The signing secret, sealed by the caller. */
  sealedSecret: string;
  createdAt: number;
}

/** One attempt to deliver a message. */
export interface DeliveryAttempt {
  at: number;
  /** HTTP status, or absent when no answer came (`error` says why). */
  status?: number;
  error?: string;
  durationMs: number;
}

/** One message to one webhook, and its attempts. */
export interface DeliveryRecord {
  /** The message id (`webhook-id` header): the same for every attempt. */
  id: string;
  webhookId: string;
  connectorId: string;
  type: WebhookEventType;
  /** The JSON payload, exactly as signed and sent. */
  payload: string;
  createdAt: number;
  state: 'pending' | 'succeeded' | 'failed';
  /** When the next attempt is due (pending only). */
  nextAttemptAt?: number;
  attempts: DeliveryAttempt[];
  /** While a dispatcher holds it: who, and until when. */
  claimedBy?: string;
  claimUntil?: number;
}

/** A page of results, as core's `Page`. */
export interface StorePage<T> {
  total: number;
  items: T[];
}

export interface ServerStore {
  /** Creates or upgrades the tables; safe to call from many processes at once. */
  migrate(): Promise<void>;
  close(): Promise<void>;

  // ——— API keys ———
  createApiKey(key: ApiKeyRecord): Promise<void>;
  getApiKey(id: string): Promise<ApiKeyRecord | undefined>;
  /** Every key, revoked ones included, oldest first. */
  listApiKeys(): Promise<ApiKeyRecord[]>;
  /** False when unknown or already revoked. */
  revokeApiKey(id: string, at: number): Promise<boolean>;

  // ——— per-connector settings and credentials ———
  getSettings(connectorId: string): Promise<ConnectorSettings | undefined>;
  putSettings(connectorId: string, settings: ConnectorSettings): Promise<void>;
  getCredentials(connectorId: string): Promise<SealedCredentials | undefined>;
  putCredentials(connectorId: string, credentials: SealedCredentials): Promise<void>;
  /** Removes everything the service keeps for a connector (settings, credentials, idempotency records, webhooks, deliveries). */
  deleteConnectorData(connectorId: string): Promise<void>;

  // ——— idempotent ingest ———
  /**
   * Starts a request under its key: inserts `record` (state `started`) unless the key is known,
   * and answers what is stored for it (`created: false`). A `started` record older than
   * `staleBefore` (its process died) is taken over: replaced by `record`, `created: true`.
   */
  beginIdempotent(record: IdempotencyRecord, staleBefore: number): Promise<{ created: boolean; record: IdempotencyRecord }>;
  /** Stores the answer of a started request. */
  finishIdempotent(connectorId: string, key: string, status: number, body: string): Promise<void>;
  /** Forgets a started request that failed before it changed anything, so that a retry runs it. */
  abandonIdempotent(connectorId: string, key: string): Promise<void>;
  /** Forgets records created before `before`; returns how many. */
  pruneIdempotent(before: number): Promise<number>;

  // ——— webhooks ———
  createWebhook(webhook: WebhookRecord): Promise<void>;
  getWebhook(id: string): Promise<WebhookRecord | undefined>;
  listWebhooks(connectorId: string): Promise<WebhookRecord[]>;
  deleteWebhook(id: string): Promise<boolean>;

  // ——— deliveries (an outbox: written when a run ends, sent by any dispatcher) ———
  /** Adds messages, state `pending`, due at their `nextAttemptAt`. */
  addDeliveries(deliveries: DeliveryRecord[]): Promise<void>;
  /**
   * Claims for `worker` up to `limit` pending deliveries due at `now` and not claimed by a live
   * claim, oldest due first; each claim lasts until `now + leaseMs`. No delivery is claimed by
   * two workers at once.
   */
  claimDeliveries(request: { worker: string; now: number; leaseMs: number; limit: number }): Promise<DeliveryRecord[]>;
  /**
   * Records an attempt of a claimed delivery and its new state: `succeeded`, `failed` (given up),
   * or `pending` again with its next due time; the claim ends. Nothing happens if `worker` no
   * longer holds the claim.
   */
  recordAttempt(id: string, worker: string, attempt: DeliveryAttempt, next: { state: 'succeeded' | 'failed' } | { state: 'pending'; nextAttemptAt: number }): Promise<boolean>;
  getDelivery(id: string): Promise<DeliveryRecord | undefined>;
  /** A connector's deliveries, newest first, optionally of one webhook. */
  listDeliveries(query: { connectorId: string; webhookId?: string; offset: number; limit: number }): Promise<StorePage<DeliveryRecord>>;
}

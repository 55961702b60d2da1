/**
 * `MemoryServerStore`: the ServerStore in the process's memory, for tests and as a fallback when
 * the service runs without a database (one process; everything is lost when it ends). Records
 * are copied in and out, so a caller changing an object it gave or got changes nothing stored.
 * Each method runs to its end without awaiting, which makes it atomic in one process.
 */
import { asPending, checkCount, claimable, closedError, compact, dueFirst, exists, newestFirst, oldestFirst } from './rules.js';
import type {
  ApiKeyRecord,
  ConnectorSettings,
  DeliveryAttempt,
  DeliveryRecord,
  IdempotencyRecord,
  SealedCredentials,
  ServerStore,
  StorePage,
  WebhookRecord,
} from './types.js';

const copy = <T>(value: T): T => structuredClone(value);
const idemKey = (connectorId: string, key: string): string => JSON.stringify([connectorId, key]);

/** The ServerStore in memory: tests, and a fallback for a service without a database. */
export class MemoryServerStore implements ServerStore {
  readonly #apiKeys = new Map<string, ApiKeyRecord>();
  readonly #settings = new Map<string, ConnectorSettings>();
  readonly #credentials = new Map<string, SealedCredentials>();
  readonly #idempotency = new Map<string, IdempotencyRecord>();
  readonly #webhooks = new Map<string, WebhookRecord>();
  readonly #deliveries = new Map<string, DeliveryRecord>();
  #closed = false;

  #open(): void {
    if (this.#closed) throw closedError({ backend: 'memory' });
  }

  /** Nothing to create: the maps are ready. */
  async migrate(): Promise<void> {
    this.#open();
  }

  /** Closes the store: later calls throw `storage_closed`. Its data is dropped with it. */
  async close(): Promise<void> {
    this.#closed = true;
  }

  async createApiKey(key: ApiKeyRecord): Promise<void> {
    this.#open();
    if (this.#apiKeys.has(key.id)) throw exists('api_key', key.id);
    this.#apiKeys.set(key.id, compact(copy(key)));
  }

  async getApiKey(id: string): Promise<ApiKeyRecord | undefined> {
    this.#open();
    return copy(this.#apiKeys.get(id));
  }

  async listApiKeys(): Promise<ApiKeyRecord[]> {
    this.#open();
    return [...this.#apiKeys.values()].sort(oldestFirst).map(copy);
  }

  async revokeApiKey(id: string, at: number): Promise<boolean> {
    this.#open();
    const key = this.#apiKeys.get(id);
    if (!key || key.revokedAt !== undefined) return false;
    key.revokedAt = at;
    return true;
  }

  async getSettings(connectorId: string): Promise<ConnectorSettings | undefined> {
    this.#open();
    return copy(this.#settings.get(connectorId));
  }

  async putSettings(connectorId: string, settings: ConnectorSettings): Promise<void> {
    this.#open();
    this.#settings.set(connectorId, { allowedOrigins: [...settings.allowedOrigins] });
  }

  async getCredentials(connectorId: string): Promise<SealedCredentials | undefined> {
    this.#open();
    return copy(this.#credentials.get(connectorId));
  }

  async putCredentials(connectorId: string, credentials: SealedCredentials): Promise<void> {
    this.#open();
    this.#credentials.set(connectorId, { kind: credentials.kind, sealed: credentials.sealed, updatedAt: credentials.updatedAt });
  }

  async deleteConnectorData(connectorId: string): Promise<void> {
    this.#open();
    this.#settings.delete(connectorId);
    this.#credentials.delete(connectorId);
    for (const [k, r] of this.#idempotency) if (r.connectorId === connectorId) this.#idempotency.delete(k);
    for (const [k, w] of this.#webhooks) if (w.connectorId === connectorId) this.#webhooks.delete(k);
    for (const [k, d] of this.#deliveries) if (d.connectorId === connectorId) this.#deliveries.delete(k);
  }

  async beginIdempotent(record: IdempotencyRecord, staleBefore: number): Promise<{ created: boolean; record: IdempotencyRecord }> {
    this.#open();
    const k = idemKey(record.connectorId, record.key);
    const stored = this.#idempotency.get(k);
    if (stored && !(stored.state === 'started' && stored.createdAt < staleBefore)) return { created: false, record: copy(stored) };
    const started: IdempotencyRecord = { connectorId: record.connectorId, key: record.key, fingerprint: record.fingerprint, state: 'started', createdAt: record.createdAt };
    this.#idempotency.set(k, started);
    return { created: true, record: copy(started) };
  }

  async finishIdempotent(connectorId: string, key: string, status: number, body: string): Promise<void> {
    this.#open();
    const stored = this.#idempotency.get(idemKey(connectorId, key));
    if (stored?.state !== 'started') return;
    Object.assign(stored, { state: 'done', status, body });
  }

  async abandonIdempotent(connectorId: string, key: string): Promise<void> {
    this.#open();
    const k = idemKey(connectorId, key);
    if (this.#idempotency.get(k)?.state === 'started') this.#idempotency.delete(k);
  }

  async pruneIdempotent(before: number): Promise<number> {
    this.#open();
    let n = 0;
    for (const [k, r] of this.#idempotency) {
      if (r.createdAt < before) {
        this.#idempotency.delete(k);
        n++;
      }
    }
    return n;
  }

  async createWebhook(webhook: WebhookRecord): Promise<void> {
    this.#open();
    if (this.#webhooks.has(webhook.id)) throw exists('webhook', webhook.id);
    this.#webhooks.set(webhook.id, compact(copy(webhook)));
  }

  async getWebhook(id: string): Promise<WebhookRecord | undefined> {
    this.#open();
    return copy(this.#webhooks.get(id));
  }

  async listWebhooks(connectorId: string): Promise<WebhookRecord[]> {
    this.#open();
    return [...this.#webhooks.values()]
      .filter((w) => w.connectorId === connectorId)
      .sort(oldestFirst)
      .map(copy);
  }

  async deleteWebhook(id: string): Promise<boolean> {
    this.#open();
    return this.#webhooks.delete(id);
  }

  async addDeliveries(deliveries: DeliveryRecord[]): Promise<void> {
    this.#open();
    // All or none: every id is checked (against the store and the batch) before any is added.
    const ids = new Set<string>();
    for (const d of deliveries) {
      if (this.#deliveries.has(d.id) || ids.has(d.id)) throw exists('delivery', d.id);
      ids.add(d.id);
    }
    for (const d of deliveries) this.#deliveries.set(d.id, asPending(d));
  }

  async claimDeliveries(request: { worker: string; now: number; leaseMs: number; limit: number }): Promise<DeliveryRecord[]> {
    this.#open();
    checkCount('limit', request.limit);
    const due = [...this.#deliveries.values()].filter((d) => claimable(d, request.now)).sort(dueFirst).slice(0, request.limit);
    for (const d of due) Object.assign(d, { claimedBy: request.worker, claimUntil: request.now + request.leaseMs });
    return due.map(copy);
  }

  async recordAttempt(id: string, worker: string, attempt: DeliveryAttempt, next: { state: 'succeeded' | 'failed' } | { state: 'pending'; nextAttemptAt: number }): Promise<boolean> {
    this.#open();
    const d = this.#deliveries.get(id);
    if (!d || d.state !== 'pending' || d.claimedBy !== worker) return false;
    const updated: DeliveryRecord = { ...d, state: next.state, attempts: [...d.attempts, compact(copy(attempt))] };
    delete updated.claimedBy;
    delete updated.claimUntil;
    delete updated.nextAttemptAt;
    if (next.state === 'pending') updated.nextAttemptAt = next.nextAttemptAt;
    this.#deliveries.set(id, updated);
    return true;
  }

  async getDelivery(id: string): Promise<DeliveryRecord | undefined> {
    this.#open();
    return copy(this.#deliveries.get(id));
  }

  async listDeliveries(query: { connectorId: string; webhookId?: string; offset: number; limit: number }): Promise<StorePage<DeliveryRecord>> {
    this.#open();
    checkCount('offset', query.offset);
    checkCount('limit', query.limit);
    const all = [...this.#deliveries.values()].filter((d) => d.connectorId === query.connectorId && (query.webhookId === undefined || d.webhookId === query.webhookId)).sort(newestFirst);
    return { total: all.length, items: all.slice(query.offset, query.offset + query.limit).map(copy) };
  }
}

/**
 * The zod schemas of what the REST API takes and answers, built on core's schemas (a connector's
 * configuration, a change, a sync event): the routes parse with them and the OpenAPI document is
 * generated from them. `.meta({ id })` names the ones the document lists as components.
 */
import { changeSchema, connectorConfigSchema } from '@shopsync/core';
import { connectorIdSchema, connectorScheduleSchema, countsSchema } from '@shopsync/core/internal';
import { z } from 'zod';

/** `{id}` of the connector routes. */
export const connectorParams = z.strictObject({ id: connectorIdSchema.meta({ description: 'The connector id.' }) });

/** An origin allowed to embed the panel: scheme, host and port, no path. */
export const originSchema = z
  .string()
  .max(255)
  .regex(/^https?:\/\/[a-z0-9.-]+(:\d{1,5})?$/, 'expected an origin such as "https://erp.example.com" (scheme, host and port; no path, lowercase)');

const allowedOrigins = z.array(originSchema).max(50, 'expected at most 50 origins').refine((l) => new Set(l).size === l.length, 'expected each origin once');

/** `POST /v1/connectors`. */
export const connectorCreateSchema = z
  .strictObject({
    config: connectorConfigSchema,
    schedule: connectorScheduleSchema.optional().meta({ description: 'Run at most every everyMs, when changes are pending. Without it, a connector runs as soon as changes arrive.' }),
    allowedOrigins: allowedOrigins.default([]).meta({ description: 'Origins whose pages may show this connector’s panel with an embed token (CORS).' }),
  })
  .meta({ id: 'ConnectorCreate' });

/** `PATCH /v1/connectors/{id}`: what is given changes, the rest stays. */
export const connectorPatchBodySchema = z
  .strictObject({
    config: z
      .record(z.string(), z.unknown())
      .optional()
      .meta({ description: 'Configuration fields to change (any of ConnectorConfig but id); checked merged with the rest. `enabled: false` pauses a run under way, `true` resumes it.' }),
    schedule: connectorScheduleSchema.nullable().optional().meta({ description: 'null: no schedule.' }),
    allowedOrigins: allowedOrigins.optional(),
  })
  .meta({ id: 'ConnectorPatch' });

/** A connector as the API shows it. */
export const connectorSchema = z
  .object({
    config: connectorConfigSchema,
    schedule: connectorScheduleSchema.optional(),
    allowedOrigins: z.array(z.string()),
    /** Which kind of credentials are set, never the credentials. */
    credentials: z.object({ kind: z.enum(['token', 'refresh', 'client_credentials']), updatedAt: z.iso.datetime() }).nullable(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'Connector' });

/** A page of connectors. */
export const connectorPageSchema = z.object({ total: z.number().int(), items: z.array(connectorSchema) }).meta({ id: 'ConnectorPage' });

/** `offset` and `limit` of list routes. */
export const pageQuery = z.strictObject({
  offset: z.coerce.number({ error: 'expected a whole number' }).int('expected a whole number').min(0, 'expected 0 or more').max(1_000_000_000).default(0),
  limit: z.coerce.number({ error: 'expected a whole number' }).int('expected a whole number').min(1, 'expected 1 to 1000').max(1_000, 'expected 1 to 1000').default(50),
});

/** `POST …/changes` query. */
export const changesQuery = z.strictObject({
  force: z
    .enum(['true', 'false'], { error: 'expected true or false' })
    .default('false')
    .meta({ description: 'A force refresh: the upserts are sent even where Shopify already has the same data; deletions are dropped, never sent.' }),
});

/** `Idempotency-Key`: a retried POST with the same key and body answers the same without queuing again. */
export const idempotencyHeaders = z.object({
  'idempotency-key': z
    .string()
    .min(1)
    .max(255, 'expected at most 255 characters')
    .regex(/^[\x21-\x7e]+$/, 'expected printable ASCII without spaces')
    .optional()
    .meta({ description: 'Makes a retried request answer the same without queuing its changes again (kept 24 hours).' }),
});

/** A batch of changes as JSON. */
export const changeBatchBody = z.array(changeSchema).max(100_000, 'expected at most 100,000 changes in one request').meta({ id: 'ChangeBatch' });

/** What an ingest answers. */
export const ingestResultSchema = z
  .object({
    accepted: z.number().int().meta({ description: 'Changes queued (all of them: a batch is queued whole or not at all).' }),
    ignoredDeletions: z.number().int().meta({ description: 'Deletions dropped because the batch was a force refresh.' }),
    pending: countsSchema.meta({ description: 'Items waiting to be sent, per entity, after this batch.' }),
  })
  .meta({ id: 'IngestResult' });

/** `POST …/sync`. */
export const syncRequestSchema = z.strictObject({}).meta({ id: 'SyncRequest' });

/** What `POST …/sync` answers. */
export const syncRequestedSchema = z
  .object({ requested: z.literal(true), requestedAt: z.iso.datetime(), pending: countsSchema })
  .meta({ id: 'SyncRequested' });

/** `POST …/embed-tokens`. */
export const embedTokenRequestSchema = z
  .strictObject({
    access: z.enum(['read', 'act'], { error: 'expected read or act' }).default('read').meta({ description: '`read`: the panel shows; `act`: it may also retry items and enable or disable the connector (needs an admin key).' }),
    ttlSeconds: z.number().int('expected a whole number').min(60, 'expected at least 60').max(86_400, 'expected at most 86400 (a day)').default(3_600),
  })
  .meta({ id: 'EmbedTokenRequest' });

/** A minted embed token. */
export const embedTokenSchema = z
  .object({
    token: z.string(),
    access: z.enum(['read', 'act']),
    expiresAt: z.iso.datetime(),
    src: z.string().meta({ description: 'What to give <shopsync-panel src="…">: the panel routes with the token.' }),
  })
  .meta({ id: 'EmbedToken' });

export const webhookEventSchema = z.enum(['sync.completed', 'sync.failed', 'sync.paused', 'items.failed']);

/** `POST …/webhooks`. */
export const webhookCreateSchema = z
  .strictObject({
    url: z
      .url({ protocol: /^https?$/, error: 'expected an http(s) URL' })
      .max(2_000)
      // new URL() accepts (and escapes) control characters; stored as given, a NUL fails on PostgreSQL.
      .refine((u) => ![...u].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f), 'expected a URL without control characters'),
    events: z.array(webhookEventSchema).min(1, 'expected at least one event type').max(4).refine((l) => new Set(l).size === l.length, 'expected each event type once'),
  })
  .meta({ id: 'WebhookCreate' });

/** A webhook subscription (its secret only when made). */
export const webhookSchema = z
  .object({
    id: z.string(),
    url: z.string(),
    events: z.array(webhookEventSchema),
    createdAt: z.iso.datetime(),
    secret: z.string().optional().meta({ description: 'The signing secret (whsec_…), shown once, when the webhook is made.' }),
  })
  .meta({ id: 'Webhook' });

export const webhookListSchema = z.object({ items: z.array(webhookSchema) }).meta({ id: 'WebhookList' });

/** `{id}/webhooks/{webhookId}`. */
export const webhookParams = z.strictObject({ id: connectorIdSchema, webhookId: z.string().regex(/^wh_[A-Za-z0-9_-]{1,64}$/, 'expected a webhook id (wh_…)') });

/** One delivery and its attempts. */
export const deliverySchema = z
  .object({
    id: z.string(),
    webhookId: z.string(),
    type: webhookEventSchema,
    createdAt: z.iso.datetime(),
    state: z.enum(['pending', 'succeeded', 'failed']),
    nextAttemptAt: z.iso.datetime().optional(),
    attempts: z.array(z.object({ at: z.iso.datetime(), status: z.number().int().optional(), error: z.string().optional(), durationMs: z.number() })),
    payload: z.string().meta({ description: 'The JSON sent, exactly as signed.' }),
  })
  .meta({ id: 'Delivery' });

export const deliveryPageSchema = z.object({ total: z.number().int(), items: z.array(deliverySchema) }).meta({ id: 'DeliveryPage' });

export const credentialsStatusSchema = z.object({ kind: z.enum(['token', 'refresh', 'client_credentials']), updatedAt: z.iso.datetime() }).meta({ id: 'CredentialsStatus' });

export const healthSchema = z.object({ status: z.enum(['ok', 'unavailable']), checks: z.record(z.string(), z.string()).optional() }).meta({ id: 'Health' });

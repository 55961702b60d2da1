/**
 * Changes in, runs started: `POST …/changes` (a JSON array or an NDJSON stream, up to 100,000
 * changes, validated whole before anything is queued; `Idempotency-Key` makes a retry answer the
 * same without queuing again) and `POST …/sync` (run now).
 */
import { createHash } from 'node:crypto';
import { ChangeQueue, ValidationError } from '@shopsync/core';
import { readChanges } from '../body/changes-body.js';
import { ApiProblem, problemSchema } from '../problem.js';
import type { ApiRoute, RouteContext, RouteResult } from '../route.js';
import { changeBatchBody, changesQuery, connectorParams, idempotencyHeaders, ingestResultSchema, syncRequestedSchema, syncRequestSchema } from '../schemas.js';
import type { Services } from '../../services.js';
import { z } from 'zod';

/** A started request whose process died is taken over after this long. */
const STALE_MS = 5 * 60_000;
const MAX_CHANGES = 100_000;

const problem = (description: string) => ({ description, schema: problemSchema, media: 'application/problem+json' });

async function enqueue(s: Services, panels: RouteContext["panels"], connectorId: string, changes: unknown[], force: boolean): Promise<RouteResult> {
  const result = await new ChangeQueue(s.storage, connectorId, s.clock.now).enqueue(changes, { force });
  if (result.accepted > 0) {
    s.control.changesQueued(connectorId);
    panels?.pendingChanged(connectorId, result.pending);
  }
  return { status: 202, body: result };
}

/** Runs `fn` once per `Idempotency-Key` (and body): a retry gets the stored answer. */
async function idempotent(s: Services, connectorId: string, key: string | undefined, fingerprint: string, fn: () => Promise<RouteResult>): Promise<RouteResult> {
  if (key === undefined) return fn();
  const now = s.clock.now();
  const { created, record } = await s.store.beginIdempotent({ connectorId, key, fingerprint, state: 'started', createdAt: now }, now - STALE_MS);
  if (!created) {
    if (record.fingerprint !== fingerprint) throw new ApiProblem(422, 'This Idempotency-Key was used with another request body: use a new key for new changes.', { slug: 'idempotency-key-reused' });
    if (record.state === 'started') throw new ApiProblem(409, 'A request with this Idempotency-Key is being handled: retry later.', { slug: 'idempotency-key-in-use', headers: { 'Retry-After': '1' } });
    return { status: record.status!, body: JSON.parse(record.body!), headers: { 'Idempotent-Replayed': 'true' } };
  }
  let result: RouteResult;
  try {
    result = await fn();
  } catch (err) {
    // Nothing was queued (a batch is all or nothing): a retry with the same key runs again.
    await s.store.abandonIdempotent(connectorId, key).catch(() => undefined);
    throw err;
  }
  await s.store.finishIdempotent(connectorId, key, result.status, JSON.stringify(result.body));
  return result;
}

/** The ingest and run routes. */
export const ingestRoutes: ApiRoute[] = [
  {
    method: 'POST',
    path: '/v1/connectors/{id}/changes',
    operationId: 'postChanges',
    summary: 'Queue catalog changes (JSON array or NDJSON)',
    description:
      'Up to 100,000 changes per request, as a JSON array (`application/json`) or one change per line (`application/x-ndjson`). The whole batch is validated before anything is queued: one invalid change refuses all, naming each field at fault (`body[41].data.title`). Changes coalesce per item: the last upsert wins, upsert then delete is a delete.',
    tags: ['Changes'],
    access: { scope: 'ingest', connector: 'one' },
    params: connectorParams,
    query: changesQuery,
    headers: idempotencyHeaders,
    body: changeBatchBody,
    bodyMedia: { 'application/x-ndjson': { schema: z.string().meta({ description: 'One Change (JSON) per line.' }) } },
    responses: {
      202: { description: 'Queued.', schema: ingestResultSchema, headers: { 'Idempotent-Replayed': { description: '`true` when this is the stored answer of an earlier request with the same Idempotency-Key.', schema: z.literal('true').optional() } } },
      400: problem('Invalid changes: every field at fault is named (nothing was queued).'),
      404: problem('No such connector.'),
      409: problem('A request with the same Idempotency-Key is being handled.'),
      413: problem('Too many changes, or too many bytes.'),
      415: problem('Neither JSON nor NDJSON.'),
      422: problem('The Idempotency-Key was used with another body.'),
    },
    async handle({ params, query, request, panels, services: s }: RouteContext<{ id: string }, z.output<typeof changesQuery>>) {
      const headers = idempotencyHeaders.safeParse(request.headers);
      if (!headers.success) throw new ApiProblem(400, `Invalid header Idempotency-Key: ${headers.error.issues[0]!.message}`, { errors: headers.error.issues.map((i) => ({ field: 'header.idempotency-key', message: i.message })) });
      if (!(await s.registry.get(params.id))) throw new ApiProblem(404, `No connector "${params.id}".`);
      const { changes, raw } = await readChanges(request, { maxChanges: MAX_CHANGES, maxBytes: s.config.maxIngestBytes });
      const fingerprint = createHash('sha256').update(query.force).update('\n').update(raw).digest('hex');
      return idempotent(s, params.id, headers.data['idempotency-key'], fingerprint, async () => {
        try {
          return await enqueue(s, panels, params.id, changes, query.force === "true");
        } catch (err) {
          // core names fields from the batch's root ("changes[3].data.title"); here the batch is the body,
          // in the fields and in the detail alike ("body[3].data.title").
          if (err instanceof ValidationError) {
            const errors = err.issues.map((i) => ({ field: i.path.replace(/^changes(?=\[|$)/, 'body'), message: i.message }));
            const shown = errors.slice(0, 5).map((e) => `${e.field}: ${e.message}`).join('; ');
            throw new ApiProblem(400, `Invalid changes: ${shown}${errors.length > 5 ? ` … and ${errors.length - 5} more` : ''}`, { errors });
          }
          throw err;
        }
      });
    },
  },
  {
    method: 'POST',
    path: '/v1/connectors/{id}/sync',
    operationId: 'startSync',
    summary: 'Run the connector now',
    description:
      'A worker claims the connector at once (within its poll interval) and runs it, even with nothing pending, ahead of its schedule; asked while a run is under way, another run follows it. The run is the first event with trigger `manual` started at or after `requestedAt` in the Activity Register (GET …/sync/events), and its end reaches webhooks. To send again items Shopify already has (a force refresh), post them to …/changes with force=true.',
    tags: ['Changes'],
    access: { scope: 'ingest', connector: 'one' },
    params: connectorParams,
    body: syncRequestSchema.optional(),
    responses: { 202: { description: 'Asked for.', schema: syncRequestedSchema }, 400: problem('Invalid body.'), 404: problem('No such connector.'), 409: problem('The connector is disabled.') },
    async handle({ params, services: s }: RouteContext<{ id: string }>) {
      const record = await s.registry.get(params.id);
      if (!record) throw new ApiProblem(404, `No connector "${params.id}".`);
      if (!record.config.enabled) throw new ApiProblem(409, 'The connector is disabled: enable it (PATCH config.enabled: true) to run it.', { slug: 'connector-disabled' });
      const now = s.clock.now();
      await s.control.runRequested(params.id);
      return { status: 202, body: { requested: true, requestedAt: new Date(now).toISOString(), pending: await s.storage.pendingCounts(params.id) } };
    },
  },
];

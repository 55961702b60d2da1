/**
 * The HTTP request pipeline: every request goes through these steps in order, and the first that
 * refuses it answers it.
 *
 *   0. oauth     `/admin/oauth/access_token` goes to the token endpoint instead (oauth.ts, its own log)
 *   1. route     `POST /admin/api/{version}/graphql.json` on the store's host (404, 405)
 *   2. version   the version that serves it (fall-forward), named on every answer from here on
 *   3. token     `X-Shopify-Access-Token`: unknown, expired or revoked 401; a public app's
 *                non-expiring token past `nonExpiringCutoff` 403 (tokens.ts)
 *   4. body      JSON with a `query` (413, 400)
 *   5. prepare   parse, validate, input limits, deprecations, requested cost (prepare.ts)
 *   6. fault     an injected fault, before or after execution (faults.ts)
 *   7. cost      the single-query limit (MAX_COST_EXCEEDED) and the bucket (THROTTLED): the
 *                app's for a token issued to an app, the token's own for a fixed `accessTokens` one
 *   8. execute   graphql-js against the store, after the configured latency
 *   9. answer    data, errors and `extensions.cost`; the difference to the actual cost refunded
 *
 * Each request is logged (request-log.ts), whatever step from 1 on answered it.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { execute } from 'graphql';
import { actualCost } from '../cost.js';
import { adminSchema } from '../schema/schema.js';
import { featuresOf } from '../version.js';
import type { LeakyBucket } from './bucket.js';
import type { Faults } from './faults.js';
import { delay, isForStore, latencyMs, NON_EXPIRING_BODY, NOT_FOUND_BODY, readBody, send, UNAUTHORIZED_BODY } from './http.js';
import type { SimulatorConfig } from './options.js';
import { prepare } from './prepare.js';
import type { RequestLog, RequestLogEntry } from './request-log.js';
import { rootValue, type SimContext } from './resolvers.js';
import type { SimStore } from './store.js';
import { tokenHash, type TokenRegistry } from './tokens.js';
import { servedVersion, type VersionPolicy } from './versions.js';

const DEPRECATION_URL = 'https://shopify.dev/api/usage/versioning#deprecation-practices';
const BAD_QUERY_BODY = '{"errors":{"query":"Required parameter missing or invalid"}}';

/** What the pipeline works with; the simulator owns all of it. */
export interface PipelineParts {
  config: SimulatorConfig;
  policy: VersionPolicy;
  store: SimStore;
  tokens: TokenRegistry;
  faults: Faults;
  log: RequestLog;
  /** Called after a request that ran mutations (the store may have changed). */
  changed: () => void;
}

/** Answers the simulator's HTTP requests. */
export class RequestPipeline {
  readonly #p: PipelineParts;
  readonly #root = rootValue();

  constructor(parts: PipelineParts) {
    this.#p = parts;
  }

  /** Answers one request and logs it; never rejects (a simulator error is an HTTP 500). */
  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    const entry = this.#p.log.open(req);
    try {
      await this.#serve(req, res, entry);
    } catch (err) {
      if (!res.headersSent && !res.destroyed) send(res, entry, 500, JSON.stringify({ errors: `Simulator error: ${err instanceof Error ? err.message : String(err)}` }));
    } finally {
      entry.durationMs = Math.round(performance.now() - started);
      this.#p.log.close(entry);
    }
  }

  async #serve(req: IncomingMessage, res: ServerResponse, entry: RequestLogEntry): Promise<void> {
    const { config, policy, tokens, faults } = this.#p;
    // 1. route
    const match = /^\/admin\/api\/([^/]+)\/graphql\.json$/.exec(entry.path);
    if (!match) return send(res, entry, 404, NOT_FOUND_BODY);
    if (req.method !== 'POST') return send(res, entry, 405, '{"errors":"Method Not Allowed"}', { Allow: 'POST' });
    if (!isForStore(req, config.shopDomain)) return send(res, entry, 404, NOT_FOUND_BODY);

    // 2. version
    entry.requestedVersion = match[1]!;
    const served = servedVersion(policy, entry.requestedVersion);
    if (!served) return send(res, entry, 404, NOT_FOUND_BODY);
    entry.servedVersion = served;
    // Every answer from here on names the version that served it.
    const headers: Record<string, string> = { 'X-Shopify-API-Version': served };

    // 3. token
    const tokenHeader = req.headers['x-shopify-access-token'];
    const token = Array.isArray(tokenHeader) ? tokenHeader[0] : tokenHeader;
    const check = tokens.check(token, this.#pastCutoff());
    entry.token = token ? `${check.state}:${tokenHash(token)}` : 'missing';
    if (check.app !== undefined) entry.app = check.app;
    if (check.state !== 'valid' || check.key === undefined) {
      await delay(this.#latency(0));
      if (check.state === 'refused') return send(res, entry, 403, NON_EXPIRING_BODY, headers);
      return send(res, entry, 401, UNAUTHORIZED_BODY, headers);
    }
    const key = check.key;

    // 4. body
    const raw = await readBody(req, config.maxBodyBytes);
    if (raw === null) return send(res, entry, 413, '{"errors":"Request Entity Too Large"}', headers);
    let body: { query?: unknown; variables?: unknown; operationName?: unknown };
    try {
      body = JSON.parse(raw) as typeof body;
    } catch {
      return send(res, entry, 400, BAD_QUERY_BODY, headers);
    }
    if (typeof body?.query !== 'string') return send(res, entry, 400, BAD_QUERY_BODY, headers);
    const variables = body.variables && typeof body.variables === 'object' && !Array.isArray(body.variables) ? (body.variables as Record<string, unknown>) : {};
    const operationName = typeof body.operationName === 'string' ? body.operationName : undefined;
    if (config.recordQueries) entry.query = body.query;

    // 5. prepare
    const bucket = tokens.bucket(key);
    const features = featuresOf(served);
    const prepared = prepare(served, body.query, variables, operationName);
    if ('errors' in prepared) {
      entry.errorCodes = prepared.errors.map((e) => String(e.extensions?.['code'] ?? 'GRAPHQL_VALIDATION_FAILED'));
      await delay(this.#latency(0));
      return send(res, entry, 200, JSON.stringify({ errors: prepared.errors }), headers);
    }
    entry.fields = prepared.fields;
    entry.mutations = prepared.mutations;

    // 6. fault (before execution)
    const fault = faults.next(prepared.fields);
    if (fault) entry.fault = fault.kind;
    if (fault && !fault.afterExecute) {
      await delay(this.#latency(0));
      return faults.fail(fault.kind, req, res, entry, headers);
    }
    entry.requestedCost = prepared.requested;
    if (prepared.operation.name) entry.operationName = prepared.operation.name.value;
    const deprecation = [
      prepared.deprecations.length ? (features.deprecationList ? prepared.deprecations.join(', ') : DEPRECATION_URL) : undefined,
      policy.deprecated[served],
    ].filter((x): x is string => !!x);
    if (deprecation.length) headers['X-Shopify-API-Deprecated-Reason'] = deprecation.join('; ');

    // 7. cost
    const limit = Math.min(config.maxQueryCost, bucket.size);
    const now = performance.now();
    if (prepared.requested > limit) {
      return this.#refuseForCost(res, entry, headers, bucket, prepared.requested, 'MAX_COST_EXCEEDED', {
        message: `Query cost is ${prepared.requested}, which exceeds the single query max cost limit (${limit}). See https://shopify.dev/docs/api/usage/rate-limits for how the cost of a query is calculated.`,
        extensions: { code: 'MAX_COST_EXCEEDED', cost: prepared.requested, maxCost: limit, documentation: 'https://shopify.dev/api/usage/rate-limits' },
      });
    }
    if (!bucket.take(prepared.requested, now)) {
      entry.throttled = true;
      return this.#refuseForCost(res, entry, headers, bucket, prepared.requested, 'THROTTLED', {
        message: 'Throttled',
        extensions: { code: 'THROTTLED', documentation: 'https://shopify.dev/api/usage/rate-limits' },
      });
    }

    // 8. execute: charged the requested cost; the work takes its time.
    await delay(this.#latency(prepared.mutations));
    const schema = adminSchema(served);
    const context: SimContext = {
      store: this.#p.store,
      features,
      maxVariants: config.maxVariantsPerProduct ?? features.maxVariantsPerProduct,
      shop: { name: config.shopName, myshopifyDomain: config.shopDomain },
      idempotency: tokens.idempotency(key),
    };
    const result = await execute({ schema, document: prepared.document, rootValue: this.#root, contextValue: context, variableValues: variables, operationName });
    if (prepared.mutations > 0) this.#p.changed();

    // 9. answer: the difference to the actual cost is refunded.
    const actual = Math.min(prepared.requested, actualCost(schema, prepared.document, variables, result.data, operationName, served));
    bucket.refund(prepared.requested - actual, performance.now());
    entry.actualCost = actual;
    const status = bucket.status(performance.now());
    entry.available = status.currentlyAvailable;
    entry.errorCodes = (result.errors ?? []).map((e) => String(e.extensions?.['code'] ?? 'INTERNAL'));
    const out: Record<string, unknown> = {};
    if (result.errors?.length) out['errors'] = result.errors.map((e) => e.toJSON());
    out['data'] = result.data ?? null;
    out['extensions'] = { cost: { requestedQueryCost: prepared.requested, actualQueryCost: actual, throttleStatus: status } };
    const text = JSON.stringify(out);
    // 6. fault (after execution): the writes happened, the answer fails.
    if (fault) return faults.fail(fault.kind, req, res, entry, headers, text);
    return send(res, entry, 200, text, headers);
  }

  /** A request refused for its cost, as Shopify answers one: HTTP 200, the error, and the bucket as it stands; nothing charged. */
  async #refuseForCost(
    res: ServerResponse,
    entry: RequestLogEntry,
    headers: Record<string, string>,
    bucket: LeakyBucket,
    requested: number,
    code: 'MAX_COST_EXCEEDED' | 'THROTTLED',
    error: { message: string; extensions: Record<string, unknown> },
  ): Promise<void> {
    entry.actualCost = null;
    entry.errorCodes = [code];
    entry.available = bucket.status(performance.now()).currentlyAvailable;
    await delay(this.#latency(0));
    const cost = { requestedQueryCost: requested, actualQueryCost: null, throttleStatus: bucket.status(performance.now()) };
    send(res, entry, 200, JSON.stringify({ errors: [error], extensions: { cost } }), headers);
  }

  /** Whether public apps' non-expiring tokens are refused now (`nonExpiringCutoff`, read at `now` or the clock). */
  #pastCutoff(): boolean {
    const { nonExpiringCutoff, now } = this.#p.config;
    return nonExpiringCutoff !== null && (now ?? new Date()).getTime() >= nonExpiringCutoff.getTime();
  }

  /** The configured latency: a base per request, time per mutation, random jitter. */
  #latency(mutations: number): number {
    return latencyMs(this.#p.config.latency, mutations);
  }
}

/**
 * The HTTP request pipeline: every request goes through these steps in order, and the first that
 * refuses it answers it.
 *
 *   0. shop      the shop the request names (http.ts `routeOf`: a `/shops/{domain}` prefix,
 *                `X-Forwarded-Host`, `Host`), whose state the steps below work on;
 *                `/admin/oauth/access_token` goes to the token endpoint instead (oauth.ts, its own log)
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
 * Each request is logged in its shop's log (request-log.ts), whatever step from 1 on answered it.
 * One pipeline serves every shop of a fleet: it keeps nothing of its own per shop.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { execute } from 'graphql';
import { actualCost } from '../cost.js';
import { adminSchema } from '../schema/schema.js';
import { featuresOf } from '../version.js';
import type { LeakyBucket } from './bucket.js';
import { delay, latencyMs, NON_EXPIRING_BODY, NOT_FOUND_BODY, readBody, send, UNAUTHORIZED_BODY } from './http.js';
import type { SimulatorConfig } from './options.js';
import { prepare } from './prepare.js';
import type { RequestLogEntry } from './request-log.js';
import { rootValue, type SimContext } from './resolvers.js';
import type { ShopState } from './shop-state.js';
import { tokenHash } from './tokens.js';
import { servedVersion, type VersionPolicy } from './versions.js';

const DEPRECATION_URL = 'https://shopify.dev/api/usage/versioning#deprecation-practices';
const BAD_QUERY_BODY = '{"errors":{"query":"Required parameter missing or invalid"}}';

/** Answers the Admin API requests of every shop of a simulator or fleet. */
export class RequestPipeline {
  readonly #policy: VersionPolicy;
  readonly #root = rootValue();

  /** `policy`: the versions served, the same for every shop. */
  constructor(policy: VersionPolicy) {
    this.#policy = policy;
  }

  /**
   * Answers one request to `shop` at `path` (its path within the shop) and logs it in the shop's
   * log; never rejects (a simulator error is an HTTP 500). `forStore`: the request names this
   * shop (or none); a request a simulator got for another host is logged and answered 404.
   */
  async handle(req: IncomingMessage, res: ServerResponse, shop: ShopState, path: string, forStore = true): Promise<void> {
    const started = performance.now();
    const entry = shop.log.open(req, path);
    try {
      await this.#serve(req, res, shop, entry, forStore);
    } catch (err) {
      if (!res.headersSent && !res.destroyed) send(res, entry, 500, JSON.stringify({ errors: `Simulator error: ${err instanceof Error ? err.message : String(err)}` }));
    } finally {
      entry.durationMs = Math.round(performance.now() - started);
      shop.log.close(entry);
    }
  }

  async #serve(req: IncomingMessage, res: ServerResponse, shop: ShopState, entry: RequestLogEntry, forStore: boolean): Promise<void> {
    const { config, tokens, faults } = shop;
    const policy = this.#policy;
    // 1. route
    const match = /^\/admin\/api\/([^/]+)\/graphql\.json$/.exec(entry.path);
    if (!match) return send(res, entry, 404, NOT_FOUND_BODY);
    if (req.method !== 'POST') return send(res, entry, 405, '{"errors":"Method Not Allowed"}', { Allow: 'POST' });
    if (!forStore) return send(res, entry, 404, NOT_FOUND_BODY);

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
    const check = tokens.check(token, pastCutoff(config));
    entry.token = token ? `${check.state}:${tokenHash(token)}` : 'missing';
    if (check.app !== undefined) entry.app = check.app;
    if (check.state !== 'valid' || check.key === undefined) {
      await delay(latencyMs(config.latency, 0));
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
      await delay(latencyMs(config.latency, 0));
      return send(res, entry, 200, JSON.stringify({ errors: prepared.errors }), headers);
    }
    entry.fields = prepared.fields;
    entry.mutations = prepared.mutations;

    // 6. fault (before execution)
    const fault = faults.next(prepared.fields);
    if (fault) entry.fault = fault.kind;
    if (fault && !fault.afterExecute) {
      await delay(latencyMs(config.latency, 0));
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
      return refuseForCost(res, entry, headers, bucket, config, prepared.requested, 'MAX_COST_EXCEEDED', {
        message: `Query cost is ${prepared.requested}, which exceeds the single query max cost limit (${limit}). See https://shopify.dev/docs/api/usage/rate-limits for how the cost of a query is calculated.`,
        extensions: { code: 'MAX_COST_EXCEEDED', cost: prepared.requested, maxCost: limit, documentation: 'https://shopify.dev/api/usage/rate-limits' },
      });
    }
    if (!bucket.take(prepared.requested, now)) {
      entry.throttled = true;
      return refuseForCost(res, entry, headers, bucket, config, prepared.requested, 'THROTTLED', {
        message: 'Throttled',
        extensions: { code: 'THROTTLED', documentation: 'https://shopify.dev/api/usage/rate-limits' },
      });
    }

    // 8. execute: charged the requested cost; the work takes its time.
    await delay(latencyMs(config.latency, prepared.mutations));
    const schema = adminSchema(served);
    const context: SimContext = {
      store: shop.store,
      features,
      maxVariants: config.maxVariantsPerProduct ?? features.maxVariantsPerProduct,
      shop: { name: config.shopName, myshopifyDomain: config.shopDomain },
      idempotency: tokens.idempotency(key),
    };
    const result = await execute({ schema, document: prepared.document, rootValue: this.#root, contextValue: context, variableValues: variables, operationName });
    if (prepared.mutations > 0) shop.changed();

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
}

/** A request refused for its cost, as Shopify answers one: HTTP 200, the error, and the bucket as it stands; nothing charged. */
async function refuseForCost(
  res: ServerResponse,
  entry: RequestLogEntry,
  headers: Record<string, string>,
  bucket: LeakyBucket,
  config: SimulatorConfig,
  requested: number,
  code: 'MAX_COST_EXCEEDED' | 'THROTTLED',
  error: { message: string; extensions: Record<string, unknown> },
): Promise<void> {
  entry.actualCost = null;
  entry.errorCodes = [code];
  entry.available = bucket.status(performance.now()).currentlyAvailable;
  await delay(latencyMs(config.latency, 0));
  const cost = { requestedQueryCost: requested, actualQueryCost: null, throttleStatus: bucket.status(performance.now()) };
  send(res, entry, 200, JSON.stringify({ errors: [error], extensions: { cost } }), headers);
}

/** Whether public apps' non-expiring tokens are refused now (`nonExpiringCutoff`, read at `now` or the clock). */
function pastCutoff({ nonExpiringCutoff, now }: SimulatorConfig): boolean {
  return nonExpiringCutoff !== null && (now ?? new Date()).getTime() >= nonExpiringCutoff.getTime();
}

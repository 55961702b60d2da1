/**
 * The token endpoint, `POST /admin/oauth/access_token` on the store's host, as Shopify answers
 * it for the grants an app uses without a merchant at hand (grants.ts keeps their state):
 *
 *   1. route     POST on the store's host (404, 405); a fleet's shop by its domain (http.ts `routeOf`)
 *   2. body      `application/json` or `application/x-www-form-urlencoded` (413; 400 invalid_request)
 *   3. fault     an injected token fault, before or after the grant (`injectTokenFault`)
 *   4. grant     `grant_type` (400 unsupported_grant_type), its parameters (400 invalid_request),
 *                the client id and secret (401 invalid_client), then the grant itself:
 *                `refresh_token` (400 invalid_grant) or `client_credentials` (400 shop_not_permitted,
 *                400 app_not_installed)
 *   5. answer    JSON, `Cache-Control: no-store`, after the configured base latency
 *
 * Not simulated: the authorization code and token exchange grants (`issueOfflineToken` stands
 * for the install they end in) and client authentication by HTTP Basic.
 *
 * Each request is logged in its shop's own log (`TokenRequestLog`), never in the Admin API's. The
 * grants, faults and log are the shop's: a token issued here works on this shop only.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { AppGrants, GrantOutcome, OAuthError } from './grants.js';
import { delay, latencyMs, NOT_FOUND_BODY, readBody, send } from './http.js';
import type { TokenRequestEntry } from './request-log.js';
import type { ShopState } from './shop-state.js';
import { tokenHash } from './tokens.js';

/** The token endpoint's path on the store's host. */
export const TOKEN_PATH = '/admin/oauth/access_token';

const HEADERS = { 'Cache-Control': 'no-store' };
const GRANT_PARAMS = { refresh_token: ['client_id', 'client_secret', 'refresh_token'], client_credentials: ['client_id', 'client_secret'] } as const;
type GrantType = keyof typeof GRANT_PARAMS;

function error(status: 400 | 401, code: OAuthError['error'], description: string): OAuthError {
  return { status, error: code, description };
}

/**
 * The body's parameters as strings, or the invalid_request it is. JSON must be an object of
 * strings; a form may not repeat a parameter (RFC 6749 §3.2). Without a Content-Type, the body
 * is read as JSON when it looks like an object, as a form otherwise.
 */
export function tokenParams(contentType: string | undefined, raw: string): Map<string, string> | OAuthError {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  const json = type === 'application/json' || (type === '' && raw.trimStart().startsWith('{'));
  if (!json && type !== '' && type !== 'application/x-www-form-urlencoded') {
    return error(400, 'invalid_request', 'The request body must be application/json or application/x-www-form-urlencoded.');
  }
  const params = new Map<string, string>();
  if (!json) {
    const form = new URLSearchParams(raw);
    for (const name of new Set(form.keys())) {
      const values = form.getAll(name);
      if (values.length > 1) return error(400, 'invalid_request', `The parameter ${name} is given more than once.`);
      params.set(name, values[0]!);
    }
    return params;
  }
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    return error(400, 'invalid_request', 'The request body is not valid JSON.');
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) return error(400, 'invalid_request', 'The request body must be a JSON object.');
  for (const [name, value] of Object.entries(body as Record<string, unknown>)) {
    if (value === null || value === undefined) continue;
    if (typeof value !== 'string') return error(400, 'invalid_request', `The parameter ${name} must be a string.`);
    params.set(name, value);
  }
  return params;
}

/**
 * Answers one `POST /admin/oauth/access_token` to `shop` and logs it in the shop's token log;
 * never rejects (a simulator error is an HTTP 500). `forStore`: the request names this shop (or
 * none); a request a simulator got for another host is logged and answered 404.
 */
export async function answerTokenRequest(req: IncomingMessage, res: ServerResponse, shop: ShopState, forStore = true): Promise<void> {
  const started = performance.now();
  const entry = shop.tokenLog.open();
  try {
    await serve(req, res, shop, entry, forStore);
  } catch (err) {
    if (!res.headersSent && !res.destroyed) send(res, entry, 500, JSON.stringify({ error: 'server_error', error_description: `Simulator error: ${err instanceof Error ? err.message : String(err)}` }));
  } finally {
    entry.durationMs = Math.round(performance.now() - started);
    shop.tokenLog.close(entry);
  }
}

async function serve(req: IncomingMessage, res: ServerResponse, shop: ShopState, entry: TokenRequestEntry, forStore: boolean): Promise<void> {
  const { config, tokenFaults: faults } = shop;
  // 1. route
  if (req.method !== 'POST') return send(res, entry, 405, '{"errors":"Method Not Allowed"}', { Allow: 'POST' });
  if (!forStore) return send(res, entry, 404, NOT_FOUND_BODY);

  // 2. body
  const raw = await readBody(req, config.maxBodyBytes);
  if (raw === null) return send(res, entry, 413, '{"errors":"Request Entity Too Large"}');

  // 3. fault (before the grant)
  const fault = faults.next([]);
  if (fault) entry.fault = fault.kind;
  await delay(latencyMs(config.latency, 0));
  if (fault && !fault.afterExecute) return faults.fail(fault.kind, req, res, entry, HEADERS, '{"error":"temporarily_unavailable"}');

  // 4. grant
  const outcome = grant(shop.grants, req.headers['content-type'], raw, entry);
  if (outcome.presented) entry.refreshToken = outcome.presented;
  let status: number;
  let text: string;
  if (outcome.ok) {
    entry.issued = outcome.issued;
    status = 200;
    text = JSON.stringify(outcome.body);
  } else {
    entry.error = outcome.error.error;
    status = outcome.error.status;
    text = JSON.stringify({ error: outcome.error.error, error_description: outcome.error.description });
  }

  // 3. fault (after the grant): it happened, the answer is lost.
  if (fault) return faults.fail(fault.kind, req, res, entry, HEADERS, text);
  // 5. answer
  return send(res, entry, status, text, HEADERS);
}

/** Reads the parameters, authenticates the client and applies its grant. */
function grant(grants: AppGrants, contentType: string | undefined, raw: string, entry: TokenRequestEntry): GrantOutcome {
  const params = tokenParams(contentType, raw);
  if (!(params instanceof Map)) return { ok: false, error: params };
  const clientId = params.get('client_id');
  if (clientId !== undefined) entry.clientId = grants.has(clientId) ? clientId : `unknown:${tokenHash(clientId)}`;
  const grantType = params.get('grant_type');
  const known = grantType !== undefined && Object.hasOwn(GRANT_PARAMS, grantType);
  if (grantType !== undefined) entry.grantType = known ? (grantType as GrantType) : 'other';
  if (!known) {
    return { ok: false, error: error(400, 'unsupported_grant_type', 'The grant type must be refresh_token or client_credentials.') };
  }
  const type = grantType as GrantType;
  const missing = GRANT_PARAMS[type].filter((name) => !params.get(name));
  if (missing.length) return { ok: false, error: error(400, 'invalid_request', `Missing required parameter${missing.length > 1 ? 's' : ''}: ${missing.join(', ')}.`) };
  const app = grants.authenticate(clientId!, params.get('client_secret')!);
  if (!app) return { ok: false, error: error(401, 'invalid_client', 'Client authentication failed: unknown client id or wrong client secret.') };
  return type === 'refresh_token' ? grants.refresh(app, params.get('refresh_token')!) : grants.clientCredentials(app);
}

/**
 * Who is calling: an API key (`Authorization: Bearer ssk_…`, never in a URL) or a panel's embed
 * token (`Authorization: Bearer <jwt>`, or `?token=` on the panel routes, since a browser's
 * EventSource cannot send headers). Anything else is a 401 that says what to send.
 */
import type { FastifyRequest } from 'fastify';
import type { Principal } from '../auth/access.js';
import { findApiKey, isApiKeyShaped } from '../auth/api-keys.js';
import { isTokenShaped } from '../auth/embed-tokens.js';
import type { Services } from '../services.js';
import { ApiProblem } from './problem.js';

const CHALLENGE = { 'WWW-Authenticate': 'Bearer realm="shopsync"' };

const unauthorized = (detail: string) => new ApiProblem(401, detail, { headers: CHALLENGE });

/** The caller of `request`, or a 401 problem. `queryToken`: the token a panel route found in `?token=`. */
export async function authenticate(s: Services, request: FastifyRequest, queryToken?: string): Promise<Principal> {
  const header = request.headers.authorization;
  let presented: string | undefined;
  let inUrl = false;
  if (header !== undefined) {
    const m = /^Bearer[ ]+([^\s]+)\s*$/i.exec(header);
    if (!m) throw unauthorized('Send credentials as "Authorization: Bearer <API key or embed token>".');
    presented = m[1]!;
  } else if (queryToken !== undefined) {
    presented = queryToken;
    inUrl = true;
  }
  if (presented === undefined) throw unauthorized('This route needs an API key: send "Authorization: Bearer ssk_…" (make one with `shopsync keys create`).');
  if (isApiKeyShaped(presented)) {
    if (inUrl) throw unauthorized('API keys go in the Authorization header, never in a URL (URLs end up in logs); a page uses an embed token.');
    const key = await findApiKey(s.store, presented);
    if (!key) throw unauthorized('This API key is unknown or revoked.');
    return { kind: 'key', keyId: key.id, scopes: new Set(key.scopes), ...(key.connectorId !== undefined && { connectorId: key.connectorId }) };
  }
  if (isTokenShaped(presented)) {
    const claims = await s.tokens.verify(presented, s.clock.now());
    if (!claims) throw unauthorized('This embed token is invalid or has expired: mint a new one (POST /v1/connectors/{id}/embed-tokens).');
    return { kind: 'embed', connectorId: claims.connectorId, access: claims.access };
  }
  throw unauthorized('These credentials are neither an API key (ssk_…) nor an embed token.');
}

/**
 * Who may call what: the caller (an API key, or a panel's embed token) against what a route
 * asks (a scope, whether it names one connector, whether a panel may call it). Pure, so that the
 * whole matrix is tested without HTTP, and the same rules answer every route.
 */
import type { Scope } from '../store/types.js';
import type { EmbedAccess } from './embed-tokens.js';

/** The caller of a request, once authenticated. */
export type Principal =
  | { kind: 'key'; keyId: string; scopes: ReadonlySet<Scope>; connectorId?: string }
  | { kind: 'embed'; connectorId: string; access: EmbedAccess };

/** What a route asks of its caller. */
export interface Access {
  /** The scope an API key needs (`admin` has every scope). */
  scope: Scope;
  /**
   * `one`: the route names a connector (`{id}`); `list`: it lists connectors (a key limited to one
   * connector sees only that one); `create`: it adds a connector (never a key limited to one).
   */
  connector: 'one' | 'list' | 'create';
  /** Embed tokens may call it: `read` ones for reads, `act` ones for the panel's actions too. Absent: API keys only. */
  embed?: EmbedAccess;
}

/** Allowed, or refused with the sentence a 403 says. */
export type Decision = { ok: true } | { ok: false; detail: string };

const refuse = (detail: string): Decision => ({ ok: false, detail });

/** Whether a key's scopes include `scope`. */
export const hasScope = (scopes: ReadonlySet<Scope>, scope: Scope): boolean => scopes.has('admin') || scopes.has(scope);

/** Decides whether `principal` may call a route asking `access`, about `connectorId` when it names one. */
export function decide(principal: Principal, access: Access, connectorId?: string): Decision {
  if (principal.kind === 'embed') {
    if (!access.embed) return refuse('Embed tokens reach the panel routes only (/v1/connectors/{id}/sync/…); use an API key.');
    if (access.connector !== 'one' || connectorId !== principal.connectorId) return refuse('This embed token is for another connector.');
    if (access.embed === 'act' && principal.access !== 'act') return refuse('This embed token allows reading only; the panel’s actions need a token minted with access "act".');
    return { ok: true };
  }
  if (!hasScope(principal.scopes, access.scope)) {
    return refuse(`This API key’s scopes (${[...principal.scopes].join(', ') || 'none'}) do not include "${access.scope}".`);
  }
  if (principal.connectorId !== undefined) {
    if (access.connector === 'create') return refuse('This API key is limited to one connector and cannot add connectors.');
    if (access.connector === 'one' && connectorId !== principal.connectorId) return refuse('This API key is limited to another connector.');
  }
  return { ok: true };
}

/**
 * How the Shopify target reaches a store: it asks a credentials provider for a valid access token
 * before each request, instead of holding a string. Shopify has three kinds (shopify.dev, "About
 * offline access tokens", read 2026-12-05):
 * - a fixed token (`fixedToken`): legacy custom apps made in a store's admin keep theirs; public
 *   apps' non-expiring tokens are refused from 2027-01-01;
 * - an expiring offline token with a refresh token (`expiringToken`): 60 minutes, renewed with a
 *   refresh token that rotates on every use; what public apps must use;
 * - the client credentials grant (`clientCredentials`): apps made in the Dev Dashboard (merchants
 *   can no longer make custom apps in the admin since 2026-01-01) exchange their client id and
 *   secret for a 24-hour token.
 */
import { redactLiterals } from '@shopsync/core/internal';

/**
 * What the target says when it asks a provider for a token: a signal that stops the wait, and the
 * token the store just refused, if any (renew it).
 */
export interface TokenRequest {
  /** Stops waiting (the run was stopped). */
  signal: AbortSignal;
  /** A token the store just refused (HTTP 401): renew, unless the one in hand is already another. */
  refused?: string;
}

/** Gives the Shopify target a valid access token for one connector's store. */
export interface CredentialsProvider {
  /** Whether a refused token can be renewed (a fixed one cannot: the store refusing it ends the run). */
  readonly renewable: boolean;
  /**
   * A valid access token, renewed first when it expires soon or was refused. Throws a
   * ConnectionError when none can be had: `reauthorize` when the app's authorization with the
   * store has ended, `auth` when Shopify refuses the app's own credentials, `network`,
   * `timeout` or `server_error` when the token endpoint cannot be reached (nothing is lost: the
   * next call tries again).
   */
  accessToken(request: TokenRequest): Promise<string>;
  /** Every secret this provider has held in this process, to scrub from any text that leaves it. */
  secrets(): readonly string[];
  /** Calls `listener` with a sentence for the sync event's log each time the credentials are renewed; returns the unsubscribe. */
  onRenewed(listener: (message: string) => void): () => void;
}

/** Keeps the secrets a provider has seen (tokens rotate: old ones may still be quoted somewhere). */
export class SecretList {
  readonly #list: string[] = [];

  add(...secrets: Array<string | undefined>): void {
    for (const s of secrets) if (s && !this.#list.includes(s)) this.#list.push(s);
  }

  get all(): readonly string[] {
    return this.#list;
  }

  scrub(text: string): string {
    return redactLiterals(text, this.#list);
  }
}

/** Listeners of renewals; a listener that throws does not stop the others. */
export class RenewalListeners {
  readonly #listeners = new Set<(message: string) => void>();

  add(listener: (message: string) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  emit(message: string): void {
    for (const l of this.#listeners) {
      try {
        l(message);
      } catch {
        // A host's listener; the renewal stands.
      }
    }
  }
}

/**
 * A fixed access token: a legacy custom app's (`shpat_…`), today's behaviour. It is never renewed:
 * when the store refuses it, the run ends with an `auth` error.
 */
export function fixedToken(token: string): CredentialsProvider {
  if (typeof token !== 'string' || token.length === 0 || token.length > 1_000) {
    throw new TypeError('fixedToken: expected the Admin API access token (1-1,000 characters)');
  }
  const listeners = new RenewalListeners();
  return {
    renewable: false,
    accessToken: async ({ signal }) => {
      signal.throwIfAborted();
      return token;
    },
    secrets: () => [token],
    onRenewed: (listener) => listeners.add(listener),
  };
}

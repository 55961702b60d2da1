/**
 * The apps installed on the store (`options.apps`) and what they were granted: the OAuth side of
 * the simulator, apart from HTTP (oauth.ts answers the token endpoint with it).
 *
 * An app is installed from the start, with its configured non-expiring `offlineTokens`.
 * `issueOfflineToken` is its (re)install through OAuth: a non-expiring token, or an expiring one
 * with a refresh token, which starts the app's refresh chain (one per app and store; a new
 * install replaces it). A refresh with the chain's current refresh token rotates it: a new access
 * token and refresh token; the one just used stays valid as the grace token (Shopify, 2026-08-28)
 * until the new access token is first used on the Admin API, or 30 days pass, or it expires
 * itself. A refresh with the grace token (the answer of the last one was lost) issues a new pair
 * and revokes the pair nobody received; the grace token stays the grace token. Access tokens
 * issued earlier stay valid until they expire. `revokeGrant` (uninstall) ends everything the
 * app holds. Nothing of this is persisted (see `statePath`).
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { SimulatorApp, SimulatorConfig } from './options.js';
import { appKey, secretDigest, tokenHash, type AccessTokenRecord, type TokenRegistry } from './tokens.js';

/** What an app holds after an install (`issueOfflineToken`): the token endpoint's answer, camel-cased. */
export interface IssuedOfflineToken {
  /** `shpat_…`: the Admin API token. */
  accessToken: string;
  /** Seconds it lives (expiring tokens only). */
  expiresIn?: number;
  /** `shprt_…`: exchanged at the token endpoint for the next pair (expiring tokens only). */
  refreshToken?: string;
  /** Seconds the refresh token lives (expiring tokens only). */
  refreshTokenExpiresIn?: number;
  /** The scopes granted, comma-separated. */
  scope: string;
}

/** OAuth 2.0 error codes the token endpoint answers with (RFC 6749 §5.2, and Shopify's own). */
export type OAuthErrorCode = 'invalid_request' | 'invalid_client' | 'invalid_grant' | 'unsupported_grant_type' | 'shop_not_permitted' | 'app_not_installed';

/** A refused grant: the HTTP status and the body's `error` and `error_description`. */
export interface OAuthError {
  status: 400 | 401;
  error: OAuthErrorCode;
  description: string;
}

/** Which refresh token a refresh request presented (for the log: never the token). */
export type PresentedRefreshToken = 'current' | 'grace' | 'unknown';

/** What a grant came to: the JSON body to answer with, or the error. */
export type GrantOutcome = ({ ok: true; body: Record<string, unknown>; issued: string } | { ok: false; error: OAuthError }) & { presented?: PresentedRefreshToken };

/** The grace of a used refresh token ends 30 days after its use at the latest (Shopify). */
const GRACE_MAX_MS = 30 * 86_400_000;

/** An access token and refresh token issued together. */
export interface Pair {
  /** The refresh token's digest. */
  refresh: string;
  refreshExpiresAt: number;
  access: AccessTokenRecord;
}

/** An app's refresh chain: the current pair, and the grace of the refresh token used last. */
export interface Chain {
  current: Pair;
  /** The refresh token used last, valid until `until` (performance.now() ms) unless its replacement is used first. */
  grace?: { pair: Pair; until: number };
}

/** An app of the store as the grants keep it (`AppGrants.authenticate` finds it). */
export interface AppState {
  readonly app: SimulatorApp;
  /** The client secret's SHA-256. */
  readonly secret: Buffer;
  /** Installed on the store (false after `revokeGrant`, until the next `issueOfflineToken`). */
  installed: boolean;
  /** The refresh chain of its expiring offline token, if it holds one. */
  chain?: Chain;
}

/** `prefix` and 32 random hex digits, as Shopify's tokens look. */
function newToken(prefix: string): string {
  return `${prefix}${randomBytes(16).toString('hex')}`;
}

function refused(status: 400 | 401, error: OAuthErrorCode, description: string, presented?: PresentedRefreshToken): GrantOutcome {
  return { ok: false, error: { status, error, description }, ...(presented ? { presented } : {}) };
}

/** The apps of the store, their installs and refresh chains. */
export class AppGrants {
  readonly #apps = new Map<string, AppState>();
  readonly #registry: TokenRegistry;
  readonly #lifetimes: SimulatorConfig['tokenLifetimes'];

  /** Registers every app's configured offline tokens with the registry. */
  constructor(apps: readonly SimulatorApp[], lifetimes: SimulatorConfig['tokenLifetimes'], registry: TokenRegistry) {
    this.#registry = registry;
    this.#lifetimes = lifetimes;
    for (const app of apps) {
      this.#apps.set(app.clientId, { app, secret: Buffer.from(secretDigest(app.clientSecret), 'hex'), installed: true });
      for (const t of app.offlineTokens) registry.add(t, this.#nonExpiring(app));
    }
  }

  /** Whether an app of this client id is configured. */
  has(clientId: string): boolean {
    return this.#apps.has(clientId);
  }

  /** The app whose client id and secret these are, or undefined (compared in constant time). */
  authenticate(clientId: string, clientSecret: string): AppState | undefined {
    const state = this.#apps.get(clientId);
    const given = Buffer.from(secretDigest(clientSecret), 'hex');
    if (!state) return undefined;
    return timingSafeEqual(state.secret, given) ? state : undefined;
  }

  /** Installs the app (again) and gives it an offline token; expiring ones start a new refresh chain. */
  issueOffline(clientId: string, expiring: boolean): IssuedOfflineToken {
    const state = this.#state(clientId);
    state.installed = true;
    if (!expiring) {
      const accessToken = newToken('shpat_');
      this.#registry.add(accessToken, this.#nonExpiring(state.app));
      return { accessToken, scope: state.app.scope };
    }
    const chain = {} as Chain;
    const issued = this.#rotate(state, chain, performance.now());
    state.chain = chain;
    return issued;
  }

  /** Uninstalls the app: every token and refresh token it holds stops working. Returns how many access tokens were still working. */
  revoke(clientId: string): number {
    const state = this.#state(clientId);
    state.installed = false;
    state.chain = undefined;
    return this.#registry.revokeApp(clientId);
  }

  /** Every unexpired expiring access token of the app expires now. Returns how many. */
  expire(clientId: string): number {
    this.#state(clientId);
    return this.#registry.expireApp(clientId);
  }

  /** `grant_type=refresh_token` for an authenticated app. */
  refresh(state: AppState, refreshToken: string, now = performance.now()): GrantOutcome {
    const chain = state.chain;
    if (!state.installed || !chain) return refused(400, 'invalid_grant', 'The refresh token is invalid: the app was uninstalled or holds no expiring token.', 'unknown');
    const digest = secretDigest(refreshToken);
    if (digest === chain.current.refresh) {
      const used = chain.current;
      if (now >= used.refreshExpiresAt) return refused(400, 'invalid_grant', 'The refresh token has expired.', 'current');
      chain.grace = { pair: used, until: Math.min(used.refreshExpiresAt, now + GRACE_MAX_MS) };
      return this.#answer(this.#rotate(state, chain, now), 'current');
    }
    if (chain.grace && digest === chain.grace.pair.refresh) {
      if (now >= chain.grace.until) return refused(400, 'invalid_grant', 'The refresh token has expired.', 'grace');
      // The answer of the last refresh was lost: its pair was never received, so it goes.
      chain.current.access.revoked = true;
      return this.#answer(this.#rotate(state, chain, now), 'grace');
    }
    return refused(400, 'invalid_grant', 'The refresh token is invalid: it was replaced, revoked or never issued.', 'unknown');
  }

  /** `grant_type=client_credentials` for an authenticated app: a token of `clientCredentialsSeconds`, no refresh token. */
  clientCredentials(state: AppState, now = performance.now()): GrantOutcome {
    if (!state.app.clientCredentials) return refused(400, 'shop_not_permitted', 'Client credentials cannot be performed on this shop.');
    if (!state.installed) return refused(400, 'app_not_installed', 'The application is not installed on this shop.');
    const seconds = this.#lifetimes.clientCredentialsSeconds;
    const accessToken = newToken('shpat_');
    this.#registry.add(accessToken, this.#expiring(state.app, now + seconds * 1000), now);
    return { ok: true, body: { access_token: accessToken, scope: state.app.scope, expires_in: seconds }, issued: tokenHash(accessToken) };
  }

  #state(clientId: string): AppState {
    const state = this.#apps.get(clientId);
    if (!state) throw new Error(`No app with client id "${clientId}" (options.apps).`);
    return state;
  }

  /** A new access and refresh token pair, made the chain's current one. */
  #rotate(state: AppState, chain: Chain, now: number): IssuedOfflineToken {
    const { accessSeconds, refreshSeconds } = this.#lifetimes;
    const accessToken = newToken('shpat_');
    const refreshToken = newToken('shprt_');
    const access = this.#expiring(state.app, now + accessSeconds * 1000);
    const pair: Pair = { refresh: secretDigest(refreshToken), refreshExpiresAt: now + refreshSeconds * 1000, access };
    // The first use of the new access token retires the grace token.
    access.onFirstUse = () => {
      if (chain.current === pair) chain.grace = undefined;
    };
    this.#registry.add(accessToken, access, now);
    chain.current = pair;
    return { accessToken, expiresIn: accessSeconds, refreshToken, refreshTokenExpiresIn: refreshSeconds, scope: state.app.scope };
  }

  #answer(t: IssuedOfflineToken, presented: PresentedRefreshToken): GrantOutcome {
    return {
      ok: true,
      body: { access_token: t.accessToken, expires_in: t.expiresIn, refresh_token: t.refreshToken, refresh_token_expires_in: t.refreshTokenExpiresIn, scope: t.scope },
      issued: tokenHash(t.accessToken),
      presented,
    };
  }

  #nonExpiring(app: SimulatorApp): AccessTokenRecord {
    return { key: appKey(app.clientId), app: app.clientId, publicNonExpiring: app.distribution === 'public', revoked: false };
  }

  #expiring(app: SimulatorApp, expiresAt: number): AccessTokenRecord {
    return { key: appKey(app.clientId), app: app.clientId, expiresAt, publicNonExpiring: false, revoked: false };
  }
}

/**
 * The request logs: one entry per HTTP request the simulator answered, kept up to `logLimit`
 * (the oldest dropped first), and the count of THROTTLED answers. The Admin API's requests and
 * the token endpoint's (`POST /admin/oauth/access_token`) are kept apart, in `RequestLog` and
 * `TokenRequestLog`. Tokens, refresh tokens and client secrets are never recorded.
 */
import type { IncomingMessage } from 'node:http';
import type { FaultKind } from './faults.js';
import type { OAuthErrorCode, PresentedRefreshToken } from './grants.js';

/** One Admin API request as the simulator saw it. Tokens are never recorded: only a hash to tell them apart. */
export interface RequestLogEntry {
  seq: number;
  at: string;
  method: string;
  path: string;
  /**
   * `<state>:<hash>` (12 hex digits of SHA-256) or `missing`; the state is `valid`, `invalid`
   * (unknown), `expired`, `revoked` (uninstalled, or a pair a grace refresh replaced) or
   * `refused` (a public app's non-expiring token past `nonExpiringCutoff`: HTTP 403).
   */
  token: string;
  /** The client id of the app the token belongs to (none for a fixed token of `accessTokens`). */
  app?: string;
  requestedVersion?: string;
  servedVersion?: string;
  operationName?: string;
  /** Root fields called, aliases resolved (`productSet`, `productSet`, …). */
  fields: string[];
  mutations: number;
  requestedCost?: number;
  /** null when nothing ran (THROTTLED, MAX_COST_EXCEEDED). */
  actualCost?: number | null;
  /** Points left in the token's bucket when it answered. */
  available?: number;
  throttled: boolean;
  /** HTTP status sent; 0 when the connection was reset or dropped. */
  status: number;
  errorCodes: string[];
  fault?: FaultKind;
  durationMs: number;
  /** The GraphQL document, with `recordQueries` (variables are not kept). */
  query?: string;
}

/** The entries of the requests answered so far, oldest first. */
export class RequestLog {
  readonly #limit: number;
  readonly #entries: RequestLogEntry[] = [];
  #seq = 0;
  #throttled = 0;

  constructor(limit: number) {
    this.#limit = limit;
  }

  /** A new entry for a request that just arrived, at `path` within the shop (routing took off a `/shops/{domain}` prefix); the pipeline fills it in as it goes. */
  open(req: IncomingMessage, path: string): RequestLogEntry {
    return {
      seq: ++this.#seq,
      at: new Date().toISOString(),
      method: req.method ?? 'GET',
      path,
      token: 'missing',
      fields: [],
      mutations: 0,
      throttled: false,
      status: 0,
      errorCodes: [],
      durationMs: 0,
    };
  }

  /** Keeps an answered request's entry. */
  close(entry: RequestLogEntry): void {
    if (entry.throttled) this.#throttled += 1;
    this.#entries.push(entry);
    if (this.#entries.length > this.#limit) this.#entries.splice(0, this.#entries.length - this.#limit);
  }

  /** Copies of the entries kept, oldest first. */
  get entries(): readonly RequestLogEntry[] {
    return this.#entries.map((e) => ({ ...e, fields: [...e.fields], errorCodes: [...e.errorCodes] }));
  }

  /** THROTTLED answers since the start or the last `clear`. */
  get throttledCount(): number {
    return this.#throttled;
  }

  /** Requests since the start, kept or not (`clear` does not reset it). */
  get total(): number {
    return this.#seq;
  }

  /** Forgets the entries and the THROTTLED count (sequence numbers go on). */
  clear(): void {
    this.#entries.length = 0;
    this.#throttled = 0;
  }
}

/**
 * One request to the token endpoint. Never a token, refresh token or client secret: the client
 * id is public, and an issued access token appears only as its `tokenHash` (as in
 * `RequestLogEntry.token`).
 */
export interface TokenRequestEntry {
  seq: number;
  at: string;
  /** `refresh_token`, `client_credentials`, `other` (any other value), or null when none was sent. */
  grantType: 'refresh_token' | 'client_credentials' | 'other' | null;
  /** The client id when it names an app of `options.apps`; `unknown:<hash>` for another; null when none was sent. */
  clientId: string | null;
  /** For a refresh by an authenticated app: which refresh token it presented (`grace`: the one used before). */
  refreshToken?: PresentedRefreshToken;
  /** HTTP status sent; 0 when the connection was reset or dropped. */
  status: number;
  /** The OAuth `error` answered (`invalid_grant`, …), also when a fault lost the answer. */
  error?: OAuthErrorCode;
  /** The `tokenHash` of the access token issued, also when a fault lost the answer. */
  issued?: string;
  fault?: FaultKind;
  durationMs: number;
}

/** The token endpoint's requests, oldest first (up to `logLimit`). */
export class TokenRequestLog {
  readonly #limit: number;
  readonly #entries: TokenRequestEntry[] = [];
  #seq = 0;

  constructor(limit: number) {
    this.#limit = limit;
  }

  /** A new entry for a request that just arrived; the endpoint fills it in as it goes. */
  open(): TokenRequestEntry {
    return { seq: ++this.#seq, at: new Date().toISOString(), grantType: null, clientId: null, status: 0, durationMs: 0 };
  }

  /** Keeps an answered request's entry. */
  close(entry: TokenRequestEntry): void {
    this.#entries.push(entry);
    if (this.#entries.length > this.#limit) this.#entries.splice(0, this.#entries.length - this.#limit);
  }

  /** Copies of the entries kept, oldest first. */
  get entries(): readonly TokenRequestEntry[] {
    return this.#entries.map((e) => ({ ...e }));
  }

  /** Forgets the entries (sequence numbers go on). */
  clear(): void {
    this.#entries.length = 0;
  }
}

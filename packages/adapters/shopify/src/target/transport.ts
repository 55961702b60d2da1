import { createAdminApiClient, type AdminApiClient } from '@shopify/admin-api-client';
import { ConnectionError, type Clock, type GeneralErrorInput, type BackoffOptions } from '@shopsync/core';
import { backoffDelay, CONNECTION_ERROR_CODES, remoteText, sleep } from '@shopsync/core/internal';
import type { CredentialsProvider } from '../credentials/provider.js';
import { costExtensionSchema } from '../answers.js';
import type { CostPacer, ThrottleStatus } from './pacer.js';
import { asSentence } from '../text.js';

export interface GraphQLErrorLike {
  message: string;
  path?: ReadonlyArray<string | number>;
  extensions?: { code?: string; [key: string]: unknown };
}

export interface CostExtension {
  requestedQueryCost?: number;
  actualQueryCost?: number | null;
  throttleStatus?: ThrottleStatus;
}

/** Headers of the last answer that matter to the connector's users. */
export interface AnswerMeta {
  servedVersion?: string;
  deprecationReason?: string;
}

export type SendResult =
  | { kind: 'ok'; data: Record<string, unknown>; errors: GraphQLErrorLike[]; cost: CostExtension | undefined; meta: AnswerMeta }
  /** MAX_COST_EXCEEDED: nothing ran; send less per request. */
  | { kind: 'too_costly'; requested?: number; maxCost?: number; message: string }
  /** The request may have been applied, and its answer is lost (timeout, reset, 5xx, garbled body). */
  | { kind: 'uncertain'; error: GeneralErrorInput }
  /** Nothing more to try; `fatal` when no other request can succeed either (credentials, store). */
  | { kind: 'failed'; error: GeneralErrorInput; fatal: boolean };

export interface TransportConfig {
  shopDomain: string;
  apiVersion: string;
  /** Gives the access token each request carries. */
  credentials: CredentialsProvider;
  /** Origin to send requests to instead of `https://{shopDomain}` (a local simulator or a proxy). */
  endpoint?: string | undefined;
  timeoutMs: number;
  retry: BackoffOptions & { maxAttempts: number };
  maxThrottleRetries: number;
  userAgentPrefix?: string | undefined;
  pacer: CostPacer;
  clock: Clock;
  random?: () => number;
}

type Attempt =
  | { kind: 'answer'; result: SendResult }
  | { kind: 'throttled'; cost: CostExtension | undefined; retryAfterMs?: number; message: string }
  /** Never reached the store: safe to send again. */
  | { kind: 'unsent'; error: GeneralErrorInput }
  /** HTTP 401 to this token: renewable credentials get one more try. */
  | { kind: 'refused'; token: string; result: SendResult };

interface Exchange {
  /** The access token this request carries. */
  token: string;
  response?: Response;
  error?: unknown;
}

/**
 * The client is made with this in place of a token, and every request sets its own (the token
 * changes as credentials are renewed). A request without one would carry this, and be refused.
 */
const NO_TOKEN = 'shopsync-token-set-per-request';

/** Connection failures that mean the request never reached the store. */
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

/**
 * GraphQL requests to one store through @shopify/admin-api-client, with Shopify's failure modes
 * handled here because the client leaves them to us: its own retries are off (it retries only
 * 429/503, blindly, with a fixed sleep that ignores abort signals). THROTTLED (HTTP 200) and 429
 * wait what the bucket needs and go again; refused connections and, for requests safe to repeat,
 * timeouts, resets, 5xx and garbled answers are retried with capped exponential backoff and
 * jitter, a bounded number of times. The access token stays inside the client; every text that
 * leaves this class is scrubbed of it.
 */
export class Transport {
  readonly #client: AdminApiClient;
  readonly #config: TransportConfig;
  readonly #endpoint: string | undefined;
  readonly #exchanges = new WeakMap<AbortSignal, Exchange>();

  /** Answers that were THROTTLED, since this transport was made. */
  throttled = 0;
  /** Requests sent, answered or not. */
  requests = 0;

  constructor(config: TransportConfig) {
    this.#config = config;
    this.#endpoint = config.endpoint?.replace(/\/+$/, '');
    this.#client = createAdminApiClient({
      storeDomain: config.shopDomain,
      apiVersion: config.apiVersion,
      accessToken: NO_TOKEN,
      retries: 0,
      ...(config.userAgentPrefix ? { userAgentPrefix: config.userAgentPrefix } : {}),
      customFetchApi: (url, init) => this.#fetch(url, init),
      // The client warns about versions it does not know through this logger, and logs every
      // response with its request headers (the token among them): nothing of it is kept.
      logger: () => undefined,
    });
  }

  get pacer(): CostPacer {
    return this.#config.pacer;
  }

  /** Text from elsewhere, safe to store and show: every token and secret the credentials have held, and token-shaped strings, removed; cut at `max` (never inside a surrogate pair). */
  scrub(text: string, max = 2_000): string {
    return remoteText(text, max, this.#config.credentials.secrets());
  }

  /**
   * Sends one document, paced by the bucket. `repeatable`: the request may be sent again after an
   * answer was lost (otherwise such a loss comes back as `uncertain` for the caller to resolve).
   */
  async send(query: string, variables: Record<string, unknown>, cost: number, repeatable: boolean, signal: AbortSignal): Promise<SendResult> {
    const { retry, maxThrottleRetries, clock } = this.#config;
    let failures = 0;
    let throttles = 0;
    let refused: string | undefined;
    for (;;) {
      signal.throwIfAborted();
      const token = await this.#token(signal, refused);
      if (typeof token !== 'string') return token;
      const ticket = await this.pacer.acquire(cost, signal);
      let attempt: Attempt;
      try {
        attempt = await this.#attempt(query, variables, token, signal);
      } catch (err) {
        this.pacer.release(ticket);
        throw err;
      }
      if (attempt.kind === 'refused') {
        this.pacer.release(ticket);
        // Expired or revoked: renewable credentials get one new token for this request.
        if (refused !== undefined || !this.#config.credentials.renewable) return attempt.result;
        refused = attempt.token;
        continue;
      }
      const status = attempt.kind === 'answer' ? (attempt.result.kind === 'ok' ? attempt.result.cost?.throttleStatus : undefined) : attempt.kind === 'throttled' ? attempt.cost?.throttleStatus : undefined;
      this.pacer.release(ticket, status);

      if (attempt.kind === 'throttled') {
        this.throttled += 1;
        throttles += 1;
        if (throttles > maxThrottleRetries) {
          return { kind: 'failed', fatal: false, error: { code: 'throttled', message: `Shopify throttled the same request ${throttles} times in a row; it was not sent. ${attempt.message}` } };
        }
        // THROTTLED carries the bucket's state: the pacer now waits exactly what the request needs.
        // A 429 without it says how long in Retry-After; without either, back off.
        if (!status) {
          const wait = attempt.retryAfterMs ?? backoffDelay(throttles - 1, retry, this.#config.random);
          await sleep(clock, wait, signal);
        }
        continue;
      }
      if (attempt.kind === 'answer') {
        const r = attempt.result;
        if (r.kind !== 'uncertain' || !repeatable) return r;
      }
      failures += 1;
      const error = attempt.kind === 'unsent' ? attempt.error : (attempt.result as Extract<SendResult, { kind: 'uncertain' }>).error;
      if (failures >= retry.maxAttempts) {
        return { kind: 'failed', fatal: false, error: { ...error, message: `${asSentence(error.message)} Gave up after ${failures} attempts.` } };
      }
      await sleep(clock, backoffDelay(failures - 1, retry, this.#config.random), signal);
    }
  }

  /** The token to send: the credentials' (renewed when `refused` is the one in hand), or, when none can be had, why. */
  async #token(signal: AbortSignal, refused: string | undefined): Promise<string | SendResult> {
    try {
      return await this.#config.credentials.accessToken(refused === undefined ? { signal } : { signal, refused });
    } catch (err) {
      signal.throwIfAborted();
      if (!(err instanceof ConnectionError)) throw err;
      const error: GeneralErrorInput = { code: CONNECTION_ERROR_CODES[err.kind], message: this.scrub(err.message, 1_000) };
      if (err.httpStatus !== undefined) error.httpStatus = err.httpStatus;
      // The token endpoint unreachable is worth a later try; refused credentials are not.
      return { kind: 'failed', fatal: !err.retryable, error };
    }
  }

  async #attempt(query: string, variables: Record<string, unknown>, token: string, signal: AbortSignal): Promise<Attempt> {
    const timeout = new AbortController();
    const cancel = this.#config.clock.setTimer(() => timeout.abort(), this.#config.timeoutMs);
    const combined = AbortSignal.any([signal, timeout.signal]);
    const exchange: Exchange = { token };
    this.#exchanges.set(combined, exchange);
    this.requests += 1;
    let r: Awaited<ReturnType<AdminApiClient['request']>>;
    try {
      r = await this.#client.request(query, { variables, signal: combined });
    } finally {
      cancel();
      this.#exchanges.delete(combined);
    }
    signal.throwIfAborted();
    const response = exchange.response;
    if (!response) {
      if (timeout.signal.aborted) {
        return { kind: 'answer', result: { kind: 'uncertain', error: { code: 'timeout', message: `Shopify did not answer within ${this.#config.timeoutMs} ms.` } } };
      }
      const code = errorCode(exchange.error);
      const text = this.scrub(`${code ?? 'connection failed'}${r.errors?.message ? ` (${r.errors.message})` : ''}`, 500);
      if (code && NOT_SENT.has(code)) return { kind: 'unsent', error: { code: 'network', message: `Could not connect to the store: ${text}.` } };
      return { kind: 'answer', result: { kind: 'uncertain', error: { code: 'network', message: `The connection to the store failed before it answered: ${text}.` } } };
    }
    const meta = metaOf(response.headers);
    const httpStatus = response.status;
    if (!response.ok) {
      const body = this.scrub(await bodyText(response), 1_000);
      if (httpStatus === 401 || httpStatus === 403) {
        const result: SendResult = { kind: 'failed', fatal: true, error: { code: 'auth', httpStatus, message: `Shopify refused the access token (HTTP ${httpStatus}): ${shopifyMessage(body)}` } };
        return httpStatus === 401 ? { kind: 'refused', token, result } : { kind: 'answer', result };
      }
      if (httpStatus === 404) {
        return { kind: 'answer', result: { kind: 'failed', fatal: true, error: { code: 'not_found', httpStatus, message: `No Shopify Admin API at this store and version (HTTP 404): ${shopifyMessage(body)}` } } };
      }
      if (httpStatus === 429) {
        const retryAfter = Number.parseFloat(response.headers.get('retry-after') ?? '');
        return { kind: 'throttled', cost: undefined, message: `HTTP 429: ${shopifyMessage(body)}`, ...(Number.isFinite(retryAfter) ? { retryAfterMs: Math.round(retryAfter * 1000) } : {}) };
      }
      if (httpStatus >= 500) {
        return { kind: 'answer', result: { kind: 'uncertain', error: { code: 'server_error', httpStatus, message: `Shopify answered HTTP ${httpStatus}: ${shopifyMessage(body)}` } } };
      }
      return { kind: 'answer', result: { kind: 'failed', fatal: true, error: { code: 'invalid_response', httpStatus, message: `Shopify answered HTTP ${httpStatus}: ${shopifyMessage(body)}` } } };
    }
    const graphQLErrors = (r.errors?.graphQLErrors ?? []) as GraphQLErrorLike[];
    const cost = costOf(r.extensions);
    if (r.errors && !r.errors.graphQLErrors && !r.data) {
      return {
        kind: 'answer',
        result: { kind: 'uncertain', error: { code: 'invalid_response', httpStatus, message: `Shopify's answer could not be read: ${this.scrub(r.errors.message ?? 'no data', 500)}` } },
      };
    }
    const throttled = graphQLErrors.find((e) => e.extensions?.code === 'THROTTLED');
    if (throttled) return { kind: 'throttled', cost, message: this.scrub(throttled.message, 500) };
    const tooCostly = graphQLErrors.find((e) => e.extensions?.code === 'MAX_COST_EXCEEDED');
    if (tooCostly) {
      const ext = tooCostly.extensions ?? {};
      return {
        kind: 'answer',
        result: {
          kind: 'too_costly',
          message: this.scrub(tooCostly.message, 500),
          ...(typeof ext['cost'] === 'number' ? { requested: ext['cost'] } : cost?.requestedQueryCost !== undefined ? { requested: cost.requestedQueryCost } : {}),
          ...(typeof ext['maxCost'] === 'number' ? { maxCost: ext['maxCost'] } : {}),
        },
      };
    }
    const data = r.data as Record<string, unknown> | null | undefined;
    if (!data || typeof data !== 'object') {
      const text = this.scrub(graphQLErrors.map((e) => e.message).join('; ') || 'no data', 1_000);
      if (graphQLErrors.some((e) => e.extensions?.code === 'INTERNAL_SERVER_ERROR')) {
        return { kind: 'answer', result: { kind: 'uncertain', error: { code: 'server_error', message: `Shopify reported an internal error: ${text}` } } };
      }
      return { kind: 'answer', result: { kind: 'failed', fatal: false, error: { code: 'internal', message: `Shopify rejected the request: ${text}` } } };
    }
    return { kind: 'answer', result: { kind: 'ok', data, errors: graphQLErrors, cost, meta } };
  }

  /** The client's fetch: to the configured endpoint if any, the store's host kept in X-Forwarded-Host. */
  async #fetch(url: string, init?: { method?: string; headers?: ConstructorParameters<typeof Headers>[0]; body?: string; signal?: AbortSignal; keepalive?: boolean }): Promise<Response> {
    const exchange = init?.signal ? this.#exchanges.get(init.signal) : undefined;
    let target = url;
    const headers = new Headers(init?.headers);
    // The client's headers carry a placeholder; the credentials' token goes here.
    headers.set('X-Shopify-Access-Token', exchange?.token ?? NO_TOKEN);
    if (this.#endpoint) {
      const u = new URL(url);
      target = `${this.#endpoint}${u.pathname}${u.search}`;
      headers.set('X-Forwarded-Host', u.host);
    }
    try {
      const response = await fetch(target, {
        method: init?.method ?? 'POST',
        headers,
        ...(init?.body !== undefined ? { body: init.body } : {}),
        ...(init?.signal ? { signal: init.signal } : {}),
      });
      if (exchange) exchange.response = response;
      return response;
    } catch (err) {
      if (exchange) exchange.error = err;
      throw err;
    }
  }
}

function errorCode(err: unknown): string | undefined {
  for (let e: unknown = err, depth = 0; e && typeof e === 'object' && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}

function metaOf(headers: Headers): AnswerMeta {
  const meta: AnswerMeta = {};
  const served = headers.get('x-shopify-api-version');
  const reason = headers.get('x-shopify-api-deprecated-reason');
  if (served) meta.servedVersion = served;
  if (reason) meta.deprecationReason = reason;
  return meta;
}

function costOf(extensions: unknown): CostExtension | undefined {
  const cost = costExtensionSchema.parse(extensions)?.cost;
  if (!cost) return undefined;
  const out: CostExtension = {};
  if (cost.requestedQueryCost !== undefined) out.requestedQueryCost = cost.requestedQueryCost;
  if (cost.actualQueryCost !== undefined) out.actualQueryCost = cost.actualQueryCost;
  if (cost.throttleStatus !== undefined) out.throttleStatus = cost.throttleStatus;
  return out;
}

async function bodyText(response: Response): Promise<string> {
  try {
    return (await response.text()).slice(0, 5_000);
  } catch {
    return '';
  }
}

/** Shopify's error bodies are `{"errors": "text"}` or `{"errors": [{message}]}`; anything else as text. */
function shopifyMessage(body: string): string {
  try {
    const parsed = JSON.parse(body) as { errors?: unknown };
    const e = parsed.errors;
    if (typeof e === 'string') return e;
    if (Array.isArray(e)) return e.map((x) => (typeof x === 'string' ? x : String((x as { message?: unknown })?.message ?? JSON.stringify(x)))).join('; ');
  } catch {
    // not JSON: fall through
  }
  return body.trim() || '(empty body)';
}

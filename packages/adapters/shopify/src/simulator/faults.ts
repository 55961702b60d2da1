/**
 * Faults a test injects: which kinds there are, the queue of those still to hit requests, and how
 * each one fails a request's answer.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { NOT_FOUND_BODY, send, UNAUTHORIZED_BODY, type StatusRecord } from './http.js';

/**
 * Failures a test can ask the simulator to answer the next requests with. `notFound` is a store
 * that is gone (closed, or its domain taken away): HTTP 404 to every request it hits.
 */
export const FAULT_KINDS = ['http500', 'http503', 'hang', 'reset', 'malformed', 'unauthorized', 'notFound'] as const;
/** One of FAULT_KINDS. */
export type FaultKind = (typeof FAULT_KINDS)[number];

/** Failures the token endpoint can be asked to answer with (`injectTokenFault`). */
export const TOKEN_FAULT_KINDS = ['http500', 'http503', 'hang', 'reset', 'malformed'] as const;
/** One of TOKEN_FAULT_KINDS. */
export type TokenFaultKind = (typeof TOKEN_FAULT_KINDS)[number];

/** How an injected token endpoint fault hits requests. */
export interface TokenFaultOptions {
  /** How many of the next token endpoint requests it hits (default 1). */
  count?: number;
  /**
   * Apply the grant first (a refresh rotates the tokens), then fail the answer: the lost refresh
   * answer. Default: only for `malformed`.
   */
  afterExecute?: boolean;
}

/** How an injected fault hits requests. */
export interface FaultOptions {
  /** How many of the next GraphQL requests it hits (default 1). */
  count?: number;
  /**
   * Run the request first (its writes apply), then fail the answer: the case where a client
   * cannot know whether its mutation happened. Default: only for `malformed`; never for
   * `unauthorized` and `notFound` (refused requests run nothing).
   */
  afterExecute?: boolean;
  /** Only requests that call this root field (e.g. `productSet`) count; others pass untouched. */
  field?: string;
}

/** The fault that hits one request. */
export interface Fault {
  kind: FaultKind;
  /** The request runs first; only its answer fails. */
  afterExecute: boolean;
}

/** Queued faults, and the answers a `hang` holds until the client gives up. */
export class Faults {
  readonly #hangMs: number;
  readonly #queue: Array<{ kind: FaultKind; left: number; afterExecute: boolean; field: string | undefined }> = [];
  readonly #held = new Set<() => void>();

  /** `hangMs`: how long a hung request is held before its connection is dropped. */
  constructor(hangMs: number) {
    this.#hangMs = hangMs;
  }

  /** Queues a fault for the next `count` requests (with `field`, those calling it). Throws on a bad kind or count. */
  inject(kind: FaultKind, options: FaultOptions = {}): void {
    if (!FAULT_KINDS.includes(kind)) throw new TypeError(`Unknown fault "${String(kind)}"; expected one of ${FAULT_KINDS.join(', ')}.`);
    const count = options.count ?? 1;
    if (!Number.isInteger(count) || count < 1) throw new TypeError('options.count: expected a positive integer');
    const refused = kind === 'unauthorized' || kind === 'notFound';
    this.#queue.push({ kind, left: count, afterExecute: refused ? false : (options.afterExecute ?? kind === 'malformed'), field: options.field });
  }

  /** Drops the queued faults; returns how many requests they would still have hit. */
  clear(): number {
    const left = this.#queue.reduce((n, f) => n + f.left, 0);
    this.#queue.length = 0;
    return left;
  }

  /** The first queued fault that applies to a request calling `fields`, counted down. */
  next(fields: readonly string[]): Fault | undefined {
    const i = this.#queue.findIndex((f) => f.field === undefined || fields.includes(f.field));
    const f = this.#queue[i];
    if (!f) return undefined;
    f.left -= 1;
    if (f.left <= 0) this.#queue.splice(i, 1);
    return { kind: f.kind, afterExecute: f.afterExecute };
  }

  /** Lets every held (hung) request go: their connections are dropped. */
  releaseHeld(): void {
    for (const release of this.#held) release();
  }

  /**
   * Fails a request's answer as `kind` says. `answer`: the answer it would have had (after
   * execution), which `malformed` cuts in half.
   */
  async fail(kind: FaultKind, req: IncomingMessage, res: ServerResponse, entry: StatusRecord, headers: Record<string, string>, answer?: string): Promise<void> {
    switch (kind) {
      case 'http500':
        return send(res, entry, 500, '{"errors":"Internal Server Error"}', headers);
      case 'http503':
        return send(res, entry, 503, '{"errors":"Service Unavailable"}', { ...headers, 'Retry-After': '1' });
      case 'unauthorized':
        return send(res, entry, 401, UNAUTHORIZED_BODY, headers);
      case 'notFound':
        // As an unknown store's host answers: no API version header.
        return send(res, entry, 404, NOT_FOUND_BODY);
      case 'malformed': {
        const text = answer ?? '{"data":{"shop":{"name":"Shopsync Simulator"}}}';
        return send(res, entry, 200, text.slice(0, Math.max(1, Math.floor(text.length / 2))), headers);
      }
      case 'reset':
        entry.status = 0;
        req.socket.destroy();
        return;
      case 'hang':
        entry.status = 0;
        // Held until the client gives up (closes the connection) or `hangMs` pass.
        await new Promise<void>((resolve) => {
          const release = () => {
            clearTimeout(timer);
            this.#held.delete(release);
            req.socket.destroy();
            resolve();
          };
          const timer = setTimeout(release, this.#hangMs);
          this.#held.add(release);
          req.socket.once('close', release);
        });
        return;
    }
  }
}

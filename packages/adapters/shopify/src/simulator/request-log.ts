/**
 * The request log: one entry per HTTP request the simulator answered, kept up to `logLimit`
 * (the oldest dropped first), and the count of THROTTLED answers. Tokens are never recorded.
 */
import type { IncomingMessage } from 'node:http';
import type { FaultKind } from './faults.js';

/** One request as the simulator saw it. Tokens are never recorded: only a hash to tell them apart. */
export interface RequestLogEntry {
  seq: number;
  at: string;
  method: string;
  path: string;
  /** `valid:<hash>` / `invalid:<hash>` (12 hex digits of SHA-256) or `missing`. */
  token: string;
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

  /** A new entry for a request that just arrived; the pipeline fills it in as it goes. */
  open(req: IncomingMessage): RequestLogEntry {
    return {
      seq: ++this.#seq,
      at: new Date().toISOString(),
      method: req.method ?? 'GET',
      path: (req.url ?? '/').split('?')[0]!,
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

  /** Forgets the entries and the THROTTLED count (sequence numbers go on). */
  clear(): void {
    this.#entries.length = 0;
    this.#throttled = 0;
  }
}

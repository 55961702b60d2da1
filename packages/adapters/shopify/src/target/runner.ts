import type { GeneralErrorInput, ItemError } from '@shopsync/core';
import { buildDocument, opCost, type Op } from '../documents.js';
import { MAX_QUERY_COST } from '../version.js';
import type { GraphQLErrorLike, Transport } from './transport.js';

/** What became of one op; `data` is its answer as the op's schema parsed it. */
export type OpOutcome<T = unknown> =
  | { status: 'ok'; data: T }
  /** The field failed (a GraphQL error on its path, or the request was too costly alone). */
  | { status: 'error'; errors: ItemError[] }
  /** Its request may have been applied and the answer was lost; only for ops that are not idempotent. */
  | { status: 'uncertain'; error: GeneralErrorInput }
  /** Not applied, and no more tries: the reason is among the general errors. */
  | { status: 'unsent'; error: GeneralErrorInput };

export interface RunnerOptions {
  version: string;
  maxCostPerRequest: number;
  maxOpsPerRequest: number;
}

/** What a runner learns about the store's cost rules; shared by the runs of one store. */
export interface CostLearning {
  /** Shopify's requested cost over ours, as last seen (never below 1). */
  factor: number;
  /** The single-query limit, as MAX_COST_EXCEEDED answers state it. */
  maxCost: number;
}

export function newCostLearning(): CostLearning {
  return { factor: 1, maxCost: MAX_QUERY_COST };
}

interface Entry {
  op: Op;
  index: number;
  cost: number;
}

/**
 * Runs ops many to a request: ops of one kind are packed in order under aliases while the
 * requested cost stays under the single-query limit (and the bucket's size), and the requests go
 * out in parallel as the pacer allows. A request refused as too costly is split in two; a lost
 * answer is resent for the ops that are safe to repeat and reported as uncertain for the others.
 * After a fatal failure (credentials, store gone) nothing more is sent.
 */
export class OpRunner {
  readonly #transport: Transport;
  readonly #options: RunnerOptions;
  readonly generalErrors: GeneralErrorInput[] = [];
  #fatal: GeneralErrorInput | undefined;
  readonly #learned: CostLearning;

  constructor(transport: Transport, options: RunnerOptions, learned: CostLearning = newCostLearning()) {
    this.#transport = transport;
    this.#options = options;
    this.#learned = learned;
  }

  get fatal(): GeneralErrorInput | undefined {
    return this.#fatal;
  }

  /** The cost a request may ask for: the smallest of the configured, learned and bucket limits. */
  get costLimit(): number {
    return Math.min(this.#options.maxCostPerRequest, this.#learned.maxCost, this.#transport.pacer.maximumAvailable ?? Infinity);
  }

  async run<T>(ops: readonly Op<T>[], signal: AbortSignal): Promise<OpOutcome<T>[]> {
    const results: OpOutcome[] = new Array<OpOutcome>(ops.length);
    const entries = ops.map((op, index) => ({ op, index, cost: opCost(op, this.#options.version) }));
    const chunks = [...this.#pack(entries.filter((e) => e.op.operation === 'query')), ...this.#pack(entries.filter((e) => e.op.operation === 'mutation'))];
    await Promise.all(chunks.map((c) => this.#send(c, results, signal)));
    return results as OpOutcome<T>[];
  }

  #pack(entries: Entry[]): Entry[][] {
    const limit = this.costLimit;
    const chunks: Entry[][] = [];
    let current: Entry[] = [];
    let sum = 0;
    for (const e of entries) {
      const cost = e.cost * this.#learned.factor;
      if (current.length > 0 && (sum + cost > limit || current.length >= this.#options.maxOpsPerRequest)) {
        chunks.push(current);
        current = [];
        sum = 0;
      }
      current.push(e);
      sum += cost;
    }
    if (current.length) chunks.push(current);
    return chunks;
  }

  async #send(chunk: Entry[], results: OpOutcome[], signal: AbortSignal): Promise<void> {
    if (this.#fatal) {
      for (const e of chunk) results[e.index] = { status: 'unsent', error: this.#fatal };
      return;
    }
    const doc = buildDocument(chunk.map((e) => e.op));
    const ours = chunk.reduce((n, e) => n + e.cost, 0);
    const estimate = Math.ceil(ours * this.#learned.factor);
    const repeatable = chunk.every((e) => e.op.idempotent);
    const r = await this.#transport.send(doc.query, doc.variables, estimate, repeatable, signal);
    switch (r.kind) {
      case 'ok': {
        if (r.cost?.requestedQueryCost !== undefined && ours > 0) this.#learned.factor = Math.max(1, r.cost.requestedQueryCost / ours);
        const byAlias = new Map<string, GraphQLErrorLike[]>();
        for (const e of r.errors) {
          const alias = typeof e.path?.[0] === 'string' ? e.path[0] : undefined;
          if (alias === undefined) {
            this.#general({ code: 'internal', message: `Shopify reported: ${this.#transport.scrub(e.message, 1_000)}` });
            continue;
          }
          byAlias.set(alias, [...(byAlias.get(alias) ?? []), e]);
        }
        chunk.forEach((e, i) => {
          const alias = doc.aliases[i]!;
          const errors = byAlias.get(alias);
          const value = r.data[alias];
          if (errors?.length) results[e.index] = { status: 'error', errors: errors.map((x) => this.#itemError(x)) };
          else if (value === undefined || (value === null && e.op.operation === 'mutation')) results[e.index] = { status: 'error', errors: [{ message: `Shopify returned no result for ${e.op.field}.` }] };
          else results[e.index] = this.#parse(e.op, value);
        });
        return;
      }
      case 'too_costly': {
        const before = this.costLimit;
        const factor = this.#learned.factor;
        if (r.maxCost !== undefined) this.#learned.maxCost = Math.min(this.#learned.maxCost, r.maxCost);
        if (r.requested !== undefined && ours > 0) this.#learned.factor = Math.max(this.#learned.factor, r.requested / ours);
        if (this.costLimit < before || this.#learned.factor > factor) {
          // Learned something: ops too costly alone fail now, the others are packed anew.
          const alone = (e: Entry) => e.cost * this.#learned.factor > this.costLimit;
          for (const e of chunk) if (alone(e)) results[e.index] = { status: 'error', errors: [{ code: 'MAX_COST_EXCEEDED', message: r.message }] };
          await Promise.all(this.#pack(chunk.filter((e) => !alone(e))).map((c) => this.#send(c, results, signal)));
          return;
        }
        if (chunk.length > 1) {
          const half = Math.ceil(chunk.length / 2);
          await Promise.all([this.#send(chunk.slice(0, half), results, signal), this.#send(chunk.slice(half), results, signal)]);
          return;
        }
        for (const e of chunk) results[e.index] = { status: 'error', errors: [{ code: 'MAX_COST_EXCEEDED', message: r.message }] };
        return;
      }
      case 'uncertain': {
        const safe = chunk.filter((e) => e.op.idempotent);
        for (const e of chunk) if (!e.op.idempotent) results[e.index] = { status: 'uncertain', error: r.error };
        if (safe.length) await this.#send(safe, results, signal);
        return;
      }
      case 'failed': {
        this.#general(r.error);
        if (r.fatal) this.#fatal = r.error;
        for (const e of chunk) results[e.index] = { status: 'unsent', error: r.error };
        return;
      }
    }
  }

  /** The answer of one field, parsed by its op's schema; one that does not fit is the op's error, saying what was wrong. */
  #parse(op: Op, value: unknown): OpOutcome {
    const parsed = op.answer.safeParse(value);
    if (parsed.success) return { status: 'ok', data: parsed.data };
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? ` at ${issue.path.join('.')}` : '';
    return { status: 'error', errors: [{ code: 'INVALID_RESPONSE', message: `Shopify's answer to ${op.field} could not be read${where}: ${issue?.message ?? 'unexpected shape'}.` }] };
  }

  #itemError(e: GraphQLErrorLike): ItemError {
    const out: ItemError = { message: this.#transport.scrub(e.message, 2_000) };
    if (typeof e.extensions?.code === 'string') out.code = e.extensions.code;
    return out;
  }

  #general(error: GeneralErrorInput): void {
    if (!this.generalErrors.some((g) => g.code === error.code && g.message === error.message)) this.generalErrors.push(error);
  }
}

import { ConnectionError, type ConnectionErrorKind } from '../errors/connection-error.js';
import type { ConnectContext, ConnectInfo, GeneralErrorInput, ItemOutcome, PushContext, PushResult, Target, TargetItem } from '../target.js';
import type { ItemError, SkipReason } from '../schemas/item.js';

/** What the fake does with one item: succeed, fail with errors, skip, or leave it unanswered. */
export type FakeItemBehaviour = 'synced' | { errors: ItemError[] } | { skip: SkipReason } | 'no_result';

/**
 * How a `FakeTarget` answers: the outcome of each item, a connection failure, latency, and what
 * `connect` says of the store.
 */
export interface FakeTargetOptions {
  /** Per-item outcome by key (`product:SKU-1`) or by a function of the item; default: synced. */
  outcomes?: Record<string, FakeItemBehaviour> | ((item: TargetItem) => FakeItemBehaviour);
  /** Makes `connect` fail with a ConnectionError of this kind. */
  connectError?: ConnectionErrorKind;
  /** Milliseconds each push takes (abortable). */
  latencyMs?: number;
  servedApiVersion?: string;
  deprecationReason?: string;
  /** More of what `connect` answers (the store's languages, resolved locations). */
  connectInfo?: Omit<ConnectInfo, 'servedApiVersion' | 'deprecationReason'>;
}

/**
 * A Target for tests: deterministic outcomes, general errors and connection failures on demand,
 * latency, and a record of every item pushed. What it "stores" mirrors deletes and upserts.
 */
export class FakeTarget implements Target {
  options: FakeTargetOptions;
  /** Every push, in order. */
  readonly pushes: TargetItem[][] = [];
  readonly connects: ConnectContext[] = [];
  /** The fake store: key -> last change data sent. */
  readonly store = new Map<string, unknown>();
  #generalErrors: Array<{ error: GeneralErrorInput; leaveItems: boolean }> = [];
  #throwOnPush: Error[] = [];
  #nextId = 1;
  /** Called at the start of each push, before any outcome (e.g. to disable the connector mid-run). */
  onPush: ((items: readonly TargetItem[], n: number) => void | Promise<void>) | undefined;

  constructor(options: FakeTargetOptions = {}) {
    this.options = options;
  }

  /** The next push reports this general error; with `leaveItems`, it finishes no item either. */
  failNextPush(error: GeneralErrorInput, { leaveItems = true } = {}): this {
    this.#generalErrors.push({ error, leaveItems });
    return this;
  }

  /** The next push throws this (e.g. a ConnectionError for a revoked token). */
  throwOnNextPush(error: Error): this {
    this.#throwOnPush.push(error);
    return this;
  }

  get pushedItems(): TargetItem[] {
    return this.pushes.flat();
  }

  async connect(ctx: ConnectContext): Promise<ConnectInfo> {
    this.connects.push(ctx);
    if (this.options.connectError) {
      throw new ConnectionError(this.options.connectError, `Fake store refused the connection (${this.options.connectError}).`, {
        httpStatus: this.options.connectError === 'auth' ? 401 : this.options.connectError === 'not_found' ? 404 : undefined,
      });
    }
    const info: ConnectInfo = { shopName: 'Fake store', ...this.options.connectInfo, servedApiVersion: this.options.servedApiVersion ?? ctx.config.apiVersion };
    if (this.options.deprecationReason) info.deprecationReason = this.options.deprecationReason;
    return info;
  }

  async push(items: readonly TargetItem[], ctx: PushContext): Promise<PushResult> {
    this.pushes.push([...items]);
    await this.onPush?.(items, this.pushes.length);
    if (this.options.latencyMs) await abortableDelay(this.options.latencyMs, ctx.signal);
    ctx.signal.throwIfAborted();
    const thrown = this.#throwOnPush.shift();
    if (thrown) throw thrown;
    const general = this.#generalErrors.shift();
    if (general?.leaveItems) return { outcomes: [], generalErrors: [general.error] };
    const outcomes: ItemOutcome[] = [];
    for (const item of items) {
      const b = this.#behaviour(item);
      if (b === 'no_result') continue;
      if (b === 'synced') {
        if (item.op === 'delete') {
          this.store.delete(item.key);
          await ctx.ids.set([{ key: item.key, id: null }]);
          outcomes.push({ key: item.key, status: 'synced' });
        } else {
          this.store.set(item.key, 'data' in item.change ? item.change.data : undefined);
          const known = (await ctx.ids.get([item.key])).get(item.key);
          const id = known ?? `gid://fake/${item.entity}/${this.#nextId++}`;
          if (!known) await ctx.ids.set([{ key: item.key, id }]);
          outcomes.push({ key: item.key, status: 'synced', shopifyId: id });
        }
      } else if ('skip' in b) outcomes.push({ key: item.key, status: 'skipped', reason: b.skip });
      else outcomes.push({ key: item.key, status: 'failed', errors: b.errors });
    }
    return { outcomes, generalErrors: general ? [general.error] : [] };
  }

  #behaviour(item: TargetItem): FakeItemBehaviour {
    const o = this.options.outcomes;
    if (!o) return 'synced';
    if (typeof o === 'function') return o(item);
    return o[item.key] ?? 'synced';
  }
}

function abortableDelay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}

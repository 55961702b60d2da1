/**
 * The shared context of one push: the batch, the connector's configuration, the id store's
 * state, the op runner, and each item's outcome as the phases decide it. Phases read and change
 * it; nothing else is shared between them.
 */
import type { GeneralErrorInput, ItemError, ItemOutcome, PushContext, PushResult, SkipReason, TargetItem } from '@shopsync/core';
import type { UserErrorAnswer } from '../../answers.js';
import { opCost, type Op } from '../../documents.js';
import type { ApiFeatures } from '../../version.js';
import type { OpOutcome, OpRunner } from '../runner.js';
import { asSentence } from '../../text.js';
import {
  awaitingStateSchema,
  categoryStateSchema,
  productStateSchema,
  StateStore,
  stateKeys as K,
  variantStateSchema,
  type AwaitingState,
  type CategoryState,
  type ProductState,
  type VariantState,
} from '../state.js';
import { warehouseMap, type WarehouseMap } from '../stock-plan.js';
import type { StoreLocales } from '../translation-plan.js';
import type { MediaPace } from './media-check.js';
import type { Group } from './model.js';

export interface PushEnv {
  runner: OpRunner;
  features: ApiFeatures;
  /** Where stock goes (GID). */
  locationId: string | undefined;
  inventoryReason: string;
  newKey: () => string;
  /** The store has the unique reference metafield: products carry and are found by it. */
  customIds: boolean;
  /** Time now, in ms since the epoch. */
  now: () => number;
  /** How long variants wait for a product the store does not have before they fail. */
  productWaitMs: number;
  /** How long a product waits for Shopify to process its new images before it fails. */
  mediaWaitMs: number;
  /** How long after an upload its processing is checked, learned per store. */
  mediaPace: MediaPace;
  /** The store's languages, read when the run started (undefined: not known). */
  locales?: StoreLocales | undefined;
  /** True the first time a key is given during a run (for what a run should say once, not every push). */
  once: (key: string) => boolean;
}

/** Rounds of productSet / collection writes a push makes before it leaves an item for later. */
export const MAX_ROUNDS = 4;
/** How the store says an id it was given is not (or no longer) there. */
export const NOT_FOUND = /does not exist|not found/i;

/**
 * A product's membership of a collection whose last change was sent but never confirmed (its
 * answer was lost): the store may or may not have it. Kept as `?GID` in the product's record, so
 * that the next push sends whichever change the host wants (both are idempotent).
 */
export const UNSURE = '?';

interface Record_ {
  item: TargetItem;
  result?: 'synced' | 'failed' | 'skipped' | 'held' | 'waiting';
  errors: ItemError[];
  shopifyId?: string;
  reason?: SkipReason;
  retryAfterMs?: number;
}

export class Push {
  readonly items: readonly TargetItem[];
  readonly ctx: PushContext;
  readonly env: PushEnv;
  readonly state: StateStore;
  /** The host's warehouses and the locations their stock goes to, for this event. */
  readonly warehouses: WarehouseMap;
  /** Product groups by product ref (groups.ts). */
  readonly groups = new Map<string, Group>();
  readonly #records = new Map<string, Record_>();
  readonly #general: GeneralErrorInput[] = [];

  constructor(items: readonly TargetItem[], ctx: PushContext, env: PushEnv) {
    this.items = items;
    this.ctx = ctx;
    this.env = env;
    this.state = new StateStore(ctx.ids);
    this.warehouses = warehouseMap(ctx.config);
    for (const item of items) this.#records.set(item.key, { item, errors: [] });
  }

  /** The connector's language: the text written to the store. */
  get language(): string {
    return this.ctx.config.language;
  }

  get signal(): AbortSignal {
    return this.ctx.signal;
  }

  // ——— outcomes ———

  /** Done (first word wins: an item already failed, held or skipped stays so). */
  sync(item: TargetItem, shopifyId?: string): void {
    const r = this.#records.get(item.key)!;
    if (r.result) return;
    r.result = 'synced';
    if (shopifyId !== undefined) r.shopifyId = shopifyId;
  }

  fail(item: TargetItem, errors: readonly ItemError[]): void {
    const r = this.#records.get(item.key)!;
    if (r.result === 'skipped') return;
    r.result = 'failed';
    for (const e of errors) if (!r.errors.some((x) => x.message === e.message && x.code === e.code)) r.errors.push(e);
  }

  /** No outcome: the item goes back to the queue. */
  hold(item: TargetItem): void {
    const r = this.#records.get(item.key)!;
    if (r.result !== 'failed' && r.result !== 'skipped') r.result = 'held';
  }

  /** Written, but done only once Shopify has processed its images: back to the queue, checked again after `ms`. */
  wait(item: TargetItem, ms: number): void {
    const r = this.#records.get(item.key)!;
    if (r.result) return;
    r.result = 'waiting';
    r.retryAfterMs = ms;
  }

  skip(item: TargetItem, reason: SkipReason): void {
    const r = this.#records.get(item.key)!;
    r.result = 'skipped';
    r.reason = reason;
  }

  /** What a phase decided for this item so far (undefined: nothing yet). */
  outcome(item: TargetItem): 'synced' | 'failed' | 'skipped' | 'held' | 'waiting' | undefined {
    return this.#records.get(item.key)!.result;
  }

  /** No phase has decided this item yet. */
  isOpen(item: TargetItem): boolean {
    return this.#records.get(item.key)!.result === undefined;
  }

  generalError(error: GeneralErrorInput): void {
    if (!this.#general.some((g) => g.code === error.code && g.message === error.message)) this.#general.push(error);
  }

  /**
   * Every round's write lost its answer and the look-ups after it did not find it applied: the
   * store or the network failed, not the items. They go back to the queue and the run says why,
   * as for requests that are retried (never an item error: nothing is wrong with the item).
   */
  giveUp(lost: GeneralErrorInput, items: readonly TargetItem[]): void {
    this.generalError({ ...lost, message: `${asSentence(lost.message)} Gave up after ${MAX_ROUNDS} attempts.` });
    for (const item of items) this.hold(item);
  }

  /** Outcomes of the items decided; held and undecided ones have none and go back to the queue. */
  result(): PushResult {
    const outcomes: ItemOutcome[] = [];
    for (const r of this.#records.values()) {
      if (r.result === 'synced') outcomes.push(r.shopifyId !== undefined ? { key: r.item.key, status: 'synced', shopifyId: r.shopifyId } : { key: r.item.key, status: 'synced' });
      else if (r.result === 'failed') outcomes.push({ key: r.item.key, status: 'failed', errors: r.errors });
      else if (r.result === 'skipped') outcomes.push({ key: r.item.key, status: 'skipped', reason: r.reason! });
      else if (r.result === 'waiting') outcomes.push({ key: r.item.key, status: 'waiting', reason: 'media_processing', retryAfterMs: r.retryAfterMs! });
    }
    const generalErrors = [...this.env.runner.generalErrors];
    for (const g of this.#general) if (!generalErrors.some((x) => x.code === g.code && x.message === g.message)) generalErrors.push(g);
    return { outcomes, generalErrors };
  }

  // ——— the batch ———

  /** The batch's items of this op and entity that no phase has decided yet. */
  active(op: 'upsert' | 'delete', entity: TargetItem['entity']): TargetItem[] {
    return this.items.filter((i) => i.op === op && i.entity === entity && this.isOpen(i));
  }

  // ——— state ———

  productState(ref: string): ProductState | undefined {
    return this.state.read(K.product(ref), productStateSchema);
  }

  variantState(ref: string): VariantState | undefined {
    return this.state.read(K.variant(ref), variantStateSchema);
  }

  categoryState(ref: string): CategoryState | undefined {
    return this.state.read(K.category(ref), categoryStateSchema);
  }

  awaitingState(ref: string): AwaitingState | undefined {
    return this.state.read(K.awaiting(ref), awaitingStateSchema);
  }

  // ——— the store ———

  async run<T>(ops: readonly Op<T>[]): Promise<OpOutcome<T>[]> {
    if (ops.length === 0) return [];
    return this.env.runner.run(ops, this.signal);
  }

  /**
   * Runs lists of ops of different kinds as one batch (packed into the same requests, as one
   * list would be), and answers each list with its own typed outcomes.
   */
  async runTogether<T extends unknown[]>(...lists: { [K in keyof T]: readonly Op<T[K]>[] }): Promise<{ [K in keyof T]: OpOutcome<T[K]>[] }> {
    const all = await this.run<unknown>((lists as ReadonlyArray<readonly Op[]>).flat());
    let at = 0;
    // Each op's own schema parsed its answer: the slices are the lists' types.
    return (lists as ReadonlyArray<readonly Op[]>).map((list) => all.slice(at, (at += list.length))) as { [K in keyof T]: OpOutcome<T[K]>[] };
  }

  /** The largest n (at most `max`) for which the op built for n items fits one request. */
  fits(build: (n: number) => Op, max: number): number {
    const limit = this.env.runner.costLimit;
    const version = this.env.features.version;
    const one = opCost(build(1), version);
    const per = Math.max(1, opCost(build(2), version) - one);
    return Math.max(1, Math.min(max, 1 + Math.floor((limit - one) / per)));
  }
}

export function userError(u: UserErrorAnswer): ItemError {
  const e: ItemError = { message: u.message };
  if (u.code) e.code = u.code;
  if (u.field?.length) e.field = [...u.field];
  return e;
}

export function userErrors(list: readonly UserErrorAnswer[], fallback: string): ItemError[] {
  return list.length ? list.map(userError) : [{ message: fallback }];
}

/** The index of `list` that a userError's field path names after `prefix` (`['input', 'variants', '3', …]` → 3). */
export function indexAt(u: UserErrorAnswer, ...prefix: string[]): number | undefined {
  const f = u.field ?? [];
  if (!prefix.every((p, i) => f[i] === p)) return undefined;
  const at = f[prefix.length];
  return at !== undefined && /^\d+$/.test(at) ? Number(at) : undefined;
}

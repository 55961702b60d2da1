import {
  canonicalJson,
  type CategoryData,
  type GeneralErrorInput,
  type ItemError,
  type ItemOutcome,
  type ProductData,
  type PushContext,
  type PushResult,
  type SkipReason,
  type TargetItem,
  type VariantData,
} from '@shopsync/core';
import {
  collectionAddProductsOp,
  collectionCreateOp,
  collectionDeleteOp,
  collectionRemoveProductsOp,
  collectionsByOp,
  collectionUpdateOp,
  inventoryActivateOp,
  inventorySetQuantitiesOp,
  opCost,
  productArchiveOp,
  productByHandleOp,
  productByRefOp,
  productSetOp,
  REF_METAFIELD,
  productVariantsOp,
  variantsBySkuOp,
  type Op,
  type QuantityInput,
} from '../documents.js';
import { MAX_INPUT_ARRAY, type ApiFeatures } from '../version.js';
import { collectionInput, pickText, productSetPlan, type VariantSlot } from './content.js';
import type { OpOutcome, OpRunner } from './runner.js';
import {
  awaitingStateSchema,
  categoryStateSchema,
  productStateSchema,
  stateKeys as K,
  StateStore,
  variantStateSchema,
  type CategoryState,
  type ProductState,
  type VariantState,
} from './state.js';

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
}

/** Rounds of productSet / collection writes a push makes before it leaves an item for later. */
const MAX_ROUNDS = 4;
/** How the store says an id it was given is not (or no longer) there. */
const NOT_FOUND = /does not exist|not found/i;

/**
 * A product's membership of a collection whose last change was sent but never confirmed (its
 * answer was lost): the store may or may not have it. Kept as `?GID` in the product's record, so
 * that the next push sends whichever change the host wants (both are idempotent).
 */
const UNSURE = '?';

/** SKUs per lookup query at most (Shopify's search syntax joins them with OR). */
const SKUS_PER_LOOKUP = 50;

interface Record_ {
  item: TargetItem;
  result?: 'synced' | 'failed' | 'skipped' | 'held';
  errors: ItemError[];
  shopifyId?: string;
  reason?: SkipReason;
}

interface Entry {
  ref: string;
  /** The batch's upsert of this variant. */
  item?: TargetItem;
  data?: VariantData;
  /** The data last sent (state), to fall back on when new data is refused. */
  prev?: VariantData;
  id?: string;
  inventoryItemId?: string;
  /** A variant of the store's the host never sent: kept with its option values. */
  foreign?: { sku?: string; options: Record<string, string> };
  /** Had no id before this push's productSet. */
  created?: boolean;
  /** Its new data was refused: the previous data was sent instead. */
  reverted?: boolean;
  /** Its stock was set in this push. */
  stockInitialized?: boolean;
}

/** A variant as the store answers it (`selectedOptions` where the query asked for them). */
interface StoreVariant {
  id: string;
  sku: string | null;
  selectedOptions?: Array<{ name: string; value: string }>;
  inventoryItem: { id: string };
}

/** One page of a product's variants. */
interface VariantPage {
  nodes: StoreVariant[];
  pageInfo?: { hasNextPage: boolean; endCursor: string | null } | null;
}

interface Group {
  ref: string;
  item?: TargetItem;
  data?: ProductData;
  state?: ProductState;
  id?: string;
  entries: Entry[];
  variantItems: TargetItem[];
  deleteItems: TargetItem[];
  /** Variant refs that leave this product (deleted, or moved to another product). */
  removed: Set<string>;
  wave: 1 | 2;
  needsLookup: boolean;
  needsSet: boolean;
  /**
   * The state may be behind the store (lost, or a productSet's answer was never saved): the
   * store's variants are read before the list is sent, so that none it has is deleted by mistake.
   */
  verify: boolean;
  status: 'pending' | 'ok' | 'failed' | 'unresolved';
  defaultVariantId?: string;
  collections?: Record<string, string>;
  /** Made by this push's productSet (it had no product before). */
  created?: boolean;
  /** The answer to its last productSet was lost (5xx, timeout, reset, garbled): a fault of the store or the network. */
  lost?: GeneralErrorInput;
}

interface CategoryWork {
  ref: string;
  item?: TargetItem;
  data: CategoryData;
  state: CategoryState;
  id?: string;
  needsLookup: boolean;
  status: 'pending' | 'ok' | 'failed' | 'unresolved';
  /** The answer to its last write was lost (5xx, timeout, reset, garbled). */
  lost?: GeneralErrorInput;
}

/**
 * One push: the batch's items become Shopify writes in phases, each phase's writes batched and
 * paced by the runner: categories (collections, created when they have products unless empty ones
 * are wanted), products with their variants folded into one productSet per product, collection
 * membership, stock, then deletions. State the next push needs goes to the id store at the end,
 * whatever happened; items whose writes could not be made get no outcome and go back to the queue.
 */
export class PushRun {
  readonly #ctx: PushContext;
  readonly #env: PushEnv;
  readonly #state: StateStore;
  readonly #records = new Map<string, Record_>();
  readonly #items: readonly TargetItem[];
  readonly #general: GeneralErrorInput[] = [];
  readonly #groups = new Map<string, Group>();

  constructor(items: readonly TargetItem[], ctx: PushContext, env: PushEnv) {
    this.#items = items;
    this.#ctx = ctx;
    this.#env = env;
    this.#state = new StateStore(ctx.ids);
    for (const item of items) this.#records.set(item.key, { item, errors: [] });
  }

  get #lang(): string {
    return this.#ctx.config.language;
  }

  get #signal(): AbortSignal {
    return this.#ctx.signal;
  }

  async execute(): Promise<PushResult> {
    try {
      const deletes = this.#items.filter((i) => i.op === 'delete');
      if (this.#ctx.config.disableDeletions) for (const d of deletes) this.#skip(d, 'deletions_disabled');
      await this.#load();
      await this.#categories();
      await this.#products();
      await this.#membership();
      await this.#stock();
      await this.#deletions();
    } finally {
      this.#finalize();
      await this.#state.flush();
    }
    return this.#result();
  }

  // ——— outcomes ———

  #sync(item: TargetItem, shopifyId?: string): void {
    const r = this.#records.get(item.key)!;
    if (r.result) return;
    r.result = 'synced';
    if (shopifyId !== undefined) r.shopifyId = shopifyId;
  }

  #fail(item: TargetItem, errors: ItemError[]): void {
    const r = this.#records.get(item.key)!;
    if (r.result === 'skipped') return;
    r.result = 'failed';
    for (const e of errors) if (!r.errors.some((x) => x.message === e.message && x.code === e.code)) r.errors.push(e);
  }

  /** No outcome: the item goes back to the queue. */
  #hold(item: TargetItem): void {
    const r = this.#records.get(item.key)!;
    if (r.result !== 'failed' && r.result !== 'skipped') r.result = 'held';
  }

  #skip(item: TargetItem, reason: SkipReason): void {
    const r = this.#records.get(item.key)!;
    r.result = 'skipped';
    r.reason = reason;
  }

  #open(item: TargetItem): boolean {
    return this.#records.get(item.key)!.result === undefined;
  }

  #generalError(error: GeneralErrorInput): void {
    if (!this.#general.some((g) => g.code === error.code && g.message === error.message)) this.#general.push(error);
  }

  #result(): PushResult {
    const outcomes: ItemOutcome[] = [];
    for (const r of this.#records.values()) {
      if (r.result === 'synced') outcomes.push(r.shopifyId !== undefined ? { key: r.item.key, status: 'synced', shopifyId: r.shopifyId } : { key: r.item.key, status: 'synced' });
      else if (r.result === 'failed') outcomes.push({ key: r.item.key, status: 'failed', errors: r.errors });
      else if (r.result === 'skipped') outcomes.push({ key: r.item.key, status: 'skipped', reason: r.reason! });
    }
    const generalErrors = [...this.#env.runner.generalErrors];
    for (const g of this.#general) if (!generalErrors.some((x) => x.code === g.code && x.message === g.message)) generalErrors.push(g);
    return { outcomes, generalErrors };
  }

  async #run(ops: Op[]): Promise<OpOutcome[]> {
    if (ops.length === 0) return [];
    return this.#env.runner.run(ops, this.#signal);
  }

  // ——— loading ———

  #active(op: 'upsert' | 'delete', entity: TargetItem['entity']): TargetItem[] {
    return this.#items.filter((i) => i.op === op && i.entity === entity && this.#open(i));
  }

  #productKeys(ref: string): string[] {
    return [K.id('product', ref), K.product(ref), K.awaiting(ref)];
  }

  #categoryKeys(ref: string): string[] {
    return [K.id('category', ref), K.category(ref)];
  }

  #variantKeys(ref: string): string[] {
    return [K.id('variant', ref), K.variant(ref)];
  }

  #productState(ref: string): ProductState | undefined {
    return this.#state.read(K.product(ref), productStateSchema);
  }

  #variantState(ref: string): VariantState | undefined {
    return this.#state.read(K.variant(ref), variantStateSchema);
  }

  #categoryState(ref: string): CategoryState | undefined {
    return this.#state.read(K.category(ref), categoryStateSchema);
  }

  async #load(): Promise<void> {
    const keys: string[] = [];
    for (const i of this.#items) {
      if (!this.#open(i)) continue;
      const c = i.change;
      if (c.entity === 'category') keys.push(...this.#categoryKeys(c.ref));
      else if (c.entity === 'product') {
        keys.push(...this.#productKeys(c.ref));
        if (c.op === 'upsert') for (const cat of c.data.categoryRefs ?? []) keys.push(...this.#categoryKeys(cat));
      } else {
        keys.push(...this.#variantKeys(c.ref));
        if (c.parentRef !== undefined) keys.push(...this.#productKeys(c.parentRef));
      }
    }
    await this.#state.load(keys);
    // Parents of variants that move or are deleted without a parent ref.
    const more: string[] = [];
    for (const i of this.#items) {
      if (i.entity !== 'variant' || !this.#open(i)) continue;
      const old = this.#variantState(i.ref)?.parentRef;
      if (old !== undefined) more.push(...this.#productKeys(old));
    }
    await this.#state.load(more);
    // The variants and collections of every product involved.
    const last: string[] = [];
    for (const i of this.#items) {
      if (!this.#open(i)) continue;
      const refs = i.entity === 'product' ? [i.ref] : i.entity === 'variant' ? [('parentRef' in i.change && i.change.parentRef) || '', this.#variantState(i.ref)?.parentRef ?? ''] : [];
      for (const p of refs) {
        const s = p ? this.#productState(p) : undefined;
        if (!s) continue;
        for (const v of s.variants) last.push(...this.#variantKeys(v));
        for (const c of Object.keys(s.collections)) last.push(...this.#categoryKeys(c));
      }
    }
    await this.#state.load(last);
  }

  // ——— categories ———

  async #categories(): Promise<void> {
    const upserts = this.#active('upsert', 'category');
    const referenced = new Set<string>();
    for (const p of this.#active('upsert', 'product')) if (p.change.entity === 'product' && p.change.op === 'upsert') for (const c of p.change.data.categoryRefs ?? []) referenced.add(c);
    const work: CategoryWork[] = [];
    for (const item of upserts) {
      if (item.change.entity !== 'category' || item.change.op !== 'upsert') continue;
      const state: CategoryState = { v: 1, pending: [], ...this.#categoryState(item.ref), data: item.change.data };
      this.#state.write(K.category(item.ref), state);
      const id = this.#state.get(K.id('category', item.ref));
      if (id) work.push({ ref: item.ref, item, data: item.change.data, state, id, needsLookup: false, status: 'pending' });
      else if (this.#ctx.config.includeEmptyCategories || state.pending.length > 0 || referenced.has(item.ref)) {
        work.push({ ref: item.ref, item, data: item.change.data, state, needsLookup: true, status: 'pending' });
      } else this.#skip(item, 'empty_category');
    }
    // Categories received earlier and skipped while empty: created now that a product needs them.
    for (const ref of referenced) {
      if (work.some((w) => w.ref === ref) || this.#state.get(K.id('category', ref))) continue;
      const state = this.#categoryState(ref);
      if (state?.data) work.push({ ref, data: state.data, state, needsLookup: true, status: 'pending' });
    }
    if (work.length === 0) return;
    // Products waiting for a collection join it when it is created.
    const pendingRefs = work.flatMap((w) => (w.id ? [] : w.state.pending));
    await this.#state.load(pendingRefs.flatMap((p) => this.#productKeys(p)));

    for (let round = 0; round < MAX_ROUNDS && work.some((w) => w.status === 'pending'); round++) {
      await this.#lookupCollections(work.filter((w) => w.status === 'pending' && w.needsLookup));
      const ready = work.filter((w) => w.status === 'pending' && !w.needsLookup);
      const ops = ready.map((w) => {
        const input = collectionInput(w.data, this.#lang);
        if (w.id) return collectionUpdateOp({ ...input, id: w.id });
        const members = this.#pendingMembers(w).slice(0, MAX_INPUT_ARRAY);
        return collectionCreateOp(members.length ? { ...input, products: members.map((m) => m.id) } : input);
      });
      const results = await this.#run(ops);
      ready.forEach((w, i) => {
        const r = results[i]!;
        delete w.lost;
        if (r.status === 'ok') {
          const payload = r.data as { collection?: { id: string } | null; userErrors: Array<{ field?: string[] | null; message: string }> };
          if (payload.userErrors.length || !payload.collection) {
            if (w.id && payload.userErrors.every((e) => NOT_FOUND.test(e.message))) {
              // Deleted in the store since: made again.
              w.id = undefined;
              this.#state.set(K.id('category', w.ref), null);
              w.needsLookup = true;
              return;
            }
            const gone = payload.userErrors.filter((e) => e.field?.[0] === 'products' && e.field[1] !== undefined && NOT_FOUND.test(e.message));
            if (!w.id && gone.length && gone.length === payload.userErrors.length) {
              // Waiting products the store no longer has: forgotten, and the collection made without them.
              const members = this.#pendingMembers(w).slice(0, MAX_INPUT_ARRAY);
              const drop = new Set(gone.map((e) => members[Number(e.field![1])]?.ref));
              w.state = { ...w.state, pending: w.state.pending.filter((p) => !drop.has(p)) };
              this.#state.write(K.category(w.ref), w.state);
              return;
            }
            w.status = 'failed';
            if (w.item) this.#fail(w.item, userErrors(payload.userErrors, 'The store did not save the collection.'));
            return;
          }
          const created = !w.id;
          w.id = payload.collection.id;
          w.status = 'ok';
          this.#state.set(K.id('category', w.ref), w.id);
          if (created) this.#joinPending(w, this.#pendingMembers(w).slice(0, MAX_INPUT_ARRAY));
          if (w.item) this.#sync(w.item, w.id);
        } else if (r.status === 'uncertain') {
          w.lost = r.error;
          w.needsLookup = true;
        } else if (r.status === 'error') {
          w.status = 'failed';
          if (w.item) this.#fail(w.item, r.errors);
        } else {
          w.status = 'unresolved';
          if (w.item) this.#hold(w.item);
        }
      });
    }
    for (const w of work) {
      if (w.status !== 'pending' || !w.item) continue;
      if (w.lost) this.#giveUp(w.lost, [w.item]);
      else this.#fail(w.item, [{ message: `The collection could not be saved in ${MAX_ROUNDS} attempts. It is sent again with its next change, or when failed items are retried.` }]);
    }
    // Waiting products the writes above did not take in (beyond one creation's input array, or a
    // collection found rather than created).
    const joins: Array<{ w: CategoryWork; members: Array<{ ref: string; id: string }> }> = [];
    for (const w of work) {
      if (w.status !== 'ok') continue;
      const members = this.#pendingMembers(w);
      for (let i = 0; i < members.length; i += MAX_INPUT_ARRAY) joins.push({ w, members: members.slice(i, i + MAX_INPUT_ARRAY) });
    }
    const joined = await this.#run(joins.map((j) => collectionAddProductsOp(j.w.id!, j.members.map((m) => m.id))));
    joined.forEach((r, i) => {
      const { w, members } = joins[i]!;
      if (r.status === 'ok' && (r.data as { userErrors: unknown[] }).userErrors.length === 0) this.#joinPending(w, members);
      else if (r.status === 'unsent' || r.status === 'uncertain') {
        // Maybe joined: they stay pending, their records say it may be so, and the category goes again.
        for (const m of members) {
          const s = this.#productState(m.ref);
          if (s && !s.collections[w.ref]) this.#state.write(K.product(m.ref), { ...s, collections: { ...s.collections, [w.ref]: UNSURE + w.id! } });
        }
        if (w.item) this.#hold(w.item);
      }
    });
  }

  /** Pending products of a category that the store has. */
  #pendingMembers(w: CategoryWork): Array<{ ref: string; id: string }> {
    const out: Array<{ ref: string; id: string }> = [];
    for (const ref of w.state.pending) {
      const id = this.#state.get(K.id('product', ref));
      if (id) out.push({ ref, id });
    }
    return out;
  }

  #joinPending(w: CategoryWork, members: Array<{ ref: string; id: string }>): void {
    const joined = new Set(members.map((m) => m.ref));
    for (const m of members) {
      const s = this.#productState(m.ref);
      if (s) this.#state.write(K.product(m.ref), { ...s, collections: { ...s.collections, [w.ref]: w.id! } });
      const g = this.#groups.get(m.ref);
      if (g?.state) g.state = { ...g.state, collections: { ...g.state.collections, [w.ref]: w.id! } };
    }
    w.state = { ...w.state, pending: w.state.pending.filter((p) => !joined.has(p) && this.#state.get(K.id('product', p)) !== undefined) };
    this.#state.write(K.category(w.ref), w.state);
  }

  async #lookupCollections(work: CategoryWork[]): Promise<void> {
    if (work.length === 0) return;
    const ops = work.map((w) => (w.data.handle ? collectionsByOp({ handle: w.data.handle }) : collectionsByOp({ title: pickText(w.data.title, this.#lang) ?? '' })));
    const results = await this.#run(ops);
    work.forEach((w, i) => {
      const r = results[i]!;
      if (r.status !== 'ok') {
        w.status = 'unresolved';
        if (w.item) this.#hold(w.item);
        return;
      }
      const nodes = (r.data as { nodes: Array<{ id: string; handle: string; title: string }> }).nodes;
      const title = pickText(w.data.title, this.#lang);
      const found = w.data.handle ? nodes.find((n) => n.handle === w.data.handle) : nodes.find((n) => n.title === title);
      if (found) w.id = found.id;
      w.needsLookup = false;
    });
  }

  // ——— products and variants ———

  #group(ref: string): Group {
    let g = this.#groups.get(ref);
    if (!g) {
      g = this.#newGroup(ref);
      this.#groups.set(ref, g);
    }
    return g;
  }

  #newGroup(ref: string): Group {
    const g: Group = { ref, entries: [], variantItems: [], deleteItems: [], removed: new Set(), wave: 2, needsLookup: false, needsSet: false, verify: false, status: 'pending' };
    const state = this.#productState(ref);
    if (state) g.state = state;
    const id = this.#state.get(K.id('product', ref));
    if (id) g.id = id;
    return g;
  }

  #buildGroups(): void {
    const archived = new Set(this.#active('delete', 'product').map((p) => p.ref));
    for (const item of this.#active('upsert', 'product')) {
      if (item.change.entity !== 'product' || item.change.op !== 'upsert') continue;
      const g = this.#group(item.ref);
      g.item = item;
      g.data = item.change.data;
    }
    for (const item of this.#active('upsert', 'variant')) {
      if (item.change.entity !== 'variant' || item.change.op !== 'upsert') continue;
      const g = this.#group(item.change.parentRef);
      g.variantItems.push(item);
      const old = this.#variantState(item.ref)?.parentRef;
      if (old !== undefined && old !== item.change.parentRef) {
        const from = this.#group(old);
        from.removed.add(item.ref);
        from.wave = 1;
      }
    }
    for (const item of this.#active('delete', 'variant')) {
      const parent = ('parentRef' in item.change ? item.change.parentRef : undefined) ?? this.#variantState(item.ref)?.parentRef;
      if (parent === undefined) {
        this.#sync(item); // never sent to the store: nothing to delete
        continue;
      }
      if (archived.has(parent)) {
        // The product is archived in this batch: its variants go with it.
        this.#sync(item);
        this.#forgetVariant(item.ref, parent);
        const s = this.#productState(parent);
        if (s) this.#state.write(K.product(parent), { ...s, variants: s.variants.filter((v) => v !== item.ref) });
        continue;
      }
      const g = this.#group(parent);
      g.deleteItems.push(item);
      g.removed.add(item.ref);
    }
    for (const g of this.#groups.values()) {
      if (!g.data && g.state?.data) g.data = g.state.data;
      this.#entries(g);
      if (!g.id) g.needsLookup = true;
      g.verify = !g.state || g.state.unconfirmed === true;
      g.needsSet = this.#needsSet(g);
    }
  }

  /** The variant list a productSet sends: the known ones (minus those leaving), then the new ones. */
  #entries(g: Group): void {
    const batch = new Map<string, TargetItem>();
    for (const v of g.variantItems) batch.set(v.ref, v);
    const refs = (g.state?.variants ?? []).filter((r) => !g.removed.has(r));
    for (const v of g.variantItems) if (!refs.includes(v.ref)) refs.push(v.ref);
    // The store's variants the host never sent, but not one the host now deletes by its SKU.
    const foreign = (g.state?.foreign ?? []).filter((f) => f.sku === undefined || !g.removed.has(f.sku));
    for (const ref of refs) {
      const item = batch.get(ref);
      const state = this.#variantState(ref);
      const own = state?.parentRef === g.ref ? state : undefined;
      const e: Entry = { ref };
      if (item && item.change.entity === 'variant' && item.change.op === 'upsert') {
        e.item = item;
        e.data = item.change.data;
      } else if (own) e.data = own.data;
      if (own) {
        e.prev = own.data;
        const id = this.#state.get(K.id('variant', ref));
        if (id) e.id = id;
        if (own.inventoryItemId) e.inventoryItemId = own.inventoryItemId;
      }
      const twin = foreign.findIndex((f) => f.sku === ref);
      if (twin >= 0) {
        e.id ??= foreign[twin]!.id;
        foreign.splice(twin, 1);
      }
      if (e.data) g.entries.push(e);
    }
    for (const f of foreign) g.entries.push({ ref: `foreign:${f.id}`, id: f.id, foreign: { ...(f.sku !== undefined ? { sku: f.sku } : {}), options: f.options } });
    if (g.state?.defaultVariantId) g.defaultVariantId = g.state.defaultVariantId;
  }

  /** A push that only changes stock, with stock not overwritten, needs no productSet (unless the state must be confirmed). */
  #needsSet(g: Group): boolean {
    if (g.item || g.removed.size || !g.id || g.verify) return true;
    const strip = (d: VariantData | undefined) => (d ? canonicalJson({ ...d, stock: undefined }) : undefined);
    return g.entries.some((e) => e.item && (!e.id || !e.inventoryItemId || strip(e.data) !== strip(e.prev)));
  }

  async #products(): Promise<void> {
    this.#buildGroups();
    const groups = [...this.#groups.values()];
    for (const g of groups) if (!g.needsSet) g.status = 'ok';
    for (let round = 0; round < MAX_ROUNDS && groups.some((g) => g.status === 'pending'); round++) {
      await this.#lookupProducts(groups.filter((g) => g.status === 'pending' && g.needsLookup));
      await this.#fetchStoreVariants(groups.filter((g) => g.status === 'pending' && !g.needsLookup && g.id !== undefined && g.verify));
      for (const wave of [1, 2] as const) {
        const ready = groups.filter((g) => g.status === 'pending' && !g.needsLookup && g.wave === wave);
        const ops: Op[] = [];
        const sent: Group[] = [];
        for (const g of ready) {
          const max = this.#env.features.maxProductSetVariants;
          if (g.entries.length > max) {
            this.#failGroup(g, [{ code: 'VARIANTS_OVER_LIMIT', message: `Product ${g.ref} has ${g.entries.length} variants; Shopify API ${this.#env.features.version} takes at most ${max} per product.` }]);
            continue;
          }
          const plan = productSetPlan({
            ref: g.ref,
            id: g.id,
            data: g.data,
            reactivate: g.state?.archived === true,
            variants: g.entries.map((e): VariantSlot => ({ ref: e.ref, id: e.id, data: e.data, storeOptions: e.foreign?.options })),
            defaultVariantId: g.defaultVariantId,
            language: this.#lang,
            refMetafield: this.#env.customIds ? REF_METAFIELD : undefined,
          });
          ops.push(productSetOp(plan.input, plan.variantCount));
          sent.push(g);
        }
        // Saved before the store may apply them: a push that dies before its state is saved
        // leaves these products marked, and the next one reads their variants from the store.
        for (const g of sent) {
          this.#markUnconfirmed(g.ref);
          // Its upsert is on its way: its variants wait for it again, whatever the store said last time.
          if (g.item) this.#state.set(K.awaiting(g.ref), null);
        }
        if (sent.length) await this.#state.flush();
        const results = await this.#run(ops);
        const incomplete = await this.#readVariantPages(results);
        sent.forEach((g, i) => this.#afterProductSet(g, results[i]!, incomplete.has(i)));
      }
    }
    for (const g of groups) {
      if (g.status !== 'pending') continue;
      if (g.lost) {
        g.status = 'unresolved';
        this.#giveUp(g.lost, this.#groupItems(g));
      } else {
        g.status = 'failed';
        this.#failGroup(g, [{ message: `Product ${g.ref} could not be saved in ${MAX_ROUNDS} attempts. It is sent again with its next change, or when failed items are retried.` }]);
      }
    }
  }

  /**
   * Every round's write lost its answer and the lookups after it did not find it applied: the
   * store or the network failed, not the items. They go back to the queue and the run says why,
   * as for requests that are retried (never an item error: nothing is wrong with the item).
   */
  #giveUp(lost: GeneralErrorInput, items: readonly TargetItem[]): void {
    this.#generalError({ ...lost, message: `${lost.message} Gave up after ${MAX_ROUNDS} attempts.` });
    for (const item of items) this.#hold(item);
  }

  #markUnconfirmed(ref: string): void {
    const s: ProductState = this.#productState(ref) ?? { v: 1, variants: [], foreign: [], collections: {}, archived: false };
    if (!s.unconfirmed) this.#state.write(K.product(ref), { ...s, unconfirmed: true });
  }

  #groupItems(g: Group): TargetItem[] {
    return [...(g.item ? [g.item] : []), ...g.variantItems, ...g.deleteItems];
  }

  #failGroup(g: Group, errors: ItemError[]): void {
    g.status = 'failed';
    for (const item of this.#groupItems(g)) this.#fail(item, errors);
  }

  #holdGroup(g: Group): void {
    g.status = 'unresolved';
    for (const item of this.#groupItems(g)) this.#hold(item);
  }

  /** A product the store does not have refused its upsert: its variants need not wait for it. */
  #refused(g: Group): void {
    if (!g.item || g.id) return;
    const since = this.#state.read(K.awaiting(g.ref), awaitingStateSchema)?.since ?? this.#env.now();
    this.#state.write(K.awaiting(g.ref), { v: 1, since, refused: true });
  }

  /**
   * A productSet answer holds the first page of the product's variants; a product with more has
   * the rest read here, page by page, into its answer. The indexes of answers whose pages could
   * not all be read are returned: the store has those products as sent, their ids are unknown.
   */
  async #readVariantPages(results: OpOutcome[]): Promise<Set<number>> {
    const firsts: Array<{ index: number; id: string; page: VariantPage }> = [];
    results.forEach((r, index) => {
      const product = r.status === 'ok' ? (r.data as { product?: { id: string; variants: VariantPage } | null } | null)?.product : undefined;
      if (product?.variants.pageInfo?.hasNextPage) firsts.push({ index, id: product.id, page: product.variants });
    });
    const incomplete = new Set<number>();
    if (firsts.length === 0) return incomplete;
    const all = await this.#restOfVariants(firsts);
    firsts.forEach((f, k) => {
      const nodes = all[k];
      if (!nodes) return void incomplete.add(f.index);
      const r = results[f.index] as { status: 'ok'; data: { product: { variants: VariantPage } } };
      r.data.product.variants = { nodes, pageInfo: { hasNextPage: false, endCursor: null } };
    });
    return incomplete;
  }

  /**
   * The variants of products after the first page of each (Shopify pages hold at most 250): one
   * query per product and round, packed by the runner under the cost limit. Undefined for a
   * product whose pages could not all be read.
   */
  async #restOfVariants(firsts: ReadonlyArray<{ id: string; page: VariantPage }>): Promise<Array<StoreVariant[] | undefined>> {
    const out: Array<StoreVariant[] | undefined> = firsts.map((f) => [...f.page.nodes]);
    const size = this.#fits((n) => productVariantsOp('gid://shopify/Product/1', n, 'cursor'), MAX_INPUT_ARRAY);
    let open = firsts.flatMap((f, i) => (f.page.pageInfo?.hasNextPage && f.page.pageInfo.endCursor ? [{ i, id: f.id, cursor: f.page.pageInfo.endCursor }] : []));
    // No product has more pages than this; a store that says otherwise is not believed.
    const maxRounds = Math.ceil(this.#env.features.maxVariantsPerProduct / size) + 1;
    for (let round = 0; open.length > 0; round++) {
      if (round >= maxRounds) {
        for (const o of open) out[o.i] = undefined;
        break;
      }
      const results = await this.#run(open.map((o) => productVariantsOp(o.id, size, o.cursor)));
      const next: typeof open = [];
      open.forEach((o, k) => {
        const r = results[k]!;
        const product = r.status === 'ok' ? (r.data as { variants: VariantPage } | null) : null;
        if (!product) return void (out[o.i] = undefined);
        out[o.i]?.push(...product.variants.nodes);
        const info = product.variants.pageInfo;
        if (info?.hasNextPage && info.endCursor && product.variants.nodes.length > 0) next.push({ ...o, cursor: info.endCursor });
      });
      open = next.filter((o) => out[o.i] !== undefined);
    }
    return out;
  }

  #afterProductSet(g: Group, r: OpOutcome, incomplete = false): void {
    delete g.lost;
    if (r.status === 'uncertain') {
      // Maybe created: find it before sending again, so that no twin is made.
      g.lost = r.error;
      g.needsLookup = true;
      return;
    }
    if (r.status === 'unsent') return this.#holdGroup(g);
    if (r.status === 'error') {
      this.#refused(g);
      return this.#failGroup(g, r.errors);
    }
    const payload = r.data as {
      product?: { id: string; variants: { nodes: Array<{ id: string; sku: string | null; inventoryItem: { id: string } }> } } | null;
      userErrors: Array<{ code?: string | null; field?: string[] | null; message: string }>;
    };
    if (payload.userErrors.length === 0 && payload.product) {
      g.created = g.id === undefined;
      g.id = payload.product.id;
      this.#state.set(K.id('product', g.ref), g.id);
      const bySku = new Map<string, { id: string; inventoryItemId: string }>();
      for (const n of payload.product.variants.nodes) {
        if (n.sku !== null) bySku.set(n.sku, { id: n.id, inventoryItemId: n.inventoryItem.id });
      }
      for (const e of g.entries) {
        if (e.foreign) continue;
        const hit = bySku.get(e.ref);
        if (!hit) continue;
        e.created = e.id !== hit.id;
        e.id = hit.id;
        e.inventoryItemId = hit.inventoryItemId;
      }
      if (g.entries.length === 0) {
        const d = bySku.get(g.ref) ?? (payload.product.variants.nodes[0] ? { id: payload.product.variants.nodes[0].id } : undefined);
        if (d) g.defaultVariantId = d.id;
      }
      // Saved, but not all its variants' ids could be read: its record stays unconfirmed, and
      // the next push reads them from the store before it sends the list again.
      if (incomplete) return this.#holdGroup(g);
      g.status = 'ok';
      return;
    }
    if (g.entries.length === 0 && g.defaultVariantId && payload.userErrors.length && payload.userErrors.every((u) => u.code === 'PRODUCT_VARIANT_DOES_NOT_EXIST')) {
      // The default variant the state knew is gone from the store: the product gets one anew.
      delete g.defaultVariantId;
      return;
    }
    const productErrors: ItemError[] = [];
    const byVariant = new Map<number, ItemError[]>();
    for (const u of payload.userErrors) {
      const err = userError(u);
      const f = u.field ?? [];
      const index = f[0] === 'input' && f[1] === 'variants' && f[2] !== undefined && /^\d+$/.test(f[2]) ? Number(f[2]) : undefined;
      if (index !== undefined && index < g.entries.length) byVariant.set(index, [...(byVariant.get(index) ?? []), err]);
      else productErrors.push(err);
    }
    if (!payload.product && payload.userErrors.length === 0) productErrors.push({ message: 'The store did not save the product and gave no reason.' });
    if (g.id && productErrors.length && productErrors.every((e) => e.code === 'PRODUCT_DOES_NOT_EXIST')) {
      // Deleted in the store since: made again, with new variants.
      g.id = undefined;
      delete g.defaultVariantId;
      this.#state.set(K.id('product', g.ref), null);
      g.entries = g.entries.filter((e) => !e.foreign);
      for (const e of g.entries) {
        delete e.id;
        delete e.inventoryItemId;
      }
      g.needsLookup = true;
      // Found again under another id, its variants are read from the store first.
      g.verify = true;
      return;
    }
    if (productErrors.length) {
      for (const [i, errs] of byVariant) {
        const item = g.entries[i]?.item;
        if (item) this.#fail(item, errs);
      }
      this.#refused(g);
      return this.#failGroup(g, productErrors);
    }
    // Errors of single variants: send the product again without the new variants that were
    // refused, and with the previous data of existing ones (leaving one out would delete it).
    const drop = new Set<number>();
    for (const [i, errs] of byVariant) {
      const e = g.entries[i]!;
      if (e.id && errs.every((x) => x.code === 'PRODUCT_VARIANT_DOES_NOT_EXIST')) {
        // Deleted in the store since: made again (or, for one the host never sent, let go).
        if (e.foreign) drop.add(i);
        delete e.id;
        delete e.inventoryItemId;
      } else if (e.item && !e.id) {
        this.#fail(e.item, errs);
        drop.add(i);
      } else if (e.item && e.prev && !e.reverted) {
        this.#fail(e.item, errs);
        e.data = e.prev;
        e.reverted = true;
      } else {
        return this.#failGroup(g, errs.map((x) => ({ ...x, message: `Variant ${e.foreign?.sku ?? e.ref}: ${x.message}` })));
      }
    }
    g.entries = g.entries.filter((_, i) => !drop.has(i));
  }

  async #lookupProducts(groups: Group[]): Promise<void> {
    if (groups.length === 0) return;
    const skus = new Map<Group, string[]>();
    const all: string[] = [];
    for (const g of groups) {
      const list = [...new Set([g.ref, ...g.entries.filter((e) => !e.foreign).map((e) => e.ref), ...g.removed])];
      skus.set(g, list);
      for (const s of list) if (!all.includes(s)) all.push(s);
    }
    const handles = [...new Set(groups.map((g) => g.data?.handle).filter((h): h is string => h !== undefined))];
    const refOps = this.#env.customIds ? groups.length : 0;
    let results: OpOutcome[] = [];
    let skuOps = 0;
    // A lookup refused as too costly has taught the runner the limit: build it smaller once more.
    for (let attempt = 0; attempt < 2; attempt++) {
      const ops: Op[] = [];
      const per = this.#fits((n) => variantsBySkuOp(all.slice(0, n)), SKUS_PER_LOOKUP);
      for (let i = 0; i < all.length; i += per) ops.push(variantsBySkuOp(all.slice(i, i + per)));
      skuOps = ops.length;
      for (const h of handles) ops.push(productByHandleOp(h));
      if (this.#env.customIds) for (const g of groups) ops.push(productByRefOp(g.ref));
      results = await this.#run(ops);
      if (!results.some((r) => r.status === 'error' && r.errors.some((e) => e.code === 'MAX_COST_EXCEEDED'))) break;
    }
    const failed = results.find((r) => r.status !== 'ok');
    if (failed) {
      for (const g of groups) this.#holdGroup(g);
      if (failed.status === 'error') this.#generalError({ code: 'invalid_response', message: `Looking products up failed: ${failed.errors.map((e) => e.message).join('; ')}` });
      return;
    }
    const hits = new Map<string, Array<{ id: string; inventoryItemId: string; productId: string; ref: string | undefined }>>();
    for (const r of results.slice(0, skuOps)) {
      type Node = { id: string; sku: string | null; inventoryItem: { id: string }; product: { id: string; metafield?: { value: string } | null } };
      for (const n of (r as { data: { nodes: Node[] } }).data.nodes) {
        if (n.sku === null) continue;
        hits.set(n.sku, [...(hits.get(n.sku) ?? []), { id: n.id, inventoryItemId: n.inventoryItem.id, productId: n.product.id, ref: n.product.metafield?.value }]);
      }
    }
    const byHandle = new Map<string, string>();
    handles.forEach((h, i) => {
      const r = results[skuOps + i] as { data: unknown };
      const p = r.data as { id: string } | null;
      if (p?.id) byHandle.set(h, p.id);
    });
    const byRef = new Map<Group, string>();
    if (refOps) {
      groups.forEach((g, i) => {
        const p = (results[skuOps + handles.length + i] as { data: unknown }).data as { id: string } | null;
        if (p?.id) byRef.set(g, p.id);
      });
    }
    for (const g of groups) {
      g.needsLookup = false;
      // Products that share a SKU with this one: its own (the same reference, or none: a product the
      // store had before shopsync, which the SKU makes this one), never another host product's.
      const score = new Map<string, number>();
      for (const s of skus.get(g)!) {
        for (const h of hits.get(s) ?? []) {
          if (h.ref !== undefined && h.ref !== g.ref) continue;
          score.set(h.productId, (score.get(h.productId) ?? 0) + (h.ref === g.ref ? 1_000_000 : s === g.ref ? 1_000 : 1));
        }
      }
      const handle = g.data?.handle;
      let found: string | undefined = byRef.get(g);
      const owner = handle !== undefined ? byHandle.get(handle) : undefined;
      if (found !== undefined) {
        // Our own reference: the product is ours whatever its handle or SKUs became.
      } else if (owner !== undefined) {
        // The handle's product is ours only if it has one of our SKUs; otherwise saving will say
        // the handle is taken, which is the item's error to show.
        if (score.has(owner)) found = owner;
      } else found = [...score.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
      if (!found) {
        // It will be created: there is nothing of it in the store to read.
        g.verify = false;
        // Without the product's data (never synchronized), its variants cannot make it.
        if (!g.item && !g.data) this.#awaitProduct(g);
        continue;
      }
      g.id = found;
      this.#state.set(K.id('product', g.ref), found);
      for (const e of g.entries) {
        const hit = (hits.get(e.ref) ?? []).find((h) => h.productId === found);
        if (hit && !e.foreign) {
          e.id = hit.id;
          e.inventoryItemId = hit.inventoryItemId;
        }
      }
    }
  }

  /**
   * Variants of a product the store does not have (and whose data was never received). The
   * product may be on its way (after a crash, items come back in any order: a product leased by a
   * dead process returns when its lease expires, while its variants go on), so its variants go
   * back to the queue and wait for it, from the first time one waited, for `productWaitMs`; then
   * they fail, as they do at once when the store refused the product. Deletions are done: there
   * is nothing to delete.
   */
  #awaitProduct(g: Group): void {
    g.status = 'failed';
    for (const d of g.deleteItems) this.#sync(d);
    const waiting = g.variantItems.filter((i) => this.#open(i));
    if (waiting.length === 0) return;
    const now = this.#env.now();
    const record = this.#state.read(K.awaiting(g.ref), awaitingStateSchema);
    let since = record?.since;
    if (since === undefined || since > now) {
      since = now;
      this.#state.write(K.awaiting(g.ref), { v: 1, since, refused: record?.refused ?? false });
    }
    if (!record?.refused && now - since < this.#env.productWaitMs) {
      g.status = 'unresolved';
      for (const i of waiting) this.#hold(i);
      return;
    }
    const why = record?.refused ? ' (the store refused it)' : '';
    for (const i of waiting) this.#fail(i, [{ code: 'PRODUCT_NOT_FOUND', message: `Product ${g.ref} is not in the store${why}: synchronize the product before its variants.` }]);
  }

  /** The largest n (at most `max`) for which the op built for n items fits one request. */
  #fits(build: (n: number) => Op, max: number): number {
    const limit = this.#env.runner.costLimit;
    const version = this.#env.features.version;
    const one = opCost(build(1), version);
    const per = Math.max(1, opCost(build(2), version) - one);
    return Math.max(1, Math.min(max, 1 + Math.floor((limit - one) / per)));
  }

  /**
   * After a lost or unconfirmed state: the product's variants as the store has them, so that none
   * is deleted by mistake. The host's take the store's ids by SKU (an id the store no longer has
   * is dropped: the variant is made again); the store's default variant is taken as such; any
   * other variant is kept as it is (one the host sent in a push whose answer was lost becomes the
   * host's again when its item comes back), except those the host deletes in this push.
   */
  async #fetchStoreVariants(groups: Group[]): Promise<void> {
    if (groups.length === 0) return;
    const page = this.#fits((n) => productVariantsOp('gid://shopify/Product/1', n), MAX_INPUT_ARRAY);
    const results = await this.#run(groups.map((g) => productVariantsOp(g.id!, page)));
    // A product with more variants than a page: the rest, page by page.
    const firsts: Array<{ index: number; id: string; page: VariantPage }> = [];
    results.forEach((r, index) => {
      const product = r.status === 'ok' ? (r.data as { variants: VariantPage } | null) : null;
      if (product?.variants.pageInfo?.hasNextPage) firsts.push({ index, id: groups[index]!.id!, page: product.variants });
    });
    const rest = firsts.length ? await this.#restOfVariants(firsts) : [];
    const full = new Map<number, StoreVariant[] | undefined>(firsts.map((f, k) => [f.index, rest[k]]));
    groups.forEach((g, i) => {
      const r = results[i]!;
      if (r.status !== 'ok') return this.#holdGroup(g);
      const product = r.data as { variants: VariantPage } | null;
      if (full.has(i)) {
        const nodes = full.get(i);
        if (!nodes) return this.#holdGroup(g);
        product!.variants = { nodes, pageInfo: { hasNextPage: false, endCursor: null } };
      }
      if (!product) {
        // Not there any more: made again.
        g.id = undefined;
        this.#state.set(K.id('product', g.ref), null);
        g.entries = g.entries.filter((e) => !e.foreign);
        for (const e of g.entries) {
          delete e.id;
          delete e.inventoryItemId;
        }
        delete g.defaultVariantId;
        g.needsLookup = true;
        return;
      }
      const nodes = product.variants.nodes;
      const claimed = new Set<string>();
      for (const e of g.entries) {
        if (e.foreign) continue;
        const n = nodes.find((x) => x.sku === e.ref);
        if (n) {
          e.id = n.id;
          e.inventoryItemId = n.inventoryItem.id;
          claimed.add(n.id);
        } else {
          delete e.id;
          delete e.inventoryItemId;
        }
      }
      // The store's own variants already known: kept while the store has them.
      g.entries = g.entries.filter((e) => {
        if (!e.foreign) return true;
        if (!e.id || claimed.has(e.id) || !nodes.some((n) => n.id === e.id)) return false;
        claimed.add(e.id);
        return true;
      });
      delete g.defaultVariantId;
      for (const n of nodes) {
        if (claimed.has(n.id)) continue;
        if (n.sku !== null && n.sku === g.ref) {
          g.defaultVariantId = n.id;
        } else if (n.sku === null || !g.removed.has(n.sku)) {
          const options: Record<string, string> = {};
          for (const o of n.selectedOptions ?? []) options[o.name] = o.value;
          g.entries.push({ ref: `foreign:${n.id}`, id: n.id, foreign: { ...(n.sku !== null ? { sku: n.sku } : {}), options } });
        }
      }
      g.verify = false;
    });
  }

  // ——— collection membership ———

  async #membership(): Promise<void> {
    const adds = new Map<string, Array<{ g: Group; cat: string }>>();
    const removes = new Map<string, Array<{ g: Group; cat: string }>>();
    const pendingChanges = new Map<string, { add: Set<string>; remove: Set<string> }>();
    const pend = (cat: string) => {
      let p = pendingChanges.get(cat);
      if (!p) pendingChanges.set(cat, (p = { add: new Set(), remove: new Set() }));
      return p;
    };
    for (const g of this.#groups.values()) {
      if (g.status !== 'ok' || !g.item || !g.data) continue;
      const desired = [...new Set(g.data.categoryRefs ?? [])];
      // A product made anew (deleted in the store since) is in no collection yet.
      const prev = g.created ? {} : (g.state?.collections ?? {});
      const next: Record<string, string> = { ...prev };
      for (const cat of desired) {
        const coll = this.#state.get(K.id('category', cat));
        if (coll) {
          if (prev[cat] !== coll) adds.set(coll, [...(adds.get(coll) ?? []), { g, cat }]);
        } else {
          pend(cat).add.add(g.ref);
          next[cat] = '';
        }
      }
      for (const [cat, joined] of Object.entries(prev)) {
        if (desired.includes(cat)) continue;
        const coll = this.#state.get(K.id('category', cat));
        // Joined, or maybe joined (an answer was lost): removed (harmless if it was not in).
        if (coll && (joined === coll || joined === UNSURE + coll)) removes.set(coll, [...(removes.get(coll) ?? []), { g, cat }]);
        else delete next[cat];
        if (joined !== coll) pend(cat).remove.add(g.ref);
      }
      g.collections = next;
    }
    for (const [cat, change] of pendingChanges) {
      const s: CategoryState = this.#categoryState(cat) ?? { v: 1, pending: [] };
      const pending = s.pending.filter((p) => !change.remove.has(p));
      for (const p of change.add) if (!pending.includes(p)) pending.push(p);
      this.#state.write(K.category(cat), { ...s, pending });
    }
    const ops: Op[] = [];
    const meta: Array<{ members: Array<{ g: Group; cat: string }>; add: boolean; coll: string }> = [];
    for (const [map, add] of [
      [adds, true],
      [removes, false],
    ] as const) {
      for (const [coll, members] of map) {
        for (let i = 0; i < members.length; i += MAX_INPUT_ARRAY) {
          const slice = members.slice(i, i + MAX_INPUT_ARRAY);
          const ids = slice.map((m) => m.g.id!);
          ops.push(add ? collectionAddProductsOp(coll, ids) : collectionRemoveProductsOp(coll, ids));
          meta.push({ members: slice, add, coll });
        }
      }
    }
    const results = await this.#run(ops);
    results.forEach((r, i) => {
      const { members, add, coll } = meta[i]!;
      const errors = r.status === 'ok' ? (r.data as { userErrors: Array<{ field?: string[] | null; message: string }> }).userErrors : [];
      for (const { g, cat } of members) {
        if (r.status === 'ok' && errors.length === 0) {
          if (add) g.collections![cat] = coll;
          else delete g.collections![cat];
        } else if (r.status === 'ok' && add && errors.some((e) => e.field?.[0] === 'id' && NOT_FOUND.test(e.message))) {
          // The collection was deleted in the store: forgotten, so that it is made again from the
          // category's kept data; the product waits for it (it goes back to the queue).
          this.#state.set(K.id('category', cat), null);
          const s: CategoryState = this.#categoryState(cat) ?? { v: 1, pending: [] };
          if (!s.pending.includes(g.ref)) this.#state.write(K.category(cat), { ...s, pending: [...s.pending, g.ref] });
          g.collections![cat] = '';
          this.#hold(g.item!);
        } else if (r.status === 'ok' || r.status === 'error') {
          g.collections![cat] = g.state?.collections[cat] ?? '';
          if (!add && g.state?.collections[cat] === undefined) delete g.collections![cat];
          this.#fail(g.item!, r.status === 'error' ? r.errors : userErrors(errors, 'The store did not change the collection.'));
        } else {
          // Not confirmed (the answer was lost, maybe after the store applied it): the item goes
          // again, and its record says the membership is unknown, whichever way the host turns.
          g.collections![cat] = UNSURE + coll;
          this.#hold(g.item!);
        }
      }
    });
  }

  // ——— stock ———

  async #stock(): Promise<void> {
    const location = this.#env.locationId;
    const due: Array<{ g: Group; e: Entry; quantity: number }> = [];
    for (const g of this.#groups.values()) {
      if (g.status !== 'ok') continue;
      for (const e of g.entries) {
        const stock = e.data?.stock;
        if (!e.item || e.reverted || stock === undefined || !e.inventoryItemId || !this.#open(e.item)) continue;
        const initialized = !e.created && (this.#variantState(e.ref)?.stockInitialized ?? false);
        if (!initialized || this.#ctx.config.overwriteStock) due.push({ g, e, quantity: stock });
      }
    }
    if (due.length === 0) return;
    if (!location) {
      for (const d of due) this.#fail(d.e.item!, [{ code: 'NO_LOCATION', message: 'The store has no location to keep stock at: set the connector’s location.' }]);
      return;
    }
    const stocked = new Set<Entry>();
    const activate: Array<{ e: Entry; quantity: number }> = [];
    const ops: Op[] = [];
    const batches: Array<typeof due> = [];
    for (let i = 0; i < due.length; i += MAX_INPUT_ARRAY) {
      const slice = due.slice(i, i + MAX_INPUT_ARRAY);
      const quantities: QuantityInput[] = slice.map((d) => ({ inventoryItemId: d.e.inventoryItemId!, locationId: location, quantity: d.quantity }));
      ops.push(inventorySetQuantitiesOp(this.#env.features, quantities, this.#env.inventoryReason, this.#env.newKey()));
      batches.push(slice);
    }
    const results = await this.#run(ops);
    results.forEach((r, i) => {
      const slice = batches[i]!;
      if (r.status === 'unsent' || r.status === 'uncertain') {
        for (const d of slice) this.#hold(d.e.item!);
        return;
      }
      if (r.status === 'error') {
        for (const d of slice) this.#fail(d.e.item!, r.errors);
        return;
      }
      const errors = (r.data as { userErrors: Array<{ code?: string | null; field?: string[] | null; message: string }> }).userErrors;
      const byIndex = new Map<number, ItemError[]>();
      const whole: ItemError[] = [];
      const notStocked = new Set<number>();
      for (const u of errors) {
        const f = u.field ?? [];
        const index = f[0] === 'input' && f[1] === 'quantities' && f[2] !== undefined && /^\d+$/.test(f[2]) ? Number(f[2]) : undefined;
        if (index === undefined || index >= slice.length) whole.push(userError(u));
        else if (u.code === 'ITEM_NOT_STOCKED_AT_LOCATION') notStocked.add(index);
        else byIndex.set(index, [...(byIndex.get(index) ?? []), userError(u)]);
      }
      slice.forEach((d, j) => {
        const errs = [...whole, ...(byIndex.get(j) ?? [])];
        if (errs.length) this.#fail(d.e.item!, errs);
        else if (notStocked.has(j)) activate.push({ e: d.e, quantity: d.quantity });
        else stocked.add(d.e);
      });
    });
    // Items not stocked at the connector's location yet: stock them there, with their quantity.
    const activated = await this.#run(activate.map((a) => inventoryActivateOp(a.e.inventoryItemId!, location, a.quantity)));
    activated.forEach((r, i) => {
      const { e } = activate[i]!;
      if (r.status === 'ok') {
        const errs = (r.data as { userErrors: Array<{ field?: string[] | null; message: string }> }).userErrors;
        if (errs.length) this.#fail(e.item!, userErrors(errs, 'The store did not stock the item.'));
        else stocked.add(e);
      } else if (r.status === 'error') this.#fail(e.item!, r.errors);
      else this.#hold(e.item!);
    });
    for (const e of stocked) e.stockInitialized = true;
  }

  // ——— deletions ———

  async #deletions(): Promise<void> {
    // Products: archived, so that orders keep them.
    const products = this.#active('delete', 'product');
    const targets = new Map<string, Group>();
    for (const item of products) {
      const g = this.#newGroup(item.ref);
      g.deleteItems = [item];
      if (g.state?.data) g.data = g.state.data;
      if (!g.id) {
        g.entries = (g.state?.variants ?? []).map((ref) => ({ ref }));
        g.needsLookup = true;
      }
      targets.set(item.ref, g);
    }
    await this.#lookupProducts([...targets.values()].filter((g) => g.needsLookup));
    const archive = products.filter((item) => this.#open(item) && targets.get(item.ref)!.id);
    for (const item of products) if (this.#open(item) && !targets.get(item.ref)!.id) this.#sync(item);
    const archived = await this.#run(archive.map((item) => productArchiveOp(targets.get(item.ref)!.id!)));
    archived.forEach((r, i) => {
      const item = archive[i]!;
      if (r.status === 'ok') {
        const errs = (r.data as { userErrors: Array<{ field?: string[] | null; message: string }> }).userErrors;
        if (errs.length === 0 || errs.every((e) => /not exist|not found/i.test(e.message))) {
          this.#sync(item);
          const s = this.#productState(item.ref) ?? { v: 1 as const, variants: [], foreign: [], collections: {}, archived: false };
          this.#state.write(K.product(item.ref), { ...s, archived: true });
        } else this.#fail(item, userErrors(errs, 'The store did not archive the product.'));
      } else if (r.status === 'error') this.#fail(item, r.errors);
      else this.#hold(item);
    });

    // Categories: their collections are removed.
    const categories = this.#active('delete', 'category');
    const find: CategoryWork[] = [];
    for (const item of categories) {
      const state = this.#categoryState(item.ref);
      const id = this.#state.get(K.id('category', item.ref));
      if (!id && state?.data) find.push({ ref: item.ref, item, data: state.data, state, needsLookup: true, status: 'pending' });
    }
    await this.#lookupCollections(find);
    const remove: Array<{ item: TargetItem; id: string }> = [];
    for (const item of categories) {
      if (!this.#open(item)) continue;
      const id = this.#state.get(K.id('category', item.ref)) ?? find.find((w) => w.item === item)?.id;
      if (id) remove.push({ item, id });
      else {
        this.#sync(item);
        this.#forgetCategory(item.ref);
      }
    }
    const removed = await this.#run(remove.map((x) => collectionDeleteOp(x.id)));
    removed.forEach((r, i) => {
      const { item } = remove[i]!;
      if (r.status === 'ok') {
        const errs = (r.data as { userErrors: Array<{ field?: string[] | null; message: string }> }).userErrors;
        if (errs.length === 0 || errs.every((e) => /not exist|not found/i.test(e.message))) {
          this.#sync(item);
          this.#forgetCategory(item.ref);
        } else this.#fail(item, userErrors(errs, 'The store did not delete the collection.'));
      } else if (r.status === 'error') this.#fail(item, r.errors);
      else this.#hold(item);
    });
  }

  #forgetCategory(ref: string): void {
    this.#state.set(K.id('category', ref), null);
    this.#state.set(K.category(ref), null);
  }

  #forgetVariant(ref: string, parent: string): void {
    if (this.#variantState(ref)?.parentRef !== parent) return;
    this.#state.set(K.id('variant', ref), null);
    this.#state.set(K.variant(ref), null);
  }

  // ——— the end of a push ———

  /** Outcomes of products and variants, and the state the next push starts from. */
  #finalize(): void {
    for (const g of this.#groups.values()) {
      if (g.status !== 'ok') continue;
      const entries = g.entries;
      for (const e of entries) {
        if (e.foreign || !e.data) continue;
        const prior = this.#variantState(e.ref);
        const data = e.reverted ? e.prev! : e.data;
        const state: VariantState = {
          v: 1,
          parentRef: g.ref,
          data,
          ...(e.inventoryItemId ? { inventoryItemId: e.inventoryItemId } : {}),
          stockInitialized: e.stockInitialized ?? (!e.created && prior?.parentRef === g.ref ? prior.stockInitialized : false),
        };
        this.#state.write(K.variant(e.ref), state);
        if (e.id) this.#state.set(K.id('variant', e.ref), e.id);
        if (e.item) {
          const stockDue = e.data.stock !== undefined && !state.stockInitialized && !e.reverted;
          if (stockDue && this.#open(e.item)) this.#hold(e.item);
          else this.#sync(e.item, e.id);
        }
      }
      for (const ref of g.removed) this.#forgetVariant(ref, g.ref);
      for (const d of g.deleteItems) this.#sync(d);
      if (g.item) this.#sync(g.item, g.id);
      if (g.id && this.#state.get(K.awaiting(g.ref)) !== undefined) this.#state.set(K.awaiting(g.ref), null);
      const base: ProductState = g.state ?? { v: 1, variants: [], foreign: [], collections: {}, archived: false };
      const next: ProductState = {
        ...base,
        variants: entries.filter((e) => !e.foreign).map((e) => e.ref),
        foreign: entries.filter((e) => e.foreign).map((e) => ({ id: e.id!, ...(e.foreign!.sku !== undefined ? { sku: e.foreign!.sku } : {}), options: e.foreign!.options })),
        collections: g.collections ?? base.collections,
        archived: g.needsSet ? (g.data?.status ?? (base.archived ? 'active' : undefined)) === 'archived' : base.archived,
      };
      if (g.data) next.data = g.data;
      if (entries.length === 0 && g.defaultVariantId) next.defaultVariantId = g.defaultVariantId;
      else delete next.defaultVariantId;
      // The store answered (or nothing was sent): this record is what it has.
      delete next.unconfirmed;
      this.#state.write(K.product(g.ref), next);
    }
  }
}

function userError(u: { code?: string | null; field?: string[] | null; message: string }): ItemError {
  const e: ItemError = { message: u.message };
  if (u.code) e.code = u.code;
  if (u.field?.length) e.field = [...u.field];
  return e;
}

function userErrors(list: ReadonlyArray<{ code?: string | null; field?: string[] | null; message: string }>, fallback: string): ItemError[] {
  return list.length ? list.map(userError) : [{ message: fallback }];
}

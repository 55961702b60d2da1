/**
 * Shared by the reliability tests (docs/reliability.md): the store as a comparable value, the
 * item statuses as one record, and engines wired to the simulator with short, fast settings.
 */
import type { ChildProcess } from 'node:child_process';
import { SyncEngine, type EngineTuning, type StorageAdapter, type SyncEvent } from '@shopsync/core';
import type { ShopifyTarget, ShopifyTargetOptions } from '@shopsync/shopify';
import type { ShopifySimulator, SimulatorOptions } from '@shopsync/shopify/simulator';
import { startSim, targetFor } from '../../packages/adapters/shopify/test/helpers.js';

export { category, OTHER_TOKEN, product, remove, TOKEN, variant } from '../../packages/adapters/shopify/test/helpers.js';

/** Client retries: 3 attempts in all, a few milliseconds apart. */
export const RETRY = { maxAttempts: 3, baseMs: 1, maxMs: 5 } as const;
/** The client gives up on a request after this long (a "hang" holds it for longer). */
export const TIMEOUT_MS = 200;
/** Failed iterations in a row before a run ends with `exhausted`. */
export const MAX_FAILED = 2;

export function simulator(options: Partial<SimulatorOptions> = {}): Promise<ShopifySimulator> {
  return startSim({ hangMs: 2_000, ...options });
}

export function shopifyTarget(sim: ShopifySimulator, options: Partial<ShopifyTargetOptions> = {}): ShopifyTarget {
  return targetFor(sim, { requestTimeoutMs: TIMEOUT_MS, retry: { ...RETRY }, ...options });
}

export interface EngineSetup extends Partial<EngineTuning> {
  storage?: StorageAdapter;
  apiVersion?: string;
  overwriteStock?: boolean;
  includeEmptyCategories?: boolean;
  shopDomain?: string;
}

export function engineOn(sim: ShopifySimulator, target: ShopifyTarget, setup: EngineSetup = {}): SyncEngine {
  const { storage, apiVersion = '2025-01', overwriteStock = false, includeEmptyCategories = false, shopDomain = sim.shopDomain, ...tuning } = setup;
  return new SyncEngine({
    connector: { id: 'store', shopDomain, apiVersion, overwriteStock, includeEmptyCategories },
    target,
    ...(storage ? { storage } : {}),
    batchSize: 50,
    maxFailedIterations: MAX_FAILED,
    retryBackoff: { baseMs: 0, maxMs: 0 },
    ...tuning,
  });
}

/** A product as the host sent it, as the store keeps it (ids left out). */
export interface ProductView {
  handle: string;
  title: string;
  status: string;
  collections: string[];
  variants: Array<{ sku: string | null; price: string; stock: number | undefined }>;
}

export interface StoreView {
  products: ProductView[];
  collections: Array<{ handle: string; title: string; products: string[] }>;
}

/** What the store holds, in a stable order, stock at the primary location. Twins would show. */
export function storeView(sim: ShopifySimulator): StoreView {
  const snap = sim.snapshot();
  const primary = sim.primaryLocationId;
  const handleOf = new Map(snap.products.map((p) => [p.id, p.handle]));
  return {
    products: snap.products
      .map((p) => ({
        handle: p.handle,
        title: p.title,
        status: p.status,
        collections: [...p.collections].sort(),
        variants: p.variants.map((v) => ({ sku: v.sku, price: v.price, stock: v.stock[primary] })).sort((a, b) => String(a.sku).localeCompare(String(b.sku))),
      }))
      .sort((a, b) => a.handle.localeCompare(b.handle)),
    collections: snap.collections
      .map((c) => ({ handle: c.handle, title: c.title, products: c.productIds.map((id) => handleOf.get(id) ?? id).sort() }))
      .sort((a, b) => a.handle.localeCompare(b.handle)),
  };
}

/** Every item status as `entity:ref -> pending|complete|error`. */
export async function itemStates(engine: SyncEngine): Promise<Record<string, string>> {
  const out: Array<[string, string]> = [];
  for (let offset = 0; ; offset += 1_000) {
    const page = await engine.queryItems({ offset, limit: 1_000 });
    for (const i of page.items) out.push([`${i.entity}:${i.ref}`, i.status]);
    if (page.items.length < 1_000) break;
  }
  return Object.fromEntries(out.sort(([a], [b]) => a.localeCompare(b)));
}

/** The event's general errors as `[code, httpStatus]` pairs, in order. */
export const generalErrors = (e: SyncEvent): Array<[string, number | undefined]> => e.generalErrors.map((g) => [g.code, g.httpStatus]);

/** Items synced, failed and skipped over the event's iterations. */
export function totals(e: SyncEvent): { synced: number; failed: number; skipped: number } {
  const sum = (k: 'synced' | 'failed' | 'skipped') => e.iterations.reduce((n, it) => n + it[k].categories + it[k].products + it[k].variants, 0);
  return { synced: sum('synced'), failed: sum('failed'), skipped: sum('skipped') };
}

/**
 * Reads a worker process's output as the crash tests' workers print it: every stdout line that
 * starts with `{` is a JSON record pushed to `into.lines`; stdout and stderr are kept whole in
 * `into.output`, for failure messages.
 */
export function readWorkerLines<L>(child: ChildProcess, into: { lines: L[]; output: string }): void {
  let partial = '';
  child.stdout!.on('data', (d: Buffer) => {
    into.output += d;
    const parts = (partial + d.toString()).split('\n');
    partial = parts.pop()!;
    for (const p of parts) if (p.startsWith('{')) into.lines.push(JSON.parse(p) as L);
  });
  child.stderr!.on('data', (d: Buffer) => (into.output += d));
}

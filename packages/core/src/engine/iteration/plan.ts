/**
 * An iteration's first phase: of the items leased, which the store already has as they are
 * (skipped without a call) and which to push. Pure.
 */
import { stableHash } from '../../hash.js';
import type { QueueEntry } from '../../schemas/queue.js';
import type { TargetItem } from '../../target.js';

/** What decides whether the store already has an item as it is: its data, parent and language. */
export function itemHash(entry: QueueEntry, language: string): string {
  const c = entry.change;
  return stableHash({ entity: c.entity, parentRef: 'parentRef' in c ? c.parentRef : undefined, data: 'data' in c ? c.data : undefined, language });
}

/** The keys whose last synced hash must be read to plan: upserts not forced. */
export function keysToCompare(leased: readonly QueueEntry[]): string[] {
  return leased.filter((e) => e.change.op === 'upsert' && !e.force).map((e) => e.key);
}

/** An iteration's plan. */
export interface IterationPlan {
  /** Upserts whose hash equals the last synced one: completed without reaching the store. */
  unchanged: QueueEntry[];
  /** Everything else, as the target takes it. */
  toPush: TargetItem[];
  /** The hash of every upsert leased, to remember once it is synced. */
  hashes: Map<string, string>;
}

/** Splits the leased items by whether the store already has them (`synced`: last synced hashes by key). */
export function planIteration(leased: readonly QueueEntry[], synced: ReadonlyMap<string, string>, language: string): IterationPlan {
  const plan: IterationPlan = { unchanged: [], toPush: [], hashes: new Map() };
  for (const e of leased) {
    if (e.change.op === 'upsert') plan.hashes.set(e.key, itemHash(e, language));
    if (e.change.op === 'upsert' && !e.force && synced.get(e.key) === plan.hashes.get(e.key)) plan.unchanged.push(e);
    else plan.toPush.push({ key: e.key, entity: e.entity, ref: e.ref, op: e.change.op, change: e.change, force: e.force });
  }
  return plan;
}

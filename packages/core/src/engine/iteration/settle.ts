/**
 * An iteration's last phase before its commit: from the items leased, the plan and the target's
 * answer, what became of each item (its status, counts, hash to remember), the general errors
 * to record and the log lines to write. Pure: the engine commits what this returns.
 */
import { remoteText } from '../../logs/redact.js';
import { ENTITY_PLURAL, SCHEMA_VERSION, zeroCounts, type EntityCounts } from '../../schemas/common.js';
import type { GeneralError, Iteration, SyncEvent } from '../../schemas/event.js';
import type { ItemStatus } from '../../schemas/item.js';
import type { LogEntry } from '../../schemas/log.js';
import type { QueueEntry } from '../../schemas/queue.js';
import type { PushResult } from '../../target.js';
import { ENGINE_ERRORS, generalError, isRepeatedWarning } from '../general-errors.js';
import { iterationSentence, logEntry, skippedSentence } from '../log-lines.js';
import type { IterationPlan } from './plan.js';

/** Everything an iteration's outcome depends on. */
export interface SettleInput {
  /** The event as it stood when the iteration began. */
  event: SyncEvent;
  leased: readonly QueueEntry[];
  plan: IterationPlan;
  /** The items' statuses before this iteration, by key. */
  previous: ReadonlyMap<string, ItemStatus>;
  /** The target's answer (empty when nothing was pushed; a general error when the push threw). */
  result: PushResult;
  /** Lines the target logged while pushing. */
  notes: readonly LogEntry[];
  /** ISO instants. */
  startedAt: string;
  endedAt: string;
}

/** A hash to remember (an upsert synced) or forget (a deletion synced). */
export interface HashUpdate {
  key: string;
  hash: string | null;
}

/**
 * What the iteration comes to:
 * - `recorded`: some items have an outcome; the iteration joins the event's history;
 * - `waiting`: every item pushed is still being processed by the store (and nothing else went
 *   wrong): the lease is released whole and the run looks again after `waitMs`;
 * - `failed`: nothing proceeded; the items stay queued and the run counts a failed attempt.
 */
export type Settlement =
  | { kind: 'recorded'; iteration: Iteration; items: ItemStatus[]; hashes: HashUpdate[]; generalErrors: GeneralError[]; logs: LogEntry[] }
  | { kind: 'waiting'; waitMs: number; generalErrors: GeneralError[]; logs: LogEntry[] }
  | { kind: 'failed'; generalErrors: GeneralError[]; logs: LogEntry[] };

function add(counts: EntityCounts, entity: QueueEntry['entity']): void {
  counts[ENTITY_PLURAL[entity]] += 1;
}

/** The item's errors as stored: remote text scrubbed and bounded, never empty. */
function itemErrors(errors: ReadonlyArray<{ message: string; code?: string; field?: ReadonlyArray<string | number> }>): ItemStatus['errors'] {
  return (errors.length ? errors : [{ message: 'The store rejected this item without saying why.' }]).map((err) => {
    const clean: ItemStatus['errors'][number] = { message: remoteText(err.message) };
    if (err.code !== undefined) clean.code = remoteText(err.code, 200);
    if (err.field !== undefined) clean.field = err.field.map((f) => remoteText(String(f), 200));
    return clean;
  });
}

/** Settles an iteration. */
export function settleIteration(input: SettleInput): Settlement {
  const { event, plan, previous, result, startedAt, endedAt } = input;
  const index = event.iterations.length + 1;
  const byKey = new Map(input.leased.map((e) => [e.key, e]));
  const synced = zeroCounts();
  const failed = zeroCounts();
  const skipped = zeroCounts();
  const items: ItemStatus[] = [];
  const hashes: HashUpdate[] = [];
  const logs: LogEntry[] = [...input.notes];
  const done = new Set<string>();
  const line = (level: LogEntry['level'], message: string, context: Parameters<typeof logEntry>[4] = {}) =>
    logs.push(logEntry(event.id, endedAt, level, message, { iteration: index, ...context }));

  const base = (e: QueueEntry): ItemStatus => {
    const s: ItemStatus = {
      v: SCHEMA_VERSION,
      entity: e.entity,
      ref: e.ref,
      op: e.change.op,
      status: 'complete',
      errors: [],
      syncEventId: event.id,
      updatedAt: endedAt,
      consecutiveFailures: 0,
    };
    if ('parentRef' in e.change && e.change.parentRef !== undefined) s.parentRef = e.change.parentRef;
    const shopifyId = previous.get(e.key)?.shopifyId;
    if (shopifyId !== undefined && e.change.op === 'upsert') s.shopifyId = shopifyId;
    return s;
  };

  for (const e of plan.unchanged) {
    done.add(e.key);
    add(skipped, e.entity);
    items.push({ ...base(e), skipped: 'unchanged' });
  }
  let waitMs: number | undefined;
  for (const o of result.outcomes) {
    const e = byKey.get(o.key);
    if (!e || done.has(o.key)) continue;
    done.add(o.key);
    if (o.status === 'waiting') {
      // No status: the item stays queued (and pending) until the target knows its outcome.
      waitMs = Math.min(waitMs ?? Infinity, Number.isFinite(o.retryAfterMs) ? o.retryAfterMs : 1_000);
      continue;
    }
    const s = base(e);
    if (o.status === 'synced') {
      add(synced, e.entity);
      if (o.shopifyId !== undefined) s.shopifyId = remoteText(o.shopifyId, 255);
      hashes.push({ key: e.key, hash: e.change.op === 'upsert' ? plan.hashes.get(e.key)! : null });
    } else if (o.status === 'skipped') {
      add(skipped, e.entity);
      s.skipped = o.reason;
      // An empty category waits for a product: the queue sends it again with the first that names it.
      if (o.reason === 'empty_category') s.change = e.change;
      line('info', skippedSentence(o.reason), { entity: e.entity, ref: e.ref, code: o.reason });
    } else {
      add(failed, e.entity);
      const p = previous.get(e.key);
      s.status = 'error';
      s.errors = itemErrors(o.errors);
      // Failures in a row count once per event: an item tried again within the same event stays at its count.
      s.consecutiveFailures = p?.syncEventId === event.id ? Math.max(1, p.consecutiveFailures) : (p?.consecutiveFailures ?? 0) + 1;
      s.change = e.change;
      const code = s.errors[0]?.code;
      line('error', s.errors.map((x) => x.message).join('; '), { entity: e.entity, ref: e.ref, ...(code !== undefined ? { code } : {}) });
    }
    items.push(s);
  }

  const generalErrors: GeneralError[] = [];
  for (const g of result.generalErrors) {
    if (isRepeatedWarning(g, [...event.generalErrors, ...generalErrors])) continue;
    const error = generalError(g, endedAt, index);
    generalErrors.push(error);
    line(error.severity === 'warning' ? 'warn' : 'error', error.message, { code: error.code });
  }

  if (items.length === 0 && waitMs !== undefined && generalErrors.every((g) => g.severity === 'warning')) {
    return { kind: 'waiting', waitMs, generalErrors, logs };
  }
  if (items.length === 0) {
    if (generalErrors.length === 0) {
      const error = generalError(ENGINE_ERRORS.noResult(plan.toPush.length), endedAt, index);
      generalErrors.push(error);
      line('error', error.message, { code: error.code });
    }
    return { kind: 'failed', generalErrors, logs };
  }
  const iteration: Iteration = { index, startedAt, endedAt, synced, failed, skipped };
  line('info', iterationSentence(index, synced, failed, skipped));
  return { kind: 'recorded', iteration, items, hashes, generalErrors, logs };
}

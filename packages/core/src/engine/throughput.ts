import { totalOf } from '../schemas/common.js';
import type { SyncEvent } from '../schemas/event.js';

/** How fast a running sync event goes and how long the rest would take: the panel's pace and time-remaining line. */
export interface Throughput {
  /** Items finished so far in this event (synced, failed or skipped). */
  processed: number;
  /** Items still pending. */
  remaining: number;
  /** Finished items per second of iteration time so far; null before the first iteration ends. */
  itemsPerSecond: number | null;
  /** Estimated milliseconds until the queue is drained at that pace; null when unknown. */
  etaMs: number | null;
}

/**
 * The pace of an event so far and the time it would need for what remains. Paused time does
 * not count: the rate is measured over the iterations' own durations and the pauses between them.
 */
export function estimateRemaining(event: SyncEvent): Throughput {
  let processed = 0;
  let busyMs = 0;
  for (const it of event.iterations) {
    processed += totalOf(it.synced) + totalOf(it.failed) + totalOf(it.skipped);
    busyMs += Math.max(1, Date.parse(it.endedAt) - Date.parse(it.startedAt));
  }
  const remaining = totalOf(event.pending);
  if (processed === 0 || busyMs === 0) return { processed, remaining, itemsPerSecond: null, etaMs: remaining === 0 ? 0 : null };
  const itemsPerSecond = (processed * 1000) / busyMs;
  return { processed, remaining, itemsPerSecond, etaMs: Math.round((remaining / itemsPerSecond) * 1000) };
}

/**
 * The run's log, sentence by sentence: every line the engine itself writes to a sync event's log
 * is made here, so what a user reads in a downloaded log is found in one file.
 */
import { remoteText } from '../logs/redact.js';
import { SCHEMA_VERSION, totalOf, type EntityCounts } from '../schemas/common.js';
import type { SyncTrigger } from '../schemas/event.js';
import type { LogEntry } from '../schemas/log.js';

/** Where a line belongs besides its event: an iteration, an item, a code. */
export type LogContext = Partial<Pick<LogEntry, 'iteration' | 'entity' | 'ref' | 'code'>>;

/** One log line of event `eventId` at `at` (ISO). The message is scrubbed of secrets: remote text is data. */
export function logEntry(eventId: string, at: string, level: LogEntry['level'], message: string, context: LogContext = {}): LogEntry {
  return { v: SCHEMA_VERSION, at, level, eventId, ...context, message: remoteText(message) };
}

/** The first line of a new event. */
export function startedSentence(trigger: SyncTrigger, pending: EntityCounts): string {
  return `Synchronization started (${trigger}) with ${pending.categories} categories, ${pending.products} products and ${pending.variants} variants pending.`;
}

/** Why an event goes on: its turn came again, its process had stopped, or the connector was enabled. */
export function resumedSentence(why: 'yielded' | 'interrupted' | 'enabled'): string {
  if (why === 'yielded') return 'Synchronization resumed in its turn.';
  if (why === 'interrupted') return 'Synchronization resumed after the process running it stopped.';
  return 'Connector enabled again: synchronization resumed.';
}

/** The closing line of an iteration. */
export function iterationSentence(index: number, synced: EntityCounts, failed: EntityCounts, skipped: EntityCounts): string {
  return (
    `Iteration ${index}: synchronized ${synced.categories} categories, ${synced.products} products, ${synced.variants} variants; ` +
    `${totalOf(failed)} failed; ${totalOf(skipped)} skipped.`
  );
}

/** An item the target completed without writing it. */
export function skippedSentence(reason: string): string {
  return `Skipped: ${reason.replace(/_/g, ' ')}.`;
}

export const PAUSED_SENTENCE = 'Connector disabled: synchronization paused. It resumes when the connector is enabled again.';

/** A fleet runner gave the slot away between two iterations. */
export function yieldedSentence(iterations: number): string {
  return `Synchronization gave its turn to other stores after ${iterations} iterations; it goes on in this event in its next turn.`;
}

/** The last line of an event that ended (drained or stopped). */
export function endedSentence(iterations: number, generalErrors: number): string {
  return `Synchronization ended after ${iterations} iterations with ${generalErrors} general errors.`;
}

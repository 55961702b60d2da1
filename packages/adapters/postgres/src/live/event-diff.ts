/**
 * What happened to a sync event between two snapshots of it, as the SourceChanges an engine in
 * the same process would have emitted: a pure function, so that a source that only reads the
 * storage (after a notification, or after a reconnection) tells the same story as one that
 * listens to the engine.
 */
import type { SourceChange, SyncEvent, SyncStatus } from '@shopsync/core';
import type { RunState } from '@shopsync/core/internal';

/** One edge of the status machine an event went through. */
export interface StatusStep {
  previous: RunState;
  status: SyncStatus;
}

/**
 * Every status an event has been in, in order, as a snapshot of it shows: its status and how
 * many times it was paused say it all, because the status machine allows one path only
 * (starting → in_progress, then paused → in_progress once per pause, then completed or paused;
 * or starting → error). A later snapshot's history extends an earlier one's.
 */
export function statusHistory(event: SyncEvent): RunState[] {
  if (event.status === 'error') return ['starting', 'error'];
  const history: RunState[] = ['starting', 'in_progress'];
  for (let i = 0; i < event.pausedAt.length; i++) history.push('paused', 'in_progress');
  if (event.status === 'paused') {
    if (history.at(-1) === 'in_progress' && event.pausedAt.length > 0) history.pop();
    else history.push('paused');
  } else if (event.status === 'completed') history.push('completed');
  return history;
}

/** The status changes from `prev` (undefined: the event was not known, so `starting`) to `next`. */
export function statusSteps(prev: SyncEvent | undefined, next: SyncEvent): StatusStep[] {
  const history = statusHistory(next);
  const from = prev ? statusHistory(prev).length - 1 : 0;
  const steps: StatusStep[] = [];
  for (let i = from; i + 1 < history.length; i++) steps.push({ previous: history[i]!, status: history[i + 1] as SyncStatus });
  return steps;
}

/**
 * The changes from `prev` to `next`, in the order an engine emits them: general errors,
 * iterations and logs becoming available after the status change that let the run go on (the
 * last one into `in_progress`), before the ones that ended or paused it. Every change carries
 * its own copy of `next`, the event as it stands now.
 */
export function diffEvent(prev: SyncEvent | undefined, next: SyncEvent): SourceChange[] {
  const connectorId = next.connectorId;
  const eventId = next.id;
  const steps = statusSteps(prev, next);
  const status = steps.map(
    (s): SourceChange => ({ type: 'statusChanged', connectorId, eventId, status: s.status, previous: s.previous, event: structuredClone(next) }),
  );
  const body: SourceChange[] = [];
  for (const error of next.generalErrors.slice(prev?.generalErrors.length ?? 0)) {
    body.push({ type: 'generalError', connectorId, eventId, error: structuredClone(error) });
  }
  for (const iteration of next.iterations.slice(prev?.iterations.length ?? 0)) {
    body.push({ type: 'iterationCompleted', connectorId, eventId, iteration: structuredClone(iteration), event: structuredClone(next) });
  }
  if (next.logsAvailable && !prev?.logsAvailable) body.push({ type: 'logsAvailable', connectorId, eventId });
  let split = 0;
  steps.forEach((s, i) => {
    if (s.status === 'in_progress') split = i + 1;
  });
  return [...status.slice(0, split), ...body, ...status.slice(split)];
}

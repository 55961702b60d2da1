import { IllegalTransitionError } from '../errors/illegal-transition-error.js';
import type { SyncStatus } from '../schemas/event.js';

/** Before the connection is checked the event has no status yet: it is `starting`. */
export type RunState = 'starting' | SyncStatus;

export type StatusAction =
  /** The target accepted the connection: the run begins. */
  | { type: 'connected' }
  /** The target could not be reached or refused the credentials. */
  | { type: 'connectFailed' }
  /** The queue is empty: nothing left for this event. */
  | { type: 'drained' }
  /** The connector was disabled mid-run. */
  | { type: 'disabled' }
  /** The connector was enabled again: the same event resumes. */
  | { type: 'enabled' }
  /** The run was stopped (abort signal, or nothing could proceed): it ends early, items stay queued. */
  | { type: 'stopped' };

export type StatusActionType = StatusAction['type'];

const TRANSITIONS: Readonly<Record<RunState, Partial<Record<StatusActionType, SyncStatus>>>> = {
  starting: { connected: 'in_progress', connectFailed: 'error' },
  in_progress: { drained: 'completed', disabled: 'paused', stopped: 'completed' },
  paused: { enabled: 'in_progress' },
  completed: {},
  error: {},
};

/** The status state machine: a pure function. An action the state does not allow throws. */
export function transition(state: RunState, action: StatusAction): SyncStatus {
  const next = TRANSITIONS[state][action.type];
  if (next === undefined) throw new IllegalTransitionError(state, action.type);
  return next;
}

export function canTransition(state: RunState, action: StatusActionType): boolean {
  return TRANSITIONS[state][action] !== undefined;
}

/** Statuses that no action leaves. */
export function isTerminal(status: RunState): boolean {
  return Object.keys(TRANSITIONS[status]).length === 0;
}

export const STATUS_ACTIONS: readonly StatusActionType[] = ['connected', 'connectFailed', 'drained', 'disabled', 'enabled', 'stopped'];
export const RUN_STATES: readonly RunState[] = ['starting', 'in_progress', 'completed', 'error', 'paused'];

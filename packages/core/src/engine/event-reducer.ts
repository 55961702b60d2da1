/**
 * A sync event's life as a pure reducer: `(event, action) → event`. The engine dispatches one
 * action per fact of the run and saves what comes back; nothing here touches storage, a clock
 * or a listener, and the event given is never changed (a commit that fails leaves the previous
 * event as it was: nothing to roll back).
 *
 * Status changes go through the status state machine (`status/machine.ts`), so an action the
 * event's status does not allow throws IllegalTransitionError instead of being ignored.
 */
import { IllegalTransitionError } from '../errors/illegal-transition-error.js';
import { SCHEMA_VERSION, type EntityCounts } from '../schemas/common.js';
import type { ConfigSnapshot, GeneralError, Iteration, SyncEvent, SyncTrigger } from '../schemas/event.js';
import { canTransition, transition, type RunState, type StatusActionType } from '../status/machine.js';
import type { ConnectInfo } from '../target.js';
import { remoteText } from '../logs/redact.js';

/** What the store said about itself when the run connected, as the event's snapshot keeps it. */
export type ShopFacts = Pick<ConnectInfo, 'servedApiVersion' | 'deprecationReason' | 'translationLanguages' | 'locationIds'>;

/** The facts of a run, in the past tense. Instants are ISO 8601. */
export type EventAction =
  /** The store accepted the connection of a new event: the run begins, and the snapshot is completed and frozen. */
  | { type: 'connected'; shop: ShopFacts }
  /** A new event could not connect: it ends in Error with the reason. */
  | { type: 'connectFailed'; at: string; error: GeneralError }
  /** A paused event, or one left In Progress by a stopped process, goes on. */
  | { type: 'resumed'; at: string }
  /** A problem of the run as a whole. */
  | { type: 'generalErrorRecorded'; error: GeneralError }
  /** An iteration was acknowledged: it joins the history and logs can be downloaded. */
  | { type: 'iterationRecorded'; iteration: Iteration }
  /** The queue was counted again (changes arrived, or a commit told what it left). */
  | { type: 'pendingCounted'; pending: EntityCounts }
  /** The connector was disabled mid-run. */
  | { type: 'paused'; at: string; pending: EntityCounts }
  /** A fleet runner gave the slot to other stores: the event stays In Progress, to be resumed. */
  | { type: 'yielded'; at: string; pending: EntityCounts }
  /** The run is over: the queue was drained, or the run was stopped early (items left queued). */
  | { type: 'ended'; at: string; reason: 'drained' | 'stopped'; pending?: EntityCounts };

/** What a new event starts from. */
export interface NewEvent {
  id: string;
  connectorId: string;
  trigger: SyncTrigger;
  startedAt: string;
  pending: EntityCounts;
  config: ConfigSnapshot;
}

/**
 * A sync event as it is before its connection is checked. Its status reads In Progress, but it
 * is not saved or shown until `connected` or `connectFailed` settles it.
 */
export function newEvent(init: NewEvent): SyncEvent {
  return {
    v: SCHEMA_VERSION,
    id: init.id,
    connectorId: init.connectorId,
    status: 'in_progress',
    trigger: init.trigger,
    startedAt: init.startedAt,
    pending: { ...init.pending },
    generalErrors: [],
    config: init.config,
    iterations: [],
    logsAvailable: false,
    pausedAt: [],
    resumedAt: [],
  };
}

/** The status after `step` from `from`; an illegal step throws, naming the fact that asked for it. */
function statusAfter(from: RunState, step: StatusActionType, fact: EventAction['type']): SyncEvent['status'] {
  if (!canTransition(from, step)) throw new IllegalTransitionError(from, fact);
  return transition(from, { type: step });
}

function requireInProgress(event: SyncEvent, action: EventAction['type']): void {
  if (event.status !== 'in_progress') throw new IllegalTransitionError(event.status, action);
}

function deepFreeze<T extends object>(o: T): T {
  for (const v of Object.values(o)) if (v && typeof v === 'object') deepFreeze(v as object);
  return Object.freeze(o);
}

/** The snapshot as the store completed it: the version it served, its languages, its locations. */
function completeSnapshot(config: ConfigSnapshot, shop: ShopFacts): ConfigSnapshot {
  const apiVersion = { ...config.apiVersion };
  if (shop.servedApiVersion) apiVersion.served = shop.servedApiVersion;
  if (shop.deprecationReason) apiVersion.deprecationReason = remoteText(shop.deprecationReason, 2_000);
  const next: ConfigSnapshot = { ...config, apiVersion };
  if (shop.translationLanguages) next.translations = [...shop.translationLanguages];
  if (config.locations) {
    next.locations = config.locations.map((l) => {
      const id = shop.locationIds?.[l.warehouse];
      return id ? { ...l, id } : { ...l };
    });
  }
  // Frozen for the life of the event: what it ran with, whatever the connector becomes.
  return deepFreeze(next);
}

/** The event after `action`. Pure: `event` is not changed. */
export function reduceEvent(event: SyncEvent, action: EventAction): SyncEvent {
  switch (action.type) {
    case 'connected':
      return { ...event, status: statusAfter('starting', 'connected', action.type), config: completeSnapshot(event.config, action.shop) };
    case 'connectFailed':
      return {
        ...event,
        status: statusAfter('starting', 'connectFailed', action.type),
        endedAt: action.at,
        generalErrors: [...event.generalErrors, action.error],
      };
    case 'resumed': {
      const status = event.status === 'paused' ? statusAfter('paused', 'enabled', action.type) : event.status;
      if (status !== 'in_progress') throw new IllegalTransitionError(event.status, action.type);
      const { endedAt: _ended, ...rest } = event;
      return { ...rest, status, resumedAt: [...event.resumedAt, action.at] };
    }
    case 'generalErrorRecorded':
      return { ...event, generalErrors: [...event.generalErrors, action.error] };
    case 'iterationRecorded':
      requireInProgress(event, action.type);
      return { ...event, iterations: [...event.iterations, action.iteration], logsAvailable: true };
    case 'pendingCounted':
      return { ...event, pending: { ...action.pending } };
    case 'paused':
      return {
        ...event,
        status: statusAfter(event.status, 'disabled', action.type),
        pending: { ...action.pending },
        pausedAt: [...event.pausedAt, action.at],
      };
    case 'yielded':
      requireInProgress(event, action.type);
      return { ...event, pending: { ...action.pending }, yieldedAt: [...(event.yieldedAt ?? []), action.at] };
    case 'ended':
      return {
        ...event,
        status: statusAfter(event.status, action.reason, action.type),
        endedAt: action.at,
        pending: { ...(action.pending ?? event.pending) },
      };
  }
}

/** Whether a resumed In Progress event had given its turn away (rather than lost its process). */
export function wasYielded(event: SyncEvent): boolean {
  const lastYield = event.yieldedAt?.at(-1);
  return event.status === 'in_progress' && lastYield !== undefined && (event.resumedAt.at(-1) ?? '') < lastYield;
}

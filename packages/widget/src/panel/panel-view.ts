// What <shopsync-panel> shows, as a value, and the one pure function that changes it. The element
// does the I/O (subscribes, reads) and feeds every change and every read result to
// `reducePanelView`; nothing else writes the view. No DOM and no Lit here: tested alone in Node.
import type { ConnectorState, SourceChange, SyncEvent, SyncStatus } from '@shopsync/core';

/** A change of status of the event shown, to announce and to tell the host (a new value for each). */
export interface PanelStatusChange {
  readonly eventId: string;
  readonly status: SyncStatus;
  readonly previous: SyncStatus | 'starting';
}

/** Everything the panel shows that comes from its source. Never mutated: each action makes a new one. */
export interface PanelView {
  /** The event chosen by id (the panel's `eventId`), or `''` to follow the newest event. */
  readonly pinnedId: string;
  /** The event shown. */
  readonly event: SyncEvent | undefined;
  /** The newest event's id, as far as known. */
  readonly latestId: string | undefined;
  /** The connector, as last read or reported. */
  readonly connector: ConnectorState | undefined;
  /** `loading` until the first reads are in (or a live change shows an event); `failed` if they failed. */
  readonly phase: 'idle' | 'loading' | 'ready' | 'failed';
  /** Why the reads failed (`phase` is `failed`). */
  readonly loadError: string;
  /** The last change of status of the event shown, if any. */
  readonly statusChange: PanelStatusChange | undefined;
}

/** Results of the panel's reads, and the host's choice of event: what changes the view besides the source's changes. */
export type PanelRead =
  /** Everything is read again; `quiet` keeps a ready view shown until the results are in (a resync). */
  | { type: 'loadStarted'; quiet: boolean }
  /** The first reads: the connector, the newest event's id, and the event to show. */
  | { type: 'loaded'; connector: ConnectorState; latestId: string | undefined; event: SyncEvent | undefined }
  /** Another event was read to be shown (the host chose one, or went back to the newest). */
  | { type: 'eventLoaded'; event: SyncEvent | undefined }
  | { type: 'loadFailed'; message: string }
  /** The host chose the event to show (`''`: follow the newest). */
  | { type: 'eventChosen'; eventId: string };

/** What `reducePanelView` takes: a change from the source, or a read's result. */
export type PanelAction = SourceChange | PanelRead;

/** The view before anything was read. */
export const INITIAL_PANEL_VIEW: PanelView = {
  pinnedId: '',
  event: undefined,
  latestId: undefined,
  connector: undefined,
  phase: 'idle',
  loadError: '',
  statusChange: undefined,
};

/** The view after `action`. Returns `view` itself when nothing it shows changed. */
export function reducePanelView(view: PanelView, action: PanelAction): PanelView {
  switch (action.type) {
    case 'statusChanged':
    case 'iterationCompleted': {
      const ev = action.event;
      // A run that has just started is the newest event; otherwise the first event heard of may be.
      const latestId = action.type === 'statusChanged' && action.previous === 'starting' ? ev.id : (view.latestId ?? ev.id);
      const shown = view.event?.id === ev.id || (!view.pinnedId && ev.id === latestId);
      if (!shown) return latestId === view.latestId ? view : { ...view, latestId };
      const before = view.event?.id === ev.id ? view.event.status : undefined;
      const statusChange =
        action.type === 'statusChanged' && before !== ev.status ? { eventId: ev.id, status: action.status, previous: action.previous } : view.statusChange;
      return { ...view, latestId, event: ev, phase: 'ready', statusChange };
    }
    case 'pendingChanged':
      return action.eventId !== undefined && view.event?.id === action.eventId ? { ...view, event: { ...view.event, pending: action.pending } } : view;
    case 'generalError': {
      const ev = view.event;
      const e = action.error;
      if (!ev || ev.id !== action.eventId) return view;
      // The same error may be told twice (by a replayed stream): shown once.
      if (ev.generalErrors.some((g) => g.at === e.at && g.code === e.code && g.message === e.message)) return view;
      return { ...view, event: { ...ev, generalErrors: [...ev.generalErrors, e] } };
    }
    case 'logsAvailable':
      return view.event?.id === action.eventId && !view.event.logsAvailable ? { ...view, event: { ...view.event, logsAvailable: true } } : view;
    case 'connectorChanged':
      return { ...view, connector: action.state };
    case 'itemsUpdated':
    case 'changesMissed':
      // Items are the item table's; missed changes make the element read everything again.
      return view;
    case 'loadStarted':
      return action.quiet && view.phase === 'ready' ? view : { ...view, phase: 'loading' };
    case 'loaded':
      return { ...view, connector: action.connector, latestId: action.latestId, event: action.event, phase: 'ready', loadError: '' };
    case 'eventLoaded':
      return { ...view, event: action.event };
    case 'loadFailed':
      return { ...view, phase: 'failed', loadError: action.message };
    case 'eventChosen':
      return action.eventId === view.pinnedId ? view : { ...view, pinnedId: action.eventId };
  }
}

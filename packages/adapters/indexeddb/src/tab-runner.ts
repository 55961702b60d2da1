/**
 * One engine runner per connector across the tabs (and frames) of an origin, with Web Locks
 * (`navigator.locks`): the tab that holds the lock drives the engine; the others wait, observe
 * what the leader broadcasts, and the first of them takes over when the leader goes away (its
 * lock is released by the browser when the tab closes, crashes or navigates).
 * https://developer.mozilla.org/docs/Web/API/Web_Locks_API
 */
import type { EngineEvents, SyncEngine } from '@shopsync/core';

/** What this tab does for the connector: waits for the lock, drives the engine (leader), or has stopped. */
export type RunnerRole = 'waiting' | 'leader' | 'stopped';

/** How a TabRunner makes its engine when it leads, and what it tells the page. */
export interface TabRunnerOptions {
  connectorId: string;
  /** Builds the engine when this tab becomes the leader (over the shared IndexedDB storage). */
  createEngine: () => SyncEngine | Promise<SyncEngine>;
  /** Called once the engine exists, e.g. to start a run that a previous leader left unfinished. */
  onLeader?: (engine: SyncEngine) => void | Promise<void>;
  onRoleChange?: (role: RunnerRole) => void;
  /** Prefix of the lock and channel names. */
  namespace?: string;
}

/** The engine events a leader relays to the other tabs. */
const RELAYED = ['statusChanged', 'iterationCompleted', 'pendingChanged', 'itemsUpdated', 'generalError', 'logsAvailable'] as const;
type Relayed = (typeof RELAYED)[number];
/** An engine event as the leading tab relays it to the others over a BroadcastChannel. */
export interface RelayedMessage<K extends Relayed = Relayed> {
  type: K;
  payload: EngineEvents[K][0];
}

/**
 * One engine per connector across a browser's tabs: the tab holding the connector's Web Lock drives
 * the engine and relays its events; the others wait, observe, and one takes over when the leader goes.
 */
export class TabRunner {
  readonly lockName: string;
  readonly channelName: string;
  #role: RunnerRole = 'waiting';
  #engine: SyncEngine | undefined;
  readonly #stop = new AbortController();
  #release: (() => void) | undefined;
  readonly #done: Promise<void>;
  readonly #options: TabRunnerOptions;

  constructor(options: TabRunnerOptions) {
    this.#options = options;
    const ns = options.namespace ?? 'shopsync';
    this.lockName = `${ns}:runner:${options.connectorId}`;
    this.channelName = `${ns}:events:${options.connectorId}`;
    if (!('locks' in navigator)) throw new Error('Web Locks are not available in this browser: one runner across tabs cannot be ensured.');
    this.#done = navigator.locks
      .request(this.lockName, { mode: 'exclusive', signal: this.#stop.signal }, () => this.#lead())
      .then(() => undefined)
      .catch((err: unknown) => {
        if (!(err instanceof DOMException && err.name === 'AbortError')) throw err;
      });
  }

  get role(): RunnerRole {
    return this.#role;
  }

  /** The engine, while this tab leads. */
  get engine(): SyncEngine | undefined {
    return this.#engine;
  }

  async #lead(): Promise<void> {
    if (this.#stop.signal.aborted) return;
    const engine = await this.#options.createEngine();
    this.#engine = engine;
    const channel = new BroadcastChannel(this.channelName);
    const relays = RELAYED.map((type) => {
      const fn = (payload: unknown) => channel.postMessage({ type, payload });
      engine.on(type, fn as never);
      return () => engine.off(type, fn as never);
    });
    this.#setRole('leader');
    try {
      await this.#options.onLeader?.(engine);
      // Hold the lock until stopped; the browser frees it if the tab goes away.
      await new Promise<void>((resolve) => {
        this.#release = resolve;
        if (this.#stop.signal.aborted) resolve();
      });
    } finally {
      for (const off of relays) off();
      channel.close();
      await engine.dispose();
      this.#engine = undefined;
    }
  }

  #setRole(role: RunnerRole): void {
    this.#role = role;
    this.#options.onRoleChange?.(role);
  }

  /** Gives up the lead (or the wait): another tab may take over. */
  async stop(): Promise<void> {
    this.#stop.abort();
    this.#release?.();
    await this.#done;
    this.#setRole('stopped');
  }
}

/** Listens to what the leading tab's engine does, from any tab. Returns a function that stops listening. */
export function observeConnector(connectorId: string, listener: (message: RelayedMessage) => void, namespace = 'shopsync'): () => void {
  const channel = new BroadcastChannel(`${namespace}:events:${connectorId}`);
  channel.onmessage = (e: MessageEvent<RelayedMessage>) => listener(e.data);
  return () => channel.close();
}

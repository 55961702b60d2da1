/**
 * The engines this process's worker is running, by connector: what a live panel listens to while
 * a run is under way, and what an enable/disable reaches at once. Engines come and go with the
 * fleet's slots (FleetRunner `engineCreated` … `released`).
 */
import type { SyncEngine } from '@shopsync/core';

type Listener = (connectorId: string, engine: SyncEngine | undefined) => void;

/** Engines running in this process (module comment). */
export class EngineDirectory {
  readonly #engines = new Map<string, SyncEngine>();
  readonly #listeners = new Set<Listener>();
  readonly #wakers = new Set<() => void>();

  /** The engine running `connectorId` here now, if any. */
  get(connectorId: string): SyncEngine | undefined {
    return this.#engines.get(connectorId);
  }

  /** A slot made `engine` for `connectorId`. */
  add(connectorId: string, engine: SyncEngine): void {
    this.#engines.set(connectorId, engine);
    this.#tell(connectorId, engine);
  }

  /** The slot of `connectorId` ended. */
  remove(connectorId: string): void {
    if (!this.#engines.delete(connectorId)) return;
    this.#tell(connectorId, undefined);
  }

  /** Calls `listener` whenever an engine comes or goes; returns the unsubscribe. */
  watch(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Registers a runner's wake-up (look for work now); returns the unregister. */
  onWake(wake: () => void): () => void {
    this.#wakers.add(wake);
    return () => this.#wakers.delete(wake);
  }

  /** Asks this process's runners to look for work now (changes queued, a run requested). */
  wakeRunners(): void {
    for (const wake of this.#wakers) wake();
  }

  #tell(connectorId: string, engine: SyncEngine | undefined): void {
    for (const listener of [...this.#listeners]) listener(connectorId, engine);
  }
}

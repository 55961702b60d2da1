import { ShopsyncError, totalOf, type SyncEngine, type SyncTrigger } from '@shopsync/core';
import { ConnectorLock } from './connector-lock.js';
import type { LiveStorage } from './live-storage.js';
import { NotificationHub } from './notification-hub.js';
import { CHANGES_CHANNEL, COMMANDS_CHANNEL, type ConnectorCommand } from '../notify.js';
import { parseChangeNotice, parseCommandNotice } from './notices.js';

/**
 * How `attachWorker` drives its engine: whether changes queued by any process start a run (and after
 * what pause), the LISTEN connection to use, and where to report what it could not do.
 */
export interface AttachWorkerOptions {
  /**
   * Changes queued by any process start a run this long after the last of a burst (default
   * 500 ms); false: runs start only on `start` commands (and whatever the host does). Changes
   * queued while the worker was not listening (at attach, after a reconnection) are looked for
   * the same way.
   */
  startOnEnqueue?: false | { debounceMs: number };
  /** The LISTEN connection; defaults to the storage's shared one (`NotificationHub.for(storage)`). */
  notifications?: NotificationHub;
  /** Told what the worker could not do (a run that failed to start, a command the engine refused). Default: `console.error`. */
  onError?: (err: unknown) => void;
  /** Stops waiting for the connector (another process runs it): `attachWorker` then rejects. */
  signal?: AbortSignal;
}

/** A worker attached to an engine: `close()` stops listening (the engine and storage stay as they are). */
export interface AttachedWorker {
  close(): Promise<void>;
}

/**
 * Makes `engine` the one that runs its connector, for every process that shares its PostgreSQL
 * storage, and makes it answer to them: the panel's actions (`PostgresSyncSource.setEnabled`,
 * retries) and changes queued elsewhere.
 *
 * - One process runs a connector at a time: the worker first takes the connector's lock (a
 *   session advisory lock on a connection of its own). A second process attaching to the same
 *   connector waits, resolving only when the first lets it go: its worker closed, or its process
 *   died (PostgreSQL ends a killed process's sessions at once). Then it resumes the event the
 *   other left In Progress (its leased items count as pending: the worker starts, and starting
 *   resumes it): call neither `engine.recover()` nor `start()` yourself before this resolves.
 *
 * - `shopsync_commands` for `engine.connectorId`: `setEnabled` → `engine.setEnabled` (disabling
 *   pauses a run under way, enabling resumes the paused event); `start` → `engine.start()`,
 *   unless a run is under way: the change joins it, or, if that run was already ending, the
 *   worker starts another once it has ended and changes are still pending.
 * - `shopsync_changes` for the connector: `enqueued` starts a run (debounced, see
 *   `startOnEnqueue`); `connector` applies the registry's enabled flag.
 * - Enabling with no paused event to resume starts a run for the changes queued meanwhile
 *   (with `startOnEnqueue`).
 * - At attach, and after every reconnection (notifications sent meanwhile are lost), the
 *   registry's flag is applied again and pending changes start a run.
 *
 * Commands are applied one at a time, in the order they arrived. Resolves once listening.
 */
export async function attachWorker(engine: SyncEngine, storage: LiveStorage, options: AttachWorkerOptions = {}): Promise<AttachedWorker> {
  const worker = new Worker(engine, storage, options);
  await worker.attach(options.signal);
  return { close: () => worker.close() };
}

class Worker {
  readonly #engine: SyncEngine;
  readonly #storage: LiveStorage;
  readonly #hub: NotificationHub;
  readonly #debounceMs: number | undefined;
  readonly #onError: (err: unknown) => void;
  readonly #closers: Array<() => Promise<void>> = [];
  readonly #lock: ConnectorLock;
  /** Commands and checks, one at a time. */
  #chain: Promise<void> = Promise.resolve();
  #debounce: ReturnType<typeof setTimeout> | undefined;
  /** A start was asked while a run was under way: look for pending changes when it ends. */
  #again = false;
  #waiting = false;
  #closed = false;

  constructor(engine: SyncEngine, storage: LiveStorage, options: AttachWorkerOptions) {
    this.#engine = engine;
    this.#storage = storage;
    this.#hub = options.notifications ?? NotificationHub.for(storage);
    this.#debounceMs = options.startOnEnqueue === false ? undefined : (options.startOnEnqueue?.debounceMs ?? 500);
    this.#onError = options.onError ?? ((err) => console.error('shopsync worker:', err));
    this.#lock = new ConnectorLock(storage.connectionConfig(), storage.schema, engine.connectorId);
  }

  get #connectorId(): string {
    return this.#engine.connectorId;
  }

  async attach(signal?: AbortSignal): Promise<void> {
    const stop = () => void this.#lock.close();
    signal?.addEventListener('abort', stop, { once: true });
    try {
      signal?.throwIfAborted();
      await this.#lock.acquire();
    } finally {
      signal?.removeEventListener('abort', stop);
    }
    signal?.throwIfAborted();
    this.#closers.push(() => this.#lock.close());
    const reconnected = () => this.#enqueue(() => this.#catchUp());
    const commands = this.#hub.listen(COMMANDS_CHANNEL, {
      notify: (payload) => {
        const notice = parseCommandNotice(payload);
        if (notice?.connectorId === this.#connectorId) this.#enqueue(() => this.#apply(notice.command));
      },
      reconnected,
    });
    this.#closers.push(() => commands.close());
    const changes = this.#hub.listen(CHANGES_CHANNEL, {
      notify: (payload) => {
        const notice = parseChangeNotice(payload);
        if (notice?.connectorId !== this.#connectorId) return;
        if (notice.type === 'enqueued') this.#changesArrived();
        else if (notice.type === 'connector') this.#enqueue(() => this.#applyStoredFlag());
      },
      // Both channels share one connection: one catch-up is enough.
      reconnected: () => undefined,
    });
    this.#closers.push(() => changes.close());
    await Promise.all([commands.ready, changes.ready]);
    this.#enqueue(() => this.#catchUp());
    await this.#chain;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#debounce);
    await Promise.all(this.#closers.map((c) => c()));
    await this.#chain;
  }

  #enqueue(task: () => Promise<void>): void {
    this.#chain = this.#chain.then(async () => {
      if (this.#closed) return;
      try {
        await task();
      } catch (err) {
        this.#onError(err);
      }
    });
  }

  async #apply(command: ConnectorCommand): Promise<void> {
    if (command.type === 'setEnabled') await this.#setEnabled(command.enabled);
    else this.#start('manual');
  }

  /**
   * What may have been missed while not listening: the registry's flag, and pending changes
   * (items another process leased and left count as pending: starting resumes the event it left
   * In Progress, and its items return when its leases expire).
   */
  async #catchUp(): Promise<void> {
    await this.#applyStoredFlag();
    if (this.#debounceMs !== undefined && !this.#engine.running) await this.#startIfPending();
  }

  async #applyStoredFlag(): Promise<void> {
    const record = await this.#storage.getConnectorFlag(this.#connectorId);
    if (record) await this.#setEnabled(record.enabled);
  }

  /** Enabling resumes a paused event (the engine does), else runs the changes queued while disabled. */
  async #setEnabled(enabled: boolean): Promise<void> {
    if (this.#engine.config.enabled === enabled) return;
    await this.#engine.setEnabled(enabled);
    if (enabled && this.#debounceMs !== undefined && !this.#engine.running) await this.#startIfPending();
  }

  #changesArrived(): void {
    if (this.#debounceMs === undefined || this.#closed) return;
    clearTimeout(this.#debounce);
    this.#debounce = setTimeout(() => {
      this.#debounce = undefined;
      this.#start('changes');
    }, this.#debounceMs);
  }

  async #startIfPending(): Promise<void> {
    if (totalOf(await this.#storage.pendingCounts(this.#connectorId)) > 0) this.#start('changes');
  }

  /** Starts a run, or, while one is under way, looks for changes left pending once it has ended. */
  #start(trigger: SyncTrigger): void {
    const engine = this.#engine;
    if (this.#closed) return;
    if (engine.running) {
      this.#again = true;
      this.#awaitIdle();
      return;
    }
    if (!engine.config.enabled) return;
    let run: Promise<unknown>;
    try {
      run = engine.start({ trigger });
    } catch (err) {
      this.#onError(err);
      return;
    }
    run.catch((err: unknown) => {
      if (!(err instanceof ShopsyncError && err.code === 'connector_disabled')) this.#onError(err);
    });
    this.#awaitIdle();
  }

  #awaitIdle(): void {
    if (this.#waiting) return;
    this.#waiting = true;
    void this.#engine
      .idle()
      .catch(() => undefined)
      .then(() => {
        this.#waiting = false;
        if (!this.#again || this.#closed) return;
        this.#again = false;
        this.#enqueue(() => this.#startIfPending());
      });
  }
}

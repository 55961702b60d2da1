import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { SourceChange, SyncSource } from '@shopsync/core';

/** How a SourceController finds its source and hands changes to its host. */
export interface SourceControllerOptions {
  /** The source to follow; read again before every host update, so a new one is picked up. */
  source: () => SyncSource | undefined;
  /** Applies a change to the host's state at once (cheap, no rendering). */
  onChange: (change: SourceChange) => void;
  /** A source was attached (or replaced): load what the host shows. */
  onAttach?: (source: SyncSource) => void;
  /**
   * The source missed changes (`changesMissed`: a remote source reconnected too late to be
   * replayed what it missed): read again what the host shows, without flicker. Defaults to `onAttach`.
   */
  onResync?: (source: SyncSource) => void;
}

/**
 * Binds a component to a SyncSource: subscribes on connect, unsubscribes on disconnect, and
 * turns any burst of changes into at most one host update per animation frame. Changes are
 * applied to state as they come (so none is lost); only rendering is coalesced.
 */
export class SourceController implements ReactiveController {
  readonly #host: ReactiveControllerHost;
  readonly #options: SourceControllerOptions;
  #source: SyncSource | undefined;
  #unsubscribe: (() => void) | undefined;
  #frame = 0;
  #connected = false;

  constructor(host: ReactiveControllerHost, options: SourceControllerOptions) {
    this.#host = host;
    this.#options = options;
    host.addController(this);
  }

  /** The source currently followed. */
  get source(): SyncSource | undefined {
    return this.#source;
  }

  hostConnected(): void {
    this.#connected = true;
    this.#sync();
  }

  hostDisconnected(): void {
    this.#connected = false;
    this.#detach();
    if (this.#frame) cancelAnimationFrame(this.#frame);
    this.#frame = 0;
  }

  hostUpdate(): void {
    if (this.#connected) this.#sync();
  }

  /** Asks for one host update on the next frame (several calls in a frame make one update). */
  schedule(): void {
    if (this.#frame || !this.#connected) return;
    this.#frame = requestAnimationFrame(() => {
      this.#frame = 0;
      this.#host.requestUpdate();
    });
  }

  #sync(): void {
    const next = this.#options.source();
    if (next === this.#source && (this.#unsubscribe || !next)) return;
    this.#detach();
    this.#source = next;
    if (!next) return;
    this.#unsubscribe = next.subscribe((change) => {
      if (change.type === 'changesMissed') (this.#options.onResync ?? this.#options.onAttach)?.(next);
      else this.#options.onChange(change);
      this.schedule();
    });
    this.#options.onAttach?.(next);
  }

  #detach(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    // Re-subscribe to the same source when reconnected.
    this.#source = undefined;
  }
}

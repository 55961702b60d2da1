/**
 * Server-Sent Events for every client of one handler.
 *
 * The hub subscribes to the source once. Each change is numbered (`id: <epoch>-<seq>`, seq
 * rising by one), encoded once and kept in a ring (the replay buffer, bounded in messages and
 * bytes). A client is only a cursor into that ring: it is written to while its unsent bytes stay
 * under the per-client limit, and waits for the socket to drain otherwise. So memory is bounded:
 * the ring, plus at most `clientBufferLimit` (and one message) unsent per client.
 *
 * A client that falls behind the ring (its next message was evicted), or whose socket does not
 * drain for several heartbeats, is disconnected. A client that reconnects with `Last-Event-ID`
 * is replayed what it missed when the ring still holds it, and told `reset` otherwise. The epoch
 * is new for each hub, so an id from before a server restart is never taken for a current one.
 */
import type { SourceChange, SyncSource } from '@shopsync/core';
import { STREAM_EVENTS, type StreamHello } from '../shared/protocol.js';
import { scrubValue } from './scrub.js';

/** Where one client's bytes go: a Node response or a web ReadableStream. */
export interface StreamSink {
  write(chunk: Uint8Array): void;
  /** Bytes written but not yet taken by the client (or the kernel). */
  buffered(): number;
  /** Calls `fn` once, when the buffer has drained. */
  onDrain(fn: () => void): void;
  /** Ends the stream cleanly. */
  end(): void;
  /** Drops the connection (a slow or stalled client). */
  destroy(): void;
}

export interface StreamHubOptions {
  heartbeatMs: number;
  retryMs: number;
  replayBufferSize: number;
  replayBufferBytes: number;
  clientBufferLimit: number;
  /** The strings to scrub from every message, asked at each message (they may change). */
  secrets: () => readonly string[];
}

/** What the stream side of a handler holds now. */
export interface StreamStats {
  /** Open streams. */
  clients: number;
  /** Bytes written to those streams and not yet taken by their clients, in all. */
  bufferedBytes: number;
  /** The largest of those per client. */
  maxClientBufferedBytes: number;
  /** Changes held for resuming clients, and their size. */
  replayMessages: number;
  replayBytes: number;
  /** The id of the latest message. */
  lastEventId: string;
  /** Clients disconnected for being too slow, since the handler started. */
  slowClientsDropped: number;
}

interface Entry {
  seq: number;
  bytes: Uint8Array;
}

/** Heartbeats in a row during which a full client buffer did not drain before it is dropped. */
const STALL_HEARTBEATS = 4;
const encoder = new TextEncoder();
const HEARTBEAT = encoder.encode(': heartbeat\n\n');

function message(event: string, id: string, data: unknown): Uint8Array {
  // JSON.stringify escapes line breaks, so the data is always one `data:` line.
  return encoder.encode(`id: ${id}\nevent: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
}

export class StreamHub {
  readonly #source: SyncSource;
  readonly #options: StreamHubOptions;
  readonly #epoch = Date.now().toString(36) + Math.random().toString(36).slice(2, 8);
  #seq = 0;
  readonly #ring: Entry[] = [];
  #ringBytes = 0;
  readonly #clients = new Set<StreamClient>();
  #timer: ReturnType<typeof setInterval> | undefined;
  #unsubscribe: (() => void) | undefined;
  #dropped = 0;

  constructor(source: SyncSource, options: StreamHubOptions) {
    this.#source = source;
    this.#options = options;
    this.#unsubscribe = source.subscribe((change) => this.#publish(change));
  }

  get closed(): boolean {
    return this.#unsubscribe === undefined;
  }

  get lastId(): string {
    return `${this.#epoch}-${this.#seq}`;
  }

  get clientBufferLimit(): number {
    return this.#options.clientBufferLimit;
  }

  /**
   * Starts a client on `sink`: replays what it missed since `lastEventId` when that is still
   * held, or tells it `ready` (a fresh stream) or `reset` (missed changes are gone).
   */
  attach(sink: StreamSink, lastEventId: string | undefined): StreamClient {
    const hello = (reason?: StreamHello['reason']): StreamHello => ({ connectorId: this.#source.connectorId, ...(reason ? { reason } : {}) });
    sink.write(encoder.encode(`retry: ${this.#options.retryMs}\n\n`));
    let cursor = this.#seq + 1;
    if (lastEventId === undefined || lastEventId === '') {
      sink.write(message(STREAM_EVENTS.ready, this.lastId, hello()));
    } else {
      const resume = this.#resumable(lastEventId);
      if (resume === 'unknown_id' || resume === 'expired') sink.write(message(STREAM_EVENTS.reset, this.lastId, hello(resume)));
      else cursor = resume;
    }
    const client = new StreamClient(this, sink, cursor);
    this.#clients.add(client);
    this.#timer ??= this.#startHeartbeat();
    client.pump();
    return client;
  }

  /** The seq to resume from, or why the id cannot be resumed. */
  #resumable(id: string): number | 'unknown_id' | 'expired' {
    const m = /^([a-z0-9]+)-(\d{1,15})$/.exec(id);
    if (!m || m[1] !== this.#epoch) return 'unknown_id';
    const seq = Number(m[2]);
    if (seq > this.#seq) return 'unknown_id';
    const oldest = this.#ring[0]?.seq ?? this.#seq + 1;
    return seq + 1 >= oldest ? seq + 1 : 'expired';
  }

  /** The message numbered `seq`, while the ring holds it. */
  entry(seq: number): Entry | undefined {
    const first = this.#ring[0];
    return first ? this.#ring[seq - first.seq] : undefined;
  }

  get seq(): number {
    return this.#seq;
  }

  #publish(change: SourceChange): void {
    if (this.closed) return;
    const seq = ++this.#seq;
    const entry = { seq, bytes: message(STREAM_EVENTS.change, `${this.#epoch}-${seq}`, scrubValue(change, this.#options.secrets())) };
    this.#ring.push(entry);
    this.#ringBytes += entry.bytes.byteLength;
    while (this.#ring.length > this.#options.replayBufferSize || (this.#ringBytes > this.#options.replayBufferBytes && this.#ring.length > 1)) {
      this.#ringBytes -= this.#ring.shift()!.bytes.byteLength;
    }
    const oldest = this.#ring[0]!.seq;
    for (const client of [...this.#clients]) {
      if (client.cursor < oldest) client.drop();
      else client.pump();
    }
  }

  #startHeartbeat(): ReturnType<typeof setInterval> {
    const timer = setInterval(() => {
      for (const client of [...this.#clients]) client.heartbeat();
    }, this.#options.heartbeatMs);
    // A heartbeat alone never keeps a Node process alive.
    (timer as { unref?: () => void }).unref?.();
    return timer;
  }

  /** @internal A client ended or was dropped. */
  remove(client: StreamClient, slow: boolean): void {
    if (!this.#clients.delete(client)) return;
    if (slow) this.#dropped += 1;
    if (this.#clients.size === 0 && this.#timer !== undefined) {
      clearInterval(this.#timer);
      this.#timer = undefined;
    }
  }

  stats(): StreamStats {
    let bufferedBytes = 0;
    let maxClientBufferedBytes = 0;
    for (const c of this.#clients) {
      const b = c.buffered();
      bufferedBytes += b;
      maxClientBufferedBytes = Math.max(maxClientBufferedBytes, b);
    }
    return {
      clients: this.#clients.size,
      bufferedBytes,
      maxClientBufferedBytes,
      replayMessages: this.#ring.length,
      replayBytes: this.#ringBytes,
      lastEventId: this.lastId,
      slowClientsDropped: this.#dropped,
    };
  }

  /** Unsubscribes from the source and ends every stream. */
  close(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    for (const client of [...this.#clients]) client.end();
    this.#ring.length = 0;
    this.#ringBytes = 0;
  }
}

/** One open stream: a cursor into the hub's ring and the sink it writes to. */
export class StreamClient {
  readonly #hub: StreamHub;
  readonly #sink: StreamSink;
  /** Seq of the next message to write. */
  cursor: number;
  #waiting = false;
  #stalled = 0;
  #done = false;

  constructor(hub: StreamHub, sink: StreamSink, cursor: number) {
    this.#hub = hub;
    this.#sink = sink;
    this.cursor = cursor;
  }

  buffered(): number {
    return this.#done ? 0 : this.#sink.buffered();
  }

  /** Writes what the client has not had yet, while its buffer has room. */
  pump(): void {
    while (!this.#done && !this.#waiting && this.cursor <= this.#hub.seq) {
      const entry = this.#hub.entry(this.cursor);
      if (!entry) return this.drop();
      this.#sink.write(entry.bytes);
      this.cursor += 1;
      if (this.#sink.buffered() >= this.#hub.clientBufferLimit) {
        this.#waiting = true;
        this.#sink.onDrain(() => {
          this.#waiting = false;
          this.#stalled = 0;
          this.pump();
        });
      }
    }
  }

  heartbeat(): void {
    if (this.#done) return;
    if (this.#waiting) {
      if (++this.#stalled >= STALL_HEARTBEATS) this.drop();
      return;
    }
    this.#sink.write(HEARTBEAT);
  }

  /** Disconnects a client that cannot keep up; it will reconnect and resume (or be reset). */
  drop(): void {
    if (this.#done) return;
    this.#done = true;
    this.#hub.remove(this, true);
    this.#sink.destroy();
  }

  /** Ends the stream cleanly (the handler closes). */
  end(): void {
    if (this.#done) return;
    this.#done = true;
    this.#hub.remove(this, false);
    this.#sink.end();
  }

  /** The client went away. */
  closed(): void {
    if (this.#done) return;
    this.#done = true;
    this.#hub.remove(this, false);
  }
}

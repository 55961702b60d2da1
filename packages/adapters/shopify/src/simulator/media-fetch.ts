/**
 * What decides whether a file fails: the media faults a test sets (`failMedia`), and with
 * `media.fetch` a real GET of each source, right when the file starts processing:
 *
 *   - http or https only; 10 s at most; redirects followed (5 at most);
 *   - a non-2xx answer or a network error: IMAGE_DOWNLOAD_FAILURE ("HTTP 404", the error);
 *   - a Content-Type other than image/jpeg, png, gif, webp, avif, heic or svg+xml:
 *     UNSUPPORTED_IMAGE_FILE_TYPE;
 *   - more than `media.maxBytes` (by Content-Length, or as read): INVALID_IMAGE_FILE_SIZE;
 *   - bytes that are not what a PNG, JPEG, GIF or WebP starts with: IMAGE_PROCESSING_FAILURE.
 *
 * Sockets are never pooled (`agent: false`), and `close()` aborts every fetch under way: a
 * simulator that closed keeps no socket open. An aborted fetch leaves its file pending, so that a
 * store kept in a file fetches it again at the next start.
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { FileErrorCode, SimFile, SimFileFailure } from './model.js';
import type { MediaLibrary } from './media.js';

/** A media fault: files whose source contains `urlIncludes` fail with `code`. */
export interface MediaFaultOptions {
  urlIncludes: string;
  /** Default IMAGE_PROCESSING_FAILURE. */
  code?: FileErrorCode;
  details?: string;
}

/** A media fault that is set; `clear()` removes it (files that already failed stay failed). */
export interface MediaFaultHandle {
  clear(): void;
}

/** How sources are fetched. */
export interface FetchOptions {
  fetch: boolean;
  maxBytes: number;
  timeoutMs?: number;
}

const IMAGE_TYPES = new Set(['image/jpeg', 'image/png', 'image/gif', 'image/webp', 'image/avif', 'image/heic', 'image/svg+xml']);
const MAX_REDIRECTS = 5;

/** The first bytes of the formats that have a fixed signature. */
const SIGNATURES: ReadonlyArray<[string, (b: Buffer) => boolean]> = [
  ['image/png', (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))],
  ['image/jpeg', (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff],
  ['image/gif', (b) => b.subarray(0, 4).toString('latin1') === 'GIF8'],
  ['image/webp', (b) => b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP'],
];

type Outcome = { failure: SimFileFailure | null; size?: number; mimeType?: string } | 'aborted';

const fail = (code: FileErrorCode, details: string): Outcome => ({ failure: { code, details } });

/** Decides files' failures: by fault, by source, by fetching the source. */
export class MediaProcessor {
  readonly #library: MediaLibrary;
  readonly #options: FetchOptions;
  readonly #changed: () => void;
  readonly #faults = new Set<Required<Pick<MediaFaultOptions, 'urlIncludes' | 'code'>> & { details: string | null }>();
  readonly #closing = new AbortController();
  readonly #underway = new Set<Promise<void>>();

  /** `changed`: called when a fetch ended (the store changed). */
  constructor(library: MediaLibrary, options: FetchOptions, changed: () => void) {
    this.#library = library;
    this.#options = options;
    this.#changed = changed;
    library.onProcessing = (file) => this.start(file);
  }

  /** Files whose source contains `urlIncludes` fail from now on, until the handle is cleared. */
  failMedia(options: MediaFaultOptions): MediaFaultHandle {
    const fault = { urlIncludes: options.urlIncludes, code: options.code ?? 'IMAGE_PROCESSING_FAILURE', details: options.details ?? null };
    this.#faults.add(fault);
    return { clear: () => void this.#faults.delete(fault) };
  }

  /** Removes every media fault; returns how many there were. */
  clearFaults(): number {
    const n = this.#faults.size;
    this.#faults.clear();
    return n;
  }

  /** A file starts processing: a fault or its source may fail it; with `fetch`, its source is fetched. */
  start(file: SimFile): void {
    if (this.#closing.signal.aborted) return;
    const fault = [...this.#faults].find((f) => file.source.includes(f.urlIncludes));
    if (fault) {
      file.failure = { code: fault.code, details: fault.details };
      return;
    }
    let url: URL | undefined;
    try {
      url = new URL(file.source);
    } catch {
      url = undefined;
    }
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
      file.failure = { code: 'IMAGE_DOWNLOAD_FAILURE', details: 'The original source is not an http or https URL.' };
      return;
    }
    if (!this.#options.fetch) return;
    file.fetchPending = true;
    const source = file.source;
    const done = this.#download(url, MAX_REDIRECTS).then((outcome) => {
      // Aborted at close: left pending. A new source since: this fetch no longer counts.
      if (outcome === 'aborted' || file.source !== source) return;
      this.#library.settle(file, outcome);
      this.#changed();
    });
    this.#underway.add(done);
    void done.finally(() => this.#underway.delete(done));
  }

  /** Aborts every fetch under way and waits for them to let go of their sockets. */
  async close(): Promise<void> {
    this.#closing.abort();
    await Promise.allSettled([...this.#underway]);
  }

  #download(url: URL, redirects: number): Promise<Outcome> {
    const timeoutMs = this.#options.timeoutMs ?? 10_000;
    const signal = AbortSignal.any([this.#closing.signal, AbortSignal.timeout(timeoutMs)]);
    return new Promise<Outcome>((resolve) => {
      const failed = (err: unknown): void => {
        if (this.#closing.signal.aborted) resolve('aborted');
        else if (signal.aborted) resolve(fail('IMAGE_DOWNLOAD_FAILURE', `No answer within ${timeoutMs / 1000} s.`));
        else resolve(fail('IMAGE_DOWNLOAD_FAILURE', err instanceof Error ? err.message : String(err)));
      };
      const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
      const req = request(url, { method: 'GET', agent: false, signal, headers: { Accept: 'image/*', 'User-Agent': 'Shopsync-Simulator/1.0' } }, (res) => {
        this.#read(res, url, redirects).then(resolve, failed);
      });
      req.on('error', failed);
      req.end();
    });
  }

  async #read(res: IncomingMessage, url: URL, redirects: number): Promise<Outcome> {
    const status = res.statusCode ?? 0;
    const location = res.headers.location;
    if (status >= 300 && status < 400 && location && redirects > 0) {
      res.destroy();
      return this.#download(new URL(location, url), redirects - 1);
    }
    if (status < 200 || status >= 300) {
      res.destroy();
      return fail('IMAGE_DOWNLOAD_FAILURE', `HTTP ${status}`);
    }
    const mimeType = (res.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (!IMAGE_TYPES.has(mimeType)) {
      res.destroy();
      return fail('UNSUPPORTED_IMAGE_FILE_TYPE', `Content-Type ${mimeType || '(none)'}`);
    }
    const max = this.#options.maxBytes;
    const declared = Number(res.headers['content-length']);
    if (Number.isFinite(declared) && declared > max) {
      res.destroy();
      return fail('INVALID_IMAGE_FILE_SIZE', `${declared} bytes, more than ${max}`);
    }
    let size = 0;
    let head = Buffer.alloc(0);
    for await (const chunk of res as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (head.length < 16) head = Buffer.concat([head, chunk.subarray(0, 16 - head.length)]);
      if (size > max) {
        res.destroy();
        return fail('INVALID_IMAGE_FILE_SIZE', `more than ${max} bytes`);
      }
    }
    if (this.#closing.signal.aborted) return 'aborted';
    const signature = SIGNATURES.find(([type]) => type === mimeType);
    if (signature && !signature[1](head)) return fail('IMAGE_PROCESSING_FAILURE', `The bytes are not those of an ${mimeType} file.`);
    return { failure: null, size, mimeType };
  }
}

/**
 * The shop's files (images, Shopify's MediaImage) and their processing. A file's status is never
 * stored and no timer runs: it is read from the clock when asked (`state`):
 *
 *   UPLOADED     from its creation (or a new source) for half of `processingMs`
 *   PROCESSING   until `processingMs` have passed and its fetch (`media.fetch`) has ended
 *   READY        after that, unless it failed: then FAILED, with its error
 *
 * Why a file fails is decided when it is created (a `failMedia` fault, a source that is no
 * http(s) URL) or when its fetch ends (media-fetch.ts); it shows only once processing is over.
 * Files are never deduplicated: each new source is a new file, as on Shopify.
 */
import { randomUUID } from 'node:crypto';
import type { FileErrorCode, SimFile, SimFileFailure } from './model.js';

/** A file's status (FileStatus, MediaStatus and MediaPreviewImageStatus have the same values). */
export type FileStatus = 'UPLOADED' | 'PROCESSING' | 'READY' | 'FAILED';

/** A FileError (and MediaError): what `fileErrors` and `mediaErrors` list. */
export interface FileErrorOut {
  code: FileErrorCode;
  details: string | null;
  message: string;
}

/** A file as read now. */
export interface FileState {
  status: FileStatus;
  errors: FileErrorOut[];
  /** Its last change, status changes included. */
  updatedAt: string;
}

/** What duplicateResolutionMode does when the filename is taken by another file. */
export type DuplicateMode = 'APPEND_UUID' | 'RAISE_ERROR' | 'REPLACE';

const MESSAGES: Partial<Record<FileErrorCode, string>> = {
  IMAGE_DOWNLOAD_FAILURE: 'Image could not be downloaded from its original source.',
  IMAGE_PROCESSING_FAILURE: 'Image could not be processed.',
  UNSUPPORTED_IMAGE_FILE_TYPE: 'Image file type is not supported.',
  INVALID_IMAGE_FILE_SIZE: 'Image file size is too large.',
  DUPLICATE_FILENAME_ERROR: 'A file with this filename already exists.',
  MEDIA_TIMEOUT_ERROR: 'Media processing timed out.',
};

/** The message Shopify's FileError carries for a code (worded here; Shopify's own words may differ). */
export function fileErrorMessage(code: FileErrorCode): string {
  return MESSAGES[code] ?? `File processing failed (${code}).`;
}

const MIME_BY_EXTENSION: Readonly<Record<string, string>> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  webp: 'image/webp',
  avif: 'image/avif',
  heic: 'image/heic',
  svg: 'image/svg+xml',
};

/** The filename a source URL gives (its last path segment), or `image` when it has none. */
export function filenameOf(source: string): string {
  try {
    const last = new URL(source).pathname.split('/').pop() ?? '';
    return decodeURIComponent(last) || 'image';
  } catch {
    return 'image';
  }
}

function withUuid(filename: string): string {
  const dot = filename.lastIndexOf('.');
  const uuid = randomUUID();
  return dot > 0 ? `${filename.slice(0, dot)}_${uuid}${filename.slice(dot)}` : `${filename}_${uuid}`;
}

/** What a new file is made from. */
export interface NewFile {
  source: string;
  alt: string;
  filename?: string | null | undefined;
  mode: DuplicateMode;
}

/** The shop's files, by id, in creation order. */
export class MediaLibrary {
  readonly files = new Map<string, SimFile>();
  /** Called for each file that starts processing (creation, new source): the processor (faults, fetch) looks at it. */
  onProcessing: ((file: SimFile) => void) | undefined;
  readonly #newId: (type: string) => string;
  readonly #now: () => Date;
  readonly #processingMs: () => number;

  constructor(newId: (type: string) => string, now: () => Date, processingMs: () => number) {
    this.#newId = newId;
    this.#now = now;
    this.#processingMs = processingMs;
  }

  /**
   * A new file, processing from now. A filename another file has is made unique (APPEND_UUID,
   * the default), fails the new file (RAISE_ERROR: DUPLICATE_FILENAME_ERROR), or gives its file
   * the new source (REPLACE: that file is returned, processing again).
   */
  create(input: NewFile): SimFile {
    let filename = input.filename?.trim() || filenameOf(input.source);
    const taken = [...this.files.values()].find((f) => f.filename === filename);
    if (taken && input.mode === 'REPLACE') {
      this.replaceSource(taken, input.source);
      if (input.alt) this.setAlt(taken, input.alt);
      return taken;
    }
    if (taken && input.mode === 'APPEND_UUID') filename = withUuid(filename);
    const now = this.#now().toISOString();
    const file: SimFile = {
      id: this.#newId('MediaImage'),
      alt: input.alt,
      source: input.source,
      filename,
      createdAt: now,
      updatedAt: now,
      processingSince: now,
      failure: taken && input.mode === 'RAISE_ERROR' ? { code: 'DUPLICATE_FILENAME_ERROR', details: `The filename ${filename} is taken by ${taken.id}.` } : null,
      fetchPending: false,
      fetchedAt: null,
      size: null,
      mimeType: MIME_BY_EXTENSION[filename.split('.').pop()?.toLowerCase() ?? ''] ?? null,
    };
    this.files.set(file.id, file);
    if (!file.failure) this.onProcessing?.(file);
    return file;
  }

  /** A file gets a new source: processed again from now (nothing happens for the same source). */
  replaceSource(file: SimFile, source: string): void {
    if (file.source === source) return;
    const now = this.#now().toISOString();
    Object.assign(file, { source, updatedAt: now, processingSince: now, failure: null, fetchPending: false, fetchedAt: null, size: null });
    this.onProcessing?.(file);
  }

  /** A file's alt text changes (its updatedAt with it). */
  setAlt(file: SimFile, alt: string): void {
    if (file.alt === alt) return;
    file.alt = alt;
    file.updatedAt = this.#now().toISOString();
  }

  /** A file's processing is over (its fetch ended): the failure found, if any. */
  settle(file: SimFile, outcome: { failure: SimFileFailure | null; size?: number | null; mimeType?: string | null }): void {
    file.fetchPending = false;
    file.fetchedAt = this.#now().toISOString();
    if (outcome.failure && !file.failure) file.failure = outcome.failure;
    if (outcome.size !== undefined) file.size = outcome.size;
    if (outcome.mimeType) file.mimeType = outcome.mimeType;
  }

  /** A file's status, errors and last change, read from the clock now. */
  state(file: SimFile, nowMs = this.#now().getTime()): FileState {
    const since = Date.parse(file.processingSince);
    const total = this.#processingMs();
    const half = since + total / 2;
    const delayDone = since + total;
    const fetched = file.fetchedAt ? Date.parse(file.fetchedAt) : since;
    const settled = Math.max(delayDone, fetched);
    let status: FileStatus;
    if (nowMs < half) status = 'UPLOADED';
    else if (nowMs < delayDone || file.fetchPending) status = 'PROCESSING';
    else status = file.failure ? 'FAILED' : 'READY';
    const changes = [Date.parse(file.updatedAt), nowMs >= half ? half : 0, status === 'READY' || status === 'FAILED' ? settled : 0];
    const errors = status === 'FAILED' && file.failure ? [{ code: file.failure.code, details: file.failure.details, message: fileErrorMessage(file.failure.code) }] : [];
    return { status, errors, updatedAt: new Date(Math.max(...changes)).toISOString() };
  }
}

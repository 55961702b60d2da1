/**
 * A store kept in a JSON file (`statePath`): read at start, written shortly after changes (a burst
 * of changes shares one write) and at close, atomically (a new file renamed over the old one).
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { storeDataSchema, storeFromData, storeToData } from './store-data.js';
import type { SimStore, StoreOptions } from './store.js';

/** How long after a change the store is written. */
const SAVE_DELAY_MS = 200;

/** The store kept at `path`, or undefined when there is no file yet. A file that cannot be read is an error, never silently replaced. */
export function loadStore(path: string, options: StoreOptions = {}): SimStore | undefined {
  if (!existsSync(path)) return undefined;
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new Error(`The simulator's store file ${path} cannot be read (${err instanceof Error ? err.message : String(err)}); move it away to start with an empty store.`, { cause: err });
  }
  if (typeof data !== 'object' || data === null || (data as { v?: unknown }).v !== 1) {
    throw new Error(`The simulator's store file ${path} is not a version 1 store; move it away to start with an empty store.`);
  }
  const parsed = storeDataSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`The simulator's store file ${path} cannot be read (${issue ? `${issue.path.join('.')}: ${issue.message}` : 'not a store'}); move it away to start with an empty store.`);
  }
  return storeFromData(parsed.data, options);
}

/** Writes a store to its file after changes; does nothing without a path. */
export class StoreFile {
  readonly #path: string | undefined;
  readonly #store: SimStore;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(path: string | undefined, store: SimStore) {
    this.#path = path;
    this.#store = store;
  }

  /** The store changed: it is written soon (changes in a burst share one write). */
  changed(): void {
    if (!this.#path || this.#timer) return;
    this.#timer = setTimeout(() => this.#save(), SAVE_DELAY_MS);
    this.#timer.unref?.();
  }

  /** Writes now what is still waiting to be written (at close). */
  flush(): void {
    if (this.#timer) this.#save();
  }

  #save(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const path = this.#path;
    if (!path) return;
    // A new file renamed over the old one: a crash mid-write leaves the previous store whole.
    writeFileSync(`${path}.tmp`, JSON.stringify(storeToData(this.#store)));
    renameSync(`${path}.tmp`, path);
  }
}

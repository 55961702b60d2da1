import type { IDBPObjectStore, StoreNames } from 'idb';
import type { ItemRow, ShopsyncDB } from './schema.js';

type ItemStore = IDBPObjectStore<ShopsyncDB, StoreNames<ShopsyncDB>[], 'items', IDBTransactionMode>;

/** Fewer keys than this are read one `get` each: a range read would not save a request. */
const MIN_RUN = 4;

/** The entity part of an item key (`product:P1` → `product`): the item store is sorted by it first. */
const entityOf = (key: string): string => key.slice(0, key.indexOf(':'));

/**
 * The rows of `keys` that exist, in as few requests as the keys allow.
 *
 * In Chromium a request costs much more than a row: 250 `get`s took 3 to 8 times as long as one
 * `getAll` of 250 rows (Chromium 156, the rows of bench/idb.bench.mjs). A batch's keys are often
 * neighbours in key order (a first load, a re-sync of the same items), so each entity's keys,
 * sorted, are read with one `getAll` over the range they span, capped at a quarter more rows
 * than keys: rows of other items inside that range are read and dropped. When the cap is hit,
 * the keys after the last row read are read one `get` each, as they all were before; so a batch
 * of keys spread over a large store reads at most 1.25 rows a key more than it needs, and a
 * batch of neighbours one range a run.
 */
export async function readItemRows(store: ItemStore, c: string, keys: readonly string[]): Promise<Map<string, ItemRow>> {
  const runs = new Map<string, string[]>();
  for (const key of [...keys].sort()) {
    const entity = entityOf(key);
    const run = runs.get(entity);
    if (run) run.push(key);
    else runs.set(entity, [key]);
  }
  const found = new Map<string, ItemRow>();
  await Promise.all([...runs.values()].map((run) => readRun(store, c, run, found)));
  return found;
}

/** Puts the rows of `run` (sorted keys of one entity) that exist into `found`. */
async function readRun(store: ItemStore, c: string, run: readonly string[], found: Map<string, ItemRow>): Promise<void> {
  const one = (key: string): Promise<void> => store.get([c, key]).then((row) => void (row && found.set(key, row)));
  if (run.length < MIN_RUN) {
    await Promise.all(run.map(one));
    return;
  }
  const cap = run.length + Math.ceil(run.length / 4);
  // Both sort strings by UTF-16 code units: `sort()` above, and IndexedDB's key order.
  const rows = await store.getAll(IDBKeyRange.bound([c, run[0]!], [c, run.at(-1)!]), cap);
  const wanted = new Set(run);
  for (const row of rows) if (wanted.has(row.key)) found.set(row.key, row);
  if (rows.length < cap) return;
  // Capped: the range was read only up to its last row read.
  const reached = rows.at(-1)!.key;
  await Promise.all(run.filter((key) => key > reached).map(one));
}

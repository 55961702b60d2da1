/**
 * The sync events a connector ran before the one a story shows, six hours apart, run by an
 * earlier engine over the same storage (as a host restarted since would have left them): a mix
 * of what a register holds. Runs started by changes (with a few items the store rejected), by
 * the schedule, by hand; one the store throttled; one that could not connect; one paused and
 * resumed. The newest also synchronized some items exactly as the host sends them again now
 * (so the run shown skips them as unchanged) and rejected some that fail again now (so they
 * are flagged as failing repeatedly).
 */
import { SyncEngine, type Change, type ConnectorConfigInput, type ItemError, type StorageAdapter, type SyncTrigger } from '@shopsync/core';
import { GENERAL_ERRORS, itemErrorFor } from './catalog.js';
import { changeAt, keyAt, type CatalogShape } from './catalog-changes.js';
import { API_WARNING_DAYS } from './connector-config.js';
import type { StoryClock } from './story-clock.js';
import { StoryTarget, type StoreInfo } from './story-target.js';

const HOUR = 3_600_000;
/** How many items the newest earlier event synchronized as they are now, and how many failing items it tried. */
const UNCHANGED_SAMPLE = 120;
const REPEATED_SAMPLE = 40;

export interface EarlierRuns {
  storage: StorageAdapter;
  clock: StoryClock;
  connector: ConnectorConfigInput;
  store: StoreInfo;
  shape: CatalogShape;
  /** The items that fail in the run shown, by number, and their errors by key. */
  failing: readonly number[];
  errors: ReadonlyMap<string, ItemError>;
  /** How many events, and when the run shown starts (epoch ms). */
  count: number;
  before: number;
}

/** A few products and their variants, with the prices of edition `h`. */
function windowOf(shape: CatalogShape, h: number): number[] {
  const { categories: c, products: p, variants: v } = shape;
  if (p === 0) return [];
  const first = (h * 7) % p;
  const out: number[] = c ? [h % c] : [];
  for (let i = 0; i < Math.min(p, 3 + (h % 4)); i++) {
    const product = (first + i) % p;
    out.push(c + product);
    for (let k = product; k < v; k += p) out.push(c + p + k);
  }
  return out;
}

export async function runEarlierEvents(r: EarlierRuns): Promise<void> {
  const target = new StoryTarget(r.clock, r.store);
  const engine = new SyncEngine({
    connector: r.connector,
    target,
    storage: r.storage,
    clock: r.clock,
    batchSize: 40,
    retryBackoff: { baseMs: 0, maxMs: 0 },
    apiVersionWarningDays: API_WARNING_DAYS,
  });
  const failingNow = new Set(r.failing);
  for (let h = r.count; h >= 1; h--) {
    r.clock.workUntil(r.before - h * 6 * HOUR + ((h * 7_919) % 90) * 1_000);
    const kind = h % 6;
    const window = windowOf(r.shape, h);
    const changes: Change[] = window.map((j) => changeAt(r.shape, j, h));
    const failing = new Map<string, ItemError>();
    if (kind === 1) for (const j of window.filter((j) => j >= r.shape.categories + r.shape.products).slice(0, 2 + (h % 2))) failing.set(keyAt(r.shape, j), itemErrorFor('variant', h));
    if (h === 1) {
      const unchanged: number[] = [];
      for (let j = 7; j < r.shape.size && unchanged.length < UNCHANGED_SAMPLE; j += 13) if (!failingNow.has(j)) unchanged.push(j);
      const repeated = r.failing.filter((_, i) => i % 4 === 0).slice(0, REPEATED_SAMPLE);
      for (const j of repeated) failing.set(keyAt(r.shape, j), r.errors.get(keyAt(r.shape, j))!);
      changes.push(...[...unchanged, ...repeated].map((j) => changeAt(r.shape, j)));
    }
    target.script({
      failing,
      ...(kind === 2 ? { generalErrors: new Map([[1, GENERAL_ERRORS[0]!]]) } : {}),
      ...(kind === 3 ? { refusal: { kind: 'network' as const, message: 'Could not connect to the store: connect ETIMEDOUT 23.227.38.65:443.' } } : {}),
    });
    // Disabled during its first push: the event pauses; enabled again four minutes later, it resumes.
    target.beforePush = kind === 4 ? (n) => (n === 1 ? engine.setEnabled(false) : undefined) : undefined;
    await engine.enqueue(changes);
    const trigger: SyncTrigger = kind === 1 ? 'changes' : kind === 5 ? 'manual' : 'schedule';
    const event = await engine.start({ trigger });
    target.beforePush = undefined;
    if (event.status === 'paused') {
      r.clock.work(4 * 60_000);
      await engine.setEnabled(true);
      await engine.idle();
    }
  }
  await engine.dispose();
}

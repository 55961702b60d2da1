/**
 * One shop's state: its store and the store's file, the fetches of its files' sources, the tokens
 * it accepts and their buckets, its apps' grants, its fault queues and its request logs. The
 * pipeline and the token endpoint work on the shop a request is for; `SimShop` (shop.ts) is the
 * shop's face for tests. A `ShopifySimulator` has one; a `SimulatorFleet` one per shop domain,
 * so nothing here is shared between shops: a token, a bucket, a fault or a log entry belongs to
 * one shop.
 */
import { Faults } from './faults.js';
import { AppGrants } from './grants.js';
import { MediaProcessor } from './media-fetch.js';
import { PLAN_PRESETS, type SimulatorConfig } from './options.js';
import { loadStore, StoreFile } from './persistence.js';
import { RequestLog, TokenRequestLog } from './request-log.js';
import { SimStore } from './store.js';
import { TokenRegistry } from './tokens.js';

/** Everything one shop keeps; made from its options (read from its file with `statePath`). */
export class ShopState {
  /** The shop's options, defaults filled in (a fleet's shop: the fleet's, with its own). */
  readonly config: SimulatorConfig;
  readonly store: SimStore;
  readonly file: StoreFile;
  readonly media: MediaProcessor;
  readonly tokens: TokenRegistry;
  readonly grants: AppGrants;
  /** The Admin API's fault queue (`injectFault`). */
  readonly faults: Faults;
  /** The token endpoint's fault queue (`injectTokenFault`). */
  readonly tokenFaults: Faults;
  readonly log: RequestLog;
  readonly tokenLog: TokenRequestLog;

  constructor(config: SimulatorConfig) {
    this.config = config;
    const storeOptions = { processingMs: config.media.processingMs, locales: config.locales };
    this.store = (config.statePath && loadStore(config.statePath, storeOptions)) || new SimStore(config.locations, storeOptions);
    this.store.ensureLocations(config.locations);
    this.store.publications.ensure(config.publications, this.store.products.values());
    this.file = new StoreFile(config.statePath, this.store);
    this.media = new MediaProcessor(this.store.media, { fetch: config.media.fetch, maxBytes: config.media.maxBytes }, () => this.file.changed());
    // A fetch the last run did not finish is made again (or, without `media.fetch`, let go).
    for (const f of this.store.media.files.values()) {
      if (!f.fetchPending) continue;
      f.fetchPending = false;
      this.media.start(f);
    }
    const preset = PLAN_PRESETS[config.plan];
    this.tokens = new TokenRegistry(config.accessTokens, { size: config.bucketSize ?? preset.bucketSize, restoreRate: config.restoreRate ?? preset.restoreRate });
    this.grants = new AppGrants(config.apps, config.tokenLifetimes, this.tokens);
    this.faults = new Faults(config.hangMs);
    this.tokenFaults = new Faults(config.hangMs);
    this.log = new RequestLog(config.logLimit);
    this.tokenLog = new TokenRequestLog(config.logLimit);
  }

  /** The store changed (a mutation ran, a merchant's edit): it is written to its file soon. */
  changed(): void {
    this.file.changed();
  }

  /** Stops the shop: aborts the fetches of files' sources under way, writes the store's file if a write is pending, lets held requests go. */
  async close(): Promise<void> {
    await this.media.close();
    this.file.flush();
    this.faults.releaseHeld();
    this.tokenFaults.releaseHeld();
  }
}

import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { parse } from 'graphql';
import {
  ConnectionError,
  type Clock,
  type ConnectContext,
  type ConnectInfo,
  type ConnectionErrorKind,
  type GeneralErrorCode,
  type PushContext,
  type PushResult,
  type Target,
  type TargetItem,
  type ThrottleState,
} from '@shopsync/core';
import { parseOrThrow, systemClock } from '@shopsync/core/internal';
import { connectAnswer, refDefinitionCreateAnswer } from '../answers.js';
import { requestedCost } from '../cost.js';
import { fixedToken, type CredentialsProvider } from '../credentials/provider.js';
import { CONNECT_QUERY, REF_DEFINITION_CREATE, REF_METAFIELD, refDefinitionInput } from '../documents.js';
import { locationsOp } from '../documents/inventory.js';
import { adminSchema } from '../schema/schema.js';
import { featuresOf } from '../version.js';
import { shopifyTargetOptionsSchema, type ShopifyTargetOptionsInput, type ShopifyTargetOptionsParsed } from './options.js';
import { CostPacer, type ThrottleSnapshot } from './pacer.js';
import { runPush } from './push/index.js';
import type { MediaPace } from './push/media-check.js';
import { newCostLearning, OpRunner, type CostLearning } from './runner.js';
import { readThrottleState, throttleStateOf } from './throttle.js';
import { Transport } from './transport.js';
import type { StoreLocales } from './translation-plan.js';

/**
 * What `new ShopifyTarget` takes: its settings, and the clock it times requests, backoff and pacing by
 * (tests pass one they control).
 */
export type ShopifyTargetOptions = ShopifyTargetOptionsInput & {
  /** Time for timeouts, backoff and pacing (tests pass a controlled clock). */
  clock?: Clock;
};

interface Session {
  transport: Transport;
  credentials: CredentialsProvider;
  learned: CostLearning;
  servedVersion?: string;
  deprecationReason?: string;
  shopName?: string;
  /** The location stock goes to (GID): the configured one, or the store's primary location. */
  locationId?: string;
  /** The store's languages (absent when the store did not say). */
  locales?: StoreLocales;
  /** The unique reference metafield definition exists: products carry their reference as a custom ID. */
  customIds: boolean;
  connected: boolean;
  /** What the current run has already said once (a misnamed sales channel); emptied at each connect. */
  said: Set<string>;
  /** How long images take to process at this store, as checks found (see media-check.ts). */
  mediaPace: MediaPace;
}

/** What the target keeps for one connector: all of it is let go by `suspend`. */
interface Held {
  /** By `shopDomain|apiVersion`. */
  sessions: Map<string, Session>;
  /** By shop domain. */
  providers: Map<string, CredentialsProvider>;
}

const KIND_OF: Record<GeneralErrorCode, ConnectionErrorKind> = {
  auth: 'auth',
  reauthorize: 'reauthorize',
  not_found: 'not_found',
  network: 'network',
  timeout: 'timeout',
  server_error: 'server_error',
  throttled: 'server_error',
  version: 'version',
  invalid_response: 'unknown',
  stopped: 'unknown',
  interrupted: 'unknown',
  exhausted: 'unknown',
  configuration: 'unknown',
  language: 'unknown',
  internal: 'unknown',
};

/** `123` or `gid://shopify/Location/123`, as connectors' users may write it. */
export function locationGid(id: string): string {
  return /^\d+$/.test(id) ? `gid://shopify/Location/${id}` : id;
}

/**
 * core's Target for a Shopify store, over the Admin GraphQL API through @shopify/admin-api-client.
 * Each request carries the access token its connector's credentials provider gives (a fixed
 * token, an expiring one renewed with its refresh token, or the client credentials grant's); a
 * renewal during a run is a line of its log, and a token refused (HTTP 401) is renewed once
 * before the request is given up. Tokens never leave the target (not in errors, outcomes, state
 * or logs). Categories become manual collections, products and their variants go
 * through productSet keyed by SKU, stock through inventorySetQuantities at the connector's
 * location; requests are batched under Shopify's cost limits and paced by its leaky bucket.
 * `suspend` lets go of an idle connector and returns the bucket as it was last known, for the
 * next runner's `connect` (`ctx.throttle`) to start from.
 */
export class ShopifyTarget implements Target {
  readonly #options: ShopifyTargetOptionsParsed;
  readonly #clock: Clock;
  /** By connector id. */
  readonly #held = new Map<string, Held>();
  /** Requests and THROTTLED answers of the sessions `suspend` let go, still counted in `stats`. */
  readonly #retired = { requests: 0, throttled: 0 };

  constructor(options: ShopifyTargetOptions) {
    const { clock, ...rest } = options;
    this.#options = parseOrThrow(shopifyTargetOptionsSchema, rest, 'options', 'Shopify target options');
    this.#clock = clock ?? systemClock;
  }

  /** Requests sent and THROTTLED answers received, over all stores of this target. */
  get stats(): { requests: number; throttled: number } {
    let { requests, throttled } = this.#retired;
    for (const held of this.#held.values()) {
      for (const s of held.sessions.values()) {
        requests += s.transport.requests;
        throttled += s.transport.throttled;
      }
    }
    return { requests, throttled };
  }

  /** The connectors the target keeps sessions or credentials for: those used since they were last suspended. */
  get activeConnectors(): string[] {
    return [...this.#held.keys()];
  }

  /**
   * The connector goes idle here: the target lets go of its sessions (pacing, learned costs) and
   * of the credentials providers it made for it (a provider the host gave as an object is the
   * host's and stays in the options; a resolver function is asked again at the next use). Nothing
   * a provider renewed is lost: renewed grants are saved in its TokenStore before their token is
   * used. Returns the store's bucket as last known (the latest of the connector's sessions), for
   * the next runner's `connect`; undefined when no store of it ever reported one. Call it when no
   * push or connect of the connector is under way: one still running finishes on the session it
   * has, which the target no longer keeps.
   */
  suspend(connectorId: string): ThrottleState | undefined {
    const held = this.#held.get(connectorId);
    if (!held) return undefined;
    this.#held.delete(connectorId);
    let latest: ThrottleSnapshot | undefined;
    for (const session of held.sessions.values()) {
      this.#retired.requests += session.transport.requests;
      this.#retired.throttled += session.transport.throttled;
      const snapshot = session.transport.pacer.snapshot();
      if (snapshot && (!latest || snapshot.at > latest.at)) latest = snapshot;
    }
    held.sessions.clear();
    held.providers.clear();
    return latest && throttleStateOf(latest);
  }

  /** Checks the token and the store (the `shop` query) and reads the served API version. */
  async connect(ctx: ConnectContext): Promise<ConnectInfo> {
    const session = this.#session(ctx.connectorId, ctx.config.shopDomain, ctx.config.apiVersion);
    this.#seed(session, ctx);
    const unsubscribe = session.credentials.onRenewed((message) => ctx.log('info', message));
    session.said.clear();
    let locationIds: Record<string, string> | undefined;
    try {
      await this.#connect(session, ctx.config.locationId, ctx.signal);
      if (Object.keys(ctx.config.locations).length) locationIds = await this.#resolveLocations(session, ctx.config.locations, ctx);
    } finally {
      unsubscribe();
    }
    const info: ConnectInfo = {};
    if (locationIds) info.locationIds = locationIds;
    if (session.locales) {
      const own = ctx.config.language.toLowerCase();
      info.translationLanguages = session.locales.enabled.filter((l) => l !== session.locales!.primary && l.toLowerCase() !== own);
    }
    if (session.shopName !== undefined) info.shopName = session.shopName;
    if (session.servedVersion !== undefined) info.servedApiVersion = session.servedVersion;
    if (session.deprecationReason !== undefined) info.deprecationReason = session.deprecationReason;
    return info;
  }

  async push(items: readonly TargetItem[], ctx: PushContext): Promise<PushResult> {
    const requested = ctx.config.apiVersion.requested;
    const session = this.#session(ctx.connectorId, ctx.config.shopDomain, requested);
    const unsubscribe = session.credentials.onRenewed((message) => ctx.log('info', message));
    try {
      return await this.#push(session, items, ctx);
    } finally {
      unsubscribe();
    }
  }

  async #push(session: Session, items: readonly TargetItem[], ctx: PushContext): Promise<PushResult> {
    const requested = ctx.config.apiVersion.requested;
    if (!session.connected) await this.#connect(session, ctx.config.locationId, ctx.signal);
    // Documents follow the version that actually serves the requests.
    const version = session.servedVersion ?? requested;
    const features = featuresOf(version);
    const runner = new OpRunner(
      session.transport,
      { version, maxCostPerRequest: this.#options.maxCostPerRequest, maxOpsPerRequest: this.#options.maxOperationsPerRequest },
      session.learned,
    );
    // Every request and every wait of the push listens to one signal of ours, tied to the caller's.
    const controller = new AbortController();
    setMaxListeners(0, controller.signal);
    const onAbort = () => controller.abort(ctx.signal.reason);
    if (ctx.signal.aborted) onAbort();
    else ctx.signal.addEventListener('abort', onAbort, { once: true });
    const env = {
      runner,
      features,
      locationId: ctx.config.locationId !== undefined ? locationGid(ctx.config.locationId) : session.locationId,
      inventoryReason: this.#options.inventoryReason,
      newKey: () => randomUUID(),
      customIds: session.customIds,
      now: () => this.#clock.now(),
      productWaitMs: this.#options.productWaitMs,
      mediaWaitMs: this.#options.mediaWaitMs,
      mediaPace: session.mediaPace,
      locales: session.locales,
      once: (key: string) => !session.said.has(key) && session.said.add(key).size > 0,
    };
    try {
      return await runPush(items, { ...ctx, signal: controller.signal }, env);
    } finally {
      ctx.signal.removeEventListener('abort', onAbort);
    }
  }

  /**
   * Starts the session's pacer from the store's bucket as the connector's last runner left it
   * (`ctx.throttle`), unless the pacer knows a newer one. It comes from storage another version
   * may have written: one that cannot be read is a warning of the run's log, and is ignored.
   */
  #seed(session: Session, ctx: ConnectContext): void {
    const given: unknown = ctx.throttle;
    if (given === undefined || given === null) return;
    const read = readThrottleState(given);
    if (!read.ok) {
      ctx.log('warn', read.problem);
      return;
    }
    session.transport.pacer.seed(read.snapshot.status, read.snapshot.at);
  }

  /** What the target keeps for a connector, made at its first use (again after `suspend`). */
  #heldFor(connectorId: string): Held {
    let held = this.#held.get(connectorId);
    if (!held) {
      held = { sessions: new Map(), providers: new Map() };
      this.#held.set(connectorId, held);
    }
    return held;
  }

  /** The connector's credentials: the fixed token, the provider, or the resolver's (asked once per connector and store, and again after `suspend`). */
  #credentials(connectorId: string, shopDomain: string): CredentialsProvider {
    const providers = this.#heldFor(connectorId).providers;
    let provider = providers.get(shopDomain);
    if (!provider) {
      const c = this.#options.credentials;
      provider = c === undefined ? fixedToken(this.#options.accessToken!) : typeof c === 'function' ? c({ connectorId, shopDomain }) : c;
      providers.set(shopDomain, provider);
    }
    return provider;
  }

  #session(connectorId: string, shopDomain: string, apiVersion: string): Session {
    const sessions = this.#heldFor(connectorId).sessions;
    const key = `${shopDomain}|${apiVersion}`;
    let session = sessions.get(key);
    if (!session) {
      const o = this.#options;
      const credentials = this.#credentials(connectorId, shopDomain);
      const pacer = new CostPacer({ clock: this.#clock, maxInFlight: o.maxInFlight });
      const transport = new Transport({
        shopDomain,
        apiVersion,
        credentials,
        endpoint: o.endpoint,
        timeoutMs: o.requestTimeoutMs,
        retry: o.retry,
        maxThrottleRetries: o.maxThrottleRetries,
        userAgentPrefix: o.userAgentPrefix,
        pacer,
        clock: this.#clock,
      });
      session = { transport, credentials, learned: newCostLearning(), customIds: false, connected: false, said: new Set(), mediaPace: { floorMs: this.#options.mediaRetryMs, delayMs: this.#options.mediaRetryMs } };
      sessions.set(key, session);
    }
    return session;
  }

  async #connect(session: Session, configuredLocation: string | undefined, signal: AbortSignal): Promise<void> {
    const location = configuredLocation !== undefined ? locationGid(configuredLocation) : null;
    const variables = { locationId: location, namespace: REF_METAFIELD.namespace, key: REF_METAFIELD.key };
    const cost = requestedCost(adminSchema('2025-01'), parse(CONNECT_QUERY), variables);
    const r = await session.transport.send(CONNECT_QUERY, variables, cost, true, signal);
    if (r.kind === 'failed' || r.kind === 'uncertain') {
      const e = r.error;
      throw new ConnectionError(KIND_OF[e.code], e.message, e.httpStatus !== undefined ? { httpStatus: e.httpStatus } : {});
    }
    if (r.kind === 'too_costly') throw new ConnectionError('unknown', r.message);
    const parsed = connectAnswer.safeParse(r.data);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new ConnectionError('unknown', `Shopify's answer to the connection check could not be read${issue?.path.length ? ` at ${issue.path.join('.')}` : ''}: ${issue?.message ?? 'unexpected shape'}.`);
    }
    const data = parsed.data;
    if (!data.shop) throw new ConnectionError('unknown', `Shopify did not return the shop: ${session.transport.scrub(r.errors.map((e) => e.message).join('; ') || 'no data')}`);
    if (location !== null && !data.location) {
      throw new ConnectionError('unknown', `The connector's location ${location} is not a location of this store; set it to one of the store's locations.`);
    }
    session.shopName = data.shop.name;
    const locales = data.shopLocales ?? [];
    const primary = locales.find((l) => l.primary)?.locale;
    if (primary) session.locales = { primary, enabled: locales.map((l) => l.locale) };
    else delete session.locales;
    if (data.location) session.locationId = data.location.id;
    if (r.meta.servedVersion !== undefined) session.servedVersion = r.meta.servedVersion;
    if (r.meta.deprecationReason !== undefined) session.deprecationReason = r.meta.deprecationReason;
    else delete session.deprecationReason;
    const definitions = data.metafieldDefinitions?.nodes;
    session.customIds = definitions === undefined ? false : definitions[0] ? definitions[0].capabilities.uniqueValues.enabled : await this.#createRefDefinition(session, signal);
    session.connected = true;
  }

  /**
   * The connector's warehouses -> the store's locations: each named by id (`gid://shopify/Location/1`
   * or `1`) or by name (exact, then ignoring case and spaces around). One that the store does not
   * have (or has deactivated) is left out, and the run's log says so; its variants fail, naming it.
   */
  async #resolveLocations(session: Session, mapping: Record<string, string>, ctx: ConnectContext): Promise<Record<string, string>> {
    const runner = new OpRunner(session.transport, { version: session.servedVersion ?? ctx.config.apiVersion, maxCostPerRequest: this.#options.maxCostPerRequest, maxOpsPerRequest: 1 }, session.learned);
    const nodes: Array<{ id: string; name: string; isActive: boolean }> = [];
    let after: string | undefined;
    for (let page = 0; page < 20; page++) {
      const [r] = await runner.run([locationsOp(after)], ctx.signal);
      if (r?.status !== 'ok') {
        const why = r === undefined ? 'no answer' : r.status === 'error' ? r.errors.map((e) => e.message).join('; ') : r.error.message;
        throw new ConnectionError('unknown', `The store's locations could not be read, to place the warehouses' stock: ${why}`);
      }
      nodes.push(...r.data.nodes.filter((n) => n.isActive));
      if (!r.data.pageInfo.hasNextPage || !r.data.pageInfo.endCursor) break;
      after = r.data.pageInfo.endCursor;
    }
    const out: Record<string, string> = {};
    const norm = (name: string) => name.trim().toLowerCase();
    for (const [warehouse, location] of Object.entries(mapping)) {
      const gid = locationGid(location);
      const hit = nodes.find((n) => n.id === gid) ?? nodes.find((n) => n.name === location) ?? nodes.find((n) => norm(n.name) === norm(location));
      if (hit) out[warehouse] = hit.id;
      else ctx.log('warn', `Warehouse "${warehouse}" is mapped to the location "${location}", which the store does not have (or has deactivated): its stock is not written.`);
    }
    return out;
  }

  /**
   * Lets products carry their reference as a custom ID: a metafield definition with unique values,
   * created once per store. Without it (no permission, a clashing definition), products are found
   * again by handle and SKU only.
   */
  async #createRefDefinition(session: Session, signal: AbortSignal): Promise<boolean> {
    const definition = { definition: refDefinitionInput() };
    const created = await session.transport.send(REF_DEFINITION_CREATE, definition, requestedCost(adminSchema('2025-01'), parse(REF_DEFINITION_CREATE), definition), true, signal);
    if (created.kind !== 'ok') return false;
    const answer = refDefinitionCreateAnswer.safeParse(created.data);
    const payload = answer.success ? answer.data.metafieldDefinitionCreate : undefined;
    return !!payload?.createdDefinition || !!payload?.userErrors.some((e) => e.code === 'TAKEN');
  }
}

export function createShopifyTarget(options: ShopifyTargetOptions): ShopifyTarget {
  return new ShopifyTarget(options);
}

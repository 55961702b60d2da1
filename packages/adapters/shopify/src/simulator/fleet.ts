/**
 * `SimulatorFleet`: many shops from one simulator process, so that a fleet of connectors can be
 * tested and measured on one machine. Each shop is its own `SimShop` (its store, buckets, tokens,
 * app installs, faults and logs: shop-state.ts); one HTTP server, one request pipeline and one
 * version calendar serve them all. A request names its shop (http.ts `routeOf`): by
 * `X-Forwarded-Host`, which the Shopify target and the credentials' token requests send with an
 * `endpoint` (one endpoint, `fleet.url`, serves every shop), by `Host`, or by a
 * `/shops/{shopDomain}` path prefix (`fleet.endpointOf(shopDomain)`).
 *
 * Shops are made with the fleet's options, and those of their own (`FleetShopOptions`): all at
 * start when `shops` lists them, else (`shops: 'any'`) each at its first Admin API request or
 * `fleet.shop(domain)`. A shop nobody has written to holds an empty store: its cost is the
 * maps it starts with (measured in the package README).
 */
import { mkdirSync } from 'node:fs';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { ValidationError } from '@shopsync/core';
import { formatPath, parseOrThrow } from '@shopsync/core/internal';
import { fleetBase, fleetOptionsSchema, shopConfig, type FleetBase, type FleetConfig, type FleetOptions, type FleetShopOptions } from './fleet-options.js';
import { listen, NOT_FOUND_BODY, routeOf, send, stopServer } from './http.js';
import { answerTokenRequest, TOKEN_PATH } from './oauth.js';
import { shopDomainSchema } from './options.js';
import { RequestPipeline } from './pipeline.js';
import { SimShop, stateOf } from './shop.js';
import { ShopState } from './shop-state.js';
import { policyOf, type VersionPolicy } from './versions.js';

/** The answer to a request that names no shop (the loopback address as Host, no X-Forwarded-Host, no `/shops/` prefix). */
const NO_SHOP_BODY = JSON.stringify({ errors: 'Not Found: this simulator serves many shops; name one in X-Forwarded-Host, in Host, or with a /shops/{shopDomain} path prefix.' });

/** What a fleet has served, over all its shops. */
export interface FleetStats {
  /** Shops made so far. */
  shops: number;
  /** Admin API requests the shops answered since the start (not only those their logs keep). */
  requests: number;
  /** THROTTLED answers, over all shops (since each shop's last `clearLog`). */
  throttled: number;
  /** Requests answered 404 because they named no shop, or a shop the fleet does not serve. */
  unrouted: number;
}

/** Many shops, one server: see the file's header. */
export class SimulatorFleet {
  /** The fleet's options, defaults filled in. */
  readonly config: FleetConfig;
  readonly #base: FleetBase;
  readonly #policy: VersionPolicy;
  readonly #pipeline: RequestPipeline;
  readonly #shops = new Map<string, SimShop>();
  #server: Server | undefined;
  #url = '';
  #unrouted = 0;
  #closed = false;

  private constructor(config: FleetConfig) {
    this.config = config;
    this.#base = fleetBase(config);
    this.#policy = policyOf(config);
    this.#pipeline = new RequestPipeline(this.#policy);
    if (config.stateDir !== undefined) mkdirSync(config.stateDir, { recursive: true });
    if (config.shops !== 'any') for (const entry of config.shops) this.#make(entry as string | FleetShopOptions);
  }

  /** Starts a fleet; options are validated (a bad one throws a ValidationError naming it), listed shops made. */
  static async start(options: FleetOptions): Promise<SimulatorFleet> {
    const config = parseOrThrow(fleetOptionsSchema, options, 'options', 'simulator fleet options');
    const fleet = new SimulatorFleet(config);
    try {
      const { server, url } = await listen(config.host, config.port, (req, res) => fleet.#handle(req, res));
      fleet.#server = server;
      fleet.#url = url;
    } catch (err) {
      await fleet.close();
      throw err;
    }
    return fleet;
  }

  /** `http://127.0.0.1:PORT`: the one endpoint of every shop for the Shopify target (it names the shop in X-Forwarded-Host). */
  get url(): string {
    return this.#url;
  }

  /** `http://127.0.0.1:PORT/shops/{shopDomain}`: an endpoint that names the shop in its path, for a client that cannot set headers. */
  endpointOf(shopDomain: string): string {
    return `${this.#url}/shops/${shopDomain}`;
  }

  /** A shop's GraphQL endpoint for a version (its path names the shop). */
  graphqlUrl(shopDomain: string, version: string): string {
    return `${this.endpointOf(shopDomain)}/admin/api/${version}/graphql.json`;
  }

  /** A shop's token endpoint (its path names the shop). */
  tokenUrl(shopDomain: string): string {
    return `${this.endpointOf(shopDomain)}${TOKEN_PATH}`;
  }

  /** Versions served as themselves, and those flagged deprecated (the same for every shop). */
  get versions(): VersionPolicy {
    return this.#policy;
  }

  /**
   * A shop by its domain. In a fleet of `any` shop a shop not made yet is made now, with the
   * fleet's options; in a fleet that lists its shops, an unlisted domain throws (as its requests
   * get 404), unless `addShop` added it.
   */
  shop(shopDomain: string): SimShop {
    const shop = this.#shops.get(shopDomain);
    if (shop) return shop;
    if (this.config.shops !== 'any') throw new RangeError(`The fleet serves no shop ${shopDomain}: its shops are listed (options.shops); add one with addShop.`);
    return this.#make(shopDomain);
  }

  /** Makes a shop with options of its own (`plan`, `accessTokens`, …; see FLEET_SHOP_KEYS). Throws if the fleet has it already, or on a bad option (a ValidationError naming it). */
  addShop(shop: string | FleetShopOptions): SimShop {
    const domain = typeof shop === 'string' ? shop : shop.shopDomain;
    if (this.#shops.has(domain)) throw new Error(`The fleet has a shop ${domain} already.`);
    return this.#make(shop);
  }

  /** Whether the shop has been made (listed, added, or asked for). */
  hasShop(shopDomain: string): boolean {
    return this.#shops.has(shopDomain);
  }

  /** The domains of the shops made so far, in the order they were made. */
  get shopDomains(): string[] {
    return [...this.#shops.keys()];
  }

  /** How many shops there are. */
  get size(): number {
    return this.#shops.size;
  }

  /** What the fleet has served, over all its shops (it reads every shop's log counts: not for each request). */
  stats(): FleetStats {
    let requests = 0;
    let throttled = 0;
    for (const shop of this.#shops.values()) {
      const { log } = stateOf(shop);
      requests += log.total;
      throttled += log.throttledCount;
    }
    return { shops: this.#shops.size, requests, throttled, unrouted: this.#unrouted };
  }

  /** Stops serving: every shop as `ShopifySimulator.close` stops its one (fetches aborted, files written, held requests let go), then the server. */
  async close(): Promise<void> {
    this.#closed = true;
    await Promise.all([...this.#shops.values()].map((shop) => stateOf(shop).close()));
    if (this.#server) await stopServer(this.#server);
  }

  #make(shop: string | FleetShopOptions): SimShop {
    if (this.#closed) throw new Error('The fleet is closed.');
    const r = shopConfig(this.#base, this.config.stateDir, shop);
    if (!r.success) throw new ValidationError('simulator fleet shop options', r.error.issues.map((i) => ({ path: formatPath('shop', i.path), message: i.message })));
    const made = new SimShop(new ShopState(r.data));
    this.#shops.set(r.data.shopDomain, made);
    return made;
  }

  #handle(req: IncomingMessage, res: ServerResponse): void {
    const route = routeOf(req);
    const shop = route?.shop === undefined ? undefined : this.#routed(route.shop, route.path);
    if (!route || !shop) {
      this.#unrouted += 1;
      return send(res, { status: 0 }, 404, route && route.shop === undefined ? NO_SHOP_BODY : NOT_FOUND_BODY);
    }
    const state = stateOf(shop);
    if (route.path === TOKEN_PATH) void answerTokenRequest(req, res, state);
    else void this.#pipeline.handle(req, res, state, route.path);
  }

  /** The shop a request names: made now in a fleet of `any` shop, for a request to the Admin API of a `*.myshopify.com` domain. */
  #routed(domain: string, path: string): SimShop | undefined {
    const shop = this.#shops.get(domain);
    if (shop || this.config.shops !== 'any' || this.#closed || !path.startsWith('/admin/') || !shopDomainSchema.safeParse(domain).success) return shop;
    return this.#make(domain);
  }
}

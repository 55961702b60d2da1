/**
 * `ShopifySimulator`: the simulator's face. It starts and stops the HTTP server for one shop, and
 * is that shop (`SimShop`, shop.ts): the request logs, read-only views of the store, faults to
 * inject, the token buckets, apps' installs and tokens, and the merchant's own edits (seeding,
 * deleting). `SimulatorFleet` (fleet.ts) serves many shops from one server. The work is elsewhere:
 *
 *   pipeline.ts      the HTTP request pipeline (shop, route, version, token, body, prepare, fault, cost, execute, answer)
 *   http.ts          the server, the shop a request names (`routeOf`), bodies and answers
 *   shop-state.ts    one shop's state; shop.ts its face    fleet.ts, fleet-options.ts  many shops, one server
 *   oauth.ts         the token endpoint (`POST /admin/oauth/access_token`); grants.ts  apps, installs, refresh chains
 *   prepare.ts       parse, validate, input limits (input-limits.ts), deprecations (deprecations.ts), cost
 *   resolvers.ts     the GraphQL root fields (and resolvers-catalog.ts), answering with views.ts, views-catalog.ts
 *   store.ts         the store and its rules (model.ts, product-set*.ts, variants-bulk.ts, inventory.ts,
 *                    metafields.ts and metafield-types.ts, media.ts, publications.ts, taxonomy.ts,
 *                    locales.ts, translatable.ts and translations.ts; resolvers-translations.ts)
 *   media-fetch.ts   media faults and the fetch of files' sources; files-query.ts the `files` search
 *   faults.ts        injected faults    tokens.ts   tokens and their buckets    request-log.ts   the log
 *   inspection.ts    snapshots          persistence.ts   the store's file       versions.ts      the version calendar
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { parseOrThrow } from '@shopsync/core/internal';
import { isForStore, listen, routeOf, stopServer } from './http.js';
import { answerTokenRequest, TOKEN_PATH } from './oauth.js';
import { simulatorOptionsSchema, type SimulatorOptions } from './options.js';
import { RequestPipeline } from './pipeline.js';
import { SimShop } from './shop.js';
import { ShopState } from './shop-state.js';
import { policyOf, type VersionPolicy } from './versions.js';

/**
 * A local Shopify Admin API: `POST /admin/api/{version}/graphql.json` with
 * `X-Shopify-Access-Token`, on 127.0.0.1. It executes GraphQL with graphql-js against the
 * project's Admin schema subset, keeps a store in memory, charges Shopify's calculated query cost
 * to a leaky bucket per app (THROTTLED as HTTP 200, MAX_COST_EXCEEDED over the single-query
 * limit), serves API versions as Shopify does (fall-forward, deprecation header), answers 401
 * to a wrong, expired or revoked token and 403 to a public app's non-expiring token from
 * `nonExpiringCutoff`, waits a configurable latency, and fails on demand. Apps (`options.apps`)
 * get and refresh tokens at `POST /admin/oauth/access_token` (oauth.ts). It is its one shop: the
 * shop's API (`SimShop`) is the simulator's. Requests may name the shop by `X-Forwarded-Host`,
 * `Host` or a `/shops/{shopDomain}` path prefix; the loopback address names it too.
 */
export class ShopifySimulator extends SimShop {
  readonly #state: ShopState;
  readonly #policy: VersionPolicy;
  readonly #pipeline: RequestPipeline;
  #server: Server | undefined;
  #url = '';

  private constructor(state: ShopState, policy: VersionPolicy) {
    super(state);
    this.#state = state;
    this.#policy = policy;
    this.#pipeline = new RequestPipeline(policy);
  }

  /** Starts a simulator; options are validated (a bad one throws a ValidationError naming it). */
  static async start(options: SimulatorOptions): Promise<ShopifySimulator> {
    const config = parseOrThrow(simulatorOptionsSchema, options, 'options', 'simulator options');
    const sim = new ShopifySimulator(new ShopState(config), policyOf(config));
    try {
      const { server, url } = await listen(config.host, config.port, (req, res) => sim.#handle(req, res));
      sim.#server = server;
      sim.#url = url;
    } catch (err) {
      await sim.#state.close();
      throw err;
    }
    return sim;
  }

  #handle(req: IncomingMessage, res: ServerResponse): void {
    const route = routeOf(req);
    const forStore = isForStore(route, this.shopDomain);
    const path = route?.path ?? (req.url ?? '/').split('?')[0]!;
    if (path === TOKEN_PATH) void answerTokenRequest(req, res, this.#state, forStore);
    else void this.#pipeline.handle(req, res, this.#state, path, forStore);
  }

  /** `http://127.0.0.1:PORT`: the origin to give the Shopify target as its endpoint. */
  get url(): string {
    return this.#url;
  }

  /** The token endpoint, `POST /admin/oauth/access_token` (oauth.ts). */
  get tokenUrl(): string {
    return `${this.#url}${TOKEN_PATH}`;
  }

  /** The GraphQL endpoint for a version. */
  graphqlUrl(version: string): string {
    return `${this.#url}/admin/api/${version}/graphql.json`;
  }

  /** Versions served as themselves, and those flagged deprecated. */
  get versions(): VersionPolicy {
    return this.#policy;
  }

  /**
   * Stops serving: aborts the fetches of files' sources under way (their files stay pending, and
   * are fetched again by a simulator that reads the store's file), writes the store's file if a
   * write is pending, drops held and open connections.
   */
  async close(): Promise<void> {
    await this.#state.close();
    if (this.#server) await stopServer(this.#server);
  }
}

/**
 * A fleet's options (`SimulatorFleet.start`): the simulator's, less the one shop's domain and
 * file, plus which shops it serves (`shops`) and where their files go (`stateDir`); and how one
 * shop's options are made from them (`shopConfig`).
 */
import { join } from 'node:path';
import { z } from 'zod';
import { checkShopOptions, shopDomainSchema, simulatorObject, simulatorOptionsSchema, type SimulatorConfig, type SimulatorOptions } from './options.js';

/**
 * The options a shop of a fleet may set apart from the fleet's. The others are the fleet's alone:
 * one server (`host`, `port`, `maxBodyBytes`), one version calendar (`versions`, `now`), and the
 * logs, faults and media settings every shop shares.
 */
export const FLEET_SHOP_KEYS = [
  'shopName',
  'plan',
  'bucketSize',
  'restoreRate',
  'maxQueryCost',
  'accessTokens',
  'apps',
  'tokenLifetimes',
  'nonExpiringCutoff',
  'latency',
  'maxVariantsPerProduct',
  'locations',
  'publications',
  'locales',
] as const;
/** One of FLEET_SHOP_KEYS. */
export type FleetShopKey = (typeof FLEET_SHOP_KEYS)[number];

/** One shop of a fleet: its domain, and what it sets apart from the fleet's options (a list replaces the fleet's: `accessTokens: ['x']` is the only token it accepts). */
export type FleetShopOptions = { shopDomain: string } & Partial<Pick<SimulatorOptions, FleetShopKey>>;

/** A shop entry's keys (values are checked with the fleet's options merged in, by `shopConfig`). */
const fleetShopEntrySchema = z.object({ shopDomain: shopDomainSchema, ...Object.fromEntries(FLEET_SHOP_KEYS.map((k) => [k, z.unknown().optional()])) }).strict();

/** A fleet's options, validated (`SimulatorFleet.start` throws a ValidationError naming a bad one). */
export const fleetOptionsSchema = simulatorObject
  .omit({ shopDomain: true, statePath: true })
  .extend({
    /**
     * `any` (the default): every `*.myshopify.com` domain is a shop, made with the fleet's options
     * at its first Admin API request (or `fleet.shop(domain)`). A list: these shops only (made at
     * start, each a domain or `{ shopDomain, ...its own options }`); other domains get 404.
     * `fleet.addShop` adds one in either case.
     */
    shops: z.union([z.literal('any'), z.array(z.union([shopDomainSchema, fleetShopEntrySchema])).min(1).max(1_000_000)]).default('any'),
    /** A directory that keeps each shop's store in `<shopDomain>.json` (as `statePath` keeps one shop's), read when the shop is made. */
    stateDir: z.string().min(1, 'expected a directory path').optional(),
  })
  .strict()
  .superRefine((o, ctx) => {
    checkShopOptions(o, ctx);
    if (o.shops === 'any') return;
    const seen = new Set<string>();
    const base = fleetBase(o);
    o.shops.forEach((entry, i) => {
      const domain = typeof entry === 'string' ? entry : entry.shopDomain;
      if (seen.has(domain)) ctx.addIssue({ code: 'custom', path: ['shops', i], message: `expected each shop once; ${domain} is listed before` });
      seen.add(domain);
      if (typeof entry === 'string') return;
      const r = shopConfig(base, o.stateDir, entry as FleetShopOptions);
      if (!r.success) for (const issue of r.error.issues) ctx.addIssue({ code: 'custom', path: ['shops', i, ...issue.path], message: issue.message });
    });
  });

/** The options `SimulatorFleet.start` takes. */
export type FleetOptions = Omit<z.input<typeof fleetOptionsSchema>, 'shops'> & { shops?: 'any' | ReadonlyArray<string | FleetShopOptions> };
/** A fleet's options with their defaults filled in (`fleet.config`). */
export type FleetConfig = z.output<typeof fleetOptionsSchema>;
/** What every shop of a fleet starts from: the fleet's options without its list of shops and their directory. */
export type FleetBase = Omit<SimulatorConfig, 'shopDomain' | 'statePath'>;

/** A fleet's options as every shop starts from them. */
export function fleetBase(config: FleetConfig): FleetBase {
  const { shops: _shops, stateDir: _stateDir, ...base } = config;
  return base;
}

/** The file a shop's store is kept in, in a fleet's `stateDir`. */
export function shopStatePath(stateDir: string, shopDomain: string): string {
  return join(stateDir, `${shopDomain}.json`);
}

/**
 * One shop's options: the fleet's, its domain, its file in `stateDir`, and what it sets itself
 * (validated with the fleet's merged in, as `ShopifySimulator.start` validates its options). A
 * shop that sets nothing of its own shares the fleet's values (nothing is parsed again).
 */
export function shopConfig(base: FleetBase, stateDir: string | undefined, shop: string | FleetShopOptions): z.ZodSafeParseResult<SimulatorConfig> {
  // A key given as undefined is not given: the fleet's value stands.
  const own = typeof shop === 'string' ? { shopDomain: shop } : Object.fromEntries(Object.entries(shop).filter(([, v]) => v !== undefined));
  const entry = fleetShopEntrySchema.safeParse(own);
  if (!entry.success) return entry as z.ZodSafeParseResult<never>;
  const file = stateDir === undefined ? {} : { statePath: shopStatePath(stateDir, entry.data.shopDomain) };
  if (Object.keys(own).length === 1) return { success: true, data: { ...base, shopDomain: entry.data.shopDomain, ...file } };
  return simulatorOptionsSchema.safeParse({ ...base, ...file, ...own });
}

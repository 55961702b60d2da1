import { z } from 'zod';
import { DEFAULT_LOCALES, localeProblem } from './locales.js';
import { DEFAULT_PUBLICATIONS } from './publications.js';

/** Shopify's GraphQL Admin API rate limits by plan: restore rate (points/s) and bucket size. */
export const PLAN_PRESETS = {
  standard: { restoreRate: 100, bucketSize: 2_000 },
  advanced: { restoreRate: 200, bucketSize: 4_000 },
  plus: { restoreRate: 1_000, bucketSize: 20_000 },
  enterprise: { restoreRate: 2_000, bucketSize: 40_000 },
} as const;
/** A Shopify plan, by its rate limits. */
export type Plan = keyof typeof PLAN_PRESETS;

/** Latency close to a real store's: a base per request plus time per mutation. */
export const REALISTIC_LATENCY = { baseMs: 150, perMutationMs: 15, jitterMs: 40 } as const;

const versionSchema = z.string().regex(/^(\d{4}-(0[1-9]|1[0-2])|unstable)$/, 'expected an API version such as "2026-01"');
const tokenSchema = z.string().min(1, 'expected a non-empty token').max(1_000);

/** The date from which Shopify refuses public apps' non-expiring offline tokens on the Admin API. */
export const NON_EXPIRING_CUTOFF = '2027-01-01T00:00:00Z';
/** The scopes an app is granted unless its `scope` says otherwise. */
export const DEFAULT_APP_SCOPE = 'write_products,write_inventory,read_locations';

/**
 * An app installed on the store that gets its tokens from Shopify (OAuth, the token endpoint)
 * rather than a fixed token of `accessTokens`.
 */
export const simulatorAppSchema = z
  .object({
    /** The app's client id (API key): public, it may appear in logs. */
    clientId: z.string().min(1).max(255).regex(/^[\x21-\x7e]+$/, 'expected printable ASCII without spaces'),
    /** The app's client secret: never logged. */
    clientSecret: z.string().min(1, 'expected a non-empty secret').max(1_000),
    /** `public`: an App Store app (refused non-expiring tokens from `nonExpiringCutoff`); `custom`: a custom or Dev Dashboard app. */
    distribution: z.enum(['public', 'custom']),
    /** The app may get tokens with the client credentials grant (a Dev Dashboard app of the store's own organization). */
    clientCredentials: z.boolean().default(false),
    /** Non-expiring offline tokens the app already holds (an install before expiring tokens). */
    offlineTokens: z.array(tokenSchema).default([]),
    /** The scopes granted, as the token endpoint names them (comma-separated). */
    scope: z.string().regex(/^[a-z_]+(,[a-z_]+)*$/, 'expected comma-separated scopes such as "write_products,read_locations"').default(DEFAULT_APP_SCOPE),
  })
  .strict();
/** An app installed on the store (`options.apps`), defaults filled in. */
export type SimulatorApp = z.output<typeof simulatorAppSchema>;

/**
 * A locale (language) of the shop (`options.locales`): its code, whether it is the primary one
 * (the language of the catalog's own content) and whether buyers see it (`published`, by default
 * only the primary one is).
 */
export const shopLocaleSchema = z
  .object({
    locale: z.string().superRefine((code, ctx) => {
      const problem = localeProblem(code);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }),
    primary: z.boolean().default(false),
    published: z.boolean().optional(),
  })
  .strict()
  .transform((l) => ({ locale: l.locale, primary: l.primary, published: l.published ?? l.primary }));

const lifetime = (seconds: number) => z.number().min(0.05, 'expected at least 0.05 seconds').max(10 * 365 * 86_400).default(seconds);

/** A shop's `*.myshopify.com` domain. */
export const shopDomainSchema = z.string().regex(/^[a-z0-9][a-z0-9-]*\.myshopify\.com$/, 'expected a store domain such as "my-store.myshopify.com"');

/** The options' fields, before the checks across them (`checkShopOptions`); a fleet's options are made from them (fleet-options.ts). */
export const simulatorObject = z
  .object({
    /** Loopback only: the simulator is never reachable from elsewhere. */
    host: z.literal('127.0.0.1').default('127.0.0.1'),
    /** 0 picks a free port. */
    port: z.number().int().min(0).max(65_535).default(0),
    shopDomain: shopDomainSchema.default('shopsync-simulator.myshopify.com'),
    shopName: z.string().min(1).max(255).default('Shopsync Simulator'),
    /**
     * Fixed access tokens the store accepts, each a legacy custom app's (its own rate-limit
     * bucket; never expires; not affected by `nonExpiringCutoff`). Optional when `apps` are given.
     */
    accessTokens: z.array(tokenSchema).default([]),
    /** Apps installed on the store, which get tokens at `POST /admin/oauth/access_token` (oauth.ts). */
    apps: z.array(simulatorAppSchema).default([]),
    /** How long issued tokens live, in seconds (fractions allowed, so tests can watch one expire). */
    tokenLifetimes: z
      .object({
        /** Expiring offline access tokens (Shopify: 60 minutes). */
        accessSeconds: lifetime(3_600),
        /** Refresh tokens, each from its issue (Shopify: 90 days). */
        refreshSeconds: lifetime(90 * 86_400),
        /** Client credentials access tokens (Shopify: 86,399 s, a day). */
        clientCredentialsSeconds: lifetime(86_399),
      })
      .strict()
      .prefault({}),
    /**
     * From this date, Admin API requests with a public app's non-expiring offline token get HTTP
     * 403 (Shopify: 2027-01-01). Compared with `now` when given, else the clock. null: never.
     */
    nonExpiringCutoff: z
      .date()
      .nullable()
      .default(() => new Date(NON_EXPIRING_CUTOFF)),
    plan: z.enum(['standard', 'advanced', 'plus', 'enterprise']).default('standard'),
    /** Overrides the plan's bucket size (points). */
    bucketSize: z.number().int().min(1).max(1_000_000).optional(),
    /** Overrides the plan's restore rate (points per second). */
    restoreRate: z.number().positive().max(1_000_000).optional(),
    /** The single-query limit on requested cost (Shopify: 1,000). */
    maxQueryCost: z.number().int().min(1).max(1_000_000).default(1_000),
    latency: z
      .object({
        baseMs: z.number().min(0).max(60_000).default(0),
        perMutationMs: z.number().min(0).max(60_000).default(0),
        jitterMs: z.number().min(0).max(60_000).default(0),
      })
      .strict()
      .default({ baseMs: 0, perMutationMs: 0, jitterMs: 0 }),
    versions: z
      .object({
        /** Versions served as themselves; others fall forward (or back) to the nearest of these. */
        supported: z.array(versionSchema).min(1).optional(),
        /** Version -> reason, sent as X-Shopify-API-Deprecated-Reason with every answer of that version. */
        deprecated: z.record(versionSchema, z.string().min(1).max(500)).optional(),
      })
      .strict()
      .default({}),
    /** The date the version calendar is read at (default: now). */
    now: z.date().optional(),
    /** Variants per product, at most (default by version: 100, 2,048 from 2025-10). */
    maxVariantsPerProduct: z.number().int().min(1).max(100_000).optional(),
    /** The store's locations; the first is the primary one, where new inventory is stocked. */
    locations: z
      .array(z.object({ name: z.string().min(1).max(255), active: z.boolean().default(true) }).strict())
      .min(1)
      .default([{ name: 'Main warehouse', active: true }]),
    /** How long a request hit by a "hang" fault is held before its connection is dropped. */
    hangMs: z.number().int().min(1).max(600_000).default(60_000),
    /** Requests kept in the request log (the oldest go first). */
    logLimit: z.number().int().min(1).max(10_000_000).default(100_000),
    /** Keep each request's GraphQL document in the request log (tests validate what clients sent). */
    recordQueries: z.boolean().default(false),
    /**
     * A JSON file the store is kept in: read at start when it exists, written (atomically) shortly
     * after each change and at close. Without it the store lives in memory only. Only the store
     * is kept: tokens issued by the simulator (and revoked grants) are not, so after a restart
     * only `accessTokens` and the apps' `offlineTokens` work.
     */
    statePath: z.string().min(1, 'expected a file path').optional(),
    /** Request bodies above this size get 413. */
    maxBodyBytes: z.number().int().min(1_024).max(100_000_000).default(10_000_000),
    /** Files (product media): how they are processed (media.ts, media-fetch.ts). */
    media: z
      .object({
        /** A new file is UPLOADED, PROCESSING after half of this, READY (or FAILED) after all of it. */
        processingMs: z.number().int().min(0).max(3_600_000).default(50),
        /**
         * GET each new file's source (http/https, 10 s at most) and fail the file as Shopify would:
         * IMAGE_DOWNLOAD_FAILURE, UNSUPPORTED_IMAGE_FILE_TYPE, INVALID_IMAGE_FILE_SIZE.
         */
        fetch: z.boolean().default(false),
        /** The largest image fetched (Shopify: 20 MB). */
        maxBytes: z.number().int().min(1).max(1_000_000_000).default(20_000_000),
      })
      .strict()
      .prefault({}),
    /** The store's publications (sales channels), by title; ids `gid://shopify/Publication/<n>`. */
    publications: z.array(z.string().min(1).max(255)).max(50).default([...DEFAULT_PUBLICATIONS]),
    /**
     * The shop's locales: exactly one primary (published), the others take translations whether
     * published or not. Default: English only. Translations of a locale no longer listed are
     * dropped when the store is read from its file.
     */
    locales: z
      .array(shopLocaleSchema)
      .min(1)
      .max(100)
      .default(() => DEFAULT_LOCALES.map((l) => ({ ...l }))),
  })
  .strict();

/** What `checkShopOptions` reads: the options one shop is made with. */
export type ShopChecked = Pick<z.output<typeof simulatorObject>, 'accessTokens' | 'apps' | 'publications' | 'locales'>;

/** The checks across a shop's options: a token or an app, publications and locales once each, one primary locale, every token given once. */
export function checkShopOptions(o: ShopChecked, ctx: z.RefinementCtx): void {
  if (o.accessTokens.length === 0 && o.apps.length === 0) {
    ctx.addIssue({ code: 'custom', path: ['accessTokens'], message: 'expected at least one access token (or an app in options.apps)' });
  }
  o.publications.forEach((title, i) => {
    if (o.publications.indexOf(title) !== i) ctx.addIssue({ code: 'custom', path: ['publications', i], message: 'expected each publication title once' });
  });
  if (o.locales.filter((l) => l.primary).length !== 1) ctx.addIssue({ code: 'custom', path: ['locales'], message: 'expected exactly one primary locale' });
  o.locales.forEach((l, i) => {
    if (o.locales.findIndex((x) => x.locale === l.locale) !== i) ctx.addIssue({ code: 'custom', path: ['locales', i, 'locale'], message: 'expected each locale once' });
    if (l.primary && !l.published) ctx.addIssue({ code: 'custom', path: ['locales', i, 'published'], message: 'the primary locale is always published' });
  });
  // Every client id once; every fixed token belongs to one app (or to `accessTokens`) only.
  const clientIds = new Set<string>();
  const tokens = new Set(o.accessTokens);
  o.apps.forEach((app, i) => {
    if (clientIds.has(app.clientId)) ctx.addIssue({ code: 'custom', path: ['apps', i, 'clientId'], message: 'expected each app’s client id once' });
    clientIds.add(app.clientId);
    app.offlineTokens.forEach((t, j) => {
      if (tokens.has(t)) ctx.addIssue({ code: 'custom', path: ['apps', i, 'offlineTokens', j], message: 'this token is already given (in accessTokens or another app)' });
      tokens.add(t);
    });
  });
}

/** The simulator's options, validated (`ShopifySimulator.start` throws a ValidationError naming a bad one). */
export const simulatorOptionsSchema = simulatorObject.superRefine(checkShopOptions);

/** The options `ShopifySimulator.start` takes. */
export type SimulatorOptions = z.input<typeof simulatorOptionsSchema>;
/** The options with their defaults filled in (`sim.config`). */
export type SimulatorConfig = z.output<typeof simulatorOptionsSchema>;

import { z } from 'zod';

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

/** The simulator's options, validated (`ShopifySimulator.start` throws a ValidationError naming a bad one). */
export const simulatorOptionsSchema = z
  .object({
    /** Loopback only: the simulator is never reachable from elsewhere. */
    host: z.literal('127.0.0.1').default('127.0.0.1'),
    /** 0 picks a free port. */
    port: z.number().int().min(0).max(65_535).default(0),
    shopDomain: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]*\.myshopify\.com$/, 'expected a store domain such as "my-store.myshopify.com"')
      .default('shopsync-simulator.myshopify.com'),
    shopName: z.string().min(1).max(255).default('Shopsync Simulator'),
    /** Access tokens the store accepts; any other gets 401. */
    accessTokens: z.array(z.string().min(1, 'expected a non-empty token').max(1_000)).min(1, 'expected at least one access token'),
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
     * after each change and at close. Without it the store lives in memory only.
     */
    statePath: z.string().min(1, 'expected a file path').optional(),
    /** Request bodies above this size get 413. */
    maxBodyBytes: z.number().int().min(1_024).max(100_000_000).default(10_000_000),
  })
  .strict();

/** The options `ShopifySimulator.start` takes. */
export type SimulatorOptions = z.input<typeof simulatorOptionsSchema>;
/** The options with their defaults filled in (`sim.config`). */
export type SimulatorConfig = z.output<typeof simulatorOptionsSchema>;

import { z } from 'zod';
import type { CredentialsProvider } from '../credentials/provider.js';

/** Reasons Shopify accepts for a stock change (inventorySetQuantities `reason`). */
export const INVENTORY_REASONS = [
  'correction',
  'cycle_count_available',
  'damaged',
  'movement_created',
  'movement_updated',
  'movement_received',
  'movement_canceled',
  'other',
  'promotion',
  'quality_control',
  'received',
  'reservation_created',
  'reservation_deleted',
  'reservation_updated',
  'restock',
  'safety_stock',
  'shrinkage',
] as const;

/** Which connector's credentials a resolver is asked for. */
export interface CredentialsFor {
  connectorId: string;
  shopDomain: string;
}

const providerSchema = z.custom<CredentialsProvider>(
  (v) => typeof v === 'object' && v !== null && typeof (v as CredentialsProvider).accessToken === 'function' && typeof (v as CredentialsProvider).secrets === 'function',
  'expected a CredentialsProvider (fixedToken, expiringToken, clientCredentials)',
);

export const shopifyTargetOptionsSchema = z
  .object({
    /** A fixed Admin API access token (`shpat_…`, a legacy custom app's): the same as `credentials: fixedToken(token)`. Held by the target only. */
    accessToken: z.string().min(1, 'expected the Admin API access token').max(1_000, 'expected at most 1,000 characters').optional(),
    /**
     * Where the access token comes from: a provider (fixedToken, expiringToken, clientCredentials),
     * or a function that gives each connector its own (`({ connectorId, shopDomain }) => provider`,
     * called once per connector and store, and again after the target suspended the connector).
     */
    credentials: z
      .union([providerSchema, z.custom<(c: CredentialsFor) => CredentialsProvider>((v) => typeof v === 'function', 'expected a function of { connectorId, shopDomain } that returns a CredentialsProvider')])
      .optional(),
    /**
     * Where to send requests instead of `https://{shopDomain}`: a local simulator
     * (`http://127.0.0.1:PORT`) or a proxy. The store domain goes along as X-Forwarded-Host.
     */
    endpoint: z
      .string()
      .regex(/^https?:\/\/[^\s/?#]+(\/[^\s?#]*)?$/, 'expected an http(s) origin such as "http://127.0.0.1:8080"')
      .optional(),
    /** Requests in flight at once, at most (the bucket decides below that). */
    maxInFlight: z.number().int().min(1).max(32).default(8),
    /** Requested cost per request, at most (Shopify's single-query limit is 1,000). */
    maxCostPerRequest: z.number().int().min(10).max(1_000).default(1_000),
    /** Aliased operations per request, at most (the requested cost limits mutations well below). */
    maxOperationsPerRequest: z.number().int().min(1).max(250).default(100),
    /** Time for one request to be answered. */
    requestTimeoutMs: z.number().int().min(50).max(600_000).default(30_000),
    /** Failed requests (network, 5xx, timeouts) are tried this many times in all, with capped exponential backoff. */
    retry: z
      .object({
        maxAttempts: z.number().int().min(1).max(20),
        baseMs: z.number().int().min(0).max(60_000),
        maxMs: z.number().int().min(0).max(600_000),
      })
      .strict()
      .default({ maxAttempts: 5, baseMs: 500, maxMs: 15_000 }),
    /** THROTTLED answers in a row for one request before it is given up (each waits what the bucket needs). */
    maxThrottleRetries: z.number().int().min(0).max(1_000).default(30),
    /**
     * How long a variant whose product is not in the store waits for it, returning to the queue,
     * before it fails with PRODUCT_NOT_FOUND. Items may arrive in any order (after a crash, a
     * product leased by the dead process comes back only when its lease expires, while its
     * variants go on), so this should exceed the engine's lease.
     */
    productWaitMs: z.number().int().min(0).max(86_400_000).default(900_000),
    /**
     * How long a product waits for Shopify to process its new images (it stays pending, and is
     * checked again now and then) before it fails saying which images are still processing.
     */
    mediaWaitMs: z.number().int().min(0).max(86_400_000).default(600_000),
    /**
     * The least time between an upload and the check of its processing; the target learns from
     * there (longer while checks find images still processing, shorter when they find them done),
     * because a check costs what it returns, and it returns every image still processing.
     */
    mediaRetryMs: z.number().int().min(10).max(600_000).default(2_000),
    /** The reason stock changes are recorded with in Shopify's inventory history. */
    inventoryReason: z.enum(INVENTORY_REASONS).default('correction'),
    userAgentPrefix: z.string().min(1).max(100).default('shopsync'),
  })
  .strict()
  .refine((o) => (o.accessToken === undefined) !== (o.credentials === undefined), { message: 'expected either accessToken (a fixed token) or credentials (a provider), and not both', path: ['credentials'] });

/**
 * The target's settings as a host writes them: credentials (a fixed token or a provider), an endpoint
 * other than the store (a simulator, a proxy), and the pacing and batching limits, each with a
 * default.
 */
export type ShopifyTargetOptionsInput = z.input<typeof shopifyTargetOptionsSchema>;
export type ShopifyTargetOptionsParsed = z.output<typeof shopifyTargetOptionsSchema>;

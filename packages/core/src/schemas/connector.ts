import { z } from 'zod';
import { hostRecord, languageSchema, warehouseRefSchema } from './common.js';
import { metafieldNamespaceSchema } from './metafield.js';

/** `YYYY-MM`; whether Shopify knows it is the API-version policy's business, not the schema's. */
export const apiVersionSchema = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'expected a Shopify API version as YYYY-MM');

export { languageSchema } from './common.js';

/**
 * Checks a connector id: 1 to 64 letters, digits, `_`, `.` or `-`, starting with a letter or digit
 * (ids appear in storage keys, URLs and file names).
 */
export const connectorIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, 'expected 1-64 letters, digits, "_", "." or "-"');

/**
 * A connector: one link from the host to one Shopify store. Credentials are not part of it:
 * the target adapter holds them, so nothing core stores, emits or exports can contain one.
 */
export const connectorConfigSchema = z
  .object({
    id: connectorIdSchema,
    shopDomain: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]*\.myshopify\.com$/, 'expected a store domain such as "my-store.myshopify.com"'),
    apiVersion: apiVersionSchema,
    enabled: z.boolean().default(true),
    disableDeletions: z.boolean().default(false),
    overwriteStock: z.boolean().default(false),
    includeEmptyCategories: z.boolean().default(false),
    language: languageSchema.default('en'),
    /** Where a variant's single stock number goes (default: the store's primary location). */
    locationId: z.string().min(1).optional(),
    /**
     * Where each of the host's warehouses keeps its stock at the store: warehouse reference ->
     * Shopify location, by id (`gid://shopify/Location/1`) or by name as the store shows it
     * (resolved once, when a sync starts). A variant's stock given per warehouse goes there; a
     * warehouse not named here is an item error of its variant.
     */
    locations: hostRecord(z.record(warehouseRefSchema, z.string().trim().min(1, 'expected a location name or id').max(255))).default({}),
    /**
     * The sales channels products are published to, by name as the store shows them ("Online
     * Store", "Point of Sale") or by publication id (`gid://shopify/Publication/1`). New products
     * are published there; archived ones are unpublished. Empty: shopsync publishes nothing.
     */
    publications: z
      .array(z.string().trim().min(1, 'expected a sales channel name or publication id').max(255))
      .max(20)
      .refine((list) => new Set(list).size === list.length, 'expected each sales channel once')
      .default([]),
    /**
     * Metafield namespaces shopsync owns: a metafield the host stops sending is deleted from the
     * store only in these; others are left as the merchant or other apps keep them.
     */
    ownedMetafieldNamespaces: z.array(metafieldNamespaceSchema).max(50).default([]),
    /** Create a metafield definition where one is missing for a metafield in an owned namespace (else such a metafield is sent without one). */
    createMetafieldDefinitions: z.boolean().default(false),
  })
  .strict();

/**
 * A connector's configuration as core uses it: checked, with every default filled in (what
 * `connectorConfigSchema` outputs).
 */
export type ConnectorConfig = z.output<typeof connectorConfigSchema>;
/** A connector's configuration as a host writes it: the settings with a default may be left out. */
export type ConnectorConfigInput = z.input<typeof connectorConfigSchema>;

import { z } from 'zod';

/** `YYYY-MM`; whether Shopify knows it is the API-version policy's business, not the schema's. */
export const apiVersionSchema = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'expected a Shopify API version as YYYY-MM');

/** BCP 47 language tag, simplified: `en`, `es`, `pt-BR`. */
export const languageSchema = z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'expected a language tag such as "en" or "pt-BR"');

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
    locationId: z.string().min(1).optional(),
  })
  .strict();

export type ConnectorConfig = z.output<typeof connectorConfigSchema>;
export type ConnectorConfigInput = z.input<typeof connectorConfigSchema>;

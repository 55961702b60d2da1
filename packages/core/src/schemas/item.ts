import { z } from 'zod';
import { entitySchema, isoDate, refSchema, schemaVersion } from './common.js';
import { changeSchema } from './change.js';

export const ITEM_STATES = ['pending', 'complete', 'error'] as const;
export const itemStateSchema = z.enum(ITEM_STATES);
export type ItemState = z.infer<typeof itemStateSchema>;

/** An error about one item, as the store reported it (for Shopify: a userError). */
export const itemErrorSchema = z.object({
  code: z.string().max(200).optional(),
  /** Path of the offending input field, e.g. ["input", "variants", "0", "price"]. */
  field: z.array(z.string()).optional(),
  message: z.string().max(10_000),
});
export type ItemError = z.infer<typeof itemErrorSchema>;

export const skipReasonSchema = z.enum(['unchanged', 'deletions_disabled', 'empty_category']);
export type SkipReason = z.infer<typeof skipReasonSchema>;

/** The latest outcome for one item (the Item Synchronization Status tab). */
export const itemStatusSchema = z.object({
  v: schemaVersion,
  entity: entitySchema,
  ref: refSchema,
  parentRef: refSchema.optional(),
  op: z.enum(['upsert', 'delete']),
  status: itemStateSchema,
  /** Errors of the latest attempt; kept while a retry is pending so the user still sees why. */
  errors: z.array(itemErrorSchema),
  skipped: skipReasonSchema.optional(),
  syncEventId: z.string().optional(),
  updatedAt: isoDate,
  shopifyId: z.string().optional(),
  /** Sync events in a row in which this item failed (0 once it succeeds). */
  consecutiveFailures: z.number().int().nonnegative(),
  /**
   * The change last attempted, kept for failed items so that a retry can send it again, and for
   * a category skipped as empty, which the queue sends again when a product names it.
   */
  change: changeSchema.optional(),
});
export type ItemStatus = z.infer<typeof itemStatusSchema>;

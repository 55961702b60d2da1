import { z } from 'zod';
import { entitySchema, isoDate, refSchema, schemaVersion } from './common.js';
import { changeSchema } from './change.js';

/**
 * Every state an item can be in: the values of `ItemState`, to list or iterate over (the Item
 * Synchronization Status tab's filter).
 */
export const ITEM_STATES = ['pending', 'complete', 'error'] as const;
/** Checks an item state: `pending`, `complete` or `error`. */
export const itemStateSchema = z.enum(ITEM_STATES);
/**
 * An item's latest state: `pending` (a change of it waits to be sent), `complete`, or `error` (its
 * last attempt failed).
 */
export type ItemState = z.infer<typeof itemStateSchema>;

/** An error about one item, as the store reported it (for Shopify: a userError). */
export const itemErrorSchema = z.object({
  code: z.string().max(200).optional(),
  /** Path of the offending input field, e.g. ["input", "variants", "0", "price"]. */
  field: z.array(z.string()).optional(),
  message: z.string().max(10_000),
});
/**
 * An error the store reported about one item (for Shopify, a userError): its message, and the error
 * code and input field when the store named them.
 */
export type ItemError = z.infer<typeof itemErrorSchema>;

export const skipReasonSchema = z.enum(['unchanged', 'deletions_disabled', 'empty_category']);
/**
 * Why an item was completed without writing to the store: `unchanged` since its last sync,
 * `deletions_disabled` by the connector, or an `empty_category` the connector leaves out.
 */
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
/**
 * The latest outcome for one item, a row of the Item Synchronization Status tab: its state, the errors
 * of its last attempt, the sync event that recorded it, and its Shopify id once it has one.
 */
export type ItemStatus = z.infer<typeof itemStatusSchema>;

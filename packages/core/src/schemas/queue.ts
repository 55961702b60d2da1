import { z } from 'zod';
import { entitySchema, isoDate, refSchema, schemaVersion } from './common.js';
import { changeSchema } from './change.js';

/** A change as the queue holds it: validated, keyed and stamped. */
export const queueEntrySchema = z.object({
  v: schemaVersion,
  /** `${entity}:${ref}`: the coalescing key. */
  key: z.string(),
  entity: entitySchema,
  ref: refSchema,
  change: changeSchema,
  /** Send even if unchanged since the last sync (force refresh, retries). */
  force: z.boolean(),
  /** Order of first arrival among pending entries; coalescing keeps it. */
  seq: z.number().int().nonnegative(),
  enqueuedAt: isoDate,
});
/**
 * A change as the queue holds it: checked, keyed by item, stamped with its arrival, and marked when it
 * must be sent even if unchanged. Storage adapters keep and return these.
 */
export type QueueEntry = z.infer<typeof queueEntrySchema>;

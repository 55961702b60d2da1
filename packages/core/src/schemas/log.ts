import { z } from 'zod';
import { entitySchema, isoDate, schemaVersion } from './common.js';

export const logLevelSchema = z.enum(['info', 'warn', 'error']);
/** How much a log line matters: `info`, `warn` or `error`. */
export type LogLevel = z.infer<typeof logLevelSchema>;

/** One line of a sync event's downloadable log. */
export const logEntrySchema = z.object({
  v: schemaVersion,
  at: isoDate,
  level: logLevelSchema,
  eventId: z.string(),
  iteration: z.number().int().positive().optional(),
  entity: entitySchema.optional(),
  ref: z.string().optional(),
  code: z.string().optional(),
  message: z.string(),
});
/**
 * One line of a sync event's downloadable log: when, how serious, what happened, and the iteration and
 * item it concerns, if any.
 */
export type LogEntry = z.infer<typeof logEntrySchema>;

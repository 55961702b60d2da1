/**
 * What the handler accepts, as zod schemas: query strings (every value a string, each key at
 * most once) and JSON bodies. Unknown keys are refused, so a misspelt filter is an error rather
 * than silently ignored. Field rules come from core's schemas (entity, item state, reference,
 * ISO instant) so that the server accepts exactly what the engine does.
 */
import { z } from 'zod';
import { entitySchema, isoDate, itemStateSchema, refSchema } from '@shopsync/core/internal';

/** A whole number written in a query string. */
const whole = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d{1,15}$/, 'expected a whole number')
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));

const page = { offset: whole(0, Number.MAX_SAFE_INTEGER), limit: whole(1, 1_000) };
const filter = { ref: z.string().max(255).refine((s) => !s.includes('\0'), 'expected no NUL character'), status: itemStateSchema, entity: entitySchema, since: isoDate };

export const noQuery = z.object({}).strict();
export const eventsQuery = z.object(page).partial().strict();
export const itemsQuery = z
  .object({ ...filter, ...page })
  .partial()
  .strict();
export const filterQuery = z.object(filter).partial().strict();
export const logsQuery = z.object({ format: z.enum(['jsonl', 'csv']).default('jsonl') }).strict();
export const streamQuery = z.object({ lastEventId: z.string().max(200) }).partial().strict();
export const lastEventIdHeader = z.object({ 'last-event-id': z.string().max(200) }).partial();

/** A sync event id as a path segment. */
export const eventIdParam = z.string().min(1).max(200);

export const retryItemBody = z.object({ entity: entitySchema, ref: refSchema }).strict();
export const retryFailedBody = z.object(filter).partial().strict();
export const connectorBody = z.object({ enabled: z.boolean() }).strict();

/**
 * A query string as an object: one key once is a string; a key given twice is an array (and refused).
 * The object has no prototype, so that keys such as `__proto__` or `constructor` are own keys like
 * any other (refused as unknown, by name) rather than reaching Object.prototype.
 */
export function queryObject(params: URLSearchParams): Record<string, string | string[]> {
  const out = Object.create(null) as Record<string, string | string[]>;
  for (const [key, value] of params) {
    const seen = out[key];
    out[key] = seen === undefined ? value : Array.isArray(seen) ? [...seen, value] : [seen, value];
  }
  return out;
}

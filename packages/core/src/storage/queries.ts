/**
 * The queries a reader may put to a connector's storage, validated at the edge: item filters,
 * item pages and event pages. Shared by the engine and by sources that read a storage without
 * an engine in their process, so that both accept, default and bound the same queries.
 */
import { z } from 'zod';
import { entitySchema, isoDate, refSchema } from '../schemas/common.js';
import { itemStateSchema } from '../schemas/item.js';
import { parseOrThrow } from '../validate.js';
import type { ItemQuery, PageQuery } from './adapter.js';

export const itemRefSchema = z.object({ entity: entitySchema, ref: refSchema }).strict();

/** A reference substring to filter by (no NUL: no reference holds one, and PostgreSQL's text refuses it). */
const refFilter = z.string().max(255).refine((s) => !s.includes('\0'), 'expected no NUL character');

/** The Item tab's filter without a status (used to choose failed items). */
export const itemFilterSchema = z
  .object({ ref: refFilter.optional(), entity: entitySchema.optional(), since: isoDate.optional() })
  .strict();

export const itemQuerySchema = z
  .object({
    ref: refFilter.optional(),
    status: itemStateSchema.optional(),
    entity: entitySchema.optional(),
    since: isoDate.optional(),
    offset: z.number().int().min(0).default(0),
    limit: z.number().int().min(1).max(1_000).default(50),
  })
  .strict();

export const pageQuerySchema = z
  .object({ offset: z.number().int().min(0).default(0), limit: z.number().int().min(1).max(1_000).default(20) })
  .strict();

/**
 * Filters that choose items (reference substring, kind, updated since) without a state: what a retry
 * of failed items takes.
 */
export type ItemFilter = z.input<typeof itemFilterSchema>;
/** An item query as a caller writes it: filters, state and page, each optional (offset 0 and limit 50 unless given). */
export type ItemQueryInput = z.input<typeof itemQuerySchema>;

/** An item query with its defaults (offset 0, limit 50); throws ValidationError naming the field at fault. */
export function parseItemQuery(query: unknown): ItemQuery {
  return parseOrThrow(itemQuerySchema, query, 'query') as ItemQuery;
}

/** An event page with its defaults (offset 0, limit 20); throws ValidationError naming the field at fault. */
export function parsePageQuery(query: unknown): PageQuery {
  return parseOrThrow(pageQuerySchema, query, 'query');
}

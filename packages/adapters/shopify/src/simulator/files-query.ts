/**
 * The `files` query: the shop's files filtered by Shopify's search syntax (search.ts) and sorted
 * by `sortKey`. The fields a sync needs are understood:
 *
 *   status:FAILED                 READY, PROCESSING, UPLOADED, FAILED (any case)
 *   created_at:>'2026-12-05T10:00:00Z', updated_at:<=2026-12-05    also >=, <, and : (equal);
 *                                 a date alone stands for its whole day (UTC)
 *   id:123, id:>123               a file's numeric id
 *   product_id:123                files that are media of that product
 *   media_type:IMAGE              IMAGE (the simulator's files are images)
 *   filename:tent.png, filename:tent*
 *
 * A query with anything else is an error the client sees (BAD_REQUEST), never "every file".
 */
import { GraphQLError } from 'graphql';
import type { SimFile } from './model.js';
import { evaluate, parseQuery, termsOf, type Comparison } from './search.js';
import type { SimStore } from './store.js';

/** The `files` arguments, as graphql-js coerced them. */
export interface FilesArgs {
  first?: number | null;
  after?: string | null;
  query?: string | null;
  sortKey?: string | null;
  reverse?: boolean | null;
}

const STATUSES = new Set(['UPLOADED', 'PROCESSING', 'READY', 'FAILED']);
const MEDIA_TYPES = new Set(['IMAGE', 'VIDEO', 'EXTERNAL_VIDEO', 'MODEL_3D', 'GENERIC_FILE']);
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})?$/;
const DAY_MS = 86_400_000;

function bad(message: string): never {
  throw new GraphQLError(`Invalid files query: ${message}`, { extensions: { code: 'BAD_REQUEST' } });
}

/** A date or date-time value as the span of time it stands for: [from, to). */
function span(value: string, field: string): [number, number] {
  if (DATE.test(value)) {
    const from = Date.parse(`${value}T00:00:00Z`);
    if (!Number.isNaN(from)) return [from, from + DAY_MS];
  } else if (DATE_TIME.test(value)) {
    const at = Date.parse(/(Z|[+-]\d{2}:\d{2})$/.test(value) ? value : `${value}Z`);
    if (!Number.isNaN(at)) return [at, at + 1];
  }
  return bad(`${field} needs a date such as 2026-12-05 or a date and time such as '2026-12-05T10:00:00Z', not '${value}'.`);
}

function compare(op: Comparison, value: number, [from, to]: [number, number]): boolean {
  switch (op) {
    case ':':
      return value >= from && value < to;
    case '>':
      return value >= to;
    case '>=':
      return value >= from;
    case '<':
      return value < from;
    case '<=':
      return value < to;
  }
}

function numericId(value: string, field: string): number {
  const m = /^(?:gid:\/\/shopify\/[A-Za-z]+\/)?(\d+)$/.exec(value);
  return m ? Number(m[1]) : bad(`${field} needs a numeric id, not '${value}'.`);
}

const idOf = (gid: string) => Number(gid.slice(gid.lastIndexOf('/') + 1));

/** Checks every term of a query before anything is matched: an unknown field or a bad value is an error. */
function checkTerms(query: string): ReturnType<typeof parseQuery> {
  const node = parseQuery(query);
  if (node && 'error' in node) bad(node.error);
  for (const t of node ? termsOf(node) : []) {
    const exactOnly = () => t.op !== ':' && bad(`${t.field} takes no comparison (${t.op}).`);
    if (t.field === 'status') {
      exactOnly();
      if (!STATUSES.has(t.value.toUpperCase())) bad(`status is one of ${[...STATUSES].join(', ')}, not '${t.value}'.`);
    } else if (t.field === 'created_at' || t.field === 'updated_at') span(t.value, t.field);
    else if (t.field === 'id') numericId(t.value, 'id');
    else if (t.field === 'product_id') {
      exactOnly();
      numericId(t.value, 'product_id');
    } else if (t.field === 'media_type') {
      exactOnly();
      if (!MEDIA_TYPES.has(t.value.toUpperCase())) bad(`media_type is one of ${[...MEDIA_TYPES].join(', ')}, not '${t.value}'.`);
    } else if (t.field === 'filename') exactOnly();
    else bad(`the simulator does not search files by ${t.field} (it knows status, created_at, updated_at, id, product_id, media_type, filename).`);
  }
  return node;
}

/** The shop's files a `files` query asks for, in its order. Throws a GraphQLError for a query it cannot run. */
export function findFiles(store: SimStore, args: FilesArgs): SimFile[] {
  const node = args.query ? checkTerms(args.query) : null;
  const nowMs = store.now().getTime();
  const states = new Map([...store.media.files.values()].map((f) => [f.id, store.media.state(f, nowMs)]));
  const matches = (f: SimFile) =>
    !node ||
    'error' in node ||
    evaluate(node, (field, op, value) => {
      const state = states.get(f.id)!;
      switch (field) {
        case 'status':
          return state.status === value.toUpperCase();
        case 'created_at':
          return compare(op, Date.parse(f.createdAt), span(value, field));
        case 'updated_at':
          return compare(op, Date.parse(state.updatedAt), span(value, field));
        case 'id': {
          const n = numericId(value, field);
          return compare(op, idOf(f.id), [n, n + 1]);
        }
        case 'product_id':
          return store.products.get(`gid://shopify/Product/${numericId(value, field)}`)?.mediaIds.includes(f.id) ?? false;
        case 'media_type':
          return value.toUpperCase() === 'IMAGE';
        case 'filename': {
          const name = f.filename.toLowerCase();
          const v = value.toLowerCase();
          return v.endsWith('*') ? name.startsWith(v.slice(0, -1)) : name === v;
        }
        default:
          return false;
      }
    });
  const key = args.sortKey ?? 'ID';
  const sortValue = (f: SimFile): number | string => {
    if (key === 'CREATED_AT') return Date.parse(f.createdAt);
    if (key === 'UPDATED_AT') return Date.parse(states.get(f.id)!.updatedAt);
    if (key === 'FILENAME') return f.filename.toLowerCase();
    if (key === 'ORIGINAL_UPLOAD_SIZE') return f.size ?? 0;
    return idOf(f.id);
  };
  const found = [...store.media.files.values()].filter(matches);
  found.sort((a, b) => {
    const x = sortValue(a);
    const y = sortValue(b);
    return x < y ? -1 : x > y ? 1 : idOf(a.id) - idOf(b.id);
  });
  return args.reverse ? found.reverse() : found;
}

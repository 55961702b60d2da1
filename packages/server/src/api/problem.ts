/**
 * Errors as RFC 9457 problem details (`application/problem+json`): a type URI per kind of
 * problem, a title, the status, a detail sentence, the request id, and for invalid input every
 * field at fault (`errors: [{ field, message }]`, fields as `body.config.shopDomain`).
 */
import { ShopsyncError, ValidationError } from '@shopsync/core';
import { remoteText } from '@shopsync/core/internal';
import { z } from 'zod';

/** The media type of problem details. */
export const PROBLEM_TYPE = 'application/problem+json';

/** A field at fault. */
export interface FieldProblem {
  /** Where: `body.config.shopDomain`, `query.limit`, `header.idempotency-key`, `body[3].ref`. */
  field: string;
  message: string;
}

/** A problem details body. */
export interface Problem {
  type: string;
  title: string;
  /** The last part of `type`, to branch on (`invalid-request`, `connector-exists`, `idempotency-key-in-use`…). */
  code: string;
  status: number;
  detail: string;
  instance?: string;
  requestId?: string;
  errors?: FieldProblem[];
  [extension: string]: unknown;
}

const TITLES: Record<number, [slug: string, title: string]> = {
  400: ['invalid-request', 'Invalid request'],
  401: ['unauthorized', 'Authentication required'],
  403: ['forbidden', 'Not allowed'],
  404: ['not-found', 'Not found'],
  405: ['method-not-allowed', 'Method not allowed'],
  409: ['conflict', 'Conflict'],
  413: ['too-large', 'Request too large'],
  415: ['unsupported-media-type', 'Unsupported media type'],
  422: ['unprocessable', 'Unprocessable request'],
  500: ['internal', 'Internal error'],
  503: ['unavailable', 'Service unavailable'],
};

/** An error a route throws to answer with a problem. */
export class ApiProblem extends Error {
  readonly status: number;
  readonly errors: FieldProblem[] | undefined;
  readonly slug: string | undefined;
  readonly headers: Record<string, string>;
  constructor(status: number, detail: string, options: { errors?: FieldProblem[]; slug?: string; headers?: Record<string, string> } = {}) {
    super(detail);
    this.status = status;
    this.errors = options.errors;
    this.slug = options.slug;
    this.headers = options.headers ?? {};
  }
}

/** A problem body for `status`. */
export function problem(status: number, detail: string, extra: { errors?: FieldProblem[]; slug?: string; requestId?: string; instance?: string } = {}): Problem {
  const [slug, title] = TITLES[status] ?? ['error', 'Error'];
  const code = extra.slug ?? slug;
  return {
    type: `https://shopsync.dev/problems/${code}`,
    title,
    code,
    status,
    detail,
    ...(extra.instance && { instance: extra.instance }),
    ...(extra.requestId && { requestId: extra.requestId }),
    ...(extra.errors && { errors: extra.errors }),
  };
}

/** Issues of a zod error, under `prefix` (`body`, `query`…). */
export function zodProblems(error: z.ZodError, prefix: string): FieldProblem[] {
  return error.issues.map((i) => ({ field: [prefix, ...i.path.map((p) => (typeof p === 'number' ? `[${p}]` : String(p)))].join('.').replace(/\.\[/g, '['), message: i.message }));
}

/** Parses `value` with `schema`, or throws a 400 naming every field at fault under `prefix`. */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, prefix: string): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const errors = zodProblems(parsed.error, prefix);
  throw new ApiProblem(400, `Invalid ${prefix}: ${errors.slice(0, 5).map((e) => `${e.field}: ${e.message}`).join('; ')}${errors.length > 5 ? ` … and ${errors.length - 5} more` : ''}`, { errors });
}

/** What a thrown error becomes: a problem the route meant, a 400 for core's ValidationError (fields under `prefix`), else a 500 that says nothing inside. */
export function toProblem(error: unknown, prefix = 'body'): { status: number; body: Omit<Problem, 'requestId'>; headers: Record<string, string>; internal: boolean } {
  if (error instanceof ApiProblem) return { status: error.status, body: problem(error.status, error.message, { ...(error.errors && { errors: error.errors }), ...(error.slug && { slug: error.slug }) }), headers: error.headers, internal: false };
  if (error instanceof ValidationError) {
    const errors = error.issues.map((i) => ({ field: i.path ? `${prefix}${i.path.startsWith('[') ? '' : '.'}${i.path}` : prefix, message: i.message }));
    return { status: 400, body: problem(400, remoteText(error.message), { errors }), headers: {}, internal: false };
  }
  if (error instanceof ShopsyncError && (error.code === 'connector_not_found' || error.code === 'not_found')) return { status: 404, body: problem(404, remoteText(error.message)), headers: {}, internal: false };
  if (error instanceof ShopsyncError && error.code === 'connector_exists') return { status: 409, body: problem(409, remoteText(error.message), { slug: 'connector-exists' }), headers: {}, internal: false };
  return { status: 500, body: problem(500, 'The service failed to answer this request; it has been logged with the request id.'), headers: {}, internal: true };
}

/** The problem details schema, for the OpenAPI document. */
export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    code: z.string().meta({ description: 'The last part of type, to branch on.' }),
    status: z.number().int(),
    detail: z.string(),
    instance: z.string().optional(),
    requestId: z.string().optional(),
    errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  })
  .meta({ id: 'Problem', description: 'An error, as RFC 9457 problem details.' });

import type { ErrorIssue } from '../shared/protocol.js';

/**
 * A request of `HttpSyncSource` failed. `status` is the HTTP status (0 when no answer came:
 * network down, or the source was closed); `code` and `message` are the server's (`invalid_input`,
 * `forbidden`, `not_found`…) or the client's own (`network`, `closed`, `http_502`…); `issues`
 * name the offending fields of a 400. The message is the server's text, shown as text only.
 */
export class HttpSourceError extends Error {
  override name = 'HttpSourceError';
  readonly status: number;
  readonly code: string;
  readonly issues: readonly ErrorIssue[];
  constructor(status: number, code: string, message: string, options: { issues?: readonly ErrorIssue[]; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.status = status;
    this.code = code;
    this.issues = options.issues ?? [];
  }
}

const MAX_MESSAGE = 2_000;

/** The error a non-2xx response stands for: the server's JSON error body (the handler's, or problem details) when it sent one. */
export async function errorFromResponse(res: Response): Promise<HttpSourceError> {
  let body: unknown;
  try {
    body = await res.json();
  } catch {
    body = undefined;
  }
  const e = (body as { error?: { code?: unknown; message?: unknown; issues?: unknown } } | undefined)?.error;
  if (e && typeof e.message === 'string') {
    const issues = Array.isArray(e.issues)
      ? e.issues.flatMap((i: { path?: unknown; message?: unknown }) => (typeof i?.path === 'string' && typeof i.message === 'string' ? [{ path: i.path, message: i.message }] : []))
      : [];
    return new HttpSourceError(res.status, typeof e.code === 'string' ? e.code : `http_${res.status}`, e.message.slice(0, MAX_MESSAGE), { issues });
  }
  // RFC 9457 problem details, as a server in front of the handler answers (shopsync serve's 401 and 403).
  const p = body as { detail?: unknown; code?: unknown; errors?: unknown } | undefined;
  if (p && typeof p.detail === 'string') {
    const issues = Array.isArray(p.errors)
      ? p.errors.flatMap((i: { field?: unknown; message?: unknown }) => (typeof i?.field === 'string' && typeof i.message === 'string' ? [{ path: i.field, message: i.message }] : []))
      : [];
    return new HttpSourceError(res.status, typeof p.code === 'string' ? p.code : `http_${res.status}`, p.detail.slice(0, MAX_MESSAGE), { issues });
  }
  return new HttpSourceError(res.status, `http_${res.status}`, `The server answered ${res.status}${res.statusText ? ` ${res.statusText}` : ''}.`);
}

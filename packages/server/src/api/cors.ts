/**
 * CORS for the panel routes: a page may call them from another origin only when that origin is
 * in the connector's `allowedOrigins`. The rest of the API is for servers and sends no CORS
 * headers (a browser page never holds an API key).
 */
import type { Services } from '../services.js';

/** Headers of an answer to an allowed origin. */
export function corsHeaders(origin: string): Record<string, string> {
  return {
    'Access-Control-Allow-Origin': origin,
    Vary: 'Origin',
    'Access-Control-Expose-Headers': 'Content-Disposition, X-Request-Id',
  };
}

/** Extra headers of a preflight answer. */
export const PREFLIGHT_HEADERS: Readonly<Record<string, string>> = {
  'Access-Control-Allow-Methods': 'GET, POST, PUT',
  'Access-Control-Allow-Headers': 'Authorization, Content-Type, Last-Event-ID, X-Request-Id',
  'Access-Control-Max-Age': '600',
};

/** Whether `origin` may embed the panel of `connectorId`. */
export async function isOriginAllowed(s: Services, connectorId: string, origin: string): Promise<boolean> {
  const settings = await s.store.getSettings(connectorId);
  return settings?.allowedOrigins.includes(origin.toLowerCase()) ?? false;
}

/**
 * Shopify's token endpoint, `POST https://{shop}/admin/oauth/access_token`: the refresh-token and
 * client-credentials grants. Answers are parsed (zod); failures become typed ConnectionErrors that
 * say what to do. Lost answers, 5xx and network failures are retried with capped exponential
 * backoff and jitter: a refresh may be sent again safely, because Shopify keeps the previous
 * refresh token valid until the new access token is first used (changelog 2026-08-28).
 */
import { ConnectionError, type Clock, type BackoffOptions } from '@shopsync/core';
import { backoffDelay, remoteText, sleep } from '@shopsync/core/internal';
import { z } from 'zod';
import { asSentence } from '../text.js';
import type { SecretList } from './provider.js';

export interface TokenEndpointOptions {
  shopDomain: string;
  /** Origin to send to instead of `https://{shopDomain}` (the simulator, a proxy); the store goes along as X-Forwarded-Host. */
  endpoint?: string | undefined;
  timeoutMs: number;
  retry: BackoffOptions & { maxAttempts: number };
  clock: Clock;
  random?: () => number;
}

const lifetime = z.number().positive('expected a lifetime in seconds, above 0').max(10 * 365 * 86_400);

/** What the endpoint answers to a grant. */
export const tokenAnswerSchema = z.object({
  access_token: z.string().min(1, 'expected the access token').max(4_000),
  expires_in: lifetime.optional(),
  refresh_token: z.string().min(1).max(4_000).optional(),
  refresh_token_expires_in: lifetime.optional(),
  scope: z.string().max(10_000).optional(),
});
export type TokenAnswer = z.output<typeof tokenAnswerSchema>;

const errorAnswerSchema = z.object({ error: z.string().max(200), error_description: z.string().max(2_000).optional() });

type Attempt = { kind: 'done'; answer: TokenAnswer } | { kind: 'failed'; error: ConnectionError } | { kind: 'retry'; error: ConnectionError };

/** Sends one grant and returns the endpoint's answer, or throws a ConnectionError saying why not. */
export async function requestToken(options: TokenEndpointOptions, grant: Record<string, string>, secrets: SecretList, signal: AbortSignal): Promise<TokenAnswer> {
  const { retry, clock } = options;
  for (let attempt = 0; ; attempt++) {
    signal.throwIfAborted();
    const result = await once(options, grant, secrets, signal);
    if (result.kind === 'done') return result.answer;
    if (result.kind === 'failed') throw result.error;
    if (attempt + 1 >= retry.maxAttempts) {
      throw new ConnectionError(result.error.kind, `${asSentence(result.error.message)} Gave up after ${attempt + 1} attempts.`, result.error.httpStatus !== undefined ? { httpStatus: result.error.httpStatus } : {});
    }
    await sleep(clock, backoffDelay(attempt, retry, options.random), signal);
  }
}

async function once(options: TokenEndpointOptions, grant: Record<string, string>, secrets: SecretList, signal: AbortSignal): Promise<Attempt> {
  const scrub = (text: string, max = 500) => remoteText(secrets.scrub(text), max);
  const origin = options.endpoint?.replace(/\/+$/, '') ?? `https://${options.shopDomain}`;
  const headers: Record<string, string> = { 'Content-Type': 'application/json', Accept: 'application/json' };
  if (options.endpoint) headers['X-Forwarded-Host'] = options.shopDomain;
  const timeout = new AbortController();
  const cancel = options.clock.setTimer(() => timeout.abort(), options.timeoutMs);
  let response: Response;
  let text: string;
  try {
    response = await fetch(`${origin}/admin/oauth/access_token`, { method: 'POST', headers, body: JSON.stringify(grant), signal: AbortSignal.any([signal, timeout.signal]) });
    text = await response.text();
  } catch (err) {
    signal.throwIfAborted();
    if (timeout.signal.aborted) return { kind: 'retry', error: new ConnectionError('timeout', `Shopify's token endpoint did not answer within ${options.timeoutMs} ms.`) };
    return { kind: 'retry', error: new ConnectionError('network', `Shopify's token endpoint could not be reached: ${scrub(err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err))}.`) };
  } finally {
    cancel();
  }
  const status = response.status;
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (status >= 500) return { kind: 'retry', error: new ConnectionError('server_error', `Shopify's token endpoint answered HTTP ${status}.`, { httpStatus: status }) };
  if (status === 200) {
    const parsed = tokenAnswerSchema.safeParse(body);
    if (parsed.success) {
      secrets.add(parsed.data.access_token, parsed.data.refresh_token);
      return { kind: 'done', answer: parsed.data };
    }
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? ` (${issue.path.join('.')}: ${issue.message})` : '';
    return { kind: 'failed', error: new ConnectionError('unknown', `Shopify's token endpoint gave an answer that could not be read${body === undefined ? ' (not JSON)' : where}; the credentials were left as they were.`, { httpStatus: status }) };
  }
  const error = errorAnswerSchema.safeParse(body);
  const code = error.success ? error.data.error : undefined;
  const said = error.success ? `${error.data.error}${error.data.error_description ? `: ${scrub(error.data.error_description)}` : ''}` : `HTTP ${status}`;
  if (code === 'invalid_grant') {
    return {
      kind: 'failed',
      error: new ConnectionError('reauthorize', `Shopify refused the refresh token (${said}): the app's authorization with this store has ended (the refresh token expired or was revoked, or the app was uninstalled).`, { httpStatus: status }),
    };
  }
  if (code === 'invalid_client' || status === 401) {
    return { kind: 'failed', error: new ConnectionError('auth', `Shopify refused the app's client id or secret (${said}): check them in the app's settings in the Dev Dashboard.`, { httpStatus: status }) };
  }
  return { kind: 'failed', error: new ConnectionError('unknown', `Shopify's token endpoint refused the request (${said}).`, { httpStatus: status }) };
}

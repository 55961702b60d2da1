import type { GeneralErrorCode } from '../schemas/event.js';
import { ShopsyncError } from './shopsync-error.js';

/**
 * Why the target could not be used. `reauthorize`: the app's authorization with the store has
 * ended (refresh token expired or revoked, app uninstalled); unlike `auth`, no credential the host
 * holds can fix it: the merchant must authorize the app again.
 */
export type ConnectionErrorKind = 'auth' | 'reauthorize' | 'not_found' | 'network' | 'timeout' | 'version' | 'server_error' | 'unknown';

const ADVICE: Record<ConnectionErrorKind, string> = {
  auth: 'Check the Shopify API credentials (access token and its scopes).',
  reauthorize: 'The merchant must reinstall or re-authorize the app in Shopify; then give the connector the credentials that gives.',
  not_found: 'Check the store domain: no Shopify store answered at that address.',
  network: 'Check the network connection to the Shopify store.',
  timeout: 'The Shopify store did not answer in time; try again later.',
  version: 'Check the configured Shopify API version.',
  server_error: 'Shopify answered with a server error; try again later.',
  unknown: 'Check the Shopify API credentials and the store connection.',
};

/** The general error code a connection failure of each kind is recorded with. */
export const CONNECTION_ERROR_CODES: Readonly<Record<ConnectionErrorKind, GeneralErrorCode>> = {
  auth: 'auth',
  reauthorize: 'reauthorize',
  not_found: 'not_found',
  network: 'network',
  timeout: 'timeout',
  version: 'version',
  server_error: 'server_error',
  unknown: 'internal',
};

/** The target could not be reached or refused us. `kind` says which, `retryable` whether to try again. */
export class ConnectionError extends ShopsyncError {
  override name = 'ConnectionError';
  readonly kind: ConnectionErrorKind;
  readonly retryable: boolean;
  readonly httpStatus: number | undefined;
  constructor(kind: ConnectionErrorKind, message: string, options: { httpStatus?: number; cause?: unknown } = {}) {
    super(`connection_${kind}`, message, { cause: options.cause });
    this.kind = kind;
    this.httpStatus = options.httpStatus;
    this.retryable = kind === 'network' || kind === 'timeout' || kind === 'server_error';
  }

  /** What a user should check, in a sentence. */
  get advice(): string {
    return ADVICE[this.kind];
  }
}

/**
 * Embed tokens: what an ERP's backend mints (through the API, with its key) so that the panel on
 * its own pages reads one connector, cross-origin, without ever holding an API key. A token is a
 * JWT (HS256, through `jose`) naming the connector and what it allows (`read`, or `act`: read and
 * the panel's actions), valid minutes to hours. The signing key is derived (HKDF) from the
 * service's first secret key; every secret key verifies, so keys rotate as credentials' do.
 */
import { hkdfSync, randomBytes } from 'node:crypto';
import { jwtVerify, SignJWT, errors as joseErrors } from 'jose';

/** What a panel may do with a token. */
export type EmbedAccess = 'read' | 'act';

/** A verified token's claims. */
export interface EmbedClaims {
  connectorId: string;
  access: EmbedAccess;
  /** Epoch seconds. */
  expiresAt: number;
}

const ISSUER = 'shopsync';
const AUDIENCE = 'shopsync-panel';

/** Signs and verifies embed tokens with keys derived from the service's secret keys. */
export class EmbedTokens {
  readonly #keys: ReadonlyMap<string, Uint8Array>;
  readonly #current: string;

  constructor(secretKeys: ReadonlyArray<{ id: string; key: string }>) {
    if (secretKeys.length === 0) throw new Error('EmbedTokens: expected at least one secret key');
    this.#keys = new Map(secretKeys.map((k) => [k.id, new Uint8Array(hkdfSync('sha256', Buffer.from(k.key, 'base64'), Buffer.alloc(0), 'shopsync embed tokens v1', 32))]));
    this.#current = secretKeys[0]!.id;
  }

  /** A token for `connectorId`, valid `ttlSeconds` from `now` (epoch ms). */
  async mint(connectorId: string, access: EmbedAccess, ttlSeconds: number, now: number): Promise<{ token: string; expiresAt: number }> {
    const iat = Math.floor(now / 1000);
    const exp = iat + ttlSeconds;
    const token = await new SignJWT({ access })
      .setProtectedHeader({ alg: 'HS256', kid: this.#current, typ: 'JWT' })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setSubject(connectorId)
      .setIssuedAt(iat)
      .setExpirationTime(exp)
      .setJti(randomBytes(12).toString('base64url'))
      .sign(this.#keys.get(this.#current)!);
    return { token, expiresAt: exp };
  }

  /** The claims of a valid token; undefined for anything else (malformed, forged, expired, another audience). */
  async verify(token: string, now: number): Promise<EmbedClaims | undefined> {
    try {
      const { payload } = await jwtVerify(token, (header) => {
        const key = header.kid === undefined ? undefined : this.#keys.get(header.kid);
        if (!key) throw new joseErrors.JWSSignatureVerificationFailed();
        return key;
      }, { issuer: ISSUER, audience: AUDIENCE, algorithms: ['HS256'], currentDate: new Date(now), clockTolerance: 5 });
      const access = payload['access'];
      if (typeof payload.sub !== 'string' || (access !== 'read' && access !== 'act') || typeof payload.exp !== 'number') return undefined;
      return { connectorId: payload.sub, access, expiresAt: payload.exp };
    } catch {
      return undefined;
    }
  }
}

/** Whether a string is shaped like a JWT (three base64url parts). */
export const isTokenShaped = (value: string): boolean => /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(value);

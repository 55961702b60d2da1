/**
 * Where a connector's grant lives between runs and between processes: a small interface, with one
 * implementation over the connector's storage (so every storage adapter keeps it: memory, SQLite,
 * IndexedDB, and what comes) and one in memory. The storage one seals the grant with the host's
 * key (secret-box.ts) and refuses to store it in clear.
 *
 * Renewals take turns: `exclusive` runs one at a time per connector in this process, and a store
 * shared by several processes (PostgreSQL, coming) can make it one at a time across them.
 */
import { ShopsyncError, type StorageAdapter } from '@shopsync/core';
import { parseOrThrow } from '@shopsync/core/internal';
import { z } from 'zod';
import { SecretBox, type SecretKey } from './secret-box.js';

const epochMs = z.number().int().nonnegative();
const token = z.string().min(1).max(4_000);

/** A grant as stored (never in clear outside memory). Times are epoch milliseconds. */
export const storedGrantSchema = z.discriminatedUnion('kind', [
  z
    .object({
      v: z.literal(1),
      /** An expiring offline token and the refresh token that renews it. */
      kind: z.literal('refresh'),
      accessToken: token,
      /** When the access token expires, and when it was issued (its lifetime decides how early it is renewed). */
      expiresAt: epochMs,
      issuedAt: epochMs,
      refreshToken: token,
      refreshTokenExpiresAt: epochMs.optional(),
    })
    .strict(),
  z
    .object({
      v: z.literal(1),
      /** A token from the client credentials grant (no refresh token: the client secret gets the next). */
      kind: z.literal('client_credentials'),
      accessToken: token,
      expiresAt: epochMs,
      issuedAt: epochMs,
    })
    .strict(),
]);
/**
 * A connector's grant as a token store keeps it: the kind of credentials, the tokens and when they
 * expire (epoch ms). `storageTokenStore` seals it before it is written.
 */
export type StoredGrant = z.output<typeof storedGrantSchema>;

/** Keeps one connector's grant. */
export interface TokenStore {
  /** The grant as last saved, or undefined when there is none. */
  load(): Promise<StoredGrant | undefined>;
  /** Saves the grant durably; resolves only once it is saved (a rotated refresh token must be, before its access token is used). */
  save(grant: StoredGrant): Promise<void>;
  /** Runs `fn` while no other holder of this connector's grant renews it (in this process; across processes where the store can). */
  exclusive<T>(fn: () => Promise<T>): Promise<T>;
}

const chains = new WeakMap<object, Map<string, Promise<unknown>>>();

/** Runs `fn` after every earlier call for the same scope object and key has settled, in this process. */
export function exclusiveInProcess<T>(scope: object, key: string, fn: () => Promise<T>): Promise<T> {
  let byKey = chains.get(scope);
  if (!byKey) chains.set(scope, (byKey = new Map()));
  const previous = byKey.get(key) ?? Promise.resolve();
  const run = previous.then(fn, fn);
  const tail = run.then(
    () => undefined,
    () => undefined,
  );
  byKey.set(key, tail);
  void tail.then(() => {
    if (byKey.get(key) === tail) byKey.delete(key);
  });
  return run;
}

/** A grant kept in memory only (tests, or a host that keeps credentials elsewhere). */
export function memoryTokenStore(initial?: StoredGrant): TokenStore {
  let grant = initial && parseOrThrow(storedGrantSchema, initial, 'grant');
  const scope = {};
  return {
    load: async () => grant && { ...grant },
    save: async (next) => {
      grant = parseOrThrow(storedGrantSchema, next, 'grant');
    },
    exclusive: (fn) => exclusiveInProcess(scope, 'grant', fn),
  };
}

/** Where `storageTokenStore` keeps a connector's grant (the connector's own storage) and the keys that seal it. */
export interface StorageTokenStoreOptions {
  storage: StorageAdapter;
  connectorId: string;
  /**
   * The keys that seal the grant (AES-256-GCM; the first seals, every one opens what it sealed).
   * Required to save: shopsync never stores a refresh token in clear.
   */
  keys?: readonly SecretKey[];
}

/** The id store key the sealed grant is kept under (beside the target's own state). */
export const GRANT_KEY = 'shopify:credentials';

/**
 * A connector's grant in its storage, sealed with the host's keys. Every StorageAdapter keeps it
 * (it is one entry of the connector's id store). Without keys it can neither save nor open one,
 * and says how to give them.
 */
export function storageTokenStore(options: StorageTokenStoreOptions): TokenStore {
  const { storage, connectorId } = options;
  const box = options.keys ? SecretBox.create(options.keys) : undefined;
  const context = `shopsync:shopify-credentials:${connectorId}`;
  const needKeys = () =>
    new ShopsyncError(
      'secret_key_required',
      `Shopify credentials are stored sealed, never in clear: give storageTokenStore \`keys: [{ id: 'k1', key }]\`, where key is 32 random bytes in base64 (\`openssl rand -base64 32\`) kept outside the database (an environment variable or a secrets manager).`,
    );
  return {
    async load() {
      const sealed = (await storage.getTargetIds(connectorId, [GRANT_KEY])).get(GRANT_KEY);
      if (sealed === undefined) return undefined;
      if (!box) throw needKeys();
      const json = await box.open(sealed, context);
      let value: unknown;
      try {
        value = JSON.parse(json);
      } catch {
        throw new ShopsyncError('credentials_unreadable', `The stored Shopify credentials of connector ${connectorId} are damaged: set them again.`);
      }
      const parsed = storedGrantSchema.safeParse(value);
      if (!parsed.success) throw new ShopsyncError('credentials_unreadable', `The stored Shopify credentials of connector ${connectorId} are not in a shape this version reads: set them again.`);
      return parsed.data;
    },
    async save(grant) {
      if (!box) throw needKeys();
      const valid = parseOrThrow(storedGrantSchema, grant, 'grant');
      await storage.setTargetIds(connectorId, [{ key: GRANT_KEY, id: await box.seal(JSON.stringify(valid), context) }]);
    },
    exclusive: (fn) => exclusiveInProcess(storage, connectorId, fn),
  };
}

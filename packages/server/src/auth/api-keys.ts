/**
 * API keys: `ssk_<id>_<secret>`, shown once when made. Only the SHA-256 of the whole key is
 * stored (the secret part is 32 random bytes, so a fast hash is as strong as a slow one here);
 * the id finds the record, and the hash is compared in constant time.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { ApiKeyRecord, Scope, ServerStore } from '../store/types.js';

const KEY_PATTERN = /^ssk_([a-z0-9]{12})_([A-Za-z0-9_-]{43})$/;

/** SHA-256 of a key, hex. */
export const hashKey = (key: string): string => createHash('sha256').update(key).digest('hex');

/** Whether a string is shaped like an API key (it may still be unknown or revoked). */
export const isApiKeyShaped = (value: string): boolean => KEY_PATTERN.test(value);

/** Makes a key: the record to store, and the key itself, to show once. */
export function newApiKey(input: { scopes: Scope[]; connectorId?: string; name?: string; now: number }): { key: string; record: ApiKeyRecord } {
  const id = randomBytes(9).toString('base64url').toLowerCase().replace(/[^a-z0-9]/g, '').padEnd(12, '0').slice(0, 12);
  const key = `ssk_${id}_${randomBytes(32).toString('base64url')}`;
  const record: ApiKeyRecord = {
    id,
    hash: hashKey(key),
    scopes: [...new Set(input.scopes)].sort(),
    createdAt: input.now,
    ...(input.connectorId !== undefined && { connectorId: input.connectorId }),
    ...(input.name !== undefined && { name: input.name }),
  };
  return { key, record };
}

/** The live record of a presented key, or undefined (unknown, wrong secret, revoked). */
export async function findApiKey(store: ServerStore, presented: string): Promise<ApiKeyRecord | undefined> {
  const m = KEY_PATTERN.exec(presented);
  if (!m) return undefined;
  const record = await store.getApiKey(m[1]!);
  if (!record || record.revokedAt !== undefined) return undefined;
  const a = Buffer.from(record.hash, 'hex');
  const b = Buffer.from(hashKey(presented), 'hex');
  return a.length === b.length && timingSafeEqual(a, b) ? record : undefined;
}

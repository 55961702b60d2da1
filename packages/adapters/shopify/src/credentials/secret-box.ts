/**
 * Secrets at rest: AES-256-GCM through WebCrypto (Node's and browsers' `crypto.subtle`), with keys
 * the host supplies. A sealed value names the key that sealed it, so keys can rotate: a new key
 * seals from now on, an old one still opens what it sealed until that is sealed again. Each value
 * is bound to what it is for (`context`, e.g. the connector), so a value copied to another
 * connector's row does not open there.
 */
import { ShopsyncError } from '@shopsync/core';
import { parseOrThrow } from '@shopsync/core/internal';
import { z } from 'zod';

const VERSION = 'sb1';

const keyIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'expected a key id of 1-64 letters, digits, "_" or "-"');

/** 32 bytes: as bytes, or as standard or URL-safe base64 (what `openssl rand -base64 32` prints). */
const keyMaterialSchema = z.union([
  z.instanceof(Uint8Array).refine((b) => b.length === 32, 'expected 32 bytes (AES-256)'),
  z
    .string()
    .regex(/^[A-Za-z0-9+/_-]+={0,2}$/, 'expected 32 bytes in base64, such as `openssl rand -base64 32` prints')
    .refine((s) => base64ToBytes(s).length === 32, 'expected 32 bytes in base64, such as `openssl rand -base64 32` prints'),
]);

export const secretKeysSchema = z
  .array(z.object({ id: keyIdSchema, key: keyMaterialSchema }).strict())
  .min(1, 'expected at least one key')
  .max(16, 'expected at most 16 keys')
  .refine((keys) => new Set(keys.map((k) => k.id)).size === keys.length, 'expected each key id once');

/** A key to seal secrets with: its id (stored beside each value it seals) and 32 bytes. */
export interface SecretKey {
  id: string;
  /** 32 bytes, or those bytes in base64 (`openssl rand -base64 32`). */
  key: Uint8Array | string;
}

function base64ToBytes(s: string): Uint8Array {
  const std = s.replace(/-/g, '+').replace(/_/g, '/');
  const bin = atob(std + '='.repeat((4 - (std.length % 4)) % 4));
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

function bytesToBase64Url(bytes: Uint8Array): string {
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** A WebCrypto key (the global CryptoKey type is DOM's; this is what `importKey` gives everywhere). */
type AesKey = Awaited<ReturnType<typeof crypto.subtle.importKey>>;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * Seals and opens secrets with AES-256-GCM. The first key seals; every key given opens what it
 * sealed. The keys stay inside (imported as non-extractable WebCrypto keys).
 */
export class SecretBox {
  readonly #keys: ReadonlyMap<string, Promise<AesKey>>;
  readonly #current: string;

  private constructor(keys: ReadonlyMap<string, Promise<AesKey>>, current: string) {
    this.#keys = keys;
    this.#current = current;
  }

  /** `keys[0]` seals; all of them open. Throws a ValidationError naming the field when a key is malformed. */
  static create(keys: readonly SecretKey[]): SecretBox {
    const parsed = parseOrThrow(secretKeysSchema, keys, 'keys', 'secret keys');
    const map = new Map<string, Promise<AesKey>>();
    for (const k of parsed) {
      const bytes = typeof k.key === 'string' ? base64ToBytes(k.key) : k.key;
      map.set(k.id, crypto.subtle.importKey('raw', bytes as Uint8Array<ArrayBuffer>, { name: 'AES-GCM' }, false, ['encrypt', 'decrypt']));
    }
    return new SecretBox(map, parsed[0]!.id);
  }

  /** The id of the key that seals. */
  get currentKeyId(): string {
    return this.#current;
  }

  /** `sb1.<key id>.<iv>.<ciphertext and tag>` (base64url), bound to `context`. */
  async seal(plain: string, context: string): Promise<string> {
    const iv = crypto.getRandomValues(new Uint8Array(12));
    const key = await this.#keys.get(this.#current)!;
    const sealed = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: encoder.encode(context) }, key, encoder.encode(plain)));
    return `${VERSION}.${this.#current}.${bytesToBase64Url(iv)}.${bytesToBase64Url(sealed)}`;
  }

  /** The key id a sealed value names (undefined: not a sealed value). */
  static keyIdOf(sealed: string): string | undefined {
    const parts = sealed.split('.');
    return parts.length === 4 && parts[0] === VERSION ? parts[1] : undefined;
  }

  /** Opens a value this box (or one with its key) sealed for `context`; a typed error otherwise, saying what to do. */
  async open(sealed: string, context: string): Promise<string> {
    const parts = sealed.split('.');
    if (parts.length !== 4 || parts[0] !== VERSION) {
      throw new ShopsyncError('secret_unreadable', 'A stored secret is not in the sealed form shopsync writes (it may have been stored in clear or damaged): set the credentials again.');
    }
    const [, keyId, iv, data] = parts as [string, string, string, string];
    const key = this.#keys.get(keyId);
    if (!key) {
      throw new ShopsyncError(
        'secret_key_missing',
        `A stored secret was sealed with key "${keyId}", which is not among the keys given (${[...this.#keys.keys()].join(', ')}): add that key back to read it; it is sealed again with the current key when next saved.`,
      );
    }
    try {
      const plain = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: base64ToBytes(iv) as Uint8Array<ArrayBuffer>, additionalData: encoder.encode(context) }, await key, base64ToBytes(data) as Uint8Array<ArrayBuffer>);
      return decoder.decode(plain);
    } catch (err) {
      throw new ShopsyncError('secret_unreadable', `A stored secret does not open with key "${keyId}": it was damaged, or sealed for another connector, or the key with that id changed. Set the credentials again.`, { cause: err });
    }
  }
}

import { redactLiterals, redactSecrets } from '@shopsync/core/internal';

/**
 * Defence in depth: core never stores or emits a credential, and this makes sure no response
 * does either. Every string in a JSON value is run through core's `redactSecrets` (Shopify token
 * shapes, header and bearer forms) and the host's own list of secrets.
 */
export function scrubValue(value: unknown, secrets: readonly string[]): unknown {
  if (typeof value === 'string') return redactSecrets(value, secrets);
  if (Array.isArray(value)) return value.map((v) => scrubValue(v, secrets));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = scrubValue(v, secrets);
    return out;
  }
  return value;
}

/**
 * Log files (JSONL, CSV) were scrubbed by core when written; here only the host's literal
 * secrets are removed, since a pattern could cut through the file's quoting.
 */
export function scrubText(text: string, secrets: readonly string[]): string {
  return redactLiterals(text, secrets);
}

/**
 * Scrubs credentials from text that came from elsewhere (remote error messages, request
 * descriptions) before core stores, emits or exports it. Shopify's tokens and secrets have a
 * known shape: `shp` + two letters + `_` + hex digits (`shpat_` access tokens, `shpca_`, `shppa_`,
 * `shpss_` shared secrets, `shpua_`, and refresh tokens alike); header, bearer and `key=value`
 * forms (access and refresh tokens, client and API secrets, passwords) are caught whatever the
 * value looks like.
 */
const PATTERNS: ReadonlyArray<[RegExp, string]> = [
  // No word boundaries: a token glued to other text (`xshpat_…`, `shpat_…_live`) is still a token.
  [/shp[a-z]{2}_[A-Za-z0-9]{16,}/g, '[REDACTED]'],
  [/(x-shopify-access-token["']?\s*[:=]\s*["']?)[^\s"',;}]+/gi, '$1[REDACTED]'],
  [/(\bbearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi, '$1[REDACTED]'],
  [/((?:access_?token|refresh_?token|client_?secret|api_?secret|password)["']?\s*[:=]\s*["']?)[^\s"',;}&]+/gi, '$1[REDACTED]'],
];

/** Removes the given secrets, literally (those under 4 characters are too short to tell apart from text). */
export function redactLiterals(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) if (secret.length >= 4) out = out.split(secret).join('[REDACTED]');
  return out;
}

/**
 * Scrubs credentials from text that came from elsewhere: Shopify's tokens and secrets by their shape,
 * header, bearer and `key=value` forms, and the given secrets literally.
 */
export function redactSecrets(text: string, extraSecrets: readonly string[] = []): string {
  let out = redactLiterals(text, extraSecrets);
  for (const [re, replacement] of PATTERNS) out = out.replace(re, replacement);
  return out;
}

/**
 * Remote text as data: a string, secrets scrubbed, at most `max` UTF-16 code units (longer text
 * is cut and ends with "…"). The cut never splits a surrogate pair: half an emoji is not valid
 * Unicode, and would be stored or sent as U+FFFD.
 */
export function remoteText(value: unknown, max = 10_000, secrets: readonly string[] = []): string {
  const s = typeof value === 'string' ? value : value instanceof Error ? value.message : JSON.stringify(value) ?? String(value);
  const clean = redactSecrets(s, secrets);
  if (clean.length <= max) return clean;
  let cut = max - 1;
  const last = clean.charCodeAt(cut - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut -= 1;
  return `${clean.slice(0, cut)}…`;
}

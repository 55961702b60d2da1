/**
 * Sortable, unguessable ids: milliseconds since the epoch in base 36 (fixed width, so ids sort
 * by creation time as strings) and 64 random bits. Uses only `crypto.getRandomValues`, which
 * browsers offer outside secure contexts too.
 */
export function newId(prefix: string, nowMs: number): string {
  const rand = crypto.getRandomValues(new Uint32Array(2));
  const r = Array.from(rand, (n) => n.toString(16).padStart(8, '0')).join('');
  return `${prefix}_${Math.max(0, Math.floor(nowMs)).toString(36).padStart(9, '0')}${r}`;
}

/**
 * The subset of Shopify's search syntax the adapter uses: `field:value` or `field:"quoted \"value\""`
 * terms joined by OR. Matching is exact on the value (case-insensitive for text fields).
 */
/** One `field:value` term. */
export interface SearchTerm {
  field: string;
  value: string;
}

/** The terms of a search query (none for an empty one), or null when it is not of the subset understood. */
export function parseSearch(query: string): SearchTerm[] | null {
  const terms: SearchTerm[] = [];
  let i = 0;
  const s = query.trim();
  if (s === '') return [];
  while (i < s.length) {
    const m = /^([a-z_]+):/.exec(s.slice(i));
    if (!m) return null;
    const field = m[1]!;
    i += m[0].length;
    let value = '';
    if (s[i] === '"') {
      i++;
      for (;;) {
        if (i >= s.length) return null;
        const c = s[i]!;
        if (c === '\\') {
          value += s[i + 1] ?? '';
          i += 2;
        } else if (c === '"') {
          i++;
          break;
        } else {
          value += c;
          i++;
        }
      }
    } else {
      const end = s.indexOf(' ', i);
      value = s.slice(i, end < 0 ? s.length : end);
      i = end < 0 ? s.length : end;
    }
    terms.push({ field, value });
    const rest = /^\s+OR\s+/.exec(s.slice(i));
    if (rest) i += rest[0].length;
    else if (i < s.length) return null;
  }
  return terms;
}

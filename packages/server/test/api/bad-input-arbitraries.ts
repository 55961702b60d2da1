/**
 * What bad-input.test.ts sends: generators of broken path segments, values, JSON bodies (a valid
 * one with one node broken, or anything), malformed JSON text and query strings (fast-check).
 */
import fc from 'fast-check';

/** JSON text of any value (`null` for what JSON cannot hold). */
export const json = (v: unknown): string => JSON.stringify(v) ?? 'null';

/** Path segments as a client sends them: percent-encoded text of any kind, or raw pieces that mean something to a URL parser. */
const RAW_SEGMENTS = ['..', '.', '%2e%2e', '%2E%2e', '%2F', '%2f..%2f..', '%00', '%', '%zz', '%c3%28', '%ff', '%e0%a4%a', '%u0041', '~', '*', "'", '(', ')', '!', ';', ',', '=', '@', ':', '$', '+', '&', '%20', '%0a', '%0d%0a', '/', '//', '%5c', '\\'];
export const pathValue: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 40 }).map(encodeURIComponent),
  fc.string({ unit: 'grapheme-composite', minLength: 1, maxLength: 8 }).map(encodeURIComponent),
  fc.array(fc.constantFrom(...RAW_SEGMENTS), { minLength: 1, maxLength: 4 }).map((l) => l.join('')),
  fc.integer({ min: 60, max: 4_000 }).map((n) => 'a'.repeat(n)),
  fc.integer({ min: 10, max: 400 }).map((n) => '%C3%A9'.repeat(n)),
  fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/),
  fc.stringMatching(/^wh_[A-Za-z0-9_-]{1,64}$/),
  fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'null', 'undefined', '0', '-1', 'NaN', ''),
);

/** Values that break a field: other types, edge numbers, huge and odd strings, deep nesting, prototype keys. */
const nasty: fc.Arbitrary<unknown> = fc.oneof(
  fc.anything({ maxDepth: 3 }),
  fc.constantFrom(null, true, false, 0, -1, 1.5, -0, 1e308, Number.MAX_SAFE_INTEGER + 2, '', ' ', '\u0000', '\ud800', 'null', [], {}, [null], { __proto__: null }),
  fc.integer({ min: 1_000, max: 200_000 }).map((n) => 'x'.repeat(n)),
  fc.string({ unit: 'grapheme', maxLength: 50 }),
  fc.integer({ min: 50, max: 3_000 }).map((d) => JSON.parse('['.repeat(d) + ']'.repeat(d)) as unknown),
  fc.integer({ min: 50, max: 3_000 }).map((d) => JSON.parse('{"a":'.repeat(d) + '1' + '}'.repeat(d)) as unknown),
  fc.constantFrom('__proto__', 'constructor', 'prototype').map((k) => JSON.parse(`{"${k}":{"polluted":true,"enabled":false}}`) as unknown),
);

type Path = Array<string | number>;

function pathsOf(value: unknown, at: Path = []): Path[] {
  const out: Path[] = [at];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...pathsOf(v, [...at, i])));
  else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) out.push(...pathsOf(v, [...at, k]));
  return out;
}

/** `value` with the node at `path` replaced (`set`), removed, or given an extra key; prototype keys set as own keys. */
function mutate(value: unknown, path: Path, how: 'set' | 'delete' | 'extra', replacement: unknown, extraKey: string): unknown {
  const copy = structuredClone(value);
  if (path.length === 0) return how === 'set' ? replacement : how === 'extra' && copy !== null && typeof copy === 'object' ? define(copy, extraKey, replacement) : copy;
  let parent = copy as Record<string | number, unknown>;
  for (const p of path.slice(0, -1)) parent = parent[p] as Record<string | number, unknown>;
  const last = path.at(-1)!;
  if (how === 'set') define(parent, last, replacement);
  else if (how === 'delete') {
    if (Array.isArray(parent)) parent.splice(Number(last), 1);
    else delete parent[last];
  } else {
    const node = parent[last];
    if (node !== null && typeof node === 'object') define(node, extraKey, replacement);
    else define(parent, last, replacement);
  }
  return copy;
}

function define(target: object, key: string | number, value: unknown): object {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  return target;
}

/** A body: `valid` with one node broken, or something else entirely. */
export function badBody(valid: unknown): fc.Arbitrary<{ text: string; what: string }> {
  const paths = pathsOf(valid);
  const mutated = fc
    .tuple(fc.constantFrom(...paths), fc.constantFrom('set', 'set', 'delete', 'extra') as fc.Arbitrary<'set' | 'delete' | 'extra'>, nasty, fc.oneof(fc.constantFrom('__proto__', 'constructor', 'prototype', 'id', 'enabled', ''), fc.string({ maxLength: 10 })))
    .map(([path, how, replacement, key]) => ({ text: json(mutate(valid, path, how, replacement, key)), what: `${how} ${JSON.stringify(path)}` }));
  const anything = fc.oneof(fc.anything(), fc.jsonValue()).map((v) => ({ text: json(v), what: 'anything' }));
  const jsonText = fc.json({ maxDepth: 4 }).map((text) => ({ text, what: 'json' }));
  return fc.oneof({ weight: 3, arbitrary: mutated }, { weight: 1, arbitrary: anything }, { weight: 1, arbitrary: jsonText });
}

/** JSON text broken: cut short, a character changed, garbage around it, JavaScript-isms. */
export function malformed(valid: string): fc.Arbitrary<{ text: string; what: string }> {
  const n = valid.length;
  return fc.oneof(
    fc.integer({ min: 0, max: Math.max(0, n - 1) }).map((i) => ({ text: valid.slice(0, i), what: `cut at ${i}` })),
    fc.tuple(fc.integer({ min: 0, max: n }), fc.constantFrom('{', '}', '[', ']', ',', ':', '"', "'", '\\', '\u0000', 'x', '\ud800', '/*', 'NaN')).map(([i, c]) => ({ text: valid.slice(0, i) + c + valid.slice(i), what: `${JSON.stringify(c)} at ${i}` })),
    fc.constantFrom(
      `${valid}${valid}`,
      `${valid},`,
      `[${valid}`,
      `${valid}}`,
      valid.replace(/"/g, "'"),
      valid.replace(/"(\w+)":/g, '$1:'),
      valid.replace(/}/g, ',}'),
      `// comment\n${valid}`,
      'undefined',
      'NaN',
      '{"a":1,"a":2',
      '\u0000',
      '  ',
    ).map((text) => ({ text, what: 'garbage' })),
  );
}

const queryKey = fc.oneof(
  fc.constantFrom('offset', 'limit', 'force', 'token', 'lastEventId', 'ref', 'status', 'entity', 'since', 'format', '__proto__', 'constructor', 'prototype', 'hasOwnProperty', '', 'limit[]', 'a[b]', '__proto__[x]', 'a.b'),
  fc.string({ unit: 'grapheme', maxLength: 12 }),
);
const queryValue = fc.oneof(
  fc.constantFrom('', '-1', '0', '1', '1000', '1001', '1e3', '0x10', 'NaN', 'Infinity', '1.5', ' 1', 'true', 'false', 'TRUE', '9'.repeat(400), 'null', '[]', '{}', 'product', 'error', '2026-01-01T00:00:00Z', 'csv'),
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.integer().map(String),
);
const RAW_QUERY = ['%', '%zz', '%e0%a4%a', '&', '=', '==', '&&', ';', '+', '[', ']', '?', 'a', 'limit', 'offset', '0', '1', '__proto__', '%00'];
/** A query string: pairs (keys repeated sometimes), or raw pieces. */
export const query: fc.Arbitrary<string> = fc.oneof(
  fc.array(fc.tuple(queryKey, queryValue), { minLength: 1, maxLength: 6 }).map((pairs) => new URLSearchParams(pairs).toString()),
  fc.array(fc.constantFrom(...RAW_QUERY), { minLength: 1, maxLength: 8 }).map((l) => l.join('')),
);

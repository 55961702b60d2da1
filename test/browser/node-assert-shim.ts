/**
 * `node:assert/strict` in the browser: the subset our portable suites use, with node's strict
 * semantics (Object.is for primitives; deep equality over arrays, plain objects, Map, Set, Date).
 */
export class AssertionError extends Error {
  override name = 'AssertionError';
}

function show(v: unknown): string {
  try {
    return JSON.stringify(v, (_k, x: unknown) => (x instanceof Map ? { Map: [...x] } : x instanceof Set ? { Set: [...x] } : x));
  } catch {
    return String(v);
  }
}

function same(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  if (a instanceof Date) return a.getTime() === (b as Date).getTime();
  if (a instanceof Map) {
    const m = b as Map<unknown, unknown>;
    if (a.size !== m.size) return false;
    for (const [k, v] of a) if (!m.has(k) || !same(v, m.get(k))) return false;
    return true;
  }
  if (a instanceof Set) {
    const s = b as Set<unknown>;
    return a.size === s.size && [...a].every((x) => s.has(x));
  }
  if (Array.isArray(a)) {
    const arr = b as unknown[];
    return a.length === arr.length && a.every((x, i) => same(x, arr[i]));
  }
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

function fail(message: string | undefined, fallback: string): never {
  throw new AssertionError(message ?? fallback);
}

type Validator = ((err: unknown) => boolean) | RegExp | (new (...args: never[]) => unknown);

function check(err: unknown, expected: Validator | undefined, message?: string): void {
  if (expected === undefined) return;
  if (expected instanceof RegExp) {
    if (!expected.test(String((err as Error)?.message ?? err))) fail(message, `error ${show((err as Error)?.message)} does not match ${expected}`);
  } else if (expected.prototype !== undefined && (err instanceof (expected as new () => unknown))) {
    return;
  } else if (expected.prototype === undefined || !(err instanceof Error) || expected === Error) {
    if ((expected as (e: unknown) => boolean)(err) !== true) fail(message, `the error did not pass validation: ${String(err)}`);
  } else fail(message, `expected an instance of ${expected.name}, got ${String(err)}`);
}

const assert = Object.assign(
  (value: unknown, message?: string): void => {
    if (!value) fail(message, 'expected a truthy value');
  },
  {
    ok(value: unknown, message?: string): void {
      if (!value) fail(message, `expected a truthy value, got ${show(value)}`);
    },
    equal(actual: unknown, expected: unknown, message?: string): void {
      if (!Object.is(actual, expected)) fail(message, `expected ${show(expected)}, got ${show(actual)}`);
    },
    notEqual(actual: unknown, expected: unknown, message?: string): void {
      if (Object.is(actual, expected)) fail(message, `expected a value other than ${show(expected)}`);
    },
    deepEqual(actual: unknown, expected: unknown, message?: string): void {
      if (!same(actual, expected)) fail(message, `expected ${show(expected)}, got ${show(actual)}`);
    },
    notDeepEqual(actual: unknown, expected: unknown, message?: string): void {
      if (same(actual, expected)) fail(message, `expected a value other than ${show(expected)}`);
    },
    match(actual: string, re: RegExp, message?: string): void {
      if (!re.test(actual)) fail(message, `${show(actual)} does not match ${re}`);
    },
    throws(fn: () => unknown, expected?: Validator, message?: string): void {
      try {
        fn();
      } catch (err) {
        check(err, expected, message);
        return;
      }
      fail(message, 'expected the function to throw');
    },
    async rejects(p: Promise<unknown> | (() => Promise<unknown>), expected?: Validator, message?: string): Promise<void> {
      try {
        await (typeof p === 'function' ? p() : p);
      } catch (err) {
        check(err, expected, message);
        return;
      }
      fail(message, 'expected a rejection');
    },
    fail(message?: string): never {
      return fail(message, 'failed');
    },
  },
);

export default assert;
export const { ok, equal, notEqual, deepEqual, notDeepEqual, match, throws, rejects } = assert;

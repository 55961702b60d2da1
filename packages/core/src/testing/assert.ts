import { canonicalJson } from '../hash.js';

/**
 * Minimal assertions for the suites this package exports, which run under node's test runner
 * and in browsers alike (no `node:assert` there). Values are compared as JSON data.
 */
export class AssertionFailed extends Error {
  override name = 'AssertionFailed';
}

export function ok(value: unknown, message = 'expected a truthy value'): asserts value {
  if (!value) throw new AssertionFailed(message);
}

export function equal<T>(actual: T, expected: T, message = 'values differ'): void {
  if (!Object.is(actual, expected)) throw new AssertionFailed(`${message}: expected ${String(expected)}, got ${String(actual)}`);
}

export function deepEqual(actual: unknown, expected: unknown, message = 'values differ'): void {
  const a = canonicalJson(actual);
  const e = canonicalJson(expected);
  if (a !== e) throw new AssertionFailed(`${message}:\n  expected ${e}\n  actual   ${a}`);
}

/** Awaits `fn` and checks that it rejects with an error whose `name` (or `code`) is `expected`. */
export async function rejects(fn: () => Promise<unknown>, expected: string, message = 'expected a rejection'): Promise<Error> {
  try {
    await fn();
  } catch (err) {
    const e = err as Error & { code?: string };
    if (e.name !== expected && e.code !== expected) throw new AssertionFailed(`${message}: expected ${expected}, got ${e.name}: ${e.message}`);
    return e;
  }
  throw new AssertionFailed(`${message}: it resolved`);
}

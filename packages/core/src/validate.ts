import type { z } from 'zod';
import { ValidationError, type ValidationIssue } from './errors/validation-error.js';

/** `changes[3].data.title` from a zod path under a root name. */
export function formatPath(root: string, path: readonly PropertyKey[]): string {
  let out = root;
  for (const seg of path) {
    out += typeof seg === 'number' ? `[${seg}]` : out ? `.${String(seg)}` : String(seg);
  }
  return out;
}

type Issue = z.core.$ZodIssue;

const TYPE_NAMES: Record<string, string> = { number: 'a number', string: 'text', record: 'an object', object: 'an object', array: 'a list', boolean: 'true or false' };

/**
 * One issue as the host should read it. A union's "Invalid input" says nothing: where exactly one
 * of its shapes has the value's type (`stock: { madrid: 1.5 }` is an object, not a number), that
 * shape's own issues are given; where none has, the shapes expected are named. A record key's
 * issue gives the key's own message.
 */
function readable(issue: Issue, base: readonly PropertyKey[]): Array<{ path: PropertyKey[]; message: string }> {
  const path = [...base, ...issue.path];
  if (issue.code === 'invalid_union' && issue.errors.length > 0) {
    const typeMiss = (b: readonly Issue[]) => b.length === 1 && b[0]!.code === 'invalid_type' && b[0]!.path.length === 0;
    const matched = issue.errors.filter((b) => !typeMiss(b));
    if (matched.length === 1) return matched[0]!.flatMap((i) => readable(i, path));
    if (matched.length === 0) {
      const expected = [...new Set(issue.errors.map((b) => (b[0]?.code === 'invalid_type' ? (TYPE_NAMES[b[0].expected] ?? b[0].expected) : '')))].filter(Boolean);
      if (expected.length) return [{ path, message: `expected ${expected.join(' or ')}` }];
    }
  }
  if (issue.code === 'invalid_key' && issue.issues.length > 0) return [{ path, message: issue.issues.map((i) => i.message).join('; ') }];
  return [{ path, message: issue.message }];
}

export function issuesOf(error: z.ZodError, root: string): ValidationIssue[] {
  return error.issues.flatMap((i) => readable(i, [])).map((i) => ({ path: formatPath(root, i.path), message: i.message }));
}

/** Parses `value` with `schema` or throws a ValidationError naming every bad field under `root`. */
export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, root: string, what = root): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw new ValidationError(what, issuesOf(result.error, root));
  return result.data;
}

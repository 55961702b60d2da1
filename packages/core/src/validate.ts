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

export function issuesOf(error: z.ZodError, root: string): ValidationIssue[] {
  return error.issues.map((i) => ({ path: formatPath(root, i.path), message: i.message }));
}

/** Parses `value` with `schema` or throws a ValidationError naming every bad field under `root`. */
export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, root: string, what = root): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw new ValidationError(what, issuesOf(result.error, root));
  return result.data;
}

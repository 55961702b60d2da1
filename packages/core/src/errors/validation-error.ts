import { ShopsyncError } from './shopsync-error.js';

/** One rejected field of an input: where it is and what was expected there. A `ValidationError` lists every one. */
export interface ValidationIssue {
  /** Dotted path of the offending field from the input's root, e.g. `changes[3].data.title`. */
  path: string;
  /** What was expected there. */
  message: string;
}

/**
 * Input was rejected at the boundary. Nothing was written: a batch is validated whole first.
 * The message names every field and what was expected there.
 */
export class ValidationError extends ShopsyncError {
  override name = 'ValidationError';
  readonly issues: readonly ValidationIssue[];
  constructor(what: string, issues: ValidationIssue[]) {
    const shown = issues.slice(0, 10).map((i) => `${i.path || '(root)'}: ${i.message}`);
    if (issues.length > 10) shown.push(`… and ${issues.length - 10} more`);
    super('invalid_input', `Invalid ${what}: ${shown.join('; ')}`);
    this.issues = issues;
  }
}

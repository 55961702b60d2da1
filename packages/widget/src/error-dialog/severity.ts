import type { GeneralError } from '@shopsync/core';

/** A general error recorded as a warning: the run was not harmed, but the user should know. */
export function isWarning(g: GeneralError): boolean {
  return g.severity === 'warning';
}

/**
 * An event's general errors split by severity, each in the order recorded. A record without a
 * `severity` is an error (events recorded before warnings existed have none).
 */
export function bySeverity(list: readonly GeneralError[]): { errors: GeneralError[]; warnings: GeneralError[] } {
  const errors: GeneralError[] = [];
  const warnings: GeneralError[] = [];
  for (const g of list) (isWarning(g) ? warnings : errors).push(g);
  return { errors, warnings };
}

/**
 * General errors (problems of the run as a whole) as the engine records them: made from what a
 * target threw or answered, and the ones the engine raises itself, with their sentences.
 */
import { CONNECTION_ERROR_CODES, ConnectionError } from '../errors/connection-error.js';
import { remoteText } from '../logs/redact.js';
import type { GeneralError } from '../schemas/event.js';
import type { GeneralErrorInput } from '../target.js';

/** A general error from anything a target threw: remote text is data, scrubbed of secrets. */
export function generalErrorFromThrown(err: unknown): GeneralErrorInput {
  if (err instanceof ConnectionError) {
    const out: GeneralErrorInput = { code: CONNECTION_ERROR_CODES[err.kind], message: `${remoteText(err.message)} ${err.advice}` };
    if (err.httpStatus !== undefined) out.httpStatus = err.httpStatus;
    return out;
  }
  return { code: 'internal', message: remoteText(err) };
}

/** The general error recorded at `at` (ISO), in iteration `iteration` if any. */
export function generalError(input: GeneralErrorInput, at: string, iteration?: number): GeneralError {
  const error: GeneralError = { at, code: input.code, message: remoteText(input.message) };
  if (iteration !== undefined) error.iteration = iteration;
  if (input.httpStatus !== undefined) error.httpStatus = input.httpStatus;
  if (input.severity === 'warning') error.severity = 'warning';
  return error;
}

/** Warnings are told once per event: the same code and message again is not recorded. */
export function isRepeatedWarning(input: GeneralErrorInput, recorded: readonly GeneralError[]): boolean {
  if (input.severity !== 'warning') return false;
  const message = remoteText(input.message);
  return recorded.some((e) => e.severity === 'warning' && e.code === input.code && e.message === message);
}

/** The errors the engine raises itself. */
export const ENGINE_ERRORS = {
  stopped: (): GeneralErrorInput => ({
    code: 'stopped',
    message: 'The synchronization was stopped before the queue was drained; the remaining items stay queued.',
  }),
  exhausted: (attempts: number): GeneralErrorInput => ({
    code: 'exhausted',
    message: `Nothing could be synchronized in ${attempts} attempts in a row; the run ended and the remaining items stay queued for the next one.`,
  }),
  storageFailed: (err: unknown): GeneralErrorInput => ({
    code: 'internal',
    message: `The storage failed, so the run ended; the remaining items stay queued. ${err instanceof Error ? err.message : String(err)}`,
  }),
  leaseExpired: (leaseMs: number): GeneralErrorInput => ({
    code: 'timeout',
    message: `An iteration took longer than its lease (${leaseMs} ms); its items went back to the queue and will be sent again.`,
  }),
  noResult: (items: number): GeneralErrorInput => ({ code: 'internal', message: `The store gave no result for ${items} items; they stay queued.` }),
} as const;

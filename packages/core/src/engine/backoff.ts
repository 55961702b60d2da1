/** Exponential backoff with a cap: how long the first retry waits at most, and the longest wait. */
export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
}

/**
 * How long to wait before retry `attempt` (0 for the first): exponential growth from `baseMs` up to
 * `maxMs`, with equal jitter (between half and all of that ceiling) so that many clients retrying
 * at once spread out.
 */
export function backoffDelay(attempt: number, { baseMs, maxMs }: BackoffOptions, random: () => number = Math.random): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

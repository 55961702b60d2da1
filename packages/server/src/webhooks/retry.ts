/**
 * When a delivery is tried again: a fixed schedule of delays, one per attempt, with a little
 * random jitter (the spec recommends it, so that receivers that fail together are not retried
 * together).
 */

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/**
 * Delay before each attempt, the first counted from the message's creation: immediately, 5 s,
 * 5 min, 30 min, 2 h, 5 h, 10 h, 10 h. Eight attempts over about a day and a half: Svix's
 * schedule, the one the Standard Webhooks spec's example starts with (the spec's table goes
 * on with 14 h, 20 h, 24 h, about three days in all).
 */
export const DEFAULT_RETRY_SCHEDULE_MS: readonly number[] = [0, 5 * SECOND, 5 * MINUTE, 30 * MINUTE, 2 * HOUR, 5 * HOUR, 10 * HOUR, 10 * HOUR];

/** Default jitter: a retry comes up to 10 % of its delay later, never earlier. */
export const DEFAULT_RETRY_JITTER = 0.1;

/**
 * The delay before the next attempt after `attemptsMade` failed attempts, or undefined when
 * the schedule is exhausted (the delivery has failed). `random` returns [0, 1).
 */
export function nextRetryDelay(schedule: readonly number[], attemptsMade: number, jitter = DEFAULT_RETRY_JITTER, random: () => number = Math.random): number | undefined {
  const delay = schedule[attemptsMade];
  if (delay === undefined) return undefined;
  return Math.round(delay + delay * jitter * random());
}

/** Throws when a schedule cannot be followed: empty, or a delay that is not a finite, non-negative number. */
export function checkRetrySchedule(schedule: readonly number[]): void {
  if (schedule.length === 0 || schedule.some((d) => !Number.isFinite(d) || d < 0)) {
    throw new RangeError('retryScheduleMs must list at least one delay, each a non-negative number of milliseconds.');
  }
}

/**
 * The store's rate limit handed from one runner of a connector to the next (core's ThrottleState):
 * what `ShopifyTarget.suspend` returns, and what `connect` reads back (`ConnectContext.throttle`)
 * to seed the new session's pacer.
 */
import type { ThrottleState } from '@shopsync/core';
import { z } from 'zod';
import type { ThrottleSnapshot } from './pacer.js';

/**
 * A ThrottleState as the last runner left it. It comes from storage, maybe written by another
 * version of shopsync: checked, never trusted. zod 4's numbers are finite (no NaN, no Infinity);
 * a restore rate of zero is refused too (the pacer would wait for it forever). Fields a later
 * version adds are ignored.
 */
export const throttleStateSchema = z
  .object({
    at: z.iso.datetime({ offset: true }),
    capacity: z.number().positive('expected the bucket size, above 0'),
    available: z.number().nonnegative('expected the points the bucket held, 0 or more'),
    restoreRate: z.number().positive('expected the points restored per second, above 0'),
  })
  .refine((s) => s.available <= s.capacity, { message: 'expected at most the capacity', path: ['available'] });

/** What the pacer knew, as the ThrottleState the next runner is given (`at` in ISO, from the target's clock). */
export function throttleStateOf(snapshot: ThrottleSnapshot): ThrottleState {
  const { status, at } = snapshot;
  return { at: new Date(at).toISOString(), capacity: status.maximumAvailable, available: status.currentlyAvailable, restoreRate: status.restoreRate };
}

/** A ThrottleState read back, as the pacer's snapshot; or what is wrong with it, as a sentence for the run's log. */
export function readThrottleState(input: unknown): { ok: true; snapshot: ThrottleSnapshot } | { ok: false; problem: string } {
  const parsed = throttleStateSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
    return {
      ok: false,
      problem: `The store's rate limit as the last runner left it could not be read (${where}${issue?.message ?? 'unexpected shape'}) and was ignored: this run learns it from the store's first answers.`,
    };
  }
  const s = parsed.data;
  return { ok: true, snapshot: { status: { maximumAvailable: s.capacity, currentlyAvailable: s.available, restoreRate: s.restoreRate }, at: Date.parse(s.at) } };
}

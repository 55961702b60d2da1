/**
 * The stories' clock: core's `ManualClock`, plus time that passes while the engine works. A push
 * to the store takes seconds, and a story runs hundreds of them; `ManualClock.advance` lets the
 * event loop turn some forty times per call (to fire due timers), which in a browser costs about
 * a third of a second. `work` moves `now()` on at once instead. It is for time in which no timer
 * is due: the stories' engines never sleep (no pause between iterations, no backoff), and their
 * schedule only says when the next run would start.
 */
import { ManualClock } from '@shopsync/core/testing';

export class StoryClock extends ManualClock {
  #worked = 0;

  override now(): number {
    return super.now() + this.#worked;
  }

  /** `ms` pass, spent working (no timer fires). */
  work(ms: number): void {
    this.#worked += Math.max(0, ms);
  }

  /** Time passes until `at` (epoch ms), if it is still ahead. */
  workUntil(at: number): void {
    this.work(at - this.now());
  }
}

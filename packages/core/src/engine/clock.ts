/** Time as the engine sees it: injectable, so that tests and simulations control it. */
export interface Clock {
  now(): number;
  /** Calls `fn` after `ms`; returns a function that cancels it. */
  setTimer(fn: () => void, ms: number): () => void;
}

/** The real clock: `Date.now()` and `setTimeout`. The engine's default. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimer(fn, ms) {
    const id = setTimeout(fn, ms);
    return () => clearTimeout(id);
  },
};

/** Resolves after `ms` on `clock`, or early (without throwing) as soon as any of `signals` aborts. */
export function sleep(clock: Clock, ms: number, ...signals: AbortSignal[]): Promise<void> {
  if (ms <= 0 || signals.some((s) => s.aborted)) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      cancel();
      for (const s of signals) s.removeEventListener('abort', done);
      resolve();
    };
    const cancel = clock.setTimer(done, ms);
    for (const s of signals) s.addEventListener('abort', done, { once: true });
  });
}

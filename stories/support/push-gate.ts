/**
 * Where a story holds the engine mid-run: the stories' target waits here at the start of each
 * push. Open, pushes pass at once; held, each waits until the story lets it through, so the run
 * stands In Progress exactly as the engine left it after its last iteration.
 */
export class PushGate {
  #held = false;
  readonly #waiting: Array<() => void> = [];
  readonly #arrivals: Array<() => void> = [];

  /** A push is waiting to be let through. */
  get waiting(): boolean {
    return this.#waiting.length > 0;
  }

  get held(): boolean {
    return this.#held;
  }

  /** From now on, each push waits for `release`. */
  hold(): void {
    this.#held = true;
  }

  /** Lets every push through, now and from now on. */
  open(): void {
    this.#held = false;
    for (const go of this.#waiting.splice(0)) go();
  }

  /** Lets the push that waits longest through; false when none waits. */
  release(): boolean {
    const go = this.#waiting.shift();
    go?.();
    return go !== undefined;
  }

  /** Resolves when a push waits (at once if one does). */
  arrival(): Promise<void> {
    return this.waiting ? Promise.resolve() : new Promise((resolve) => this.#arrivals.push(resolve));
  }

  /** What the target awaits before each push. */
  pass(): Promise<void> {
    if (!this.#held) return Promise.resolve();
    return new Promise((resolve) => {
      this.#waiting.push(resolve);
      for (const arrived of this.#arrivals.splice(0)) arrived();
    });
  }
}

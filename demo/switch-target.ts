import type { ConnectContext, ConnectInfo, PushContext, PushResult, Target, TargetItem } from '@shopsync/core';

/**
 * A target whose store connection can be swapped between runs: the demo's "run with invalid
 * credentials" uses a target holding a wrong token for one run, then the right one again.
 */
export class SwitchTarget implements Target {
  #current: Target;

  constructor(initial: Target) {
    this.#current = initial;
  }

  use(target: Target): void {
    this.#current = target;
  }

  connect(ctx: ConnectContext): Promise<ConnectInfo> {
    return this.#current.connect(ctx);
  }

  push(items: readonly TargetItem[], ctx: PushContext): Promise<PushResult> {
    return this.#current.push(items, ctx);
  }
}

/**
 * The stories' store: core's `FakeTarget`, scripted per story. It fails the items a story names
 * with Shopify's errors, reports general errors with the pushes a story names, refuses the
 * connection in Shopify's words, takes time on the story clock, and waits at a gate the story
 * holds. What the panel shows is what the engine records of its answers.
 */
import { ConnectionError, type ConnectContext, type ConnectInfo, type GeneralErrorInput, type ItemError, type TargetItem } from '@shopsync/core';
import { FakeTarget } from '@shopsync/core/testing';
import type { ConnectRefusal } from './catalog.js';
import { PushGate } from './push-gate.js';
import type { StoryClock } from './story-clock.js';

/** What the store does in a run. Push numbers count from 1, from when the script was given. */
export interface PushScript {
  /** Item errors, by `entity:ref` (`variant:TRN-1000-BLK-M`). */
  failing?: ReadonlyMap<string, ItemError>;
  /** A general error reported with the outcomes of a push, by push number. */
  generalErrors?: ReadonlyMap<number, GeneralErrorInput>;
  /** Milliseconds a push of `n` items takes (default: 0.4 s plus 9 ms an item, at most 20 s). */
  pushMs?: (n: number) => number;
  /** The connection is refused (the run ends in Error). */
  refusal?: ConnectRefusal;
}

/** What the store tells the engine when it connects, beyond the defaults. */
export type StoreInfo = Pick<ConnectInfo, 'servedApiVersion' | 'deprecationReason' | 'translationLanguages' | 'locationIds'>;

const CONNECT_MS = 1_200;
/** How long a push of `n` items takes, unless a script says otherwise. */
export const DEFAULT_PUSH_MS = (n: number): number => Math.min(20_000, 400 + 9 * n);

export class StoryTarget extends FakeTarget {
  readonly clock: StoryClock;
  /** Every push waits here; open unless the story holds it. */
  readonly gate = new PushGate();
  /** Called with the push number before the push waits at the gate (e.g. to disable the connector). */
  beforePush: ((n: number) => void | Promise<void>) | undefined;
  #script: PushScript = {};
  #base = 0;

  constructor(clock: StoryClock, store: StoreInfo = {}) {
    super();
    this.clock = clock;
    const { servedApiVersion, deprecationReason, ...connectInfo } = store;
    this.options = {
      outcomes: (item) => this.#outcome(item),
      ...(servedApiVersion ? { servedApiVersion } : {}),
      ...(deprecationReason ? { deprecationReason } : {}),
      connectInfo: { shopName: 'Northwind Outfitters', ...connectInfo },
    };
    this.onPush = (items) => this.#beforeEach(items);
  }

  /** What the store does from now on; pushes are counted afresh. */
  script(script: PushScript): this {
    this.#script = script;
    this.#base = this.pushes.length;
    return this;
  }

  override async connect(ctx: ConnectContext): Promise<ConnectInfo> {
    this.clock.work(CONNECT_MS);
    const refusal = this.#script.refusal;
    if (refusal) {
      this.connects.push(ctx);
      throw new ConnectionError(refusal.kind, refusal.message, refusal.httpStatus === undefined ? {} : { httpStatus: refusal.httpStatus });
    }
    return super.connect(ctx);
  }

  #outcome(item: TargetItem) {
    const error = this.#script.failing?.get(`${item.entity}:${item.ref}`);
    return error ? { errors: [error] } : ('synced' as const);
  }

  async #beforeEach(items: readonly TargetItem[]): Promise<void> {
    const n = this.pushes.length - this.#base;
    const general = this.#script.generalErrors?.get(n);
    if (general) this.failNextPush(general, { leaveItems: false });
    await this.beforePush?.(n);
    await this.gate.pass();
    this.clock.work((this.#script.pushMs ?? DEFAULT_PUSH_MS)(items.length));
  }
}

import type { Change, ChangeOp } from './schemas/change.js';
import type { Entity } from './schemas/common.js';
import type { ConnectorConfig } from './schemas/connector.js';
import type { ConfigSnapshot, GeneralErrorCode } from './schemas/event.js';
import type { ItemError, SkipReason } from './schemas/item.js';

/** One item handed to the target in an iteration. */
export interface TargetItem {
  key: string;
  entity: Entity;
  ref: string;
  op: ChangeOp;
  change: Change;
  /** Send even if the target believes it unchanged. */
  force: boolean;
}

/**
 * Where a target keeps the host-reference -> target-id mapping, in core's storage, per connector.
 * Item keys (`product:SKU-1`) map to the store's ids; a target may keep other small state of its
 * own under keys with a prefix of its own (e.g. `shopify:location`), as strings.
 */
export interface TargetIdStore {
  get(keys: readonly string[]): Promise<Map<string, string>>;
  set(entries: ReadonlyArray<{ key: string; id: string | null }>): Promise<void>;
}

/**
 * A line for the sync event's log: something the user may want to know that is neither an item's
 * outcome nor an error of the run (say, credentials renewed during it). Remote text is scrubbed.
 */
export type TargetLog = (level: 'info' | 'warn', message: string) => void;

/**
 * What a target last knew of a store's rate limit (a leaky bucket: Shopify's cost points), handed
 * from one runner to the next by the fleet, so that a store is not met with a burst it refuses.
 */
export interface ThrottleState {
  /** When it was known (ISO). */
  at: string;
  /** The bucket's size. */
  capacity: number;
  /** What the bucket held then. */
  available: number;
  /** What it regains per second. */
  restoreRate: number;
}

/**
 * What a target's `connect` is given: the connector and its configuration, a signal that stops it, the
 * event's log, and the store's rate limit as the last runner left it.
 */
export interface ConnectContext {
  connectorId: string;
  config: ConnectorConfig;
  signal: AbortSignal;
  /** Writes a line to the event's log. */
  log: TargetLog;
  /**
   * The store's rate limit as the last runner of this connector left it (fleet), if known: a
   * target that paces itself starts from it rather than from a full bucket, and lets it refill
   * by the time elapsed since.
   */
  throttle?: ThrottleState;
}

/**
 * What a target's `push` is given with each batch: the connector, the configuration frozen at the
 * event's start, where to keep the store's ids, a signal that stops it, and the log.
 */
export interface PushContext {
  connectorId: string;
  /** The configuration frozen at the start of the sync event. */
  config: ConfigSnapshot;
  ids: TargetIdStore;
  signal: AbortSignal;
  /** Writes a line to the event's log, with this iteration's. */
  log: TargetLog;
}

/**
 * What a target's `connect` learned of the store: its name, the API version it served (and why that
 * version is deprecated, if it is), its other languages and its locations. The event's configuration
 * records it.
 */
export interface ConnectInfo {
  shopName?: string;
  /** The version that served the request (`X-Shopify-Api-Version`). */
  servedApiVersion?: string;
  /** `X-Shopify-Api-Deprecated-Reason`, if the store sent one. */
  deprecationReason?: string;
  /** The store's published languages other than the one written as primary content: translations go there. */
  translationLanguages?: string[];
  /** The connector's warehouse -> location mapping as the store resolved it (location ids by warehouse). */
  locationIds?: Record<string, string>;
}

/** Why an item's outcome is not known yet: Shopify is still processing its images. */
export type WaitReason = 'media_processing';

/**
 * What became of one item. `waiting`: the store took it, but its outcome is known only later
 * (Shopify processes images after the mutation answers); the item goes back to the queue, keeps
 * counting as pending, and is handed to the target again, which checks it, after `retryAfterMs`
 * at the earliest when nothing else is left to do.
 */
export type ItemOutcome =
  | { key: string; status: 'synced'; shopifyId?: string }
  | { key: string; status: 'failed'; errors: ItemError[] }
  | { key: string; status: 'skipped'; reason: SkipReason }
  | { key: string; status: 'waiting'; reason: WaitReason; retryAfterMs: number };

/** A problem of the run as a target reports it (the engine adds when it happened and in which iteration). */
export interface GeneralErrorInput {
  code: GeneralErrorCode;
  message: string;
  httpStatus?: number;
  /** A warning: recorded once per event (the same code and message again is not repeated). */
  severity?: 'warning';
}

/** What a target's `push` answers: an outcome for each item it was given, and the problems of the run. */
export interface PushResult {
  /** One per item. Items without an outcome, or waiting, go back to the queue for a later iteration. */
  outcomes: ItemOutcome[];
  /** Problems of the run, not of one item (throttling exhausted, network, 5xx). */
  generalErrors: GeneralErrorInput[];
}

/**
 * Where changes go: a Shopify store (`@shopsync/shopify`) or a fake in tests.
 * `connect` throws a ConnectionError when the store cannot be used; `push` reports per-item
 * outcomes and general errors, and may throw a ConnectionError when nothing could be sent.
 */
export interface Target {
  connect(ctx: ConnectContext): Promise<ConnectInfo>;
  push(items: readonly TargetItem[], ctx: PushContext): Promise<PushResult>;
  /**
   * Optional: the connector goes idle in this process (the fleet yields or releases it). The
   * target lets go of what it keeps for it (sessions, pacing) and returns the store's rate
   * limit as it last knew it, for the next runner's `connect`. A later `connect` starts afresh.
   */
  suspend?(connectorId: string): ThrottleState | undefined;
}

/**
 * A story's state, produced by the real engine: core's `SyncEngine` over a `MemoryStorage`, with
 * the stories' scripted store (`StoryTarget`, a `FakeTarget`) and clock (`StoryClock`, a
 * `ManualClock`), read through a `LocalSyncSource`, the source a host gives `<shopsync-panel>`.
 *
 * The host enqueues the catalog and the run goes as the story asks: to completion, into an error
 * (the store refuses the connection), or held mid-run at the store's gate (In Progress, with the
 * iterations done so far), or paused by disabling the connector during a push (and, for
 * `resumed`, enabled again and held at its next push). Times are the clock's, set so that the
 * run shown ends about now; the events before it come from `history.ts`.
 */
import { LocalSyncSource, MemoryStorage, SyncEngine, type ConnectorState, type GeneralErrorInput, type ItemError, type SyncEvent } from '@shopsync/core';
import { CONNECT_ERRORS, GENERAL_ERRORS, LANGUAGE_WARNING, itemErrorFor } from './catalog.js';
import { catalogChanges, catalogShape, entityAt, keyAt, spread, type CatalogShape } from './catalog-changes.js';
import { API_WARNING_DAYS, connectorFor } from './connector-config.js';
import { runEarlierEvents } from './history.js';
import { SCENARIO_DEFAULTS, scenarioOptions, type ScenarioOptions } from './scenario-options.js';
import { StoryClock } from './story-clock.js';
import { DEFAULT_PUSH_MS, StoryTarget } from './story-target.js';

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const CONNECT_MS = 1_200;
/** How long ago the run shown was left, by status (before its own duration). */
const AGO: Record<ScenarioOptions['status'], number> = { none: 0, completed: 4 * MINUTE, in_progress: SECOND, resumed: SECOND, paused: 7 * MINUTE, error: 2 * MINUTE };
/** How long a `resumed` event stayed paused. */
const PAUSED_FOR = 3 * MINUTE;

export interface Scenario {
  readonly options: ScenarioOptions;
  readonly engine: SyncEngine;
  /** What the panel (or a part) reads. */
  readonly source: LocalSyncSource;
  readonly target: StoryTarget;
  readonly clock: StoryClock;
  /** The newest sync event and the connector as the source gave them when the scenario was ready (for parts shown alone). */
  readonly event: SyncEvent | undefined;
  readonly connector: ConnectorState;
  /** A push waits at the store's gate: `step` lets it through. */
  readonly held: boolean;
  /** Lets the waiting push through; resolves once the next one waits or the run has ended. */
  step(): Promise<void>;
}

const clamp = (n: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, Math.floor(Number.isFinite(n) ? n : lo)));

/** The items that fail, spread over the catalog, each with one of Shopify's errors for its entity. */
function failingItems(shape: CatalogShape, count: number): { failing: number[]; errors: Map<string, ItemError> } {
  const failing = spread(shape, count);
  const seen = { category: 0, product: 0, variant: 0 };
  const errors = new Map(failing.map((j) => [keyAt(shape, j), itemErrorFor(entityAt(shape, j), seen[entityAt(shape, j)]++)] as const));
  return { failing, errors };
}

/** General errors by push number: the language warning with the first push, errors spread over the `pushes` of the whole run. */
function generalErrorsOf(o: ScenarioOptions, pushes: number): Map<number, GeneralErrorInput> {
  const out = new Map<number, GeneralErrorInput>();
  if (o.languageWarning) out.set(1, LANGUAGE_WARNING);
  const g = clamp(o.generalErrors, 0, 1_000);
  for (let i = 0; i < g; i++) {
    let push = 1 + Math.floor(((i + 0.5) * pushes) / g);
    while (out.has(push)) push += 1;
    out.set(push, GENERAL_ERRORS[i % GENERAL_ERRORS.length]!);
  }
  return out;
}

export async function buildScenario(options: Partial<ScenarioOptions> = {}): Promise<Scenario> {
  const o: ScenarioOptions = { ...SCENARIO_DEFAULTS, ...options };
  const wall = Date.now();
  const shape = catalogShape(clamp(o.items, 0, 1_000_000));
  const status = o.status;
  const midRun = status === 'in_progress' || status === 'paused' || status === 'resumed';
  const toRun = status === 'completed' ? shape.size : midRun ? shape.size - clamp(o.pending, 0, shape.size) : 0;
  // Held In Progress may have finished no iteration yet; a pause comes with a push, so after one at least.
  const iterations = clamp(o.iterations, status === 'in_progress' ? 0 : 1, Math.max(1, toRun));
  const batchSize = clamp(iterations && toRun ? Math.ceil(toRun / iterations) : Math.ceil(shape.size / 8), 1, 10_000);
  const pushMs = o.live ? () => o.tickMs : DEFAULT_PUSH_MS;
  const busy = status === 'none' || status === 'error' ? 0 : CONNECT_MS + iterations * pushMs(batchSize);
  const startAt = wall - AGO[status] - busy - (status === 'resumed' ? PAUSED_FOR : 0);
  const history = status === 'none' ? 0 : clamp(o.history, 0, 1_000);

  const clock = new StoryClock(startAt - (history ? history * 6 * HOUR + HOUR : 0));
  const storage = new MemoryStorage();
  const { connector, store } = connectorFor(o, startAt);
  const { failing, errors } = failingItems(shape, o.failedItems);
  if (history) await runEarlierEvents({ storage, clock, connector, store, shape, failing, errors, count: history, before: startAt });
  clock.workUntil(startAt);

  const target = new StoryTarget(clock, store).script({
    failing: errors,
    generalErrors: generalErrorsOf(o, Math.ceil(shape.size / batchSize)),
    pushMs,
    ...(status === 'error' ? { refusal: CONNECT_ERRORS[o.connectError] } : {}),
  });
  const engine = new SyncEngine({
    connector,
    target,
    storage,
    clock,
    batchSize,
    retryBackoff: { baseMs: 0, maxMs: 0 },
    apiVersionWarningDays: API_WARNING_DAYS,
    ...(o.scheduled ? { schedule: { everyMs: 6 * HOUR } } : {}),
  });
  if (shape.size) await engine.enqueue(catalogChanges(shape));

  const gate = target.gate;
  /** Resolves once a push waits at the gate, or no run is under way. */
  const settled = () => Promise.race([gate.arrival(), engine.idle()]);
  if (status === 'completed' || status === 'error') {
    await engine.start({ trigger: 'schedule' });
  } else if (status === 'in_progress') {
    gate.hold();
    engine.start({ trigger: 'schedule' }).catch(report);
    await settled();
    for (let i = 0; i < iterations && gate.waiting; i++) {
      gate.release();
      await settled();
    }
  } else if (midRun) {
    // Disabled during the push of its last iteration: the engine finishes it, then pauses.
    target.beforePush = (n) => (n === iterations ? engine.setEnabled(false) : undefined);
    await engine.start({ trigger: 'schedule' });
    target.beforePush = undefined;
    gate.hold();
    if (status === 'resumed') {
      clock.work(PAUSED_FOR);
      await engine.setEnabled(true);
      await settled();
    }
  }
  // Anything the story does from here (enable, retry, step) happens about now.
  clock.workUntil(wall - SECOND);

  const source = new LocalSyncSource(engine);
  const [latest, connectorState] = await Promise.all([source.listEvents({ offset: 0, limit: 1 }), source.connectorState()]);
  return {
    options: o,
    engine,
    source,
    target,
    clock,
    event: latest.items[0],
    connector: connectorState,
    get held() {
      return gate.waiting;
    },
    async step() {
      if (!gate.release()) return;
      await settled();
    },
  };
}

/** Runs the engine takes tens of seconds over in a browser (it clones the whole event once an iteration or more). */
const isLong = (o: ScenarioOptions) => o.items >= 50_000 || o.iterations >= 500;
const longRuns = new Map<string, Promise<Scenario>>();

/**
 * The scenario for a story's options. Long runs (a 1,000-iteration run, a 100,000-item catalog)
 * are run once per page and shared by every story that asks for the same options: what one of
 * them does to it (a retry) shows in the others.
 */
export function scenarioFor(args: Partial<ScenarioOptions>): Promise<Scenario> {
  const options = scenarioOptions(args);
  if (!isLong(options)) return buildScenario(options);
  const key = JSON.stringify(options);
  let run = longRuns.get(key);
  if (!run) {
    run = buildScenario(options);
    longRuns.set(key, run);
    run.catch(() => longRuns.delete(key));
  }
  return run;
}

/** A run the engine started in the background ended in a way it should not: a story shows it as an error. */
function report(err: unknown): void {
  console.error('The story’s engine run failed:', err);
}

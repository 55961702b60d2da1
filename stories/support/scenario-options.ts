/**
 * What a story asks of the engine's run (the status it ends in, how big the catalog is, what
 * fails, the connector's configuration, the events before it), with defaults and the controls
 * (argTypes) that change them in Storybook. `scenario.ts` turns them into a real run.
 */
import type { ArgTypes } from '@storybook/web-components-vite';

/** The status of the event shown; `none`: no synchronization has run; `resumed`: In Progress again after a pause. */
export type ScenarioStatus = 'none' | 'completed' | 'in_progress' | 'paused' | 'resumed' | 'error';
/** Where the Shopify API version of the connector stands. */
export type ApiStanding = 'supported' | 'ends-soon' | 'deprecated';
/** A warehouse's location as configured (a name or an id), and the id the store resolves it to (left out: not found). */
export interface StockLocation {
  warehouse: string;
  location: string;
  id?: string;
}

export interface ConfigOptions {
  apiVersion: ApiStanding;
  disableDeletions: boolean;
  overwriteStock: boolean;
  includeEmptyCategories: boolean;
  /** The connector's language (BCP 47). */
  language: string;
  /** Sales channels products are published to. */
  publications: string[];
  ownedMetafieldNamespaces: string[];
  createMetafieldDefinitions: boolean;
  /** The store's other languages, which the store reports when the run connects (translations go there). */
  translations: string[];
  locations: StockLocation[];
}

export interface ScenarioOptions extends ConfigOptions {
  status: ScenarioStatus;
  /** Why the store refused the connection (status `error`). */
  connectError: 'auth' | 'reauthorize' | 'network';
  /** Items (categories, products, variants) the host enqueued for the run. */
  items: number;
  /** Iterations the run takes (Completed), or has finished so far (In Progress, Paused): they set the engine's batch size. */
  iterations: number;
  /** Items still waiting (In Progress, Paused). */
  pending: number;
  /** General errors the store reports over the whole run (spread over its iterations). */
  generalErrors: number;
  /** The store reports, with the first push, that the host sent text in a language it has not enabled (a warning). */
  languageWarning: boolean;
  /** Items the store rejects (spread over the catalog). */
  failedItems: number;
  /** Sync events the connector ran before this one, six hours apart. */
  history: number;
  /** Runs are scheduled every six hours: the register says when the next one starts. */
  scheduled: boolean;
  /** In Progress and Paused: the run goes on by itself, one iteration every `tickMs` (the control strip pauses it). */
  live: boolean;
  tickMs: number;
}

export const SCENARIO_DEFAULTS: ScenarioOptions = {
  status: 'completed',
  connectError: 'auth',
  items: 1_840,
  iterations: 8,
  pending: 0,
  generalErrors: 0,
  languageWarning: false,
  failedItems: 0,
  apiVersion: 'supported',
  disableDeletions: true,
  overwriteStock: false,
  includeEmptyCategories: false,
  language: 'en',
  publications: ['Online Store', 'Point of Sale'],
  ownedMetafieldNamespaces: ['shopsync'],
  createMetafieldDefinitions: true,
  translations: [],
  locations: [],
  history: 9,
  scheduled: true,
  live: false,
  tickMs: 1_500,
};

/** A long run: 1,000 iterations, one product group each (a story's args). */
export const LONG_RUN: Partial<ScenarioOptions> = { items: 4_000, iterations: 1_000, failedItems: 110, history: 0 };
/** A large catalog: 100,000 items (a story's args). */
export const LARGE_CATALOG: Partial<ScenarioOptions> = { items: 100_000, iterations: 40, failedItems: 2_150, generalErrors: 2, history: 2 };

const category = { category: 'Engine run' };
const count = (description: string, max: number, step = 1) => ({ description, control: { type: 'number' as const, min: 0, max, step }, table: category });
const flag = (description: string) => ({ description, control: 'boolean' as const, table: category });

export const SCENARIO_ARG_TYPES: ArgTypes<ScenarioOptions> = {
  status: {
    description: 'Where the run is left: `none` (never ran), `completed`, `in_progress` (held mid-run), `paused` (connector disabled mid-run), `resumed` (enabled again: In Progress), `error` (refused connection).',
    control: 'select',
    options: ['completed', 'in_progress', 'paused', 'resumed', 'error', 'none'],
    table: category,
  },
  connectError: { description: 'Why the store refused the connection (status `error`).', control: 'inline-radio', options: ['auth', 'reauthorize', 'network'], if: { arg: 'status', eq: 'error' }, table: category },
  items: count('Items the host enqueued (categories, products, variants).', 100_000, 100),
  iterations: count('Iterations of the run (finished so far, when held or paused); they set the batch size.', 1_000),
  pending: count('Items still waiting when the run is held or paused.', 100_000, 50),
  generalErrors: count('General errors the store reports over the run (throttling, 5xx, network…).', 50),
  languageWarning: flag('The store warns that the host sent text in a language it has not enabled.'),
  failedItems: count('Items the store rejects (grouped by cause in the Item Synchronization Status tab).', 100_000, 10),
  apiVersion: { description: 'Where the connector’s Shopify API version stands.', control: 'inline-radio', options: ['supported', 'ends-soon', 'deprecated'], table: category },
  disableDeletions: flag('Configuration parameter: disable deletions.'),
  overwriteStock: flag('Configuration parameter: overwrite stock.'),
  includeEmptyCategories: flag('Configuration parameter: include empty categories.'),
  language: { description: 'Configuration parameter: the connector’s language.', control: 'select', options: ['en', 'es', 'fr', 'de', 'pt-BR'], table: category },
  publications: { description: 'Configuration parameter: the sales channels products are published to.', control: 'object', table: category },
  ownedMetafieldNamespaces: { description: 'Configuration parameter: the metafield namespaces the connector owns.', control: 'object', table: category },
  createMetafieldDefinitions: flag('Configuration parameter: create missing metafield definitions.'),
  translations: { description: 'The store’s other languages (translations are written to them).', control: 'check', options: ['en', 'es', 'fr', 'de', 'it', 'pt-BR'], table: category },
  locations: { description: 'Warehouses and their locations: `{ warehouse, location, id? }` (the id the store resolves; left out: not found).', control: 'object', table: category },
  history: count('Sync events before this one (the Sync events tab).', 200),
  scheduled: flag('Runs are scheduled: the register says when the next one starts.'),
  live: flag('Held or paused runs go on by themselves, one iteration every `tickMs` (the control strip above the story pauses and steps them).'),
  tickMs: { description: 'Live: milliseconds per iteration.', control: { type: 'range', min: 200, max: 5_000, step: 100 }, table: category },
};

/** The scenario options among a story's args. */
export function scenarioOptions(args: Partial<ScenarioOptions>): ScenarioOptions {
  const out: Record<string, unknown> = { ...SCENARIO_DEFAULTS };
  for (const key of Object.keys(SCENARIO_DEFAULTS)) if (args[key as keyof ScenarioOptions] !== undefined) out[key] = args[key as keyof ScenarioOptions];
  return out as unknown as ScenarioOptions;
}

/** Controls (argTypes) for the options of the replay source, shared by the stories that use it. */
import type { ArgTypes } from '@storybook/web-components-vite';
import { REPLAY_DEFAULTS, type ReplayOptions } from './replay-source.js';

type ReplayArgs = Omit<ReplayOptions, 'now'>;

const count = (description: string, max: number, step = 1) => ({ description, control: { type: 'number' as const, min: 0, max, step }, table: { category: 'Replayed data' } });
const flag = (description: string) => ({ description, control: 'boolean' as const, table: { category: 'Replayed data' } });

export const REPLAY_ARG_TYPES: ArgTypes<ReplayArgs> = {
  status: {
    description: 'Status of the sync event shown (`none`: no synchronization has run yet).',
    control: 'select',
    options: ['completed', 'in_progress', 'paused', 'error', 'none'],
    table: { category: 'Replayed data' },
  },
  connectError: {
    description: 'Why the connector could not start (status `error`).',
    control: 'inline-radio',
    options: ['auth', 'reauthorize', 'network'],
    if: { arg: 'status', eq: 'error' },
    table: { category: 'Replayed data' },
  },
  items: count('Items (categories, products, variants) of the event shown.', 1_000_000, 100),
  iterations: count('Iterations finished so far.', 5_000),
  pending: count('Items still waiting (In Progress and Paused).', 1_000_000, 50),
  generalErrors: count('General errors of the event (throttling, 5xx, network…).', 50),
  languageWarning: flag('The event recorded a warning (not an error): the host sent text in a language the store has not enabled.'),
  failedItems: count('Items that failed, grouped by cause in the Item Synchronization Status tab.', 1_000_000, 10),
  apiVersion: {
    description: 'Where the Shopify API version of the configuration stands.',
    control: 'inline-radio',
    options: ['supported', 'ends-soon', 'deprecated'],
    table: { category: 'Replayed data' },
  },
  disableDeletions: flag('Configuration parameter: disable deletions.'),
  overwriteStock: flag('Configuration parameter: overwrite stock.'),
  includeEmptyCategories: flag('Configuration parameter: include empty categories.'),
  language: { description: 'Configuration parameter: the connector’s language.', control: 'select', options: ['en', 'es', 'fr', 'de', 'pt-BR'], table: { category: 'Replayed data' } },
  publications: { description: 'Configuration parameter: the sales channels products are published to (empty: none).', control: 'object', table: { category: 'Replayed data' } },
  ownedMetafieldNamespaces: { description: 'Configuration parameter: the metafield namespaces the connector owns.', control: 'object', table: { category: 'Replayed data' } },
  createMetafieldDefinitions: flag('Configuration parameter: create missing metafield definitions.'),
  translations: {
    description: 'The store’s other published languages the event wrote translations to (empty: none recorded).',
    control: 'check',
    options: ['en', 'es', 'fr', 'de', 'it', 'pt-BR'],
    table: { category: 'Replayed data' },
  },
  locations: {
    description: 'Where each warehouse kept its stock: `{ warehouse, location, id? }`, the location as configured (name or id) and the id the store resolved (left out: not found).',
    control: 'object',
    table: { category: 'Replayed data' },
  },
  recordedBeforePublishing: flag('The event was recorded before connectors had sales channels and metafield settings: its configuration has none of them.'),
  history: count('Sync events before the one shown (the Sync events tab).', 500),
  scheduled: flag('Runs are scheduled: the register says when the next one starts.'),
  live: { ...flag('In Progress: replay the run over time, one iteration every `tickMs`.'), if: { arg: 'status', eq: 'in_progress' } },
  tickMs: { description: 'Live replay: milliseconds per iteration.', control: { type: 'range', min: 200, max: 5_000, step: 100 }, if: { arg: 'live' }, table: { category: 'Replayed data' } },
};

export const REPLAY_ARGS: ReplayArgs = { ...REPLAY_DEFAULTS };

/** The replay options among a story's args. */
export function replayOptions(args: Partial<ReplayOptions>): Partial<ReplayOptions> {
  const out: Partial<Record<keyof ReplayOptions, unknown>> = {};
  for (const key of Object.keys(REPLAY_DEFAULTS) as Array<keyof ReplayOptions>) if (args[key] !== undefined) out[key] = args[key];
  return out as Partial<ReplayOptions>;
}

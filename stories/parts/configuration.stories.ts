import type { Meta, StoryObj } from '@storybook/web-components-vite';
import type { ConfigSnapshot } from '@shopsync/core';
import '@shopsync/widget';
import { html } from 'lit';
import { FRAME_ARGS, type FrameArgs, withoutControls } from '../support/frame.js';
import { STOCK_LOCATIONS, UNRESOLVED_LOCATION } from '../support/catalog.js';
import { scenarioFor, type Scenario } from '../support/scenario.js';
import { SCENARIO_ARG_TYPES, SCENARIO_DEFAULTS, type ConfigOptions } from '../support/scenario-options.js';
import '../support/story-context.js';

type Args = ConfigOptions & FrameArgs & { recordedBeforePublishing: boolean };

const { apiVersion, disableDeletions, overwriteStock, includeEmptyCategories, language, publications, ownedMetafieldNamespaces, createMetafieldDefinitions, translations, locations } =
  SCENARIO_ARG_TYPES;

/**
 * The snapshot as events stored before connectors had sales channels and metafield settings hold
 * it (the event schema keeps those fields optional for them): what this engine recorded, less
 * what it did not record then.
 */
function recordedBeforePublishing(config: ConfigSnapshot): ConfigSnapshot {
  const { publications: _p, ownedMetafieldNamespaces: _o, createMetafieldDefinitions: _c, translations: _t, locations: _l, ...older } = config;
  return older;
}

const meta = {
  title: 'Parts/Configuration',
  component: 'shopsync-configuration',
  tags: ['autodocs'],
  args: {
    ...FRAME_ARGS,
    apiVersion: SCENARIO_DEFAULTS.apiVersion,
    disableDeletions: SCENARIO_DEFAULTS.disableDeletions,
    overwriteStock: SCENARIO_DEFAULTS.overwriteStock,
    includeEmptyCategories: SCENARIO_DEFAULTS.includeEmptyCategories,
    language: SCENARIO_DEFAULTS.language,
    publications: SCENARIO_DEFAULTS.publications,
    ownedMetafieldNamespaces: SCENARIO_DEFAULTS.ownedMetafieldNamespaces,
    createMetafieldDefinitions: SCENARIO_DEFAULTS.createMetafieldDefinitions,
    translations: SCENARIO_DEFAULTS.translations,
    locations: SCENARIO_DEFAULTS.locations,
    recordedBeforePublishing: false,
  },
  argTypes: {
    apiVersion,
    disableDeletions,
    overwriteStock,
    includeEmptyCategories,
    language,
    publications,
    ownedMetafieldNamespaces,
    createMetafieldDefinitions,
    translations,
    locations,
    recordedBeforePublishing: {
      description: 'Show the event as one recorded before connectors had sales channels and metafield settings: its configuration has none of them.',
      control: 'boolean',
      table: { category: 'Engine run' },
    },
    ...withoutControls('config', 'now'),
  },
  // The snapshot the engine took when a small run started (a few minutes ago), judged against today.
  loaders: [async ({ args }) => ({ scenario: await scenarioFor({ ...args, items: 40, iterations: 1, history: 0 }) })],
  render: ({ locale, recordedBeforePublishing: older }, { loaded }) => {
    const config = (loaded.scenario as Scenario).event!.config;
    return html`<shopsync-story-context locale=${locale}>
      <shopsync-configuration .config=${older ? recordedBeforePublishing(config) : config}></shopsync-configuration>
    </shopsync-story-context>`;
  },
} satisfies Meta<Args>;

export default meta;
type Story = StoryObj<Args>;

export const Supported: Story = { name: 'API version supported' };
export const EndsSoon: Story = { name: 'API version deprecated soon', args: { apiVersion: 'ends-soon' } };
export const Deprecated: Story = { name: 'API version deprecated', args: { apiVersion: 'deprecated' } };
export const AllParametersOn: Story = { name: 'Every parameter on, Spanish store', args: { disableDeletions: true, overwriteStock: true, includeEmptyCategories: true, language: 'es' } };
/** A connector that publishes nothing and owns no metafield namespace. */
export const NothingPublished: Story = {
  name: 'Products not published, no metafield namespace owned',
  args: { publications: [], ownedMetafieldNamespaces: [], createMetafieldDefinitions: false },
};
/** Sales channels given by publication id, as a connector may name them, and several namespaces. */
export const PublicationIds: Story = {
  name: 'Sales channels by publication id',
  args: { publications: ['Online Store', 'gid://shopify/Publication/112233445566', 'Wholesale B2B'], ownedMetafieldNamespaces: ['shopsync', 'pim_specs', 'erp-logistics'] },
};
/** A store with other languages (the event wrote translations to them) and two warehouses: one location given by name, resolved to its id; one by id. */
export const TranslationsAndLocations: Story = {
  name: 'Translations and stock locations',
  args: { translations: ['es', 'fr'], locations: STOCK_LOCATIONS },
};
/** A warehouse whose location the store did not find (by that name): its stock had nowhere to go. */
export const LocationNotFound: Story = {
  name: 'A stock location not found at the store',
  args: { translations: [], locations: [...STOCK_LOCATIONS, UNRESOLVED_LOCATION] },
};
export const SpanishTranslationsAndLocations: Story = {
  name: 'Spanish: translations and stock locations',
  args: { locale: 'es', language: 'es', translations: ['en', 'fr', 'pt-BR'], locations: [...STOCK_LOCATIONS, UNRESOLVED_LOCATION] },
};
/** An event recorded before connectors had sales channels and metafield settings: only the four parameters. */
export const RecordedBeforePublishing: Story = { name: 'Older event, without publishing settings', args: { recordedBeforePublishing: true } };
export const Spanish: Story = { args: { locale: 'es', language: 'es', apiVersion: 'ends-soon' } };
export const Dark: Story = { args: { theme: 'dark', apiVersion: 'deprecated' } };

import type { Meta, StoryObj } from '@storybook/web-components-vite';
import '@shopsync/widget';
import { html } from 'lit';
import { FRAME_ARGS, type FrameArgs, withoutControls } from '../support/frame.js';
import { STOCK_LOCATIONS, UNRESOLVED_LOCATION } from '../support/catalog.js';
import { REPLAY_ARG_TYPES } from '../support/replay-controls.js';
import { REPLAY_DEFAULTS, configSnapshot, type ConfigOptions } from '../support/replay-source.js';
import '../support/story-context.js';

type Args = ConfigOptions & FrameArgs;

const {
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
  recordedBeforePublishing,
} = REPLAY_ARG_TYPES;

const meta = {
  title: 'Parts/Configuration',
  component: 'shopsync-configuration',
  tags: ['autodocs'],
  args: {
    ...FRAME_ARGS,
    apiVersion: REPLAY_DEFAULTS.apiVersion,
    disableDeletions: REPLAY_DEFAULTS.disableDeletions,
    overwriteStock: REPLAY_DEFAULTS.overwriteStock,
    includeEmptyCategories: REPLAY_DEFAULTS.includeEmptyCategories,
    language: REPLAY_DEFAULTS.language,
    publications: REPLAY_DEFAULTS.publications,
    ownedMetafieldNamespaces: REPLAY_DEFAULTS.ownedMetafieldNamespaces,
    createMetafieldDefinitions: REPLAY_DEFAULTS.createMetafieldDefinitions,
    translations: REPLAY_DEFAULTS.translations,
    locations: REPLAY_DEFAULTS.locations,
    recordedBeforePublishing: REPLAY_DEFAULTS.recordedBeforePublishing,
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
    recordedBeforePublishing,
    ...withoutControls('config', 'now'),
  },
  // The snapshot of an event that started an hour ago, judged against today.
  render: ({ locale, ...args }) =>
    html`<shopsync-story-context locale=${locale}>
      <shopsync-configuration .config=${configSnapshot(args, Date.now() - 3_600_000)}></shopsync-configuration>
    </shopsync-story-context>`,
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

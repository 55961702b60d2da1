import type { Meta, StoryObj } from '@storybook/web-components-vite';
import '@shopsync/widget';
import '@shopsync/widget/translations/es';
import type { PanelTab, ShopsyncPanel, ShopsyncSynchronization } from '@shopsync/widget';
import { html } from 'lit';
import { FRAME_ARGS, FRAME_ARG_TYPES, deepQuery, waitFor, type FrameArgs, withoutControls } from './support/frame.js';
import { STOCK_LOCATIONS } from './support/catalog.js';
import { runControlsFor } from './support/run-controls.js';
import { scenarioFor, type Scenario } from './support/scenario.js';
import { LARGE_CATALOG, LONG_RUN, SCENARIO_ARG_TYPES, SCENARIO_DEFAULTS, type ScenarioOptions } from './support/scenario-options.js';

type PanelArgs = ScenarioOptions & FrameArgs & { tab: PanelTab };

const EMBED = `
\`<shopsync-panel>\` is the Activity Register a host embeds: give it a \`SyncSource\` and it shows
what the synchronization did, is doing and will do, live.

\`\`\`ts
import '@shopsync/widget';                  // registers <shopsync-panel> and its parts
import '@shopsync/widget/translations/es';  // Spanish, when needed
import { LocalSyncSource } from '@shopsync/core';

const panel = document.querySelector('shopsync-panel')!;
panel.source = new LocalSyncSource(engine); // or any SyncSource
\`\`\`

\`\`\`html
<shopsync-panel locale="es" theme="dark"></shopsync-panel>
\`\`\`

These stories run the real engine: core's \`SyncEngine\` over a \`MemoryStorage\`, writing to a
scripted fake store (core's \`FakeTarget\`: the items it rejects, the general errors it reports, a
refused connection) on a clock the story sets, and the panel reads it through a
\`LocalSyncSource\`, exactly as above. The controls under *Engine run* shape the run; a run held
In Progress or paused gets a strip that steps it. The *Story* controls set the panel's
\`locale\` and \`theme\`. Restyle it with the \`--shopsync-*\` custom properties and \`::part()\` names below.
`;

const meta = {
  title: 'Panel',
  component: 'shopsync-panel',
  tags: ['autodocs'],
  args: { ...SCENARIO_DEFAULTS, ...FRAME_ARGS, tab: 'overview' },
  argTypes: {
    ...SCENARIO_ARG_TYPES,
    ...FRAME_ARG_TYPES,
    tab: { description: 'The tab shown (the `tab` property).', control: 'inline-radio', options: ['overview', 'items', 'events'], table: { category: 'Story' } },
    // Properties of the element that these stories set otherwise (or not at all).
    ...withoutControls('source', 'src', 'eventId'),
  },
  loaders: [async ({ args }) => ({ scenario: await scenarioFor(args) })],
  render: (args, { loaded }) => {
    const scenario = loaded.scenario as Scenario;
    return html`${runControlsFor(scenario)}<shopsync-panel .source=${scenario.source} locale=${args.locale} theme=${args.theme} tab=${args.tab}></shopsync-panel>`;
  },
  parameters: { layout: 'fullscreen', docs: { description: { component: EMBED } } },
} satisfies Meta<PanelArgs>;

export default meta;
type Story = StoryObj<PanelArgs>;

/** Stories whose engine runs long (tens of seconds): left out of the docs page, which would run them all at once. */
const HEAVY = ['!autodocs'];

async function synchronizationOf(canvas: HTMLElement): Promise<ShopsyncSynchronization> {
  const panel = deepQuery<ShopsyncPanel>(canvas, 'shopsync-panel');
  await panel.ready;
  await waitFor(() => panel.shadowRoot?.querySelector('shopsync-synchronization') !== null, 5_000, 'the Synchronization section');
  const sync = deepQuery<ShopsyncSynchronization>(panel.shadowRoot!, 'shopsync-synchronization');
  await sync.updateComplete;
  return sync;
}

/** Completed, no error of any kind. */
export const Completed: Story = {};

/** Completed, but general errors occurred (a red icon beside the status) and some items failed. */
export const CompletedWithGeneralErrors: Story = {
  name: 'Completed with general errors',
  args: { generalErrors: 3, failedItems: 27 },
};

/** The red icon's modal: the general errors only (item errors are in the Item Synchronization Status tab). */
export const GeneralErrorsDialog: Story = {
  name: 'Completed with general errors: dialog open',
  args: { generalErrors: 3, failedItems: 27 },
  play: async ({ canvasElement }) => {
    const sync = await synchronizationOf(canvasElement);
    await sync.showGeneralErrors();
  },
};

/**
 * Completed with a warning and no error: the host sent text in French, which the store has not
 * enabled. An amber icon beside the status opens it; nothing failed.
 */
export const LanguageWarning: Story = {
  name: 'Completed with a language warning',
  args: { languageWarning: true },
};

/** The amber icon's modal: the warning, marked as one. */
export const LanguageWarningDialog: Story = {
  name: 'Completed with a language warning: dialog open',
  args: { languageWarning: true },
  play: async ({ canvasElement }) => {
    const sync = await synchronizationOf(canvasElement);
    await sync.showGeneralErrors();
  },
};

/** Errors and the language warning: the red icon (errors win), and the modal lists both, the warning marked. */
export const LanguageWarningAndErrors: Story = {
  name: 'Language warning and general errors: dialog open',
  args: { languageWarning: true, generalErrors: 2, failedItems: 27 },
  play: async ({ canvasElement }) => {
    const sync = await synchronizationOf(canvasElement);
    await sync.showGeneralErrors();
  },
};

/** The configuration of a store with other languages (translations written to them) and two warehouses. */
export const TranslationsAndLocations: Story = {
  name: 'Translations and stock locations',
  args: { language: 'en', translations: ['es', 'fr'], locations: STOCK_LOCATIONS },
};

/** The connector could not start: Shopify refused the credentials. */
export const ErrorBadCredentials: Story = {
  name: 'Error: bad credentials',
  args: { status: 'error', connectError: 'auth' },
};

/** The connector could not start: the app's authorization with the store has ended (its refresh token was refused); the merchant must authorize it again. */
export const ErrorReauthorize: Story = {
  name: 'Error: authorization ended',
  args: { status: 'error', connectError: 'reauthorize' },
};

/** The connector could not start: the store could not be reached. */
export const ErrorStoreUnreachable: Story = {
  name: 'Error: store unreachable',
  args: { status: 'error', connectError: 'network' },
};

/**
 * Held mid-run: the store has not answered the fourth push yet. Three iterations are in the
 * History, the pending counters show what is left, the logs can be downloaded. The strip above
 * steps the run (or plays it).
 */
export const InProgress: Story = {
  name: 'In Progress',
  args: { status: 'in_progress', items: 2_400, iterations: 3, pending: 1_800, failedItems: 9, generalErrors: 1 },
};

/**
 * Live: the engine runs one iteration every 1.5 s; pending counters fall, iteration blocks
 * appear, a general error arrives half-way, and the status turns Completed. Disable the
 * connector to pause it; the strip above pauses or steps the run.
 */
export const InProgressLive: Story = {
  name: 'In Progress (live)',
  args: { status: 'in_progress', live: true, tickMs: 1_500, items: 2_400, iterations: 3, pending: 1_800, failedItems: 9, generalErrors: 1 },
  play: async ({ canvasElement }) => {
    const panel = deepQuery<ShopsyncPanel>(canvasElement, 'shopsync-panel');
    await panel.ready;
    const before = panel.event?.iterations.length ?? 0;
    await waitFor(() => (panel.event?.iterations.length ?? 0) > before, 10_000, 'the next iteration of the live run');
  },
};

/** The connector was disabled mid-run; enabling it (the button) resumes the same event, live. */
export const Paused: Story = {
  args: { status: 'paused', items: 3_600, iterations: 6, pending: 2_350, failedItems: 4, live: true, tickMs: 1_200 },
};

/**
 * The paused event above after the user enabled the connector with its button: the engine
 * resumes the same event, In Progress again (the register shows when it paused and resumed).
 */
export const Resumed: Story = {
  name: 'Resumed (connector enabled again)',
  args: { status: 'paused', items: 3_600, iterations: 6, pending: 2_350, failedItems: 4, live: true, tickMs: 1_200 },
  play: async ({ canvasElement }) => {
    const sync = await synchronizationOf(canvasElement);
    deepQuery<HTMLButtonElement>(sync.shadowRoot!, '[part="enable-button"]').click();
    const panel = deepQuery<ShopsyncPanel>(canvasElement, 'shopsync-panel');
    await waitFor(() => panel.event?.status === 'in_progress', 5_000, 'the event to resume');
  },
};

/** The configuration's API version is no longer supported: Shopify serves a newer one. */
export const DeprecatedApiVersion: Story = {
  name: 'API version deprecated',
  args: { apiVersion: 'deprecated' },
};

/** The configuration's API version will be unsupported within 90 days. */
export const ApiVersionEndingSoon: Story = {
  name: 'API version deprecated soon',
  args: { apiVersion: 'ends-soon' },
};

/**
 * Many failed items, grouped by cause, in the Item Synchronization Status tab; those that also
 * failed in the event before are flagged as failing repeatedly.
 */
export const ItemErrorsByCause: Story = {
  name: 'Many item errors, grouped by cause',
  args: { items: 12_000, iterations: 24, failedItems: 1_284, generalErrors: 1, tab: 'items' },
};

/** The connector has never run: changes wait in the queue for the first (scheduled) run. */
export const NoSyncYet: Story = {
  name: 'No sync yet',
  args: { status: 'none', items: 1_240, history: 0 },
};

/** The list of sync events (the Activity Register), paginated, with the next scheduled run. */
export const SyncEvents: Story = {
  name: 'Sync events list',
  args: { history: 23, tab: 'events', generalErrors: 1 },
};

/** A long run: 1,000 iterations (the newest blocks first, the rest on demand). The engine takes a while to run them. */
export const ThousandIterations: Story = {
  name: '1,000 iterations',
  tags: HEAVY,
  args: LONG_RUN,
};

/** 100,000 items in a virtualized list, filtered and grouped without loading them all. The engine takes a while to run them. */
export const HundredThousandItems: Story = {
  name: '100,000 items',
  tags: HEAVY,
  args: { ...LARGE_CATALOG, tab: 'items' },
};

export const Spanish: Story = {
  name: 'Spanish',
  args: { locale: 'es', language: 'es', generalErrors: 2, failedItems: 27, apiVersion: 'ends-soon' },
};

/** Spanish: the language warning and the configuration's translations and locations. */
export const SpanishLanguageWarning: Story = {
  name: 'Spanish: language warning, translations and locations',
  args: { locale: 'es', language: 'es', translations: ['en', 'fr'], locations: STOCK_LOCATIONS, languageWarning: true },
};

export const DarkTheme: Story = {
  name: 'Dark theme',
  args: { theme: 'dark', generalErrors: 2, failedItems: 27, apiVersion: 'deprecated' },
};

/** A phone: 320 CSS pixels wide (the panel lays itself out by its own width), a run held In Progress. */
export const NarrowMobile: Story = {
  name: 'Narrow (mobile)',
  args: { width: 320, status: 'in_progress', items: 2_400, iterations: 5, pending: 1_400, failedItems: 6, generalErrors: 1 },
  globals: { viewport: { value: 'mobile1', isRotated: false } },
};

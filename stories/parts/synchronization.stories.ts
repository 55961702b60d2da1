import type { Meta, StoryObj } from '@storybook/web-components-vite';
import '@shopsync/widget';
import type { ShopsyncSynchronization } from '@shopsync/widget';
import { html } from 'lit';
import { FRAME_ARGS, deepQuery, type FrameArgs, withoutControls } from '../support/frame.js';
import { scenarioFor, type Scenario } from '../support/scenario.js';
import { SCENARIO_ARG_TYPES, SCENARIO_DEFAULTS, type ScenarioOptions } from '../support/scenario-options.js';
import '../support/story-context.js';

type Args = ScenarioOptions & FrameArgs;

const meta = {
  title: 'Parts/Synchronization',
  component: 'shopsync-synchronization',
  tags: ['autodocs'],
  args: { ...SCENARIO_DEFAULTS, ...FRAME_ARGS, history: 0 },
  argTypes: { ...SCENARIO_ARG_TYPES, ...withoutControls('event', 'connector', 'source') },
  // The section of one event as the engine left it (the panel is what follows changes live).
  loaders: [async ({ args }) => ({ scenario: await scenarioFor(args) })],
  render: (args, { loaded }) => {
    const { source, event, connector } = loaded.scenario as Scenario;
    return html`<shopsync-story-context .source=${source} locale=${args.locale}>
      <shopsync-synchronization .event=${event} .connector=${connector}></shopsync-synchronization>
    </shopsync-story-context>`;
  },
  parameters: { docs: { description: { component: 'Shown here on a snapshot of an event the real engine ran; inside `<shopsync-panel>` it follows the source live.' } } },
} satisfies Meta<Args>;

export default meta;
type Story = StoryObj<Args>;

export const Completed: Story = {};
export const CompletedWithErrors: Story = { name: 'Completed with general and item errors', args: { generalErrors: 2, failedItems: 31 } };
export const GeneralErrorsOpen: Story = {
  name: 'General errors modal open',
  args: { generalErrors: 2, failedItems: 31 },
  play: async ({ canvasElement }) => {
    const sync = deepQuery<ShopsyncSynchronization>(canvasElement, 'shopsync-synchronization');
    await sync.updateComplete;
    await sync.showGeneralErrors();
  },
};
/** Completed with a warning and no error: an amber icon beside the status, a note that nothing failed. */
export const LanguageWarning: Story = { name: 'Completed with a language warning', args: { languageWarning: true } };
export const LanguageWarningOpen: Story = {
  name: 'Language warning: modal open',
  args: { languageWarning: true },
  play: async ({ canvasElement }) => {
    const sync = deepQuery<ShopsyncSynchronization>(canvasElement, 'shopsync-synchronization');
    await sync.updateComplete;
    await sync.showGeneralErrors();
  },
};
/** The warning with general and item errors: the red icon, and the counts of each. */
export const LanguageWarningAndErrors: Story = { name: 'Language warning with general and item errors', args: { languageWarning: true, generalErrors: 2, failedItems: 31 } };
export const ErrorBadCredentials: Story = { name: 'Error: bad credentials', args: { status: 'error', connectError: 'auth' } };
export const ErrorStoreUnreachable: Story = { name: 'Error: store unreachable', args: { status: 'error', connectError: 'network' } };
export const InProgress: Story = { name: 'In Progress', args: { status: 'in_progress', items: 2_400, iterations: 4, pending: 1_600, failedItems: 5 } };
export const Paused: Story = { args: { status: 'paused', items: 3_600, iterations: 6, pending: 2_350 } };
/** The paused event after the connector was enabled again: the same event, In Progress again. */
export const Resumed: Story = { name: 'Resumed (In Progress again)', args: { status: 'resumed', items: 3_600, iterations: 6, pending: 2_350 } };
export const Spanish: Story = { args: { locale: 'es', status: 'paused', items: 3_600, iterations: 6, pending: 2_350, generalErrors: 1, failedItems: 3 } };
export const Dark: Story = { args: { theme: 'dark', generalErrors: 1, failedItems: 12 } };
export const SpanishWarning: Story = { name: 'Spanish: a language warning', args: { locale: 'es', languageWarning: true } };
export const DarkWarning: Story = { name: 'Dark: a language warning', args: { theme: 'dark', languageWarning: true } };

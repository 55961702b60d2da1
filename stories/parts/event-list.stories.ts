import type { Meta, StoryObj } from '@storybook/web-components-vite';
import '@shopsync/widget';
import { html } from 'lit';
import { FRAME_ARGS, type FrameArgs, withoutControls } from '../support/frame.js';
import { scenarioFor, type Scenario } from '../support/scenario.js';
import { SCENARIO_ARG_TYPES, SCENARIO_DEFAULTS, type ScenarioOptions } from '../support/scenario-options.js';
import '../support/story-context.js';

type Args = ScenarioOptions & FrameArgs & { pageSize: number };

const meta = {
  title: 'Parts/Event list',
  component: 'shopsync-event-list',
  tags: ['autodocs'],
  args: { ...SCENARIO_DEFAULTS, ...FRAME_ARGS, history: 23, pageSize: 10, generalErrors: 1 },
  argTypes: {
    ...SCENARIO_ARG_TYPES,
    pageSize: { control: { type: 'number', min: 1, max: 100 } },
    ...withoutControls('selectedId', 'nextRunAt', 'source'),
  },
  loaders: [async ({ args }) => ({ scenario: await scenarioFor(args) })],
  render: (args, { loaded }) => {
    const { source, event, connector } = loaded.scenario as Scenario;
    return html`<shopsync-story-context .source=${source} locale=${args.locale}>
      <shopsync-event-list selected-id=${event?.id ?? ''} next-run-at=${connector.nextRunAt ?? ''} page-size=${args.pageSize}></shopsync-event-list>
    </shopsync-story-context>`;
  },
} satisfies Meta<Args>;

export default meta;
type Story = StoryObj<Args>;

/** Sync events, newest first, paginated; the next scheduled run; general errors counted per event. */
export const Register: Story = { name: 'Sync events' };
export const Unscheduled: Story = { name: 'Runs not scheduled', args: { scheduled: false, history: 4 } };
export const InProgressFirst: Story = { name: 'A run in progress', args: { status: 'in_progress', items: 2_400, iterations: 3, pending: 1_800, history: 6 } };
export const NoSyncYet: Story = { name: 'No sync yet', args: { status: 'none', history: 0 } };
export const Spanish: Story = { args: { locale: 'es' } };
export const Dark: Story = { args: { theme: 'dark' } };

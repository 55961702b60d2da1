import type { Meta, StoryObj } from '@storybook/web-components-vite';
import '@shopsync/widget';
import { html } from 'lit';
import { FRAME_ARGS, type FrameArgs, withoutControls } from '../support/frame.js';
import { scenarioFor, type Scenario } from '../support/scenario.js';
import '../support/story-context.js';

type Args = FrameArgs & { available: boolean };

const meta = {
  title: 'Parts/Log links',
  component: 'shopsync-log-links',
  tags: ['autodocs'],
  args: { ...FRAME_ARGS, available: true },
  argTypes: { available: { control: 'boolean' }, ...withoutControls('eventId', 'source') },
  // The links download the log the engine wrote for a run (JSON Lines or CSV).
  loaders: [async () => ({ scenario: await scenarioFor({ failedItems: 12, generalErrors: 1, history: 0 }) })],
  render: ({ locale, available }, { loaded }) => {
    const { source, event } = loaded.scenario as Scenario;
    return html`<shopsync-story-context .source=${source} locale=${locale}>
      <shopsync-log-links event-id=${event!.id} ?available=${available}></shopsync-log-links>
    </shopsync-story-context>`;
  },
} satisfies Meta<Args>;

export default meta;
type Story = StoryObj<Args>;

export const Available: Story = {};
export const NotYetAvailable: Story = { name: 'Not yet available (before the first iteration ends)', args: { available: false } };
export const Spanish: Story = { args: { locale: 'es' } };

import type { Meta, StoryObj } from '@storybook/web-components-vite';
import '@shopsync/widget';
import { html } from 'lit';
import { FRAME_ARGS, type FrameArgs, withoutControls } from '../support/frame.js';
import { ReplaySource } from '../support/replay-source.js';
import '../support/story-context.js';

type Args = FrameArgs & { available: boolean };

const meta = {
  title: 'Parts/Log links',
  component: 'shopsync-log-links',
  tags: ['autodocs'],
  args: { ...FRAME_ARGS, available: true },
  argTypes: { available: { control: 'boolean' }, ...withoutControls('eventId', 'source') },
  // The links download the replayed event's log (JSON Lines or CSV), built as the engine writes it.
  render: ({ locale, available }) => {
    const source = new ReplaySource({ failedItems: 12, generalErrors: 1 });
    return html`<shopsync-story-context .source=${source} locale=${locale}>
      <shopsync-log-links event-id=${source.snapshot()!.id} ?available=${available}></shopsync-log-links>
    </shopsync-story-context>`;
  },
} satisfies Meta<Args>;

export default meta;
type Story = StoryObj<Args>;

export const Available: Story = {};
export const NotYetAvailable: Story = { name: 'Not yet available (before the first iteration ends)', args: { available: false } };
export const Spanish: Story = { args: { locale: 'es' } };

import type { Meta, StoryObj } from '@storybook/web-components-vite';
import '@shopsync/widget';
import { html } from 'lit';
import { FRAME_ARGS, type FrameArgs, withoutControls } from '../support/frame.js';
import { REPLAY_ARGS, REPLAY_ARG_TYPES, replayOptions } from '../support/replay-controls.js';
import { ReplaySource, type ReplayOptions } from '../support/replay-source.js';
import '../support/story-context.js';

type Args = Omit<ReplayOptions, 'now'> & FrameArgs & { pageSize: number };

const meta = {
  title: 'Parts/Event list',
  component: 'shopsync-event-list',
  tags: ['autodocs'],
  args: { ...REPLAY_ARGS, ...FRAME_ARGS, history: 23, pageSize: 10, generalErrors: 1 },
  argTypes: {
    ...REPLAY_ARG_TYPES,
    pageSize: { control: { type: 'number', min: 1, max: 100 } },
    ...withoutControls('selectedId', 'nextRunAt', 'source'),
  },
  render: (args) => {
    const source = new ReplaySource(replayOptions(args));
    const state = source.connectorSnapshot();
    return html`<shopsync-story-context .source=${source} locale=${args.locale}>
      <shopsync-event-list selected-id=${source.snapshot()?.id ?? ''} next-run-at=${state.nextRunAt ?? ''} page-size=${args.pageSize}></shopsync-event-list>
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

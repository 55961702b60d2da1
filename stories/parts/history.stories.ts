import type { Meta, StoryObj } from '@storybook/web-components-vite';
import '@shopsync/widget';
import { html } from 'lit';
import { FRAME_ARGS, type FrameArgs } from '../support/frame.js';
import { ReplaySource } from '../support/replay-source.js';
import '../support/story-context.js';

type Args = FrameArgs & { iterations: number; items: number; failedItems: number; pageSize: number };

const meta = {
  title: 'Parts/History',
  component: 'shopsync-history',
  tags: ['autodocs'],
  args: { ...FRAME_ARGS, iterations: 8, items: 1_840, failedItems: 14, pageSize: 24 },
  argTypes: {
    iterations: { control: { type: 'number', min: 0, max: 5_000 } },
    items: { control: { type: 'number', min: 0, step: 100 } },
    failedItems: { control: { type: 'number', min: 0 } },
    pageSize: { control: { type: 'number', min: 1, max: 200 } },
  },
  render: ({ locale, iterations, items, failedItems, pageSize }) => {
    const event = new ReplaySource({ status: iterations ? 'completed' : 'in_progress', items, iterations, pending: iterations ? 0 : items, failedItems }).snapshot();
    return html`<shopsync-story-context locale=${locale}>
      <shopsync-history .iterations=${event?.iterations ?? []} page-size=${pageSize}></shopsync-history>
    </shopsync-story-context>`;
  },
} satisfies Meta<Args>;

export default meta;
type Story = StoryObj<Args>;

export const Iterations: Story = {};
export const NoIterationYet: Story = { name: 'No iteration yet', args: { iterations: 0 } };
export const ThousandIterations: Story = { name: '1,000 iterations (newest first, older on demand)', args: { iterations: 1_000, items: 48_000, failedItems: 310 } };
export const Spanish: Story = { args: { locale: 'es' } };
export const Dark: Story = { args: { theme: 'dark' } };

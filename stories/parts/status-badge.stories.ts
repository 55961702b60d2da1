import type { Meta, StoryObj } from '@storybook/web-components-vite';
import type { SyncStatus } from '@shopsync/core';
import '@shopsync/widget';
import { html } from 'lit';
import { FRAME_ARGS, type FrameArgs } from '../support/frame.js';
import '../support/story-context.js';

type Args = FrameArgs & { status: SyncStatus };

const meta = {
  title: 'Parts/Status badge',
  component: 'shopsync-status-badge',
  tags: ['autodocs'],
  args: { ...FRAME_ARGS, status: 'completed' },
  argTypes: { status: { control: 'inline-radio', options: ['completed', 'in_progress', 'paused', 'error'] } },
  render: ({ status, locale }) => html`<shopsync-story-context locale=${locale}><shopsync-status-badge status=${status}></shopsync-status-badge></shopsync-story-context>`,
} satisfies Meta<Args>;

export default meta;
type Story = StoryObj<Args>;

export const Completed: Story = {};
export const InProgress: Story = { name: 'In Progress', args: { status: 'in_progress' } };
export const Paused: Story = { args: { status: 'paused' } };
export const ErrorStatus: Story = { name: 'Error', args: { status: 'error' } };

/** Every status, in words and with an icon (never colour alone), in both themes' colours. */
export const AllStatuses: Story = {
  name: 'All statuses',
  render: ({ locale }) =>
    html`<shopsync-story-context locale=${locale}>
      <div style="display: flex; gap: 0.75rem; flex-wrap: wrap">
        ${(['completed', 'in_progress', 'paused', 'error'] as const).map((s) => html`<shopsync-status-badge status=${s}></shopsync-status-badge>`)}
      </div>
    </shopsync-story-context>`,
};

export const Spanish: Story = { name: 'All statuses, Spanish', render: AllStatuses.render, args: { locale: 'es' } };
export const Dark: Story = { name: 'All statuses, dark', render: AllStatuses.render, args: { theme: 'dark' } };

import type { Meta, StoryObj } from '@storybook/web-components-vite';
import '@shopsync/widget';
import { html } from 'lit';
import { FRAME_ARGS, type FrameArgs, withoutControls } from '../support/frame.js';
import '../support/story-context.js';

type Args = FrameArgs & { categories: number; products: number; variants: number; compact: boolean };

const count = { control: { type: 'number', min: 0, step: 1 } } as const;

const meta = {
  title: 'Parts/Pending counters',
  component: 'shopsync-pending-counters',
  tags: ['autodocs'],
  args: { ...FRAME_ARGS, categories: 3, products: 412, variants: 1_286, compact: false },
  argTypes: { categories: count, products: count, variants: count, ...withoutControls('pending') },
  render: ({ locale, categories, products, variants, compact }) =>
    html`<shopsync-story-context locale=${locale}>
      <shopsync-pending-counters .pending=${{ categories, products, variants }} ?compact=${compact}></shopsync-pending-counters>
    </shopsync-story-context>`,
} satisfies Meta<Args>;

export default meta;
type Story = StoryObj<Args>;

export const Pending: Story = {};
export const NothingPending: Story = { name: 'Nothing pending', args: { categories: 0, products: 0, variants: 0 } };
export const LargeNumbers: Story = { name: 'Large numbers', args: { categories: 1_204, products: 98_213, variants: 412_904 } };
export const Compact: Story = { args: { compact: true } };
export const Spanish: Story = { args: { locale: 'es', products: 12_412, variants: 41_286 } };

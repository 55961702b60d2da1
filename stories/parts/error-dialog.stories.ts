import type { Meta, StoryObj } from '@storybook/web-components-vite';
import type { GeneralError } from '@shopsync/core';
import '@shopsync/widget';
import type { ShopsyncErrorDialog } from '@shopsync/widget';
import { html } from 'lit';
import { GENERAL_ERRORS } from '../support/catalog.js';
import { FRAME_ARGS, deepQuery, type FrameArgs, withoutControls } from '../support/frame.js';
import '../support/story-context.js';

type Args = FrameArgs & { generalErrors: number };

const T0 = Date.UTC(2026, 10, 28, 9, 30);

/** `n` general errors, as a sync event of the replayed data holds them. */
function errors(n: number): GeneralError[] {
  return Array.from({ length: n }, (_, i) => ({ ...GENERAL_ERRORS[i % GENERAL_ERRORS.length]!, at: new Date(T0 + i * 47_000).toISOString(), iteration: 2 + i * 3 }));
}

/** Opens the dialog as the red icon does: focus returns to the button that opened it. */
async function open(canvas: HTMLElement) {
  const dialog = deepQuery<ShopsyncErrorDialog>(canvas, 'shopsync-error-dialog');
  await dialog.updateComplete;
  await dialog.show(deepQuery<HTMLButtonElement>(canvas, 'button.open'));
}

const meta = {
  title: 'Parts/Error dialog',
  component: 'shopsync-error-dialog',
  tags: ['autodocs'],
  args: { ...FRAME_ARGS, generalErrors: 3 },
  argTypes: { generalErrors: { control: { type: 'number', min: 0, max: 50 } }, ...withoutControls('errors') },
  render: ({ locale, generalErrors }) =>
    html`<shopsync-story-context locale=${locale}>
      <button class="open" type="button" @click=${(e: Event) => open((e.target as HTMLElement).parentElement!)}>Show general errors</button>
      <shopsync-error-dialog .errors=${errors(generalErrors)}></shopsync-error-dialog>
    </shopsync-story-context>`,
  play: async ({ canvasElement }) => open(canvasElement),
} satisfies Meta<Args>;

export default meta;
type Story = StoryObj<Args>;

/** The modal open on a sync event's general errors (only those: item errors are elsewhere). */
export const Open: Story = {};
export const OneError: Story = { name: 'One error', args: { generalErrors: 1 } };
export const ManyErrors: Story = { name: 'Many errors (scrolls)', args: { generalErrors: 14 } };
export const Spanish: Story = { args: { locale: 'es' } };
export const Dark: Story = { args: { theme: 'dark' } };

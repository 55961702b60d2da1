import type { Meta, StoryObj } from '@storybook/web-components-vite';
import '@shopsync/widget';
import type { ShopsyncErrorDialog } from '@shopsync/widget';
import { html } from 'lit';
import { FRAME_ARGS, deepQuery, type FrameArgs, withoutControls } from '../support/frame.js';
import { scenarioFor, type Scenario } from '../support/scenario.js';
import '../support/story-context.js';

type Args = FrameArgs & { generalErrors: number; languageWarning: boolean };

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
  args: { ...FRAME_ARGS, generalErrors: 3, languageWarning: false },
  argTypes: {
    generalErrors: { description: 'General errors the store reports during the run.', control: { type: 'number', min: 0, max: 50 } },
    languageWarning: { description: 'A warning first: the host sent text in a language the store has not enabled.', control: 'boolean' },
    ...withoutControls('errors'),
  },
  // The general errors the engine recorded for a run in which the store reported them, one an iteration.
  loaders: [
    async ({ args }) => ({
      scenario: await scenarioFor({ items: 400, iterations: Math.max(4, args.generalErrors + 2), generalErrors: args.generalErrors, languageWarning: args.languageWarning, history: 0 }),
    }),
  ],
  render: ({ locale }, { loaded }) =>
    html`<shopsync-story-context locale=${locale}>
      <button class="open" type="button" @click=${(e: Event) => open((e.target as HTMLElement).parentElement!)}>Show general errors</button>
      <shopsync-error-dialog .errors=${(loaded.scenario as Scenario).event?.generalErrors ?? []}></shopsync-error-dialog>
    </shopsync-story-context>`,
  play: async ({ canvasElement }) => open(canvasElement),
} satisfies Meta<Args>;

export default meta;
type Story = StoryObj<Args>;

/** The modal open on a sync event's general errors (only those: item errors are elsewhere). */
export const Open: Story = {};
export const OneError: Story = { name: 'One error', args: { generalErrors: 1 } };
export const ManyErrors: Story = { name: 'Many errors (scrolls)', args: { generalErrors: 14 } };
/** An event with a warning and no error: the dialog says warnings, and marks it as one. */
export const WarningOnly: Story = { name: 'A language warning alone', args: { generalErrors: 0, languageWarning: true } };
/** Errors and a warning together: the warning marked, in words and with its icon. */
export const WarningAndErrors: Story = { name: 'A language warning and errors', args: { generalErrors: 2, languageWarning: true } };
export const Spanish: Story = { args: { locale: 'es' } };
export const SpanishWarning: Story = { name: 'Spanish: a language warning and an error', args: { locale: 'es', generalErrors: 1, languageWarning: true } };
export const Dark: Story = { args: { theme: 'dark' } };
export const DarkWarning: Story = { name: 'Dark: a language warning and errors', args: { theme: 'dark', generalErrors: 2, languageWarning: true } };

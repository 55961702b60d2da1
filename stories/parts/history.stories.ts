import type { Meta, StoryObj } from '@storybook/web-components-vite';
import '@shopsync/widget';
import { html } from 'lit';
import { FRAME_ARGS, type FrameArgs } from '../support/frame.js';
import { scenarioFor, type Scenario } from '../support/scenario.js';
import { LONG_RUN } from '../support/scenario-options.js';
import '../support/story-context.js';

type Args = FrameArgs & { iterations: number; items: number; failedItems: number; pageSize: number };

const meta = {
  title: 'Parts/History',
  component: 'shopsync-history',
  tags: ['autodocs'],
  args: { ...FRAME_ARGS, iterations: 8, items: 1_840, failedItems: 14, pageSize: 24 },
  argTypes: {
    iterations: { description: 'Iterations the engine runs (0: a run held before its first one ends).', control: { type: 'number', min: 0, max: 1_000 } },
    items: { control: { type: 'number', min: 0, step: 100 } },
    failedItems: { control: { type: 'number', min: 0 } },
    pageSize: { control: { type: 'number', min: 1, max: 200 } },
  },
  // The iterations of a run the engine completed (or, with none, one it holds before the first ends).
  loaders: [
    async ({ args: { iterations, items, failedItems } }) => ({
      scenario: await scenarioFor({ status: iterations ? 'completed' : 'in_progress', items, iterations, pending: iterations ? 0 : items, failedItems, history: 0 }),
    }),
  ],
  render: ({ locale, pageSize }, { loaded }) =>
    html`<shopsync-story-context locale=${locale}>
      <shopsync-history .iterations=${(loaded.scenario as Scenario).event?.iterations ?? []} page-size=${pageSize}></shopsync-history>
    </shopsync-story-context>`,
} satisfies Meta<Args>;

export default meta;
type Story = StoryObj<Args>;

export const Iterations: Story = {};
export const NoIterationYet: Story = { name: 'No iteration yet', args: { iterations: 0 } };
export const ThousandIterations: Story = {
  name: '1,000 iterations (newest first, older on demand)',
  // The engine takes a while to run them: left out of the docs page.
  tags: ['!autodocs'],
  // The panel's 1,000-iteration run: the same options, so one run serves both.
  args: { iterations: LONG_RUN.iterations!, items: LONG_RUN.items!, failedItems: LONG_RUN.failedItems! },
};
export const Spanish: Story = { args: { locale: 'es' } };
export const Dark: Story = { args: { theme: 'dark' } };

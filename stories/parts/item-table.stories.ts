import type { Meta, StoryObj } from '@storybook/web-components-vite';
import type { Entity, ItemFilterQuery, ItemState } from '@shopsync/core';
import '@shopsync/widget';
import type { ShopsyncItemTable } from '@shopsync/widget';
import { html } from 'lit';
import { FRAME_ARGS, deepQuery, waitFor, type FrameArgs, withoutControls } from '../support/frame.js';
import { scenarioFor, type Scenario } from '../support/scenario.js';
import { LARGE_CATALOG, SCENARIO_ARG_TYPES, SCENARIO_DEFAULTS, type ScenarioOptions } from '../support/scenario-options.js';
import '../support/story-context.js';

type Args = ScenarioOptions & FrameArgs & { ref: string; itemStatus: ItemState | ''; entity: Entity | '' };

const meta = {
  title: 'Parts/Item table',
  component: 'shopsync-item-table',
  tags: ['autodocs'],
  args: { ...SCENARIO_DEFAULTS, ...FRAME_ARGS, items: 4_000, iterations: 10, failedItems: 428, ref: '', itemStatus: '', entity: '' },
  argTypes: {
    ...SCENARIO_ARG_TYPES,
    ref: { description: 'Filter: reference contains (case-sensitive).', control: 'text', table: { category: 'Filter' } },
    itemStatus: { description: 'Filter: status.', control: 'select', options: ['', 'error', 'pending', 'complete'], table: { category: 'Filter' } },
    entity: { description: 'Filter: type.', control: 'select', options: ['', 'category', 'product', 'variant'], table: { category: 'Filter' } },
    ...withoutControls('filter', 'source'),
  },
  loaders: [async ({ args }) => ({ scenario: await scenarioFor(args) })],
  render: (args, { loaded }) => {
    const filter: ItemFilterQuery = {};
    if (args.ref) filter.ref = args.ref;
    if (args.itemStatus) filter.status = args.itemStatus;
    if (args.entity) filter.entity = args.entity;
    return html`<shopsync-story-context .source=${(loaded.scenario as Scenario).source} locale=${args.locale}>
      <shopsync-item-table .filter=${filter}></shopsync-item-table>
    </shopsync-story-context>`;
  },
} satisfies Meta<Args>;

export default meta;
type Story = StoryObj<Args>;

/** Chooses the first row (in view) whose text contains `text`, or the first row: its details show. */
async function chooseRow(canvas: HTMLElement, text = '') {
  const table = deepQuery<ShopsyncItemTable>(canvas, 'shopsync-item-table');
  await table.loaded;
  // Bring the list into view first: on a phone it is below the fold, where a user would scroll to it.
  table.shadowRoot!.querySelector('[part="list"]')?.scrollIntoView({ block: 'nearest' });
  const row = () => [...table.shadowRoot!.querySelectorAll<HTMLButtonElement>('[part="row"]')].find((r) => r.textContent?.includes(text));
  await waitFor(() => row() !== undefined, 5_000, text ? `a row with "${text}"` : 'the first row');
  row()!.click();
  await table.updateComplete;
}

/** Failed items only, their errors grouped by cause (largest group first); those that failed in the event before too are flagged. */
export const ErrorsByCause: Story = { name: 'Item errors grouped by cause', args: { itemStatus: 'error' } };

/** Every item of a large catalog: a virtualized list, pages loaded as they scroll into view. */
export const HundredThousandItems: Story = {
  name: '100,000 items',
  // The engine takes a while to run them: left out of the docs page.
  tags: ['!autodocs'],
  args: LARGE_CATALOG,
};

/** One item chosen: its errors in full, and a button to retry it. */
export const ItemDetails: Story = {
  name: 'A failed item’s details',
  args: { itemStatus: 'error', entity: 'variant' },
  play: async ({ canvasElement }) => chooseRow(canvasElement),
};

/**
 * Products whose media or metafields Shopify refused: an image it could not download (a long URL,
 * wrapped, and the field at fault), a metafield value of the wrong shape, a metafield without the
 * definition its type needs. One is chosen: its error in full.
 */
export const MediaAndMetafieldErrors: Story = {
  name: 'Image and metafield errors',
  args: { itemStatus: 'error', entity: 'product' },
  play: async ({ canvasElement }) => chooseRow(canvasElement, 'Shopify could not download it'),
};

/** The same on a phone: the details below the list, the URL wrapped within the width. */
export const MediaErrorsOnAPhone: Story = {
  name: 'Image and metafield errors, on a phone',
  args: { itemStatus: 'error', entity: 'product', width: 360 },
  play: async ({ canvasElement }) => chooseRow(canvasElement, 'Shopify could not download it'),
};

export const FilteredByReference: Story = { name: 'Filtered by reference', args: { ref: 'TRN-10' } };
export const NoMatch: Story = { name: 'No item matches', args: { ref: 'ZZZ' } };
export const Spanish: Story = { args: { locale: 'es', itemStatus: 'error' } };
export const Dark: Story = { args: { theme: 'dark' } };

import type { Meta, StoryObj } from '@storybook/web-components-vite';
import '@shopsync/widget';
import { html } from 'lit';
import { FRAME_ARGS, type FrameArgs, withoutControls } from '../support/frame.js';
import { REPLAY_ARG_TYPES } from '../support/replay-controls.js';
import { REPLAY_DEFAULTS, configSnapshot, type ReplayOptions } from '../support/replay-source.js';
import '../support/story-context.js';

type Args = Pick<ReplayOptions, 'apiVersion' | 'disableDeletions' | 'overwriteStock' | 'includeEmptyCategories' | 'language'> & FrameArgs;

const { apiVersion, disableDeletions, overwriteStock, includeEmptyCategories, language } = REPLAY_ARG_TYPES;

const meta = {
  title: 'Parts/Configuration',
  component: 'shopsync-configuration',
  tags: ['autodocs'],
  args: {
    ...FRAME_ARGS,
    apiVersion: REPLAY_DEFAULTS.apiVersion,
    disableDeletions: REPLAY_DEFAULTS.disableDeletions,
    overwriteStock: REPLAY_DEFAULTS.overwriteStock,
    includeEmptyCategories: REPLAY_DEFAULTS.includeEmptyCategories,
    language: REPLAY_DEFAULTS.language,
  },
  argTypes: { apiVersion, disableDeletions, overwriteStock, includeEmptyCategories, language, ...withoutControls('config', 'now') },
  // The snapshot of an event that started an hour ago, judged against today.
  render: ({ locale, ...args }) =>
    html`<shopsync-story-context locale=${locale}>
      <shopsync-configuration .config=${configSnapshot(args, Date.now() - 3_600_000)}></shopsync-configuration>
    </shopsync-story-context>`,
} satisfies Meta<Args>;

export default meta;
type Story = StoryObj<Args>;

export const Supported: Story = { name: 'API version supported' };
export const EndsSoon: Story = { name: 'API version deprecated soon', args: { apiVersion: 'ends-soon' } };
export const Deprecated: Story = { name: 'API version deprecated', args: { apiVersion: 'deprecated' } };
export const AllParametersOn: Story = { name: 'Every parameter on, Spanish store', args: { disableDeletions: true, overwriteStock: true, includeEmptyCategories: true, language: 'es' } };
export const Spanish: Story = { args: { locale: 'es', language: 'es', apiVersion: 'ends-soon' } };
export const Dark: Story = { args: { theme: 'dark', apiVersion: 'deprecated' } };

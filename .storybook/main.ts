// Storybook 10 (web components, Vite). `npm run storybook` serves it; `npm run build-storybook`
// builds it into storybook-static/ (CI does, so a story that does not build fails CI).
import type { StorybookConfig } from '@storybook/web-components-vite';

const config: StorybookConfig = {
  stories: ['../stories/**/*.stories.ts'],
  framework: { name: '@storybook/web-components-vite', options: {} },
  addons: ['@storybook/addon-docs', '@storybook/addon-a11y'],
  // Nothing reaches the network: no telemetry, no "what's new" fetch.
  core: { disableTelemetry: true, disableWhatsNewNotifications: true },
  async viteFinal(config) {
    const { mergeConfig, defaultClientConditions } = await import('vite');
    return mergeConfig(config, {
      // Workspace packages resolve to their TypeScript sources (their `source` export condition),
      // as in the tests: stories show the code of this checkout, built or not.
      resolve: { conditions: ['source', ...defaultClientConditions] },
      // Storybook's own manager and docs chunks are large; that is not ours to split.
      build: { chunkSizeWarningLimit: 2_500 },
    });
  },
};

export default config;

/**
 * Every story module, for the story test (web-test-runner has no `import.meta.glob`). A node
 * test (story-modules.test.ts) fails when this list and the *.stories.ts files disagree.
 */
import * as panel from '../panel.stories.js';
import * as configuration from '../parts/configuration.stories.js';
import * as errorDialog from '../parts/error-dialog.stories.js';
import * as eventList from '../parts/event-list.stories.js';
import * as history from '../parts/history.stories.js';
import * as itemTable from '../parts/item-table.stories.js';
import * as logLinks from '../parts/log-links.stories.js';
import * as pendingCounters from '../parts/pending-counters.stories.js';
import * as statusBadge from '../parts/status-badge.stories.js';
import * as synchronization from '../parts/synchronization.stories.js';

/** Story modules by path under stories/. */
export const STORY_MODULES: Record<string, Record<string, unknown>> = {
  'panel.stories.ts': panel,
  'parts/configuration.stories.ts': configuration,
  'parts/error-dialog.stories.ts': errorDialog,
  'parts/event-list.stories.ts': eventList,
  'parts/history.stories.ts': history,
  'parts/item-table.stories.ts': itemTable,
  'parts/log-links.stories.ts': logLinks,
  'parts/pending-counters.stories.ts': pendingCounters,
  'parts/status-badge.stories.ts': statusBadge,
  'parts/synchronization.stories.ts': synchronization,
};

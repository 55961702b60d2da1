/// <reference types="mocha" />
// Every story, rendered in Chromium as Storybook renders it (the default export's args merged
// with the story's, its loaders, its render function, the story, component and project
// decorators, its play function), then checked with axe-core. A story that throws, logs an
// error, renders nothing of its component, does not show the status its name promises, or has
// an accessibility violation fails `npm test`.
import type { AxeResults, Result } from 'axe-core';
import type { SyncStatus } from '@shopsync/core';
import type { ShopsyncStatusBadge } from '@shopsync/widget';
import { expect } from '@open-wc/testing';
import { render } from 'lit';
import { PROJECT_DECORATORS, deepQueryAll } from '../support/frame.js';
import { STORY_MODULES } from './story-modules.js';

type Fn = (...args: never[]) => unknown;
interface Annotations {
  title?: string;
  component?: string;
  name?: string;
  args?: Record<string, unknown>;
  argTypes?: Record<string, unknown>;
  parameters?: Record<string, unknown>;
  globals?: Record<string, unknown>;
  decorators?: Fn[];
  loaders?: Fn[];
  render?: Fn;
  play?: Fn;
  includeStories?: string[] | RegExp;
  excludeStories?: string[] | RegExp;
}
type StoryContext = Record<string, unknown> & { args: Record<string, unknown> };
type StoryFn = (context: StoryContext) => unknown;
type DecoratorFn = (story: (update?: Partial<StoryContext>) => unknown, context: StoryContext) => unknown;

const axe = async () => {
  await import('axe-core/axe.min.js' as string);
  return (window as unknown as { axe: { run: (context: Element, options: object) => Promise<AxeResults> } }).axe;
};

const matches = (name: string, rule: string[] | RegExp | undefined) => (Array.isArray(rule) ? rule.includes(name) : rule instanceof RegExp ? rule.test(name) : false);

/** The stories of a CSF module: its named exports, less those its meta excludes. */
function storiesOf(mod: Record<string, unknown>): Array<[string, Annotations]> {
  const meta = mod.default as Annotations;
  return Object.entries(mod)
    .filter(([name]) => name !== 'default' && name !== '__namedExportsOrder')
    .filter(([name]) => (meta.includeStories === undefined || matches(name, meta.includeStories)) && !matches(name, meta.excludeStories))
    .map(([name, story]) => [name, typeof story === 'function' ? { render: story as Fn } : (story as Annotations)]);
}

const frame = () => new Promise<void>((r) => requestAnimationFrame(() => r()));

/** Elements and text under `root`, through shadow roots: changes while anything still renders. */
const fingerprint = (root: Element) => {
  const els = deepQueryAll(root, '*');
  return `${els.length}:${els.reduce((n, e) => n + (e.shadowRoot?.textContent?.length ?? 0), root.textContent?.length ?? 0)}`;
};

/**
 * Waits until every Lit element under `root` has updated and loaded what it shows, and the DOM
 * has stopped changing for six frames in a row (the virtualized list lays rows out over several).
 */
async function settle(root: Element, ms = 3_000): Promise<void> {
  const t0 = performance.now();
  let last = '';
  let still = 0;
  while (still < 6 && performance.now() - t0 < ms) {
    await frame();
    const els = [root, ...deepQueryAll(root, '*')] as Array<Element & { updateComplete?: Promise<unknown>; ready?: Promise<unknown>; loaded?: Promise<unknown> }>;
    await Promise.all(els.map((e) => e.updateComplete));
    await Promise.all(els.map((e) => e.ready ?? e.loaded));
    const now = fingerprint(root);
    still = now === last ? still + 1 : 0;
    last = now;
  }
}

/** Renders one story into `container` as Storybook does; resolves with its context. */
async function renderStory(meta: Annotations, story: Annotations, name: string, container: HTMLElement): Promise<StoryContext> {
  const renderFn = (story.render ?? meta.render) as ((args: Record<string, unknown>, context: StoryContext) => unknown) | undefined;
  if (!renderFn) throw new Error(`${meta.title} › ${name}: no render function (story or default export)`);
  const context: StoryContext = {
    id: `${meta.title}--${name}`,
    name: story.name ?? name,
    title: meta.title,
    component: meta.component,
    args: { ...meta.args, ...story.args },
    argTypes: { ...meta.argTypes, ...story.argTypes },
    parameters: { ...meta.parameters, ...story.parameters },
    globals: { ...story.globals },
    viewMode: 'story',
    loaded: {},
    abortSignal: new AbortController().signal,
    canvasElement: container,
    step: async (_label: string, play: () => unknown) => play(),
  };
  // Loaders run first, all at once; what they resolve with is merged into `loaded`.
  const loaders = [...(meta.loaders ?? []), ...(story.loaders ?? [])] as Array<(context: StoryContext) => Promise<Record<string, unknown> | void>>;
  context.loaded = Object.assign({}, ...(await Promise.all(loaders.map((load) => load(context)))));
  let fn: StoryFn = (ctx) => renderFn(ctx.args, ctx);
  // Story decorators innermost, then the component's, then the project's.
  for (const decorator of [...(story.decorators ?? []), ...(meta.decorators ?? []), ...PROJECT_DECORATORS] as unknown as DecoratorFn[]) {
    const inner = fn;
    fn = (ctx) => decorator((update) => inner(update ? { ...ctx, ...update, args: { ...ctx.args, ...update.args } } : ctx), ctx);
  }
  const result = fn(context);
  if (result instanceof Node) container.append(result);
  else if (typeof result === 'string') container.innerHTML = result;
  else render(result, container);
  await settle(container);
  const play = (story.play ?? meta.play) as ((context: StoryContext) => unknown) | undefined;
  if (play) {
    await play(context);
    await settle(container);
  }
  return context;
}

/**
 * The status a story's name promises: "Paused", "In Progress (live)", "Error: store
 * unreachable", "Completed with general errors", "Resumed…" (In Progress again), "No sync yet"
 * (no status at all); undefined when the name promises none.
 */
function promisedStatus(name: string): SyncStatus | 'none' | undefined {
  if (/\bno sync yet\b/i.test(name)) return 'none';
  if (/\bin progress\b|\bresumed\b/i.test(name)) return 'in_progress';
  if (/\bpaused\b/i.test(name)) return 'paused';
  if (/^error\b/i.test(name)) return 'error';
  if (/\bcompleted\b/i.test(name)) return 'completed';
  return undefined;
}

/**
 * The statuses the story shows (status badges, through shadow roots): those of the event shown
 * where there is a Synchronization section (the panel also lists earlier events), else all.
 */
function shownStatuses(root: Element): string[] {
  const sections = deepQueryAll(root, 'shopsync-synchronization');
  const scopes: ParentNode[] = sections.length ? sections.map((s) => s.shadowRoot ?? s) : [root];
  return scopes.flatMap((scope) => deepQueryAll<ShopsyncStatusBadge>(scope, 'shopsync-status-badge')).map((b) => b.status);
}

const describeViolation = (v: Result) =>
  `${v.id} (${v.impact}): ${v.help}\n${v.nodes
    .slice(0, 5)
    .map((n) => `    ${n.target.join(' ')}: ${n.failureSummary?.replace(/\n/g, ' ')}`)
    .join('\n')}`;


for (const [path, mod] of Object.entries(STORY_MODULES)) {
  const meta = mod.default as Annotations;
  describe(`stories/${path}: ${meta.title}`, () => {
    let container: HTMLElement;
    let problems: string[];
    let restore: () => void;

    beforeEach(() => {
      problems = [];
      const original = console.error;
      console.error = (...args: unknown[]) => {
        const text = args.map(String).join(' ');
        // The runner logs every uncaught error event's `error`: null for the browser's own
        // (ResizeObserver) reports. Uncaught errors are caught below, by their event.
        const runnerEcho = args.length === 1 && args[0] === null;
        if (!runnerEcho) problems.push(`console.error: ${text}`);
        original.apply(console, args);
      };
      const onError = (e: ErrorEvent) => {
        problems.push(`uncaught: ${e.message}`);
      };
      const onRejection = (e: PromiseRejectionEvent) => problems.push(`unhandled rejection: ${e.reason instanceof Error ? e.reason.message : String(e.reason)}`);
      window.addEventListener('error', onError);
      window.addEventListener('unhandledrejection', onRejection);
      restore = () => {
        console.error = original;
        window.removeEventListener('error', onError);
        window.removeEventListener('unhandledrejection', onRejection);
      };
      container = document.createElement('div');
      container.id = 'storybook-root';
      document.body.append(container);
    });

    afterEach(() => {
      render(null, container);
      container.remove();
      restore();
    });

    it('exports stories', () => {
      expect(meta.title, 'a title').to.be.a('string');
      expect(meta.component, 'a component (its docs page comes from the manifest)').to.match(/^shopsync-/);
      expect(storiesOf(mod).length, 'stories').to.be.greaterThan(0);
    });

    for (const [name, story] of storiesOf(mod)) {
      it(`${story.name ?? name}: renders with its args and the status its name promises, without errors, and passes axe-core`, async () => {
        await renderStory(meta, story, name, container);
        const shown = deepQueryAll(container, meta.component!);
        expect(shown.length, `the story shows <${meta.component}>`).to.be.greaterThan(0);
        expect(shown.every((el) => (el.shadowRoot?.childNodes.length ?? 0) > 0), `<${meta.component}> rendered`).to.equal(true);
        const promised = promisedStatus(story.name ?? name);
        if (promised === 'none') expect(shownStatuses(container), 'no status: nothing has run').to.deep.equal([]);
        else if (promised) expect(shownStatuses(container), `the status its name promises (${promised})`).to.include(promised);

        const results = await (await axe()).run(container, {
          resultTypes: ['violations'],
          // A story is a fragment of a page: "all content in landmarks" is the host page's business.
          rules: { region: { enabled: false } },
        });
        expect(results.violations.map(describeViolation), 'axe-core violations').to.deep.equal([]);
        await frame();
        expect(problems, 'errors while rendering').to.deep.equal([]);
      });
    }
  });
}

/**
 * Shared by the widget's tests (never built nor published): realistic data (a LocalSyncSource over
 * a real engine driven by a FakeTarget) and helpers that look through shadow roots.
 */
import { fixture, html } from '@open-wc/testing';
import { LocalSyncSource, SyncEngine, type Change, type EngineOptions } from '@shopsync/core';
import { FakeTarget, type FakeTargetOptions } from '@shopsync/core/testing';
import '../define.js';
import type { ShopsyncPanel } from '../panel/panel.js';
import '../translations/es.js';

/** The connector of the test engines. */
export const connector = {
  id: 'store-1',
  shopDomain: 'demo.myshopify.com',
  apiVersion: '2026-07',
  disableDeletions: true,
  overwriteStock: false,
  includeEmptyCategories: true,
  language: 'es',
};

/** An upsert of a product. */
export const product = (ref: string, title = `Product ${ref}`): Change => ({ entity: 'product', op: 'upsert', ref, data: { title } });
/** An upsert of a category. */
export const category = (ref: string): Change => ({ entity: 'category', op: 'upsert', ref, data: { title: `Category ${ref}` } });
/** An upsert of a variant of `parentRef`. */
export const variant = (ref: string, parentRef: string): Change => ({ entity: 'variant', op: 'upsert', ref, parentRef, data: { price: '9.99' } });
/** Upserts of `n` products, `P000`, `P001`… */
export const products = (n: number, prefix = 'P') => Array.from({ length: n }, (_, i) => product(`${prefix}${String(i).padStart(3, '0')}`));

/** An engine on a FakeTarget and a LocalSyncSource over it. */
export function makeSource(options: Partial<EngineOptions> = {}, target: FakeTarget = new FakeTarget()) {
  const engine = new SyncEngine({ connector, target, retryBackoff: { baseMs: 0, maxMs: 0 }, batchSize: 5, ...options });
  return { engine, target, source: new LocalSyncSource(engine) };
}

/** Items whose reference starts with BAD fail with a Shopify-like userError. */
export const failBad: FakeTargetOptions['outcomes'] = (i) =>
  i.ref.startsWith('BAD') ? { errors: [{ code: 'INVALID', field: ['variants', '0', 'price'], message: 'Price must be greater than 0' }] } : 'synced';

/** Completed with a general error (throttling) and item errors. */
export async function completedWithErrors() {
  const s = makeSource({}, new FakeTarget({ outcomes: failBad }));
  await s.engine.enqueue([category('C1'), ...products(6), ...products(2, 'BAD'), variant('V1', 'P000')]);
  s.target.failNextPush({ code: 'throttled', message: 'Throttled: the store asked us to slow down' }, { leaveItems: false });
  const event = await s.engine.start();
  return { ...s, event };
}

/** Completed, without any error. */
export async function completedClean() {
  const s = makeSource();
  await s.engine.enqueue([category('C1'), ...products(7), variant('V1', 'P000')]);
  const event = await s.engine.start();
  return { ...s, event };
}

/** Error: the connector could not start (`kind` says why). */
export async function errored(kind: 'auth' | 'reauthorize' | 'network' = 'auth') {
  const s = makeSource({}, new FakeTarget({ connectError: kind }));
  await s.engine.enqueue(products(3));
  const event = await s.engine.start();
  return { ...s, event };
}

/** Paused: the connector was disabled during the second push. */
export async function paused() {
  const s = makeSource();
  await s.engine.enqueue(products(20));
  s.target.onPush = async (_items, n) => {
    if (n === 2) await s.engine.setEnabled(false);
  };
  const event = await s.engine.start();
  s.target.onPush = undefined;
  return { ...s, event };
}

/** A run that advances one iteration each time `step()` is called. */
export function stepped(n = 20, options: Partial<EngineOptions> = {}) {
  const s = makeSource(options, new FakeTarget({ outcomes: failBad }));
  const waiting: Array<() => void> = [];
  let pushes = 0;
  const arrived: Array<() => void> = [];
  s.target.onPush = () =>
    new Promise<void>((resolve) => {
      pushes += 1;
      waiting.push(resolve);
      arrived.splice(0).forEach((r) => r());
    });
  const run = (async () => {
    await s.engine.enqueue(products(n));
    return s.engine.start();
  })();
  /** Resolves once a push is waiting. */
  const pushWaiting = () => (waiting.length ? Promise.resolve() : new Promise<void>((r) => arrived.push(r)));
  return {
    ...s,
    run,
    pushWaiting,
    get pushes() {
      return pushes;
    },
    /** Lets the waiting push finish, then waits for the next one (or the end of the run). */
    async step() {
      await pushWaiting();
      waiting.shift()!();
      await Promise.race([pushWaiting(), run]);
    },
    async finish() {
      s.target.onPush = undefined;
      waiting.splice(0).forEach((r) => r());
      return run;
    },
  };
}

/** Every element under `root`, through open shadow roots. */
export function deepAll<T extends Element = HTMLElement>(root: Element | ShadowRoot | Document, selector: string): T[] {
  const out: T[] = [];
  const visit = (node: Element | ShadowRoot | Document) => {
    out.push(...(node.querySelectorAll(selector) as unknown as T[]));
    for (const el of node.querySelectorAll('*')) if (el.shadowRoot) visit(el.shadowRoot);
  };
  if (root instanceof Element && root.shadowRoot) visit(root.shadowRoot);
  visit(root);
  return [...new Set(out)];
}

/** The first element under `root` matching `selector`, through open shadow roots; throws when there is none. */
export function deep<T extends Element = HTMLElement>(root: Element | ShadowRoot | Document, selector: string): T {
  const found = deepAll<T>(root, selector)[0];
  if (!found) throw new Error(`no element matches ${selector}`);
  return found;
}

/** Visible text of an element and its shadow trees, whitespace collapsed. */
export function text(el: Element): string {
  const parts: string[] = [];
  const walk = (node: Node) => {
    if (node instanceof Element && (node.hasAttribute('hidden') || node.tagName === 'STYLE')) return;
    if (node.nodeType === Node.TEXT_NODE) parts.push(node.textContent ?? '');
    if (node instanceof Element && node.shadowRoot) walk(node.shadowRoot);
    for (const c of node.childNodes) walk(c);
  };
  walk(el);
  // Text nodes are joined with spaces (elements are boundaries); undo the spaces that joining
  // puts inside brackets and before punctuation, so assertions read like the rendered text.
  return parts
    .join(' ')
    .replace(/\s+/g, ' ')
    .replace(/\( /g, '(')
    .replace(/ ([).,:])/g, '$1')
    .trim();
}

const frame = () => new Promise<void>((r) => requestAnimationFrame(() => r()));

/** Waits for a frame and for every Lit element in the tree to finish updating (twice, for cascades). */
export async function settle(root: Element): Promise<void> {
  for (let i = 0; i < 3; i++) {
    await frame();
    const els = [root, ...deepAll(root, '*')].filter((e): e is HTMLElement & { updateComplete: Promise<unknown> } => 'updateComplete' in e);
    await Promise.all(els.map((e) => e.updateComplete));
    const loads = els.map((e) => (e as unknown as { loaded?: Promise<void> }).loaded).filter(Boolean);
    await Promise.all(loads);
  }
}

/** Waits, a frame at a time, until `cond` holds; throws after `ms`. */
export async function until(cond: () => boolean, ms = 3000): Promise<void> {
  const t0 = performance.now();
  while (!cond()) {
    if (performance.now() - t0 > ms) throw new Error('condition not met in time');
    await frame();
  }
}

/** A panel on `source`, its data loaded and every part rendered. */
export async function panelOn(source: unknown, locale = 'en', theme: 'auto' | 'light' | 'dark' = 'auto'): Promise<ShopsyncPanel> {
  const el = await fixture<ShopsyncPanel>(html`<shopsync-panel .source=${source} locale=${locale} theme=${theme}></shopsync-panel>`);
  await el.ready;
  await settle(el);
  return el;
}

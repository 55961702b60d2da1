/**
 * Shopify processes a product's new images after productSet answers. A product with images still
 * processing is not done: its item waits (it stays pending and comes back), and the next push that
 * has it asks the store, before it writes anything, which of its files are not ready: one `files`
 * query for every waiting product of the push (files created since the earliest of their uploads,
 * that are not ready), which costs what it returns — 2 points when all are ready, since no file of
 * this push exists yet. An image absent from the answer is ready. One that failed makes the
 * product's item error, with Shopify's reason and which image it was; one still processing after
 * `mediaWaitMs` fails it too. Whether the product still waits is decided at the end of the push
 * (finish.ts), with what this push uploaded.
 */
import type { ItemError } from '@shopsync/core';
import type { FilesAnswer } from '../../answers.js';
import { unsettledFilesOp } from '../../documents/media.js';
import type { MediaState } from '../state.js';
import type { Push } from './context.js';
import type { Group } from './model.js';

/** Pages of unsettled files read at most in one check. */
const MAX_PAGES = 10;
/** Files created this long before the earliest upload asked about are included (clocks differ). */
const CLOCK_SLACK_MS = 5 * 60_000;

type FileNode = FilesAnswer['nodes'][number];

/**
 * How long after its upload an image is asked about, per store: from `floorMs` (the target's
 * `mediaRetryMs`), half as long again each time a check finds asked images still processing (up
 * to a minute), a fifth shorter each time it finds them all done. A check returns every image
 * still processing, so one made too early pays for images that were never asked about.
 */
export interface MediaPace {
  floorMs: number;
  delayMs: number;
}

const MAX_DELAY_MS = 60_000;

export async function checkMedia(p: Push): Promise<void> {
  const waiting: Group[] = [];
  let youngest = -Infinity;
  for (const g of p.groups.values()) {
    if ((g.status !== 'pending' && g.status !== 'ok') || !g.item || !p.isOpen(g.item)) continue;
    const unready = g.state?.media?.filter((m) => !m.ready) ?? [];
    if (unready.length === 0) continue;
    waiting.push(g);
    for (const m of unready) youngest = Math.max(youngest, m.uploadedAt ?? 0);
  }
  if (waiting.length === 0) return;
  const now = p.env.now();
  const pace = p.env.mediaPace;
  // Too early for the latest upload: every product waits, and nothing is paid for.
  if (now - youngest < pace.delayMs) return;
  const found = await unsettled(p, waiting);
  // The store could not say: they keep waiting.
  if (!found) return;
  const stillProcessing = waiting.some((g) => g.state!.media!.some((m) => !m.ready && found.get(m.id) !== undefined && found.get(m.id)!.fileStatus !== 'FAILED'));
  pace.delayMs = stillProcessing ? Math.min(MAX_DELAY_MS, Math.round(pace.delayMs * 1.5)) : Math.max(pace.floorMs, Math.round(pace.delayMs * 0.8));
  for (const g of waiting) {
    const media = g.state!.media!;
    const errors: ItemError[] = [];
    const failed = new Set<number>();
    const next = media.map((m, index): MediaState => {
      if (m.ready) return m;
      const f = found!.get(m.id);
      if (!f) return { src: m.src, id: m.id, ...(m.alt !== undefined ? { alt: m.alt } : {}), ready: true };
      // Named as the host knows it: its place in the product's `images` (counted from 0 in `field`, from 1 in words).
      const at = g.data?.images?.findIndex((img) => img.url === url(m)) ?? -1;
      const place = at >= 0 ? at : index;
      if (f.fileStatus === 'FAILED') {
        failed.add(index);
        errors.push(...failure(m, place, f));
      } else if (now - (m.uploadedAt ?? now) > p.env.mediaWaitMs) errors.push(stuck(m, place, p.env.mediaWaitMs));
      return m;
    });
    if (errors.length) g.mediaErrors = errors;
    // A failed image is forgotten: the product's next productSet sends its list again, and uploads it anew.
    g.state = { ...g.state!, media: next.filter((_, i) => !failed.has(i)), ...(failed.size ? { mediaSent: '' } : {}) };
    g.media = g.state.media;
    if (failed.size) g.mediaSent = '';
  }
}

/** The store's unsettled files since the earliest upload asked about, by id; undefined when the store could not say. */
async function unsettled(p: Push, groups: readonly Group[]): Promise<Map<string, FileNode> | undefined> {
  let earliest = Infinity;
  for (const g of groups) for (const m of g.state!.media!) if (!m.ready && m.uploadedAt !== undefined) earliest = Math.min(earliest, m.uploadedAt);
  if (!Number.isFinite(earliest)) earliest = p.env.now();
  const since = new Date(earliest - CLOCK_SLACK_MS);
  const out = new Map<string, FileNode>();
  let after: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const [r] = await p.run([unsettledFilesOp(since, after)]);
    if (r?.status !== 'ok') return undefined;
    for (const n of r.data.nodes) out.set(n.id, n);
    if (!r.data.pageInfo.hasNextPage || !r.data.pageInfo.endCursor) return out;
    after = r.data.pageInfo.endCursor;
  }
  // More unsettled files than a check reads: none can be called ready.
  return undefined;
}

function url(m: MediaState): string {
  const hash = m.src.indexOf('#');
  return hash < 0 ? m.src : m.src.slice(0, hash);
}

function failure(m: MediaState, index: number, f: FileNode): ItemError[] {
  const reasons = f.fileErrors.length ? f.fileErrors : [{ code: 'UNKNOWN', message: 'Shopify gave no reason', details: null }];
  return reasons.map((e) => ({
    code: e.code,
    field: ['images', String(index)],
    message: `Image ${index + 1} (${url(m)}): Shopify could not process it: ${e.message.replace(/\.$/, '')}${e.details ? ` (${e.details.replace(/\.$/, '')})` : ''}.`,
  }));
}

function stuck(m: MediaState, index: number, waitMs: number): ItemError {
  return {
    code: 'MEDIA_TIMEOUT',
    field: ['images', String(index)],
    message: `Image ${index + 1} (${url(m)}): Shopify had not finished processing it after ${Math.round(waitMs / 60_000)} minutes; it is checked again when the product is sent again.`,
  };
}

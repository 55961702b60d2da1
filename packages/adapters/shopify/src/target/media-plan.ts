/**
 * A product's images as the store should have them: the host's list in order (by position, then
 * as listed), then variant images the list does not hold, each named by its source (URL, and the
 * host's content hash when it gave one). A source the store already has a file of is sent by that
 * file's id, never uploaded again; only new sources are sent by URL.
 */
import { type ProductData, type VariantData } from '@shopsync/core';
import { canonicalJson } from '@shopsync/core/internal';
import { pickText } from './content.js';
import type { MediaState } from './state.js';

/** One image of the list a productSet sends. */
export interface PlannedImage {
  /** Where it came from: its URL, and `#` and the host's content hash when there is one. */
  src: string;
  url: string;
  alt?: string;
}

/** The images to send, or undefined when the host gives none (the store's images are left as they are). */
export function plannedImages(data: ProductData | undefined, variants: ReadonlyArray<VariantData | undefined>, language: string): PlannedImage[] | undefined {
  const own = data?.images;
  const variantUrls = variants.map((v) => v?.image).filter((u): u is string => u !== undefined);
  if (own === undefined && variantUrls.length === 0) return undefined;
  const list: PlannedImage[] = (own ?? [])
    .map((img, i) => ({ img, order: img.position ?? i, i }))
    .sort((a, b) => a.order - b.order || a.i - b.i)
    .map(({ img }) => {
      const alt = pickText(img.alt, language);
      return { src: img.contentHash ? `${img.url}#${img.contentHash}` : img.url, url: img.url, ...(alt !== undefined ? { alt } : {}) };
    });
  for (const url of variantUrls) if (!list.some((p) => p.url === url)) list.push({ src: url, url });
  return list;
}

/** The list as one string: the store's media are written again only when it changes. */
export function mediaFingerprint(list: readonly PlannedImage[]): string {
  return canonicalJson(list.map((p) => [p.src, p.alt ?? null]));
}

/** productSet's `files`: known sources by id (with their alt text), new ones by URL. */
export function filesInput(list: readonly PlannedImage[], known: readonly MediaState[]): Array<Record<string, unknown>> {
  return list.map((p) => {
    const k = known.find((m) => m.src === p.src);
    if (k) return { id: k.id, alt: p.alt ?? '' };
    return { originalSource: p.url, contentType: 'IMAGE', ...(p.alt !== undefined ? { alt: p.alt } : {}) };
  });
}

/** A variant's `file`: the image of the product's list with this URL, by id when the store has it. */
export function variantFileInput(url: string, list: readonly PlannedImage[], known: readonly MediaState[]): Record<string, unknown> {
  const p = list.find((x) => x.url === url);
  const k = p && known.find((m) => m.src === p.src);
  return k ? { id: k.id } : { originalSource: url, contentType: 'IMAGE' };
}

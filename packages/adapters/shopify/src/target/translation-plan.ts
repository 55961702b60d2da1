/**
 * What a product, collection or variant has to say in the store's other languages: the host's
 * text keyed by language, turned into Shopify's translatable keys per resource, and whether each
 * translation was already registered against the primary content the store has now.
 *
 * A registered translation is remembered with the digest of the primary content it translated.
 * When shopsync writes a new primary text, the digest it knew no longer holds (Shopify marks
 * the translations outdated): the digest is read again and the translations are registered
 * again, even those whose own text did not change.
 */
import { type CategoryData, type LocalizedText, type Metafield, type ProductData } from '@shopsync/core';
import { stableHash } from '@shopsync/core/internal';
import { z } from 'zod';
import { pickText } from './content.js';

/** The store's languages, as read when a sync starts. */
export interface StoreLocales {
  /** The shop's primary locale. */
  primary: string;
  /** Every locale the shop has enabled, the primary one included (published or not). */
  enabled: readonly string[];
}

/** One resource to translate: the product or collection itself (`self`), or one of its metafields (`mf:namespace.key`). */
export interface ResourceTexts {
  rkey: string;
  /** The metafield, for resources that are metafields (its id is read from the store once). */
  metafield?: { namespace: string; key: string };
  /** Shopify's translatable key -> the primary text written and the translations by store locale. */
  keys: Map<string, { primary: string; translations: Map<string, string> }>;
}

export interface TextsPlan {
  resources: ResourceTexts[];
  /** Languages the host wrote text in that the store has not enabled. */
  missing: Set<string>;
}

/** The locale of the store a host language tag names (`pt-br` -> `pt-BR`), if the store has enabled it. */
function storeLocale(tag: string, locales: StoreLocales): string | undefined {
  const t = tag.toLowerCase();
  return locales.enabled.find((l) => l.toLowerCase() === t);
}

/** Adds one localized field to a resource: its primary text (what the connector's language wrote) and the other languages. */
function addText(r: ResourceTexts, key: string, text: LocalizedText | undefined, primary: string | undefined, language: string, locales: StoreLocales, missing: Set<string>): void {
  if (text === undefined || typeof text === 'string' || !primary) return;
  const translations = new Map<string, string>();
  for (const [tag, value] of Object.entries(text)) {
    if (tag.toLowerCase() === language.toLowerCase() || value === '') continue;
    const locale = storeLocale(tag, locales);
    if (!locale) missing.add(tag);
    else if (locale !== locales.primary) translations.set(locale, value);
  }
  if (translations.size) r.keys.set(key, { primary, translations });
}

function addMetafields(out: ResourceTexts[], list: readonly Metafield[] | undefined, language: string, locales: StoreLocales, missing: Set<string>): void {
  for (const m of list ?? []) {
    if (!m.translations) continue;
    const r: ResourceTexts = { rkey: `mf:${m.namespace}.${m.key}`, metafield: { namespace: m.namespace, key: m.key }, keys: new Map() };
    addText(r, 'value', m.translations, m.value, language, locales, missing);
    out.push(r);
  }
}

/** A product's texts in other languages: title, description, SEO title and description, and its text metafields. */
export function productTexts(data: ProductData, language: string, locales: StoreLocales): TextsPlan {
  const missing = new Set<string>();
  const self: ResourceTexts = { rkey: 'self', keys: new Map() };
  addText(self, 'title', data.title, pickText(data.title, language), language, locales, missing);
  addText(self, 'body_html', data.description, pickText(data.description, language), language, locales, missing);
  addText(self, 'meta_title', data.seo?.title, pickText(data.seo?.title, language), language, locales, missing);
  addText(self, 'meta_description', data.seo?.description, pickText(data.seo?.description, language), language, locales, missing);
  const resources = self.keys.size ? [self] : [];
  addMetafields(resources, data.metafields, language, locales, missing);
  return { resources: resources.filter((r) => r.keys.size), missing };
}

/** A collection's texts in other languages: title and description. */
export function collectionTexts(data: CategoryData, language: string, locales: StoreLocales): TextsPlan {
  const missing = new Set<string>();
  const self: ResourceTexts = { rkey: 'self', keys: new Map() };
  addText(self, 'title', data.title, pickText(data.title, language), language, locales, missing);
  addText(self, 'body_html', data.description, pickText(data.description, language), language, locales, missing);
  return { resources: self.keys.size ? [self] : [], missing };
}

/** A variant's text metafields in other languages. */
export function variantTexts(metafields: readonly Metafield[] | undefined, language: string, locales: StoreLocales): TextsPlan {
  const missing = new Set<string>();
  const resources: ResourceTexts[] = [];
  addMetafields(resources, metafields, language, locales, missing);
  return { resources: resources.filter((r) => r.keys.size), missing };
}

/** What the store has of one resource's translations, as shopsync registered them. */
export const translationStateSchema = z
  .object({
    v: z.literal(1),
    resources: z.record(
      z.string(),
      z
        .object({
          /** The resource's id, for metafields (read once). */
          id: z.string().optional(),
          /** Per key: the digest Shopify gave for its primary content, and which primary text that was (`stableHash`). */
          keys: z.record(z.string(), z.object({ digest: z.string(), source: z.string() }).strict()).default({}),
          /** Per locale and key: which translation was registered (`stableHash` of the text) against which digest. */
          sent: z.record(z.string(), z.record(z.string(), z.string())).default({}),
        })
        .strict(),
    ),
  })
  .strict();
export type TranslationState = z.output<typeof translationStateSchema>;
export type ResourceState = TranslationState['resources'][string];

/** How a registered translation is remembered: its text, against the digest it was registered with. */
export function sentMark(value: string, digest: string): string {
  return `${stableHash(value)}@${digest}`;
}

/** The digest the state knows for a key, if it still describes the primary text written now. */
export function knownDigest(state: ResourceState | undefined, key: string, primary: string): string | undefined {
  const k = state?.keys[key];
  return k && k.source === stableHash(primary) ? k.digest : undefined;
}

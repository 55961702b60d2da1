/**
 * Translations of the store's translatable resources (translatable.ts) into the shop's other
 * locales (locales.ts), and the two mutations that write them, translationsRegister and
 * translationsRemove, with Shopify's TranslationErrorCode values and field paths.
 *
 * A translation keeps the digest of the content it translated. It is outdated (`outdated: true`,
 * kept, never deleted) while the resource's content for its key has another digest: a productSet,
 * productUpdate, collectionUpdate or metafieldsSet that changes the content makes it outdated at
 * once, and registering it again with the new digest makes it current. (The flag is worked out
 * when read, so content changed back to what was translated makes the translation current again.)
 * Deleting a resource deletes its translations (SimStore and the metafield registry call `forget`).
 *
 * Both mutations are all or nothing here: one userError and nothing is written, `translations`
 * null. Shopify's reference does not say whether the valid part of a call is saved; failing the
 * whole call is the reading a client can least be misled by (it cannot believe something was saved
 * that was not), and it matches the simulator's other mutations (metafieldsSet).
 */
import { given, handleize, type UserErrorOut } from './model.js';
import type { SimStore } from './store.js';
import { translatableOf, type TranslatableRecord } from './translatable.js';

/** A translation as the store keeps it. */
export interface SimTranslation {
  /** The translated resource (a Product, Collection or Metafield gid). */
  resourceId: string;
  locale: string;
  key: string;
  value: string;
  /** The digest of the content it translates, as registered. */
  digest: string;
  updatedAt: string;
}

/** A translation as read: with whether the content changed since. */
export interface TranslationOut {
  key: string;
  locale: string;
  value: string;
  outdated: boolean;
  updatedAt: string;
}

/** One TranslationInput, as graphql-js coerced it. */
export interface TranslationArgs {
  locale: string;
  key: string;
  value: string;
  translatableContentDigest: string;
  marketId?: string | null;
}

/** Every translation of the store, by resource and then by `locale|key`. */
export class TranslationStore {
  readonly #byResource = new Map<string, Map<string, SimTranslation>>();

  /** A resource's translations, in the order they were first registered. */
  of(resourceId: string): SimTranslation[] {
    return [...(this.#byResource.get(resourceId)?.values() ?? [])];
  }

  /** Keeps a translation (a new one, or one replacing the same resource, locale and key). */
  put(t: SimTranslation): void {
    let map = this.#byResource.get(t.resourceId);
    if (!map) this.#byResource.set(t.resourceId, (map = new Map()));
    map.set(`${t.locale}|${t.key}`, t);
  }

  /** Deletes those of a resource's translations that are of one of `keys` and one of `locales`; the deleted ones. */
  remove(resourceId: string, keys: readonly string[], locales: readonly string[]): SimTranslation[] {
    const map = this.#byResource.get(resourceId);
    if (!map) return [];
    const gone: SimTranslation[] = [];
    for (const [id, t] of map) {
      if (!keys.includes(t.key) || !locales.includes(t.locale)) continue;
      map.delete(id);
      gone.push(t);
    }
    if (map.size === 0) this.#byResource.delete(resourceId);
    return gone;
  }

  /** A resource is gone: so are its translations. */
  forget(resourceId: string): void {
    this.#byResource.delete(resourceId);
  }

  /** Keeps only the translations `keep` accepts (a locale no longer enabled, a resource gone). */
  retain(keep: (t: SimTranslation) => boolean): void {
    for (const [resourceId, map] of this.#byResource) {
      for (const [id, t] of map) if (!keep(t)) map.delete(id);
      if (map.size === 0) this.#byResource.delete(resourceId);
    }
  }

  /** Every translation (for the store's file). */
  all(): SimTranslation[] {
    return [...this.#byResource.values()].flatMap((m) => [...m.values()]);
  }
}

/** Whether a translation no longer matches its resource's content (or the key has none now). */
export function isOutdated(t: SimTranslation, record: TranslatableRecord): boolean {
  const content = record.content.find((c) => c.key === t.key);
  return !content || content.digest !== t.digest;
}

/** A translation as read, against its resource's content now. */
export function translationOut(t: SimTranslation, record: TranslatableRecord): TranslationOut {
  return { key: t.key, locale: t.locale, value: t.value, outdated: isOutdated(t, record), updatedAt: t.updatedAt };
}

/** A userError of translationsRegister and translationsRemove (TranslationUserError). */
type Err = (code: string, field: string[], message: string) => void;

/** Why a locale cannot take translations, or undefined when it can. */
function localeProblem(store: SimStore, locale: string): string | undefined {
  if (locale === store.locales.primary) return `Locale ${locale} is the shop's primary locale: its content is the resource's own, which translations cannot change.`;
  if (!store.locales.has(locale)) return `Locale ${locale} is not enabled on the shop (its locales: ${store.locales.list().map((l) => l.locale).join(', ')}).`;
  return undefined;
}

const resourceNotFound = (resourceId: string) => ({ code: 'RESOURCE_NOT_FOUND', field: ['resourceId'], message: `Resource ${resourceId} does not exist or cannot be translated.` });

/**
 * translationsRegister: each translation's locale must be one of the shop's other locales, its key
 * one of the resource's, its value not blank (a handle's is normalized as handles are), its digest
 * the content's digest now, and it names no market (the simulator has none). All are saved, or
 * none.
 */
export function registerTranslations(store: SimStore, resourceId: string, inputs: readonly TranslationArgs[]): { translations: TranslationOut[] | null; userErrors: UserErrorOut[] } {
  const record = translatableOf(store, resourceId);
  if (!record) return { translations: null, userErrors: [resourceNotFound(resourceId)] };
  const errors: UserErrorOut[] = [];
  const planned: SimTranslation[] = [];
  const now = store.nowIso();
  inputs.forEach((input, i) => {
    const err: Err = (code, field, message) => errors.push({ code, field, message });
    const at = (f: string) => ['translations', String(i), f];
    if (given(input.marketId)) return err('MARKET_DOES_NOT_EXIST', at('marketId'), `Market ${input.marketId} does not exist (the simulator has no markets: translations apply to every market).`);
    const badLocale = localeProblem(store, input.locale);
    if (badLocale) return err('INVALID_LOCALE_FOR_SHOP', at('locale'), badLocale);
    const content = record.content.find((c) => c.key === input.key);
    if (!content) return err('INVALID_KEY_FOR_MODEL', at('key'), `Key ${input.key} is not translatable for this resource (its keys: ${record.content.map((c) => c.key).join(', ')}).`);
    const value = input.key === 'handle' ? handleize(input.value) : input.value;
    if (!value.trim()) return err('BLANK', at('value'), "Value can't be blank.");
    if (content.digest === null || content.digest !== input.translatableContentDigest) {
      return err('INVALID_TRANSLATABLE_CONTENT', at('translatableContentDigest'), 'Translatable content hash is invalid');
    }
    planned.push({ resourceId, locale: input.locale, key: input.key, value, digest: content.digest, updatedAt: now });
  });
  if (errors.length) return { translations: null, userErrors: errors };
  for (const t of planned) store.translations.put(t);
  return { translations: planned.map((t) => translationOut(t, record)), userErrors: [] };
}

/**
 * translationsRemove: deletes the resource's translations of these keys in these locales and
 * answers them. Every key must be one of the resource's and every locale one of the shop's other
 * locales; market ids are refused (no markets). Nothing is deleted when something is wrong.
 */
export function removeTranslations(
  store: SimStore,
  resourceId: string,
  keys: readonly string[],
  locales: readonly string[],
  marketIds: readonly string[] | null | undefined,
): { translations: TranslationOut[] | null; userErrors: UserErrorOut[] } {
  const record = translatableOf(store, resourceId);
  if (!record) return { translations: null, userErrors: [resourceNotFound(resourceId)] };
  const errors: UserErrorOut[] = [];
  (marketIds ?? []).forEach((id, i) => errors.push({ code: 'MARKET_DOES_NOT_EXIST', field: ['marketIds', String(i)], message: `Market ${id} does not exist (the simulator has no markets).` }));
  locales.forEach((locale, i) => {
    const bad = localeProblem(store, locale);
    if (bad) errors.push({ code: 'INVALID_LOCALE_FOR_SHOP', field: ['locales', String(i)], message: bad });
  });
  keys.forEach((key, i) => {
    if (!record.content.some((c) => c.key === key)) errors.push({ code: 'INVALID_KEY_FOR_MODEL', field: ['translationKeys', String(i)], message: `Key ${key} is not translatable for this resource.` });
  });
  if (errors.length) return { translations: null, userErrors: errors };
  return { translations: store.translations.remove(resourceId, keys, locales).map((t) => translationOut(t, record)), userErrors: [] };
}

/**
 * Views of the shop's locales and of translatable resources and their translations
 * (TranslatableResource, TranslatableContent, Translation, ShopLocale). The simulator has no
 * markets: a `marketId` on a read leaves the content as it is and finds no market-specific
 * translation.
 */
import type { ShopLocaleRecord } from './locales.js';
import { given } from './model.js';
import type { SimContext } from './resolvers.js';
import { nestedTranslatables, type TranslatableRecord } from './translatable.js';
import { translationOut, type TranslationOut } from './translations.js';
import { pagedConnection } from './views.js';

/** A ShopLocale. */
export function shopLocaleView(l: ShopLocaleRecord) {
  return { locale: l.locale, name: l.name, primary: l.primary, published: l.published };
}

/** A Translation. */
export function translationView(t: TranslationOut) {
  return { key: t.key, locale: t.locale, value: t.value, outdated: t.outdated, updatedAt: t.updatedAt };
}

/** Paging arguments of a TranslatableResourceConnection. */
export interface TranslatablePageArgs {
  first?: number | null;
  after?: string | null;
  reverse?: boolean | null;
}

/** A TranslatableResourceConnection of these resources, in this order (or reversed). */
export function translatableConnection(ctx: SimContext, records: readonly TranslatableRecord[], args: TranslatablePageArgs) {
  const list = args.reverse ? [...records].reverse() : records;
  return pagedConnection(list, args.first, args.after, (r) => translatableResourceView(ctx, r));
}

/** A TranslatableResource: its content in the primary locale, its translations, the resources nested under it. */
export function translatableResourceView(ctx: SimContext, record: TranslatableRecord) {
  const locale = ctx.store.locales.primary;
  return {
    resourceId: record.id,
    translatableContent: () => record.content.map((c) => ({ key: c.key, value: c.value, digest: c.digest, locale, type: c.type })),
    translations: ({ locale: wanted, outdated, marketId }: { locale: string; outdated?: boolean | null; marketId?: string | null }) => {
      if (given(marketId)) return [];
      return ctx.store.translations
        .of(record.id)
        .filter((t) => t.locale === wanted)
        .map((t) => translationOut(t, record))
        .filter((t) => !given(outdated) || t.outdated === outdated)
        .map(translationView);
    },
    nestedTranslatableResources: (args: TranslatablePageArgs & { resourceType?: string | null }) => translatableConnection(ctx, nestedTranslatables(ctx.store, record, args.resourceType), args),
  };
}

/**
 * The root fields of languages: the shop's locales, translatable resources (one, by ids, by type)
 * and the mutations that write translations. resolvers.ts merges them into the root value.
 */
import { checkId } from './resolvers-catalog.js';
import type { SimContext } from './resolvers.js';
import { translatableOf, translatablesOfType, type TranslatableRecord } from './translatable.js';
import { registerTranslations, removeTranslations, type TranslationArgs } from './translations.js';
import { userErrors } from './views.js';
import { shopLocaleView, translatableConnection, translatableResourceView, translationView, type TranslatablePageArgs } from './views-translations.js';

/** The root fields of languages and translations. */
export function translationsRoot() {
  return {
    // ——— queries ———
    shopLocales: ({ published }: { published?: boolean | null }, ctx: SimContext) => ctx.store.locales.list(published === true).map(shopLocaleView),
    translatableResource: ({ resourceId }: { resourceId: string }, ctx: SimContext) => {
      checkId(resourceId, 'resourceId');
      const record = translatableOf(ctx.store, resourceId);
      return record ? translatableResourceView(ctx, record) : null;
    },
    translatableResources: (args: TranslatablePageArgs & { resourceType: string }, ctx: SimContext) => translatableConnection(ctx, translatablesOfType(ctx.store, args.resourceType), args),
    translatableResourcesByIds: (args: TranslatablePageArgs & { resourceIds: string[] }, ctx: SimContext) => {
      for (const id of args.resourceIds) checkId(id, 'resourceIds');
      // In the order asked, each once; ids of nothing translatable are left out.
      const records = [...new Set(args.resourceIds)].map((id) => translatableOf(ctx.store, id)).filter((r): r is TranslatableRecord => !!r);
      return translatableConnection(ctx, records, args);
    },

    // ——— mutations ———
    translationsRegister: ({ resourceId, translations }: { resourceId: string; translations: TranslationArgs[] }, ctx: SimContext) => {
      checkId(resourceId, 'resourceId');
      const r = registerTranslations(ctx.store, resourceId, translations);
      return { translations: r.translations && r.translations.map(translationView), userErrors: userErrors(r.userErrors, true) };
    },
    translationsRemove: (
      { resourceId, translationKeys, locales, marketIds }: { resourceId: string; translationKeys: string[]; locales: string[]; marketIds?: string[] | null },
      ctx: SimContext,
    ) => {
      checkId(resourceId, 'resourceId');
      const r = removeTranslations(ctx.store, resourceId, translationKeys, locales, marketIds);
      return { translations: r.translations && r.translations.map(translationView), userErrors: userErrors(r.userErrors, true) };
    },
  };
}

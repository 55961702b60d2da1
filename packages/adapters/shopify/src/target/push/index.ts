/**
 * One push: the batch's items become Shopify writes in phases, each a file of this folder, over
 * a shared context (context.ts):
 *
 * 1. load: the state of the items and their products, from the id store;
 * 2. categories: collections made (when they have products) or updated, before their products;
 * 3. groups: products with their variant lists and images, and what each needs;
 * 4. definitions: the metafield definitions some metafields need, checked (or made) first;
 * 5. media-check: products whose images Shopify was processing are asked about, before new uploads;
 * 6. product-set: one productSet per product that needs one (look-ups and reading the store's
 *    variants and media first where a mapping may be missing or behind); a new product carries
 *    everything: variants, stock, collections, images, metafields, SEO and category;
 * 7. metafields: metafieldsSet / metafieldsDelete for products and variants the store had;
 * 8. prices: productVariantsBulkUpdate for price and barcode changes of existing variants;
 * 9. membership: collection membership of products whose categories changed;
 * 10. stock: inventorySetQuantities, 250 quantities a call;
 * 11. translations: the host's texts in the store's other languages, for products, collections
 *     and text metafields, registered against the digest of their primary content;
 * 12. publications: new products published to the connector's sales channels, archived ones unpublished;
 * 13. deletions: products archived (and unpublished), collections removed;
 * 14. finish: outcomes (a product whose images are processing waits), and the state the next push
 *     needs, saved whatever happened.
 *
 * Items whose writes could not be made get no outcome and go back to the queue.
 */
import type { PushContext, PushResult, TargetItem } from '@shopsync/core';
import { writeCategories } from './categories.js';
import { Push, type PushEnv } from './context.js';
import { checkDefinitions } from './definitions.js';
import { writeDeletions } from './deletions.js';
import { finish } from './finish.js';
import { buildGroups } from './groups.js';
import { loadState } from './load.js';
import { checkMedia } from './media-check.js';
import { writeMembership } from './membership.js';
import { writeMetafields } from './metafields.js';
import { writePrices } from './prices.js';
import { writeProducts } from './product-set.js';
import { writePublications } from './publications.js';
import { writeStock } from './stock.js';
import { writeTranslations } from './translations.js';

export type { PushEnv } from './context.js';

export async function runPush(items: readonly TargetItem[], ctx: PushContext, env: PushEnv): Promise<PushResult> {
  const p = new Push(items, ctx, env);
  try {
    if (ctx.config.disableDeletions) for (const d of items) if (d.op === 'delete') p.skip(d, 'deletions_disabled');
    await loadState(p);
    await writeCategories(p);
    buildGroups(p);
    await checkDefinitions(p);
    await checkMedia(p);
    await writeProducts(p);
    await writeMetafields(p);
    await writePrices(p);
    await writeMembership(p);
    await writeStock(p);
    await writeTranslations(p);
    await writePublications(p);
    await writeDeletions(p);
  } finally {
    finish(p);
    await p.state.flush();
  }
  return p.result();
}

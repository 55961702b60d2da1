/**
 * The shop's publications (sales channels: Online Store, Point of Sale, Shop, …), each named by
 * its AppCatalog, and products published on them. A new product is published nowhere: the client
 * publishes it (`publishablePublish`). A publish date in the future schedules it: it counts as
 * published from that date.
 */
import type { SimProduct, SimPublication, UserErrorOut } from './model.js';

/** The publications Shopify gives a new store, as the simulator's default. */
export const DEFAULT_PUBLICATIONS: readonly string[] = ['Online Store', 'Point of Sale', 'Shop'];

/** One PublicationInput, as graphql-js coerced it. */
export interface PublicationArgs {
  publicationId?: string | null;
  publishDate?: string | null;
}

/** The shop's publications by id, in order. */
export class Publications {
  readonly byId = new Map<string, SimPublication>();
  readonly #newId: (type: string) => string;

  constructor(newId: (type: string) => string) {
    this.#newId = newId;
  }

  /** Keeps a publication as it is (a store read from its file). */
  add(p: SimPublication): void {
    this.byId.set(p.id, p);
  }

  /**
   * Makes the publications exactly these titles, in this order: kept ones keep their ids, new ones
   * are created, those no longer listed go (with the products' links to them).
   */
  ensure(titles: readonly string[], products: Iterable<SimProduct>): void {
    const kept = new Map<string, SimPublication>();
    for (const title of titles) {
      const p = [...this.byId.values()].find((x) => x.title === title) ?? { id: this.#newId('Publication'), title, catalogId: this.#newId('AppCatalog') };
      kept.set(p.id, p);
    }
    const gone = [...this.byId.keys()].filter((id) => !kept.has(id));
    this.byId.clear();
    for (const [id, p] of kept) this.byId.set(id, p);
    if (gone.length) for (const product of products) product.publications = product.publications.filter((l) => !gone.includes(l.publicationId));
  }

  /** Whether a product is published on a publication at `now` (scheduled ones count from their date). */
  isPublished(product: SimProduct, publicationId: string, now: Date): boolean {
    const link = product.publications.find((l) => l.publicationId === publicationId);
    return !!link && Date.parse(link.publishDate) <= now.getTime();
  }

  /**
   * publishablePublish (`publish`) or publishableUnpublish for a product: every publication must
   * exist; nothing changes if one does not. Publishing again changes the publish date.
   */
  apply(product: SimProduct | undefined, inputs: readonly PublicationArgs[], publish: boolean, now: Date): UserErrorOut[] {
    const errors: UserErrorOut[] = [];
    if (!product) errors.push({ field: ['id'], message: 'Product does not exist' });
    const dates: Array<[string, string]> = [];
    inputs.forEach((input, i) => {
      const id = input.publicationId;
      if (!id) return errors.push({ field: ['input', String(i), 'publicationId'], message: "Publication can't be blank" });
      if (!this.byId.has(id)) return errors.push({ field: ['input', String(i), 'publicationId'], message: 'Publication does not exist' });
      const date = input.publishDate ? Date.parse(input.publishDate) : now.getTime();
      if (Number.isNaN(date)) return errors.push({ field: ['input', String(i), 'publishDate'], message: 'Publish date is not a valid date and time' });
      dates.push([id, new Date(date).toISOString()]);
    });
    if (errors.length || !product) return errors;
    for (const [id, publishDate] of dates) {
      product.publications = product.publications.filter((l) => l.publicationId !== id);
      if (publish) product.publications.push({ publicationId: id, publishDate });
    }
    return [];
  }
}

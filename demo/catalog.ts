/**
 * The demo's catalog: an outdoor-gear store of a few hundred items, deterministic for a seed, with
 * a few records Shopify refuses (so that item errors appear), and a trickle of later changes.
 * Texts are in English, Spanish and French (catalog-texts.ts): category and product titles and
 * descriptions, SEO texts, alt texts and the text metafields. Products carry what a PIM adds
 * (product-details.ts); every variant's stock is kept in two warehouses of the ERP's, `mad` and
 * `lyon` (or, for a store without them mapped, as one number: their sum).
 */
import type { Change, VariantData } from '@shopsync/core';
import { seededRandom } from '@shopsync/core/testing';
import { categoryDescription, CATEGORY_WORDS, productTitle, REWORDED_ALT, type Texts } from './catalog-texts.js';
import { IMAGE_FAULTS, imageFault, type ImageFault } from './images.js';
import { hasColours, METAFIELD_NAMESPACE, productDetails } from './product-details.js';

/** The ERP's warehouses, as each variant's stock names them. */
export const WAREHOUSES = ['mad', 'lyon'] as const;

const ADJECTIVES = ['Summit', 'Ridge', 'Alpine', 'Canyon', 'Glacier', 'Tundra', 'Cascade', 'Granite', 'Sierra', 'Boreal', 'Talus', 'Cirque'];
const SIZED = new Set([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 21, 28]);
const BLANK: Texts = { en: '', es: '', fr: '' };

/** The seeded catalog: its changes, and which of its records Shopify will refuse. */
export interface DemoCatalog {
  changes: Change[];
  /** Refs of the records Shopify will refuse, and why (for the README and the tests). */
  invalid: Array<{ ref: string; why: string }>;
  /** The products with an image Shopify cannot process (none without images): which image, how it fails, Shopify's code. */
  failingImages: Array<{ ref: string; url: string; fault: ImageFault; code: string }>;
}

/** How the catalog is made. */
export interface DemoCatalogOptions {
  /** The same seed, the same catalog (default 7). */
  seed?: number;
  /** Where the images are served (e.g. `http://127.0.0.1:8080/demo-images/`); without it, products have no images. */
  imageBaseUrl?: string;
  /** Stock per warehouse (`{ mad, lyon }`, the default), or one number a variant (their sum: a store that does not map the warehouses). */
  stockPerWarehouse?: boolean;
}

/** Products whose last image fails, in order of the faults: a 404, a text page, bytes that are no PNG. */
const FAULTS: readonly ImageFault[] = ['missing', 'text', 'corrupt'];

/**
 * `products` products spread over 30 categories (a few left empty): sized ones with 1–4 size
 * variants, colour ones (packs, tents, bottles, …) with 1–3 colour variants, each with its image.
 */
export function demoCatalog(products: number, options: DemoCatalogOptions = {}): DemoCatalog {
  const seed = options.seed ?? 7;
  const base = options.imageBaseUrl === undefined ? undefined : options.imageBaseUrl.replace(/\/?$/, '/');
  const rnd = seededRandom(seed);
  // Details draw from a stream of their own: the rest of the catalog is the same with or without them.
  const detailRnd = seededRandom(Math.imul(seed, 0x9e3779b1) ^ 0x5eed);
  // So do the second warehouse's quantities.
  const stockRnd = seededRandom(Math.imul(seed, 0x27d4eb2d) ^ 0x570c);
  const stock = (mad: number): VariantData['stock'] => {
    const lyon = stockRnd() < 0.2 ? 0 : Math.floor(stockRnd() * 25);
    return options.stockPerWarehouse === false ? mad + lyon : { mad, lyon };
  };
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const changes: Change[] = [];
  const invalid: DemoCatalog['invalid'] = [];
  const failingImages: DemoCatalog['failingImages'] = [];
  // The last two categories get no products: with "include empty categories" off they are skipped.
  const used = CATEGORY_WORDS.length - 2;
  const faultOf = base === undefined ? new Map<number, ImageFault>() : faultyProducts(products, used, seededRandom(Math.imul(seed, 0x85ebca6b) ^ 0xfa17));
  CATEGORY_WORDS.forEach(({ name }, i) => changes.push({ entity: 'category', op: 'upsert', ref: `CAT-${100 + i}`, data: { title: name, description: categoryDescription(name), handle: slug(name.en) } }));
  for (let p = 0; p < products; p++) {
    const c = p % used;
    const ref = `SKU-${String(10_000 + p * 7).padStart(5, '0')}`;
    const { name: noun, item } = CATEGORY_WORDS[c]!;
    const sized = SIZED.has(c);
    let title = productTitle(pick(ADJECTIVES), 100 + (p % 900), item);
    if (p % 41 === 13) {
      title = BLANK;
      invalid.push({ ref, why: "blank title: Shopify answers Title can't be blank" });
    }
    const fault = faultOf.get(p);
    const details = productDetails({ ref, title, category: c, item, noun, imageBaseUrl: base, ...(fault ? { fault } : {}) }, detailRnd);
    const failing = details.data.images?.find((img) => imageFault(img.url));
    if (fault && failing) {
      const n = details.data.images!.indexOf(failing) + 1;
      failingImages.push({ ref, url: failing.url, fault, code: IMAGE_FAULTS[fault].code });
      invalid.push({ ref, why: `image ${n} is ${IMAGE_FAULTS[fault].served}: Shopify answers ${IMAGE_FAULTS[fault].code}` });
    }
    changes.push({
      entity: 'product',
      op: 'upsert',
      ref,
      data: { title: title.en ? title : '', vendor: pick(['Northwall', 'Kestrel Outdoor', 'Lumen Gear', 'Fjell & Co']), productType: noun.en, categoryRefs: [`CAT-${100 + c}`], tags: ['demo'], ...(sized ? { options: ['Size'] } : {}), ...details.data },
    });
    const sizes = sized ? ['S', 'M', 'L', 'XL'].slice(0, Math.max(p % 37 === 9 ? 2 : 1, 1 + Math.floor(rnd() * 4))) : [];
    sizes.forEach((size, i) => {
      const vref = `${ref}-${size}`;
      const price = (29 + Math.floor(rnd() * 170) + 0.9).toFixed(2);
      let optionValues: Record<string, string> = { Size: size };
      if (p % 29 === 3 && i === 0) {
        optionValues = {};
        invalid.push({ ref: vref, why: 'no size: Shopify answers The variant is missing option values for: Size.' });
      }
      if (p % 37 === 9 && i === 1) {
        optionValues = { Size: sizes[0]! };
        invalid.push({ ref: vref, why: `the size of another variant: Shopify answers The variant '${sizes[0]!}' already exists.` });
      }
      changes.push({ entity: 'variant', op: 'upsert', ref: vref, parentRef: ref, data: { price, stock: stock(Math.floor(rnd() * 40)), optionValues } });
    });
    if (!sized && hasColours(c)) {
      for (const colour of details.colours) {
        const data = {
          price: (39 + Math.floor(detailRnd() * 260) + 0.95).toFixed(2),
          stock: stock(Math.floor(detailRnd() * 30)),
          optionValues: { Colour: colour.name },
          ...(colour.image ? { image: colour.image } : {}),
          metafields: [{ namespace: METAFIELD_NAMESPACE, key: 'colour', type: 'color', value: `#${colour.rgb}` }],
        };
        changes.push({ entity: 'variant', op: 'upsert', ref: `${ref}-${colour.name.toUpperCase()}`, parentRef: ref, data });
      }
    }
  }
  return { changes, invalid, failingImages };
}

/**
 * Which products get a failing image: three (fewer in a tiny catalog) among the first 40, none
 * refused already and none in colours (whose images are their variants').
 */
function faultyProducts(products: number, categories: number, rnd: () => number): Map<number, ImageFault> {
  const eligible: number[] = [];
  for (let p = 0; p < Math.min(products, 40); p++) if (p % 41 !== 13 && p % 29 !== 3 && p % 37 !== 9 && !hasColours(p % categories)) eligible.push(p);
  const out = new Map<number, ImageFault>();
  for (const fault of FAULTS) {
    if (eligible.length === 0) break;
    const [p] = eligible.splice(Math.floor(rnd() * eligible.length), 1);
    out.set(p!, fault);
  }
  return out;
}

type ProductUpsert = Extract<Change, { entity: 'product'; op: 'upsert' }>;

/**
 * A few changes as an ERP makes them through the day: new prices, new stock (in each warehouse
 * the variant is stocked in, or one number), now and then a new or retired product, a reworded
 * image alt text or a product weighed again (a metafield).
 */
export function trickle(catalog: readonly Change[], rnd: () => number, tick: number): Change[] {
  const variants = catalog.filter((c): c is Extract<Change, { entity: 'variant'; op: 'upsert' }> => c.entity === 'variant' && c.op === 'upsert' && Object.keys(c.data.optionValues ?? {}).length > 0);
  const out: Change[] = [];
  const n = 1 + Math.floor(rnd() * 4);
  for (let i = 0; i < n && variants.length > 0; i++) {
    const v = variants[Math.floor(rnd() * variants.length)]!;
    const price = (19 + Math.floor(rnd() * 180) + 0.5).toFixed(2);
    const stock = typeof v.data.stock === 'object' ? Object.fromEntries(Object.keys(v.data.stock).map((w) => [w, Math.floor(rnd() * 60)])) : Math.floor(rnd() * 60);
    out.push({ ...v, data: { ...v.data, price, stock } });
  }
  // Products Shopify takes as they are: a title, and no image that fails.
  const fine = catalog.filter((c): c is ProductUpsert => c.entity === 'product' && c.op === 'upsert' && c.data.title !== '' && !c.data.images?.some((img) => imageFault(img.url)));
  if (tick % 4 === 2) {
    const withImages = fine.filter((c) => c.data.images?.length);
    const p = withImages[Math.floor(rnd() * withImages.length)];
    if (p) out.push(rewordAlt(p));
  }
  if (tick % 4 === 0 && fine.length > 0) out.push(weighAgain(fine[Math.floor(rnd() * fine.length)]!, rnd));
  if (tick % 5 === 0) {
    const ref = `SKU-NEW-${tick}`;
    out.push({ entity: 'product', op: 'upsert', ref, data: { title: { en: `Boreal Trail Mug ${tick}`, es: `Taza de trail Boreal ${tick}`, fr: `Mug de trail Boreal ${tick}` }, vendor: 'Lumen Gear', productType: 'Cookware', categoryRefs: ['CAT-120'], tags: ['demo', 'new'], category: 'hg-11' } });
  }
  if (tick % 7 === 0 && tick > 7) out.push({ entity: 'product', op: 'delete', ref: `SKU-NEW-${tick - 7 - ((tick - 7) % 5)}` });
  return out;
}

/** The product with its first image's alt text reworded (in every language it has). */
function rewordAlt(p: ProductUpsert): ProductUpsert {
  const [first, ...rest] = p.data.images!;
  const alt = first!.alt;
  const more: Readonly<Record<string, string>> = REWORDED_ALT;
  const reworded = typeof alt === 'string' ? `${alt}${more['en']}` : Object.fromEntries(Object.entries(alt ?? { en: p.data.productType ?? 'Gear' }).map(([lang, text]) => [lang, `${text}${more[lang] ?? ''}`]));
  return { ...p, data: { ...p.data, images: [{ ...first!, alt: reworded }, ...rest] } };
}

/** The product with its weight metafield a few grams off (weighed again). */
function weighAgain(p: ProductUpsert, rnd: () => number): ProductUpsert {
  const delta = (1 + Math.floor(rnd() * 20)) * (rnd() < 0.5 ? -1 : 1);
  const metafields = (p.data.metafields ?? []).map((m) => {
    if (m.namespace !== METAFIELD_NAMESPACE || m.key !== 'weight') return m;
    const w = JSON.parse(m.value) as { value: number; unit: string };
    return { ...m, value: JSON.stringify({ value: Math.max(1, w.value + delta), unit: w.unit }) };
  });
  return { ...p, data: { ...p.data, metafields } };
}

function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

/**
 * The demo's catalog: an outdoor-gear store of a few hundred items, deterministic for a seed, with
 * a few records Shopify refuses (so that item errors appear), and a trickle of later changes.
 */
import type { Change } from '@shopsync/core';
import { seededRandom } from '@shopsync/core/testing';


const CATEGORIES: ReadonlyArray<[string, string]> = [
  ['Trail Running Shoes', 'Zapatillas de trail'],
  ['Hiking Boots', 'Botas de montaña'],
  ['Rain Jackets', 'Chaquetas impermeables'],
  ['Insulated Jackets', 'Chaquetas aislantes'],
  ['Base Layers', 'Capas base'],
  ['Fleece', 'Forros polares'],
  ['Hiking Pants', 'Pantalones de montaña'],
  ['Shorts', 'Pantalones cortos'],
  ['Socks', 'Calcetines'],
  ['Gloves', 'Guantes'],
  ['Hats & Beanies', 'Gorros'],
  ['Backpacks', 'Mochilas'],
  ['Daypacks', 'Mochilas de día'],
  ['Tents', 'Tiendas de campaña'],
  ['Sleeping Bags', 'Sacos de dormir'],
  ['Sleeping Pads', 'Esterillas'],
  ['Trekking Poles', 'Bastones'],
  ['Headlamps', 'Frontales'],
  ['Water Bottles', 'Botellas'],
  ['Stoves', 'Hornillos'],
  ['Cookware', 'Menaje'],
  ['Climbing Harnesses', 'Arneses'],
  ['Helmets', 'Cascos'],
  ['Ropes', 'Cuerdas'],
  ['Navigation', 'Orientación'],
  ['First Aid', 'Primeros auxilios'],
  ['Sunglasses', 'Gafas de sol'],
  ['Gaiters', 'Polainas'],
  ['Kids', 'Niños'],
  ['Clearance', 'Liquidación'],
];

const ADJECTIVES = ['Summit', 'Ridge', 'Alpine', 'Canyon', 'Glacier', 'Tundra', 'Cascade', 'Granite', 'Sierra', 'Boreal', 'Talus', 'Cirque'];
const SIZED = new Set([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 21, 28]);

export interface DemoCatalog {
  changes: Change[];
  /** Refs of the records Shopify will refuse, and why (for the README and the tests). */
  invalid: Array<{ ref: string; why: string }>;
}

/** `products` products spread over 30 categories (a few left empty), 1–4 variants each. */
export function demoCatalog(products: number, seed = 7): DemoCatalog {
  const rnd = seededRandom(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const changes: Change[] = [];
  const invalid: DemoCatalog['invalid'] = [];
  CATEGORIES.forEach(([en, es], i) => changes.push({ entity: 'category', op: 'upsert', ref: `CAT-${100 + i}`, data: { title: { en, es }, handle: slug(en) } }));
  // The last two categories get no products: with "include empty categories" off they are skipped.
  const used = CATEGORIES.length - 2;
  for (let p = 0; p < products; p++) {
    const c = p % used;
    const ref = `SKU-${String(10_000 + p * 7).padStart(5, '0')}`;
    const [noun] = CATEGORIES[c]!;
    const sized = SIZED.has(c);
    let title: string = `${pick(ADJECTIVES)} ${noun.replace(/s$/, '').replace(/ & .*/, '')} ${100 + (p % 900)}`;
    if (p % 41 === 13) {
      title = '';
      invalid.push({ ref, why: "blank title: Shopify answers Title can't be blank" });
    }
    changes.push({
      entity: 'product',
      op: 'upsert',
      ref,
      data: { title, vendor: pick(['Northwall', 'Kestrel Outdoor', 'Lumen Gear', 'Fjell & Co']), productType: noun, categoryRefs: [`CAT-${100 + c}`], tags: ['demo'], ...(sized ? { options: ['Size'] } : {}) },
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
      changes.push({ entity: 'variant', op: 'upsert', ref: vref, parentRef: ref, data: { price, stock: Math.floor(rnd() * 40), optionValues } });
    });
  }
  return { changes, invalid };
}

/** A few changes as an ERP makes them through the day: new prices, new stock, now and then a new or retired product. */
export function trickle(catalog: readonly Change[], rnd: () => number, tick: number): Change[] {
  const variants = catalog.filter((c): c is Extract<Change, { entity: 'variant'; op: 'upsert' }> => c.entity === 'variant' && c.op === 'upsert' && Object.keys(c.data.optionValues ?? {}).length > 0);
  const out: Change[] = [];
  const n = 1 + Math.floor(rnd() * 4);
  for (let i = 0; i < n && variants.length > 0; i++) {
    const v = variants[Math.floor(rnd() * variants.length)]!;
    out.push({ ...v, data: { ...v.data, price: (19 + Math.floor(rnd() * 180) + 0.5).toFixed(2), stock: Math.floor(rnd() * 60) } });
  }
  if (tick % 5 === 0) {
    const ref = `SKU-NEW-${tick}`;
    out.push({ entity: 'product', op: 'upsert', ref, data: { title: `Boreal Trail Mug ${tick}`, vendor: 'Lumen Gear', productType: 'Cookware', categoryRefs: ['CAT-120'], tags: ['demo', 'new'] } });
  }
  if (tick % 7 === 0 && tick > 7) out.push({ entity: 'product', op: 'delete', ref: `SKU-NEW-${tick - 7 - ((tick - 7) % 5)}` });
  return out;
}

function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

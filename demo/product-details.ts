/**
 * What a PIM adds to the demo's products beyond title and price: images with alt texts in English
 * and Spanish, colour variants that name their image, metafields (material, care instructions,
 * weight) in the `shopsync` namespace, SEO texts, and a category of Shopify's product taxonomy
 * (ids from the simulator's tree, packages/adapters/shopify/src/simulator/taxonomy.ts).
 */
import type { ImageData, ProductData } from '@shopsync/core';
import { imageName, type ImageFault } from './images.js';

/** The namespace of the demo's metafields (the connector owns it). */
export const METAFIELD_NAMESPACE = 'shopsync';

/** Colours of the gear: English and Spanish names, and the colour itself (six hex digits). */
export const COLOURS: ReadonlyArray<readonly [en: string, es: string, rgb: string]> = [
  ['Moss', 'Musgo', '5b7a3a'],
  ['Ember', 'Brasa', 'c0492b'],
  ['Slate', 'Pizarra', '4a5a6a'],
  ['Glacier', 'Glaciar', '3f88ad'],
  ['Sand', 'Arena', 'b09060'],
  ['Midnight', 'Medianoche', '1f2a44'],
];

const VIEWS: ReadonlyArray<readonly [string, string]> = [
  ['front view', 'vista frontal'],
  ['side view', 'vista lateral'],
  ['detail', 'detalle'],
];

const CARE = {
  wash: 'Machine wash cold with a technical detergent.\nDo not use fabric softener.\nHang to dry.',
  waterproof: 'Machine wash cold; close all zips first.\nTumble dry low to revive the water repellency.\nReproof with a wash-in treatment when water stops beading.',
  down: 'Wash rarely, by hand or front-loader, with a down wash.\nTumble dry low with clean tennis balls.\nStore loose, never compressed.',
  wipe: 'Wipe clean with a damp cloth.\nDry away from direct heat.\nInspect before every trip.',
  hardware: 'Rinse with fresh water after use.\nDry fully before storing.\nRetire after a hard fall or visible damage.',
} as const;

type Spec = { taxonomy: string; material: string; care: keyof typeof CARE; grams: readonly [number, number]; colours?: true };

/** Per category of the demo's catalog (by index): its taxonomy category, material, care and weight. */
const SPECS: readonly Spec[] = [
  { taxonomy: 'aa-8', material: 'Recycled mesh upper, rubber lug outsole', care: 'wipe', grams: [240, 340] },
  { taxonomy: 'aa-8-3', material: 'Nubuck leather, waterproof membrane', care: 'wipe', grams: [480, 720] },
  { taxonomy: 'aa-1-10-2', material: '2.5-layer recycled nylon ripstop', care: 'waterproof', grams: [190, 420] },
  { taxonomy: 'gid://shopify/TaxonomyCategory/aa-1-10-2', material: 'Nylon shell, 800-fill responsibly sourced down', care: 'down', grams: [280, 560] },
  { taxonomy: 'aa-1', material: 'Merino wool 200 g/m²', care: 'wash', grams: [140, 240] },
  { taxonomy: 'aa-1-10', material: 'Recycled polyester grid fleece', care: 'wash', grams: [250, 420] },
  { taxonomy: 'aa-1', material: 'Stretch nylon with DWR finish', care: 'wash', grams: [280, 420] },
  { taxonomy: 'aa-1', material: 'Quick-dry recycled polyester', care: 'wash', grams: [120, 220] },
  { taxonomy: 'aa-1', material: 'Merino wool blend', care: 'wash', grams: [60, 110] },
  { taxonomy: 'aa', material: 'Softshell with goat-leather palm', care: 'wash', grams: [70, 160] },
  { taxonomy: 'aa', material: 'Recycled polyester knit', care: 'wash', grams: [50, 110] },
  { taxonomy: 'lb-2', material: '420D nylon with PU coating', care: 'wipe', grams: [1100, 2100], colours: true },
  { taxonomy: 'lb-2', material: '210D recycled nylon', care: 'wipe', grams: [450, 900], colours: true },
  { taxonomy: 'sg-4-3-17', material: '20D silnylon fly, aluminium poles', care: 'wipe', grams: [1200, 2900], colours: true },
  { taxonomy: 'sg-4-3-13', material: 'Ripstop nylon, synthetic insulation', care: 'down', grams: [700, 1500], colours: true },
  { taxonomy: 'sg-4-3', material: 'TPU-laminated nylon, insulated baffles', care: 'wipe', grams: [340, 720] },
  { taxonomy: 'sg-4-3', material: 'Carbon fibre shafts, cork grips', care: 'hardware', grams: [380, 560] },
  { taxonomy: 'sg-4-3', material: 'Aluminium housing, rechargeable battery', care: 'wipe', grams: [70, 130] },
  { taxonomy: 'hg-11-3', material: 'Stainless steel, vacuum insulated', care: 'wipe', grams: [280, 460], colours: true },
  { taxonomy: 'sg-4-3', material: 'Titanium burner, piezo igniter', care: 'hardware', grams: [80, 190] },
  { taxonomy: 'hg-11', material: 'Hard-anodised aluminium', care: 'wipe', grams: [150, 480] },
  { taxonomy: 'sg-4', material: 'Nylon webbing, aluminium buckles', care: 'hardware', grams: [320, 480] },
  { taxonomy: 'sg-4', material: 'Polycarbonate shell, EPS foam', care: 'hardware', grams: [230, 360], colours: true },
  { taxonomy: 'sg-4', material: 'Nylon kernmantle, dry-treated', care: 'hardware', grams: [3400, 4800] },
  { taxonomy: 'sg-4-3', material: 'Liquid-filled capsule, baseplate with scales', care: 'wipe', grams: [30, 90] },
  { taxonomy: 'sg-4-3', material: 'Waterproof pouch with medical supplies', care: 'wipe', grams: [120, 400] },
  { taxonomy: 'aa', material: 'Polycarbonate lenses, category 3', care: 'wipe', grams: [24, 38] },
  { taxonomy: 'aa-1', material: 'Stretch nylon with hook-and-loop closure', care: 'wash', grams: [160, 280] },
];

/** A product's details and, when it has colour variants, its colours with each one's image. */
export interface ProductDetails {
  data: Pick<ProductData, 'images' | 'metafields' | 'seo' | 'category'> & { options?: string[] };
  /** One per colour variant: its option value, its image's URL (when there are images) and its colour. */
  colours: Array<{ name: string; image?: string; rgb: string }>;
}

/** The inputs of one product's details. */
export interface DetailsInput {
  ref: string;
  /** The product's title (it may be blank: one of the records Shopify refuses). */
  title: string;
  /** Its category, by index into the demo's categories: English and Spanish nouns. */
  category: number;
  noun: readonly [en: string, es: string];
  /** Where images are served (ending in "/"); none: the product has no images. */
  imageBaseUrl: string | undefined;
  /** An image that fails Shopify's processing, added after the product's good ones. */
  fault?: ImageFault;
}

/** Whether products of a category come in colours (the option "Colour") rather than in sizes. */
export function hasColours(category: number): boolean {
  return SPECS[category]?.colours === true;
}

/**
 * A product's images, metafields, SEO and taxonomy category: 1–3 images (a colour product has one
 * per colour, each its variant's), or 1–2 good ones and the failing one for a product with a
 * fault (never a colour product).
 */
export function productDetails(input: DetailsInput, rnd: () => number): ProductDetails {
  const spec = SPECS[input.category % SPECS.length]!;
  const name = input.title || input.noun[0];
  const grams = spec.grams[0] + Math.floor(rnd() * (spec.grams[1] - spec.grams[0]));
  const drawn = 1 + Math.floor(rnd() * 3);
  const first = Math.floor(rnd() * COLOURS.length);
  const colours = spec.colours ? Array.from({ length: drawn }, (_, i) => COLOURS[(first + i * 2) % COLOURS.length]!) : [];
  const url = (n: number, look: { rgb: string } | { fault: ImageFault }) => `${input.imageBaseUrl}${imageName(input.ref, n, look)}`;
  const images: ImageData[] = [];
  if (input.imageBaseUrl !== undefined) {
    if (colours.length) {
      colours.forEach(([en, es, rgb], i) => images.push({ url: url(i + 1, { rgb }), alt: { en: `${name} in ${en}, front view`, es: `${name} en ${es}, vista frontal` } }));
    } else {
      const [en, es, rgb] = COLOURS[first]!;
      // 1–3 images; 2 good ones at most next to a failing one.
      for (let i = 0; i < (input.fault ? Math.min(drawn, 2) : drawn); i++) {
        images.push({ url: url(i + 1, { rgb: shade(rgb, i) }), alt: { en: `${name} in ${en}, ${VIEWS[i]![0]}`, es: `${name} en ${es}, ${VIEWS[i]![1]}` } });
      }
    }
    if (input.fault) images.push({ url: url(images.length + 1, { fault: input.fault }), alt: { en: `${name} on the trail`, es: `${name} en la montaña` } });
  }
  const ns = METAFIELD_NAMESPACE;
  const data: ProductDetails['data'] = {
    ...(images.length ? { images } : {}),
    metafields: [
      { namespace: ns, key: 'material', type: 'single_line_text_field', value: spec.material },
      { namespace: ns, key: 'care_instructions', type: 'multi_line_text_field', value: CARE[spec.care] },
      { namespace: ns, key: 'weight', type: 'weight', value: JSON.stringify({ value: grams, unit: 'g' }) },
    ],
    seo: {
      title: { en: `${name} | Northwall Outfitters`, es: `${name} · ${input.noun[1]} | Northwall Outfitters` },
      description: {
        en: `${input.noun[0]}: ${spec.material}, ${grams} g. Free returns within 30 days.`,
        es: `${input.noun[1]} de ${grams} g. Devolución gratuita en 30 días.`,
      },
    },
    category: spec.taxonomy,
    ...(colours.length ? { options: ['Colour'] } : {}),
  };
  return {
    data,
    colours: colours.map(([en, , rgb], i) => ({ name: en, rgb, ...(images[i] ? { image: images[i].url } : {}) })),
  };
}

/** The colour a little darker for each further view, so that a product's images differ. */
function shade(rgb: string, step: number): string {
  return [0, 2, 4].map((i) => Math.round(parseInt(rgb.slice(i, i + 2), 16) * (1 - step * 0.15)).toString(16).padStart(2, '0')).join('');
}

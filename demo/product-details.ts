/**
 * What a PIM adds to the demo's products beyond title and price: a description, images with alt
 * texts, colour variants that name their image, metafields (material, care instructions, weight)
 * in the `shopsync` namespace, SEO texts, and a category of Shopify's product taxonomy (ids from
 * the simulator's tree, packages/adapters/shopify/src/simulator/taxonomy.ts). Every text is in
 * English, Spanish and French (catalog-texts.ts); the text metafields carry theirs as translations.
 */
import type { ImageData, ProductData } from '@shopsync/core';
import { altText, CARE, COLOURS, MATERIALS, outdoorAlt, productDescription, seoTexts, translationsOf, VIEWS, type Texts } from './catalog-texts.js';
import { imageName, type ImageFault } from './images.js';

/** The namespace of the demo's metafields (the connector owns it). */
export const METAFIELD_NAMESPACE = 'shopsync';

type Spec = { taxonomy: string; care: keyof typeof CARE; grams: readonly [number, number]; colours?: true };

/** Per category of the demo's catalog (by index): its taxonomy category, care and weight (its material: MATERIALS). */
const SPECS: readonly Spec[] = [
  { taxonomy: 'aa-8', care: 'wipe', grams: [240, 340] },
  { taxonomy: 'aa-8-3', care: 'wipe', grams: [480, 720] },
  { taxonomy: 'aa-1-10-2', care: 'waterproof', grams: [190, 420] },
  { taxonomy: 'gid://shopify/TaxonomyCategory/aa-1-10-2', care: 'down', grams: [280, 560] },
  { taxonomy: 'aa-1', care: 'wash', grams: [140, 240] },
  { taxonomy: 'aa-1-10', care: 'wash', grams: [250, 420] },
  { taxonomy: 'aa-1', care: 'wash', grams: [280, 420] },
  { taxonomy: 'aa-1', care: 'wash', grams: [120, 220] },
  { taxonomy: 'aa-1', care: 'wash', grams: [60, 110] },
  { taxonomy: 'aa', care: 'wash', grams: [70, 160] },
  { taxonomy: 'aa', care: 'wash', grams: [50, 110] },
  { taxonomy: 'lb-2', care: 'wipe', grams: [1100, 2100], colours: true },
  { taxonomy: 'lb-2', care: 'wipe', grams: [450, 900], colours: true },
  { taxonomy: 'sg-4-3-17', care: 'wipe', grams: [1200, 2900], colours: true },
  { taxonomy: 'sg-4-3-13', care: 'down', grams: [700, 1500], colours: true },
  { taxonomy: 'sg-4-3', care: 'wipe', grams: [340, 720] },
  { taxonomy: 'sg-4-3', care: 'hardware', grams: [380, 560] },
  { taxonomy: 'sg-4-3', care: 'wipe', grams: [70, 130] },
  { taxonomy: 'hg-11-3', care: 'wipe', grams: [280, 460], colours: true },
  { taxonomy: 'sg-4-3', care: 'hardware', grams: [80, 190] },
  { taxonomy: 'hg-11', care: 'wipe', grams: [150, 480] },
  { taxonomy: 'sg-4', care: 'hardware', grams: [320, 480] },
  { taxonomy: 'sg-4', care: 'hardware', grams: [230, 360], colours: true },
  { taxonomy: 'sg-4', care: 'hardware', grams: [3400, 4800] },
  { taxonomy: 'sg-4-3', care: 'wipe', grams: [30, 90] },
  { taxonomy: 'sg-4-3', care: 'wipe', grams: [120, 400] },
  { taxonomy: 'aa', care: 'wipe', grams: [24, 38] },
  { taxonomy: 'aa-1', care: 'wash', grams: [160, 280] },
];

/** A product's details and, when it has colour variants, its colours with each one's image. */
export interface ProductDetails {
  data: Pick<ProductData, 'description' | 'images' | 'metafields' | 'seo' | 'category'> & { options?: string[] };
  /** One per colour variant: its option value (the English name), its image's URL (when there are images) and its colour. */
  colours: Array<{ name: string; image?: string; rgb: string }>;
}

/** The inputs of one product's details. */
export interface DetailsInput {
  ref: string;
  /** The product's title in each language (blank in all: one of the records Shopify refuses). */
  title: Texts;
  /** Its category, by index into the demo's categories. */
  category: number;
  /** What one of its category's products is called (stands in for a blank title). */
  item: Texts;
  /** Its category's name. */
  noun: Texts;
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
 * A product's description, images, metafields, SEO and taxonomy category: 1–3 images (a colour
 * product has one per colour, each its variant's), or 1–2 good ones and the failing one for a
 * product with a fault (never a colour product).
 */
export function productDetails(input: DetailsInput, rnd: () => number): ProductDetails {
  const index = input.category % SPECS.length;
  const spec = SPECS[index]!;
  const material = MATERIALS[index]!;
  const name: Texts = input.title.en ? input.title : input.item;
  const grams = spec.grams[0] + Math.floor(rnd() * (spec.grams[1] - spec.grams[0]));
  const drawn = 1 + Math.floor(rnd() * 3);
  const first = Math.floor(rnd() * COLOURS.length);
  const colours = spec.colours ? Array.from({ length: drawn }, (_, i) => COLOURS[(first + i * 2) % COLOURS.length]!) : [];
  const url = (n: number, look: { rgb: string } | { fault: ImageFault }) => `${input.imageBaseUrl}${imageName(input.ref, n, look)}`;
  const images: ImageData[] = [];
  if (input.imageBaseUrl !== undefined) {
    if (colours.length) {
      colours.forEach((colour, i) => images.push({ url: url(i + 1, { rgb: colour.rgb }), alt: altText(name, colour.name, VIEWS[0]!) }));
    } else {
      const colour = COLOURS[first]!;
      // 1–3 images; 2 good ones at most next to a failing one.
      for (let i = 0; i < (input.fault ? Math.min(drawn, 2) : drawn); i++) {
        images.push({ url: url(i + 1, { rgb: shade(colour.rgb, i) }), alt: altText(name, colour.name, VIEWS[i]!) });
      }
    }
    if (input.fault) images.push({ url: url(images.length + 1, { fault: input.fault }), alt: outdoorAlt(name) });
  }
  const ns = METAFIELD_NAMESPACE;
  const care = CARE[spec.care];
  const data: ProductDetails['data'] = {
    description: productDescription(name, material, grams),
    ...(images.length ? { images } : {}),
    metafields: [
      { namespace: ns, key: 'material', type: 'single_line_text_field', value: material.en, translations: translationsOf(material) },
      { namespace: ns, key: 'care_instructions', type: 'multi_line_text_field', value: care.en, translations: translationsOf(care) },
      { namespace: ns, key: 'weight', type: 'weight', value: JSON.stringify({ value: grams, unit: 'g' }) },
    ],
    seo: seoTexts(name, input.noun, material, grams),
    category: spec.taxonomy,
    ...(colours.length ? { options: ['Colour'] } : {}),
  };
  return {
    data,
    colours: colours.map((colour, i) => ({ name: colour.name.en, rgb: colour.rgb, ...(images[i] ? { image: images[i].url } : {}) })),
  };
}

/** The colour a little darker for each further view, so that a product's images differ. */
function shade(rgb: string, step: number): string {
  return [0, 2, 4].map((i) => Math.round(parseInt(rgb.slice(i, i + 2), 16) * (1 - step * 0.15)).toString(16).padStart(2, '0')).join('');
}

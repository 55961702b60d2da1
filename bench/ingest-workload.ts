/**
 * bench:ingest's catalog: what an ERP sends when it pushes its catalog, in batches of `size`
 * changes, every batch with refs of its own (`B<batch>-…`), so that no batch coalesces with an
 * earlier one and the last batch costs the storage what the first did. Each batch is whole: its
 * categories, then products each followed by its variants (cut at exactly `size` changes).
 *
 * A product: title, description (HTML), SEO title and description, and its images' alt texts in
 * two languages (en, fr); vendor, type, tags, status, handle, a category of its own batch, a
 * taxonomy category, two options, 3 images, 4 metafields. A variant: price and compare-at price,
 * barcode, weight, size and colour, stock in two warehouses, one metafield.
 */
import type { Change } from '@shopsync/core';

const CATEGORIES_PER_BATCH = 10;
const SIZES = ['S', 'M', 'L'] as const;
const COLOURS = ['Slate', 'Moss', 'Ember', 'Glacier'] as const;
const IMAGES = 3;

const pad = (n: number, w: number) => String(n).padStart(w, '0');

/** One batch of exactly `size` changes; `batch` names its refs (`B<batch>-…`). */
export function ingestBatch(batch: number, size: number): Change[] {
  const out: Change[] = [];
  const prefix = `B${pad(batch, 3)}`;
  const categoryRef = (c: number) => `${prefix}-CAT-${pad(c, 2)}`;
  for (let c = 0; c < CATEGORIES_PER_BATCH && out.length < size; c++) {
    out.push({
      entity: 'category',
      op: 'upsert',
      ref: categoryRef(c),
      data: {
        title: { en: `Shell jackets ${c}`, fr: `Vestes imperméables ${c}` },
        description: { en: `<p>Waterproof, breathable shells for every season (${c}).</p>`, fr: `<p>Vestes imperméables et respirantes pour toutes les saisons (${c}).</p>` },
        handle: `${prefix.toLowerCase()}-shell-jackets-${c}`,
      },
    });
  }
  for (let p = 0; out.length < size; p++) {
    const ref = `${prefix}-SKU-${pad(p, 5)}`;
    const n = batch * 10_000 + p;
    const image = (i: number) => `https://cdn.example.com/catalog/${ref}-${i + 1}.jpg`;
    out.push({
      entity: 'product',
      op: 'upsert',
      ref,
      data: {
        title: { en: `Ridge 3L shell jacket ${n}`, fr: `Veste Ridge 3L ${n}` },
        description: {
          en: `<p>Ridge 3L shell jacket ${n}: a three-layer waterproof membrane, taped seams, a helmet-compatible hood and pit zips. Packs into its own pocket.</p>`,
          fr: `<p>Veste Ridge 3L ${n} : membrane imperméable trois couches, coutures étanches, capuche compatible casque et aérations sous les bras. Se range dans sa poche.</p>`,
        },
        handle: `${ref.toLowerCase()}-ridge-3l-shell-jacket`,
        vendor: ['Northwall', 'Kestrel Outdoor', 'Lumen Gear', 'Fjell & Co'][p % 4]!,
        productType: 'Jacket',
        tags: ['outdoor', 'waterproof', p % 2 ? 'men' : 'women'],
        status: 'active',
        categoryRefs: [categoryRef(p % CATEGORIES_PER_BATCH)],
        options: ['Size', 'Colour'],
        images: Array.from({ length: IMAGES }, (_, i) => ({ url: image(i), alt: { en: `Ridge 3L shell jacket, view ${i + 1}`, fr: `Veste Ridge 3L, vue ${i + 1}` } })),
        metafields: [
          { namespace: 'shopsync', key: 'material', type: 'single_line_text_field', value: p % 2 ? 'Ripstop nylon' : 'Recycled polyester' },
          { namespace: 'shopsync', key: 'care', type: 'multi_line_text_field', value: 'Machine wash cold.\nDo not tumble dry.' },
          { namespace: 'shopsync', key: 'weight', type: 'weight', value: JSON.stringify({ value: 0.3 + (p % 10) / 10, unit: 'kg' }) },
          { namespace: 'shopsync', key: 'seasons', type: 'list.single_line_text_field', value: '["autumn","winter","spring"]' },
        ],
        seo: {
          title: { en: `Ridge 3L shell jacket ${n} | Northwall`, fr: `Veste Ridge 3L ${n} | Northwall` },
          description: { en: `Ridge 3L shell jacket ${n}: waterproof, breathable, packable.`, fr: `Veste Ridge 3L ${n} : imperméable, respirante, compressible.` },
        },
        category: 'aa-1-10-2',
      },
    });
    for (let s = 0; s < SIZES.length && out.length < size; s++) {
      const size_ = SIZES[s]!;
      const colour = COLOURS[(p + s) % COLOURS.length]!;
      out.push({
        entity: 'variant',
        op: 'upsert',
        ref: `${ref}-${size_}`,
        parentRef: ref,
        data: {
          price: (149 + (p % 50) + 0.9).toFixed(2),
          compareAtPrice: '219.00',
          barcode: `84${pad(n, 9)}${s}`,
          weightGrams: 420 + s * 20,
          optionValues: { Size: size_, Colour: colour },
          stock: { mad: (p + s) % 40, lyon: (p * 3 + s) % 25 },
          image: image(s % IMAGES),
          metafields: [{ namespace: 'shopsync', key: 'fit', type: 'single_line_text_field', value: s === 0 ? 'Slim' : 'Regular' }],
        },
      });
    }
  }
  return out;
}

/** A batch as the HTTP client sends it: one change per line. */
export const toNdjson = (changes: readonly Change[]): string => changes.map((c) => JSON.stringify(c)).join('\n') + '\n';

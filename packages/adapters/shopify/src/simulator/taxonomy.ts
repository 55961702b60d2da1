/**
 * A small fixed part of Shopify's Standard Product Taxonomy, enough for an outdoor-gear shop:
 * what `ProductSetInput.category` may name and `Product.category` and `taxonomy.categories` show.
 * The top-level ids (aa, sg, lb, hg) are Shopify's; the deeper ids are illustrative: they follow
 * Shopify's form (`sg-4-3`) but are not promised to match its tree.
 */

/** A category of the taxonomy. */
export interface TaxonomyCategoryRecord {
  /** `gid://shopify/TaxonomyCategory/sg-4-3-17`. */
  id: string;
  name: string;
  /** The names from the top down, joined by " > ". */
  fullName: string;
  parentId: string | null;
  level: number;
  childrenIds: string[];
  ancestorIds: string[];
}

const TREE: ReadonlyArray<[string, string]> = [
  ['aa', 'Apparel & Accessories'],
  ['aa-1', 'Clothing'],
  ['aa-1-10', 'Outerwear'],
  ['aa-1-10-2', 'Coats & Jackets'],
  ['aa-8', 'Shoes'],
  ['aa-8-3', 'Boots'],
  ['sg', 'Sporting Goods'],
  ['sg-4', 'Outdoor Recreation'],
  ['sg-4-3', 'Camping & Hiking'],
  ['sg-4-3-13', 'Sleeping Bags'],
  ['sg-4-3-17', 'Tents'],
  ['lb', 'Luggage & Bags'],
  ['lb-2', 'Backpacks'],
  ['hg', 'Home & Garden'],
  ['hg-11', 'Kitchen & Dining'],
  ['hg-11-3', 'Water Bottles'],
];

const PREFIX = 'gid://shopify/TaxonomyCategory/';

function build(): ReadonlyMap<string, TaxonomyCategoryRecord> {
  const byShort = new Map(TREE);
  const all = new Map<string, TaxonomyCategoryRecord>();
  for (const [short, name] of TREE) {
    const parts = short.split('-');
    const ancestors = parts.slice(0, -1).map((_, i) => parts.slice(0, i + 1).join('-'));
    all.set(PREFIX + short, {
      id: PREFIX + short,
      name,
      fullName: [...ancestors.map((a) => byShort.get(a)!), name].join(' > '),
      parentId: ancestors.length ? PREFIX + ancestors[ancestors.length - 1]! : null,
      level: parts.length,
      childrenIds: TREE.filter(([s]) => s.startsWith(`${short}-`) && s.split('-').length === parts.length + 1).map(([s]) => PREFIX + s),
      ancestorIds: ancestors.reverse().map((a) => PREFIX + a),
    });
  }
  return all;
}

/** Every category, by id, parents before their children. */
export const TAXONOMY: ReadonlyMap<string, TaxonomyCategoryRecord> = build();

/**
 * `taxonomy.categories`: those matching `search` (in the full name, case-insensitive), the
 * children, descendants or siblings of a category, or the top-level ones when nothing is asked.
 * An unknown category id gives none.
 */
export function findCategories(args: { search?: string | null; childrenOf?: string | null; descendantsOf?: string | null; siblingsOf?: string | null }): TaxonomyCategoryRecord[] {
  const all = [...TAXONOMY.values()];
  let found = all;
  if (args.childrenOf) found = found.filter((c) => c.parentId === args.childrenOf);
  if (args.descendantsOf) found = found.filter((c) => c.ancestorIds.includes(args.descendantsOf!));
  if (args.siblingsOf) {
    const of = TAXONOMY.get(args.siblingsOf);
    found = of ? found.filter((c) => c.parentId === of.parentId && c.id !== of.id) : [];
  }
  if (args.search) {
    const q = args.search.toLowerCase();
    found = found.filter((c) => c.fullName.toLowerCase().includes(q));
  }
  if (!args.childrenOf && !args.descendantsOf && !args.siblingsOf && !args.search) found = all.filter((c) => c.level === 1);
  return found;
}

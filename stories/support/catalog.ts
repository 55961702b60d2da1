/**
 * Canned, realistic words for the stories: an outdoor-apparel store's catalog (categories,
 * products and their variants, with ERP-style SKUs), the item errors Shopify's Admin API returns
 * for such a catalog (userErrors, and errors of products' images and metafields), and the general
 * errors and connection failures the Shopify target reports (their wording follows
 * @shopsync/shopify). The stories' target answers with them; the engine records them.
 */
import type { ConnectionErrorKind, Entity, GeneralErrorInput, ItemError } from '@shopsync/core';

export const SHOP_DOMAIN = 'northwind-outfitters.myshopify.com';
export const CONNECTOR_ID = 'northwind-outfitters';

const CATEGORIES = [
  'Trail Running',
  'Hiking Boots',
  'Rain Jackets',
  'Insulated Jackets',
  'Fleece & Midlayers',
  'Base Layers',
  'Hiking Pants',
  'Shorts',
  'Socks',
  'Backpacks',
  'Tents',
  'Sleeping Bags',
  'Headlamps',
  'Water Bottles',
  'Gloves & Hats',
  'Sale',
];

/** Style code and name of each product line; products cycle through them. */
const PRODUCT_LINES: ReadonlyArray<readonly [string, string]> = [
  ['TRN', 'Ridgeline Trail Runner'],
  ['HKB', 'Summit Mid Waterproof Boot'],
  ['RNJ', 'Squall 2.5L Rain Jacket'],
  ['DWN', 'Alpine 800 Down Hoodie'],
  ['FLC', 'Basecamp Grid Fleece'],
  ['MRN', 'Merino 150 Crew Base Layer'],
  ['PNT', 'Switchback Convertible Pant'],
  ['SHT', 'Tempo 7" Running Short'],
  ['SCK', 'Merino Hiker Crew Sock'],
  ['BPK', 'Traverse 28L Daypack'],
  ['TNT', 'Halo 2-Person Tent'],
  ['SLB', 'Nightfall -7°C Sleeping Bag'],
  ['HDL', 'Beacon 400 Headlamp'],
  ['BTL', 'Insulated 750 ml Bottle'],
  ['GLV', 'Windstopper Liner Glove'],
  ['BNE', 'Ribbed Merino Beanie'],
];

/** Colour and size codes of variants, in the order a product's variants are numbered. */
const VARIANT_CODES = ['BLK-M', 'BLK-L', 'NVY-M', 'NVY-L', 'OLV-S', 'OLV-XL', 'RST-M', 'GRY-L', 'BLK-S', 'NVY-XL', 'OLV-M', 'RST-L'];

const slug = (s: string) =>
  s
    .toLowerCase()
    .replace(/&/g, 'and')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

/** Host reference of the `n`th category (the ERP's id, here a readable slug). */
export function categoryRef(n: number): string {
  const base = `cat-${slug(CATEGORIES[n % CATEGORIES.length]!)}`;
  return n < CATEGORIES.length ? base : `${base}-${Math.floor(n / CATEGORIES.length) + 1}`;
}

export function categoryTitle(n: number): string {
  const base = CATEGORIES[n % CATEGORIES.length]!;
  return n < CATEGORIES.length ? base : `${base} ${Math.floor(n / CATEGORIES.length) + 1}`;
}

/** SKU of the `n`th product: style code and a running number, e.g. `TRN-1000`. */
export function productRef(n: number): string {
  return `${PRODUCT_LINES[n % PRODUCT_LINES.length]![0]}-${1000 + n}`;
}

export function productTitle(n: number): string {
  const [, name] = PRODUCT_LINES[n % PRODUCT_LINES.length]!;
  const edition = Math.floor(n / PRODUCT_LINES.length);
  return edition === 0 ? name : `${name} (${2026 - (edition % 6)})`;
}

/** SKU of a product's `k`th variant: the product's SKU, colour and size, e.g. `TRN-1000-BLK-M`. */
export function variantRef(product: number, k: number): string {
  const code = VARIANT_CODES[k % VARIANT_CODES.length]!;
  return k < VARIANT_CODES.length ? `${productRef(product)}-${code}` : `${productRef(product)}-${code}-${Math.floor(k / VARIANT_CODES.length) + 1}`;
}

/** An image URL as PIMs serve them: long, with a path and a query string. */
export const SIZE_CHART_URL = 'https://media.northwind-outfitters.example/assets/size-charts/2026/unisex-outerwear-size-chart_v3_2400x1600.png?version=1764892800&fit=contain';

/**
 * What Shopify answers for items it rejects, by entity, with how often each cause occurs
 * (weights out of 100). The same cause gives the same code, field and message, so that the
 * Item Synchronization Status tab can group failed items by cause.
 */
export const ITEM_ERROR_CAUSES: Record<Entity, ReadonlyArray<{ weight: number; error: ItemError }>> = {
  category: [
    { weight: 70, error: { code: 'TAKEN', field: ['input', 'handle'], message: 'Handle has already been taken' } },
    { weight: 30, error: { code: 'BLANK', field: ['input', 'title'], message: "Title can't be blank" } },
  ],
  product: [
    { weight: 30, error: { code: 'TAKEN', field: ['input', 'handle'], message: 'Handle has already been taken' } },
    { weight: 15, error: { code: 'BLANK', field: ['input', 'title'], message: "Title can't be blank" } },
    { weight: 10, error: { code: 'TOO_LONG', field: ['input', 'productType'], message: 'Product type is too long (maximum is 255 characters)' } },
    // Media and metafields: a size chart every outerwear product shows, gone from the PIM's CDN;
    // a material with a line break from a multi-line PIM field; a metafield in a namespace the
    // connector does not own, so it may not create the definition.
    { weight: 20, error: { code: 'IMAGE_DOWNLOAD_FAILURE', field: ['images', '1'], message: `Image 2 (${SIZE_CHART_URL}): Shopify could not download it: HTTP 404.` } },
    {
      weight: 15,
      error: { code: 'INVALID_METAFIELD', field: ['metafields', '0', 'value'], message: 'Metafield custom.material (single_line_text_field): expected a single line (no line breaks).' },
    },
    {
      weight: 10,
      error: {
        code: 'METAFIELD_DEFINITION_MISSING',
        message:
          'Metafield custom.designer (metaobject_reference) needs a metafield definition in the store: create it in Shopify admin (Settings › Metafields and metaobjects › Products), with the metaobject type it refers to.',
      },
    },
  ],
  variant: [
    { weight: 40, error: { code: 'GREATER_THAN_OR_EQUAL_TO', field: ['input', 'variants', '0', 'price'], message: 'Price must be greater than or equal to 0' } },
    {
      weight: 25,
      error: {
        code: 'OPTION_VALUES_FOR_NUMBER_OF_UNKNOWN_OPTIONS',
        field: ['input', 'variants', '0', 'optionValues'],
        message: 'Option values provided for 1 unknown option(s).',
      },
    },
    { weight: 20, error: { code: 'TOO_LONG', field: ['input', 'variants', '0', 'barcode'], message: 'Barcode is too long (maximum is 255 characters)' } },
    { weight: 15, error: { code: 'NO_LOCATION', message: 'The store has no location to keep stock at: set the connector’s location.' } },
  ],
};

/** The cause of the `n`th failure of an entity: deterministic, spread by the weights. */
export function itemErrorFor(entity: Entity, n: number): ItemError {
  const causes = ITEM_ERROR_CAUSES[entity];
  let r = (n * 37 + 11) % 100;
  for (const c of causes) {
    if (r < c.weight) return c.error;
    r -= c.weight;
  }
  return causes[0]!.error;
}

/** Run-level problems of a sync event that went on (in the order they are used). */
export const GENERAL_ERRORS: readonly GeneralErrorInput[] = [
  { code: 'throttled', message: 'Shopify throttled the same request 6 times in a row; it was not sent. Throttled: the query cost 1,000 points and 412 of 2,000 were available.' },
  { code: 'server_error', httpStatus: 502, message: 'Shopify answered HTTP 502 (Bad Gateway). Gave up after 5 attempts.' },
  { code: 'timeout', message: 'Shopify did not answer within 30000 ms.' },
  { code: 'network', message: 'The connection to the store failed before it answered: read ECONNRESET.' },
  { code: 'server_error', httpStatus: 503, message: 'Shopify answered HTTP 503 (Service Unavailable). Gave up after 5 attempts.' },
];

/**
 * The warning of a host that sends text in a language the store has not enabled: the run goes on
 * (recorded once per event, a warning rather than an error), the text stays unwritten.
 */
export const LANGUAGE_WARNING: GeneralErrorInput = {
  code: 'language',
  severity: 'warning',
  message: 'The store has not enabled French (fr): 120 texts in it were not written. Enable the language in Shopify (Settings > Languages) or stop sending it.',
};

/**
 * Where the host's warehouses keep their stock, as an event records it: one location configured
 * by name and resolved by the store to its id, one configured by id.
 */
export const STOCK_LOCATIONS = [
  { warehouse: 'MAD-01', location: 'Madrid warehouse', id: 'gid://shopify/Location/68431200321' },
  { warehouse: 'BCN-02', location: 'gid://shopify/Location/68431200354', id: 'gid://shopify/Location/68431200354' },
];

/** A warehouse whose location (by name) the store did not find. */
export const UNRESOLVED_LOCATION = { warehouse: 'VLC-03', location: 'Valencia outlet' };

/** Why the connector could not start: what the Shopify target throws (the engine adds what to check). */
export interface ConnectRefusal {
  kind: ConnectionErrorKind;
  message: string;
  httpStatus?: number;
}

/** Bad credentials, the app's authorization ended, or the store cannot be reached. */
export const CONNECT_ERRORS: Record<'auth' | 'reauthorize' | 'network', ConnectRefusal> = {
  auth: {
    kind: 'auth',
    httpStatus: 401,
    message: 'Shopify refused the access token (HTTP 401): [API] Invalid API key or access token (unrecognized login or wrong password)',
  },
  reauthorize: {
    kind: 'reauthorize',
    httpStatus: 400,
    message:
      "Shopify refused the refresh token (invalid_grant: The refresh token is invalid, expired or revoked): the app's authorization with this store has ended (the refresh token expired or was revoked, or the app was uninstalled).",
  },
  network: { kind: 'network', message: `Could not connect to the store: getaddrinfo ENOTFOUND ${SHOP_DOMAIN}.` },
};

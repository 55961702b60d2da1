/** One sample of every document the adapter sends, for a test that validates them against Shopify's real schemas. */
import { buildDocument, CONNECT_QUERY, productArchiveOp, productByHandleOp, productByRefOp, productSetOp, productVariantsBulkUpdateOp, productVariantsOp, REF_DEFINITION_CREATE, REF_METAFIELD, refDefinitionInput, variantsBySkuOp, type Op } from '../documents.js';
import { featuresOf } from '../version.js';
import { collectionAddProductsOp, collectionCreateOp, collectionDeleteOp, collectionRemoveProductsOp, collectionsByOp, collectionUpdateOp } from './collections.js';
import { inventoryActivateOp, inventorySetQuantitiesOp, locationsOp } from './inventory.js';
import { productMediaOp, unsettledFilesOp } from './media.js';
import { metafieldDefinitionCreateOp, metafieldDefinitionOp, metafieldsDeleteOp, metafieldsSetOp } from './metafields.js';
import { publicationsOp, publishOp, unpublishOp } from './publications.js';
import { digestsOp, metafieldIdsOp, translationsRegisterOp } from './translations.js';

/** One sample of every document the adapter can send for `version`, batched ones included. */
export function documentSamples(version: string): Array<{ name: string; query: string; variables: Record<string, unknown> }> {
  const f = featuresOf(version);
  const gid = (type: string, n: number) => `gid://shopify/${type}/${n}`;
  const variant = (sku: string, size: string) => ({
    optionValues: [{ optionName: 'Size', name: size }],
    price: '19.99',
    compareAtPrice: '24.99',
    barcode: '4006381333931',
    inventoryItem: { sku, tracked: true, measurement: { weight: { value: 250, unit: 'GRAMS' } } },
  });
  const location = gid('Location', 1);
  const productInput = {
    title: 'Trail runner',
    descriptionHtml: '<p>Light</p>',
    handle: 'trail-runner',
    vendor: 'ACME',
    productType: 'Shoes',
    tags: ['run'],
    status: 'ACTIVE',
    productOptions: [{ name: 'Size', position: 1, values: [{ name: 'M' }, { name: 'L' }] }],
    variants: [variant('SKU-1-M', 'M'), { ...variant('SKU-1-L', 'L'), id: gid('ProductVariant', 2) }],
  };
  const newProduct = {
    ...productInput,
    variants: [{ ...variant('SKU-1-M', 'M'), inventoryQuantities: [{ locationId: location, name: 'available', quantity: 3 }] }, variant('SKU-1-L', 'L')],
    metafields: [{ ...REF_METAFIELD, value: 'SKU-1' }],
    collections: [gid('Collection', 1)],
  };
  const richProduct = {
    ...newProduct,
    seo: { title: 'Trail runner', description: 'Light shoes for trails' },
    category: 'gid://shopify/TaxonomyCategory/aa-8',
    files: [
      { originalSource: 'https://cdn.example.com/side.jpg', contentType: 'IMAGE', alt: 'Side' },
      { id: gid('MediaImage', 7), alt: 'Sole' },
    ],
    metafields: [...newProduct.metafields, { namespace: 'custom', key: 'material', type: 'single_line_text_field', value: 'Mesh' }],
    variants: newProduct.variants.map((v, i) => ({
      ...v,
      file: i === 0 ? { originalSource: 'https://cdn.example.com/side.jpg', contentType: 'IMAGE' } : { id: gid('MediaImage', 7) },
      metafields: [{ namespace: 'custom', key: 'colour', type: 'color', value: '#2E7D32' }],
    })),
  };
  const writes: Op[] = [
    productSetOp(f, { input: newProduct, readVariants: 2 }),
    productSetOp(f, { input: richProduct, readVariants: 2, readMedia: 2 }),
    productSetOp(f, { id: gid('Product', 1), input: { files: richProduct.files }, readVariants: 0, readMedia: 2 }),
    metafieldsSetOp([{ ownerId: gid('Product', 1), namespace: 'custom', key: 'care', type: 'multi_line_text_field', value: 'Hand wash' }]),
    metafieldsDeleteOp([{ ownerId: gid('ProductVariant', 2), namespace: 'custom', key: 'colour' }]),
    metafieldDefinitionCreateOp({ ownerType: 'PRODUCT', namespace: 'custom', key: 'material', name: 'Material', type: 'single_line_text_field' }),
    publishOp(gid('Product', 1), [gid('Publication', 1), gid('Publication', 2)]),
    unpublishOp(gid('Product', 1), [gid('Publication', 1)]),
    productSetOp(f, { id: gid('Product', 1), input: productInput, readVariants: 1 }),
    productSetOp(f, { id: gid('Product', 1), input: productInput, readVariants: 0 }),
    productVariantsBulkUpdateOp(gid('Product', 1), [
      { id: gid('ProductVariant', 2), price: '21.00', compareAtPrice: null },
      { id: gid('ProductVariant', 3), price: '22.00', barcode: '4006381333948' },
    ]),
    productArchiveOp(gid('Product', 1)),
    collectionCreateOp({ title: 'Shoes', descriptionHtml: 'All shoes', handle: 'shoes', products: [gid('Product', 1)] }),
    collectionUpdateOp({ id: gid('Collection', 1), title: 'Shoes', descriptionHtml: 'All shoes' }),
    collectionDeleteOp(gid('Collection', 1)),
    collectionAddProductsOp(gid('Collection', 1), [gid('Product', 1)]),
    collectionRemoveProductsOp(gid('Collection', 1), [gid('Product', 1)]),
    inventorySetQuantitiesOp(f, [{ inventoryItemId: gid('InventoryItem', 1), locationId: location, quantity: 5 }], 'correction', 'key-1'),
    inventoryActivateOp(gid('InventoryItem', 1), gid('Location', 2), 5),
    inventorySetQuantitiesOp(
      f,
      [
        { inventoryItemId: gid('InventoryItem', 1), locationId: location, quantity: 5 },
        { inventoryItemId: gid('InventoryItem', 1), locationId: gid('Location', 2), quantity: 2 },
      ],
      'correction',
      'key-2',
    ),
    translationsRegisterOp(gid('Product', 1), [
      { locale: 'es', key: 'title', value: 'Zapatilla', translatableContentDigest: 'a'.repeat(64) },
      { locale: 'fr', key: 'body_html', value: '<p>Légère</p>', translatableContentDigest: 'b'.repeat(64) },
    ]),
  ];
  const reads: Op[] = [
    variantsBySkuOp(['SKU-1', 'SKU "2"']),
    productByRefOp('SKU-1'),
    productByHandleOp('trail-runner'),
    productVariantsOp(gid('Product', 1)),
    productVariantsOp(gid('Product', 1), 250, 'eyJsYXN0X2lkIjoxfQ'),
    collectionsByOp({ handle: 'shoes' }),
    collectionsByOp({ title: 'Shoes' }),
    productMediaOp(gid('Product', 1)),
    unsettledFilesOp(new Date('2026-12-05T10:00:00Z')),
    unsettledFilesOp(new Date('2026-12-05T10:00:00Z'), 'eyJsYXN0X2lkIjoxfQ'),
    metafieldDefinitionOp('PRODUCTVARIANT', 'custom', 'colour'),
    publicationsOp(),
    publicationsOp('eyJsYXN0X2lkIjoxfQ'),
    locationsOp(),
    locationsOp('eyJsYXN0X2lkIjoxfQ'),
    digestsOp([gid('Product', 1), gid('Collection', 1), gid('Metafield', 9)]),
    metafieldIdsOp(gid('Product', 1), [{ namespace: 'custom', key: 'material' }, { namespace: 'shop "x"', key: 'care' }]),
    metafieldIdsOp(gid('ProductVariant', 2), [{ namespace: 'custom', key: 'colour' }]),
  ];
  const out = [
    { name: 'connect', query: CONNECT_QUERY, variables: { locationId: null, namespace: REF_METAFIELD.namespace, key: REF_METAFIELD.key } as Record<string, unknown> },
    { name: 'reference definition create', query: REF_DEFINITION_CREATE, variables: { definition: refDefinitionInput() } as Record<string, unknown> },
  ];
  for (const op of [...writes, ...reads]) out.push({ name: `${op.operation}:${op.field}`, ...buildDocument([op]) });
  out.push({ name: 'batched writes', ...buildDocument(writes) });
  out.push({ name: 'batched reads', ...buildDocument(reads) });
  return out;
}

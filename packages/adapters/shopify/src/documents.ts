/**
 * The GraphQL documents the adapter sends: the connect query, the `Op` the batcher joins under
 * aliases into one document per request, and the product operations; documents/ holds the rest
 * by subject (collections, inventory, media, metafields, publications), and `documentSamples`
 * (documents/samples.ts) one of each, so that a test validates them all against Shopify's real
 * schemas.
 */
import { parse } from 'graphql';
import type { z } from 'zod';
import type {
  ProductFoundAnswer,
  ProductSetAnswer,
  ProductVariantsAnswer,
  UserErrorsAnswer,
  VariantsBySkuAnswer,
} from './answers.js';
import {
  productFoundAnswer,
  productSetAnswer,
  productVariantsAnswer,
  userErrorsAnswer,
  variantsBySkuAnswer,
} from './answers.js';
import { productSetComplexity, requestedCost } from './cost.js';
import { adminSchema } from './schema/schema.js';
import { MAX_INPUT_ARRAY, type ApiFeatures } from './version.js';

/**
 * The product's shopsync reference as a Shopify "custom ID": a product metafield in the app's
 * reserved namespace whose definition has unique values. Set when shopsync creates a product, it
 * finds the product again by a direct read (`productByIdentifier(customId:)`), and the store
 * refuses a second product with the same reference.
 */
export const REF_METAFIELD = { namespace: '$app', key: 'shopsync_ref', type: 'single_line_text_field' } as const;

/**
 * Checks the token and the store; reads the location stock goes to (the primary one without an
 * id) and whether products can carry their reference as a custom ID, all in one request.
 */
export const CONNECT_QUERY = /* GraphQL */ `query ShopsyncConnect($locationId: ID, $namespace: String!, $key: String!) {
  shop { name myshopifyDomain }
  location(id: $locationId) { id name isActive }
  shopLocales { locale primary published }
  metafieldDefinitions(first: 1, ownerType: PRODUCT, namespace: $namespace, key: $key) { nodes { id capabilities { uniqueValues { enabled } } } }
}`;

export const REF_DEFINITION_CREATE = /* GraphQL */ `mutation ShopsyncRefDefinitionCreate($definition: MetafieldDefinitionInput!) {
  metafieldDefinitionCreate(definition: $definition) { createdDefinition { id } userErrors { code field message } }
}`;

export function refDefinitionInput(): Record<string, unknown> {
  return {
    namespace: REF_METAFIELD.namespace,
    key: REF_METAFIELD.key,
    name: 'shopsync reference',
    description: 'The reference (SKU) of the product in the system shopsync synchronizes from.',
    ownerType: 'PRODUCT',
    type: REF_METAFIELD.type,
    capabilities: { uniqueValues: { enabled: true } },
  };
}

/** One argument of an op: its name, GraphQL input type and value (sent as a variable). */
export interface OpArg {
  readonly name: string;
  /** The GraphQL input type, e.g. `ProductSetInput!`. */
  readonly type: string;
  readonly value: unknown;
}

/**
 * One root field call; the batcher gives it an alias and turns its arguments into variables.
 * `T` is what its answer parses into (`answer`).
 */
export interface Op<T = unknown> {
  readonly operation: 'query' | 'mutation';
  readonly field: string;
  readonly args: readonly OpArg[];
  /** A directive on the field, its arguments as variables too. */
  readonly directive?: { readonly name: string; readonly args: readonly OpArg[] };
  /** Selection set, braces included. */
  readonly selection: string;
  /** Safe to send again when an answer was lost (it may have been applied). */
  readonly idempotent: boolean;
  /** What the field's answer must look like: the runner parses it with this. */
  readonly answer: z.ZodType<T>;
}

/** A GraphQL document ready to send: its text, its variables, and the alias of each op in it. */
export interface BuiltDocument {
  query: string;
  variables: Record<string, unknown>;
  /** Alias of each op, in order. */
  aliases: string[];
}

/** Joins ops of one kind into one document: `a0: productSet(input: $a0_input) {…}`. */
export function buildDocument(ops: readonly Op[]): BuiltDocument {
  const first = ops[0];
  if (!first) throw new Error('buildDocument: no operations');
  const operation = first.operation;
  const defs: string[] = [];
  const fields: string[] = [];
  const variables: Record<string, unknown> = {};
  const aliases: string[] = [];
  ops.forEach((op, i) => {
    if (op.operation !== operation) throw new Error('buildDocument: queries and mutations cannot share a document');
    const alias = `a${i}`;
    aliases.push(alias);
    const bind = (a: OpArg, prefix: string): string => {
      const name = `${prefix}_${a.name}`;
      defs.push(`$${name}: ${a.type}`);
      variables[name] = a.value;
      return `${a.name}: $${name}`;
    };
    const args = op.args.map((a) => bind(a, alias));
    const directive = op.directive ? ` @${op.directive.name}(${op.directive.args.map((a) => bind(a, `${alias}_${op.directive!.name}`)).join(', ')})` : '';
    fields.push(`  ${alias}: ${op.field}${args.length ? `(${args.join(', ')})` : ''}${directive} ${op.selection}`);
  });
  const name = operation === 'mutation' ? 'ShopsyncWrite' : 'ShopsyncRead';
  return { query: `${operation} ${name}${defs.length ? `(${defs.join(', ')})` : ''} {\n${fields.join('\n')}\n}`, variables, aliases };
}

const costCache = new Map<string, number>();

/** The requested cost of one op, by the rule the simulator charges with (see cost.ts). */
export function opCost(op: Op, version: string): number {
  const pageArgs = op.args.filter((a) => a.name === 'first').map((a) => String(a.value));
  // productSet's cost depends on its input from 2025-10 (cost.ts, productSetComplexity).
  const input = op.field === 'productSet' ? productSetComplexity(op.args.find((a) => a.name === 'input')?.value) : '';
  // A cursor does not change the cost: one entry for every page.
  const key = `${version}|${op.operation}|${op.field}|${pageArgs.join(',')}|${input}|${op.selection.replace(/after: "(?:[^"\\]|\\.)*"/g, 'after: ""')}`;
  let cost = costCache.get(key);
  if (cost === undefined) {
    const { query, variables } = buildDocument([op]);
    cost = requestedCost(adminSchema(version), parse(query), variables, undefined, version);
    costCache.set(key, cost);
  }
  return cost;
}

// ——— selections ———

/** The selection of a payload's userErrors (for payloads whose error type has no `code`). */
export const USER_ERRORS = '{ field message }';
/** The selection of a payload's userErrors, with their code. */
export const CODED_USER_ERRORS = '{ code field message }';

const PAGE_INFO = '{ hasNextPage endCursor }';

/**
 * What productSet answers: the product's id and, when asked (`readVariants` > 0), the ids of its
 * variants and their inventory items, the first page of them (at most 250, Shopify's page size).
 * Each variant read costs 2 points (the variant and its inventory item), so they are read only
 * when some are new: a product with more than a page has the rest read with
 * `productVariantsOp(id, n, endCursor)` (2,048 in one answer would cost some 4,000 points, over
 * the single-query limit). When the input carries images (`readMedia` > 0), the product's media
 * ids are read back in order: the store's file of each image, so that it is never uploaded again.
 */
export function productSetSelection(readVariants: number, readMedia = 0): string {
  const media = readMedia > 0 ? ` media(first: ${Math.min(MAX_INPUT_ARRAY, readMedia)}) { nodes { id } }` : '';
  const variants = readVariants > 0 ? ` variants(first: ${Math.min(MAX_INPUT_ARRAY, readVariants)}) { nodes { id sku inventoryItem { id } } pageInfo ${PAGE_INFO} }` : '';
  return `{ product { id${media}${variants} } userErrors ${CODED_USER_ERRORS} }`;
}

// ——— writes ———

/** One productSet: a new product (no `id`), or the product with this id. */
export interface ProductSetRequest {
  id?: string | undefined;
  /** ProductSetInput, without `id`. */
  input: Record<string, unknown>;
  /** Variant ids to read back (0: none). */
  readVariants: number;
  /** Media ids to read back (0: none). */
  readMedia?: number;
}

/**
 * productSet for a new product or an update. From 2026-01, where `ProductSetInput.id` is
 * deprecated, the product to update is named by `identifier: { id }` instead.
 */
export function productSetOp(features: ApiFeatures, request: ProductSetRequest): Op<ProductSetAnswer> {
  const byIdentifier = request.id !== undefined && features.productSetIdentifier;
  const input = request.id !== undefined && !byIdentifier ? { id: request.id, ...request.input } : request.input;
  const args: OpArg[] = [{ name: 'input', type: 'ProductSetInput!', value: input }];
  if (byIdentifier) args.unshift({ name: 'identifier', type: 'ProductSetIdentifiers', value: { id: request.id } });
  return {
    operation: 'mutation',
    field: 'productSet',
    args,
    selection: productSetSelection(request.readVariants, request.readMedia),
    // With an id it overwrites that product; without, a lost answer may have created one. A file
    // given by its source is a new file each time (Shopify does not deduplicate): never resent blind.
    idempotent: request.id !== undefined && !uploads(input),
    answer: productSetAnswer,
  };
}

/** Whether a productSet input uploads a file (a `files` entry or a variant `file` given by its source). */
function uploads(input: Record<string, unknown>): boolean {
  const bySource = (f: unknown) => typeof f === 'object' && f !== null && 'originalSource' in f;
  const files = Array.isArray(input['files']) ? (input['files'] as unknown[]) : [];
  const variants = Array.isArray(input['variants']) ? (input['variants'] as Array<Record<string, unknown>>) : [];
  return files.some(bySource) || variants.some((v) => bySource(v['file']));
}

/** One variant's changed fields for productVariantsBulkUpdate (null clears a field). */
export interface VariantFieldsInput {
  id: string;
  price?: string;
  compareAtPrice?: string | null;
  barcode?: string | null;
}

/**
 * Prices (and barcodes) of some of one product's variants, in one mutation: the cheapest way to
 * change them (10 points, whatever the number of variants). Valid variants are saved even when
 * another is refused (`allowPartialUpdates`), so one bad variant does not hold back the rest.
 */
export function productVariantsBulkUpdateOp(productId: string, variants: readonly VariantFieldsInput[]): Op<UserErrorsAnswer> {
  return {
    operation: 'mutation',
    field: 'productVariantsBulkUpdate',
    args: [
      { name: 'productId', type: 'ID!', value: productId },
      { name: 'variants', type: '[ProductVariantsBulkInput!]!', value: variants },
      { name: 'allowPartialUpdates', type: 'Boolean', value: true },
    ],
    selection: `{ userErrors ${CODED_USER_ERRORS} }`,
    idempotent: true,
    answer: userErrorsAnswer,
  };
}

/** A deleted product is archived, not destroyed: orders and analytics keep their product. */
export function productArchiveOp(id: string): Op<UserErrorsAnswer> {
  return {
    operation: 'mutation',
    field: 'productUpdate',
    args: [{ name: 'product', type: 'ProductUpdateInput', value: { id, status: 'ARCHIVED' } }],
    selection: `{ userErrors ${USER_ERRORS} }`,
    idempotent: true,
    answer: userErrorsAnswer,
  };
}

// ——— reads (finding what a lost mapping pointed to) ———

/** A search term as Shopify's search syntax takes it: `field:"value"`, quotes and backslashes escaped. */
export function searchTerm(field: string, value: string): string {
  return `${field}:"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** Variants with any of these SKUs, with their product and the reference shopsync gave it, if any. */
export function variantsBySkuOp(skus: readonly string[]): Op<VariantsBySkuAnswer> {
  // One variant per SKU, and a little room for a SKU the store has twice.
  const first = Math.max(1, Math.min(MAX_INPUT_ARRAY, skus.length + 2));
  return {
    operation: 'query',
    field: 'productVariants',
    args: [
      { name: 'first', type: 'Int', value: first },
      { name: 'query', type: 'String', value: skus.map((s) => searchTerm('sku', s)).join(' OR ') },
    ],
    selection: `{ nodes { id sku inventoryItem { id } product { id metafield(namespace: "${REF_METAFIELD.namespace}", key: "${REF_METAFIELD.key}") { value } } } }`,
    idempotent: true,
    answer: variantsBySkuAnswer,
  };
}

/** The product with this handle (a direct read, not the search index). */
export function productByHandleOp(handle: string): Op<ProductFoundAnswer> {
  return {
    operation: 'query',
    field: 'productByIdentifier',
    args: [{ name: 'identifier', type: 'ProductIdentifierInput!', value: { handle } }],
    selection: '{ id }',
    idempotent: true,
    answer: productFoundAnswer,
  };
}

/** The product shopsync created for a reference (see REF_METAFIELD). */
export function productByRefOp(ref: string): Op<ProductFoundAnswer> {
  return {
    operation: 'query',
    field: 'productByIdentifier',
    args: [{ name: 'identifier', type: 'ProductIdentifierInput!', value: { customId: { namespace: REF_METAFIELD.namespace, key: REF_METAFIELD.key, value: ref } } }],
    selection: '{ id }',
    idempotent: true,
    answer: productFoundAnswer,
  };
}

/**
 * A product's variants as the store has them, a page at a time (`after`: the previous page's
 * `endCursor`): to keep those the host never sent us, and to read the ids of a large product's
 * variants after its productSet.
 */
export function productVariantsOp(productId: string, first: number = MAX_INPUT_ARRAY, after?: string): Op<ProductVariantsAnswer> {
  const page = Math.max(1, Math.min(MAX_INPUT_ARRAY, first));
  return {
    operation: 'query',
    field: 'product',
    args: [{ name: 'id', type: 'ID!', value: productId }],
    // The cursor as a literal: the batcher binds only root arguments to variables.
    selection: `{ id variants(first: ${page}${after === undefined ? '' : `, after: ${JSON.stringify(after)}`}) { nodes { id sku selectedOptions { name value } inventoryItem { id } } pageInfo ${PAGE_INFO} } }`,
    idempotent: true,
    answer: productVariantsAnswer,
  };
}


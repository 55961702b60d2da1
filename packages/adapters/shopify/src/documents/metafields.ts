/**
 * Documents about metafields of existing products and variants: set (at most 25 a call, across
 * owners), delete (only in namespaces shopsync owns), and the definitions some need. A new
 * product's metafields go in its productSet instead; an existing one's never do, because
 * productSet replaces an owner's whole metafield list and would delete the merchant's.
 */
import { definitionCreateAnswer, definitionsAnswer, userErrorsAnswer, type DefinitionCreateAnswer, type DefinitionsAnswer, type UserErrorsAnswer } from '../answers.js';
import type { Op } from '../documents.js';

/** Shopify's limit of metafields per metafieldsSet. */
export const METAFIELDS_PER_SET = 25;

/** One metafield as metafieldsSet takes it. */
export interface MetafieldSetInput {
  ownerId: string;
  namespace: string;
  key: string;
  type: string;
  value: string;
}

/** Sets up to 25 metafields (any owners); atomic: one refused value and none is written. */
export function metafieldsSetOp(metafields: readonly MetafieldSetInput[]): Op<UserErrorsAnswer> {
  return {
    operation: 'mutation',
    field: 'metafieldsSet',
    args: [{ name: 'metafields', type: '[MetafieldsSetInput!]!', value: metafields }],
    selection: '{ userErrors { code field message } }',
    idempotent: true,
    answer: userErrorsAnswer,
  };
}

/** Deletes metafields by owner, namespace and key (one the store does not have is already gone). */
export function metafieldsDeleteOp(metafields: ReadonlyArray<{ ownerId: string; namespace: string; key: string }>): Op<UserErrorsAnswer> {
  return {
    operation: 'mutation',
    field: 'metafieldsDelete',
    args: [{ name: 'metafields', type: '[MetafieldIdentifierInput!]!', value: metafields }],
    selection: '{ userErrors { field message } }',
    idempotent: true,
    answer: userErrorsAnswer,
  };
}

/** The definition of one metafield, if the store has one: its type. */
export function metafieldDefinitionOp(ownerType: 'PRODUCT' | 'PRODUCTVARIANT', namespace: string, key: string): Op<DefinitionsAnswer> {
  return {
    operation: 'query',
    field: 'metafieldDefinitions',
    args: [
      { name: 'ownerType', type: 'MetafieldOwnerType!', value: ownerType },
      { name: 'namespace', type: 'String', value: namespace },
      { name: 'key', type: 'String', value: key },
      { name: 'first', type: 'Int', value: 1 },
    ],
    selection: '{ nodes { id type { name } } }',
    idempotent: true,
    answer: definitionsAnswer,
  };
}

/** Creates a definition, so the merchant sees the metafield by name in the admin (TAKEN: it exists). */
export function metafieldDefinitionCreateOp(definition: { ownerType: 'PRODUCT' | 'PRODUCTVARIANT'; namespace: string; key: string; name: string; type: string }): Op<DefinitionCreateAnswer> {
  return {
    operation: 'mutation',
    field: 'metafieldDefinitionCreate',
    args: [{ name: 'definition', type: 'MetafieldDefinitionInput!', value: definition }],
    selection: '{ createdDefinition { id } userErrors { code field message } }',
    idempotent: false,
    answer: definitionCreateAnswer,
  };
}

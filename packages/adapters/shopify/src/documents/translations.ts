/**
 * Documents about translations: the digests of resources' primary content (Shopify takes a
 * translation only with the digest of the text it translates), the ids of metafields to
 * translate, and translationsRegister (one resource a call, every language and key of it; many
 * calls go in one request, under the cost limit).
 */
import { digestsAnswer, metafieldIdsAnswer, userErrorsAnswer, type DigestsAnswer, type MetafieldIdsAnswer, type UserErrorsAnswer } from '../answers.js';
import { CODED_USER_ERRORS, type Op } from '../documents.js';
import { MAX_INPUT_ARRAY } from '../version.js';

/** One translation as translationsRegister takes it. */
export interface TranslationInput {
  locale: string;
  key: string;
  value: string;
  translatableContentDigest: string;
}

/** The digests of up to 250 resources' translatable content (keys without content have none). */
export function digestsOp(resourceIds: readonly string[]): Op<DigestsAnswer> {
  return {
    operation: 'query',
    field: 'translatableResourcesByIds',
    args: [
      { name: 'resourceIds', type: '[ID!]!', value: resourceIds.slice(0, MAX_INPUT_ARRAY) },
      { name: 'first', type: 'Int', value: Math.min(MAX_INPUT_ARRAY, resourceIds.length) },
    ],
    selection: '{ nodes { resourceId translatableContent { key digest } } }',
    idempotent: true,
    answer: digestsAnswer,
  };
}

/** Registers translations of one resource, in any of the shop's languages. */
export function translationsRegisterOp(resourceId: string, translations: readonly TranslationInput[]): Op<UserErrorsAnswer> {
  return {
    operation: 'mutation',
    field: 'translationsRegister',
    args: [
      { name: 'resourceId', type: 'ID!', value: resourceId },
      { name: 'translations', type: '[TranslationInput!]!', value: translations },
    ],
    selection: `{ userErrors ${CODED_USER_ERRORS} }`,
    idempotent: true,
    answer: userErrorsAnswer,
  };
}

/** A string as a GraphQL literal (JSON's escapes are GraphQL's). */
const literal = (s: string) => JSON.stringify(s);

/** The ids of some metafields of one product or variant (`m0`, `m1`… in the order given; null where it has none). */
export function metafieldIdsOp(ownerId: string, keys: ReadonlyArray<{ namespace: string; key: string }>): Op<MetafieldIdsAnswer> {
  const fields = keys.map((k, i) => `m${i}: metafield(namespace: ${literal(k.namespace)}, key: ${literal(k.key)}) { id }`).join(' ');
  return {
    operation: 'query',
    field: /\/ProductVariant\//.test(ownerId) ? 'productVariant' : 'product',
    args: [{ name: 'id', type: 'ID!', value: ownerId }],
    selection: `{ ${fields} }`,
    idempotent: true,
    answer: metafieldIdsAnswer,
  };
}

/**
 * Documents about sales channels: the store's publications (by their catalog's title, as the
 * merchant names a channel), and publishing a product to some or unpublishing it.
 */
import { publicationsAnswer, userErrorsAnswer, type PublicationsAnswer, type UserErrorsAnswer } from '../answers.js';
import type { Op } from '../documents.js';

/** The store's publications, 50 a page (a store has a handful). */
export function publicationsOp(after?: string): Op<PublicationsAnswer> {
  return {
    operation: 'query',
    field: 'publications',
    args: [{ name: 'first', type: 'Int', value: 50 }, ...(after === undefined ? [] : [{ name: 'after', type: 'String', value: after }])],
    selection: '{ nodes { id catalog { title } } pageInfo { hasNextPage endCursor } }',
    idempotent: true,
    answer: publicationsAnswer,
  };
}

/** Publishes a product to these publications (one mutation, whatever their number). */
export function publishOp(productId: string, publicationIds: readonly string[]): Op<UserErrorsAnswer> {
  return {
    operation: 'mutation',
    field: 'publishablePublish',
    args: [
      { name: 'id', type: 'ID!', value: productId },
      { name: 'input', type: '[PublicationInput!]!', value: publicationIds.map((publicationId) => ({ publicationId })) },
    ],
    selection: '{ userErrors { field message } }',
    idempotent: true,
    answer: userErrorsAnswer,
  };
}

/** Unpublishes a product from these publications. */
export function unpublishOp(productId: string, publicationIds: readonly string[]): Op<UserErrorsAnswer> {
  return {
    operation: 'mutation',
    field: 'publishableUnpublish',
    args: [
      { name: 'id', type: 'ID!', value: productId },
      { name: 'input', type: '[PublicationInput!]!', value: publicationIds.map((publicationId) => ({ publicationId })) },
    ],
    selection: '{ userErrors { field message } }',
    idempotent: true,
    answer: userErrorsAnswer,
  };
}

/**
 * Documents about collections (the store's side of categories): made, updated, removed, their
 * products added or taken out, and found by handle or title when a mapping is missing.
 */
import { collectionDeleteAnswer, collectionsAnswer, collectionWriteAnswer, userErrorsAnswer, type CollectionDeleteAnswer, type CollectionsAnswer, type CollectionWriteAnswer, type UserErrorsAnswer } from '../answers.js';
import { searchTerm, USER_ERRORS, type Op } from '../documents.js';

export function collectionCreateOp(input: Record<string, unknown>): Op<CollectionWriteAnswer> {
  return {
    operation: 'mutation',
    field: 'collectionCreate',
    args: [{ name: 'input', type: 'CollectionInput!', value: input }],
    selection: `{ collection { id } userErrors ${USER_ERRORS} }`,
    idempotent: false,
    answer: collectionWriteAnswer,
  };
}

export function collectionUpdateOp(input: Record<string, unknown> & { id: string }): Op<CollectionWriteAnswer> {
  return {
    operation: 'mutation',
    field: 'collectionUpdate',
    args: [{ name: 'input', type: 'CollectionInput!', value: input }],
    selection: `{ collection { id } userErrors ${USER_ERRORS} }`,
    idempotent: true,
    answer: collectionWriteAnswer,
  };
}

export function collectionDeleteOp(id: string): Op<CollectionDeleteAnswer> {
  return {
    operation: 'mutation',
    field: 'collectionDelete',
    args: [{ name: 'input', type: 'CollectionDeleteInput!', value: { id } }],
    selection: `{ deletedCollectionId userErrors ${USER_ERRORS} }`,
    idempotent: true,
    answer: collectionDeleteAnswer,
  };
}

export function collectionAddProductsOp(id: string, productIds: readonly string[]): Op<UserErrorsAnswer> {
  return {
    operation: 'mutation',
    field: 'collectionAddProducts',
    args: [
      { name: 'id', type: 'ID!', value: id },
      { name: 'productIds', type: '[ID!]!', value: productIds },
    ],
    selection: `{ userErrors ${USER_ERRORS} }`,
    idempotent: true,
    answer: userErrorsAnswer,
  };
}

export function collectionRemoveProductsOp(id: string, productIds: readonly string[]): Op<UserErrorsAnswer> {
  return {
    operation: 'mutation',
    field: 'collectionRemoveProducts',
    args: [
      { name: 'id', type: 'ID!', value: id },
      { name: 'productIds', type: '[ID!]!', value: productIds },
    ],
    selection: `{ userErrors ${USER_ERRORS} }`,
    idempotent: true,
    answer: userErrorsAnswer,
  };
}

/** Manual collections by handle, or by title where the host gave no handle. */
export function collectionsByOp(by: { handle: string } | { title: string }, first = 5): Op<CollectionsAnswer> {
  return {
    operation: 'query',
    field: 'collections',
    args: [
      { name: 'first', type: 'Int', value: first },
      { name: 'query', type: 'String', value: 'handle' in by ? searchTerm('handle', by.handle) : searchTerm('title', by.title) },
    ],
    selection: '{ nodes { id handle title } }',
    idempotent: true,
    answer: collectionsAnswer,
  };
}

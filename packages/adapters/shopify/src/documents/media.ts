/**
 * Documents about product media: a product's media ids (matching a lost productSet's images to
 * what the store made of them), and the files Shopify has not finished processing.
 */
import { filesAnswer, productMediaAnswer, type FilesAnswer, type ProductMediaAnswer } from '../answers.js';
import type { Op } from '../documents.js';
import { MAX_INPUT_ARRAY } from '../version.js';

/** Files per page of a processing check. */
export const FILES_PAGE = 100;

/** A product's media ids, in order (the first 250: a product shopsync writes has at most 250 images). */
export function productMediaOp(productId: string): Op<ProductMediaAnswer> {
  return {
    operation: 'query',
    field: 'product',
    args: [{ name: 'id', type: 'ID!', value: productId }],
    selection: `{ id media(first: ${MAX_INPUT_ARRAY}) { nodes { id } } }`,
    idempotent: true,
    answer: productMediaAnswer,
  };
}

/**
 * The store's files created since `since` that are not ready: still uploaded or processing, or
 * failed. Shopify charges what the query returns, so a check that finds every image processed
 * costs 2 points, however many images it stands for; an image absent from the answer is ready.
 */
export function unsettledFilesOp(since: Date, after?: string): Op<FilesAnswer> {
  const query = `created_at:>='${since.toISOString().replace(/\.\d{3}Z$/, 'Z')}' AND (status:UPLOADED OR status:PROCESSING OR status:FAILED)`;
  return {
    operation: 'query',
    field: 'files',
    args: [
      { name: 'first', type: 'Int', value: FILES_PAGE },
      { name: 'query', type: 'String', value: query },
      ...(after === undefined ? [] : [{ name: 'after', type: 'String', value: after }]),
    ],
    selection: '{ nodes { id fileStatus fileErrors { code details message } } pageInfo { hasNextPage endCursor } }',
    idempotent: true,
    answer: filesAnswer,
  };
}

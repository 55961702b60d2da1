/** Documents about stock: absolute quantities at a location, stocking an item where it is not yet, and the store's locations. */
import { locationsAnswer, userErrorsAnswer, type LocationsAnswer, type UserErrorsAnswer } from '../answers.js';
import { CODED_USER_ERRORS, USER_ERRORS, type Op } from '../documents.js';
import type { ApiFeatures } from '../version.js';

/** The stock of one inventory item at one location, as an absolute quantity. */
export interface QuantityInput {
  inventoryItemId: string;
  locationId: string;
  quantity: number;
}

/**
 * Absolute stock (the host is the source of truth), without the compare-and-swap check: before
 * 2026-04 by `ignoreCompareQuantity`, from 2026-04 by an explicit `changeFromQuantity: null`.
 * From 2026-01 the mutation carries an idempotency key, mandatory from 2026-04; the same key
 * goes with every resend of the same request.
 */
export function inventorySetQuantitiesOp(features: ApiFeatures, quantities: readonly QuantityInput[], reason: string, idempotencyKey: string): Op<UserErrorsAnswer> {
  const input: Record<string, unknown> = {
    name: 'available',
    reason,
    quantities: quantities.map((q) => (features.changeFromQuantityRequired ? { ...q, changeFromQuantity: null } : { ...q })),
  };
  if (features.compareQuantity) input['ignoreCompareQuantity'] = true;
  const op: Op<UserErrorsAnswer> = {
    operation: 'mutation',
    field: 'inventorySetQuantities',
    args: [{ name: 'input', type: 'InventorySetQuantitiesInput!', value: input }],
    selection: `{ userErrors ${CODED_USER_ERRORS} }`,
    idempotent: true,
    answer: userErrorsAnswer,
  };
  return features.idempotentDirective ? { ...op, directive: { name: 'idempotent', args: [{ name: 'key', type: 'String!', value: idempotencyKey }] } } : op;
}

/** Stocks an inventory item at a location where it is not stocked yet, with its quantity. */
export function inventoryActivateOp(inventoryItemId: string, locationId: string, available: number): Op<UserErrorsAnswer> {
  return {
    operation: 'mutation',
    field: 'inventoryActivate',
    args: [
      { name: 'inventoryItemId', type: 'ID!', value: inventoryItemId },
      { name: 'locationId', type: 'ID!', value: locationId },
      { name: 'available', type: 'Int', value: available },
    ],
    selection: `{ userErrors ${USER_ERRORS} }`,
    idempotent: true,
    answer: userErrorsAnswer,
  };
}

/** A page of the store's active locations (to find the ones the connector's warehouses name). */
export function locationsOp(after?: string): Op<LocationsAnswer> {
  return {
    operation: 'query',
    field: 'locations',
    args: [
      { name: 'first', type: 'Int', value: 250 },
      ...(after ? [{ name: 'after', type: 'String', value: after }] : []),
    ],
    selection: '{ nodes { id name isActive } pageInfo { hasNextPage endCursor } }',
    idempotent: true,
    answer: locationsAnswer,
  };
}

/**
 * Stock: inventorySetQuantities (absolute quantities, with the compare-and-swap checks of the API
 * version that serves it) and inventoryActivate (stocking an item at a location).
 */
import { INVENTORY_REASONS } from '../target/options.js';
import { given, type QuantityArgs, type UserErrorOut } from './model.js';
import type { SimStore } from './store.js';

const QUANTITY_LIMIT = 1_000_000_000;
/** Shopify's reasons for a stock change: the same list the target validates its option against. */
const VALID_REASONS: ReadonlySet<string> = new Set(INVENTORY_REASONS);

/** One change an inventory adjustment group records. */
export interface InventoryChangeRecord {
  name: string;
  delta: number;
  quantityAfterChange: number;
  itemId: string;
  locationId: string;
}

/** Sets available (or on-hand) quantities; all or nothing. Records a group when something changed. */
export function setQuantities(
  store: SimStore,
  input: { name: string; reason: string; quantities: QuantityArgs[]; ignoreCompareQuantity?: boolean | null },
  rules: { compareQuantity: boolean; changeFromQuantity: boolean },
): { groupId: string | null; userErrors: UserErrorOut[] } {
  const errors: UserErrorOut[] = [];
  const err = (code: string, field: Array<string | number>, message: string) => errors.push({ code, field: field.map(String), message });
  if (input.name !== 'available' && input.name !== 'on_hand') err('INVALID_NAME', ['input', 'name'], `The quantity name '${input.name}' is not valid: use available or on_hand.`);
  if (!VALID_REASONS.has(input.reason)) err('INVALID_REASON', ['input', 'reason'], `The reason '${input.reason}' is not valid.`);
  const pairs = new Set<string>();
  input.quantities.forEach((q, i) => {
    const at = (f: string) => ['input', 'quantities', i, f];
    const item = store.inventoryItems.get(q.inventoryItemId);
    const location = store.locations.get(q.locationId);
    if (!item) return err('INVALID_INVENTORY_ITEM', at('inventoryItemId'), 'The specified inventory item could not be found.');
    if (!location) return err('INVALID_LOCATION', at('locationId'), 'The specified location could not be found.');
    const pair = `${q.inventoryItemId}|${q.locationId}`;
    if (pairs.has(pair)) return err('NO_DUPLICATE_INVENTORY_ITEM_ID_GROUP_ID_PAIR', at('inventoryItemId'), 'The same inventory item and location may appear only once.');
    pairs.add(pair);
    if (!item.levels.has(q.locationId)) return err('ITEM_NOT_STOCKED_AT_LOCATION', at('locationId'), 'The specified inventory item is not stocked at the location.');
    if (q.quantity > QUANTITY_LIMIT) return err('INVALID_QUANTITY_TOO_HIGH', at('quantity'), `The quantity can't be higher than ${QUANTITY_LIMIT}.`);
    if (q.quantity < -QUANTITY_LIMIT) return err('INVALID_QUANTITY_TOO_LOW', at('quantity'), `The quantity can't be lower than -${QUANTITY_LIMIT}.`);
    const current = item.levels.get(q.locationId)!;
    if (rules.compareQuantity && !input.ignoreCompareQuantity && q.changeFromQuantity === undefined) {
      if (!given(q.compareQuantity)) return err('COMPARE_QUANTITY_REQUIRED', at('compareQuantity'), 'The compareQuantity argument must be given to each quantity or ignored using ignoreCompareQuantity.');
      if (q.compareQuantity !== current) return err('COMPARE_QUANTITY_STALE', at('compareQuantity'), 'The compareQuantity value does not match the persisted value.');
    }
    if (rules.changeFromQuantity && given(q.changeFromQuantity) && q.changeFromQuantity !== current) {
      return err('CHANGE_FROM_QUANTITY_STALE', at('changeFromQuantity'), 'The changeFromQuantity value does not match the persisted value.');
    }
  });
  if (errors.length) return { groupId: null, userErrors: errors };
  const changes: InventoryChangeRecord[] = [];
  for (const q of input.quantities) {
    const item = store.inventoryItems.get(q.inventoryItemId)!;
    const before = item.levels.get(q.locationId)!;
    item.levels.set(q.locationId, q.quantity);
    if (q.quantity !== before) changes.push({ name: input.name, delta: q.quantity - before, quantityAfterChange: q.quantity, itemId: item.id, locationId: q.locationId });
  }
  if (changes.length === 0) return { groupId: null, userErrors: [] };
  const id = store.newId('InventoryAdjustmentGroup');
  store.adjustmentGroups.set(id, { id, reason: input.reason, changes });
  return { groupId: id, userErrors: [] };
}

/** Stocks an inventory item at an active location (with `available`, sets that quantity too). */
export function activate(store: SimStore, inventoryItemId: string, locationId: string, available: number | null | undefined): { level: { itemId: string; locationId: string } | null; userErrors: UserErrorOut[] } {
  const item = store.inventoryItems.get(inventoryItemId);
  const location = store.locations.get(locationId);
  if (!item) return { level: null, userErrors: [{ field: ['inventoryItemId'], message: 'The specified inventory item could not be found.' }] };
  if (!location || !location.isActive) return { level: null, userErrors: [{ field: ['locationId'], message: 'The specified location could not be found or is not active.' }] };
  if (!item.levels.has(locationId) || given(available)) item.levels.set(locationId, available ?? item.levels.get(locationId) ?? 0);
  return { level: { itemId: item.id, locationId }, userErrors: [] };
}

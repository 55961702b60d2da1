/**
 * Where a variant's stock goes: one number goes to the connector's location; a quantity per
 * warehouse goes where the connector's `locations` maps each warehouse (resolved to location ids
 * when the sync event started, in its configuration snapshot). Two warehouses mapped to one
 * location add up there.
 */
import type { ConfigSnapshot, ItemError, VariantData } from '@shopsync/core';

/** Warehouse -> location id as the store resolved it (undefined: configured, but the store has no such location). */
export type WarehouseMap = ReadonlyMap<string, { location: string; id: string | undefined }>;

/** The mapping of an event's configuration snapshot. */
export function warehouseMap(config: ConfigSnapshot): WarehouseMap {
  return new Map((config.locations ?? []).map((l) => [l.warehouse, { location: l.location, id: l.id }]));
}

/** Quantities by location id, or why the stock cannot be placed. */
export type Placement = { ok: true; at: Map<string, number> } | { ok: false; errors: ItemError[] };

export function placeStock(stock: VariantData['stock'], defaultLocation: string | undefined, warehouses: WarehouseMap): Placement {
  const at = new Map<string, number>();
  if (stock === undefined) return { ok: true, at };
  if (typeof stock === 'number') {
    if (!defaultLocation) return { ok: false, errors: [{ code: 'NO_LOCATION', message: 'The store has no location to keep stock at: set the connector’s location.' }] };
    at.set(defaultLocation, stock);
    return { ok: true, at };
  }
  const errors: ItemError[] = [];
  for (const [warehouse, quantity] of Object.entries(stock)) {
    const mapped = warehouses.get(warehouse);
    if (!mapped) {
      errors.push({ code: 'UNMAPPED_WAREHOUSE', field: ['stock', warehouse], message: `Warehouse "${warehouse}" has no Shopify location: add it to the connector’s locations.` });
    } else if (!mapped.id) {
      errors.push({ code: 'LOCATION_NOT_FOUND', field: ['stock', warehouse], message: `Warehouse "${warehouse}" is mapped to the location "${mapped.location}", which the store does not have (or has deactivated).` });
    } else at.set(mapped.id, (at.get(mapped.id) ?? 0) + quantity);
  }
  return errors.length ? { ok: false, errors } : { ok: true, at };
}

/** The locations where a variant's stock was set, as its state says (records from before `stockAt`: the connector's location). */
export function stockedAt(state: { stockAt?: string[] | undefined; stockInitialized: boolean } | undefined, defaultLocation: string | undefined): string[] {
  if (!state) return [];
  if (state.stockAt) return state.stockAt;
  return state.stockInitialized && defaultLocation ? [defaultLocation] : [];
}

/** Two stocks place the same quantities (a change of a warehouse's quantity, or a new warehouse, is a change). */
export function sameStock(a: VariantData['stock'], b: VariantData['stock']): boolean {
  if (a === undefined || b === undefined || typeof a === 'number' || typeof b === 'number') return a === b;
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => b[k] === a[k]);
}

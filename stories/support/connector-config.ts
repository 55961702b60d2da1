/**
 * The connector a story's engine runs with, from the story's configuration options: its API
 * version chosen by where it should stand on the day the run starts (Shopify's calendar, as
 * core's api-version assesses it), and what the store answers when the run connects (the
 * version it serves, its other languages, the locations it resolves).
 */
import { latestStableVersion, type ConnectorConfigInput } from '@shopsync/core';
import { CONNECTOR_ID, SHOP_DOMAIN } from './catalog.js';
import type { ConfigOptions } from './scenario-options.js';
import type { StoreInfo } from './story-target.js';

/** The store's primary location, where a variant's single stock number goes. */
const PRIMARY_LOCATION = 'gid://shopify/Location/68431200321';

/** A version `months` before or after `version` (both `YYYY-MM`). */
function shiftVersion(version: string, months: number): string {
  const [y, m] = version.split('-').map(Number) as [number, number];
  const total = y * 12 + (m - 1) + months;
  return `${Math.floor(total / 12)}-${String((total % 12) + 1).padStart(2, '0')}`;
}

/**
 * Days before the end of support that the engine warns: a quarter, so that the oldest supported
 * version (whose support ends a quarter after the newest was released) always ends "soon".
 */
export const API_WARNING_DAYS = 92;

export function connectorFor(o: ConfigOptions, at: number): { connector: ConnectorConfigInput; store: StoreInfo } {
  const latest = latestStableVersion(new Date(at));
  // Four versions are supported at a time: the newest and the three before it.
  const oldestSupported = shiftVersion(latest, -9);
  const apiVersion = o.apiVersion === 'supported' ? latest : o.apiVersion === 'ends-soon' ? oldestSupported : shiftVersion(latest, -12);
  const connector: ConnectorConfigInput = {
    id: CONNECTOR_ID,
    shopDomain: SHOP_DOMAIN,
    apiVersion,
    disableDeletions: o.disableDeletions,
    overwriteStock: o.overwriteStock,
    includeEmptyCategories: o.includeEmptyCategories,
    language: o.language,
    locationId: PRIMARY_LOCATION,
    locations: Object.fromEntries(o.locations.map((l) => [l.warehouse, l.location])),
    publications: [...o.publications],
    ownedMetafieldNamespaces: [...o.ownedMetafieldNamespaces],
    createMetafieldDefinitions: o.createMetafieldDefinitions,
  };
  const resolved = o.locations.flatMap((l) => (l.id ? [[l.warehouse, l.id] as const] : []));
  const store: StoreInfo = {
    // Shopify serves the oldest supported version for one it no longer supports ("fall forward").
    ...(o.apiVersion === 'deprecated' ? { servedApiVersion: oldestSupported } : {}),
    ...(o.translations.length ? { translationLanguages: [...o.translations] } : {}),
    ...(resolved.length ? { locationIds: Object.fromEntries(resolved) } : {}),
  };
  return { connector, store };
}

/**
 * The demo's store: the Shopify simulator, set up as Northwall Outfitters' shop (English its
 * primary language, Spanish published beside it, French not enabled; a Madrid and a Lyon
 * warehouse as its locations; the demo's public app installed), or a real store reached with the
 * credentials of the environment. Credentials live in this process only.
 */
import { randomBytes } from 'node:crypto';
import type { StorageAdapter } from '@shopsync/core';
import { clientCredentials, expiringToken, fixedToken, storageTokenStore, type CredentialsProvider } from '@shopsync/shopify';
import { REALISTIC_LATENCY, ShopifySimulator } from '@shopsync/shopify/simulator';
import type { WAREHOUSES } from './catalog.js';
import type { DemoOptions } from './options.js';

/** The demo's app on the simulator: public (one app for many merchants), so its tokens expire. */
const DEMO_APP = 'northwall-erp';
/** How long the simulator's access tokens live: short, so that the first run renews one. */
const TOKEN_SECONDS = 20;

/** The simulator processes images for this long (fetched for real), so that a product's wait shows but is brief. */
export const MEDIA_PROCESSING_MS = 1_500;

/** The simulator's languages: English is the catalog's own (primary), Spanish takes translations; French is not enabled. */
export const SIMULATOR_LOCALES = [
  { locale: 'en', primary: true, published: true },
  { locale: 'es', published: true },
];

/** Where the ERP's warehouses keep their stock on the simulator: one location each, by name (the first is the store's primary one). */
export const SIMULATOR_LOCATIONS: Readonly<Record<(typeof WAREHOUSES)[number], string>> = { mad: 'Madrid warehouse', lyon: 'Lyon warehouse' };

/** The store the demo syncs to, and how the connector reaches it. */
export interface DemoStore {
  /** The simulator (absent for a real store). */
  simulator: ShopifySimulator | undefined;
  /** The Admin API's address, for the simulator (a real store's is Shopify's). */
  endpoint: string | undefined;
  shopDomain: string;
  credentials: CredentialsProvider;
  /** The connector's warehouse -> location mapping: the simulator's, a real store's from DEMO_LOCATIONS, or none (stock as one number). */
  locations: Record<string, string>;
}

/** Where the simulator's store and the demo's database are. */
export interface StorePaths {
  /** The simulator's store file. */
  storePath: string;
  /** The engine's storage (the app's grant is sealed in it) and the connector it belongs to. */
  storage: StorageAdapter;
  connectorId: string;
}

/**
 * Opens the store: a real one when the options name it, else the simulator, started with the
 * demo's languages and locations and its store file (a store file kept from an earlier demo gets
 * the warehouses' locations added).
 */
export async function openDemoStore(options: DemoOptions, paths: StorePaths): Promise<DemoStore> {
  if (options.store) {
    const shopDomain = options.store.domain;
    const credentials =
      'accessToken' in options.store ? fixedToken(options.store.accessToken) : clientCredentials({ shopDomain, clientId: options.store.clientId, clientSecret: options.store.clientSecret });
    return { simulator: undefined, endpoint: undefined, shopDomain, credentials, locations: { ...options.locations } };
  }
  const clientSecret = `shpss_${randomBytes(16).toString('hex')}`;
  const simulator = await ShopifySimulator.start({
    apps: [{ clientId: DEMO_APP, clientSecret, distribution: 'public' }],
    tokenLifetimes: { accessSeconds: TOKEN_SECONDS },
    shopDomain: 'northwall-outfitters.myshopify.com',
    shopName: 'Northwall Outfitters',
    plan: 'standard',
    latency: options.latency === 'realistic' ? { ...REALISTIC_LATENCY } : { baseMs: 0, perMutationMs: 0, jitterMs: 0 },
    hangMs: 3_000,
    statePath: paths.storePath,
    // Images are downloaded from the demo's server, for real, and refused as Shopify would.
    media: { fetch: true, processingMs: MEDIA_PROCESSING_MS },
    locales: SIMULATOR_LOCALES,
    locations: Object.values(SIMULATOR_LOCATIONS).map((name) => ({ name })),
  });
  const endpoint = simulator.url;
  const shopDomain = simulator.shopDomain;
  // The app's grant, sealed in the engine's database with a key of this process (a real host
  // keeps its key outside the database). The simulator keeps no token across restarts: each
  // start installs the app again, as a merchant would after a reinstall.
  const provider = expiringToken({
    clientId: DEMO_APP,
    clientSecret,
    shopDomain,
    endpoint,
    store: storageTokenStore({ storage: paths.storage, connectorId: paths.connectorId, keys: [{ id: 'demo', key: randomBytes(32) }] }),
  });
  const install = simulator.issueOfflineToken(DEMO_APP, { expiring: true });
  await provider.setGrant({ accessToken: install.accessToken, expiresIn: install.expiresIn!, refreshToken: install.refreshToken!, refreshTokenExpiresIn: install.refreshTokenExpiresIn! });
  return { simulator, endpoint, shopDomain, credentials: provider, locations: { ...SIMULATOR_LOCATIONS } };
}

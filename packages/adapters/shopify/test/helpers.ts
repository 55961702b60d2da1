import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import type { TestContext } from 'node:test';
import { buildClientSchema, type GraphQLSchema, type IntrospectionQuery } from 'graphql';
import { MemoryStorage, SyncEngine, type Change, type Clock, type ConnectorConfigInput, type EngineTuning } from '@shopsync/core';
import { ShopifyTarget, type ShopifyTargetOptions } from '@shopsync/shopify';
import { ShopifySimulator, type SimulatorOptions } from '@shopsync/shopify/simulator';

export const TOKEN = 'shpat_0123456789abcdef0123456789abcdef';
export const OTHER_TOKEN = 'shpat_ffffffffffffffffffffffffffffffff';

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));

/** The real Admin schema (2025-01): `SHOPIFY_ADMIN_SCHEMA` or ../shared beside the checkout. */
export function realSchemaPath(): string {
  return process.env['SHOPIFY_ADMIN_SCHEMA'] ?? resolve(repoRoot, '../shared/shopify/admin_schema_2025-01.json.gz');
}

let cached: GraphQLSchema | undefined;

/** The real schema, or undefined after marking the test skipped (failing instead under CI=true). */
export function realSchema(t: TestContext): GraphQLSchema | undefined {
  const path = realSchemaPath();
  if (!existsSync(path)) {
    const reason = `Shopify's admin schema is not at ${path} (set SHOPIFY_ADMIN_SCHEMA)`;
    if (process.env['CI'] === 'true') throw new Error(`${reason}; under CI it must be there.`);
    t.skip(reason);
    return undefined;
  }
  cached ??= buildClientSchema((JSON.parse(gunzipSync(readFileSync(path)).toString('utf8')) as { data: IntrospectionQuery }).data);
  return cached;
}

export async function startSim(options: Partial<SimulatorOptions> = {}): Promise<ShopifySimulator> {
  return ShopifySimulator.start({ accessTokens: [TOKEN], versions: { supported: ['2025-01', '2026-01', '2026-07'] }, ...options });
}

export function targetFor(sim: ShopifySimulator, options: Partial<ShopifyTargetOptions> = {}): ShopifyTarget {
  return new ShopifyTarget({
    accessToken: TOKEN,
    endpoint: sim.url,
    requestTimeoutMs: 2_000,
    retry: { maxAttempts: 4, baseMs: 5, maxMs: 20 },
    ...options,
  });
}

export interface Setup {
  sim: ShopifySimulator;
  target: ShopifyTarget;
  engine: SyncEngine;
  storage: MemoryStorage;
}

export function engineFor(
  sim: ShopifySimulator,
  target: ShopifyTarget,
  connector: Partial<ConnectorConfigInput> = {},
  tuning: EngineTuning & { storage?: MemoryStorage; clock?: Clock } = {},
): { engine: SyncEngine; storage: MemoryStorage } {
  const { storage = new MemoryStorage(), ...rest } = tuning;
  const engine = new SyncEngine({
    connector: { id: 'store', shopDomain: sim.shopDomain, apiVersion: '2025-01', ...connector },
    target,
    storage,
    retryBackoff: { baseMs: 0, maxMs: 0 },
    ...rest,
  });
  return { engine, storage };
}

// ——— catalog builders ———

export const category = (ref: string, title: string | Record<string, string> = `Category ${ref}`, extra: Record<string, unknown> = {}): Change =>
  ({ entity: 'category', op: 'upsert', ref, data: { title, ...extra } }) as Change;

export const product = (ref: string, data: Record<string, unknown> = {}): Change => ({ entity: 'product', op: 'upsert', ref, data: { title: `Product ${ref}`, ...data } }) as Change;

export const variant = (ref: string, parentRef: string, data: Record<string, unknown> = {}): Change =>
  ({ entity: 'variant', op: 'upsert', ref, parentRef, data: { price: '10.00', ...data } }) as Change;

export const remove = (entity: Change['entity'], ref: string, parentRef?: string): Change =>
  (parentRef !== undefined ? { entity, op: 'delete', ref, parentRef } : { entity, op: 'delete', ref }) as Change;

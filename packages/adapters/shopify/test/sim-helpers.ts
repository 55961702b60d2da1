/**
 * Helpers of the simulator's own tests: a raw GraphQL POST (as any HTTP client would make it),
 * the productSet inputs they share, and the real Admin schema of each version.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import type { TestContext } from 'node:test';
import { buildClientSchema, parse, validate, type GraphQLSchema, type IntrospectionQuery } from 'graphql';
import type { ShopifySimulator } from '@shopsync/shopify/simulator';
import { TOKEN } from './helpers.js';

/** A parsed answer of the simulator. */
export interface Answer {
  status: number;
  headers: Headers;
  body: {
    data?: Record<string, unknown> | null;
    errors?: unknown;
    extensions?: { cost?: { requestedQueryCost: number; actualQueryCost: number | null; throttleStatus: { maximumAvailable: number; currentlyAvailable: number; restoreRate: number } } };
  };
}

/** A raw GraphQL POST, as any HTTP client would make it. */
export async function post(
  sim: ShopifySimulator,
  query: string,
  variables: Record<string, unknown> = {},
  opts: { version?: string; token?: string | null; host?: string; signal?: AbortSignal } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (opts.token !== null) headers['X-Shopify-Access-Token'] = opts.token ?? TOKEN;
  if (opts.host) headers['X-Forwarded-Host'] = opts.host;
  const res = await fetch(sim.graphqlUrl(opts.version ?? '2025-01'), { method: 'POST', headers, body: JSON.stringify({ query, variables }), ...(opts.signal ? { signal: opts.signal } : {}) });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: JSON.parse(text) as Answer['body'] };
}

/** The `extensions.code` of each top-level error of an answer. */
export function errorCodes(a: Answer): string[] {
  return ((a.body.errors as Array<{ extensions?: { code?: string } }> | undefined) ?? []).map((e) => String(e.extensions?.code));
}

/** The cheapest query: the shop's name and domain. */
export const SHOP = 'query { shop { name myshopifyDomain } }';
/** The one variant of a product without options. */
export const defaultVariant = { optionValues: [{ optionName: 'Title', name: 'Default Title' }] };
/** The option of a product without options. */
export const titleOption = [{ name: 'Title', values: [{ name: 'Default Title' }] }];
/** productSet with its input as a variable, answering the product's id, handle and first variants. */
export const PRODUCT_SET = `mutation($input: ProductSetInput!) { productSet(input: $input) { product { id handle variants(first: 5) { nodes { id sku } } } userErrors { code field message } } }`;

/** A productSet answer's payload. */
export interface ProductSetPayload {
  product: { id: string; handle: string; variants: { nodes: Array<{ id: string; sku: string }> } } | null;
  userErrors: Array<{ code: string; field: string[]; message: string }>;
}

/** The payload of the first root field of an answer (`productSet`, …). */
export function payload<T>(a: Answer, field: string): T {
  return (a.body.data as Record<string, T>)[field]!;
}

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
const schemas = new Map<string, GraphQLSchema>();

/**
 * Where the real Admin schema of `version` is: in the folder SHOPIFY_ADMIN_SCHEMA names, beside
 * the file it names, or in ../shared/shopify beside the checkout.
 */
export function realSchemaPathOf(version: string): string {
  const file = `admin_schema_${version}.json.gz`;
  const env = process.env['SHOPIFY_ADMIN_SCHEMA'];
  if (!env) return resolve(repoRoot, '../shared/shopify', file);
  return existsSync(env) && statSync(env).isDirectory() ? resolve(env, file) : resolve(dirname(env), file);
}

/** The real schema of a version, or undefined after marking the test skipped (failing instead under CI=true). */
export function realSchemaOf(t: TestContext, version: string): GraphQLSchema | undefined {
  const path = realSchemaPathOf(version);
  if (!existsSync(path)) {
    const reason = `Shopify's ${version} admin schema is not at ${path} (set SHOPIFY_ADMIN_SCHEMA)`;
    if (process.env['CI'] === 'true') throw new Error(`${reason}; under CI it must be there.`);
    t.skip(reason);
    return undefined;
  }
  let schema = schemas.get(version);
  if (!schema) {
    schema = buildClientSchema((JSON.parse(gunzipSync(readFileSync(path)).toString('utf8')) as { data: IntrospectionQuery }).data);
    schemas.set(version, schema);
  }
  return schema;
}

/** The versions whose real Admin schema a new simulator document is checked against. */
export const REAL_SCHEMA_VERSIONS = ['2025-01', '2026-01', '2026-04'] as const;

/**
 * What is wrong with these documents against Shopify's real Admin schema of each of
 * REAL_SCHEMA_VERSIONS (`version name: message`): empty when all are valid. Undefined after
 * marking the test skipped when a schema is not at hand (failing instead under CI=true).
 */
export function realSchemaProblems(t: TestContext, documents: Readonly<Record<string, string>>): string[] | undefined {
  const problems: string[] = [];
  for (const version of REAL_SCHEMA_VERSIONS) {
    const real = realSchemaOf(t, version);
    if (!real) return undefined;
    for (const [name, doc] of Object.entries(documents)) for (const e of validate(real, parse(doc))) problems.push(`${version} ${name}: ${e.message}`);
  }
  return problems;
}

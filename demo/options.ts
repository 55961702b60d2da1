/** The demo's command line and environment, validated: a bad value names the flag and what was expected. */
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { ValidationError } from '@shopsync/core';

export const USAGE = `Usage: npm start -- [options]

Starts the Shopify simulator (or a real store), a sync engine on SQLite, its HTTP + SSE source and a
page with <shopsync-panel>, then prints the page's URL.

Options:
  --port <n>             port of the page (default: PORT, else a free port)
  --data <dir>           where the engine's database and the simulator's store live (default demo/data)
  --fresh                forget the history and the simulator's store before starting
  --products <n>         products in the seeded catalog (default 200; 30 categories; up to 4 variants each)
  --latency <l>          simulator latency: realistic | none (default realistic)
  --iteration-delay <ms> pause between iterations, so a run can be watched (default 400)
  --trickle <ms>         new changes every <ms> (default 6000; 0 for none)
  --api-version <v>      the connector's Shopify API version (default: the latest stable one)
  -h, --help             this text

Environment:
  PORT                   as --port
  SHOPIFY_STORE_DOMAIN   with SHOPIFY_ACCESS_TOKEN: sync to this real store instead of the simulator
  SHOPIFY_ACCESS_TOKEN   the Admin API access token; it stays in the server process`;

const intFlag = (min: number, max: number) => z.coerce.number({ error: 'expected a number' }).int('expected a whole number').min(min).max(max);

const optionsSchema = z
  .object({
    port: intFlag(0, 65_535).default(0),
    data: z.string().min(1).optional(),
    fresh: z.boolean().default(false),
    products: intFlag(1, 5_000).default(200),
    latency: z.enum(['realistic', 'none']).default('realistic'),
    iterationDelay: intFlag(0, 60_000).default(400),
    trickle: intFlag(0, 3_600_000).default(6_000),
    apiVersion: z.string().regex(/^\d{4}-(01|04|07|10)$/, 'expected a stable API version such as "2026-10"').optional(),
    store: z
      .object({
        domain: z.string().regex(/^[a-z0-9][a-z0-9-]*\.myshopify\.com$/, 'expected a store domain such as "my-store.myshopify.com"'),
        accessToken: z.string().min(1),
      })
      .optional(),
  })
  .strict();

export type DemoOptions = z.output<typeof optionsSchema>;

const FLAGS = { port: 'port', data: 'data', fresh: 'fresh', products: 'products', latency: 'latency', iterationDelay: 'iteration-delay', trickle: 'trickle', apiVersion: 'api-version', store: 'SHOPIFY_STORE_DOMAIN' } as const;

export function demoOptions(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): DemoOptions | 'help' {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    options: {
      port: { type: 'string' },
      data: { type: 'string' },
      fresh: { type: 'boolean' },
      products: { type: 'string' },
      latency: { type: 'string' },
      'iteration-delay': { type: 'string' },
      trickle: { type: 'string' },
      'api-version': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return 'help';
  const domain = env['SHOPIFY_STORE_DOMAIN'];
  const token = env['SHOPIFY_ACCESS_TOKEN'];
  if (Boolean(domain) !== Boolean(token)) {
    throw new ValidationError('demo environment', [
      { path: domain ? 'SHOPIFY_ACCESS_TOKEN' : 'SHOPIFY_STORE_DOMAIN', message: 'expected both SHOPIFY_STORE_DOMAIN and SHOPIFY_ACCESS_TOKEN (a real store), or neither (the simulator)' },
    ]);
  }
  const input = {
    port: values.port ?? env['PORT'],
    data: values.data,
    fresh: values.fresh,
    products: values.products,
    latency: values.latency,
    iterationDelay: values['iteration-delay'],
    trickle: values.trickle,
    apiVersion: values['api-version'],
    store: domain && token ? { domain, accessToken: token } : undefined,
  };
  const parsed = optionsSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((i) => {
    const first = String(i.path[0] ?? '');
    const name = first in FLAGS ? FLAGS[first as keyof typeof FLAGS] : first;
    const path = name === 'SHOPIFY_STORE_DOMAIN' ? (i.path[1] === 'accessToken' ? 'SHOPIFY_ACCESS_TOKEN' : 'SHOPIFY_STORE_DOMAIN') : `--${name}`;
    return { path, message: i.message };
  });
  throw new ValidationError('demo options', issues);
}

/** The demo's command line and environment, validated: a bad value names the flag and what was expected. */
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { ValidationError } from '@shopsync/core';
import { WAREHOUSES } from './catalog.js';

/** The PostgreSQL schema the demo keeps its tables in (`--database postgres://…`); `--fresh` drops it. */
export const DEMO_SCHEMA = 'shopsync_demo';

/** Where the engine's queue and history live. */
export type DemoDatabase =
  /** A SQLite file (`path`; undefined: shopsync.sqlite in the data directory). */
  | { kind: 'sqlite'; path: string | undefined }
  /** A PostgreSQL database (`url`: postgres://, postgresql:// or socket:), the demo's tables in `schema`. */
  | { kind: 'postgres'; url: string; schema: string };

/** The text of `npm start -- --help`. */
export const USAGE = `Usage: npm start -- [options]

Starts the Shopify simulator (or a real store), a sync engine on SQLite (or PostgreSQL), its HTTP +
SSE source and a page with <shopsync-panel>, then prints the page's URL.

Options:
  --port <n>             port of the page (default: PORT, else a free port)
  --data <dir>           where the engine's SQLite database and the simulator's store live (default demo/data)
  --database <url>       where the queue and the history live: postgres://user@host:5432/database
                         (PostgreSQL, in a schema of the demo's own, ${DEMO_SCHEMA}) or sqlite:<path>
                         (default: shopsync.sqlite in the data directory)
  --fresh                forget the history (the SQLite file, or the schema ${DEMO_SCHEMA}) and the
                         simulator's store before starting
  --products <n>         products in the seeded catalog (default 200; 30 categories; up to 4 variants each)
  --latency <l>          simulator latency: realistic | none (default realistic)
  --iteration-delay <ms> pause between iterations, so a run can be watched (default 400)
  --trickle <ms>         new changes every <ms> (default 6000; 0 for none)
  --api-version <v>      the connector's Shopify API version (default: the latest stable one)
  -h, --help             this text

Environment:
  PORT                   as --port
  DEMO_DATABASE_URL      as --database (which wins), keeping a password off the command line
  SHOPIFY_STORE_DOMAIN   sync to this real store instead of the simulator, with one of:
  SHOPIFY_ACCESS_TOKEN     a fixed Admin API access token (a legacy custom app's), or
  SHOPIFY_CLIENT_ID        the client id and secret of an app made in the Dev Dashboard
  SHOPIFY_CLIENT_SECRET    (the client credentials grant: 24-hour tokens, fetched again in time)
  Credentials stay in the server process: never sent to the page, logged or stored in clear.
  DEMO_IMAGE_BASE_URL    a public http(s) URL at which this demo's /demo-images/ is reachable (a
                         tunnel to --port, say): product images are sent with that address. A real
                         store must download them, so without it products go to a real store
                         without images; the simulator fetches them from the demo itself.
  DEMO_LOCATIONS         with a real store: where the ERP's two warehouses keep their stock, as
                         "mad=<location>,lyon=<location>" (each a location's name or id, as the
                         store shows it). Without it, each variant's stock goes to the store's
                         primary location as one number (the warehouses' sum). The simulator has
                         its own: mad=Madrid warehouse, lyon=Lyon warehouse.`;

const storeDomain = z.string().regex(/^[a-z0-9][a-z0-9-]*\.myshopify\.com$/, 'expected a store domain such as "my-store.myshopify.com"');

const DATABASE_EXPECTED = 'expected a PostgreSQL URL such as "postgres://user@localhost:5432/shopsync", or "sqlite:<path>"';

/**
 * `--database`: a PostgreSQL URL or `sqlite:<path>`. The value is never repeated in a message (a
 * URL may carry a password).
 */
const databaseSchema = z.string().transform((text, ctx): DemoDatabase => {
  if (text.startsWith('sqlite:')) {
    const path = text.slice('sqlite:'.length);
    if (path.trim() !== '') return { kind: 'sqlite', path };
    ctx.addIssue({ code: 'custom', message: 'expected a file after "sqlite:", such as "sqlite:demo/data/shopsync.sqlite"' });
    return z.NEVER;
  }
  if (/^postgres(ql)?:\/\//.test(text)) {
    if (URL.canParse(text)) return { kind: 'postgres', url: text, schema: DEMO_SCHEMA };
    ctx.addIssue({ code: 'custom', message: `${DATABASE_EXPECTED} (this one is not a valid URL: a password with special characters must be percent-encoded)` });
    return z.NEVER;
  }
  if (/^socket:./.test(text)) return { kind: 'postgres', url: text, schema: DEMO_SCHEMA };
  ctx.addIssue({ code: 'custom', message: DATABASE_EXPECTED });
  return z.NEVER;
});

const intFlag = (min: number, max: number) => z.coerce.number({ error: 'expected a number' }).int('expected a whole number').min(min).max(max);

const optionsSchema = z
  .object({
    port: intFlag(0, 65_535).default(0),
    data: z.string().min(1).optional(),
    database: databaseSchema.default({ kind: 'sqlite', path: undefined }),
    fresh: z.boolean().default(false),
    products: intFlag(1, 5_000).default(200),
    latency: z.enum(['realistic', 'none']).default('realistic'),
    iterationDelay: intFlag(0, 60_000).default(400),
    trickle: intFlag(0, 3_600_000).default(6_000),
    apiVersion: z.string().regex(/^\d{4}-(01|04|07|10)$/, 'expected a stable API version such as "2026-10"').optional(),
    imageBaseUrl: z
      .url({ protocol: /^https?$/, error: 'expected an http or https URL such as "https://demo.example.com/demo-images/"' })
      .transform((u) => (u.endsWith('/') ? u : `${u}/`))
      .optional(),
    locations: z
      .record(z.string(), z.string().trim().min(1, 'expected a location name or id after "="').max(255))
      .superRefine((r, ctx) => {
        const known: readonly string[] = WAREHOUSES;
        const unknown = Object.keys(r).filter((w) => !known.includes(w));
        const missing = WAREHOUSES.filter((w) => !(w in r));
        if (unknown.length === 0 && missing.length === 0) return;
        const why = [...unknown.map((w) => `the demo has no warehouse "${w}"`), ...missing.map((w) => `"${w}" is missing`)].join('; ');
        ctx.addIssue({ code: 'custom', message: `expected "${WAREHOUSES.map((w) => `${w}=<location>`).join(',')}" (${why})` });
      })
      .optional(),
    store: z
      .union([
        z.object({ domain: storeDomain, accessToken: z.string().min(1) }).strict(),
        z.object({ domain: storeDomain, clientId: z.string().min(1), clientSecret: z.string().min(1) }).strict(),
      ])
      .optional(),
  })
  .strict();

/** The demo's options, validated, defaults filled in. */
export type DemoOptions = z.output<typeof optionsSchema>;

const FLAGS = { port: 'port', data: 'data', database: 'database', fresh: 'fresh', products: 'products', latency: 'latency', iterationDelay: 'iteration-delay', trickle: 'trickle', apiVersion: 'api-version', imageBaseUrl: 'DEMO_IMAGE_BASE_URL', locations: 'DEMO_LOCATIONS', store: 'SHOPIFY_STORE_DOMAIN' } as const;

/** The options from the command line and the environment; 'help' for --help. Throws a ValidationError naming the flag or variable at fault. */
export function demoOptions(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): DemoOptions | 'help' {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    options: {
      port: { type: 'string' },
      data: { type: 'string' },
      database: { type: 'string' },
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
  const clientId = env['SHOPIFY_CLIENT_ID'];
  const clientSecret = env['SHOPIFY_CLIENT_SECRET'];
  const credentials = [token, clientId, clientSecret].some(Boolean);
  const refuse = (path: string, message: string) => {
    throw new ValidationError('demo environment', [{ path, message }]);
  };
  if (domain && !credentials) refuse('SHOPIFY_ACCESS_TOKEN', 'expected SHOPIFY_ACCESS_TOKEN, or SHOPIFY_CLIENT_ID and SHOPIFY_CLIENT_SECRET, with SHOPIFY_STORE_DOMAIN (a real store)');
  if (!domain && credentials) refuse('SHOPIFY_STORE_DOMAIN', 'expected the store domain with the credentials (a real store), or no credentials at all (the simulator)');
  if (token && (clientId || clientSecret)) refuse('SHOPIFY_ACCESS_TOKEN', 'expected a fixed token or client credentials, not both');
  if (!token && Boolean(clientId) !== Boolean(clientSecret)) refuse(clientId ? 'SHOPIFY_CLIENT_SECRET' : 'SHOPIFY_CLIENT_ID', 'expected both SHOPIFY_CLIENT_ID and SHOPIFY_CLIENT_SECRET');
  const locations = env['DEMO_LOCATIONS'] || undefined;
  if (locations && !domain) refuse('DEMO_LOCATIONS', 'expected DEMO_LOCATIONS only with a real store (SHOPIFY_STORE_DOMAIN): the simulator maps the warehouses to its own locations');
  const databaseFromEnv = values.database === undefined && Boolean(env['DEMO_DATABASE_URL']);
  const input = {
    port: values.port ?? env['PORT'],
    data: values.data,
    database: values.database ?? (env['DEMO_DATABASE_URL'] || undefined),
    fresh: values.fresh,
    products: values.products,
    latency: values.latency,
    iterationDelay: values['iteration-delay'],
    trickle: values.trickle,
    apiVersion: values['api-version'],
    imageBaseUrl: env['DEMO_IMAGE_BASE_URL'] || undefined,
    locations: locations === undefined ? undefined : locationPairs(locations),
    store: !domain ? undefined : token ? { domain, accessToken: token } : { domain, clientId, clientSecret },
  };
  const parsed = optionsSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((i) => {
    const first = String(i.path[0] ?? '');
    const name = first in FLAGS ? FLAGS[first as keyof typeof FLAGS] : first;
    const ENV: Record<string, string> = { accessToken: 'SHOPIFY_ACCESS_TOKEN', clientId: 'SHOPIFY_CLIENT_ID', clientSecret: 'SHOPIFY_CLIENT_SECRET' };
    const path =
      name === 'SHOPIFY_STORE_DOMAIN'
        ? (ENV[String(i.path[1])] ?? 'SHOPIFY_STORE_DOMAIN')
        : name === 'database' && databaseFromEnv
          ? 'DEMO_DATABASE_URL'
          : name.startsWith('DEMO_')
            ? name
            : `--${name}`;
    return { path, message: i.message };
  });
  throw new ValidationError('demo options', issues);
}

/**
 * `mad=Madrid warehouse,lyon=Lyon` as pairs for the schema to check: a pair without "=" is kept
 * whole as a key (the schema names it), a warehouse given twice is refused here.
 */
function locationPairs(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of text.split(',')) {
    const at = pair.indexOf('=');
    const warehouse = (at < 0 ? pair : pair.slice(0, at)).trim();
    if (Object.prototype.hasOwnProperty.call(out, warehouse)) {
      throw new ValidationError('demo environment', [{ path: 'DEMO_LOCATIONS', message: `expected each warehouse once ("${warehouse}" is given twice)` }]);
    }
    out[warehouse] = at < 0 ? '' : pair.slice(at + 1);
  }
  return out;
}

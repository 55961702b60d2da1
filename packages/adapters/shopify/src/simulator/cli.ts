#!/usr/bin/env node
/**
 * `shopsync-simulator`: runs the Shopify Admin API simulator until interrupted.
 * The access token it accepts comes from SHOPSYNC_SIMULATOR_TOKEN (or --token); with --client-id, an
 * app gets tokens by the client credentials grant, its secret from SHOPSYNC_SIMULATOR_CLIENT_SECRET.
 * Neither is ever printed.
 */
import { parseArgs } from 'node:util';
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { ShopsyncError } from '@shopsync/core';
import { PLAN_PRESETS, REALISTIC_LATENCY, type SimulatorOptions } from './options.js';
import { ShopifySimulator } from './server.js';

/** The text `--help` prints. */
export const USAGE = `Usage: shopsync-simulator [options]

A local Shopify Admin GraphQL API on 127.0.0.1: POST /admin/api/{version}/graphql.json
with the X-Shopify-Access-Token header.

Options:
  --port <n>            port to listen on (default 0: any free port)
  --shop-domain <d>     the store's domain (default shopsync-simulator.myshopify.com)
  --plan <p>            standard | advanced | plus | enterprise (default standard)
  --bucket-size <n>     bucket size in points (default: the plan's)
  --restore-rate <n>    points restored per second (default: the plan's)
  --max-query-cost <n>  single-query cost limit (default 1000)
  --latency <l>         realistic | none | <baseMs>,<perMutationMs> (default realistic)
  --state <file>        keep the store in this JSON file across restarts
  --locales <list>      the shop's languages, the first primary: en,es,fr:unpublished
                        (default en); the others take translations
  --token <t>           the access token to accept (prefer SHOPSYNC_SIMULATOR_TOKEN)
  --client-id <id>      a custom app that gets 24-hour tokens by the client credentials grant at
                        POST /admin/oauth/access_token (secret: SHOPSYNC_SIMULATOR_CLIENT_SECRET)
  -h, --help            this text

Environment:
  SHOPSYNC_SIMULATOR_TOKEN          the access token to accept (optional with --client-id)
  SHOPSYNC_SIMULATOR_CLIENT_SECRET  the client secret of the --client-id app`;

/** A command line the CLI cannot run with (exit code 2, the usage printed). */
export class UsageError extends ShopsyncError {
  override name = 'UsageError';
  constructor(message: string) {
    super('usage', message);
  }
}

function int(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n)) throw new UsageError(`--${name}: expected a number, got "${value}"`);
  return n;
}

/** `--locales en,es,fr:unpublished`: the first is primary; `:unpublished` hides one from buyers (it still takes translations). */
function localesOf(value: string): NonNullable<SimulatorOptions['locales']> {
  const items = value.split(',').map((x) => x.trim());
  return items.map((item, i) => {
    const m = /^([A-Za-z0-9-]+)(:unpublished)?$/.exec(item);
    if (!m) throw new UsageError(`--locales: expected comma-separated locale codes such as en,es,fr:unpublished, got "${value}"`);
    if (i === 0 && m[2]) throw new UsageError('--locales: the first locale is the primary one, which is always published.');
    return { locale: m[1]!, primary: i === 0, published: !m[2] };
  });
}

/** Simulator options from the command line and the environment. */
export function optionsFromArgs(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): SimulatorOptions | 'help' {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: {
        port: { type: 'string' },
        'shop-domain': { type: 'string' },
        plan: { type: 'string' },
        'bucket-size': { type: 'string' },
        'restore-rate': { type: 'string' },
        'max-query-cost': { type: 'string' },
        latency: { type: 'string' },
        token: { type: 'string' },
        'client-id': { type: 'string' },
        state: { type: 'string' },
        locales: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    });
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
  const v = parsed.values;
  if (v.help) return 'help';
  const token = v.token ?? env['SHOPSYNC_SIMULATOR_TOKEN'];
  const clientId = v['client-id'];
  if (!token && clientId === undefined) throw new UsageError('No access token: set SHOPSYNC_SIMULATOR_TOKEN (or pass --token), or give an app with --client-id.');
  const options: SimulatorOptions = { accessTokens: token ? [token] : [] };
  if (clientId !== undefined) {
    const clientSecret = env['SHOPSYNC_SIMULATOR_CLIENT_SECRET'];
    if (!clientSecret) throw new UsageError('--client-id: set the app’s secret in SHOPSYNC_SIMULATOR_CLIENT_SECRET.');
    options.apps = [{ clientId, clientSecret, distribution: 'custom', clientCredentials: true }];
  }
  if (v.locales !== undefined) options.locales = localesOf(v.locales);
  const port = int('port', v.port);
  if (port !== undefined) options.port = port;
  if (v.state !== undefined) options.statePath = v.state;
  if (v['shop-domain'] !== undefined) options.shopDomain = v['shop-domain'];
  if (v.plan !== undefined) options.plan = v.plan as NonNullable<SimulatorOptions['plan']>;
  const bucket = int('bucket-size', v['bucket-size']);
  if (bucket !== undefined) options.bucketSize = bucket;
  const restore = int('restore-rate', v['restore-rate']);
  if (restore !== undefined) options.restoreRate = restore;
  const maxCost = int('max-query-cost', v['max-query-cost']);
  if (maxCost !== undefined) options.maxQueryCost = maxCost;
  const latency = v.latency ?? 'realistic';
  if (latency === 'realistic') options.latency = { ...REALISTIC_LATENCY };
  else if (latency === 'none') options.latency = { baseMs: 0, perMutationMs: 0, jitterMs: 0 };
  else {
    const m = /^(\d+(?:\.\d+)?),(\d+(?:\.\d+)?)$/.exec(latency);
    if (!m) throw new UsageError(`--latency: expected realistic, none or <baseMs>,<perMutationMs>, got "${latency}"`);
    options.latency = { baseMs: Number(m[1]), perMutationMs: Number(m[2]), jitterMs: 0 };
  }
  return options;
}

/** Runs the CLI; resolves with the started simulator (or null after --help). */
export async function main(argv: readonly string[], env: Readonly<Record<string, string | undefined>>, out: (line: string) => void): Promise<ShopifySimulator | null> {
  const options = optionsFromArgs(argv, env);
  if (options === 'help') {
    out(USAGE);
    return null;
  }
  const sim = await ShopifySimulator.start(options);
  const c = sim.config;
  out(`Shopify Admin API simulator for ${c.shopDomain} listening on ${sim.url}`);
  out(`GraphQL: ${sim.graphqlUrl('{version}')} (versions served: ${sim.versions.supported.join(', ')})`);
  const preset = PLAN_PRESETS[c.plan];
  for (const app of c.apps) out(`Token endpoint: ${sim.tokenUrl} (client credentials for app ${app.clientId}).`);
  if (c.locales.length > 1) out(`Locales: ${c.locales.map((l) => `${l.locale}${l.primary ? ' (primary)' : l.published ? '' : ' (unpublished)'}`).join(', ')}.`);
  out(`Plan ${c.plan}: bucket ${c.bucketSize ?? preset.bucketSize} points, restoring ${c.restoreRate ?? preset.restoreRate}/s; latency ${c.latency.baseMs} ms + ${c.latency.perMutationMs} ms per mutation.`);
  return sim;
}

/** Runs the CLI as a program: starts the simulator from the command line and stops it on SIGINT/SIGTERM (the `shopsync-simulator` bin). */
export function runAsProgram(): void {
  main(process.argv.slice(2), process.env, (line) => process.stdout.write(`${line}\n`)).then(
    (sim) => {
      if (!sim) return;
      const stop = () => void sim.close().then(() => process.exit(0));
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    },
    (err: unknown) => {
      process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
      if (err instanceof UsageError) process.stderr.write(`\n${USAGE}\n`);
      process.exit(err instanceof UsageError ? 2 : 1);
    },
  );
}

// Run as a program (`node …/simulator-cli.js`), not imported.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) runAsProgram();

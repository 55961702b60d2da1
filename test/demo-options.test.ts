import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { changeBatchSchema, ValidationError } from '@shopsync/core';
import { parseOrThrow } from '@shopsync/core/internal';
import { seededRandom } from '@shopsync/core/testing';
import { demoCatalog, trickle } from '../demo/catalog.js';
import { DEMO_SCHEMA, demoOptions, USAGE } from '../demo/options.js';

describe('demo: options, catalog', () => {
  it('defaults, flags and PORT', () => {
    const o = demoOptions([], { PORT: '8080' });
    assert.ok(o !== 'help');
    assert.equal(o.port, 8080);
    assert.equal(o.products, 200);
    assert.equal(o.store, undefined);
    const p = demoOptions(['--products', '40', '--latency', 'none', '--fresh'], {});
    assert.ok(p !== 'help');
    assert.deepEqual([p.products, p.latency, p.fresh], [40, 'none', true]);
    assert.equal(demoOptions(['--help'], {}), 'help');
  });

  it('a bad value names the flag and what was expected', () => {
    assert.throws(() => demoOptions(['--products', 'many'], {}), (e: unknown) => e instanceof ValidationError && e.issues[0]!.path === '--products' && /number/.test(e.message));
    assert.throws(() => demoOptions(['--latency', 'slow'], {}), /--latency/);
    assert.throws(() => demoOptions(['--api-version', '2026-02'], {}), /--api-version: expected a stable API version/);
    assert.throws(() => demoOptions([], { PORT: '99999' }), /--port/);
  });

  it('--database: SQLite in the data directory by default, sqlite:<path>, or PostgreSQL in the demo’s own schema; DEMO_DATABASE_URL as the flag', () => {
    const o = demoOptions([], {});
    assert.ok(o !== 'help');
    assert.deepEqual(o.database, { kind: 'sqlite', path: undefined });
    const url = 'postgres://shop:s3cret@db.example.com:5432/erp';
    const p = demoOptions(['--database', url, '--fresh'], {});
    assert.ok(p !== 'help');
    assert.deepEqual(p.database, { kind: 'postgres', url, schema: DEMO_SCHEMA });
    assert.equal(DEMO_SCHEMA, 'shopsync_demo');
    for (const other of ['postgresql://localhost/erp', 'socket:/var/run/postgresql?db=erp']) {
      const q = demoOptions(['--database', other], {});
      assert.ok(q !== 'help');
      assert.equal(q.database.kind, 'postgres', other);
    }
    const s = demoOptions(['--database', 'sqlite:/tmp/demo.sqlite'], {});
    assert.ok(s !== 'help');
    assert.deepEqual(s.database, { kind: 'sqlite', path: '/tmp/demo.sqlite' });
    const e = demoOptions([], { DEMO_DATABASE_URL: url });
    assert.ok(e !== 'help');
    assert.deepEqual(e.database, { kind: 'postgres', url, schema: DEMO_SCHEMA });
    const both = demoOptions(['--database', 'sqlite:/tmp/x.sqlite'], { DEMO_DATABASE_URL: url });
    assert.ok(both !== 'help');
    assert.equal(both.database.kind, 'sqlite', 'the flag wins over the variable');
    assert.match(USAGE, /--database <url>/);
    assert.match(USAGE, /DEMO_DATABASE_URL/);
  });

  it('a bad --database names the flag (or the variable) and never repeats the URL, which may hold a password', () => {
    const refused = (argv: string[], env: Record<string, string>, path: string, message: RegExp) =>
      assert.throws(
        () => demoOptions(argv, env),
        (e: unknown) => e instanceof ValidationError && e.issues[0]!.path === path && message.test(e.message) && !e.message.includes('s3cret'),
      );
    refused(['--database', 'mysql://shop:s3cret@db/erp'], {}, '--database', /expected a PostgreSQL URL such as "postgres:\/\/.*or "sqlite:<path>"/);
    refused(['--database', 'postgres://shop:s3cret@db:99999/erp'], {}, '--database', /not a valid URL/);
    refused(['--database', 'sqlite:'], {}, '--database', /expected a file after "sqlite:"/);
    refused(['--database', 'shop:s3cret@localhost'], {}, '--database', /expected a PostgreSQL URL/);
    refused([], { DEMO_DATABASE_URL: 'localhost:5432 s3cret' }, 'DEMO_DATABASE_URL', /expected a PostgreSQL URL/);
  });

  it('a real store needs both variables; the token is never echoed', () => {
    const token = 'shpat_0123456789abcdef0123456789abcdef';
    assert.throws(() => demoOptions([], { SHOPIFY_ACCESS_TOKEN: token }), (e: unknown) => e instanceof Error && /SHOPIFY_STORE_DOMAIN/.test(e.message) && !e.message.includes(token));
    assert.throws(() => demoOptions([], { SHOPIFY_STORE_DOMAIN: 'Not A Domain', SHOPIFY_ACCESS_TOKEN: token }), (e: unknown) => e instanceof Error && /SHOPIFY_STORE_DOMAIN/.test(e.message) && !e.message.includes(token));
    const o = demoOptions([], { SHOPIFY_STORE_DOMAIN: 'my-dev.myshopify.com', SHOPIFY_ACCESS_TOKEN: token });
    assert.ok(o !== 'help');
    assert.equal(o.store?.domain, 'my-dev.myshopify.com');
  });

  it('or client credentials (a Dev Dashboard app): both of id and secret, not with a token; the secret is never echoed', () => {
    const secret = 'shpss_0123456789abcdef0123456789abcdef';
    const domain = 'my-dev.myshopify.com';
    const o = demoOptions([], { SHOPIFY_STORE_DOMAIN: domain, SHOPIFY_CLIENT_ID: 'app-1', SHOPIFY_CLIENT_SECRET: secret });
    assert.ok(o !== 'help');
    assert.deepEqual(o.store, { domain, clientId: 'app-1', clientSecret: secret });
    const refused = (env: Record<string, string>, path: string) =>
      assert.throws(() => demoOptions([], env), (e: unknown) => e instanceof ValidationError && e.issues[0]!.path === path && !e.message.includes(secret));
    refused({ SHOPIFY_STORE_DOMAIN: domain, SHOPIFY_CLIENT_ID: 'app-1' }, 'SHOPIFY_CLIENT_SECRET');
    refused({ SHOPIFY_STORE_DOMAIN: domain, SHOPIFY_CLIENT_SECRET: secret }, 'SHOPIFY_CLIENT_ID');
    refused({ SHOPIFY_STORE_DOMAIN: domain, SHOPIFY_CLIENT_ID: 'app-1', SHOPIFY_CLIENT_SECRET: secret, SHOPIFY_ACCESS_TOKEN: 'shpat_x' }, 'SHOPIFY_ACCESS_TOKEN');
    refused({ SHOPIFY_CLIENT_ID: 'app-1', SHOPIFY_CLIENT_SECRET: secret }, 'SHOPIFY_STORE_DOMAIN');
    refused({ SHOPIFY_STORE_DOMAIN: domain }, 'SHOPIFY_ACCESS_TOKEN');
  });

  it('DEMO_IMAGE_BASE_URL: an http(s) address the images are sent with, ending in "/"; anything else names the variable', () => {
    const o = demoOptions([], { DEMO_IMAGE_BASE_URL: 'https://demo.example.com/demo-images' });
    assert.ok(o !== 'help');
    assert.equal(o.imageBaseUrl, 'https://demo.example.com/demo-images/');
    const unset = demoOptions([], { DEMO_IMAGE_BASE_URL: '' });
    assert.ok(unset !== 'help');
    assert.equal(unset.imageBaseUrl, undefined);
    for (const bad of ['ftp://demo.example.com/', 'demo.example.com/images']) {
      assert.throws(() => demoOptions([], { DEMO_IMAGE_BASE_URL: bad }), (e: unknown) => e instanceof ValidationError && e.issues[0]!.path === 'DEMO_IMAGE_BASE_URL' && /http or https URL/.test(e.message));
    }
  });

  it('DEMO_LOCATIONS: a real store’s locations for the two warehouses (names or ids); anything else names the variable', () => {
    const store = { SHOPIFY_STORE_DOMAIN: 'my-dev.myshopify.com', SHOPIFY_ACCESS_TOKEN: 'shpat_x' };
    const o = demoOptions([], { ...store, DEMO_LOCATIONS: 'mad=Calle Mayor 1, lyon = gid://shopify/Location/7 ' });
    assert.ok(o !== 'help');
    assert.deepEqual(o.locations, { mad: 'Calle Mayor 1', lyon: 'gid://shopify/Location/7' });
    const unset = demoOptions([], { ...store, DEMO_LOCATIONS: '' });
    assert.ok(unset !== 'help');
    assert.equal(unset.locations, undefined, 'without it, stock is one number');
    const refused = (value: string, message: RegExp, env: Record<string, string> = store) =>
      assert.throws(() => demoOptions([], { ...env, DEMO_LOCATIONS: value }), (e: unknown) => e instanceof ValidationError && e.issues[0]!.path === 'DEMO_LOCATIONS' && message.test(e.message));
    refused('mad=Madrid', /"lyon" is missing/);
    refused('mad=Madrid,lyon=Lyon,paris=Paris', /no warehouse "paris"/);
    refused('mad=Madrid,lyon=', /expected a location name or id/);
    refused('mad=Madrid,mad=Getafe,lyon=Lyon', /"mad" is given twice/);
    refused('mad=Madrid,lyon=Lyon', /only with a real store/, {});
  });

  it('the seeded catalog is deterministic, valid for the core, and includes records Shopify refuses', () => {
    const a = demoCatalog(200);
    assert.deepEqual(demoCatalog(200), a);
    const counts = { category: 0, product: 0, variant: 0 };
    for (const c of a.changes) counts[c.entity]++;
    assert.equal(counts.category, 30);
    assert.equal(counts.product, 200);
    assert.ok(counts.variant > 200 && counts.variant < 800, `${counts.variant} variants`);
    assert.ok(a.invalid.length >= 5, `${a.invalid.length} invalid records`);
    parseOrThrow(changeBatchSchema, a.changes, 'changes');
    const rnd = seededRandom(1);
    for (let tick = 1; tick <= 40; tick++) parseOrThrow(changeBatchSchema, trickle(a.changes, rnd, tick), 'changes');
  });
});

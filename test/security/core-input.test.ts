/**
 * Bad input into the engine, generated: any value as a batch of changes, valid batches with one
 * field of one change broken (set to anything, removed, or joined by an unknown key, including
 * `__proto__`), any connector configuration and patch, any query. Never a crash or a hang: the
 * input is taken whole, or refused with a ValidationError whose issues name the field (under
 * the right change) and whose message says them, and nothing is written.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  MemoryStorage,
  SyncEngine,
  ValidationError,
  changeBatchSchema,
  connectorConfigSchema,
  type Change,
  type StorageAdapter,
} from '@shopsync/core';
import { canonicalJson, itemKey } from '@shopsync/core/internal';
import { FakeTarget } from '@shopsync/core/testing';
import { SqliteStorage } from '@shopsync/sqlite';
import { inspect } from 'node:util';
import { within } from './helpers.js';

const SEED = Number(process.env['SHOPSYNC_FC_SEED'] ?? Date.now() % 2 ** 31);
const C = 'store-1';
const connector = { id: C, shopDomain: 'demo.myshopify.com', apiVersion: '2026-07' };

/** Any value as text, for a failure message (BigInts, symbols and cycles included). */
const show = (v: unknown, max: number) => inspect(v, { depth: 4, breakLength: Infinity }).slice(0, max);

// ——— valid changes ———

const refArb = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._-]{0,11}$/);
const textArb = fc.oneof(fc.string({ maxLength: 20 }), fc.dictionary(fc.constantFrom('en', 'es', 'pt-BR'), fc.string({ maxLength: 10 }), { minKeys: 1 }));
const handleArb = fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,15}$/);
const moneyArb = fc.tuple(fc.nat(99_999), fc.nat(99)).map(([a, b]) => `${a}.${String(b).padStart(2, '0')}`);
const categoryArb = fc.record({
  entity: fc.constant('category'),
  op: fc.constant('upsert'),
  ref: refArb,
  data: fc.record({ title: textArb, description: textArb, handle: handleArb, sortOrder: fc.integer() }, { requiredKeys: ['title'] }),
});
const productArb = fc.record({
  entity: fc.constant('product'),
  op: fc.constant('upsert'),
  ref: refArb,
  data: fc.record(
    {
      title: textArb,
      vendor: fc.string({ maxLength: 20 }),
      tags: fc.array(fc.string({ maxLength: 10 }), { maxLength: 4 }),
      status: fc.constantFrom('active', 'draft', 'archived'),
      categoryRefs: fc.array(refArb, { maxLength: 3 }),
      options: fc.array(fc.string({ minLength: 1, maxLength: 8 }), { maxLength: 3 }),
    },
    { requiredKeys: ['title'] },
  ),
});
const variantArb = fc.record({
  entity: fc.constant('variant'),
  op: fc.constant('upsert'),
  ref: refArb,
  parentRef: refArb,
  data: fc.record(
    {
      price: moneyArb,
      compareAtPrice: moneyArb,
      barcode: fc.string({ maxLength: 20 }),
      optionValues: fc.dictionary(fc.string({ minLength: 1, maxLength: 6 }), fc.string({ minLength: 1, maxLength: 6 }), { maxKeys: 3 }),
      stock: fc.integer({ min: -1_000_000_000, max: 1_000_000_000 }),
      weightGrams: fc.double({ min: 0, max: 1e6, noNaN: true }),
    },
    { requiredKeys: ['price'] },
  ),
});
const deleteArb = fc.oneof(
  fc.record({ entity: fc.constantFrom('category', 'product'), op: fc.constant('delete'), ref: refArb }),
  fc.record({ entity: fc.constant('variant'), op: fc.constant('delete'), ref: refArb, parentRef: refArb }, { requiredKeys: ['entity', 'op', 'ref'] }),
);
const changeArb = fc.oneof(categoryArb, productArb, variantArb, deleteArb) as fc.Arbitrary<Change>;

// ——— breaking one field ———

type Path = Array<string | number>;

/** Every node of a JSON-like value, with its path. */
function nodes(value: unknown, path: Path = []): Array<{ path: Path; value: unknown }> {
  const out = [{ path, value }];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...nodes(v, [...path, i])));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) out.push(...nodes(v, [...path, k]));
  return out;
}

/** A copy of `root` with the node at `path` set to `to`, removed, or given an extra key. */
function broken(root: unknown, path: Path, how: 'set' | 'remove' | 'add', to: unknown, key: string): unknown {
  const copy = structuredClone(root) as Record<string | number, unknown>;
  if (path.length === 0) return how === 'set' ? to : copy;
  let parent = copy;
  for (const seg of path.slice(0, -1)) parent = parent[seg] as Record<string | number, unknown>;
  const last = path.at(-1)!;
  if (how === 'set') parent[last] = to;
  else if (how === 'remove') {
    if (Array.isArray(parent)) parent.splice(Number(last), 1);
    else delete parent[last];
  } else {
    const target = parent[last];
    if (target && typeof target === 'object' && !Array.isArray(target)) Object.defineProperty(target, key, { value: to, enumerable: true, writable: true, configurable: true });
    else parent[last] = to;
  }
  return copy;
}

const oddKey = fc.oneof(fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'colour', ''), fc.string({ maxLength: 8 }));
const anyValue = fc.oneof(
  fc.anything({ maxDepth: 2, withNullPrototype: true, withBigInt: true, withDate: true, withMap: true, withSet: true, withTypedArray: true, withSparseArray: true, withBoxedValues: true }),
  fc.constantFrom(undefined, null, NaN, Infinity, -0, '', ' x ', '1,00', '1.001', 'x'.repeat(300), [], {}, () => 1, Symbol('s')),
);

/** A batch of valid changes with one field of one of them broken (which may leave it valid). */
const brokenBatchArb = fc
  .tuple(fc.array(changeArb, { minLength: 1, maxLength: 8 }), fc.nat(), fc.nat(), fc.constantFrom<'set' | 'remove' | 'add'>('set', 'set', 'remove', 'add'), anyValue, oddKey)
  .map(([batch, which, where, how, to, key]) => {
    const index = which % batch.length;
    const all = nodes(batch[index]);
    const { path } = all[where % all.length]!;
    const out: unknown[] = [...batch];
    out[index] = broken(batch[index], path, how, to, key);
    return { batch: out, index };
  });

function assertRefused(err: unknown, root: string, within: string | undefined, what: string): ValidationError {
  assert.ok(err instanceof ValidationError, `${what}: expected a ValidationError, got ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`);
  assert.ok(err.issues.length > 0, `${what}: issues`);
  for (const issue of err.issues) {
    assert.ok(issue.path === root || issue.path.startsWith(`${root}.`) || issue.path.startsWith(`${root}[`), `${what}: ${issue.path} is under ${root}`);
    if (within !== undefined) assert.ok(issue.path === within || issue.path.startsWith(`${within}.`) || issue.path.startsWith(`${within}[`), `${what}: ${issue.path} is in the broken change ${within}`);
    assert.ok(typeof issue.message === 'string' && issue.message.length > 0, `${what}: ${issue.path} says what was expected`);
  }
  for (const issue of err.issues.slice(0, 10)) assert.ok(err.message.includes(`${issue.path}: `), `${what}: the message names ${issue.path}: ${err.message.slice(0, 300)}`);
  return err;
}

async function snapshot(storage: StorageAdapter): Promise<string> {
  return canonicalJson({ pending: await storage.pendingCounts(C), items: await storage.queryItems(C, { offset: 0, limit: 1_000 }) });
}

/** What the queue holds per key after an accepted batch: the last change of each key. */
function lastPerKey(batch: readonly Change[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const c of batch) out.set(itemKey(c.entity, c.ref), canonicalJson(c));
  return out;
}

const storages: Array<{ name: string; open: () => StorageAdapter; runs: number }> = [
  { name: 'memory', open: () => new MemoryStorage(), runs: 400 },
  { name: 'SQLite', open: () => SqliteStorage.open({ path: ':memory:' }), runs: 120 },
];

describe('engine input, generated: taken whole or refused naming the field, nothing half-written', () => {
  for (const { name, open, runs } of storages) {
    it(`enqueue (${name}): any value, and valid batches with one field broken`, async () => {
      const inputArb = fc.oneof(
        { weight: 4, arbitrary: brokenBatchArb },
        { weight: 1, arbitrary: anyValue.map((batch) => ({ batch, index: undefined })) },
        { weight: 1, arbitrary: fc.array(anyValue, { maxLength: 4 }).map((batch) => ({ batch, index: undefined })) },
      );
      await fc.assert(
        fc.asyncProperty(inputArb, fc.array(changeArb, { maxLength: 3 }), async ({ batch, index }, earlier) => {
          const storage = open();
          const engine = new SyncEngine({ connector, target: new FakeTarget(), storage });
          try {
            if (earlier.length) await engine.enqueue(earlier);
            const before = await snapshot(storage);
            const what = `enqueue(${show(batch, 300)})`;
            const result = await within(5_000, what, engine.enqueue(batch).then((r) => ({ ok: r }), (e: unknown) => ({ err: e })));
            const valid = changeBatchSchema.safeParse(batch).success;
            if ('err' in result) {
              assert.ok(!valid, `${what}: a valid batch was refused: ${String(result.err)}`);
              assertRefused(result.err, 'changes', index === undefined ? undefined : `changes[${index}]`, what);
              assert.equal(await snapshot(storage), before, `${what}: nothing written`);
              return;
            }
            assert.ok(valid, `${what}: an invalid batch was taken`);
            // Taken as given: every key's newest change is queued, unaltered.
            const expected = lastPerKey([...earlier, ...(batch as Change[])]);
            const lease = await storage.lease(C, { limit: 100_000, leaseMs: 60_000, now: Date.now() });
            const leased = new Map((lease?.items ?? []).map((e) => [e.key, canonicalJson(e.change)]));
            assert.deepEqual(leased, expected, `${what}: queued as given`);
          } finally {
            await engine.dispose();
            await storage.close();
          }
        }),
        { numRuns: runs, seed: SEED },
      );
    });
  }

  it('enqueue options: anything but { force?: boolean } is refused naming options', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(anyValue, fc.record({ force: anyValue }), fc.dictionary(oddKey, anyValue, { maxKeys: 2 })), async (options) => {
        const storage = new MemoryStorage();
        const engine = new SyncEngine({ connector, target: new FakeTarget(), storage });
        const what = `enqueue(…, ${show(options, 200)})`;
        const r = await engine.enqueue([{ entity: 'product', op: 'upsert', ref: 'P1', data: { title: 'x' } }], options as never).then(
          () => undefined,
          (e: unknown) => e,
        );
        const okShape = options === undefined || (options !== null && typeof options === 'object' && !Array.isArray(options) && Object.keys(options).every((k) => k === 'force') && [undefined, true, false].includes((options as { force?: unknown }).force as boolean));
        if (r === undefined) assert.ok(okShape || (options !== null && typeof options === 'object' && Object.keys(options).length === 0), `${what}: taken`);
        else {
          assertRefused(r, 'options', undefined, what);
          assert.equal((await storage.pendingCounts(C)).products, 0, `${what}: nothing written`);
        }
        await engine.dispose();
      }),
      { numRuns: 200, seed: SEED },
    );
  });

  it('connector configuration and patches: refused naming connector.<field>, the configuration unchanged', async () => {
    const validConfig = fc.record(
      {
        id: fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,20}$/),
        shopDomain: fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,20}\.myshopify\.com$/),
        apiVersion: fc.tuple(fc.integer({ min: 2000, max: 2099 }), fc.integer({ min: 1, max: 12 })).map(([y, m]) => `${y}-${String(m).padStart(2, '0')}`),
        enabled: fc.boolean(),
        disableDeletions: fc.boolean(),
        overwriteStock: fc.boolean(),
        includeEmptyCategories: fc.boolean(),
        language: fc.constantFrom('en', 'es', 'pt-BR', 'zh-Hant'),
        locationId: fc.string({ minLength: 1, maxLength: 10 }),
      },
      { requiredKeys: ['id', 'shopDomain', 'apiVersion'] },
    );
    const brokenConfig = fc.tuple(validConfig, fc.nat(), fc.constantFrom<'set' | 'remove' | 'add'>('set', 'set', 'remove', 'add'), anyValue, oddKey).map(([config, where, how, to, key]) => {
      const all = nodes(config).filter((n) => n.path.length === 1);
      return how === 'add' ? broken({ root: config }, ['root'], 'add', to, key) : broken(config, all[where % all.length]!.path, how, to, key);
    });
    const unwrap = (v: unknown) => (v && typeof v === 'object' && 'root' in v ? (v as { root: unknown }).root : v);

    await fc.assert(
      fc.asyncProperty(fc.oneof(brokenConfig.map(unwrap), anyValue), brokenConfig.map(unwrap), async (input, patchSource) => {
        const what = `connector ${show(input, 200)}`;
        const valid = connectorConfigSchema.safeParse(input).success;
        let engine: SyncEngine | undefined;
        try {
          engine = new SyncEngine({ connector: input as never, target: new FakeTarget() });
        } catch (err) {
          assert.ok(!valid, `${what}: a valid configuration was refused: ${String(err)}`);
          assertRefused(err, 'connector', undefined, what);
          return;
        }
        assert.ok(valid, `${what}: an invalid configuration was taken`);
        // A patch of any of these fields, of any value: taken, or refused with nothing changed.
        const before = canonicalJson(engine.config);
        const patch = patchSource && typeof patchSource === 'object' ? { ...(patchSource as object) } : patchSource;
        if (patch && typeof patch === 'object') delete (patch as Record<string, unknown>)['id'];
        const r = await within(5_000, `updateConfig(${show(patch, 200)})`, engine.updateConfig(patch as never).then(() => undefined, (e: unknown) => e));
        if (r !== undefined) {
          assertRefused(r, 'connector', undefined, `updateConfig ${show(patch, 200)}`);
          assert.equal(canonicalJson(engine.config), before, 'the configuration is unchanged');
        } else assert.ok(connectorConfigSchema.safeParse(engine.config).success);
        await engine.dispose();
      }),
      { numRuns: 300, seed: SEED },
    );
    assert.deepEqual(Object.keys(Object.prototype), [], 'Object.prototype was not polluted');
  });

  it('queries and actions: listEvents, queryItems, retryItems, retryFailed refuse bad input naming it', async () => {
    const storage = new MemoryStorage();
    const engine = new SyncEngine({ connector, target: new FakeTarget({ outcomes: { 'product:P1': { errors: [{ message: 'no' }] } } }), storage });
    await engine.enqueue([{ entity: 'product', op: 'upsert', ref: 'P1', data: { title: 'x' } }]);
    await engine.start();
    const queryish = fc.oneof(
      anyValue,
      fc.record({ ref: anyValue, status: anyValue, entity: anyValue, since: anyValue, offset: anyValue, limit: anyValue }, { requiredKeys: [] }),
      fc.dictionary(oddKey, anyValue, { maxKeys: 3 }),
    );
    const calls: Array<[string, (q: unknown) => Promise<unknown>]> = [
      ['query', (q) => engine.listEvents(q as never)],
      ['query', (q) => engine.queryItems(q as never)],
      ['items', (q) => engine.retryItems(q as never)],
      ['filter', (q) => engine.retryFailed(q as never)],
    ];
    await fc.assert(
      fc.asyncProperty(fc.nat(calls.length - 1), queryish, async (which, q) => {
        const [root, call] = calls[which]!;
        const before = await snapshot(storage);
        const what = `${root} ${show(q, 200)}`;
        const r = await within(5_000, what, call(q).then(() => undefined, (e: unknown) => e));
        if (r !== undefined) {
          assertRefused(r, root, undefined, what);
          assert.equal(await snapshot(storage), before, `${what}: nothing written`);
        }
      }),
      { numRuns: 400, seed: SEED },
    );
    await engine.dispose();
  });
});

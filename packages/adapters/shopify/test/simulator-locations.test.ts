/**
 * The simulator's several locations: the `locations` query (active ones by name, the inactive ones
 * on request, a name search, pages), stock at two locations from productSet and from one
 * inventorySetQuantities, ITEM_NOT_STOCKED_AT_LOCATION, and inventoryActivate at a second
 * location. Every document is checked against Shopify's real schemas first.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, validate } from 'graphql';
import { adminSchema } from '@shopsync/shopify/internal';
import type { ShopifySimulator } from '@shopsync/shopify/simulator';
import { startSim } from './helpers.js';
import { defaultVariant, errorCodes, payload, post, realSchemaProblems, titleOption } from './sim-helpers.js';

const DOCS = {
  locations: `query($first: Int!, $after: String, $query: String, $inactive: Boolean, $sortKey: LocationSortKeys, $reverse: Boolean) {
    locations(first: $first, after: $after, query: $query, includeInactive: $inactive, sortKey: $sortKey, reverse: $reverse) {
      nodes { id name isActive }
      edges { cursor node { id name } }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    }
  }`,
  location: 'query($id: ID!) { location(id: $id) { id name isActive } }',
  productSet: `mutation($input: ProductSetInput!) { productSet(input: $input) {
    product { id variants(first: 5) { nodes { sku inventoryItem { id inventoryLevels(first: 10) { nodes { location { id name } quantities(names: ["available"]) { name quantity } } pageInfo { hasNextPage } } } } } }
    userErrors { code field message }
  } }`,
  setQuantities: `mutation($i: InventorySetQuantitiesInput!) { inventorySetQuantities(input: $i) {
    inventoryAdjustmentGroup { reason changes { name delta quantityAfterChange location { id } } }
    userErrors { code field message }
  } }`,
  activate: 'mutation($item: ID!, $location: ID!, $available: Int) { inventoryActivate(inventoryItemId: $item, locationId: $location, available: $available) { inventoryLevel { location { id } quantities(names: ["available"]) { quantity } } userErrors { field message } } }',
  levels: 'query($item: ID!, $location: ID!) { location(id: $location) { inventoryLevel(inventoryItemId: $item) { quantities(names: ["available", "on_hand"]) { name quantity } } } }',
};

interface LocationsPage {
  nodes: Array<{ id: string; name: string; isActive: boolean }>;
  edges: Array<{ cursor: string; node: { id: string; name: string } }>;
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}
interface SetPayload {
  inventoryAdjustmentGroup: { reason: string; changes: Array<{ name: string; delta: number; quantityAfterChange: number; location: { id: string } }> } | null;
  userErrors: Array<{ code: string; field: string[]; message: string }>;
}

describe('simulator: several locations', () => {
  let sim: ShopifySimulator;
  let main: string, annex: string, berlin: string, closed: string;
  before(async () => {
    sim = await startSim({
      locations: [
        { name: 'Main warehouse', active: true },
        { name: 'Annex', active: true },
        { name: 'Closed shop', active: false },
        { name: 'Berlin depot', active: true },
      ],
    });
    main = sim.primaryLocationId;
    annex = sim.locationByName('Annex')!.id;
    closed = sim.locationByName('Closed shop')!.id;
    berlin = sim.locationByName('Berlin depot')!.id;
  });
  after(async () => {
    await sim.close();
  });

  const locations = async (vars: Record<string, unknown>) => (await post(sim, DOCS.locations, { first: 10, ...vars })).body.data!['locations'] as LocationsPage;
  const setQuantities = async (quantities: unknown[]) => payload<SetPayload>(await post(sim, DOCS.setQuantities, { i: { name: 'available', reason: 'correction', ignoreCompareQuantity: true, quantities } }), 'inventorySetQuantities');
  const newProduct = async (sku: string, quantities: Array<{ locationId: string; quantity: number }>) =>
    post(sim, DOCS.productSet, { input: { title: sku, productOptions: titleOption, variants: [{ ...defaultVariant, inventoryItem: { sku }, inventoryQuantities: quantities.map((q) => ({ ...q, name: 'available' })) }] } });

  it("every document is valid against Shopify's real 2025-01, 2026-01 and 2026-04 schemas, and against the simulator's", (t) => {
    for (const gate of ['2025-01', '2026-01', '2026-04']) {
      for (const [name, doc] of Object.entries(DOCS)) assert.deepEqual(validate(adminSchema(gate), parse(doc)).map((e) => e.message), [], `${gate} ${name}`);
    }
    const problems = realSchemaProblems(t, DOCS);
    if (problems) assert.deepEqual(problems, []);
  });

  it('locations: the active ones sorted by name (the default sort key); the inactive ones with includeInactive', async () => {
    const active = await locations({});
    assert.deepEqual(active.nodes.map((l) => [l.name, l.isActive]), [
      ['Annex', true],
      ['Berlin depot', true],
      ['Main warehouse', true],
    ]);
    assert.deepEqual(active.edges.map((e) => e.node.id), [annex, berlin, main]);
    const all = await locations({ inactive: true });
    assert.deepEqual(all.nodes.map((l) => l.name), ['Annex', 'Berlin depot', 'Closed shop', 'Main warehouse']);
    const byId = await locations({ inactive: true, sortKey: 'ID' });
    assert.deepEqual(byId.nodes.map((l) => l.id), [main, annex, closed, berlin]);
    const reversed = await locations({ sortKey: 'ID', reverse: true });
    assert.deepEqual(reversed.nodes.map((l) => l.id), [berlin, annex, main]);
  });

  it('locations: a name search, and pages by first and after', async () => {
    assert.deepEqual((await locations({ query: 'name:"berlin depot"' })).nodes.map((l) => l.id), [berlin]);
    assert.deepEqual((await locations({ query: 'name:Annex OR name:"Closed shop"', inactive: true })).nodes.map((l) => l.name), ['Annex', 'Closed shop']);
    assert.deepEqual(errorCodes(await post(sim, DOCS.locations, { first: 5, query: 'not a search' })), ['BAD_REQUEST']);
    const page1 = await locations({ first: 2 });
    assert.deepEqual([page1.nodes.map((l) => l.name), page1.pageInfo.hasNextPage, page1.pageInfo.hasPreviousPage], [['Annex', 'Berlin depot'], true, false]);
    assert.equal(page1.edges[1]!.cursor, page1.pageInfo.endCursor);
    const page2 = await locations({ first: 2, after: page1.pageInfo.endCursor });
    assert.deepEqual([page2.nodes.map((l) => l.name), page2.pageInfo.hasNextPage, page2.pageInfo.hasPreviousPage], [['Main warehouse'], false, true]);
    assert.deepEqual(errorCodes(await post(sim, 'query { locations { nodes { id } } }')), ['BAD_REQUEST'], 'first is required');
  });

  it('productSet of a new product with inventoryQuantities at two locations: stocked at both, read back by inventoryLevels', async () => {
    const r = await newProduct('TWO-LOC', [
      { locationId: main, quantity: 5 },
      { locationId: annex, quantity: 7 },
    ]);
    const p = payload<{ product: { variants: { nodes: Array<{ inventoryItem: { inventoryLevels: { nodes: Array<{ location: { id: string; name: string }; quantities: Array<{ quantity: number }> }> } } }> } }; userErrors: unknown[] }>(r, 'productSet');
    assert.deepEqual(p.userErrors, []);
    const levels = p.product.variants.nodes[0]!.inventoryItem.inventoryLevels.nodes;
    assert.deepEqual(levels.map((l) => [l.location.name, l.quantities[0]!.quantity]), [
      ['Main warehouse', 5],
      ['Annex', 7],
    ]);
    assert.deepEqual(sim.product({ sku: 'TWO-LOC' })!.variants[0]!.stock, { [main]: 5, [annex]: 7 });
    assert.equal(sim.stock('TWO-LOC', annex), 7);
    assert.equal(sim.stock('TWO-LOC', berlin), undefined, 'not stocked there');
  });

  it('one inventorySetQuantities sets two locations; a location the item is not stocked at is ITEM_NOT_STOCKED_AT_LOCATION and nothing changes', async () => {
    await newProduct('SET-TWO', [
      { locationId: main, quantity: 1 },
      { locationId: annex, quantity: 1 },
    ]);
    const item = sim.product({ sku: 'SET-TWO' })!.variants[0]!.inventoryItemId;
    const both = await setQuantities([
      { inventoryItemId: item, locationId: main, quantity: 10 },
      { inventoryItemId: item, locationId: annex, quantity: 20 },
    ]);
    assert.deepEqual(both.userErrors, []);
    assert.deepEqual(both.inventoryAdjustmentGroup!.changes.map((c) => [c.location.id, c.delta, c.quantityAfterChange]), [
      [main, 9, 10],
      [annex, 19, 20],
    ]);
    assert.deepEqual([sim.stock('SET-TWO', main), sim.stock('SET-TWO', annex)], [10, 20]);
    const notStocked = await setQuantities([
      { inventoryItemId: item, locationId: main, quantity: 11 },
      { inventoryItemId: item, locationId: berlin, quantity: 3 },
    ]);
    assert.deepEqual([notStocked.inventoryAdjustmentGroup, notStocked.userErrors.map((e) => [e.code, e.field])], [null, [['ITEM_NOT_STOCKED_AT_LOCATION', ['input', 'quantities', '1', 'locationId']]]]);
    assert.deepEqual([sim.stock('SET-TWO', main), sim.stock('SET-TWO', berlin)], [10, undefined], 'all or nothing');
  });

  it('inventoryActivate stocks an item at a second location (then it takes quantities there); an inactive location is refused', async () => {
    await newProduct('ACTIVATE', [{ locationId: main, quantity: 2 }]);
    const item = sim.product({ sku: 'ACTIVATE' })!.variants[0]!.inventoryItemId;
    const activate = async (location: string, available?: number) =>
      payload<{ inventoryLevel: { location: { id: string }; quantities: Array<{ quantity: number }> } | null; userErrors: Array<{ field: string[] }> }>(await post(sim, DOCS.activate, { item, location, available }), 'inventoryActivate');
    const before = await post(sim, DOCS.levels, { item, location: berlin });
    assert.deepEqual(before.body.data, { location: { inventoryLevel: null } });
    const r = await activate(berlin, 4);
    assert.deepEqual(r, { inventoryLevel: { location: { id: berlin }, quantities: [{ quantity: 4 }] }, userErrors: [] });
    assert.equal(sim.stock('ACTIVATE', berlin), 4);
    assert.deepEqual((await setQuantities([{ inventoryItemId: item, locationId: berlin, quantity: 9 }])).userErrors, []);
    const after = await post(sim, DOCS.levels, { item, location: berlin });
    assert.deepEqual(after.body.data, { location: { inventoryLevel: { quantities: [{ name: 'available', quantity: 9 }, { name: 'on_hand', quantity: 9 }] } } });
    // Activating again keeps the quantity; an inactive location cannot stock anything.
    assert.deepEqual((await activate(berlin)).inventoryLevel!.quantities, [{ quantity: 9 }]);
    assert.deepEqual((await activate(closed)).userErrors.map((e) => e.field), [['locationId']]);
    assert.equal(sim.stock('ACTIVATE', closed), undefined);
    assert.deepEqual((await post(sim, DOCS.location, { id: closed })).body.data, { location: { id: closed, name: 'Closed shop', isActive: false } });
  });
});

describe('simulator: locations of a store kept in a file', () => {
  it('a store read from its file keeps its locations and gains those the options add (by name)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'shopsync-sim-locations-'));
    const statePath = join(dir, 'store.json');
    try {
      const first = await startSim({ statePath, locations: [{ name: 'Main warehouse', active: true }] });
      const main = first.locationByName('Main warehouse')!.id;
      await first.close();
      const again = await startSim({ statePath, locations: [{ name: 'Main warehouse', active: true }, { name: 'Lyon warehouse', active: true }] });
      try {
        assert.equal(again.locationByName('Main warehouse')?.id, main, 'the same location, the same id');
        assert.equal(again.primaryLocationId, main, 'still the primary one');
        const lyon = again.locationByName('Lyon warehouse');
        assert.ok(lyon && lyon.id !== main && lyon.isActive);
      } finally {
        await again.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

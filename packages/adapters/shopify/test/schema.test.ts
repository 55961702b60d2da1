import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  buildSchema,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isNonNullType,
  isObjectType,
  isScalarType,
  isSpecifiedScalarType,
  isUnionType,
  parse,
  validate,
  type GraphQLInputObjectType,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLSchema,
} from 'graphql';
import { adminSchema, buildDocument, featuresOf, opCost, productSetOp, requestedCost } from '@shopsync/shopify/internal';
import { adminSdl } from '../src/schema/sdl.js';
import { documentSamples } from '../src/documents/samples.js';
import { SCHEMA_GATES } from '../src/version.js';
import { category, engineFor, product, realSchema, remove, startSim, targetFor, variant } from './helpers.js';
import { realSchemaOf } from './sim-helpers.js';

/** Everything in `ours` that is not in `real`, or differs from it: empty when ours is a subset. */
function subsetProblems(ours: GraphQLSchema, real: GraphQLSchema): string[] {
  const problems: string[] = [];
  const rootName = (s: GraphQLSchema, k: 'query' | 'mutation') => (k === 'query' ? s.getQueryType() : s.getMutationType())?.name;
  for (const k of ['query', 'mutation'] as const) if (rootName(ours, k) !== rootName(real, k)) problems.push(`${k} root is ${rootName(ours, k)}, Shopify's is ${rootName(real, k)}`);
  for (const d of ours.getDirectives()) if (!real.getDirective(d.name)) problems.push(`directive @${d.name} is not in Shopify's schema`);
  for (const type of Object.values(ours.getTypeMap()) as GraphQLNamedType[]) {
    if (type.name.startsWith('__') || isSpecifiedScalarType(type)) continue;
    const theirs = real.getType(type.name);
    if (!theirs) {
      problems.push(`type ${type.name} does not exist`);
      continue;
    }
    if (theirs.constructor !== type.constructor) {
      problems.push(`${type.name} is a ${type.constructor.name}, Shopify's is a ${theirs.constructor.name}`);
      continue;
    }
    if (isObjectType(type) || isInterfaceType(type)) {
      const theirInterfaces = new Set((theirs as typeof type).getInterfaces().map((i) => i.name));
      for (const i of type.getInterfaces()) if (!theirInterfaces.has(i.name)) problems.push(`${type.name} implements ${i.name}, Shopify's does not`);
      const real = (theirs as typeof type).getFields();
      for (const f of Object.values(type.getFields())) {
        const r = real[f.name];
        if (!r) {
          problems.push(`${type.name}.${f.name} does not exist`);
          continue;
        }
        if (String(r.type) !== String(f.type)) problems.push(`${type.name}.${f.name} is ${String(f.type)}, Shopify's is ${String(r.type)}`);
        if (f.deprecationReason && !r.deprecationReason) problems.push(`${type.name}.${f.name} is deprecated here but not in Shopify's schema`);
        else if (r.deprecationReason && !f.deprecationReason) problems.push(`${type.name}.${f.name} is deprecated in Shopify's schema ("${r.deprecationReason}"), not here`);
        else if (f.deprecationReason && f.deprecationReason !== r.deprecationReason) problems.push(`${type.name}.${f.name} is deprecated for "${f.deprecationReason}", Shopify's for "${r.deprecationReason}"`);
        for (const a of f.args) {
          const ra = r.args.find((x) => x.name === a.name);
          if (!ra) problems.push(`${type.name}.${f.name}(${a.name}:) does not exist`);
          else if (String(ra.type) !== String(a.type)) problems.push(`${type.name}.${f.name}(${a.name}:) is ${String(a.type)}, Shopify's is ${String(ra.type)}`);
          else if (JSON.stringify(ra.defaultValue) !== JSON.stringify(a.defaultValue)) problems.push(`${type.name}.${f.name}(${a.name}:) defaults to ${JSON.stringify(a.defaultValue)}, Shopify's to ${JSON.stringify(ra.defaultValue)}`);
        }
        for (const ra of r.args) {
          if (isNonNullType(ra.type) && ra.defaultValue === undefined && !f.args.some((a) => a.name === ra.name)) problems.push(`${type.name}.${f.name} lacks Shopify's required argument ${ra.name}`);
        }
      }
    } else if (isInputObjectType(type)) {
      const real = (theirs as typeof type).getFields();
      for (const f of Object.values(type.getFields())) {
        const r = real[f.name];
        if (!r) problems.push(`${type.name}.${f.name} does not exist`);
        else if (String(r.type) !== String(f.type)) problems.push(`${type.name}.${f.name} is ${String(f.type)}, Shopify's is ${String(r.type)}`);
        else if (JSON.stringify(r.defaultValue) !== JSON.stringify(f.defaultValue)) problems.push(`${type.name}.${f.name} defaults to ${JSON.stringify(f.defaultValue)}, Shopify's to ${JSON.stringify(r.defaultValue)}`);
        else if (f.deprecationReason && f.deprecationReason !== r.deprecationReason) {
          problems.push(`${type.name}.${f.name} is deprecated for "${f.deprecationReason}", Shopify's ${r.deprecationReason ? `for "${r.deprecationReason}"` : 'is not'}`);
        }
      }
      for (const r of Object.values(real)) {
        if (isNonNullType(r.type) && r.defaultValue === undefined && !type.getFields()[r.name]) problems.push(`${type.name} lacks Shopify's required field ${r.name}`);
      }
    } else if (isEnumType(type)) {
      const values = new Map((theirs as typeof type).getValues().map((v) => [v.name, v]));
      for (const v of type.getValues()) {
        const r = values.get(v.name);
        if (!r) problems.push(`${type.name}.${v.name} does not exist`);
        else if (r.deprecationReason && !v.deprecationReason) problems.push(`${type.name}.${v.name} is deprecated in Shopify's schema, not here`);
      }
    } else if (isUnionType(type)) {
      const members = new Set((theirs as typeof type).getTypes().map((t) => t.name));
      for (const m of type.getTypes()) if (!members.has(m.name)) problems.push(`${type.name} has no member ${m.name}`);
    } else if (!isScalarType(type)) problems.push(`${(type as GraphQLNamedType).name}: unexpected kind`);
  }
  return problems;
}

describe("the simulator's schema is Shopify's", () => {
  it('the 2025-01 schema subset is part of the real 2025-01 Admin schema', (t) => {
    const real = realSchema(t);
    if (!real) return;
    const ours = adminSchema('2025-01');
    assert.deepEqual(subsetProblems(ours, real), []);
    // The check itself can fail: a field Shopify does not have, or a type that differs, is caught.
    const drifted = buildSchema(adminSdl('2025-01').replace('  vendor: String!\n', '  vendor: String!\n  vendorCode: String!\n').replace('  barcode: String\n  position', '  barcode: Int\n  position'));
    const problems = subsetProblems(drifted, real);
    assert.ok(problems.includes('Product.vendorCode does not exist'), problems.join('\n'));
    assert.ok(problems.includes("ProductVariant.barcode is Int, Shopify's is String"), problems.join('\n'));
  });

  for (const gate of SCHEMA_GATES.filter((g) => g !== '2025-01')) {
    it(`the ${gate} schema subset is part of the real ${gate} Admin schema`, (t) => {
      const real = realSchemaOf(t, gate);
      if (!real) return;
      assert.deepEqual(subsetProblems(adminSchema(gate), real), []);
    });
  }

  it('productSet carries collections and productVariantsBulkUpdate exists in every gate; productSet(identifier:) from 2026-01, where ProductSetInput.id is deprecated', (t) => {
    for (const gate of SCHEMA_GATES) {
      const ours = adminSchema(gate);
      const input = ours.getType('ProductSetInput') as GraphQLInputObjectType;
      assert.equal(String(input.getFields()['collections']?.type), '[ID!]', gate);
      const mutations = ours.getMutationType()!.getFields();
      assert.deepEqual(mutations['productVariantsBulkUpdate']!.args.map((a) => `${a.name}: ${String(a.type)}`), ['productId: ID!', 'variants: [ProductVariantsBulkInput!]!', 'allowPartialUpdates: Boolean'], gate);
      const identifier = featuresOf(gate).productSetIdentifier;
      assert.equal(mutations['productSet']!.args.some((a) => a.name === 'identifier'), identifier, gate);
      assert.equal(input.getFields()['id']!.deprecationReason !== undefined, identifier, gate);
    }
    // The real schemas agree: no identifier in 2025-01; in 2026-01 and 2026-04, with ProductSetInput.id deprecated.
    for (const version of SCHEMA_GATES) {
      const real = realSchemaOf(t, version);
      if (!real) return;
      const realHas = real.getMutationType()!.getFields()['productSet']!.args.some((a) => a.name === 'identifier');
      assert.equal(realHas, featuresOf(version).productSetIdentifier, version);
      assert.equal((real.getType('ProductSetInput') as GraphQLInputObjectType).getFields()['id']!.deprecationReason !== undefined, realHas, version);
    }
  });

  it('the subset check catches what the new parts could get wrong', (t) => {
    const jan = realSchemaOf(t, '2026-01');
    const old = realSchemaOf(t, '2025-01');
    if (!jan || !old) return;
    // A deprecation reason that is not Shopify's; an enum value a version does not have.
    const reworded = buildSchema(adminSdl('2026-01').replace("Use `identifier` instead to get the product's ID", 'Use identifier.'));
    assert.deepEqual(subsetProblems(reworded, jan), [`ProductSetInput.id is deprecated for "Use identifier.", Shopify's for "Use \`identifier\` instead to get the product's ID"`]);
    const early = buildSchema(adminSdl('2025-01').replace('  INVALID_METAFIELD\n', '  INVALID_METAFIELD\n  ID_NOT_ALLOWED\n'));
    assert.deepEqual(subsetProblems(early, old), ['ProductSetUserErrorCode.ID_NOT_ALLOWED does not exist']);
    const defaulted = buildSchema(adminSdl('2025-01').replace('allowPartialUpdates: Boolean = false', 'allowPartialUpdates: Boolean = true'));
    assert.deepEqual(subsetProblems(defaulted, old), ["Mutation.productVariantsBulkUpdate(allowPartialUpdates:) defaults to true, Shopify's to false"]);
  });

  it('the subset check catches what the catalog parts (media, metafields, publications) could get wrong', (t) => {
    const old = realSchemaOf(t, '2025-01');
    const april = realSchemaOf(t, '2026-04');
    if (!old || !april) return;
    // An interface Shopify's type does not implement (and the fields that come with it).
    const implementing = buildSchema(
      adminSdl('2026-04').replace(
        'type AppCatalog implements Catalog {\n',
        'type AppCatalog implements Catalog & HasMetafields {\n  metafield(namespace: String, key: String!): Metafield\n  metafields(namespace: String, keys: [String!], first: Int, after: String): MetafieldConnection!\n',
      ),
    );
    assert.deepEqual(subsetProblems(implementing, april), ["AppCatalog implements HasMetafields, Shopify's does not", 'AppCatalog.metafield does not exist', 'AppCatalog.metafields does not exist']);
    // A field Shopify deprecated, used as if it were not (Publication.name: use catalog { title }).
    const deprecated = buildSchema(adminSdl('2026-04').replace('type Publication {\n', 'type Publication {\n  name: String!\n'));
    assert.deepEqual(subsetProblems(deprecated, april), ['Publication.name is deprecated in Shopify\'s schema ("Use [Catalog.title](https://shopify.dev/api/admin-graphql/unstable/interfaces/Catalog#field-catalog-title) instead."), not here']);
    // Defaults that are not Shopify's; an enum value of a later version.
    const drifted = buildSchema(
      adminSdl('2025-01')
        .replace('duplicateResolutionMode: FileCreateInputDuplicateResolutionMode = APPEND_UUID', 'duplicateResolutionMode: FileCreateInputDuplicateResolutionMode = REPLACE')
        .replaceAll('resourcePublications(onlyPublished: Boolean = true', 'resourcePublications(onlyPublished: Boolean = false')
        .replace('  INVALID_TYPE\n', '  INVALID_TYPE\n  INVALID\n'),
    );
    assert.deepEqual(subsetProblems(drifted, old).sort(), [
      'FileSetInput.duplicateResolutionMode defaults to "REPLACE", Shopify\'s to "APPEND_UUID"',
      'MetafieldsSetUserErrorCode.INVALID does not exist',
      "Product.resourcePublications(onlyPublished:) defaults to false, Shopify's to true",
      "Publishable.resourcePublications(onlyPublished:) defaults to false, Shopify's to true",
    ]);
  });

  it('files, media, metafields, SEO, category and publications are in every gate, alike', () => {
    const shapes = SCHEMA_GATES.map((gate) => {
      const ours = adminSchema(gate);
      const field = (type: string, name: string) => {
        const f = (ours.getType(type) as GraphQLObjectType | GraphQLInputObjectType).getFields()[name];
        return f ? `${type}.${name}: ${String(f.type)}` : `${type}.${name} missing`;
      };
      return [
        field('QueryRoot', 'files'),
        field('QueryRoot', 'publications'),
        field('QueryRoot', 'taxonomy'),
        field('Mutation', 'metafieldsSet'),
        field('Mutation', 'metafieldsDelete'),
        field('Mutation', 'publishablePublish'),
        field('Mutation', 'publishableUnpublish'),
        field('ProductSetInput', 'files'),
        field('ProductSetInput', 'seo'),
        field('ProductSetInput', 'category'),
        field('ProductVariantSetInput', 'file'),
        field('ProductVariantSetInput', 'metafields'),
        field('Product', 'media'),
        field('Product', 'metafields'),
        field('ProductVariant', 'media'),
        field('ProductVariant', 'metafields'),
      ];
    });
    for (const s of shapes) assert.deepEqual(s, shapes[0]);
    assert.ok(shapes[0]!.every((line) => !line.endsWith('missing')), shapes[0]!.join('\n'));
  });

  it('every document the adapter can send for 2025-01 validates against the real schema', (t) => {
    const real = realSchema(t);
    if (!real) return;
    const samples = documentSamples('2025-01');
    assert.ok(samples.length >= 17);
    for (const s of samples) assert.deepEqual(validate(real, parse(s.query)).map((e) => e.message), [], `${s.name}:\n${s.query}`);
  });

  it('the documents a real sync sends (batched, aliased) validate against the real schema', async (t) => {
    const real = realSchema(t);
    if (!real) return;
    const sim = await startSim({ recordQueries: true, versions: { supported: ['2025-01'] } });
    try {
      const { engine } = engineFor(sim, targetFor(sim), { includeEmptyCategories: true, overwriteStock: true }, { batchSize: 500 });
      const catalog = [category('C1', 'Shoes', { handle: 'shoes' }), category('C2'), category('C3')];
      for (let p = 0; p < 30; p++) {
        catalog.push(product(`P${p}`, { categoryRefs: [`C${(p % 2) + 1}`], handle: `p-${p}`, options: ['Size'] }));
        for (const size of ['S', 'M']) catalog.push(variant(`P${p}-${size}`, `P${p}`, { optionValues: { Size: size }, stock: 3, weightGrams: 100 }));
      }
      await engine.enqueue(catalog);
      assert.equal((await engine.start()).status, 'completed');
      await engine.enqueue([product('P0', { categoryRefs: ['C3'] }), variant('P1-S', 'P1', { optionValues: { Size: 'S' }, stock: 9 }), remove('variant', 'P2-M'), remove('product', 'P3'), remove('category', 'C2')]);
      assert.equal((await engine.start()).status, 'completed');
      const sent = sim.requests.filter((r) => r.query !== undefined);
      const fields = new Set(sent.flatMap((r) => r.fields));
      for (const f of ['shop', 'collections', 'collectionCreate', 'productVariants', 'productByIdentifier', 'productSet', 'collectionAddProducts', 'collectionRemoveProducts', 'inventorySetQuantities', 'productUpdate', 'collectionDelete']) {
        assert.ok(fields.has(f), `a sync sends ${f}`);
      }
      assert.ok(sent.some((r) => r.mutations > 1), 'several mutations share a request');
      for (const r of sent) assert.deepEqual(validate(real, parse(r.query!)).map((e) => e.message), [], r.query);
    } finally {
      await sim.close();
    }
  });

  it('documents of every version validate against the simulator schema of that version', () => {
    for (const version of [...SCHEMA_GATES, '2026-07', '2026-10']) {
      const schema = adminSchema(version);
      for (const s of documentSamples(version)) assert.deepEqual(validate(schema, parse(s.query)).map((e) => e.message), [], `${version} ${s.name}`);
    }
  });

  it('fields newer than 2025-01 are used only from the version that has them', () => {
    const inventory = (v: string) => documentSamples(v).find((s) => s.name === 'mutation:inventorySetQuantities')!;
    const old = inventory('2025-01');
    assert.doesNotMatch(old.query, /@idempotent/);
    assert.match(JSON.stringify(old.variables), /"ignoreCompareQuantity":true/);
    assert.doesNotMatch(JSON.stringify(old.variables), /changeFromQuantity/);
    const jan = inventory('2026-01');
    assert.match(jan.query, /@idempotent\(key: \$a0_idempotent_key\)/);
    const now = inventory('2026-07');
    assert.match(now.query, /@idempotent/);
    assert.match(JSON.stringify(now.variables), /"changeFromQuantity":null/);
    assert.doesNotMatch(JSON.stringify(now.variables), /ignoreCompareQuantity/);
    // And the older schema refuses the newer document: the gate is real.
    assert.ok(validate(adminSchema('2025-01'), parse(now.query)).length > 0);
  });

  it("a batched document costs the sum of its operations, by Shopify's rule", () => {
    const op = productSetOp(featuresOf('2025-01'), { input: { title: 'x', productOptions: [], variants: [] }, readVariants: 3 });
    // 10 for the mutation + product 1 + variants connection (2 + 3 × (variant 1 + inventoryItem 1)) + userErrors 1.
    assert.equal(opCost(op, '2025-01'), 20);
    const doc = buildDocument([op, op, op]);
    assert.equal(requestedCost(adminSchema('2025-01'), parse(doc.query), doc.variables), 60);
  });
});

/**
 * Shopify's limit on input arrays: at most 250 items (MAX_INPUT_ARRAY) in any list a request
 * gives, in its variables or in the document's literals; a longer one refuses the whole request
 * (MAX_INPUT_SIZE_EXCEEDED). Lists bounded otherwise are exempt (EXEMPT_LISTS).
 */
import {
  getNamedType,
  getNullableType,
  isInputObjectType,
  isListType,
  Kind,
  typeFromAST,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type GraphQLInputType,
  type GraphQLSchema,
  type ListValueNode,
  type OperationDefinitionNode,
} from 'graphql';
import { MAX_INPUT_ARRAY } from '../version.js';

/**
 * Input lists bounded by something other than the 250-item rule: productSet's `variants` by the
 * product's variant limit (2,048 from 2025-10: "create or update a maximum of 2,048 product
 * variants in a single operation", productSet reference), which its resolver enforces
 * (VARIANTS_OVER_LIMIT); and so its options' `values` (OptionSetInput is productSet's only), which
 * must name every value those variants use. Their items' own lists keep the rule.
 */
const EXEMPT_LISTS: ReadonlyMap<string, ReadonlySet<string>> = new Map([
  ['ProductSetInput', new Set(['variants'])],
  ['OptionSetInput', new Set(['values'])],
]);

function exempt(parent: GraphQLInputType | null | undefined, field: string): boolean {
  const named = parent ? getNamedType(parent) : undefined;
  return !!named && EXEMPT_LISTS.get(named.name)?.has(field) === true;
}

/** The first input array over Shopify's limit, in the variables or the document's literals. */
export function arrayOverLimit(schema: GraphQLSchema, variables: Record<string, unknown>, operation: OperationDefinitionNode, document: DocumentNode): { size: number; path: string[] } | undefined {
  const walk = (v: unknown, type: GraphQLInputType | undefined, path: string[], unbounded = false): { size: number; path: string[] } | undefined => {
    const t = type ? getNullableType(type) : undefined;
    if (Array.isArray(v)) {
      if (v.length > MAX_INPUT_ARRAY && !unbounded) return { size: v.length, path };
      const item = t && isListType(t) ? (t.ofType as GraphQLInputType) : undefined;
      for (let i = 0; i < v.length; i++) {
        const r = walk(v[i], item, [...path, String(i)]);
        if (r) return r;
      }
    } else if (v && typeof v === 'object') {
      const fields = t && isInputObjectType(t) ? t.getFields() : undefined;
      for (const [k, x] of Object.entries(v)) {
        const r = walk(x, fields?.[k]?.type, [...path, k], !!t && exempt(t as GraphQLInputType, k));
        if (r) return r;
      }
    }
    return undefined;
  };
  for (const def of operation.variableDefinitions ?? []) {
    const type = typeFromAST(schema, def.type) as GraphQLInputType | undefined;
    const r = walk(variables[def.variable.name.value], type, [def.variable.name.value]);
    if (r) return r;
  }
  let found: { size: number; path: string[] } | undefined;
  const unbounded = new Set<ListValueNode>();
  const info = new TypeInfo(schema);
  visit(
    document,
    visitWithTypeInfo(info, {
      ObjectField(node) {
        if (node.value.kind === Kind.LIST && exempt(info.getParentInputType(), node.name.value)) unbounded.add(node.value);
      },
      ListValue(node) {
        if (!found && !unbounded.has(node) && node.values.length > MAX_INPUT_ARRAY) found = { size: node.values.length, path: [] };
      },
    }),
  );
  return found;
}

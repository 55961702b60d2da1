import {
  Kind,
  getNamedType,
  isAbstractType,
  isLeafType,
  isObjectType,
  valueFromASTUntyped,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLObjectType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';
import { featuresOf } from './version.js';

/**
 * Shopify's calculated query cost, as its rate-limits page states it: a scalar or enum costs 0, an
 * object 1, an interface or union the most expensive of its possible selections, a connection
 * 2 + `first` (or `last`) times the cost of one node, a mutation 10. The requested cost is the
 * worst case, known before running; the actual cost counts what came back (a connection's nodes
 * as returned, an empty list nothing), and is never above the requested one.
 *
 * This package reads the rule one way and applies it everywhere: the simulator charges with it and
 * the adapter estimates with it. Shopify's own numbers may differ a little; the adapter learns from
 * `extensions.cost.requestedQueryCost` and from MAX_COST_EXCEEDED answers.
 *
 * From 2025-10 `productSet` costs by its input instead ("dynamic complexity", see
 * `productSetComplexity`); pass the API version to have it counted.
 */
export const MUTATION_COST = 10;
export const CONNECTION_BASE_COST = 2;

/**
 * productSet's cost from 2025-10, as the changelog "Dynamic complexity cost for productSet
 * mutation" gives it: 10 + 0.2 per variant + 0.6 per variant file + 0.4 per variant metafield +
 * 0.4 per product metafield + 1.9 per product file. The changelog does not say how fractions are
 * rounded; its one-variant example costs 10, so they are dropped here. 2,048 variants: 419.
 */
export function productSetComplexity(input: unknown): number {
  const i = asRecord(input);
  if (!i) return MUTATION_COST;
  const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
  const variants = list(i['variants']);
  let points = MUTATION_COST + 0.2 * variants.length + 0.4 * list(i['metafields']).length + 1.9 * list(i['files']).length;
  for (const v of variants) {
    const r = asRecord(v);
    if (!r) continue;
    points += 0.4 * list(r['metafields']).length + (r['file'] ? 0.6 : 0);
  }
  return Math.floor(points + 1e-9);
}

type Variables = Readonly<Record<string, unknown>>;

interface Walk {
  schema: GraphQLSchema;
  fragments: ReadonlyMap<string, FragmentDefinitionNode>;
  variables: Variables;
  /** productSet is charged by its input (API 2025-10 on). */
  dynamic: boolean;
}

export function findOperation(document: DocumentNode, operationName?: string | null): OperationDefinitionNode | undefined {
  const ops = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  if (operationName) return ops.find((o) => o.name?.value === operationName);
  return ops.length === 1 ? ops[0] : undefined;
}

function walkOf(schema: GraphQLSchema, document: DocumentNode, variables: Variables, version: string | undefined): Walk {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  return { schema, fragments, variables, dynamic: version !== undefined && featuresOf(version).productSetDynamicCost };
}

/** What a root mutation field costs itself, before its selection. */
function mutationCost(w: Walk, field: FieldNode): number {
  if (!w.dynamic || field.name.value !== 'productSet') return MUTATION_COST;
  const arg = field.arguments?.find((a) => a.name.value === 'input');
  return productSetComplexity(arg ? valueFromASTUntyped(arg.value, w.variables) : undefined);
}

function rootOf(schema: GraphQLSchema, op: OperationDefinitionNode): GraphQLObjectType | null | undefined {
  return op.operation === 'mutation' ? schema.getMutationType() : op.operation === 'query' ? schema.getQueryType() : schema.getSubscriptionType();
}

/**
 * Requested (worst-case) cost of an operation of `document`; 0 if there is no such operation.
 * `version`: the API version that serves it (its cost rules); without, the static rule only.
 */
export function requestedCost(schema: GraphQLSchema, document: DocumentNode, variables: Variables = {}, operationName?: string | null, version?: string): number {
  const op = findOperation(document, operationName);
  const root = op && rootOf(schema, op);
  if (!op || !root) return 0;
  return selectionCost(walkOf(schema, document, variables, version), root, op.selectionSet, op.operation === 'mutation');
}

/** Actual cost: the requested cost of what `data` holds. */
export function actualCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Variables,
  data: unknown,
  operationName?: string | null,
  version?: string,
): number {
  const op = findOperation(document, operationName);
  const root = op && rootOf(schema, op);
  if (!op || !root) return 0;
  return actualSelectionCost(walkOf(schema, document, variables, version), root, op.selectionSet, asRecord(data), op.operation === 'mutation');
}

/** The fields of a selection set that apply to the concrete type `type`, fragments expanded. */
function fieldsFor(w: Walk, type: GraphQLObjectType, set: SelectionSetNode, out: FieldNode[] = []): FieldNode[] {
  for (const s of set.selections) {
    if (s.kind === Kind.FIELD) out.push(s);
    else if (s.kind === Kind.INLINE_FRAGMENT) {
      if (!s.typeCondition || applies(w, s.typeCondition.name.value, type)) fieldsFor(w, type, s.selectionSet, out);
    } else {
      const frag = w.fragments.get(s.name.value);
      if (frag && applies(w, frag.typeCondition.name.value, type)) fieldsFor(w, type, frag.selectionSet, out);
    }
  }
  return out;
}

function applies(w: Walk, condition: string, type: GraphQLObjectType): boolean {
  if (condition === type.name) return true;
  const cond = w.schema.getType(condition);
  return !!cond && isAbstractType(cond) && w.schema.isSubType(cond, type);
}

function concreteTypes(w: Walk, type: GraphQLCompositeType): readonly GraphQLObjectType[] {
  return isObjectType(type) ? [type] : w.schema.getPossibleTypes(type);
}

function selectionCost(w: Walk, type: GraphQLCompositeType, set: SelectionSetNode, mutationRoot = false): number {
  let max = 0;
  for (const t of concreteTypes(w, type)) {
    let sum = 0;
    for (const field of fieldsFor(w, t, set)) sum += fieldCost(w, t, field, mutationRoot);
    max = Math.max(max, sum);
  }
  return max;
}

function fieldCost(w: Walk, parent: GraphQLObjectType, field: FieldNode, mutationRoot: boolean): number {
  const def = parent.getFields()[field.name.value];
  if (!def) return 0;
  const named = getNamedType(def.type);
  const mutation = mutationRoot ? mutationCost(w, field) : 0;
  if (isLeafType(named)) return mutation;
  const own = mutationRoot ? mutation : 1;
  if (!field.selectionSet) return own;
  if (isConnection(named)) {
    const size = pageSize(w, field);
    return mutation + CONNECTION_BASE_COST + size * nodeCost(w, named, field.selectionSet);
  }
  return own + selectionCost(w, named, field.selectionSet);
}

/** The cost of one node of a connection: through `nodes` or `edges { node }`, whichever is dearer. */
function nodeCost(w: Walk, connection: GraphQLObjectType, set: SelectionSetNode): number {
  let cost = 0;
  for (const f of fieldsFor(w, connection, set)) {
    const def = connection.getFields()[f.name.value];
    if (!def || !f.selectionSet) continue;
    const named = getNamedType(def.type);
    if (f.name.value === 'nodes' && !isLeafType(named)) cost = Math.max(cost, 1 + selectionCost(w, named, f.selectionSet));
    if (f.name.value === 'edges' && isObjectType(named)) {
      for (const e of fieldsFor(w, named, f.selectionSet)) {
        const nodeDef = named.getFields()[e.name.value];
        const nodeType = nodeDef && getNamedType(nodeDef.type);
        if (e.name.value === 'node' && e.selectionSet && nodeType && !isLeafType(nodeType)) {
          cost = Math.max(cost, 1 + selectionCost(w, nodeType, e.selectionSet));
        }
      }
    }
  }
  return cost;
}

export function isConnection(type: unknown): type is GraphQLObjectType {
  return isObjectType(type) && type.name.endsWith('Connection') && 'nodes' in type.getFields();
}

function pageSize(w: Walk, field: FieldNode): number {
  for (const name of ['first', 'last']) {
    const arg = field.arguments?.find((a) => a.name.value === name);
    if (!arg) continue;
    const n = intValue(arg.value, w.variables);
    if (n !== undefined) return Math.max(0, n);
  }
  return 0;
}

function intValue(node: ValueNode, variables: Variables): number | undefined {
  if (node.kind === Kind.INT) return Number.parseInt(node.value, 10);
  if (node.kind === Kind.VARIABLE) {
    const v = variables[node.name.value];
    return typeof v === 'number' && Number.isInteger(v) ? v : undefined;
  }
  return undefined;
}

function asRecord(v: unknown): Record<string, unknown> | null {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
}

function actualSelectionCost(w: Walk, type: GraphQLCompositeType, set: SelectionSetNode, value: Record<string, unknown> | null, mutationRoot = false): number {
  if (!value) return 0;
  // Abstract types would need `__typename` to pick the concrete type; none is used here, so the
  // dearest possible selection stands in (never more than requested).
  if (!isObjectType(type)) return selectionCost(w, type, set);
  let sum = 0;
  for (const field of fieldsFor(w, type, set)) sum += actualFieldCost(w, type, field, value[field.alias?.value ?? field.name.value], mutationRoot);
  return sum;
}

function actualFieldCost(w: Walk, parent: GraphQLObjectType, field: FieldNode, value: unknown, mutationRoot: boolean): number {
  const def = parent.getFields()[field.name.value];
  if (!def) return 0;
  const named = getNamedType(def.type);
  const own = mutationRoot ? mutationCost(w, field) : 0;
  if (isLeafType(named)) return own;
  if (!field.selectionSet || value === null || value === undefined) return own;
  if (isConnection(named)) return own + CONNECTION_BASE_COST + connectionNodesCost(w, named, field.selectionSet, asRecord(value));
  if (Array.isArray(value)) {
    let max = -1;
    for (const element of value) max = Math.max(max, actualSelectionCost(w, named, field.selectionSet, asRecord(element)));
    return max < 0 ? own : (mutationRoot ? own : 1) + max;
  }
  return (mutationRoot ? own : 1) + actualSelectionCost(w, named, field.selectionSet, asRecord(value));
}

function connectionNodesCost(w: Walk, connection: GraphQLObjectType, set: SelectionSetNode, value: Record<string, unknown> | null): number {
  if (!value) return 0;
  let best = 0;
  for (const f of fieldsFor(w, connection, set)) {
    const def = connection.getFields()[f.name.value];
    const list = value[f.alias?.value ?? f.name.value];
    if (!def || !f.selectionSet || !Array.isArray(list)) continue;
    const named = getNamedType(def.type);
    let total = 0;
    if (f.name.value === 'nodes') {
      for (const node of list) total += 1 + actualSelectionCost(w, named as GraphQLCompositeType, f.selectionSet, asRecord(node));
    } else if (f.name.value === 'edges' && isObjectType(named)) {
      for (const edge of list) {
        const e = asRecord(edge);
        for (const n of fieldsFor(w, named, f.selectionSet)) {
          const nodeDef = named.getFields()[n.name.value];
          const nodeType = nodeDef && getNamedType(nodeDef.type);
          if (n.name.value === 'node' && n.selectionSet && nodeType && !isLeafType(nodeType)) {
            total += 1 + actualSelectionCost(w, nodeType, n.selectionSet, asRecord(e?.[n.alias?.value ?? 'node']));
          }
        }
      }
    }
    best = Math.max(best, total);
  }
  return best;
}

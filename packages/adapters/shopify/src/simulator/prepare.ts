/**
 * A request's GraphQL before anything runs: parsed, validated against the served version's
 * schema, its operation and variables picked, its input arrays checked against Shopify's limit,
 * the deprecated parts it uses listed, and its requested cost computed by Shopify's rule. Errors
 * come out as Shopify words them (`extensions.code`), for an HTTP 200 answer without `data`.
 */
import { getOperationAST, getVariableValues, GraphQLError, Kind, parse, validate, type DocumentNode, type GraphQLFormattedError, type OperationDefinitionNode } from 'graphql';
import { requestedCost } from '../cost.js';
import { adminSchema } from '../schema/schema.js';
import { MAX_INPUT_ARRAY } from '../version.js';
import { deprecatedUsage } from './deprecations.js';
import { arrayOverLimit } from './input-limits.js';

/** A request ready to run. */
export interface Prepared {
  document: DocumentNode;
  operation: OperationDefinitionNode;
  variables: Record<string, unknown>;
  /** Requested (worst-case) cost, charged before it runs. */
  requested: number;
  /** Root fields of a mutation (0 for a query). */
  mutations: number;
  /** Root fields called, aliases resolved. */
  fields: string[];
  /** Deprecated parts used (see deprecations.ts). */
  deprecations: string[];
}

/** Prepares a request for `version`, or says why it cannot run. */
export function prepare(version: string, query: string, variables: Record<string, unknown>, operationName: string | undefined): Prepared | { errors: GraphQLFormattedError[] } {
  const schema = adminSchema(version);
  let document: DocumentNode;
  try {
    document = parse(query);
  } catch (err) {
    const e = err instanceof GraphQLError ? err : new GraphQLError(String(err));
    return { errors: [{ ...e.toJSON(), extensions: { code: 'GRAPHQL_PARSE_FAILED' } }] };
  }
  const invalid = validate(schema, document);
  if (invalid.length) return { errors: invalid.map((e) => ({ ...e.toJSON(), extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } })) };
  const operation = getOperationAST(document, operationName);
  if (!operation) return { errors: [{ message: 'An operation name is required when the document has several operations.', extensions: { code: 'BAD_REQUEST' } }] };
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables);
  if (coerced.errors) return { errors: coerced.errors.map((e) => ({ ...e.toJSON(), extensions: { code: 'INVALID_VARIABLE' } })) };
  const tooLong = arrayOverLimit(schema, variables, operation, document);
  if (tooLong) {
    return {
      errors: [
        {
          message: `The input array size of ${tooLong.size} is greater than the maximum allowed of ${MAX_INPUT_ARRAY}.`,
          path: tooLong.path,
          extensions: { code: 'MAX_INPUT_SIZE_EXCEEDED' },
        },
      ],
    };
  }
  const deprecations = deprecatedUsage(schema, document, operation, variables);
  const fields: string[] = [];
  for (const s of operation.selectionSet.selections) if (s.kind === Kind.FIELD) fields.push(s.name.value);
  return {
    document,
    operation,
    variables,
    requested: requestedCost(schema, document, variables, operationName, version),
    mutations: operation.operation === 'mutation' ? fields.length : 0,
    fields,
    deprecations,
  };
}

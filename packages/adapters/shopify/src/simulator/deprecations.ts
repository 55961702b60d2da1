/**
 * The deprecated parts of the schema a request uses, named as Shopify's X-Shopify-API-Deprecated-
 * Reason header names them (`Type.field`, `Type.field.argument`, `Enum.VALUE`): what graphql-js's
 * NoDeprecatedCustomRule finds in the document, and the deprecated input fields and enum values
 * in its variables, which a document-only rule cannot see (`productSet(input: $input)` with
 * `$input.id` is the same use of `ProductSetInput.id` as a literal `input: { id: … }`).
 */
import {
  getNullableType,
  isEnumType,
  isInputObjectType,
  isListType,
  NoDeprecatedCustomRule,
  typeFromAST,
  validate,
  type DocumentNode,
  type GraphQLInputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';

/** Deprecated fields, arguments, input fields and enum values used, each once, in the order found. */
export function deprecatedUsage(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode, variables: Record<string, unknown>): string[] {
  const found = new Set<string>();
  for (const e of validate(schema, document, [NoDeprecatedCustomRule])) {
    const m = /(?:The field |The input field |The enum value ")([A-Za-z_]\w*\.[A-Za-z_]\w*)/.exec(e.message) ?? /Field "([A-Za-z_]\w*\.[A-Za-z_]\w*)" argument "(\w+)"/.exec(e.message);
    if (m) found.add(m[2] ? `${m[1]}.${m[2]}` : m[1]!);
  }
  for (const def of operation.variableDefinitions ?? []) {
    const type = typeFromAST(schema, def.type) as GraphQLInputType | undefined;
    if (type) inValue(variables[def.variable.name.value], type, found);
  }
  return [...found];
}

/** Adds the deprecated input fields and enum values `value` (of `type`) uses. */
function inValue(value: unknown, type: GraphQLInputType, found: Set<string>): void {
  if (value === null || value === undefined) return;
  const t = getNullableType(type);
  if (isListType(t)) {
    // A single value stands for a list of one (input coercion).
    for (const item of Array.isArray(value) ? value : [value]) inValue(item, t.ofType as GraphQLInputType, found);
  } else if (isInputObjectType(t)) {
    if (typeof value !== 'object' || Array.isArray(value)) return;
    const fields = t.getFields();
    for (const [name, v] of Object.entries(value)) {
      const field = fields[name];
      if (!field || v === undefined) continue;
      if (field.deprecationReason !== undefined && field.deprecationReason !== null) found.add(`${t.name}.${name}`);
      inValue(v, field.type, found);
    }
  } else if (isEnumType(t) && typeof value === 'string') {
    const v = t.getValue(value);
    if (v?.deprecationReason !== undefined && v.deprecationReason !== null) found.add(`${t.name}.${value}`);
  }
}

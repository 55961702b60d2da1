import { buildSchema, type GraphQLSchema } from 'graphql';
import { schemaGateOf, type SchemaGate } from '../version.js';
import { adminSdl } from './sdl.js';

const cache = new Map<SchemaGate, GraphQLSchema>();

/** The project's Admin schema subset as served for `version` (built once per schema variant). */
export function adminSchema(version: string): GraphQLSchema {
  const gate = schemaGateOf(version);
  let schema = cache.get(gate);
  if (!schema) {
    schema = buildSchema(adminSdl(gate));
    cache.set(gate, schema);
  }
  return schema;
}

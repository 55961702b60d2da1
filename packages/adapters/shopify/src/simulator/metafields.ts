/**
 * Metafields of products and variants, and their definitions: the rules every write path shares
 * (productSet's lists, metafieldsSet, metafieldsDelete). A metafield is written only after
 * `check` found nothing wrong with it:
 *
 *   - the key is 2-64 letters, digits, `-` or `_`;
 *   - it has a type: its own, or its definition's (a type that differs from the definition's is
 *     refused); without either it is refused;
 *   - the type is one of Shopify's (metafield-types.ts), and a metaobject or mixed reference
 *     needs a definition (Shopify validates those references against one);
 *   - the value is not blank and is good for the type;
 *   - under a definition with unique values, no other owner holds the value.
 */
import { checkValue, isMetafieldType, NEEDS_DEFINITION, type RecordExists } from './metafield-types.js';
import { resolveNamespace, type MetafieldArgs, type MetafieldOwner, type MetafieldOwnerType, type SimMetafield, type SimMetafieldDefinition, type UserErrorOut } from './model.js';

/** A metafield ready to write: namespace resolved, type known, value checked. */
export interface PlannedMetafield {
  namespace: string;
  key: string;
  type: string;
  value: string;
}

/** Why a metafield cannot be written: the input field at fault, the message, and metafieldsSet's code for it. */
export interface MetafieldProblem {
  field: 'id' | 'key' | 'type' | 'value';
  message: string;
  /** A MetafieldsSetUserErrorCode (productSet says INVALID_METAFIELD for all of them). */
  code: 'BLANK' | 'INVALID_TYPE' | 'INVALID_VALUE' | 'TAKEN' | 'TOO_SHORT' | 'TOO_LONG';
}

/** The owner type as Shopify's messages name it. */
export const OWNER_NAMES: Readonly<Record<MetafieldOwnerType, string>> = { PRODUCT: 'product', PRODUCTVARIANT: 'product variant' };

const KEY = /^[A-Za-z0-9_-]{2,64}$/;

/** The input of metafieldDefinitionCreate, as graphql-js coerced it. */
export interface DefinitionArgs {
  namespace?: string | null;
  key: string;
  name: string;
  ownerType: MetafieldOwnerType;
  type: string;
  validations?: Array<{ name: string; value: string }> | null;
  capabilities?: { uniqueValues?: { enabled: boolean } | null } | null;
}

/** Metafield definitions by owner type, namespace and key, and the index of unique values. */
export class MetafieldRegistry {
  /** `OWNER|namespace.key` -> definition. */
  readonly definitions = new Map<string, SimMetafieldDefinition>();
  /** For definitions with unique values: `OWNER|namespace.key` -> value -> owner id. */
  readonly #unique = new Map<string, Map<string, string>>();
  readonly #newId: (type: string) => string;
  readonly #now: () => string;
  readonly #removed: (m: SimMetafield) => void;

  /** `removed` is told of every metafield that leaves its owner (deleted, replaced by a list without it, owner deleted). */
  constructor(newId: (type: string) => string, now: () => string, removed: (m: SimMetafield) => void = () => {}) {
    this.#newId = newId;
    this.#now = now;
    this.#removed = removed;
  }

  /** The definition for a namespace (resolved) and key of an owner type. */
  definition(ownerType: MetafieldOwnerType, namespace: string, key: string): SimMetafieldDefinition | undefined {
    return this.definitions.get(`${ownerType}|${namespace}.${key}`);
  }

  /** Keeps a definition as it is (a store read from its file). */
  addDefinition(d: SimMetafieldDefinition): void {
    const id = `${d.ownerType}|${d.namespace}.${d.key}`;
    this.definitions.set(id, d);
    if (d.uniqueValues && !this.#unique.has(id)) this.#unique.set(id, new Map());
  }

  /** metafieldDefinitionCreate: TAKEN when the owner type has one for the namespace and key. */
  createDefinition(input: DefinitionArgs): { definition: SimMetafieldDefinition | null; userErrors: UserErrorOut[] } {
    const namespace = resolveNamespace(input.namespace);
    const fail = (code: string, field: string, message: string) => ({ definition: null, userErrors: [{ code, field: ['definition', field], message }] });
    if (!KEY.test(input.key)) return fail('INVALID', 'key', 'Key must be 2-64 letters, digits, "-" or "_".');
    if (!input.name.trim()) return fail('PRESENT', 'name', "Name can't be blank.");
    if (!isMetafieldType(input.type)) return fail('INCLUSION', 'type', `Type ${input.type} is not a metafield type.`);
    const validations = input.validations ?? [];
    const needs = input.type.endsWith('metaobject_reference') ? 'metaobject_definition_id' : input.type.endsWith('mixed_reference') ? 'metaobject_definition_ids' : undefined;
    if (needs && !validations.some((v) => v.name === needs && v.value.trim())) {
      return fail('INVALID_OPTION', 'validations', `A ${input.type} definition needs the validation ${needs}: the metaobject definitions it may reference.`);
    }
    if (this.definition(input.ownerType, namespace, input.key)) {
      return fail('TAKEN', 'key', `Key is in use for ${OWNER_NAMES[input.ownerType]} metafields on the '${namespace}' namespace.`);
    }
    const definition: SimMetafieldDefinition = {
      id: this.#newId('MetafieldDefinition'),
      ownerType: input.ownerType,
      namespace,
      key: input.key,
      name: input.name,
      type: input.type,
      uniqueValues: input.capabilities?.uniqueValues?.enabled === true,
      validations: validations.map((v) => ({ name: v.name, value: v.value })),
    };
    this.addDefinition(definition);
    return { definition, userErrors: [] };
  }

  /** The owner holding `value` under a unique-values definition; 'no-definition' when there is no such definition. */
  uniqueOwner(ownerType: MetafieldOwnerType, namespace: string, key: string, value: string): string | undefined | 'no-definition' {
    const index = this.#unique.get(`${ownerType}|${namespace}.${key}`);
    return index ? index.get(value) : 'no-definition';
  }

  /** Checks one metafield for an owner (`ownerId` undefined: one being created), or says what is wrong. */
  check(ownerType: MetafieldOwnerType, ownerId: string | undefined, input: { namespace?: string | null; key?: string | null; type?: string | null; value?: string | null }, exists: RecordExists): PlannedMetafield | MetafieldProblem {
    const namespace = resolveNamespace(input.namespace);
    const key = input.key ?? '';
    if (!KEY.test(key)) return { field: 'key', code: key.length < 2 ? 'TOO_SHORT' : key.length > 64 ? 'TOO_LONG' : 'INVALID_VALUE', message: 'Key must be 2-64 letters, digits, "-" or "_".' };
    const definition = this.definition(ownerType, namespace, key);
    const type = input.type ?? definition?.type;
    if (!type) return { field: 'type', code: 'BLANK', message: `Type can't be blank: ${namespace}.${key} has no metafield definition to take it from.` };
    if (!isMetafieldType(type)) return { field: 'type', code: 'INVALID_TYPE', message: `Type '${type}' is not a metafield type.` };
    if (definition && type !== definition.type) return { field: 'type', code: 'INVALID_TYPE', message: `Type must match its definition's: ${namespace}.${key} is ${definition.type}, not ${type}.` };
    if (!definition && NEEDS_DEFINITION.has(type)) {
      return { field: 'type', code: 'INVALID_TYPE', message: `A metafield definition is required for a ${type} metafield: create one for ${namespace}.${key} first.` };
    }
    const value = input.value ?? '';
    if (!value) return { field: 'value', code: 'BLANK', message: "Value can't be blank." };
    const bad = checkValue(type, value, exists);
    if (bad) return { field: 'value', code: 'INVALID_VALUE', message: bad };
    const holder = definition?.uniqueValues ? this.uniqueOwner(ownerType, namespace, key, value) : undefined;
    if (holder && holder !== 'no-definition' && holder !== ownerId) {
      return { field: 'value', code: 'TAKEN', message: `Value '${value}' is already used by another ${OWNER_NAMES[ownerType]} for ${namespace}.${key}, whose values must be unique.` };
    }
    return { namespace, key, type, value };
  }

  /**
   * Checks a list that is to become an owner's metafields (productSet): each item as `check`
   * does, an `id` naming one of the owner's metafields, and no namespace and key twice.
   */
  checkList(ownerType: MetafieldOwnerType, owner: MetafieldOwner | undefined, list: readonly MetafieldArgs[], exists: RecordExists): { planned: PlannedMetafield[]; problems: Array<{ index: number; problem: MetafieldProblem }> } {
    const planned: PlannedMetafield[] = [];
    const problems: Array<{ index: number; problem: MetafieldProblem }> = [];
    const seen = new Set<string>();
    list.forEach((m, index) => {
      let input = m;
      if (m.id) {
        const own = owner && [...owner.metafields.values()].find((x) => x.id === m.id);
        if (!own) return problems.push({ index, problem: { field: 'id', code: 'INVALID_VALUE', message: `Metafield ${m.id} does not exist for this ${OWNER_NAMES[ownerType]}.` } });
        // Updating by id: namespace, key and type default to the metafield's (a type is needed only to create one).
        input = { ...m, namespace: m.namespace ?? own.namespace, key: m.key ?? own.key, type: m.type ?? own.type };
      }
      const r = this.check(ownerType, owner?.id, input, exists);
      if ('field' in r) return problems.push({ index, problem: r });
      const id = `${r.namespace}.${r.key}`;
      if (seen.has(id)) return problems.push({ index, problem: { field: 'key', code: 'TAKEN', message: `Metafield ${id} is given more than once.` } });
      seen.add(id);
      planned.push(r);
    });
    return { planned, problems };
  }

  /** Writes one metafield (an existing one at the namespace and key keeps its id and creation time). */
  write(ownerType: MetafieldOwnerType, owner: MetafieldOwner, m: PlannedMetafield): SimMetafield {
    const id = `${m.namespace}.${m.key}`;
    const old = owner.metafields.get(id);
    if (old) this.#unindex(ownerType, owner.id, old);
    const now = this.#now();
    const written: SimMetafield = { id: old?.id ?? this.#newId('Metafield'), namespace: m.namespace, key: m.key, type: m.type, value: m.value, createdAt: old?.createdAt ?? now, updatedAt: now };
    owner.metafields.set(id, written);
    this.#index(ownerType, owner.id, written);
    return written;
  }

  /** The owner's metafields become exactly these (productSet's list semantics): others are deleted. */
  replace(ownerType: MetafieldOwnerType, owner: MetafieldOwner, list: readonly PlannedMetafield[]): void {
    const keep = new Set(list.map((m) => `${m.namespace}.${m.key}`));
    for (const [id, old] of owner.metafields) {
      if (keep.has(id)) continue;
      this.#unindex(ownerType, owner.id, old);
      owner.metafields.delete(id);
      this.#removed(old);
    }
    const written = new Map(list.map((m) => [`${m.namespace}.${m.key}`, this.write(ownerType, owner, m)]));
    owner.metafields = written;
  }

  /** Deletes one metafield; the deleted one, or undefined when there was none. */
  remove(ownerType: MetafieldOwnerType, owner: MetafieldOwner, namespace: string, key: string): SimMetafield | undefined {
    const m = owner.metafields.get(`${namespace}.${key}`);
    if (!m) return undefined;
    this.#unindex(ownerType, owner.id, m);
    owner.metafields.delete(`${namespace}.${key}`);
    this.#removed(m);
    return m;
  }

  /** An owner is gone: its unique values are free again, and its metafields are gone with it. */
  forget(ownerType: MetafieldOwnerType, owner: MetafieldOwner): void {
    for (const m of owner.metafields.values()) {
      this.#unindex(ownerType, owner.id, m);
      this.#removed(m);
    }
  }

  /** Indexes an owner's unique values (a store read from its file). */
  indexOwner(ownerType: MetafieldOwnerType, owner: MetafieldOwner): void {
    for (const m of owner.metafields.values()) this.#index(ownerType, owner.id, m);
  }

  #index(ownerType: MetafieldOwnerType, ownerId: string, m: SimMetafield): void {
    this.#unique.get(`${ownerType}|${m.namespace}.${m.key}`)?.set(m.value, ownerId);
  }

  #unindex(ownerType: MetafieldOwnerType, ownerId: string, m: SimMetafield): void {
    const index = this.#unique.get(`${ownerType}|${m.namespace}.${m.key}`);
    if (index?.get(m.value) === ownerId) index.delete(m.value);
  }
}

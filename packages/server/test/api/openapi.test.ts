/**
 * The OpenAPI document (`GET /v1/openapi.json`) is the service's contract, so it is checked three
 * ways: it is a valid OpenAPI 3.1 document (the official schema, through
 * @seriousme/openapi-schema-validator) whose every schema is valid JSON Schema 2020-12; it lists
 * every route of the route table and every panel path, with its method, and nothing else; and
 * every operation answers as it says: called with valid input (an admin key), and with one invalid
 * input, without credentials and with a key that lacks the scope, each answer's status is one the
 * document lists and its body matches the documented schema for the media type it came in (Ajv,
 * JSON Schema 2020-12, `$ref`s resolved to components.schemas).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Validator } from '@seriousme/openapi-schema-validator';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { apiRoutes } from '../../src/api/routes/index.js';
import { metaRoutes } from '../../src/api/routes/meta.js';
import { panelPaths } from '../../src/openapi/panel-paths.js';
import { openApiDocument } from '../../src/serve.js';
import { eventually, startHarness, type Answer, type Harness } from '../support/harness.js';

// ——— the document's shape, as far as these tests read it ———

interface MediaType {
  schema: unknown;
}
interface Response {
  description: string;
  content?: Record<string, MediaType>;
  headers?: Record<string, { schema: unknown; required?: boolean }>;
}
interface Parameter {
  in: 'path' | 'query' | 'header' | 'cookie';
  name: string;
  required?: boolean;
  schema: unknown;
}
interface Operation {
  operationId: string;
  security?: unknown[];
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content: Record<string, MediaType> };
  responses: Record<string, Response>;
}
interface Document {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, unknown>; securitySchemes: Record<string, unknown> };
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/** Every operation of the document, with its path and method. */
function operationsOf(doc: Document): Array<{ path: string; method: string; op: Operation }> {
  return Object.entries(doc.paths).flatMap(([path, item]) => METHODS.filter((m) => item[m]).map((method) => ({ path, method, op: item[method]! })));
}

/** Every schema object of the document, with where it is (components, parameters, bodies, responses, headers). */
function schemasOf(doc: Document): Array<{ where: string; schema: unknown }> {
  const out = Object.entries(doc.components.schemas).map(([name, schema]) => ({ where: `components.schemas.${name}`, schema }));
  for (const { path, method, op } of operationsOf(doc)) {
    const at = `${method.toUpperCase()} ${path}`;
    for (const p of op.parameters ?? []) out.push({ where: `${at} parameter ${p.in} ${p.name}`, schema: p.schema });
    for (const [media, m] of Object.entries(op.requestBody?.content ?? {})) out.push({ where: `${at} request body ${media}`, schema: m.schema });
    for (const [status, r] of Object.entries(op.responses)) {
      for (const [media, m] of Object.entries(r.content ?? {})) out.push({ where: `${at} ${status} ${media}`, schema: m.schema });
      for (const [name, h] of Object.entries(r.headers ?? {})) out.push({ where: `${at} ${status} header ${name}`, schema: h.schema });
    }
  }
  return out;
}

// ——— validating answers against the document (Ajv, JSON Schema 2020-12) ———

const COMPONENTS = 'https://shopsync.test/openapi/components.json';

/** A copy of `value` whose `#/components/schemas/X` references point into the schema registered as COMPONENTS. */
function rebase(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(rebase);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [k, k === '$ref' && typeof v === 'string' && v.startsWith('#/components/schemas/') ? `${COMPONENTS}#/$defs/${v.slice('#/components/schemas/'.length)}` : rebase(v)]),
  );
}

/** Validates values against the document's schemas, strictly (an unknown keyword in a schema is an error too). */
class SchemaCheck {
  readonly ajv = new Ajv2020({ strict: true, allErrors: true });
  readonly #compiled = new Map<string, ValidateFunction>();

  constructor(doc: Document) {
    // RFC 3339, as `z.iso.datetime()` writes it; URLs as WHATWG parses them.
    this.ajv.addFormat('date-time', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i);
    this.ajv.addFormat('uri', { validate: (s: string) => URL.canParse(s) });
    // The OpenAPI 3.1 dialect's own keywords, annotations only (oneOf decides).
    this.ajv.addVocabulary(['discriminator', 'xml', 'externalDocs', 'example']);
    this.ajv.addSchema({ $id: COMPONENTS, $defs: rebase(doc.components.schemas) as Record<string, object> });
  }

  /** The errors of `value` against `schema` (empty when it conforms). */
  errors(schema: unknown, value: unknown): string[] {
    const key = JSON.stringify(schema);
    let validate = this.#compiled.get(key);
    if (!validate) {
      validate = this.ajv.compile(rebase(schema) as object);
      this.#compiled.set(key, validate);
    }
    return validate(value) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
  }
}

// ——— the service, and the inputs each operation is called with ———

let h: Harness;
let doc: Document;
let check: SchemaCheck;
let admin: string;
/** A key of each scope alone. */
let keys: { read: string; ingest: string };
/** Filled as the cases run (a webhook made by one, deleted by another) or by `before` (a finished run). */
const made = { webhookId: '', eventId: '', embedToken: '' };

/** Where a connector with a finished run (one product synced, one refused by Shopify) lives. */
const RUN = 'acme';
/** The connector the REST cases make, change and delete. */
const DOCS = 'docs-co';

interface Input {
  params?: Record<string, string>;
  query?: string;
  body?: unknown;
  type?: string;
  /** Default: the admin key; `null`: no Authorization header. */
  key?: string | null;
}

interface Case {
  /** Called with valid input: a 2xx. */
  valid: () => Input;
  /** Called with one invalid input: a 4xx (the status expected). Absent: the operation takes no input (public routes ignore a query). */
  invalid?: () => Input & { expect: number };
}

const id = { id: DOCS };
const run = { id: RUN };

/** One valid and one invalid call per operationId. Every operation of the document must have one (checked). */
const CASES: Record<string, Case> = {
  health: { valid: () => ({}) },
  ready: { valid: () => ({}) },
  openapi: { valid: () => ({}) },
  createConnector: {
    valid: () => ({ body: { config: { id: DOCS, shopDomain: 'docs-co.myshopify.com', apiVersion: '2026-01' }, schedule: { everyMs: 3_600_000 } } }),
    invalid: () => ({ body: { config: { id: 'x y', apiVersion: '2026-01' } }, expect: 400 }),
  },
  listConnectors: { valid: () => ({ query: 'offset=0&limit=10' }), invalid: () => ({ query: 'limit=0', expect: 400 }) },
  getConnector: { valid: () => ({ params: id }), invalid: () => ({ params: { id: 'no-such-connector' }, expect: 404 }) },
  updateConnector: {
    valid: () => ({ params: id, body: { config: { disableDeletions: true }, allowedOrigins: ['https://erp.example.com'] } }),
    invalid: () => ({ params: id, body: { allowedOrigins: ['https://erp.example.com/path'] }, expect: 400 }),
  },
  putCredentials: {
    valid: () => ({ params: id, body: { kind: 'token', accessToken: 'shpat_docs_token_0123456789' } }),
    invalid: () => ({ params: id, body: { kind: 'token' }, expect: 400 }),
  },
  getCredentials: { valid: () => ({ params: id }), invalid: () => ({ params: { id: 'no-such-connector' }, expect: 404 }) },
  createEmbedToken: { valid: () => ({ params: id, body: { access: 'read', ttlSeconds: 600 } }), invalid: () => ({ params: id, body: { ttlSeconds: 5 }, expect: 400 }) },
  postChanges: {
    valid: () => ({ params: id, body: [{ entity: 'product', op: 'upsert', ref: 'P-1', data: { title: 'Tent' } }] }),
    invalid: () => ({ params: id, body: 'P-1,Tent', type: 'text/plain', expect: 415 }),
  },
  startSync: { valid: () => ({ params: id, body: {} }), invalid: () => ({ params: id, body: { now: true }, expect: 400 }) },
  createWebhook: {
    valid: () => ({ params: id, body: { url: 'http://127.0.0.1:9/hooks', events: ['sync.completed'] } }),
    invalid: () => ({ params: id, body: { url: 'ftp://example.com/hooks', events: [] }, expect: 400 }),
  },
  listWebhooks: { valid: () => ({ params: id }), invalid: () => ({ params: { id: 'no-such-connector' }, expect: 404 }) },
  listDeliveries: {
    valid: () => ({ params: { ...id, webhookId: made.webhookId }, query: 'limit=5' }),
    invalid: () => ({ params: { ...id, webhookId: made.webhookId }, query: 'limit=many', expect: 400 }),
  },
  deleteWebhook: {
    valid: () => ({ params: { ...id, webhookId: made.webhookId } }),
    invalid: () => ({ params: { ...id, webhookId: 'not-a-webhook-id' }, expect: 400 }),
  },
  deleteConnector: { valid: () => ({ params: id }), invalid: () => ({ params: { id: 'no-such-connector' }, expect: 404 }) },
  // The panel's routes, on the connector that has run.
  panelState: { valid: () => ({ params: run }), invalid: () => ({ params: run, key: 'not-a-credential', expect: 401 }) },
  panelEvents: { valid: () => ({ params: run, query: 'limit=10' }), invalid: () => ({ params: run, query: 'limit=0', expect: 400 }) },
  panelEvent: { valid: () => ({ params: { ...run, eventId: made.eventId } }), invalid: () => ({ params: { ...run, eventId: 'evt_missing' }, expect: 404 }) },
  panelLogs: {
    valid: () => ({ params: { ...run, eventId: made.eventId }, query: 'format=csv' }),
    invalid: () => ({ params: { ...run, eventId: made.eventId }, query: 'format=xml', expect: 400 }),
  },
  panelItems: { valid: () => ({ params: run, query: 'status=error&limit=10' }), invalid: () => ({ params: run, query: 'status=lost', expect: 400 }) },
  panelItemErrors: { valid: () => ({ params: run, query: 'entity=product' }), invalid: () => ({ params: run, query: 'entity=widget', expect: 400 }) },
  panelRetryItem: { valid: () => ({ params: run, body: { entity: 'product', ref: 'BLANK' } }), invalid: () => ({ params: run, body: { entity: 'product' }, expect: 400 }) },
  panelRetryFailed: { valid: () => ({ params: run, body: { entity: 'product' } }), invalid: () => ({ params: run, body: { status: 'lost' }, expect: 400 }) },
  panelSetEnabled: { valid: () => ({ params: run, body: { enabled: true } }), invalid: () => ({ params: run, body: { enabled: 'yes' }, expect: 400 }) },
  panelSetEnabledPost: { valid: () => ({ params: run, body: { enabled: true } }), invalid: () => ({ params: run, body: {}, expect: 400 }) },
  // Embed tokens reach the panel only: a token of another connector is refused.
  panelStream: { valid: () => ({ params: run, query: `token=${encodeURIComponent(made.embedToken)}`, key: null }), invalid: () => ({ params: { id: DOCS }, key: made.embedToken, expect: 403 }) },
};

/** The order the cases run in: what one makes, a later one uses or deletes. */
const ORDER = [
  'health',
  'ready',
  'openapi',
  'createConnector',
  'listConnectors',
  'getConnector',
  'updateConnector',
  'putCredentials',
  'getCredentials',
  'createEmbedToken',
  'postChanges',
  'startSync',
  'createWebhook',
  'listWebhooks',
  'listDeliveries',
  'panelState',
  'panelEvents',
  'panelEvent',
  'panelLogs',
  'panelItems',
  'panelItemErrors',
  'panelRetryItem',
  'panelRetryFailed',
  'panelSetEnabled',
  'panelSetEnabledPost',
  'panelStream',
  'deleteWebhook',
  'deleteConnector',
];

function find(operationId: string): { path: string; method: string; op: Operation } {
  const found = operationsOf(doc).find((o) => o.op.operationId === operationId);
  assert.ok(found, `the document has no operation ${operationId}`);
  return found;
}

/** The URL path of `path` (OpenAPI template) with `params`, and `query`. */
function urlOf(path: string, input: Input): string {
  const filled = path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = input.params?.[name];
    assert.ok(value !== undefined, `no value for {${name}} of ${path}`);
    return encodeURIComponent(value);
  });
  return input.query ? `${filled}?${input.query}` : filled;
}

/** Calls operation `operationId` as the document places it (path and method) with `input`. */
async function callOperation(operationId: string, input: Input): Promise<{ answer: Answer; op: Operation }> {
  const { path, method, op } = find(operationId);
  const key = input.key === null ? undefined : (input.key ?? admin);
  const url = urlOf(path, input);
  if (operationId === 'panelStream') return { answer: await openStream(url, key), op };
  const answer = await h.call(method.toUpperCase(), url, { ...(key !== undefined && { key }), ...(input.body !== undefined && { body: input.body }), ...(input.type && { type: input.type }) });
  return { answer, op };
}

/** A stream's answer: status, headers and its first bytes (the stream is then closed). */
async function openStream(url: string, key: string | undefined): Promise<Answer> {
  const controller = new AbortController();
  const res = await fetch(h.url + url, { headers: key ? { authorization: `Bearer ${key}` } : {}, signal: controller.signal });
  let text: string;
  if ((res.headers.get('content-type') ?? '').startsWith('text/event-stream')) {
    const reader = res.body!.getReader();
    const { value } = await reader.read();
    text = new TextDecoder().decode(value);
    controller.abort();
    await reader.cancel().catch(() => undefined);
  } else text = await res.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: res.status, headers: res.headers, text, body };
}

const isJson = (media: string) => /^application\/([a-z.+-]+\+)?json$/.test(media);

/** Asserts that `answer` is one the document lists for `op`: its status, media type, body and headers. */
function conforms(op: Operation, answer: Answer): void {
  const what = `${op.operationId} answered ${answer.status} ${answer.text.slice(0, 300)}`;
  const documented = op.responses[String(answer.status)];
  assert.ok(documented, `${what}: the document lists only ${Object.keys(op.responses).join(', ')}`);
  if (!documented.content) {
    assert.equal(answer.text, '', `${what}: the document says no body`);
    return;
  }
  const media = (answer.headers.get('content-type') ?? '').split(';')[0]!.trim();
  const content = documented.content[media];
  assert.ok(content, `${what}: came as "${media}", the document lists ${Object.keys(documented.content).join(', ')}`);
  const value = isJson(media) ? answer.body : answer.text;
  assert.notEqual(value, undefined, `${what}: the body is not ${media}`);
  assert.deepEqual(check.errors(content.schema, value), [], `${what}: the body does not match the documented schema`);
  for (const [name, header] of Object.entries(documented.headers ?? {})) {
    const sent = answer.headers.get(name);
    if (header.required) assert.notEqual(sent, null, `${what}: the document says header ${name} is always sent`);
    if (sent !== null) assert.deepEqual(check.errors(header.schema, sent), [], `${what}: header ${name}: ${sent}`);
  }
}

before(async () => {
  // A small ingest limit, so that a body over every route's limit is a few megabytes.
  h = await startHarness({ env: { SHOPSYNC_MAX_INGEST_BYTES: String(2 * 1024 * 1024) } });
  admin = await h.key(['admin']);
  keys = { read: await h.key(['read']), ingest: await h.key(['ingest']) };
  const got = await h.call('GET', '/v1/openapi.json');
  assert.equal(got.status, 200);
  doc = got.body as Document;
  check = new SchemaCheck(doc);
  // A finished run for the panel's routes: one product synced, one Shopify refuses (a blank title).
  await h.connector(RUN);
  const posted = await h.call('POST', `/v1/connectors/${RUN}/changes`, {
    key: admin,
    body: [
      { entity: 'product', op: 'upsert', ref: 'TENT', data: { title: 'Tent' } },
      { entity: 'product', op: 'upsert', ref: 'BLANK', data: { title: '' } },
    ],
  });
  assert.equal(posted.status, 202, posted.text);
  made.eventId = await eventually(async () => {
    const events = await h.call('GET', `/v1/connectors/${RUN}/sync/events`, { key: admin });
    const done = (events.body?.items as Array<{ id: string; status: string }> | undefined)?.find((e) => e.status === 'completed');
    return done?.id;
  }, 20_000, 'the run to complete');
  const token = await h.call('POST', `/v1/connectors/${RUN}/embed-tokens`, { key: admin, body: { access: 'read' } });
  assert.equal(token.status, 201, token.text);
  made.embedToken = token.body.token as string;
});

after(() => h?.close());

describe('the OpenAPI document', () => {
  it('is valid OpenAPI 3.1 by the official schema', async () => {
    assert.equal(doc.openapi, '3.1.0');
    assert.equal(doc.info.title, 'shopsync');
    const result = await new Validator().validate(structuredClone(doc) as unknown as Record<string, unknown>);
    assert.deepEqual(result.errors ?? [], [], 'errors of @seriousme/openapi-schema-validator');
    assert.equal(result.valid, true);
  });

  it('each of its schemas (components, parameters, bodies, responses, headers) is valid JSON Schema 2020-12', () => {
    const schemas = schemasOf(doc);
    assert.ok(schemas.length > 100, `${schemas.length} schemas`);
    const bad = schemas.filter(({ schema }) => !check.ajv.validateSchema(schema as object)).map(({ where, schema }) => `${where}: ${JSON.stringify(schema).slice(0, 200)}`);
    assert.deepEqual(bad, []);
    // And each compiles (strict: no unknown keywords, every $ref resolves).
    for (const { where, schema } of schemas) assert.doesNotThrow(() => check.errors(schema, null), where);
  });

  it('lists every route of the route table and every panel path, with its method, and nothing else', () => {
    const expected = [...apiRoutes(), ...metaRoutes(() => ({}), () => false)].map((r) => `${r.method} ${r.path} ${r.operationId}`);
    for (const [path, item] of Object.entries(panelPaths())) {
      for (const method of METHODS) {
        const op = (item as Record<string, { operationId?: string } | undefined>)[method];
        if (op) expected.push(`${method.toUpperCase()} ${path} ${op.operationId}`);
      }
    }
    const listed = operationsOf(doc).map(({ path, method, op }) => `${method.toUpperCase()} ${path} ${op.operationId}`);
    assert.deepEqual([...listed].sort(), [...expected].sort());
    assert.equal(new Set(listed.map((l) => l.split(' ')[2])).size, listed.length, 'operationIds are unique');
    assert.ok(expected.length >= 27, `${expected.length} operations`);
  });

  it('is the document `shopsync openapi` prints, and public routes need no credentials while the others name the API key scheme', () => {
    assert.deepEqual(doc, JSON.parse(JSON.stringify(openApiDocument())));
    assert.ok(doc.components.securitySchemes['apiKey']);
    const publicIds = metaRoutes(() => ({}), () => false).map((r) => r.operationId);
    for (const { op } of operationsOf(doc)) {
      assert.deepEqual(op.security, publicIds.includes(op.operationId) ? [] : [{ apiKey: [] }], op.operationId);
    }
  });

  it('the check below refuses what the document forbids (it is not vacuous)', () => {
    const page = find('listConnectors').op.responses['200']!.content!['application/json']!.schema;
    assert.deepEqual(check.errors(page, { total: 0, items: [] }), []);
    assert.notDeepEqual(check.errors(page, { total: 'none', items: [] }), []);
    assert.notDeepEqual(check.errors(page, { total: 1, items: [{ config: { id: 'a' } }] }), [], 'a connector without its fields');
    const problem = find('getConnector').op.responses['404']!.content!['application/problem+json']!.schema;
    assert.notDeepEqual(check.errors(problem, { error: { code: 'not_found', message: 'No.' } }), [], "the panel's error shape is not a problem");
  });

  it('has a case below for every operation', () => {
    assert.deepEqual(operationsOf(doc).map((o) => o.op.operationId).sort(), Object.keys(CASES).sort());
    assert.deepEqual([...ORDER].sort(), Object.keys(CASES).sort());
  });
});

describe('every route answers as the document says', () => {
  for (const operationId of ORDER) {
    it(`${operationId}: one invalid input → a documented 4xx with its error schema; valid input → a documented 2xx and body`, async () => {
      const invalid = CASES[operationId]!.invalid?.();
      if (invalid) {
        const { expect, ...bad } = invalid;
        const refused = await callOperation(operationId, bad);
        assert.equal(refused.answer.status, expect, `${operationId} with invalid input: ${refused.answer.status} ${refused.answer.text.slice(0, 300)}`);
        conforms(refused.op, refused.answer);
      }

      const { answer, op } = await callOperation(operationId, CASES[operationId]!.valid());
      assert.ok(answer.status >= 200 && answer.status < 300, `${operationId}: ${answer.status} ${answer.text.slice(0, 300)}`);
      conforms(op, answer);
      if (operationId === 'createWebhook') made.webhookId = answer.body.id as string;
    });
  }

  it('without credentials, every route but the public ones answers a documented 401 problem', async () => {
    const publicIds = new Set(metaRoutes(() => ({}), () => false).map((r) => r.operationId));
    for (const operationId of ORDER.filter((o) => !publicIds.has(o))) {
      const { answer, op } = await callOperation(operationId, { ...CASES[operationId]!.valid(), key: null, query: '' });
      assert.equal(answer.status, 401, `${operationId}: ${answer.status} ${answer.text.slice(0, 200)}`);
      assert.match(answer.headers.get('www-authenticate') ?? '', /^Bearer /, operationId);
      conforms(op, answer);
    }
  });

  it('every route that takes a body: another media type → a documented 415, a body over its limit → a documented 413', async () => {
    const big = JSON.stringify('x'.repeat(2 * 1024 * 1024 + 1_000));
    const withBody = ORDER.filter((o) => find(o).op.requestBody);
    assert.ok(withBody.length >= 10, withBody.join(', '));
    for (const operationId of withBody) {
      // On the connector that stays (the cases' own was deleted by now).
      const input = { ...CASES[operationId]!.valid(), params: run };
      const xml = await callOperation(operationId, { ...input, body: '<change/>', type: 'application/xml' });
      assert.equal(xml.answer.status, 415, `${operationId}: ${xml.answer.status} ${xml.answer.text.slice(0, 200)}`);
      conforms(xml.op, xml.answer);
      const large = await callOperation(operationId, { ...input, body: big });
      assert.equal(large.answer.status, 413, `${operationId}: ${large.answer.status} ${large.answer.text.slice(0, 200)}`);
      conforms(large.op, large.answer);
    }
  });

  it('with a key that lacks the scope, every route but the public ones answers a documented 403 problem', async () => {
    // What each route asks: the route table's access, and the panel's (reads: read; actions: admin).
    const scopeOf = new Map(apiRoutes().map((r) => [r.operationId, r.access === 'public' ? undefined : r.access.scope]));
    for (const operationId of ORDER.filter((o) => o.startsWith('panel'))) scopeOf.set(operationId, find(operationId).method === 'get' ? 'read' : 'admin');
    for (const operationId of ORDER) {
      const scope = scopeOf.get(operationId);
      if (scope === undefined) continue;
      const input = { ...CASES[operationId]!.valid(), key: scope === 'read' ? keys.ingest : keys.read };
      if (operationId === 'deleteWebhook' || operationId === 'listDeliveries') input.params = { id: DOCS, webhookId: 'wh_gone' };
      if (operationId === 'panelStream') input.query = '';
      const { answer, op } = await callOperation(operationId, input);
      assert.equal(answer.status, 403, `${operationId}: ${answer.status} ${answer.text.slice(0, 200)}`);
      conforms(op, answer);
    }
  });
});

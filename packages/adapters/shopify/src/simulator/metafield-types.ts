/**
 * Metafield types and their values, by Shopify's "List of data types" (shopify.dev, apps/build/
 * metafields/list-of-data-types): the value is always a string; for measurements, money, links,
 * ratings, JSON and rich text it is JSON text, for a `list.` type a JSON array of the base type's
 * values. `checkValue` says what is wrong with a value, in words a client can act on.
 *
 * References are gids of the right kind; for the kinds the simulator keeps (products, variants,
 * collections, files) the record must exist too, as Shopify checks. `metaobject_reference` and
 * `mixed_reference` point at metaobjects, which the simulator does not keep: they are validated by
 * form, and only under a definition (see `NEEDS_DEFINITION`).
 */
import { z } from 'zod';

/** Whether a record exists: undefined where the simulator does not keep that kind of record. */
export type RecordExists = (gid: string) => boolean | undefined;

interface BaseType {
  /** `text`: the value is the string itself; `json`: JSON text. */
  form: 'text' | 'json';
  /** Shopify has a `list.` version of it. */
  list: boolean;
  /** What a good value is, for the message of a bad one. */
  expected: string;
  /** Whether one value (the string, or the parsed JSON) is good. */
  ok: (v: unknown, exists: RecordExists) => boolean;
}

const MAX_INTEGER = 9_007_199_254_740_991;
const isString = (v: unknown): v is string => typeof v === 'string';
const text = (re: RegExp) => (v: unknown) => isString(v) && re.test(v);
const decimalText = /^-?\d{1,13}(\.\d{1,9})?$/;

function integer(v: unknown): boolean {
  const s = typeof v === 'number' ? String(v) : v;
  if (!isString(s) || !/^-?\d{1,16}$/.test(s)) return false;
  return Math.abs(Number(s)) <= MAX_INTEGER;
}

function decimal(v: unknown): boolean {
  const s = typeof v === 'number' && Number.isFinite(v) ? String(v) : v;
  return isString(s) && decimalText.test(s);
}

function date(v: unknown): boolean {
  if (!isString(v) || !/^\d{4}-\d{2}-\d{2}$/.test(v)) return false;
  const d = new Date(`${v}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(v);
}

function dateTime(v: unknown): boolean {
  if (!isString(v)) return false;
  const m = /^(\d{4}-\d{2}-\d{2})T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})?$/.exec(v);
  // Without a zone it is GMT, as Shopify reads it.
  return !!m && date(m[1]) && !Number.isNaN(Date.parse(m[4] ? v : `${v}Z`));
}

const URL_SCHEMES = new Set(['http:', 'https:', 'mailto:', 'sms:', 'tel:']);

function url(v: unknown): boolean {
  if (!isString(v) || !URL.canParse(v)) return false;
  return URL_SCHEMES.has(new URL(v).protocol);
}

const measure = (units: readonly [string, ...string[]]) => {
  const schema = z.object({ value: z.number().finite(), unit: z.enum(units) });
  return (v: unknown) => schema.safeParse(v).success;
};

const ratingSchema = z.object({ value: z.string().regex(decimalText), scale_min: z.string().regex(decimalText), scale_max: z.string().regex(decimalText) });
const moneySchema = z.object({ amount: z.string().regex(/^-?\d{1,15}(\.\d{1,4})?$/), currency_code: z.string().regex(/^[A-Z]{3}$/) });
const linkSchema = z.object({ text: z.string(), url: z.string().refine(url) });
const richTextSchema = z.object({ type: z.literal('root'), children: z.array(z.unknown()) });

const WEIGHT_UNITS = ['oz', 'lb', 'g', 'kg'] as const;
const DIMENSION_UNITS = ['in', 'ft', 'yd', 'mm', 'cm', 'm'] as const;
const VOLUME_UNITS = ['ml', 'cl', 'l', 'm3', 'us_fl_oz', 'us_pt', 'us_qt', 'us_gal', 'imp_fl_oz', 'imp_pt', 'imp_qt', 'imp_gal'] as const;

/** A reference type: a gid of one of these resource types, which exists where the simulator keeps them. */
function reference(resources: readonly string[], expected: string): BaseType {
  const re = new RegExp(`^gid://shopify/(${resources.join('|')})/\\d+$`);
  return { form: 'text', list: true, expected, ok: (v, exists) => isString(v) && re.test(v) && exists(v) !== false };
}

const TYPES: Readonly<Record<string, BaseType>> = {
  single_line_text_field: { form: 'text', list: true, expected: 'a single line of text (no line breaks)', ok: text(/^[^\r\n]*$/) },
  multi_line_text_field: { form: 'text', list: false, expected: 'text', ok: isString },
  rich_text_field: { form: 'json', list: false, expected: 'a rich text JSON object such as {"type":"root","children":[…]}', ok: (v) => richTextSchema.safeParse(v).success },
  number_integer: { form: 'text', list: true, expected: `an integer from -${MAX_INTEGER} to ${MAX_INTEGER}, such as "10"`, ok: integer },
  number_decimal: { form: 'text', list: true, expected: 'a decimal number with at most 13 digits before the point and 9 after, such as "10.4"', ok: decimal },
  boolean: { form: 'text', list: false, expected: '"true" or "false"', ok: (v) => v === 'true' || v === 'false' },
  date: { form: 'text', list: true, expected: 'a date in ISO 8601 format, such as "2026-12-05"', ok: date },
  date_time: { form: 'text', list: true, expected: 'a date and time in ISO 8601 format, such as "2026-12-05T10:30:00"', ok: dateTime },
  json: { form: 'json', list: false, expected: 'JSON', ok: () => true },
  color: { form: 'text', list: true, expected: 'a colour in #RRGGBB format, such as "#fff123"', ok: text(/^#[0-9A-Fa-f]{6}$/) },
  url: { form: 'text', list: true, expected: 'a URL with the scheme http, https, mailto, sms or tel', ok: url },
  weight: { form: 'json', list: true, expected: `a JSON object such as {"value":2.5,"unit":"kg"}, the unit one of ${WEIGHT_UNITS.join(', ')}`, ok: measure(WEIGHT_UNITS) },
  dimension: { form: 'json', list: true, expected: `a JSON object such as {"value":25.0,"unit":"cm"}, the unit one of ${DIMENSION_UNITS.join(', ')}`, ok: measure(DIMENSION_UNITS) },
  volume: { form: 'json', list: true, expected: `a JSON object such as {"value":20.0,"unit":"ml"}, the unit one of ${VOLUME_UNITS.join(', ')}`, ok: measure(VOLUME_UNITS) },
  rating: {
    form: 'json',
    list: true,
    expected: 'a JSON object such as {"value":"3.5","scale_min":"1.0","scale_max":"5.0"}, the value within the scale',
    ok: (v) => {
      const r = ratingSchema.safeParse(v);
      return r.success && Number(r.data.scale_min) <= Number(r.data.value) && Number(r.data.value) <= Number(r.data.scale_max);
    },
  },
  money: { form: 'json', list: false, expected: 'a JSON object such as {"amount":"5.99","currency_code":"CAD"}', ok: (v) => moneySchema.safeParse(v).success },
  link: { form: 'json', list: true, expected: 'a JSON object such as {"text":"Size guide","url":"https://…"} (http, https, mailto, sms or tel)', ok: (v) => linkSchema.safeParse(v).success },
  id: { form: 'text', list: false, expected: 'a single line of text of at most 255 characters', ok: (v) => isString(v) && v.length <= 255 && !/[\r\n]/.test(v) },
  product_reference: reference(['Product'], 'the ID of a product of the store, such as "gid://shopify/Product/1"'),
  variant_reference: reference(['ProductVariant'], 'the ID of a product variant of the store, such as "gid://shopify/ProductVariant/1"'),
  collection_reference: reference(['Collection'], 'the ID of a collection of the store, such as "gid://shopify/Collection/1"'),
  file_reference: reference(['MediaImage', 'GenericFile', 'Video'], 'the ID of a file of the store, such as "gid://shopify/MediaImage/1"'),
  page_reference: reference(['Page'], 'a page ID such as "gid://shopify/Page/1"'),
  metaobject_reference: reference(['Metaobject'], 'a metaobject ID such as "gid://shopify/Metaobject/1"'),
  mixed_reference: reference(['Metaobject'], 'a metaobject ID such as "gid://shopify/Metaobject/1"'),
  customer_reference: reference(['Customer'], 'a customer ID such as "gid://shopify/Customer/1"'),
  company_reference: reference(['Company'], 'a company ID such as "gid://shopify/Company/1"'),
};

/** Types whose metafields Shopify validates against a definition: without one, a write is refused. */
export const NEEDS_DEFINITION: ReadonlySet<string> = new Set(['metaobject_reference', 'list.metaobject_reference', 'mixed_reference', 'list.mixed_reference']);

/** Every type name the simulator knows, `list.` ones included. */
export const METAFIELD_TYPES: readonly string[] = Object.entries(TYPES).flatMap(([name, t]) => (t.list ? [name, `list.${name}`] : [name]));

/** Whether `type` is one of Shopify's metafield types (of those modelled here). */
export function isMetafieldType(type: string): boolean {
  const base = type.startsWith('list.') ? TYPES[type.slice(5)] : TYPES[type];
  return !!base && (!type.startsWith('list.') || base.list);
}

function parseJson(value: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(value) as unknown };
  } catch {
    return { ok: false };
  }
}

/**
 * What is wrong with `value` as a metafield of `type` ("Value must be …"), or null when it is
 * good. `type` must be known (`isMetafieldType`).
 */
export function checkValue(type: string, value: string, exists: RecordExists): string | null {
  const isList = type.startsWith('list.');
  const base = TYPES[isList ? type.slice(5) : type];
  if (!base) return `Type ${type} is not a metafield type.`;
  if (!isList) {
    if (base.form === 'text') return base.ok(value, exists) ? null : `Value must be ${base.expected}.`;
    const parsed = parseJson(value);
    if (!parsed.ok) return `Value must be ${base.expected}; it is not valid JSON.`;
    return base.ok(parsed.value, exists) ? null : `Value must be ${base.expected}.`;
  }
  const parsed = parseJson(value);
  if (!parsed.ok || !Array.isArray(parsed.value)) return `Value must be a JSON array of values, each ${base.expected}.`;
  const bad = parsed.value.findIndex((v) => !base.ok(v, exists));
  return bad < 0 ? null : `Value must be a JSON array of values, each ${base.expected}; item ${bad} is not.`;
}

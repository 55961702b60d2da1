import { z } from 'zod';
import { hostRecord, languageSchema } from './common.js';

/**
 * Metafields as a host gives them: Shopify's types, each value checked by its type before it is
 * queued, so that a bad value is the host's ValidationError (naming the field) and not, hours
 * later, one item error per product. A value may be given in Shopify's string form or as plain
 * JSON (a number, a boolean, an array, an object); it is stored in Shopify's string form.
 */

type Check = (value: unknown) => string | undefined;

const text = (v: unknown) => (typeof v === 'string' ? undefined : 'expected text');
const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const decimal = /^-?\d{1,13}(\.\d{1,9})?$/;

function numberText(v: unknown): string | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return typeof v === 'string' ? v : undefined;
}

function validDate(v: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

function url(v: unknown): string | undefined {
  if (typeof v !== 'string') return 'expected a URL';
  let parsed: URL;
  try {
    parsed = new URL(v);
  } catch {
    return 'expected a URL (http, https, mailto, sms or tel)';
  }
  return ['http:', 'https:', 'mailto:', 'sms:', 'tel:'].includes(parsed.protocol) ? undefined : 'expected a URL with scheme http, https, mailto, sms or tel';
}

function measure(units: readonly string[]): Check {
  return (v) => {
    if (!isObject(v) || typeof v['value'] !== 'number' || !Number.isFinite(v['value'])) return `expected { "value": number, "unit": ${units.map((u) => `"${u}"`).join(' | ')} }`;
    if (typeof v['unit'] !== 'string' || !units.includes(v['unit'])) return `expected unit to be one of ${units.join(', ')}`;
    return undefined;
  };
}

function gid(...kinds: string[]): Check {
  const re = new RegExp(`^gid://shopify/(${kinds.join('|')})/\\d+$`);
  return (v) => (typeof v === 'string' && re.test(v) ? undefined : `expected a Shopify id such as "gid://shopify/${kinds[0]}/123"`);
}

/** Each type's check, on the value as JSON (text types get strings). */
const SCALAR: Record<string, Check> = {
  single_line_text_field: (v) => text(v) ?? (/[\r\n]/.test(v as string) ? 'expected a single line (no line breaks)' : undefined),
  multi_line_text_field: text,
  rich_text_field: (v) => (isObject(v) && v['type'] === 'root' && Array.isArray(v['children']) ? undefined : 'expected rich text: { "type": "root", "children": [...] }'),
  number_integer: (v) => {
    const s = numberText(v);
    return s !== undefined && /^-?\d+$/.test(s) && Number.isSafeInteger(Number(s)) ? undefined : 'expected a whole number';
  },
  number_decimal: (v) => {
    const s = numberText(v);
    return s !== undefined && decimal.test(s) ? undefined : 'expected a decimal number with at most 9 decimals';
  },
  boolean: (v) => (v === true || v === false ? undefined : 'expected true or false'),
  date: (v) => (typeof v === 'string' && validDate(v) ? undefined : 'expected a date as YYYY-MM-DD'),
  date_time: (v) =>
    typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?$/.test(v) && validDate(v.slice(0, 10)) && !Number.isNaN(Date.parse(v))
      ? undefined
      : 'expected a date and time in ISO 8601, such as "2026-12-05T10:30:00Z"',
  json: () => undefined,
  color: (v) => (typeof v === 'string' && /^#[0-9A-Fa-f]{6}$/.test(v) ? undefined : 'expected a colour as #RRGGBB'),
  url,
  weight: measure(['oz', 'lb', 'g', 'kg']),
  dimension: measure(['in', 'ft', 'yd', 'mm', 'cm', 'm']),
  volume: measure(['ml', 'cl', 'l', 'm3', 'us_fl_oz', 'us_pt', 'us_qt', 'us_gal', 'imp_fl_oz', 'imp_pt', 'imp_qt', 'imp_gal']),
  rating: (v) => {
    const shape = 'expected { "value": "4.5", "scale_min": "1.0", "scale_max": "5.0" }';
    if (!isObject(v)) return shape;
    const [value, min, max] = [v['value'], v['scale_min'], v['scale_max']].map((x) => numberText(x));
    if (value === undefined || min === undefined || max === undefined || ![value, min, max].every((x) => decimal.test(x))) return shape;
    return Number(min) <= Number(value) && Number(value) <= Number(max) ? undefined : 'expected the rating between scale_min and scale_max';
  },
  money: (v) =>
    isObject(v) && typeof v['amount'] === 'string' && /^-?\d{1,13}(\.\d{1,2})?$/.test(v['amount']) && typeof v['currency_code'] === 'string' && /^[A-Z]{3}$/.test(v['currency_code'])
      ? undefined
      : 'expected { "amount": "19.99", "currency_code": "EUR" }',
  link: (v) => (isObject(v) && typeof v['text'] === 'string' && url(v['url']) === undefined ? undefined : 'expected { "text": "…", "url": "https://…" }'),
  id: (v) => (typeof v === 'string' && v.length > 0 && v.length <= 255 ? undefined : 'expected an identifier of 1 to 255 characters'),
  product_reference: gid('Product'),
  variant_reference: gid('ProductVariant'),
  collection_reference: gid('Collection'),
  file_reference: gid('MediaImage', 'GenericFile', 'Video', 'Model3d', 'ExternalVideo'),
  page_reference: gid('Page'),
  metaobject_reference: gid('Metaobject'),
  mixed_reference: gid('Metaobject'),
  customer_reference: gid('Customer'),
  company_reference: gid('Company'),
};

/** Types that have a `list.` form in Shopify. */
const LISTABLE = [
  'single_line_text_field',
  'number_integer',
  'number_decimal',
  'date',
  'date_time',
  'color',
  'url',
  'weight',
  'dimension',
  'volume',
  'rating',
  'link',
  'product_reference',
  'variant_reference',
  'collection_reference',
  'file_reference',
  'page_reference',
  'metaobject_reference',
  'mixed_reference',
  'customer_reference',
  'company_reference',
] as const;

/** Every metafield type a product or variant can carry, as Shopify names it. */
export const METAFIELD_TYPES = [...Object.keys(SCALAR), ...LISTABLE.map((t) => `list.${t}`)] as readonly string[];

/** Metafield types whose value can be translated (Shopify's translatable text types that shopsync writes). */
export const TRANSLATABLE_METAFIELD_TYPES: readonly string[] = ['single_line_text_field', 'multi_line_text_field'];

/** Types whose JSON form is a number or boolean, written as that text. */
const PLAIN = new Set(['number_integer', 'number_decimal', 'boolean']);
/** Types whose value is text as is. */
const TEXT = new Set(['single_line_text_field', 'multi_line_text_field', 'date', 'date_time', 'color', 'url', 'id', ...Object.keys(SCALAR).filter((t) => t.endsWith('_reference'))]);

/** The value as JSON, for checking: a string is parsed where the type's value is JSON. */
function asJson(type: string, value: unknown): { ok: true; value: unknown } | { ok: false; problem: string } {
  const base = type.startsWith('list.') ? 'list' : type;
  if (typeof value !== 'string') return { ok: true, value };
  if (base !== 'list' && (TEXT.has(base) || base === 'number_integer' || base === 'number_decimal')) return { ok: true, value };
  if (base === 'boolean') return value === 'true' || value === 'false' ? { ok: true, value: value === 'true' } : { ok: false, problem: 'expected true or false' };
  try {
    return { ok: true, value: JSON.parse(value) as unknown };
  } catch {
    return { ok: false, problem: base === 'list' ? 'expected a JSON array' : 'expected JSON' };
  }
}

/** What is wrong with a value for a type, or undefined when Shopify would take it. */
export function metafieldValueProblem(type: string, value: unknown): string | undefined {
  const parsed = asJson(type, value);
  if (!parsed.ok) return parsed.problem;
  if (type.startsWith('list.')) {
    const check = SCALAR[type.slice(5)];
    if (!check) return `unknown type ${type}`;
    if (!Array.isArray(parsed.value)) return 'expected a list (JSON array)';
    if (parsed.value.length > 128) return 'expected at most 128 values in a list';
    for (let i = 0; i < parsed.value.length; i++) {
      const problem = check(parsed.value[i]);
      if (problem) return `value ${i + 1} of the list: ${problem}`;
    }
    return undefined;
  }
  const check = SCALAR[type];
  return check ? check(parsed.value) : `unknown type ${type}`;
}

/** The value in Shopify's string form (valid values only). */
export function metafieldValueText(type: string, value: unknown): string {
  if (typeof value === 'string') return value;
  if (PLAIN.has(type) && (typeof value === 'number' || typeof value === 'boolean')) return String(value);
  // A rating's numbers are decimal strings in Shopify's form.
  const rating = (r: unknown) => (isObject(r) ? Object.fromEntries(Object.entries(r).map(([k, x]) => [k, typeof x === 'number' ? String(x) : x])) : r);
  if (type === 'rating') return JSON.stringify(rating(value));
  if (type === 'list.rating' && Array.isArray(value)) return JSON.stringify(value.map(rating));
  return JSON.stringify(value);
}

/** `custom`, `my_fields`, or the app's own `$app` / `$app:name`. */
export const metafieldNamespaceSchema = z
  .string()
  .regex(/^(\$app(:[A-Za-z0-9_-]{1,200})?|[A-Za-z0-9_-]{2,255})$/, 'expected a namespace of 2-255 letters, digits, "_" or "-" (or "$app")');

const jsonValue = z.union([z.string(), z.number(), z.boolean(), z.array(z.unknown()), z.record(z.string(), z.unknown())]);

/** One metafield: `{ namespace, key, type, value }`, the value checked by its type and kept as Shopify's text. */
export const metafieldSchema = z
  .object({
    namespace: metafieldNamespaceSchema,
    key: z.string().regex(/^[A-Za-z0-9_-]{2,64}$/, 'expected a key of 2-64 letters, digits, "_" or "-"'),
    type: z.string().refine((t) => METAFIELD_TYPES.includes(t), { message: `expected one of Shopify's metafield types (${Object.keys(SCALAR).slice(0, 6).join(', ')}, …, list.single_line_text_field, …)` }),
    value: jsonValue,
    /**
     * The value in the store's other languages, by language tag (text types only:
     * single_line_text_field, multi_line_text_field): written as Shopify translations.
     */
    translations: hostRecord(z.record(languageSchema, z.string().min(1, 'expected a translation').max(65_535, 'expected at most 65,535 characters'))).optional(),
  })
  .strict()
  .superRefine((m, ctx) => {
    if (!METAFIELD_TYPES.includes(m.type)) return;
    const problem = metafieldValueProblem(m.type, m.value);
    if (problem) ctx.addIssue({ code: 'custom', path: ['value'], message: `${problem} (type ${m.type})` });
    else if (metafieldValueText(m.type, m.value).length > 65_535) ctx.addIssue({ code: 'custom', path: ['value'], message: 'expected at most 65,535 characters' });
    if (m.translations !== undefined && !TRANSLATABLE_METAFIELD_TYPES.includes(m.type)) {
      ctx.addIssue({ code: 'custom', path: ['translations'], message: `expected translations only for text types (${TRANSLATABLE_METAFIELD_TYPES.join(', ')}), not ${m.type}` });
    }
  })
  .transform((m) => {
    const out: { namespace: string; key: string; type: string; value: string; translations?: Record<string, string> } = { namespace: m.namespace, key: m.key, type: m.type, value: metafieldValueText(m.type, m.value) };
    if (m.translations !== undefined && Object.keys(m.translations).length > 0) out.translations = m.translations as Record<string, string>;
    return out;
  });
/**
 * A metafield as shopsync writes it: its namespace, key and Shopify type, the value in Shopify's text
 * form, and translations for text types.
 */
export type Metafield = z.output<typeof metafieldSchema>;

/** A list of metafields, each `namespace.key` once. */
export const metafieldListSchema = z
  .array(metafieldSchema)
  .max(250)
  .superRefine((list, ctx) => {
    const seen = new Map<string, number>();
    list.forEach((m, i) => {
      const id = `${m.namespace}.${m.key}`;
      if (seen.has(id)) ctx.addIssue({ code: 'custom', path: [i, 'key'], message: `expected each namespace.key once (${id} is also metafield ${seen.get(id)! + 1})` });
      else seen.set(id, i);
    });
  });

import { en, type Messages } from './en.js';
import { pluralFor, type Plural } from './plural.js';

const CATALOGUES = new Map<string, Messages>([['en', en]]);

/**
 * Adds the messages of a language (a base language tag: `es`). English is built in; other
 * languages are modules that register themselves, imported by hosts that need them
 * (`import '@shopsync/widget/translations/es'`), so that a page pays only for what it shows.
 */
export function registerTranslation(language: string, messages: Messages): void {
  CATALOGUES.set(language, messages);
  for (const tag of cache.keys()) if (tag.split('-')[0] === language) cache.delete(tag);
}

/** Languages with messages; any other locale falls back to English (dates and numbers still follow it). */
export function supportedLanguages(): string[] {
  return [...CATALOGUES.keys()];
}

/**
 * Messages, dates and numbers for one locale. One per panel (not per document, as @lit/localize
 * would have it), so that two panels on a page may speak different languages; the parts of a
 * panel receive it through context.
 */
export interface Localizer {
  readonly locale: string;
  readonly m: Messages;
  readonly plural: Plural;
  /** Date and time, medium (e.g. "Jan 15, 2026, 12:00:05 PM"). */
  dateTime(iso: string): string;
  /** Date only (e.g. "Jan 15, 2026"). */
  date(iso: string): string;
  /** Time only, with seconds. */
  time(iso: string): string;
  number(n: number, options?: Intl.NumberFormatOptions): string;
  /** A rough duration: "3 minutes", "45 seconds", "2 hours". */
  duration(ms: number): string;
  /** The language's own name for a BCP 47 tag, in this locale ("Spanish" / "español"). */
  languageName(tag: string): string;
}

const cache = new Map<string, Localizer>();

/** The canonical form of a locale tag, or 'en' when it is not one. */
export function normalizeLocale(locale: string | undefined | null): string {
  if (!locale) return 'en';
  try {
    return Intl.getCanonicalLocales(locale)[0] ?? 'en';
  } catch {
    return 'en';
  }
}

/** The Localizer of a locale (cached): messages of its language (English when unsupported), its dates and numbers. */
export function localizerFor(locale: string | undefined | null): Localizer {
  const tag = normalizeLocale(locale);
  const hit = cache.get(tag);
  if (hit) return hit;
  const language = tag.split('-')[0]!;
  const m = CATALOGUES.get(language) ?? en;
  const dt = new Intl.DateTimeFormat(tag, { dateStyle: 'medium', timeStyle: 'medium' });
  const d = new Intl.DateTimeFormat(tag, { dateStyle: 'long' });
  const t = new Intl.DateTimeFormat(tag, { timeStyle: 'medium' });
  const n = new Intl.NumberFormat(tag);
  let names: Intl.DisplayNames | undefined;
  const l: Localizer = {
    locale: tag,
    m,
    plural: pluralFor(tag),
    dateTime: (iso) => dt.format(new Date(iso)),
    date: (iso) => d.format(new Date(iso)),
    time: (iso) => t.format(new Date(iso)),
    number: (x, options) => (options ? new Intl.NumberFormat(tag, options).format(x) : n.format(x)),
    duration(ms) {
      const s = Math.max(1, Math.round(ms / 1000));
      const [value, unit] = s < 90 ? [s, 'second'] : s < 90 * 60 ? [Math.round(s / 60), 'minute'] : [Math.round((s / 3600) * 10) / 10, 'hour'];
      return new Intl.NumberFormat(tag, { style: 'unit', unit, unitDisplay: 'long', maximumFractionDigits: 1 }).format(value);
    },
    languageName(code) {
      try {
        names ??= new Intl.DisplayNames([tag], { type: 'language' });
        return names.of(code) ?? code;
      } catch {
        return code;
      }
    },
  };
  cache.set(tag, l);
  return l;
}

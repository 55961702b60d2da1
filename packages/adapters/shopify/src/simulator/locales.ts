/**
 * The shop's locales (languages): the primary one, in which the catalog's own content is written,
 * and the others, which take translations (translations.ts) whether published or not, as on
 * Shopify (`TranslatableResource.translations` "includes unpublished locales"). They come from
 * the `locales` option on every start (they are settings, not records: the store's file does not
 * keep them).
 */

/** A locale of the shop, as the `locales` option gives it (defaults filled in). */
export interface ShopLocaleConfig {
  /** An ISO code such as `en`, `es` or `pt-BR`. */
  locale: string;
  /** The shop's default locale: exactly one is. */
  primary: boolean;
  /** Visible to buyers. */
  published: boolean;
}

/** A locale as `shopLocales` answers it. */
export interface ShopLocaleRecord extends ShopLocaleConfig {
  /** The English name of the language, as Shopify's `ShopLocale.name` gives it. */
  name: string;
}

/** The locales of a store that was given none: English, primary and published. */
export const DEFAULT_LOCALES: readonly ShopLocaleConfig[] = [{ locale: 'en', primary: true, published: true }];

/** Where Shopify's name differs from the CLDR one that `Intl.DisplayNames` gives. */
const NAMES: Readonly<Record<string, string>> = {
  'zh-CN': 'Chinese (Simplified)',
  'zh-TW': 'Chinese (Traditional)',
};

const DISPLAY = new Intl.DisplayNames(['en'], { type: 'language', languageDisplay: 'standard', fallback: 'code' });

/** The English name of a locale (`pt-BR`: "Portuguese (Brazil)"); the code itself when the language is unknown. */
export function localeName(code: string): string {
  const named = NAMES[code];
  if (named) return named;
  try {
    return DISPLAY.of(code) ?? code;
  } catch {
    return code;
  }
}

/** Why a locale code cannot be a shop's locale, or undefined when it can. */
export function localeProblem(code: string): string | undefined {
  if (!/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(code)) return 'expected a locale code such as "es" or "pt-BR"';
  try {
    if (Intl.getCanonicalLocales(code)[0] !== code) return `expected the canonical form, "${Intl.getCanonicalLocales(code)[0]}"`;
  } catch {
    return 'expected a locale code such as "es" or "pt-BR"';
  }
  if (localeName(code) === code) return `"${code}" is not a known language`;
  return undefined;
}

/** The shop's locales, in the order configured; one of them is primary. */
export class ShopLocales {
  readonly #list: ShopLocaleRecord[];

  constructor(locales: readonly ShopLocaleConfig[] = DEFAULT_LOCALES) {
    const list = locales.length ? locales : DEFAULT_LOCALES;
    this.#list = list.map((l) => ({ locale: l.locale, name: localeName(l.locale), primary: l.primary, published: l.primary || l.published }));
    if (this.#list.filter((l) => l.primary).length !== 1) throw new Error('A shop has exactly one primary locale.');
  }

  /** Every locale, or only the published ones. */
  list(publishedOnly = false): ShopLocaleRecord[] {
    return this.#list.filter((l) => !publishedOnly || l.published).map((l) => ({ ...l }));
  }

  /** The primary locale's code: the locale of the catalog's own content. */
  get primary(): string {
    return this.#list.find((l) => l.primary)!.locale;
  }

  /** Whether the shop has this locale (published or not). */
  has(code: string): boolean {
    return this.#list.some((l) => l.locale === code);
  }

  /** Codes of the locales that take translations: every locale but the primary one. */
  get translatable(): string[] {
    return this.#list.filter((l) => !l.primary).map((l) => l.locale);
  }
}

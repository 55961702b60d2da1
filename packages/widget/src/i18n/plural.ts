/**
 * Chooses a message by plural category (`Intl.PluralRules`); `zero` is used for 0 when given.
 * `n` formats the count with the same locale (`Intl.NumberFormat`).
 */
export type Plural = ((n: number, forms: { zero?: string; one?: string; other: string }) => string) & { n: (x: number) => string };

/** The plural chooser of a locale (its `Intl.PluralRules` and number format). */
export function pluralFor(locale: string): Plural {
  const rules = new Intl.PluralRules(locale);
  const numbers = new Intl.NumberFormat(locale);
  const choose = (n: number, forms: { zero?: string; one?: string; other: string }) => {
    if (n === 0 && forms.zero !== undefined) return forms.zero;
    const cat = rules.select(n);
    return (cat === 'one' ? forms.one : undefined) ?? forms.other;
  };
  return Object.assign(choose, { n: (x: number) => numbers.format(x) });
}

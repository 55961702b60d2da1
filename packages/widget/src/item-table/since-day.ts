// The "synchronized since" filter: a date input's day (local) to and from the filter's ISO instant.

/** `yyyy-mm-dd` of a date input, as the ISO instant of that local midnight; undefined if it is no day. */
export function sinceIso(day: string): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return undefined;
  const d = new Date(`${day}T00:00:00`);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

/** The local day (`yyyy-mm-dd`, a date input's value) of an ISO instant; empty without one. */
export function dayOf(iso: string | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/**
 * Shopify's API-version calendar: a stable version `YYYY-MM` is released quarterly (January,
 * April, July, October) on the first of the month at 17:00 UTC and supported for at least
 * 12 months, i.e. until the same instant a year later; after that, requests for it are served
 * by the oldest supported version ("fall forward").
 * https://shopify.dev/docs/api/usage/versioning
 */

export type ApiVersionStatus = 'supported' | 'deprecated' | 'unknown';

/**
 * Where a Shopify API version stands at a given moment: supported or not, until when, whether that is
 * soon, and a sentence that tells the user.
 */
export interface ApiVersionAssessment {
  version: string;
  status: ApiVersionStatus;
  /** Release instant (ISO), for versions that follow the calendar. */
  releasedAt?: string;
  /** The instant support ends, or ended (ISO). */
  supportEndsAt?: string;
  /** Whole days from `at` until support ends (negative once it has). */
  daysLeft?: number;
  /** Supported, but support ends within the warning window. */
  endsSoon: boolean;
  /** A sentence for the user. */
  reason: string;
}

const QUARTER_MONTHS = new Set([1, 4, 7, 10]);
const RELEASE_HOUR_UTC = 17;
const DAY_MS = 86_400_000;
export const DEFAULT_WARNING_DAYS = 90;

export function releaseInstant(year: number, month: number): number {
  return Date.UTC(year, month - 1, 1, RELEASE_HOUR_UTC);
}

/**
 * Where a Shopify API version stands at `at`, by Shopify's calendar (a quarterly version is supported
 * for 12 months): whether it is supported, when support ends, and whether that falls within
 * `warningDays` (the Configuration section's deprecation warning).
 */
export function assessApiVersion(version: string, at: Date, warningDays = DEFAULT_WARNING_DAYS): ApiVersionAssessment {
  const m = /^(\d{4})-(\d{2})$/.exec(version);
  const year = m ? Number(m[1]) : NaN;
  const month = m ? Number(m[2]) : NaN;
  if (!m || !QUARTER_MONTHS.has(month)) {
    return {
      version,
      status: 'unknown',
      endsSoon: false,
      reason: `"${version}" is not a Shopify stable API version (they are YYYY-01, -04, -07 or -10).`,
    };
  }
  const released = releaseInstant(year, month);
  const ends = releaseInstant(year + 1, month);
  const now = at.getTime();
  const base = { version, releasedAt: new Date(released).toISOString(), supportEndsAt: new Date(ends).toISOString() };
  if (now < released) {
    return { ...base, status: 'unknown', endsSoon: false, reason: `Version ${version} is not released yet (release candidate until ${base.releasedAt}).` };
  }
  const daysLeft = Math.floor((ends - now) / DAY_MS);
  if (now >= ends) {
    return {
      ...base,
      daysLeft,
      status: 'deprecated',
      endsSoon: false,
      reason: `Version ${version} is no longer supported since ${base.supportEndsAt}; Shopify serves a newer version instead. Update the connector.`,
    };
  }
  const endsSoon = ends - now <= warningDays * DAY_MS;
  return {
    ...base,
    daysLeft,
    status: 'supported',
    endsSoon,
    reason: endsSoon
      ? `Version ${version} is supported until ${base.supportEndsAt}; update the connector before then.`
      : `Version ${version} is supported until ${base.supportEndsAt}.`,
  };
}

/** The newest stable version released at `at`. */
export function latestStableVersion(at: Date): string {
  let y = at.getUTCFullYear();
  let q = Math.floor(at.getUTCMonth() / 3) * 3 + 1;
  if (at.getTime() < releaseInstant(y, q)) {
    q -= 3;
    if (q < 1) {
      q = 10;
      y -= 1;
    }
  }
  return `${y}-${String(q).padStart(2, '0')}`;
}

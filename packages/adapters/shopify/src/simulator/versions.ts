import { assessApiVersion, latestStableVersion } from '@shopsync/core';
import { compareVersions } from '../version.js';

/** Which API versions a store serves as themselves, and the deprecation reason sent with some. */
export interface VersionPolicy {
  supported: readonly string[];
  deprecated: Readonly<Record<string, string>>;
}

function shift(version: string, quarters: number): string {
  const [y, m] = version.split('-').map(Number) as [number, number];
  const index = y * 4 + (m - 1) / 3 + quarters;
  return `${Math.floor(index / 4)}-${String((index % 4) * 3 + 1).padStart(2, '0')}`;
}

/**
 * Shopify's calendar at `now`: the stable versions still supported (12 months each), the next
 * release candidate and `unstable`; those within 90 days of their end are flagged deprecated.
 */
export function calendarPolicy(now: Date): VersionPolicy {
  const latest = latestStableVersion(now);
  const supported: string[] = [];
  const deprecated: Record<string, string> = {};
  for (let v = latest; ; v = shift(v, -1)) {
    const a = assessApiVersion(v, now);
    if (a.status !== 'supported') break;
    supported.unshift(v);
    if (a.endsSoon) deprecated[v] = `API version ${v} is supported until ${a.supportEndsAt}; update to a newer version before then.`;
  }
  supported.push(shift(latest, 1), 'unstable');
  return { supported, deprecated };
}

/** The versions a simulator or fleet serves: its `versions`, or Shopify's calendar at `now`. */
export function policyOf(config: { versions: { supported?: string[] | undefined; deprecated?: Record<string, string> | undefined }; now?: Date | undefined }): VersionPolicy {
  const calendar = calendarPolicy(config.now ?? new Date());
  return {
    supported: config.versions.supported ?? calendar.supported,
    deprecated: config.versions.deprecated ?? (config.versions.supported ? {} : calendar.deprecated),
  };
}

/**
 * The version that serves a request for `requested`: itself if supported; an older one falls
 * forward to the oldest supported, a newer one to the newest dated one. Null for a malformed one.
 */
export function servedVersion(policy: VersionPolicy, requested: string): string | null {
  if (!/^(\d{4}-(0[1-9]|1[0-2])|unstable)$/.test(requested)) return null;
  if (policy.supported.includes(requested)) return requested;
  const dated = policy.supported.filter((v) => v !== 'unstable').sort(compareVersions);
  if (dated.length === 0) return policy.supported[0]!;
  if (compareVersions(requested, dated[0]!) < 0) return dated[0]!;
  for (let i = dated.length - 1; i >= 0; i--) if (compareVersions(dated[i]!, requested) <= 0) return dated[i]!;
  return dated[dated.length - 1]!;
}

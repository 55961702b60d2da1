/**
 * MemoryStorage's connector registry and fleet claims: records and their fleet state in a map,
 * under the shared rules (registry-rules.ts). Values handed in and out are copies.
 */
import type { ConnectorRecord } from '../schemas/registry.js';
import type { ClaimRelease, ClaimRequest, ConnectorClaim, FleetEntry, Page, PageQuery } from './adapter.js';
import { claimedState, compareClaimOrder, fleetEntry, isClaimable, newFleetState, releasedState, renewedState, requestedState, type FleetState } from './registry-rules.js';

/** The registry and claims of one MemoryStorage (its pending counts come from the storage). */
export class MemoryRegistry {
  readonly #entries = new Map<string, { record: ConnectorRecord; fleet: FleetState }>();
  /** Pending items of a connector (queued or leased). */
  readonly #pending: (connectorId: string) => number;

  constructor(pending: (connectorId: string) => number) {
    this.#pending = pending;
  }

  create(record: ConnectorRecord): boolean {
    if (this.#entries.has(record.config.id)) return false;
    this.#entries.set(record.config.id, { record: structuredClone(record), fleet: newFleetState() });
    return true;
  }

  update(record: ConnectorRecord): boolean {
    const e = this.#entries.get(record.config.id);
    if (!e) return false;
    e.record = structuredClone(record);
    return true;
  }

  delete(connectorId: string): boolean {
    return this.#entries.delete(connectorId);
  }

  get(connectorId: string): ConnectorRecord | undefined {
    const e = this.#entries.get(connectorId);
    return e && structuredClone(e.record);
  }

  list(query: PageQuery): Page<ConnectorRecord> {
    const ids = [...this.#entries.keys()].sort();
    return { items: ids.slice(query.offset, query.offset + query.limit).map((id) => structuredClone(this.#entries.get(id)!.record)), total: ids.length };
  }

  claim(r: ClaimRequest): ConnectorClaim[] {
    const candidates = [...this.#entries].filter(([id, e]) => isClaimable(e.record, e.fleet, this.#pending(id), r.now)).map(([id, e]) => ({ id, ...e }));
    candidates.sort(compareClaimOrder);
    return candidates.slice(0, r.limit).map((c) => {
      const e = this.#entries.get(c.id)!;
      e.fleet = claimedState(e.fleet, r.worker, r.now, r.leaseMs);
      const claim: ConnectorClaim = { record: structuredClone(e.record), claimUntil: e.fleet.claimUntil! };
      if (e.fleet.throttle) claim.throttle = { ...e.fleet.throttle };
      if (e.fleet.runRequestedAt !== undefined) claim.runRequestedAt = e.fleet.runRequestedAt;
      return claim;
    });
  }

  renew(connectorId: string, worker: string, now: number, leaseMs: number): boolean {
    const e = this.#entries.get(connectorId);
    const next = e && renewedState(e.fleet, worker, now, leaseMs);
    if (!next) return false;
    e!.fleet = next;
    return true;
  }

  release(connectorId: string, worker: string, release: ClaimRelease): void {
    const e = this.#entries.get(connectorId);
    const next = e && releasedState(e.fleet, worker, release);
    if (next) e!.fleet = structuredClone(next);
  }

  requestRun(connectorId: string, now: number): boolean {
    const e = this.#entries.get(connectorId);
    if (!e) return false;
    e.fleet = requestedState(e.fleet, now);
    return true;
  }

  view(now: number): FleetEntry[] {
    return [...this.#entries]
      .map(([id, e]) => fleetEntry(e.record, e.fleet, this.#pending(id), now))
      .filter((x): x is FleetEntry => x !== undefined)
      .sort((a, b) => a.since - b.since || (a.connectorId < b.connectorId ? -1 : 1));
  }

  clear(): void {
    this.#entries.clear();
  }
}

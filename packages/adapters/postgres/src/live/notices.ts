/**
 * What `PostgresStorage` announces with NOTIFY, parsed at the edge. A payload is data from
 * another process (possibly another version of shopsync): anything malformed is dropped, never
 * thrown; a well-formed notice of a type this version does not know is kept as `unknown`, so
 * that a reader can treat it as "something changed" rather than ignore it.
 */
import type { ChangeType, ConnectorCommand } from '../notify.js';

/** Every write a change notice may name, as this version knows them. */
export const CHANGE_NOTICE_TYPES = ['enqueued', 'leased', 'acked', 'released', 'event', 'logs', 'connector'] as const satisfies readonly ChangeType[];

/** A change notice as received: one committed write of one connector. */
export interface ReceivedChange {
  connectorId: string;
  /** `unknown`: a type this version does not know. */
  type: ChangeType | 'unknown';
  /** The sync event the write saved (`event`, `logs`, and `acked` when the ack carried the event). */
  eventId?: string;
}

/** A command notice as received. */
export interface ReceivedCommand {
  connectorId: string;
  command: ConnectorCommand;
}

function record(payload: string | undefined): Record<string, unknown> | undefined {
  if (payload === undefined) return undefined;
  try {
    const value = JSON.parse(payload) as unknown;
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** A change notice, or undefined when the payload is not one. */
export function parseChangeNotice(payload: string | undefined): ReceivedChange | undefined {
  const o = record(payload);
  if (!o || typeof o.c !== 'string' || o.c === '' || typeof o.t !== 'string') return undefined;
  const type = (CHANGE_NOTICE_TYPES as readonly string[]).includes(o.t) ? (o.t as ChangeType) : 'unknown';
  const notice: ReceivedChange = { connectorId: o.c, type };
  if (typeof o.e === 'string' && o.e !== '') notice.eventId = o.e;
  return notice;
}

/** A command notice, or undefined when the payload is not one this version knows. */
export function parseCommandNotice(payload: string | undefined): ReceivedCommand | undefined {
  const o = record(payload);
  if (!o || typeof o.c !== 'string' || o.c === '') return undefined;
  const cmd = o.cmd as Record<string, unknown> | null | undefined;
  if (!cmd || typeof cmd !== 'object') return undefined;
  if (cmd.type === 'start') return { connectorId: o.c, command: { type: 'start' } };
  if (cmd.type === 'setEnabled' && typeof cmd.enabled === 'boolean') return { connectorId: o.c, command: { type: 'setEnabled', enabled: cmd.enabled } };
  return undefined;
}

import { z } from 'zod';
import { isoDate, schemaVersion } from './common.js';
import { connectorConfigSchema } from './connector.js';

/** Prefixes of Shopify's secrets (access tokens, app secrets): a credentials reference never starts with one. */
const SECRET_PREFIXES = ['shpat_', 'shpca_', 'shppa_', 'shpss_', 'shpua_', 'atkn_'];

/**
 * When a connector runs by itself: at most every `everyMs`, and only when changes are pending
 * (changes wait for the next turn). Without a schedule, a connector runs as soon as changes arrive.
 */
export const connectorScheduleSchema = z.strictObject({
  everyMs: z.number().int().min(60_000, 'expected at least 60000 (one minute)').max(604_800_000, 'expected at most 604800000 (one week)'),
});
/** When a connector runs by itself (see connectorScheduleSchema). */
export type ConnectorSchedule = z.infer<typeof connectorScheduleSchema>;

/**
 * Where the host keeps a connector's credentials: a name or id the host resolves when the fleet
 * builds the connector's target (say, a secret manager's key). Never a secret itself: values
 * shaped like a Shopify token are refused.
 */
export const credentialsRefSchema = z
  .string()
  .min(1, 'expected a reference such as "vault:shops/store-1"')
  .max(256, 'expected at most 256 characters')
  .regex(/^[\x21-\x7e]+$/, 'expected printable characters without spaces')
  .refine((v) => !SECRET_PREFIXES.some((p) => v.toLowerCase().startsWith(p)), 'expected a reference to credentials kept elsewhere, not a token: never store a secret here');

/** A connector in the registry: its configuration (no secrets), schedule and credentials reference. */
export const connectorRecordSchema = z.strictObject({
  v: schemaVersion,
  config: connectorConfigSchema,
  schedule: connectorScheduleSchema.optional(),
  credentialsRef: credentialsRefSchema.optional(),
  createdAt: isoDate,
  updatedAt: isoDate,
});
/** A connector as the registry keeps it (see connectorRecordSchema). */
export type ConnectorRecord = z.infer<typeof connectorRecordSchema>;

/** What a host gives to create a connector (its configuration with defaults, schedule, credentials reference). */
export const newConnectorSchema = z.strictObject({
  config: connectorConfigSchema,
  schedule: connectorScheduleSchema.optional(),
  credentialsRef: credentialsRefSchema.optional(),
});
/** What ConnectorRegistry.create takes (see newConnectorSchema). */
export type NewConnector = z.input<typeof newConnectorSchema>;

/**
 * A change to a connector: configuration fields to change (checked with the rest of the
 * configuration once merged; the id stays), schedule (null: none), credentials reference (null: none).
 */
export const connectorPatchSchema = z.strictObject({
  config: z.record(z.string(), z.unknown()).optional(),
  schedule: connectorScheduleSchema.nullable().optional(),
  credentialsRef: credentialsRefSchema.nullable().optional(),
});
/** What ConnectorRegistry.update takes (see connectorPatchSchema). */
export type ConnectorPatch = z.input<typeof connectorPatchSchema>;

import { z } from 'zod';
import { apiVersionSchema, languageSchema, connectorIdSchema } from './connector.js';
import { countsSchema, isoDate, schemaVersion } from './common.js';

/** Every status a sync event can have: the values of `SyncStatus`, to list or iterate over. */
export const SYNC_STATUSES = ['in_progress', 'completed', 'error', 'paused'] as const;
export const syncStatusSchema = z.enum(SYNC_STATUSES);
/**
 * Where a sync event stands: `in_progress`; `completed` (perhaps with general errors); `error`, when
 * the connector could not start; or `paused`, when the connector was disabled mid-run (the same event
 * resumes once it is enabled again).
 */
export type SyncStatus = z.infer<typeof syncStatusSchema>;

/**
 * Why a run-level problem happened; `auth`/`not_found`/`network` also name connection failures.
 * `auth` is a credential the store refuses (a wrong token, a wrong client secret); `reauthorize`
 * is an app's authorization with the store that has ended (its refresh token expired or was
 * revoked, the app was uninstalled): only the merchant can give it back. `configuration`: a
 * setting of the connector the store cannot follow (a sales channel it does not have).
 * `language`: the host sent text in a language the store has not enabled (a warning: the text
 * stays unwritten until the merchant enables the language).
 */
export const GENERAL_ERROR_CODES = [
  'auth',
  'reauthorize',
  'not_found',
  'network',
  'timeout',
  'server_error',
  'throttled',
  'version',
  'invalid_response',
  'stopped',
  'interrupted',
  'exhausted',
  'configuration',
  'language',
  'internal',
] as const;
export const generalErrorCodeSchema = z.enum(GENERAL_ERROR_CODES);
/** Why a run-level problem happened: one of `GENERAL_ERROR_CODES`, each explained there. Stable: safe to branch on. */
export type GeneralErrorCode = z.infer<typeof generalErrorCodeSchema>;

/** A problem of the run as a whole (not of one item): shown in the event's error dialog. */
export const generalErrorSchema = z.object({
  at: isoDate,
  code: generalErrorCodeSchema,
  message: z.string().max(10_000),
  /** 1-based index of the iteration it happened in, if any. */
  iteration: z.number().int().positive().optional(),
  /** HTTP status from the remote system, where there was one. */
  httpStatus: z.number().int().optional(),
  /** `warning`: the run was not harmed, but the user should know (recorded once per event). Absent: an error. */
  severity: z.literal('warning').optional(),
});
/**
 * A problem of the run as a whole, not of one item (the store refused the credentials, the network
 * failed, throttling was exhausted), or a warning: what the event's error dialog lists.
 */
export type GeneralError = z.infer<typeof generalErrorSchema>;

export const apiVersionInfoSchema = z.object({
  requested: apiVersionSchema,
  /** The version the store actually served (`X-Shopify-Api-Version`), when known. */
  served: apiVersionSchema.optional(),
  status: z.enum(['supported', 'deprecated', 'unknown']),
  /** When Shopify's support for the requested version ends (or ended). */
  supportEndsAt: isoDate.optional(),
  /** Support ends within the warning window (90 days by default). */
  endsSoon: z.boolean(),
  /** `X-Shopify-Api-Deprecated-Reason`, when the store sent it. */
  deprecationReason: z.string().max(2_000).optional(),
});
/**
 * The Shopify API version a sync event used: the one requested and the one the store served, whether
 * Shopify still supports it, and when support ends.
 */
export type ApiVersionInfo = z.infer<typeof apiVersionInfoSchema>;

/** The configuration a sync event ran with: taken at start, never updated after. */
export const configSnapshotSchema = z.object({
  shopDomain: z.string(),
  apiVersion: apiVersionInfoSchema,
  disableDeletions: z.boolean(),
  overwriteStock: z.boolean(),
  includeEmptyCategories: z.boolean(),
  language: languageSchema,
  locationId: z.string().optional(),
  /** The sales channels products were published to (absent in events recorded before it existed). */
  publications: z.array(z.string()).optional(),
  /** Metafield namespaces shopsync owned during the event. */
  ownedMetafieldNamespaces: z.array(z.string()).optional(),
  createMetafieldDefinitions: z.boolean().optional(),
  /** The store's other enabled languages (published or not), which translations were written to (absent before it existed or when the store did not say). */
  translations: z.array(languageSchema).optional(),
  /** Where each of the host's warehouses kept its stock: the location as configured, and its id as the store resolved it. */
  locations: z.array(z.object({ warehouse: z.string(), location: z.string(), id: z.string().optional() })).optional(),
});
/**
 * The configuration a sync event ran with, taken at its start and never updated after: what the
 * Configuration section shows for that event.
 */
export type ConfigSnapshot = z.infer<typeof configSnapshotSchema>;

/** One pass inside a sync event: one batch leased, pushed and acknowledged. */
export const iterationSchema = z.object({
  index: z.number().int().positive(),
  startedAt: isoDate,
  endedAt: isoDate,
  synced: countsSchema,
  failed: countsSchema,
  /** Completed without reaching the store: unchanged since the last sync, or deletions disabled. */
  skipped: countsSchema,
});
/** One pass inside a sync event: when it ran, and how many items of each kind it synced, failed and skipped. */
export type Iteration = z.infer<typeof iterationSchema>;

export const syncTriggerSchema = z.enum(['manual', 'schedule', 'changes', 'retry', 'resume']);
/**
 * What started a sync event: a user (`manual`), the connector's schedule, changes arriving, a retry
 * of failed items, or the resumption of an open event (paused and enabled again, yielded by a
 * fleet runner, or left In Progress by a stopped process).
 */
export type SyncTrigger = z.infer<typeof syncTriggerSchema>;

/** One row of the Activity Register. */
export const syncEventSchema = z.object({
  v: schemaVersion,
  id: z.string().min(1),
  connectorId: connectorIdSchema,
  status: syncStatusSchema,
  trigger: syncTriggerSchema,
  startedAt: isoDate,
  endedAt: isoDate.optional(),
  /** Items still waiting, per entity, as of the last update of this event. */
  pending: countsSchema,
  generalErrors: z.array(generalErrorSchema),
  config: configSnapshotSchema,
  iterations: z.array(iterationSchema),
  /** True once the first iteration has ended: logs can be downloaded from then on. */
  logsAvailable: z.boolean(),
  /** Times the event was paused and resumed (the connector disabled and enabled again). */
  pausedAt: z.array(isoDate),
  resumedAt: z.array(isoDate),
  /**
   * Times a fleet runner gave the event's slot to other stores (`yieldSignal`): the run stopped
   * between two iterations, the event stayed In Progress, and a later run resumed it.
   */
  yieldedAt: z.array(isoDate).optional(),
});
/**
 * One sync event, a row of the Activity Register: its status, when it started and ended, what was
 * still pending, its general errors, the configuration it ran with, its iterations, and whether its
 * logs can be downloaded.
 */
export type SyncEvent = z.infer<typeof syncEventSchema>;

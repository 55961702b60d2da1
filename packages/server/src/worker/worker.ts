/**
 * The worker side of `shopsync serve`: a FleetRunner drives the connectors that have work, each
 * through a ShopifyTarget with the credentials the service keeps; every run's outcome becomes
 * webhook messages (an outbox in the service's store) that a dispatcher delivers, signed. On
 * PostgreSQL the worker also listens for the API processes' commands (enable, disable) so that a
 * run under way pauses or resumes at once, wherever it runs.
 */
import { FleetRunner, type SyncEngine } from '@shopsync/core';
import { NotificationHub } from '@shopsync/postgres';
import { ShopifyTarget } from '@shopsync/shopify';
import type { Services } from '../services.js';
import { WebhookDispatcher } from '../webhooks/dispatcher.js';
import { WebhookOutbox } from '../webhooks/outbox.js';
import { webhookSecretContext } from '../api/routes/webhooks.js';
import { providerFor } from './credentials.js';
import { z } from 'zod';

/** A running worker. */
export interface Worker {
  readonly runner: FleetRunner;
  readonly dispatcher: WebhookDispatcher;
  /** Lets the iterations under way finish, releases every claim, ends deliveries under way. */
  stop(): Promise<void>;
}

const commandSchema = z.object({ c: z.string(), cmd: z.discriminatedUnion('type', [z.object({ type: z.literal('setEnabled'), enabled: z.boolean() }), z.object({ type: z.literal('start') })]) });

/** Starts the worker (module comment). */
export async function startWorker(s: Services): Promise<Worker> {
  const log = s.log.child({ part: 'worker' });
  const endpoint = s.config.shopifyEndpoint;
  const credentials = { store: s.store, storage: s.storage, box: s.box, keys: s.secretKeys, ...(endpoint && { endpoint }) };
  const runner = new FleetRunner({
    storage: s.storage,
    concurrency: s.config.concurrency,
    sliceMs: s.config.sliceMs,
    claimMs: s.config.claimMs,
    pollMs: s.config.pollMs,
    targetFor: async (record) => new ShopifyTarget({ credentials: await providerFor(credentials, record), ...(endpoint && { endpoint }) }),
  });
  const dispatcher = new WebhookDispatcher({
    store: s.store,
    workerId: runner.worker,
    openSecret: (sealed, webhookId) => s.box.open(sealed, webhookSecretContext(webhookId)),
    ...(s.config.webhookRetryMs && { retryScheduleMs: s.config.webhookRetryMs }),
    logger: log,
  });
  const outbox = new WebhookOutbox({ store: s.store, clock: s.clock });
  const record = (fact: Parameters<WebhookOutbox['record']>[0]) =>
    void outbox.record(fact).then(
      (added) => added.length > 0 && dispatcher.wake(),
      (err: unknown) => log.error({ err, connectorId: fact.connectorId }, 'Could not record webhook messages'),
    );

  const watch = (connectorId: string, engine: SyncEngine) => {
    engine.on('statusChanged', (c) => {
      if (c.status !== 'in_progress') record({ kind: 'statusChanged', connectorId, event: c.event });
    });
    engine.on('iterationCompleted', (c) => record({ kind: 'iterationCompleted', connectorId, event: c.event, iteration: c.iteration }));
  };
  runner.on('engineCreated', ({ connectorId, engine }) => {
    watch(connectorId, engine);
    s.engines.add(connectorId, engine);
  });
  runner.on('claimed', ({ connectorId }) => log.info({ connectorId }, 'Claimed a connector'));
  runner.on('released', (e) => {
    s.engines.remove(e.connectorId);
    const level = e.outcome === 'failed' ? 'warn' : 'info';
    log[level]({ connectorId: e.connectorId, outcome: e.outcome, heldMs: e.heldMs, ...(e.event && { eventId: e.event.id, status: e.event.status }), ...(e.error !== undefined && { err: e.error }) }, 'Released a connector');
  });
  runner.on('error', ({ error, connectorId }) => log.warn({ err: error, connectorId }, 'Fleet storage error; trying again'));
  const unwake = s.engines.onWake(() => runner.wake());

  // Commands from API processes (PostgreSQL): a run under way here pauses or resumes at once.
  let unlisten: (() => Promise<void>) | undefined;
  if (s.postgres) {
    const hub = NotificationHub.for(s.postgres);
    const listening = hub.listen('shopsync_commands', {
      notify(payload) {
        let parsed;
        try {
          parsed = commandSchema.parse(JSON.parse(payload));
        } catch {
          return;
        }
        const { c: connectorId, cmd } = parsed;
        if (cmd.type === 'setEnabled') void s.engines.get(connectorId)?.setEnabled(cmd.enabled).catch((err: unknown) => log.warn({ err, connectorId }, 'Could not apply a command'));
        else runner.wake();
      },
      // Commands lost while the connection was down: runs go on under the flag their next claim reads.
      reconnected() {},
    });
    await listening.ready;
    unlisten = () => listening.close();
  }

  runner.start();
  dispatcher.start();
  log.info({ worker: runner.worker, concurrency: s.config.concurrency }, 'Worker started');
  return {
    runner,
    dispatcher,
    async stop() {
      unwake();
      await unlisten?.();
      await runner.stop();
      await dispatcher.stop();
      log.info({ worker: runner.worker }, 'Worker stopped: claims released');
    },
  };
}

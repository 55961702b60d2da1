/**
 * `shopsync serve` as a function: opens the services, starts the API and/or the worker by role,
 * and stops gracefully on SIGTERM/SIGINT (readiness turns 503, requests under way finish, panel
 * streams end, the worker finishes its iterations and releases its claims, the database closes).
 */
import type { AddressInfo } from 'node:net';
import pino, { type Logger } from 'pino';
import { buildApp } from './api/app.js';
import { apiRoutes } from './api/routes/index.js';
import { metaRoutes } from './api/routes/meta.js';
import type { ServerConfig } from './config/config.js';
import { buildOpenApiDocument } from './openapi/document.js';
import { openServices, type Services } from './services.js';
import { startWorker, type Worker } from './worker/worker.js';

/** The service's version, shown in the OpenAPI document. */
export const VERSION = '0.1.0';

/** A running service. */
export interface RunningServer {
  services: Services;
  /** Where the API listens (role `all` or `api`). */
  url?: string;
  worker?: Worker;
  /** Stops gracefully (module comment); resolves when everything is closed. */
  close(): Promise<void>;
}

/** The service's logger: JSON lines on stdout, secrets' usual places redacted. */
export function createLogger(level: ServerConfig['logLevel'], destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'shopsync' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: ['req.headers.authorization', 'headers.authorization', 'accessToken', 'refreshToken', 'clientSecret', 'secret', '*.accessToken', '*.refreshToken', '*.clientSecret', '*.secret'], censor: '[REDACTED]' },
    },
    destination,
  );
}

/** The OpenAPI document of this version (every route, the panel's too). */
export function openApiDocument(): Record<string, unknown> {
  return buildOpenApiDocument([...apiRoutes(), ...metaRoutes(() => ({}), () => false)], VERSION);
}

/** Starts the service (module comment). */
export async function startServer(config: ServerConfig, options: { log?: Logger } = {}): Promise<RunningServer> {
  const log = options.log ?? createLogger(config.logLevel);
  const services = await openServices(config, log);
  let draining = false;
  let worker: Worker | undefined;
  let api: Awaited<ReturnType<typeof buildApp>> | undefined;
  let url: string | undefined;
  try {
    if (config.role !== 'worker') {
      let document: Record<string, unknown> | undefined;
      api = await buildApp(services, { draining: () => draining, document: () => (document ??= openApiDocument()) });
      await api.app.listen({ host: config.host, port: config.port });
      const address = api.app.server.address() as AddressInfo;
      url = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
      log.info({ url, role: config.role, database: config.database.kind }, 'API listening');
    }
    if (config.role !== 'api') worker = await startWorker(services);
  } catch (err) {
    await api?.app.close().catch(() => undefined);
    await services.close().catch(() => undefined);
    throw err;
  }
  let closing: Promise<void> | undefined;
  return {
    services,
    ...(url && { url }),
    ...(worker && { worker }),
    close() {
      closing ??= (async () => {
        draining = true;
        log.info('Shutting down: finishing what is under way');
        // Panel streams would hold the server open: end them first (browsers reconnect elsewhere).
        await api?.panels.close();
        const timer = setTimeout(() => api?.app.server.closeAllConnections(), config.shutdownMs);
        timer.unref();
        await Promise.all([api?.app.close(), worker?.stop()]);
        clearTimeout(timer);
        await services.close();
        log.info('Stopped');
      })();
      return closing;
    },
  };
}

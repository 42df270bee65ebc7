import type { FastifyInstance } from 'fastify';
import { loadConfig, type Config } from './platform/config.js';
import { createLogger, type Logger } from './platform/logger.js';
import { createDeps, type Deps, type DepsOverrides } from './composition.js';
import { buildApp } from './app.js';

export interface RunningServer {
  app: FastifyInstance;
  deps: Deps;
  url: string;
  close(): Promise<void>;
}

/**
 * Process entry: loadConfig → createDeps → buildApp → listen (STYLE C1).
 * @param config - parsed configuration
 * @param log - the process logger
 * @param beforeListen - work to do once the app is built (the demo seeds here)
 * @param overrides - test doubles (E2E journeys of one module)
 * @returns the running server
 */
export async function startServer(config: Config, log: Logger, beforeListen?: (deps: Deps) => Promise<void>, overrides: DepsOverrides = {}): Promise<RunningServer> {
  const deps = await createDeps(config, log, overrides);
  if (beforeListen) await beforeListen(deps);
  const app = await buildApp(deps);
  await app.listen({ host: config.HOST, port: config.PORT });
  if (config.OUTBOX_WORKER) deps.outbox.start();
  // Art. 17 deadlines: the periodic scan backs up the outbox rows.
  if (config.OUTBOX_WORKER) deps.deadlines.startScanner(60_000);
  // Art. 15 item 4: the daily roll-forward of slots, once a day across all server processes.
  if (config.OUTBOX_WORKER) deps.slotRoll.start();
  if (config.OUTBOX_WORKER) deps.gpRestore.start();
  if (config.OUTBOX_WORKER) deps.prophylaxisReminders.start();
  if (config.OUTBOX_WORKER) deps.nhisRegistration.reconcile.start();
  if (config.OUTBOX_WORKER) deps.sickLeaveDeadlines.start(15 * 60_000);
  // W14: referrals reserved by a booking that never came to be are given back (docs/referrals.md).
  if (config.OUTBOX_WORKER) deps.referralSweep.start(5 * 60_000);
  // Art. 28(1) items 6-7: the daily backup and the monthly restore check (docs/operations.md).
  if (config.OUTBOX_WORKER && config.BACKUP_DESTINATIONS.length > 0) deps.backup.dailyBackup.start();
  if (config.OUTBOX_WORKER && config.BACKUP_DESTINATIONS.length > 0 && config.BACKUP_IDENTITY_FILE) deps.backup.monthlyCheck.start();
  if (config.BACKUP_DESTINATIONS.length === 0) log.warn('no BACKUP_DESTINATIONS: no daily backup is taken (Art. 28(1) item 6, docs/operations.md)');
  deps.auditHeads.start(config.AUDIT_HEAD_EXPORT_INTERVAL_SECONDS * 1000, log);
  // Security: heads kept only beside the database do not survive its administrator (docs/audit.md).
  if (!config.AUDIT_HEAD_EXPORT_DATABASE_URL && config.AUDIT_HEAD_EXPORT_DIR === `${config.DATA_DIR.replace(/\/$/, '')}/audit-heads`) {
    log.warn('audit heads go only to DATA_DIR/audit-heads on this host: set AUDIT_HEAD_EXPORT_DATABASE_URL or mount AUDIT_HEAD_EXPORT_DIR from another host (docs/audit.md)');
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  const url = config.PUBLIC_URL ?? `http://localhost:${port}`;
  let closing: Promise<void> | undefined;
  return {
    app,
    deps,
    url,
    close: () =>
      (closing ??= (async () => {
        await app.close();
        await deps.close();
      })()),
  };
}

/**
 * Closes the server on SIGINT/SIGTERM, finishing in-flight requests, then the database.
 * @param server - the running server
 * @param log - for the shutdown message
 */
export function closeOnSignals(server: RunningServer, log: Logger): void {
  const shutdown = (signal: string) => {
    log.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    server.close().then(
      () => process.exit(0),
      (err: unknown) => {
        log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
}

export { loadConfig, createLogger };

import { loadConfig } from '../platform/config.js';
import { createLogger } from '../platform/logger.js';
import { fixedClock } from '../platform/clock.js';
import { createDeps } from '../composition.js';
import { buildApp } from '../app.js';
import type { ConsultationGates, RequestLifecycle } from '../modules/consultation/index.js';

// A server process for the cross-node signalling test: the real app on PostgreSQL, with the
// consent gates and the request lifecycle as doubles (their modules test them) and the parent's test
// clock. Usage: node --import tsx src/test/signal-node.ts <clock ISO> <DATABASE_URL> <DATA_DIR>.
// Prints {"port":N,"node":id} when listening; ends on SIGTERM.

const allow: ConsultationGates = {
  assertServiceMayStart: async () => undefined,
  assertRecordingAllowed: async () => ({ consentId: '0190aaaa-0000-7000-8000-000000000001' }),
};
// The requests module checks the same gates at `start`; its lifecycle is tested there.
const lifecycle: RequestLifecycle = { startService: async () => undefined, completeService: async () => undefined };

async function main(): Promise<void> {
  const [, , clockIso, databaseUrl, dataDir] = process.argv;
  if (!databaseUrl || !dataDir) throw new Error('usage: signal-node.ts <clock> <DATABASE_URL> <DATA_DIR>');
  const config = loadConfig({ HOST: '127.0.0.1', PORT: '0', DATABASE_URL: databaseUrl, DATA_DIR: dataDir, MIGRATE_ON_START: 'false', OUTBOX_WORKER: 'false', LOG_LEVEL: 'warn' });
  const log = createLogger(config.LOG_LEVEL);
  const deps = await createDeps(config, log, {
    clock: fixedClock(clockIso ?? '2026-11-25T08:00:00Z'),
    consultationPorts: { gates: allow, lifecycle },
  });
  const app = await buildApp(deps);
  await app.listen({ host: config.HOST, port: 0 });
  const addr = app.server.address();
  process.stdout.write(`${JSON.stringify({ port: typeof addr === 'object' && addr ? addr.port : 0, node: deps.signalBus.nodeId })}\n`);
  process.once('SIGTERM', () => {
    void app
      .close()
      .then(() => deps.close())
      .finally(() => process.exit(0));
  });
}

main().catch((err: unknown) => {
  process.stderr.write(`${String(err)}\n`);
  process.exit(1);
});

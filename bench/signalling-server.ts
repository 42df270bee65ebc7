/**
 * The server process of bench/signalling.ts: the real Distansia app (composition, auth hook, signalling
 * hub, consultation service) on a fresh database, seeded with `rooms` emergency consultations between
 * two specialists, each with a session, both already admitted. Started by the driver; not for direct use.
 *
 *   node --import tsx bench/signalling-server.ts <dataDir> <rooms> [DATABASE_URL]
 *
 * The consent gates and the request lifecycle are doubles that allow: the benchmark measures the channel
 * (WebSocket authentication, joins with their audit rows, relaying), not the consent module's checks.
 * Reports {"port", "tokens": [[a, b], ...]} on IPC once listening; answers "rss" with the resident size.
 */
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import { sql } from 'drizzle-orm';
import { loadConfig } from '../src/platform/config.js';
import { createLogger } from '../src/platform/logger.js';
import { createDeps } from '../src/composition.js';
import { buildApp } from '../src/app.js';
import { makeFacilityNumber } from '../src/platform/identifiers.js';

const [, , dataDir, roomsArg, databaseUrl] = process.argv;
const rooms = Number(roomsArg ?? 2500);

// Deterministic ids per entity kind: <kind>-0000-7000-8000-<n in hex>.
const id = (kind: string, n: string) => sql.raw(`(format('${kind}-0000-7000-8000-%s', lpad(to_hex(${n}), 12, '0')))::uuid`);

async function main(): Promise<void> {
  if (!dataDir) throw new Error('usage: signalling-server.ts <dataDir> <rooms> [DATABASE_URL]');
  const config = loadConfig({ HOST: '127.0.0.1', PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'warn', OUTBOX_WORKER: 'false', ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}) });
  const deps = await createDeps(config, createLogger(config.LOG_LEVEL), {
    consultationPorts: {
      gates: { assertServiceMayStart: async () => undefined, assertRecordingAllowed: async () => ({ consentId: '0190aaaa-0000-7000-8000-000000000001' }) },
      lifecycle: { startService: async () => undefined, completeService: async () => undefined },
    },
  });
  const F = '0190ffff-0000-7000-8000-000000000001';
  const n = rooms * 2;
  // Bulk seed with set-based SQL (minutes through the services for 5,000 accounts; seconds here).
  await deps.db.transaction(async (tx) => {
    await tx.execute(sql`INSERT INTO facility (id, number, name, type_code, rhif_code, settlement, address, created_at, updated_at)
      VALUES (${F}, ${makeFacilityNumber('22', 4242)}, 'Bench centre', 'mc', '22', 'София', 'ул. Тестова 1', now(), now())`);
    await tx.execute(sql`INSERT INTO practitioner (id, uin, given_name, family_name, created_at)
      SELECT ${id('0190a001', 'g')}, lpad(g::text, 10, '0'), 'Bench', 'Specialist', now() FROM generate_series(1, ${n}) g`);
    await tx.execute(sql`INSERT INTO user_account (id, email_index, email_enc, password_hash, role, practitioner_id, status, mfa_enrolled_at, created_at, updated_at)
      SELECT ${id('0190a002', 'g')}, 'bench-' || g, '\\x00'::bytea, 'x', 'specialist', ${id('0190a001', 'g')}, 'active', now(), now(), now() FROM generate_series(1, ${n}) g`);
    await tx.execute(sql`INSERT INTO user_session (id, token_hash, csrf_hash, account_id, mfa_method, ip, created_at, last_seen_at, expires_at)
      SELECT ${id('0190a003', 'g')}, translate(rtrim(encode(sha256(('bench-token-' || g)::bytea), 'base64'), '='), '+/', '-_'), 'x', ${id('0190a002', 'g')},
        'totp', '127.0.0.1', now(), now(), now() + interval '12 hours' FROM generate_series(1, ${n}) g`);
    // Room i: specialist 2i-1 provides, specialist 2i requests (an Art. 14(3) emergency consultation).
    await tx.execute(sql`INSERT INTO service_request (id, urgency, mode, status, requester_kind, requester_account_id, requester_practitioner_id, requester_facility_id,
        recipient_kind, recipient_practitioner_id, recipient_facility_id, provider_facility_id, specialty_code, practitioner_id, form_enc, created_at, updated_at)
      SELECT ${id('0190a004', 'i')}, 'emergency', 'synchronous', 'in_progress', 'specialist', ${id('0190a002', '2*i')}, ${id('0190a001', '2*i')}, ${F},
        'specialist', ${id('0190a001', '2*i')}, ${F}, ${F}, '1020', ${id('0190a001', '2*i-1')}, '\\x00'::bytea, now(), now() FROM generate_series(1, ${rooms}) i`);
    await tx.execute(sql`INSERT INTO consultation (id, request_id, facility_id, practitioner_id, mode, status, started_at, created_at, updated_at)
      SELECT ${id('0190a005', 'i')}, ${id('0190a004', 'i')}, ${F}, ${id('0190a001', '2*i-1')}, 'synchronous', 'in-progress', now(), now(), now() FROM generate_series(1, ${rooms}) i`);
    await tx.execute(sql`INSERT INTO consultation_participant (consultation_id, account_id, side, admitted_at)
      SELECT ${id('0190a005', 'i')}, ${id('0190a002', '2*i-1')}, 'provider', now() FROM generate_series(1, ${rooms}) i
      UNION ALL SELECT ${id('0190a005', 'i')}, ${id('0190a002', '2*i')}, 'requester', now() FROM generate_series(1, ${rooms}) i`);
  });
  const app = await buildApp(deps);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  const hex = (k: number) => k.toString(16).padStart(12, '0');
  const roomList = Array.from({ length: rooms }, (_, i) => ({
    consultationId: `0190a005-0000-7000-8000-${hex(i + 1)}`,
    tokens: [`bench-token-${2 * i + 1}`, `bench-token-${2 * i + 2}`] as const,
  }));
  const eld = monitorEventLoopDelay({ resolution: 1 });
  // Garbage-collection pauses during traffic (a stall of the event loop that is ours, not the machine's).
  const gc = { count: 0, totalMs: 0, maxMs: 0, on: false };
  new PerformanceObserver((list) => {
    if (!gc.on) return;
    for (const e of list.getEntries()) {
      gc.count += 1;
      gc.totalMs += e.duration;
      gc.maxMs = Math.max(gc.maxMs, e.duration);
    }
  }).observe({ entryTypes: ['gc'] });
  process.send?.({ port, rooms: roomList, database: deps.database.kind });
  process.on('message', (m) => {
    if (m === 'rss') {
      const cpu = process.cpuUsage();
      process.send?.({ rss: process.memoryUsage().rss, cpuMs: (cpu.user + cpu.system) / 1000, hub: deps.signalling.stats(), loopDelayP99Ms: eld.percentile(99) / 1e6, loopDelayMaxMs: eld.max / 1e6, gc });
    }
    if (m === 'eld-start') {
      gc.on = true;
      eld.reset();
      eld.enable();
    }
    if (m === 'stop') void app.close().then(() => deps.close()).finally(() => process.exit(0));
  });
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});

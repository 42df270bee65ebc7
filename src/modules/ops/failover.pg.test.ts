import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../platform/clock.js';
import { onPostgres } from '../../platform/db/testing.js';
import { writableServerUrl } from '../../platform/db/multi-host.js';
import { directoryHeadExporter } from '../../platform/audit/audit-heads.js';
import { verifyAuditTrail } from '../../platform/audit/audit-verify.js';
import { createTestAppAt, type TestApp } from '../../test/app-harness.js';
import { buildRequestsWorld, CARDIOLOGY, type RequestsWorld } from '../../test/requests-world.js';
import { startReplicaPair, type ReplicaPair } from '../../test/pg-replica-pair.js';
import { promoteStandby } from './promote-standby.js';

// S-16 (Art. 28(1) item 5, DECISIONS 15; docs/operations.md#failover): the second site. A primary and a
// synchronous streaming standby, each its own cluster started here (never the shared one on 5432). The
// app writes through HTTP with DATABASE_URL naming both sites, the primary crashes, the standby is
// promoted, and the app, without a restart, finds every acknowledged booking and an intact audit chain.
// PostgreSQL only, like the other *.pg.test.ts; if the clusters cannot be made, the test fails and says why.

describe.skipIf(!onPostgres)('failover to the second site — PostgreSQL only (skipped on PGlite: set DATABASE_URL to run it)', () => {
  let pair: ReplicaPair;
  let t: TestApp;
  let w: RequestsWorld;
  const clock = fixedClock('2026-11-25T08:00:00Z');

  beforeAll(async () => {
    pair = await startReplicaPair({ synchronous: true, database: 'distansia' });
    t = await createTestAppAt({ DATABASE_URL: pair.multiHostUrl }, { clock });
    w = await buildRequestsWorld(t, { slots: 12 });
  }, 120_000);

  afterAll(async () => {
    await t?.close();
    await pair?.destroy();
  });

  const book = (slotId: string) =>
    w.as('patient', {
      method: 'POST',
      url: '/api/v1/requests',
      payload: { urgency: 'planned', mode: 'synchronous', facilityId: w.providerId, specialtyCode: CARDIOLOGY, serviceId: w.syncServiceId, slotId, phone: '+359 88 000 0000', intake: { anamnesis: 'Сърцебиене от седмица' } },
    });

  it('S-16: the standby streams synchronously and /health/ready shows its lag; after the primary crashes and the standby is promoted, every acknowledged booking and audit event is there', async () => {
    const acknowledged: string[] = [];
    for (const slot of w.slots.slice(0, 8)) {
      const r = await book(slot.id);
      expect(r.statusCode).toBe(201);
      acknowledged.push(r.json<{ request: { id: string } }>().request.id);
    }

    const ready = await t.app.inject({ method: 'GET', url: '/health/ready' });
    expect(ready.statusCode).toBe(200);
    const replication = ready.json<{ replication: { role: string; standbys: { name: string; state: string; syncState: string; replayLagBytes: number | null; replayLagSeconds: number | null }[] } }>().replication;
    expect(replication.role).toBe('primary');
    expect(replication.standbys).toHaveLength(1);
    expect(replication.standbys[0]).toMatchObject({ name: 'site_b', state: 'streaming', syncState: 'sync' });
    expect(replication.standbys[0]?.replayLagBytes).toBeGreaterThanOrEqual(0);

    await t.deps.auditHeads.exportNow();
    const auditBefore = await t.deps.database.pool.query<{ n: string }>('SELECT count(*)::text AS n FROM audit_event');

    // The crash: no shutdown checkpoint, connections cut. Every booking above was acknowledged only once
    // the standby had flushed its WAL (synchronous_commit = on with the standby named synchronous).
    await pair.crashPrimary();
    const down = await t.app.inject({ method: 'GET', url: '/health/ready' });
    expect(down.statusCode).toBe(503);

    const promoted = await promoteStandby(pair.standbyUrl);
    expect(promoted.seconds).toBeLessThan(30);

    // The same app process: its pool finds the writable server among DATABASE_URL's hosts.
    let after = await t.app.inject({ method: 'GET', url: '/health/ready' });
    for (let i = 0; i < 20 && after.statusCode !== 200; i += 1) {
      await new Promise((r) => setTimeout(r, 250));
      after = await t.app.inject({ method: 'GET', url: '/health/ready' });
    }
    expect(after.statusCode).toBe(200);
    expect(after.json<{ replication: { role: string } }>().replication.role).toBe('primary');
    const port = await t.deps.database.pool.query<{ port: string }>('SHOW port');
    expect(Number(port.rows[0]?.port)).toBe(pair.standbyPort);
    // pg_dump and the restore check's scratch database follow it too.
    expect(await writableServerUrl(pair.multiHostUrl)).toBe(pair.standbyUrl);

    for (const id of acknowledged) {
      const r = await w.as('patient', { method: 'GET', url: `/api/v1/requests/${id}` });
      expect(r.statusCode, `booking ${id} after failover`).toBe(200);
    }
    const auditAfter = await t.deps.database.pool.query<{ n: string }>('SELECT count(*)::text AS n FROM audit_event');
    // The reads above add events; none recorded before the crash is missing.
    expect(Number(auditAfter.rows[0]?.n)).toBeGreaterThan(Number(auditBefore.rows[0]?.n));
    const verification = await verifyAuditTrail({
      pool: t.deps.database.pool,
      keys: t.deps.auditKeys,
      exportedHeads: await directoryHeadExporter(t.deps.config.AUDIT_HEAD_EXPORT_DIR).readAll(),
      concurrency: 2,
    });
    expect(verification.problems).toEqual([]);
    expect(verification.exportedHeadsChecked).toBeGreaterThan(0);

    // The new primary takes writes.
    const more = await book(w.slots[8]?.id ?? '');
    expect(more.statusCode).toBe(201);
  });
});

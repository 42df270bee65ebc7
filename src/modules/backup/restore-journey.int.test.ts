import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateX25519Identity, identityToRecipient } from 'age-encryption';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, createTestAppAt, type TestApp } from '../../test/app-harness.js';
import { buildRequestsWorld, CARDIOLOGY, type RequestsWorld } from '../../test/requests-world.js';
import { fixedClock } from '../../platform/clock.js';
import { testDatabaseUrl } from '../../platform/db/testing.js';
import { directoryHeadExporter } from '../../platform/audit/audit-heads.js';
import { verifyAuditTrail } from '../../platform/audit/audit-verify.js';
import { dropDatabase, findBackup, readIdentity, restoreInto } from './backup-source.js';
import { configuredTargets } from './backup-target.js';

// S-15 (Art. 28(1) item 7, docs/operations.md#restore-step-by-step): a restore for real. A backup of a
// live app is restored into a new, empty database (`distansia restore`'s path), a new app starts on it
// with the same KEY_DIR, the audit trail verifies against the heads exported before the backup, and the
// patient, with the session they had, reads their request with its encrypted intake. Both engines.

const clock = fixedClock('2026-11-25T08:00:00Z');
const ANAMNESIS = 'Задух при изкачване на стълби от месец';

describe('restore for real: backup → new database → the app runs on it', () => {
  let work: string;
  let t: TestApp;
  let w: RequestsWorld;
  let restored: TestApp | undefined;
  let restoredUrl: string | undefined;
  let requestId: string;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'distansia-restore-journey-'));
    const identity = await generateX25519Identity();
    await writeFile(join(work, 'backup.key'), `${identity}\n`, { mode: 0o600 });
    t = await createTestApp({
      clock,
      env: { BACKUP_DESTINATIONS: `${join(work, 'site-a')},${join(work, 'site-b')}`, BACKUP_RECIPIENTS: await identityToRecipient(identity), BACKUP_IDENTITY_FILE: join(work, 'backup.key') },
    });
    w = await buildRequestsWorld(t, { slots: 4 });
    const booked = await w.as('patient', {
      method: 'POST',
      url: '/api/v1/requests',
      payload: { urgency: 'planned', mode: 'synchronous', facilityId: w.providerId, specialtyCode: CARDIOLOGY, serviceId: w.syncServiceId, slotId: w.slots[0]?.id, phone: '+359 88 123 4567', intake: { anamnesis: ANAMNESIS } },
    });
    expect(booked.statusCode).toBe(201);
    requestId = booked.json<{ request: { id: string } }>().request.id;
    await t.deps.auditHeads.exportNow();
    clock.advance({ seconds: 5 });
  }, 180_000);

  afterAll(async () => {
    await restored?.close();
    if (restoredUrl) await dropDatabase(restoredUrl);
    await t?.close();
    await rm(work, { recursive: true, force: true });
  });

  it('S-15: restored into an empty database, the app starts, the audit trail verifies and the patient’s encrypted intake opens', async () => {
    const backup = await t.deps.backup.backupNow();
    expect(backup.status).toBe('ok');
    const { copies } = await findBackup(configuredTargets(t.deps.config.BACKUP_DESTINATIONS), backup.id);
    const copy = copies[0];
    if (!copy) throw new Error('the backup is at no destination');
    const identity = await readIdentity(t.deps.config.BACKUP_IDENTITY_FILE);

    // The new database: a fresh one on the same server (PostgreSQL), or a new PGlite data directory.
    const env: Record<string, string> = { KEY_DIR: t.deps.config.KEY_DIR, AUDIT_HEAD_EXPORT_DIR: t.deps.config.AUDIT_HEAD_EXPORT_DIR, MIGRATE_ON_START: 'false' };
    if (t.deps.database.kind === 'postgres') {
      const u = new URL(testDatabaseUrl(t.deps.database) ?? '');
      u.pathname = `/distansia_restored_${randomBytes(5).toString('hex')}`;
      restoredUrl = u.toString();
      const { database } = await restoreInto(copy, identity, { postgresUrl: restoredUrl });
      await database.close();
      env.DATABASE_URL = restoredUrl;
    } else {
      const dataDir = join(work, 'restored');
      const { database } = await restoreInto(copy, identity, { pgliteDataDir: dataDir });
      await database.close();
      env.DATA_DIR = dataDir;
    }
    restored = await createTestAppAt(env, { clock });

    const ready = await restored.app.inject({ method: 'GET', url: '/health/ready' });
    expect(ready.json()).toMatchObject({ status: 'ok', checks: { database: 'ok', migrations: 'ok' } });

    const verification = await verifyAuditTrail({
      pool: restored.deps.database.pool,
      keys: restored.deps.auditKeys,
      exportedHeads: await directoryHeadExporter(t.deps.config.AUDIT_HEAD_EXPORT_DIR).readAll(),
      concurrency: restored.deps.database.kind === 'postgres' ? 2 : 1,
    });
    expect(verification.problems).toEqual([]);
    expect(verification.exportedHeadsChecked).toBeGreaterThan(0);

    // The session the patient had before the backup is in the restored database too.
    const read = await restored.app.inject({ method: 'GET', url: `/api/v1/requests/${requestId}`, headers: w.headers.patient });
    expect(read.statusCode).toBe(200);
    expect(read.json<{ form: { intake: { anamnesis?: string } } }>().form.intake.anamnesis).toBe(ANAMNESIS);
  });
});

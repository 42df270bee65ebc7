import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verify } from 'node:crypto';
import { Readable } from 'node:stream';
import { sql } from 'drizzle-orm';
import { generateX25519Identity, identityToRecipient } from 'age-encryption';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/app-harness.js';
import { buildRequestsWorld, CARDIOLOGY, type RequestsWorld } from '../../test/requests-world.js';
import { fixedClock } from '../../platform/clock.js';
import { systemCtx } from '../../platform/auth/request-context.js';
import { fileKeyStore } from '../../platform/crypto/key-store.js';
import { directoryHeadExporter } from '../../platform/audit/audit-heads.js';
import { openBackup, BackupFileError } from './backup-archive.js';
import { reportSigningText } from './backup-rules.js';
import { directoryTarget } from './backup-target.js';
import { createBackupService } from './backup.service.js';
import type { BackupDeps } from './backup.deps.js';
import { BACKUP_ALERT } from './backup.deps.js';

// S-13/S-14/S-15 (Art. 28(1) items 5-7, DECISIONS 15): encrypted backups at two destinations, the restore
// check, and what an inspector sees. Runs on PGlite (dumpDataDir) and on PostgreSQL (pg_dump/pg_restore).

const clock = fixedClock('2026-11-25T08:00:00Z');
let t: TestApp;
let w: RequestsWorld;
let work: string;
let destA: string;
let destB: string;
let identity: string;
let patientIdentifiers: string[] = [];

const bookingPayload = (slotId: string) => ({
  urgency: 'planned', mode: 'synchronous', facilityId: w.providerId, specialtyCode: CARDIOLOGY, serviceId: w.syncServiceId, slotId,
  phone: '+359 88 123 4567', circumstances: 'Следобед', intake: { anamnesis: 'Сърцебиене от седмица', medicines: 'Бисопролол 5 mg' },
});

/** The app's backup dependencies with other destinations (the service in deps uses the configured ones). */
function depsWith(targets: BackupDeps['targets']): BackupDeps {
  const d = t.deps;
  return {
    database: d.database, clock: d.clock, ids: d.ids, log: d.log, store: fileKeyStore(d.config.KEY_DIR), audit: d.audit, auditKeys: d.auditKeys, outbox: d.outbox,
    targets, recipients: d.config.BACKUP_RECIPIENTS, identityFile: d.config.BACKUP_IDENTITY_FILE, stagingDir: join(work, 'staging'),
    databaseUrl: undefined, zone: 'Europe/Sofia', keep: { daily: 14, monthly: 12 },
    exportedHeads: () => directoryHeadExporter(d.config.AUDIT_HEAD_EXPORT_DIR).readAll(),
  };
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'distansia-backup-'));
  destA = join(work, 'site-a');
  destB = join(work, 'site-b');
  identity = await generateX25519Identity();
  await writeFile(join(work, 'backup.key'), `# test key\n${identity}\n`, { mode: 0o600 });
  t = await createTestApp({
    clock,
    env: { DEV_MAIL_SINK: 'true', BACKUP_DESTINATIONS: `${destA},${destB}`, BACKUP_RECIPIENTS: await identityToRecipient(identity), BACKUP_IDENTITY_FILE: join(work, 'backup.key') },
  });
  w = await buildRequestsWorld(t, { slots: 10 });
  const booked = await w.as('patient', { method: 'POST', url: '/api/v1/requests', payload: bookingPayload(w.slots[0]!.id) });
  expect(booked.statusCode).toBe(201);
  const ctx = systemCtx('test.backup');
  const rows = await t.deps.db.execute<{ id: string; pii: Buffer }>(sql`SELECT id, pii FROM patient`);
  for (const row of rows.rows) {
    const p = await t.deps.keyring.decryptJson<{ identifier: string; givenName: string; familyName: string }>(ctx, t.deps.db, 'registry', Buffer.from(row.pii), `patient:${row.id}:pii`);
    patientIdentifiers.push(p.identifier, p.givenName, p.familyName);
  }
  patientIdentifiers = [...new Set(patientIdentifiers)];
  await t.deps.auditHeads.exportNow();
  clock.advance({ seconds: 5 });
}, 240_000);

afterAll(async () => {
  await t?.close();
  await rm(work, { recursive: true, force: true });
});

describe('daily encrypted backups (S-13, S-14)', () => {
  it('S-14: a backup reaches both destinations as an age file; no patient name or EGN, nor staff or facility name, is in it', async () => {
    const r = await t.deps.backup.backupNow();
    expect(r.status).toBe('ok');
    expect(r.destinations.map((d) => d.ok)).toEqual([true, true]);
    for (const dir of [destA, destB]) {
      const names = (await readdir(dir)).sort();
      expect(names).toEqual([`distansia-${r.id}.age`, `distansia-${r.id}.manifest.json`]);
      const file = await readFile(join(dir, `distansia-${r.id}.age`));
      expect(file.subarray(0, 22).toString('latin1')).toBe('age-encryption.org/v1\n');
      const manifest = await readFile(join(dir, `distansia-${r.id}.manifest.json`));
      // Plain names in the database (facility, practitioner) and the patients' identities.
      for (const needle of [...patientIdentifiers, 'Тестов', 'Център 1', 'Сърцебиене']) {
        expect(needle.length).toBeGreaterThanOrEqual(3);
        expect(file.includes(Buffer.from(needle, 'utf8'))).toBe(false);
        expect(manifest.includes(Buffer.from(needle, 'utf8'))).toBe(false);
      }
    }
    // Only the operator's key opens it.
    const other = await generateX25519Identity();
    await expect(openBackup(Readable.from(await readFile(join(destA, `distansia-${r.id}.age`))), other)).rejects.toThrow(BackupFileError);
    const opened = await openBackup(Readable.from(await readFile(join(destA, `distansia-${r.id}.age`))), identity);
    expect(opened.header.id).toBe(r.id);
    expect(opened.header.rowCounts.patient).toBe(3);
    expect(opened.header.keys.length).toBeGreaterThan(0);
    expect(opened.header.keys.every((k) => /^[0-9a-f]{16}$/.test(k.fingerprint ?? ''))).toBe(true);
    const run = await t.deps.db.execute<{ status: string }>(sql`SELECT status FROM backup_run WHERE id = ${r.id}`);
    expect(run.rows[0]?.status).toBe('ok');
  }, 240_000);

  it('S-13: a destination that is gone is reported, the other still gets the backup, and the operator is alerted', async () => {
    const gone = join(work, 'not-a-dir');
    await writeFile(gone, 'a file where the mount should be');
    const svc = createBackupService(depsWith([directoryTarget(join(gone, 'backups')), directoryTarget(destB)]), { backupAt: '01:30', restoreCheckAt: '04:00' });
    clock.advance({ minutes: 1 });
    const r = await svc.backupNow();
    expect(r.status).toBe('partial');
    expect(r.destinations[0]).toMatchObject({ ok: false });
    expect(r.destinations[0]?.error).toMatch(/ENOTDIR|EEXIST|gone|not writable/);
    expect(r.destinations[1]).toMatchObject({ ok: true });
    expect(await readdir(destB)).toContain(`distansia-${r.id}.manifest.json`);
    const alert = await t.deps.db.execute<{ id: string }>(sql`SELECT id FROM outbox WHERE type = ${BACKUP_ALERT} AND status = 'pending'`);
    expect(alert.rows.length).toBe(1);
    await t.deps.outbox.drain(20);
    const mail = await t.deps.db.execute<{ status: string; recipient_account_id: string }>(sql`SELECT status, recipient_account_id FROM notification WHERE kind = 'backup_failed'`);
    expect(mail.rows).toEqual([{ status: 'sent', recipient_account_id: w.accounts.operator }]);
    // Destination A was not part of this run: remove B's extra copy so both sites hold the same backups again.
    await directoryTarget(destB).remove(r.id);
  }, 240_000);

  it('S-14: what a kill -9 leaves (temporary files, a file without its manifest) never counts as a backup', async () => {
    await writeFile(join(destA, '.tmp-distansia-20261125T090000Z-deadbeef.age-999-1'), 'partial');
    await writeFile(join(destA, 'distansia-20261125T090000Z-deadbeef.age'), 'renamed, but killed before the manifest');
    const listed = await directoryTarget(destA).list();
    expect(listed.map((m) => m.id)).not.toContain('20261125T090000Z-deadbeef');
    expect(listed.length).toBe(1);
    await rm(join(destA, '.tmp-distansia-20261125T090000Z-deadbeef.age-999-1'));
    await rm(join(destA, 'distansia-20261125T090000Z-deadbeef.age'));
  });
});

describe('monthly restore check (S-15)', () => {
  it('S-15: the newest backup restores into a scratch database; chain, counts and a sample of records check out; the report is signed', async () => {
    clock.advance({ minutes: 1 });
    const r = await t.deps.backup.restoreCheckNow();
    expect(r.failure).toBeNull();
    expect(r.passed).toBe(true);
    expect(r.copies.map((c) => c.intact)).toEqual([true, true]);
    expect(r.counts.mismatches).toEqual([]);
    expect(r.counts.rows).toBeGreaterThan(50);
    expect(r.chain.ok).toBe(true);
    expect(r.chain.exportedHeadsChecked).toBeGreaterThan(0);
    expect(r.keys.missing).toEqual([]);
    expect(r.sample.byKind).toMatchObject({ patient: 3, service_request: 1 });
    expect(r.sample.opened).toBe(r.sample.checked);

    const doc = await w.as('operator', { method: 'GET', url: `/api/v1/ops/restore-checks/${r.checkId}` });
    expect(doc.statusCode).toBe(200);
    const body = doc.json();
    expect(body.report.backupId).toBe(r.backupId);
    const key = (await t.deps.auditKeys.verifyingKey(body.keyVersion))!;
    expect(verify(null, reportSigningText(body.report), key, Buffer.from(body.signature, 'base64'))).toBe(true);
    expect(verify(null, reportSigningText({ ...body.report, passed: false }), key, Buffer.from(body.signature, 'base64'))).toBe(false);
    const pdf = await w.as('operator', { method: 'GET', url: `/api/v1/ops/restore-checks/${r.checkId}/pdf` });
    expect(pdf.statusCode).toBe(200);
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');

    const overview = await w.as('operator', { method: 'GET', url: '/api/v1/ops/backups' });
    expect(overview.statusCode).toBe(200);
    expect(overview.json().restoreChecks[0]).toMatchObject({ id: r.checkId, passed: true });
    expect(overview.json().backups.length).toBe(2);
    expect((await w.as('patient', { method: 'GET', url: '/api/v1/ops/backups' })).statusCode).toBe(403);
    expect((await w.as('facilityAdmin', { method: 'GET', url: `/api/v1/ops/restore-checks/${r.checkId}` })).statusCode).toBe(403);
  }, 240_000);

  it('S-15: a corrupted backup is refused with a clear message, and the operator is alerted', async () => {
    const [newest] = await directoryTarget(destA).list();
    const id = newest!.id;
    for (const dir of [destA, destB]) {
      const f = join(dir, `distansia-${id}.age`);
      const bytes = await readFile(f);
      bytes[Math.floor(bytes.length / 2)]! ^= 0xff;
      await writeFile(f, bytes);
    }
    clock.advance({ minutes: 1 });
    const before = (await t.deps.db.execute(sql`SELECT id FROM outbox WHERE type = ${BACKUP_ALERT}`)).rows.length;
    const r = await t.deps.backup.restoreCheckNow();
    expect(r.passed).toBe(false);
    expect(r.restoredFrom).toBeNull();
    expect(r.failure).toContain(`backup ${id} at ${destA} is corrupted`);
    const after = (await t.deps.db.execute(sql`SELECT id FROM outbox WHERE type = ${BACKUP_ALERT}`)).rows.length;
    expect(after).toBe(before + 1);
    // Even past the manifest (a file and manifest both replaced), age's authentication refuses the bytes.
    await expect(async () => {
      const { body } = await openBackup(directoryTarget(destA).open(id), identity);
      for await (const chunk of body) void chunk;
    }).rejects.toThrow(/damaged/);
  }, 240_000);
});


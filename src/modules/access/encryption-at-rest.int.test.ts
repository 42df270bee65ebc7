import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../platform/clock.js';
import { createTestApp, type TestApp } from '../../test/app-harness.js';
import { actorNames, buildAccessWorld, type AccessWorld } from '../../test/access-world.js';

// docs/decisions.md#d13 / Art. 28(3)-(4): a database dump holds ciphertext only, and the operator role
// is refused patient data by every route (R-TM-28-3).

describe('encryption at rest', () => {
  let t: TestApp;
  let w: AccessWorld;

  beforeAll(async () => {
    t = await createTestApp({ clock: fixedClock('2026-11-25T08:00:00Z') });
    w = await buildAccessWorld(t);
    // Exercise every writer of encrypted columns before dumping.
    const opened = await w.as('supervisor', { method: 'POST', url: '/api/v1/supervision-cases', payload: { facilityId: w.facilityId, legalBasis: 'Заповед № РД-09-7/2026', reason: `Жалба от ${w.patientA.demographics.familyName}` } });
    expect(opened.statusCode).toBe(201);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('the patient row holds ciphertext: SELECT pii FROM patient shows no name or EGN', async () => {
    const res = await t.deps.db.execute<{ pii: Buffer }>(sql`SELECT pii FROM patient WHERE id = ${w.patientA.id}`);
    const pii = res.rows[0]!.pii;
    expect(Buffer.isBuffer(pii)).toBe(true);
    for (const s of [w.patientA.demographics.givenName, w.patientA.demographics.familyName, w.patientA.demographics.identifier]) {
      expect(pii.includes(Buffer.from(s, 'utf8'))).toBe(false);
    }
  });

  it('a dump of every table shows no plaintext patient data, grant purpose, document or e-mail', async () => {
    const tables = await t.deps.db.execute<{ table_name: string }>(
      sql`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`,
    );
    expect(tables.rows.map((r) => r.table_name)).toEqual(expect.arrayContaining(['patient', 'access_grant', 'representative_link', 'supervision_case', 'user_account', 'audit_event']));
    const needles = [...w.secrets, `Жалба от ${w.patientA.demographics.familyName}`].filter((s) => s.length >= 4);
    // Tricky: a row cast to text shows bytea as hex, so plaintext hidden in a bytea column is searched as hex too.
    const forms = needles.flatMap((s) => [s, s.toLowerCase(), Buffer.from(s, 'utf8').toString('hex')]);
    let rowsScanned = 0;
    for (const { table_name } of tables.rows) {
      const rows = await t.deps.db.execute<{ r: string }>(sql`SELECT t::text AS r FROM ${sql.identifier(table_name)} t`);
      for (const { r } of rows.rows) {
        rowsScanned += 1;
        const hay = r.toLowerCase();
        for (const f of forms) expect(hay.includes(f.toLowerCase()), `${table_name} contains plaintext`).toBe(false);
      }
    }
    expect(rowsScanned).toBeGreaterThan(50);
  });

  it('the scan would see plaintext if it were there (the test can fail)', async () => {
    const rows = await t.deps.db.execute<{ r: string }>(sql`SELECT t::text AS r FROM (SELECT ${w.patientA.demographics.familyName}::text AS name, convert_to(${w.patientA.demographics.identifier}, 'UTF8') AS b) t`);
    const hay = rows.rows[0]!.r.toLowerCase();
    expect(hay.includes(w.patientA.demographics.familyName.toLowerCase())).toBe(true);
    expect(hay.includes(Buffer.from(w.patientA.demographics.identifier).toString('hex'))).toBe(true);
  });

  it('the operator is refused on every patient-data route, even the ones other roles may use', async () => {
    const urls = [
      `/api/v1/patients/${w.patientA.id}`,
      `/api/v1/patients/${w.patientB.id}`,
      `/api/v1/patients/${w.patientA.id}/access-grants`,
      `/api/v1/admin/representative-links?facilityId=${w.facilityId}`,
    ];
    for (const url of urls) {
      const res = await w.as('operator', { method: 'GET', url });
      expect({ url, status: res.statusCode, code: res.json<{ code: string }>().code }).toEqual({ url, status: 403, code: 'auth.forbidden' });
    }
    const acting = await w.as('operator', { method: 'GET', url: '/api/v1/access/acting-for' });
    expect(acting.json()).toEqual({ items: [] });
    expect(actorNames).toContain('operator');
  });
});

import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../platform/clock.js';
import { createTestApp, type TestApp } from '../../test/app-harness.js';
import { BRIEF_SHEET_BODY, completedService } from '../../test/records-world.js';
import { buildAccessWorld, freshStepUpCode, type AccessWorld } from '../../test/access-world.js';
import { createSoftHsm, createTestPki, type SoftHsm } from '../../test/softhsm.js';
import type { ClinicalDocument, Verification } from '../../contracts/records.js';

// Qualified signatures through a server-side PKCS#11 token (SoftHSM standing in for an HSM): the sheet is
// signed JAdES-B-B with the doctor's certificate when the token holds it, advanced otherwise, and
// verification says which level and whose certificate (docs/records.md#signatures).

const clock = fixedClock('2026-11-24T08:00:00Z');
let t: TestApp;
let w: AccessWorld;
let hsm: SoftHsm;
let practitionerId: string;
let uin: string;
let pki: Awaited<ReturnType<typeof createTestPki>>;

const body = BRIEF_SHEET_BODY;

async function signSheet(): Promise<{ doc: ClinicalDocument; verification: Verification }> {
  const headers = w.sessions.specialistWithCare.headers;
  const requestId = await completedService(t, w, { practitionerId, completedAt: clock.now().toString(), now: clock.now().toString() });
  const draft = await t.app.inject({ method: 'POST', url: `/api/v1/requests/${requestId}/documents`, headers, payload: { kind: 'ambulatory_sheet', body } });
  expect(draft.statusCode, draft.body).toBe(201);
  const d = draft.json<ClinicalDocument>();
  // The signature is confirmed with a fresh second factor (docs/decisions.md#d5).
  const code = await freshStepUpCode(clock, w.sessions.specialistWithCare.totpSecret);
  const signed = await t.app.inject({ method: 'POST', url: `/api/v1/records/documents/${d.id}/sign`, headers: { ...headers, 'if-match': `"${d.version}"` }, payload: { code } });
  expect(signed.statusCode, signed.body).toBe(200);
  const verified = await t.app.inject({ method: 'GET', url: `/api/v1/records/documents/${d.id}/verification`, headers });
  expect(verified.statusCode, verified.body).toBe(200);
  return { doc: signed.json<ClinicalDocument>(), verification: verified.json<Verification>() };
}

beforeAll(async () => {
  pki = await createTestPki();
  hsm = await createSoftHsm([{ label: 'facility-hsm', pin: '2468', keys: [] }]);
  process.env.SOFTHSM2_CONF = hsm.conf;
  const dir = hsm.conf.replace(/\/[^/]+$/, '');
  await writeFile(join(dir, 'ca.pem'), pki.caPem);
  await writeFile(join(dir, 'pin'), '2468\n');
  t = await createTestApp({ clock, env: { SIGNING_CA_BUNDLE: join(dir, 'ca.pem'), PKCS11_MODULE: hsm.module, PKCS11_TOKEN_LABEL: 'facility-hsm', PKCS11_PIN_FILE: join(dir, 'pin') } });
  w = await buildAccessWorld(t);
  const row = await t.deps.db.execute<{ practitioner_id: string; uin: string }>(sql`SELECT u.practitioner_id, p.uin FROM user_account u JOIN practitioner p ON p.id = u.practitioner_id WHERE u.id = ${w.sessions.specialistWithCare.accountId}`);
  practitionerId = row.rows[0]!.practitioner_id;
  uin = row.rows[0]!.uin.trim();
}, 60_000);
afterAll(async () => {
  await t?.close();
  await hsm?.remove();
});

describe('qualified signatures through a server-side PKCS#11 token (SoftHSM)', () => {
  it('without the doctor’s certificate on the token the sheet is signed advanced', async () => {
    const { verification } = await signSheet();
    expect(verification).toMatchObject({ valid: true, level: 'advanced', certificate: null });
  });

  it('with it, the sheet is signed qualified (JAdES-B-B) and verification names the certificate', async () => {
    const issued = await pki.issue({ uin, name: 'Д-р Тестов' });
    hsm.addKeys('facility-hsm', '2468', [{ id: 'c1', label: uin, issued }]);
    const { doc, verification } = await signSheet();
    expect(verification).toMatchObject({ valid: true, level: 'qualified', checks: { signature: true, contentDigest: true, header: true, chain: true }, certificate: { trusted: true } });
    expect(verification.certificate?.subject).toContain(`UIN-${uin}`);
    expect(doc.signature?.level).toBe('qualified');
    const key = await t.deps.db.execute<{ level: string; private_key_enc: Buffer | null; alg: string }>(sql`SELECT level, private_key_enc, alg FROM practitioner_signing_key WHERE id = ${verification.keyId}`);
    // The key stays on the token: Distansia holds only the certificate.
    expect(key.rows[0]).toMatchObject({ level: 'qualified', private_key_enc: null, alg: 'ES256' });
  });

  it('a certificate of another doctor on the token is never used for this one', async () => {
    const other = await pki.issue({ uin: '0400000009', name: 'Д-р Друг' });
    hsm.addKeys('facility-hsm', '2468', [{ id: 'd1', label: 'other', issued: other }]);
    const { verification } = await signSheet();
    expect(verification.certificate?.subject).toContain(`UIN-${uin}`);
  });
});

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../platform/clock.js';
import { createTestApp, type TestApp } from '../../test/app-harness.js';
import { BRIEF_SHEET_BODY, completedService } from '../../test/records-world.js';
import { buildAccessWorld, freshStepUpCode, type AccessWorld } from '../../test/access-world.js';
import { createTestPki } from '../../test/softhsm.js';
import { startCardAgent, type CardAgent } from '../../test/card-agent.js';
import { jadesHeader, jwsSigningInput } from '../signing/index.js';
import type { ClinicalDocument, Verification } from '../../contracts/records.js';

// The doctor's card on the doctor's computer (docs/records.md#the-local-signer): the server prepares the
// JAdES signing input, the browser has the local agent (`distansia signer`, here over SoftHSM) sign it,
// and the server accepts the signature only from a certificate that chains to SIGNING_CA_BUNDLE and names
// this doctor, over exactly this version's canonical content, made recently. Refusals are catalogued
// errors in Bulgarian and English, and audited.

const clock = fixedClock('2026-11-24T08:00:00Z');
let t: TestApp;
let w: AccessWorld;
let card: CardAgent;
let practitionerId: string;
let uin: string;
let dir: string;

const body = BRIEF_SHEET_BODY;

const headers = () => w.sessions.specialistWithCare.headers;

async function draftSheet(): Promise<ClinicalDocument> {
  const requestId = await completedService(t, w, { practitionerId, completedAt: clock.now().toString(), now: clock.now().toString() });
  const draft = await t.app.inject({ method: 'POST', url: `/api/v1/requests/${requestId}/documents`, headers: headers(), payload: { kind: 'ambulatory_sheet', body } });
  expect(draft.statusCode, draft.body).toBe(201);
  return draft.json<ClinicalDocument>();
}


const cardCertificate = async (id: string) => (await card.call<{ certificates: { id: string; der: string }[] }>('/v1/certificates')).certificates.find((c) => c.id === id)!.der;
const cardSign = async (id: string, signingInput: string) => (await card.call<{ signature: string }>('/v1/sign/jws', { certificateId: id, signingInput })).signature;

async function prepare(doc: ClinicalDocument, chain: string[], lang = 'en') {
  return t.app.inject({ method: 'POST', url: `/api/v1/records/documents/${doc.id}/agent-signature/prepare`, headers: { ...headers(), 'if-match': `"${doc.version}"`, 'accept-language': lang }, payload: { certificateChain: chain } });
}

async function submit(doc: ClinicalDocument, signingInput: string, signature: string, lang = 'en') {
  const code = await freshStepUpCode(clock, w.sessions.specialistWithCare.totpSecret);
  return t.app.inject({ method: 'POST', url: `/api/v1/records/documents/${doc.id}/agent-signature`, headers: { ...headers(), 'if-match': `"${doc.version}"`, 'accept-language': lang }, payload: { code, signingInput, signature } });
}

async function refusals(documentId: string): Promise<{ code: string; outcome: string }[]> {
  const rows = await t.deps.db.execute<{ data: { code: string }; outcome: string }>(sql`SELECT data, outcome FROM audit_event WHERE action = 'record.signature_refused' AND subject_id = ${documentId} ORDER BY recorded_at`);
  return rows.rows.map((r) => ({ code: (typeof r.data === 'string' ? (JSON.parse(r.data) as { code: string }) : r.data).code, outcome: r.outcome }));
}

/** A signing input with the prepared one's payload and a header made for another certificate. */
function reheadered(prepared: string, chain: string[]): string {
  const [h, p] = prepared.split('.');
  const header = JSON.parse(Buffer.from(h!, 'base64url').toString('utf8')) as { kid: string; cty: string; sigT: string };
  const payload = JSON.parse(Buffer.from(p!, 'base64url').toString('utf8')) as unknown;
  return jwsSigningInput(jadesHeader('ES256', chain, new Date(header.sigT), { cty: header.cty, kid: header.kid }), payload);
}

beforeAll(async () => {
  const pki = await createTestPki();
  const foreignPki = await createTestPki('Unknown CA');
  dir = await mkdtemp(join(tmpdir(), 'agent-signature-'));
  await writeFile(join(dir, 'ca.pem'), pki.caPem);
  t = await createTestApp({ clock, env: { SIGNING_CA_BUNDLE: join(dir, 'ca.pem') } });
  w = await buildAccessWorld(t);
  const row = await t.deps.db.execute<{ practitioner_id: string; uin: string }>(sql`SELECT u.practitioner_id, p.uin FROM user_account u JOIN practitioner p ON p.id = u.practitioner_id WHERE u.id = ${w.sessions.specialistWithCare.accountId}`);
  practitionerId = row.rows[0]!.practitioner_id;
  uin = row.rows[0]!.uin.trim();
  // One card holding the doctor's certificate, another doctor's, and one with the doctor's UIN from an unknown CA.
  card = await startCardAgent(
    {
      label: 'card',
      pin: '1111',
      keys: [
        { id: '01', label: 'own', issued: await pki.issue({ uin, name: 'Д-р Тестов' }) },
        { id: '02', label: 'other', issued: await pki.issue({ uin: '0400000009', name: 'Д-р Друг' }) },
        { id: '03', label: 'foreign', issued: await foreignPki.issue({ uin, name: 'Д-р Тестов' }) },
      ],
    },
    '24681357',
  );
}, 90_000);
afterAll(async () => {
  await card?.close();
  await t?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('a qualified signature made by the doctor’s card through the local agent', () => {
  it('is accepted: stored as qualified, verified against the CA, and queued for the NHIS', async () => {
    const doc = await draftSheet();
    const prepared = await prepare(doc, [await cardCertificate('01')]);
    expect(prepared.statusCode, prepared.body).toBe(200);
    const { signingInput, keyId } = prepared.json<{ signingInput: string; keyId: string }>();
    const signed = await submit(doc, signingInput, await cardSign('01', signingInput));
    expect(signed.statusCode, signed.body).toBe(200);
    expect(signed.json<ClinicalDocument>()).toMatchObject({ status: 'signed', signature: { level: 'qualified', keyId } });
    const verification = (await t.app.inject({ method: 'GET', url: `/api/v1/records/documents/${doc.id}/verification`, headers: headers() })).json<Verification>();
    expect(verification).toMatchObject({ valid: true, level: 'qualified', checks: { signature: true, contentDigest: true, header: true, chain: true }, certificate: { trusted: true } });
    expect(verification.certificate?.subject).toContain(`UIN-${uin}`);
    const audit = await t.deps.db.execute<{ data: unknown }>(sql`SELECT data FROM audit_event WHERE action = 'record.signed' AND subject_id = ${doc.id}`);
    expect(JSON.stringify(audit.rows[0]?.data)).toContain('"level":"qualified"');
    const submission = await t.deps.db.execute<{ operation: string }>(sql`SELECT operation FROM nhis_submission WHERE document_id = ${doc.id}`);
    expect(submission.rows).toMatchObject([{ operation: 'open_close' }]);
  });

  it('another doctor’s certificate is refused when preparing and when signing', async () => {
    const doc = await draftSheet();
    const other = await cardCertificate('02');
    const refused = await prepare(doc, [other], 'bg');
    expect(refused.statusCode).toBe(422);
    expect(refused.json()).toMatchObject({ code: 'signing.certificate_not_signer', title: 'Сертификатът за подпис не е на подписващия лекар' });
    // A browser that skips the server's preparation and signs with the other doctor's card.
    const own = (await prepare(doc, [await cardCertificate('01')])).json<{ signingInput: string }>().signingInput;
    const forged = reheadered(own, [other]);
    const res = await submit(doc, forged, await cardSign('02', forged));
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ code: 'signing.certificate_not_signer', title: "The signing certificate is not the signing doctor's" });
    expect(await refusals(doc.id)).toEqual([
      { code: 'signing.certificate_not_signer', outcome: 'denied' },
      { code: 'signing.certificate_not_signer', outcome: 'denied' },
    ]);
  });

  it('a signature over other content, or a changed draft, or altered bytes is refused', async () => {
    const doc = await draftSheet();
    const { signingInput } = (await prepare(doc, [await cardCertificate('01')])).json<{ signingInput: string }>();
    // The card signs a payload whose digest is not this sheet's.
    const [h, p] = signingInput.split('.');
    const payload = JSON.parse(Buffer.from(p!, 'base64url').toString('utf8')) as { sha256: string };
    const tampered = `${h!}.${Buffer.from(JSON.stringify({ ...payload, sha256: '0'.repeat(64) })).toString('base64url')}`;
    const res = await submit(doc, tampered, await cardSign('01', tampered), 'bg');
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ code: 'signing.content_mismatch', title: 'Подписът не е върху тази версия на документа; подпишете отново' });
    // The draft changes after the card signed: the signature is not over the new version.
    const signature = await cardSign('01', signingInput);
    const saved = await t.app.inject({ method: 'PUT', url: `/api/v1/records/documents/${doc.id}`, headers: { ...headers(), 'if-match': `"${doc.version}"` }, payload: { body: { ...body, therapy: 'Друга терапия.' } } });
    expect(saved.statusCode, saved.body).toBe(200);
    const changed = saved.json<ClinicalDocument>();
    expect((await submit(changed, signingInput, signature)).json()).toMatchObject({ code: 'signing.content_mismatch' });
    // Bytes changed in transit.
    const { signingInput: fresh } = (await prepare(changed, [await cardCertificate('01')])).json<{ signingInput: string }>();
    const sig = Buffer.from(await cardSign('01', fresh), 'base64url');
    sig[10] = (sig[10] ?? 0) ^ 0xff;
    expect((await submit(changed, fresh, sig.toString('base64url'))).json()).toMatchObject({ code: 'signing.signature_invalid', title: 'The signature is not valid' });
    expect((await refusals(doc.id)).map((r) => r.code)).toEqual(['signing.content_mismatch', 'signing.content_mismatch', 'signing.signature_invalid']);
    const row = await t.deps.db.execute<{ status: string }>(sql`SELECT status FROM clinical_document WHERE id = ${doc.id}`);
    expect(row.rows[0]?.status).toBe('draft');
  });

  it('a certificate from an unknown CA is refused, even naming this doctor', async () => {
    const doc = await draftSheet();
    const foreign = await cardCertificate('03');
    const refused = await prepare(doc, [foreign], 'bg');
    expect(refused.statusCode).toBe(422);
    expect(refused.json()).toMatchObject({ code: 'signing.certificate_untrusted', title: 'Сертификатът за подпис не е доверен' });
    const own = (await prepare(doc, [await cardCertificate('01')])).json<{ signingInput: string }>().signingInput;
    const forged = reheadered(own, [foreign]);
    const res = await submit(doc, forged, await cardSign('03', forged));
    expect(res.json()).toMatchObject({ code: 'signing.certificate_untrusted', title: 'The signing certificate is not trusted' });
    expect((await refusals(doc.id)).map((r) => r.code)).toEqual(['signing.certificate_untrusted', 'signing.certificate_untrusted']);
  });

  it('a signature prepared more than ten minutes earlier is refused as stale', async () => {
    const doc = await draftSheet();
    const { signingInput } = (await prepare(doc, [await cardCertificate('01')])).json<{ signingInput: string }>();
    const signature = await cardSign('01', signingInput);
    clock.advance({ minutes: 11 });
    const res = await submit(doc, signingInput, signature, 'bg');
    expect(res.json()).toMatchObject({ code: 'signing.signature_stale', title: 'Подписът е твърде стар; подпишете отново' });
    expect((await refusals(doc.id)).map((r) => r.code)).toEqual(['signing.signature_stale']);
  });
});

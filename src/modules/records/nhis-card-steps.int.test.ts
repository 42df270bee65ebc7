import { createHash, X509Certificate } from 'node:crypto';
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
import type { ClinicalDocument, NhisCardStep } from '../../contracts/records.js';

// The NHIS messages of a record signed with the doctor's card are signed by the same card
// (docs/nhis.md#signer): the server drives the steps (token challenge, X001, X003), the local agent
// (`distansia signer` over SoftHSM) signs each one, and the NHIS simulator over HTTP checks every signature
// against its CAs and that each message is signed by the certificate that obtained the token. Here the
// simulator trusts the card's test CA (SIGNING_CA_BUNDLE) besides its own, as the NHIS trusts qualified CAs.

const clock = fixedClock('2026-11-24T08:00:00Z');
let t: TestApp;
let w: AccessWorld;
let card: CardAgent;
let practitionerId: string;
let dir: string;
/** SHA-256 (hex) of the DER of the card's certificate that signs the records, and of a second one of the same doctor. */
let cardSha256: string;
let secondSha256: string;

const headers = () => w.sessions.specialistWithCare.headers;
const sha256Of = (pem: string) => createHash('sha256').update(new X509Certificate(pem).raw).digest('hex');


/** A sheet signed qualified with the card's certificate 01 through the agent (as agent-signature.int.test.ts). */
async function sheetSignedWithCard(): Promise<ClinicalDocument> {
  const requestId = await completedService(t, w, { practitionerId, completedAt: clock.now().toString(), now: clock.now().toString() });
  const draft = await t.app.inject({ method: 'POST', url: `/api/v1/requests/${requestId}/documents`, headers: headers(), payload: { kind: 'ambulatory_sheet', body: BRIEF_SHEET_BODY } });
  expect(draft.statusCode, draft.body).toBe(201);
  const doc = draft.json<ClinicalDocument>();
  const der = (await card.call<{ certificates: { id: string; der: string }[] }>('/v1/certificates')).certificates.find((c) => c.id === '01')!.der;
  const prepared = await t.app.inject({ method: 'POST', url: `/api/v1/records/documents/${doc.id}/agent-signature/prepare`, headers: { ...headers(), 'if-match': `"${doc.version}"` }, payload: { certificateChain: [der] } });
  expect(prepared.statusCode, prepared.body).toBe(200);
  const { signingInput } = prepared.json<{ signingInput: string }>();
  const { signature } = await card.call<{ signature: string }>('/v1/sign/jws', { certificateId: '01', signingInput });
  const code = await freshStepUpCode(clock, w.sessions.specialistWithCare.totpSecret);
  const signed = await t.app.inject({ method: 'POST', url: `/api/v1/records/documents/${doc.id}/agent-signature`, headers: { ...headers(), 'if-match': `"${doc.version}"` }, payload: { code, signingInput, signature } });
  expect(signed.statusCode, signed.body).toBe(200);
  return signed.json<ClinicalDocument>();
}

const stepCall = (documentId: string, body: Record<string, unknown>, lang = 'en') =>
  t.app.inject({ method: 'POST', url: `/api/v1/records/documents/${documentId}/nhis-card-steps`, headers: { ...headers(), 'accept-language': lang }, payload: body });

async function step(documentId: string, body: Record<string, unknown>): Promise<NhisCardStep> {
  const res = await stepCall(documentId, body);
  expect(res.statusCode, res.body).toBe(200);
  return res.json<NhisCardStep>();
}

const cardSignXml = async (certificateId: string, xml: string) => (await card.call<{ xml: string }>('/v1/sign/xml', { certificateId, xml })).xml;

/** What the browser does after "Подпиши с КЕП": the steps until done, each signed by the card. */
async function runSteps(documentId: string): Promise<{ kinds: string[]; done: Extract<NhisCardStep, { step: 'done' }> }> {
  const kinds: string[] = [];
  let next = await step(documentId, {});
  while (next.step === 'sign') {
    kinds.push(next.kind);
    next = await step(documentId, { signed: { kind: next.kind, xml: await cardSignXml('01', next.xml) } });
  }
  return { kinds, done: next };
}

const http = () => {
  const h = t.deps.nhisHttp;
  if (!h) throw new Error('the HTTP simulator is not running');
  return h;
};

async function submission(documentId: string) {
  return (await t.deps.db.execute<{ status: string; nrn: string | null; attempts: number; claimed_by: string | null }>(sql`SELECT status, nrn, attempts, claimed_by FROM nhis_submission WHERE document_id = ${documentId}`)).rows[0]!;
}

async function attempts(documentId: string) {
  return (await t.deps.db.execute<{ message_type: string; outcome: string }>(sql`SELECT a.message_type, a.outcome FROM nhis_attempt a JOIN nhis_submission s ON s.id = a.submission_id WHERE s.document_id = ${documentId} ORDER BY a.at, a.message_type`)).rows;
}

beforeAll(async () => {
  const pki = await createTestPki();
  dir = await mkdtemp(join(tmpdir(), 'nhis-card-'));
  await writeFile(join(dir, 'ca.pem'), pki.caPem);
  t = await createTestApp({ clock, env: { SIGNING_CA_BUNDLE: join(dir, 'ca.pem'), NHIS_SIMULATOR: 'http' } });
  w = await buildAccessWorld(t);
  const row = await t.deps.db.execute<{ practitioner_id: string; uin: string }>(sql`SELECT u.practitioner_id, p.uin FROM user_account u JOIN practitioner p ON p.id = u.practitioner_id WHERE u.id = ${w.sessions.specialistWithCare.accountId}`);
  practitionerId = row.rows[0]!.practitioner_id;
  const uin = row.rows[0]!.uin.trim();
  // RSA keys, as КЕП cards hold and as the NHIS signature profile (RSA-SHA256) needs; two certificates of the same doctor.
  const own = await pki.issue({ uin, name: 'Д-р Тестов', alg: 'RS256' });
  const second = await pki.issue({ uin, name: 'Д-р Тестов (втори)', alg: 'RS256' });
  cardSha256 = sha256Of(own.certPem);
  secondSha256 = sha256Of(second.certPem);
  card = await startCardAgent({ label: 'card', pin: '1111', keys: [{ id: '01', label: 'own', issued: own }, { id: '02', label: 'second', issued: second }] });
}, 90_000);
afterAll(async () => {
  await card?.close();
  await t?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('the NHIS messages of a record signed with the doctor’s card', () => {
  it('are signed by the card: token challenge, X001, X003, recorded as the outbox records them', async () => {
    const doc = await sheetSignedWithCard();
    const before = http().signedBy().length;
    const { kinds, done } = await runSteps(doc.id);
    expect(kinds).toEqual(['challenge', 'X001', 'X003']);
    expect(done).toMatchObject({ step: 'done', outcome: 'recorded', nrn: expect.stringMatching(/^\d{2}SIM\d{7}$/) });
    // The simulator saw both messages signed by the doctor's card, not by the server's signer.
    const seen = http().signedBy().slice(before);
    expect(seen.map((s) => s.messageType)).toEqual(['X001', 'X003']);
    expect(seen.every((s) => s.certificateSha256 === cardSha256)).toBe(true);
    expect(seen[0]!.subject).toContain('Д-р Тестов');
    expect(await submission(doc.id)).toMatchObject({ status: 'acknowledged', nrn: done.nrn, attempts: 2, claimed_by: null });
    expect(await attempts(doc.id)).toEqual([
      { message_type: 'X001', outcome: 'ok' },
      { message_type: 'X003', outcome: 'ok' },
    ]);
    const recorded = await t.deps.db.execute<{ data: unknown }>(sql`SELECT data FROM audit_event WHERE action = 'nhis.recorded' AND subject_id = ${doc.id}`);
    expect(recorded.rows.map((r) => (typeof r.data === 'string' ? JSON.parse(r.data) : r.data))).toEqual([{ operation: 'open_close', attempts: 2, signedBy: 'card' }]);
    const steps = await t.deps.db.execute<{ n: string }>(sql`SELECT count(*) AS n FROM audit_event WHERE action = 'nhis.card_step' AND subject_id = ${doc.id}`);
    expect(Number(steps.rows[0]!.n)).toBe(6);
    // The outbox's own message comes due later and finds the record done: nothing is sent twice.
    const sent = http().signedBy().length;
    clock.advance({ minutes: 5 });
    await t.deps.outbox.drain();
    expect(http().signedBy().length).toBe(sent);
    expect(await step(doc.id, {})).toEqual({ step: 'done', outcome: 'recorded', nrn: done.nrn });
  }, 60_000);

  it('reuses the token the card obtained: the next record needs no new challenge', async () => {
    const challenges = http().counts().challenges;
    const doc = await sheetSignedWithCard();
    const { kinds, done } = await runSteps(doc.id);
    expect(kinds).toEqual(['X001', 'X003']);
    expect(done.outcome).toBe('recorded');
    expect(http().counts().challenges).toBe(challenges);
  }, 60_000);

  it('asks the card for a new challenge when the NHIS revoked the token, then sends the same message again', async () => {
    const doc = await sheetSignedWithCard();
    const first = await step(doc.id, {});
    if (first.step !== 'sign') throw new Error('a step to sign');
    expect(first.kind).toBe('X001');
    http().expireTokens();
    const challenge = await step(doc.id, { signed: { kind: 'X001', xml: await cardSignXml('01', first.xml) } });
    expect(challenge).toMatchObject({ step: 'sign', kind: 'challenge' });
    if (challenge.step !== 'sign') throw new Error('a step to sign');
    const again = await step(doc.id, { signed: { kind: 'challenge', xml: await cardSignXml('01', challenge.xml) } });
    expect(again).toEqual({ ...first });
    if (again.step !== 'sign') throw new Error('a step to sign');
    let next = await step(doc.id, { signed: { kind: 'X001', xml: await cardSignXml('01', again.xml) } });
    if (next.step !== 'sign') throw new Error('a step to sign');
    next = await step(doc.id, { signed: { kind: next.kind, xml: await cardSignXml('01', next.xml) } });
    expect(next).toMatchObject({ step: 'done', outcome: 'recorded' });
    // The refused attempt reached no message handler: two attempts, both accepted.
    expect(await attempts(doc.id)).toEqual([
      { message_type: 'X001', outcome: 'ok' },
      { message_type: 'X003', outcome: 'ok' },
    ]);
  }, 60_000);

  it('refuses a message signed by another certificate than the record’s, with a catalogued error, audited', async () => {
    const doc = await sheetSignedWithCard();
    const first = await step(doc.id, {});
    expect(first).toMatchObject({ step: 'sign', kind: 'X001' });
    if (first.step !== 'sign') throw new Error('a step to sign');
    const seen = http().signedBy().length;
    const other = await stepCall(doc.id, { signed: { kind: 'X001', xml: await cardSignXml('02', first.xml) } }, 'bg');
    expect(other.statusCode).toBe(422);
    expect(other.json()).toMatchObject({ code: 'signing.certificate_not_document_signer', title: 'Съобщението към НЗИС е подписано с друг сертификат, а не с този, с който е подписан документът' });
    // A message other than the one asked for, even signed by the right card, is refused too.
    const replayed = first.xml.replace(/messageId value="[^"]+"/, 'messageId value="00000000-0000-4000-8000-000000000000"');
    expect(replayed).not.toBe(first.xml);
    const altered = await stepCall(doc.id, { signed: { kind: 'X001', xml: await cardSignXml('01', replayed) } });
    expect(altered.json()).toMatchObject({ code: 'signing.content_mismatch' });
    expect(http().signedBy().length).toBe(seen);
    const refused = await t.deps.db.execute<{ data: unknown; outcome: string }>(sql`SELECT data, outcome FROM audit_event WHERE action = 'nhis.card_refused' AND subject_id = ${doc.id} ORDER BY recorded_at`);
    expect(refused.rows.map((r) => ({ outcome: r.outcome, ...(typeof r.data === 'string' ? JSON.parse(r.data) : r.data) }))).toEqual([
      { outcome: 'denied', code: 'signing.certificate_not_document_signer' },
      { outcome: 'denied', code: 'signing.content_mismatch' },
    ]);
    // The right certificate then goes through (the same message, the same messageId).
    const next = await step(doc.id, { signed: { kind: 'X001', xml: await cardSignXml('01', first.xml) } });
    expect(next).toMatchObject({ step: 'sign', kind: 'X003' });
    if (next.step !== 'sign') throw new Error('a step to sign');
    expect(await step(doc.id, { signed: { kind: 'X003', xml: await cardSignXml('01', next.xml) } })).toMatchObject({ step: 'done', outcome: 'recorded' });
    expect(http().signedBy().slice(seen).map((s) => s.certificateSha256)).toEqual([cardSha256, cardSha256]);
    expect(secondSha256).not.toBe(cardSha256);
  }, 60_000);

  it('is not sent by the outbox while the card is sending it (the record is claimed)', async () => {
    const doc = await sheetSignedWithCard();
    const first = await step(doc.id, {});
    if (first.step !== 'sign') throw new Error('a step to sign');
    expect(await submission(doc.id)).toMatchObject({ claimed_by: 'card' });
    // The outbox's message comes due while the doctor is still at the screen: it waits its turn.
    clock.advance({ seconds: 60 });
    await t.deps.db.execute(sql`UPDATE outbox SET available_at = ${clock.now().toString()} WHERE type = 'records.nhis_submit' AND payload->>'submissionId' = (SELECT id::text FROM nhis_submission WHERE document_id = ${doc.id})`);
    const seen = http().signedBy().length;
    await t.deps.outbox.drain();
    expect(http().signedBy().length).toBe(seen);
    expect(await submission(doc.id)).toMatchObject({ status: 'pending', attempts: 0, claimed_by: 'card' });
    let next = await step(doc.id, { signed: { kind: 'X001', xml: await cardSignXml('01', first.xml) } });
    if (next.step !== 'sign') throw new Error('a step to sign');
    next = await step(doc.id, { signed: { kind: next.kind, xml: await cardSignXml('01', next.xml) } });
    expect(next).toMatchObject({ step: 'done', outcome: 'recorded' });
    expect(http().signedBy().slice(seen).map((s) => [s.messageType, s.certificateSha256 === cardSha256])).toEqual([
      ['X001', true],
      ['X003', true],
    ]);
  }, 60_000);

  it('leaves the record to the outbox (the server’s key) when the NHIS cannot be reached', async () => {
    const doc = await sheetSignedWithCard();
    const first = await step(doc.id, {});
    if (first.step !== 'sign') throw new Error('a step to sign');
    expect(first.kind).toBe('X001');
    const seen = http().signedBy().length;
    // Every attempt of the transport (three, with backoff) fails.
    http().failHttpNext(3, 503);
    const done = await step(doc.id, { signed: { kind: 'X001', xml: await cardSignXml('01', first.xml) } });
    expect(done).toEqual({ step: 'done', outcome: 'unreachable', nrn: null });
    expect(await submission(doc.id)).toMatchObject({ status: 'pending', attempts: 1, claimed_by: null });
    // The outbox sends it later as X013, signed with the server's key (NHIS_SIGNER_FILE; here the simulator's signer).
    clock.advance({ minutes: 5 });
    await t.deps.outbox.drain();
    expect(await submission(doc.id)).toMatchObject({ status: 'acknowledged', claimed_by: null });
    const after = http().signedBy().slice(seen);
    expect(after.map((s) => s.messageType)).toEqual(['X013']);
    expect(after[0]!.certificateSha256).not.toBe(cardSha256);
    expect(await step(doc.id, {})).toMatchObject({ step: 'done', outcome: 'recorded' });
  }, 60_000);
});

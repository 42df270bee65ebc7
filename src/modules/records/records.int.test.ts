import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock, Temporal } from '../../platform/clock.js';
import { withTransaction } from '../../platform/db/index.js';
import { systemCtx } from '../../platform/auth/request-context.js';
import { pgErrorOf } from '../../platform/db/pg-errors.js';
import { createTestApp, type TestApp } from '../../test/app-harness.js';
import { buildAccessWorld, freshStepUpCode, type AccessWorld, type ActorName } from '../../test/access-world.js';
import type { ClinicalDocument, ComplianceReport, Deadline, HealthRecord, Verification } from '../../contracts/records.js';
import { fhirProblems } from '../../test/fhir-validate.js';
import { completedService, SHEET_BODY as sheetBody, specialistIds, writeAndSign as signDocument } from '../../test/records-world.js';
import { seedIcd10Demo } from '../../demo/icd10-demo.js';

interface FhirBundle {
  resourceType: string;
  id?: string;
  type: string;
  entry?: { fullUrl?: string; resource: { resourceType: string; id?: string } & Record<string, unknown> }[];
}

// Clinical records end to end through HTTP on one world: a patient's planned requests to `specialistWithCare`,
// completed at literal instants (Europe/Sofia), documented, signed, recorded in the bundled NHIS
// simulator, and reported. Runs on PGlite and on PostgreSQL (DATABASE_URL).

const clock = fixedClock('2026-11-24T08:00:00Z'); // Tuesday 10:00 Sofia
let t: TestApp;
let w: AccessWorld;
let practitionerId: string;
let otherPractitionerId: string;

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';
async function call(actor: ActorName, method: Method, url: string, payload?: unknown, headers: Record<string, string> = {}) {
  return t.app.inject({ method, url, headers: { ...(actor === 'anonymous' ? {} : w.sessions[actor].headers), ...headers }, ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }) });
}

const newService = (opts: { requester?: 'patient' | 'specialist'; completedAt: string }) => completedService(t, w, { ...opts, practitionerId, otherPractitionerId, now: clock.now().toString() });
const writeAndSign = (requestId: string, kind?: 'ambulatory_sheet' | 'consultation_report', body?: Record<string, unknown>) => signDocument(w, clock, requestId, kind, body);
/** The specialist's audited reads of patient A's demographics. */
const patientReads = async () =>
  (await t.deps.db.execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM audit_event WHERE action = 'patient.read' AND outcome = 'success' AND patient_id = ${w.patientA.id} AND actor_id = ${w.sessions.specialistWithCare.accountId}`)).rows[0]?.n ?? 0;

/** Moves the clock to `iso` in steps of 12 h, touching every session so none goes idle over a weekend. */
async function keepAliveTo(iso: string) {
  const target = Temporal.Instant.from(iso);
  const touch = async () => {
    for (const actor of Object.keys(w.sessions) as Exclude<ActorName, 'anonymous'>[]) await call(actor, 'GET', '/api/v1/records/worklist');
  };
  while (Temporal.Instant.compare(clock.now().add({ hours: 12 }), target) < 0) {
    clock.advance({ hours: 12 });
    await touch();
  }
  clock.set(iso);
  await touch();
}

async function drainAll() {
  for (let i = 0; i < 10 && (await t.deps.outbox.drain()) > 0; i += 1);
}

async function deadlineOf(requestId: string): Promise<Deadline> {
  const res = await call('specialistWithCare', 'GET', `/api/v1/requests/${requestId}/deadline`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json<Deadline>();
}

beforeAll(async () => {
  // Sessions live through the test's simulated week (idle 24 h, absolute 7 days); `keepAlive` steps the clock.
  t = await createTestApp({ clock, env: { SESSION_IDLE_MINUTES: '1440', SESSION_ABSOLUTE_HOURS: '168' } });
  w = await buildAccessWorld(t);
  ({ withCare: practitionerId, withGrant: otherPractitionerId } = await specialistIds(t, w));
  await seedIcd10Demo(t.deps.records, systemCtx('test'));
}, 60_000);
afterAll(async () => {
  await t?.close();
});

describe('ambulatory sheet, signature, NHIS and deadline', () => {
  let requestId: string;
  let sheet: ClinicalDocument;

  it('R-TM-39, R-TM-35: the deadline starts at completion (Tuesday 10:00 → Wednesday 16:00 Sofia)', async () => {
    requestId = await newService({ completedAt: '2026-11-24T08:00:00Z' });
    const d = await deadlineOf(requestId);
    expect(d).toMatchObject({ completedAt: '2026-11-24T08:00:00Z', dueAt: '2026-11-25T14:00:00Z', escalateAt: '2026-11-25T08:00:00Z', status: 'open', documentStatus: 'none', secondsLeft: 30 * 3600 });
  });

  it('R-TM-41: a patient-requested service cannot be closed without a signed ambulatory sheet (database guarantee)', async () => {
    const err = await t.deps.db.execute(sql`UPDATE service_request SET status = 'documented' WHERE id = ${requestId}`).catch((e: unknown) => e);
    expect(pgErrorOf(err), String(err) + JSON.stringify(err)).toMatchObject({ code: 'P0001', hint: 'records.sheet_required' });
    await expect(withTransaction(t.deps.db, (tx) => t.deps.records.assertCanClose(tx, requestId))).rejects.toMatchObject({ code: 'records.sheet_required' });
  });

  it('R-TM-40: a patient’s request closes with an ambulatory sheet, not a written consultation', async () => {
    const res = await call('specialistWithCare', 'POST', `/api/v1/requests/${requestId}/documents`, { kind: 'consultation_report' });
    expect(res.json<{ code: string }>().code, res.body).toBe('rule.violated');
  });

  it('only the providing specialist writes the sheet', async () => {
    for (const actor of ['specialistWithout', 'patientA', 'facilityAdmin'] as const) {
      expect((await call(actor, 'POST', `/api/v1/requests/${requestId}/documents`, { kind: 'ambulatory_sheet' })).statusCode).toBe(403);
    }
    expect((await call('anonymous', 'POST', `/api/v1/requests/${requestId}/documents`, { kind: 'ambulatory_sheet' })).statusCode).toBe(401);
  });

  it('saves drafts with optimistic locking and refuses to sign an incomplete sheet', async () => {
    const created = await call('specialistWithCare', 'POST', `/api/v1/requests/${requestId}/documents`, { kind: 'ambulatory_sheet', body: { anamnesis: 'Главоболие' } });
    expect(created.statusCode).toBe(201);
    const d = created.json<ClinicalDocument>();
    expect(created.headers.etag).toBe(`"${d.version}"`);
    expect((await call('specialistWithCare', 'PUT', `/api/v1/records/documents/${d.id}`, { body: sheetBody })).json<{ code: string }>().code).toBe('request.invalid');
    const stale = await call('specialistWithCare', 'PUT', `/api/v1/records/documents/${d.id}`, { body: sheetBody }, { 'if-match': `"${d.version + 5}"` });
    expect(stale.statusCode).toBe(412);
    const incomplete = await call('specialistWithCare', 'POST', `/api/v1/records/documents/${d.id}/sign`, { code: await freshStepUpCode(clock, w.sessions['specialistWithCare'].totpSecret) }, { 'if-match': `"${d.version}"` });
    expect(incomplete.statusCode).toBe(422);
    expect(incomplete.json<{ code: string; errors: { pointer: string }[] }>()).toMatchObject({ code: 'records.incomplete' });
    expect(incomplete.json<{ errors: { pointer: string }[] }>().errors.map((e) => e.pointer)).toEqual(expect.arrayContaining(['#/body/diagnoses', '#/body/objectiveFindings']));
    const saved = await call('specialistWithCare', 'PUT', `/api/v1/records/documents/${d.id}`, { body: sheetBody }, { 'if-match': `"${d.version}"` });
    expect(saved.statusCode).toBe(200);
    clock.set('2026-11-24T09:00:00Z');
    // docs/decisions.md#d5: the signature needs a fresh second factor; without one, or with a wrong or
    // replayed code, nothing is signed and the draft stays as it was.
    expect((await call('specialistWithCare', 'POST', `/api/v1/records/documents/${d.id}/sign`, {}, { 'if-match': saved.headers.etag as string })).json<{ code: string }>().code).toBe('request.invalid');
    const good = await freshStepUpCode(clock, w.sessions['specialistWithCare'].totpSecret);
    const wrong = good === '000000' ? '111111' : '000000';
    const refused = await call('specialistWithCare', 'POST', `/api/v1/records/documents/${d.id}/sign`, { code: wrong }, { 'if-match': saved.headers.etag as string });
    expect(refused.statusCode).toBe(401);
    expect(refused.json<{ code: string }>().code).toBe('auth.mfa_invalid');
    expect((await call('specialistWithCare', 'GET', `/api/v1/records/documents/${d.id}`)).json<ClinicalDocument>().status).toBe('draft');
    const signed = await call('specialistWithCare', 'POST', `/api/v1/records/documents/${d.id}/sign`, { code: good }, { 'if-match': saved.headers.etag as string });
    const audited = await t.deps.db.execute<{ data: { stepUpId?: string } }>(sql`SELECT data FROM audit_event WHERE action = 'record.signed' AND subject_id = ${d.id}`);
    expect(audited.rows[0]?.data.stepUpId).toMatch(/^[0-9a-f-]{36}$/);
    const replayed = await call('specialistWithCare', 'POST', `/api/v1/records/documents/${d.id}/sign`, { code: good }, { 'if-match': saved.headers.etag as string });
    expect(replayed.statusCode).not.toBe(200);
    expect(signed.statusCode, signed.body).toBe(200);
    sheet = signed.json<ClinicalDocument>();
    expect(sheet).toMatchObject({ status: 'signed', revision: 1, signature: { format: 'jws', level: 'advanced' }, content: { examination: { class: 'VR', completedAt: '2026-11-24T08:00:00Z' }, subject: { identifierType: 'egn', identifier: w.patientA.demographics.identifier } } });
  });

  it('signed documents are immutable: the API refuses edits and the database refuses updates', async () => {
    const res = await call('specialistWithCare', 'PUT', `/api/v1/records/documents/${sheet.id}`, { body: sheetBody }, { 'if-match': `"${sheet.version}"` });
    expect(res.json<{ code: string }>().code).toBe('records.document_signed');
    const err = await t.deps.db.execute(sql`UPDATE clinical_document SET content_sha256 = repeat('0', 64) WHERE id = ${sheet.id}`).catch((e: unknown) => e);
    expect(pgErrorOf(err)).toMatchObject({ code: 'P0001', hint: 'records.document_signed' });
  });

  it('anyone authorised verifies the signature; others cannot', async () => {
    for (const actor of ['specialistWithCare', 'patientA', 'repOfA', 'specialistWithGrant'] as const) {
      const res = await call(actor, 'GET', `/api/v1/records/documents/${sheet.id}/verification`);
      expect(res.statusCode, actor).toBe(200);
      expect(res.json<Verification>()).toMatchObject({ valid: true, checks: { signature: true, contentDigest: true, header: true, chain: true } });
    }
    for (const actor of ['specialistWithout', 'patientB', 'operator', 'facilityAdmin'] as const) expect((await call(actor, 'GET', `/api/v1/records/documents/${sheet.id}/verification`)).statusCode, actor).toBe(403);
  });

  it('authorisation before existence: a stranger gets the same answer for a signed document and an unknown id', async () => {
    const unknown = t.deps.ids.uuid();
    for (const path of ['', '/verification', '/pdf']) {
      const answers = await Promise.all([sheet.id, unknown].map(async (id) => {
        const res = await call('specialistWithout', 'GET', `/api/v1/records/documents/${id}${path}`);
        return `${res.statusCode} ${res.json<{ code: string }>().code}`;
      }));
      expect(answers, path).toEqual(['403 auth.forbidden', '403 auth.forbidden']);
    }
  });

  it('the simulator records the sheet; the acknowledgement meets the deadline; then the service closes', async () => {
    clock.set('2026-11-24T09:05:00Z');
    await drainAll();
    const doc = (await call('specialistWithCare', 'GET', `/api/v1/records/documents/${sheet.id}`)).json<ClinicalDocument>();
    expect(doc.nhis).toMatchObject({ status: 'acknowledged', nrn: expect.stringMatching(/^26SIM\d{7}$/) as unknown });
    expect(t.deps.nhisSimulator.received()).toMatchObject({ X001: 1, X003: 1 });
    expect(await deadlineOf(requestId)).toMatchObject({ status: 'met', recordedAt: '2026-11-24T09:05:00Z', nrn: doc.nhis?.nrn, documentStatus: 'signed' });
    await t.deps.db.execute(sql`UPDATE service_request SET status = 'documented' WHERE id = ${requestId}`);
  });

  it('the patient reads the health record, the PDF copy with verification data, and the FHIR export', async () => {
    const rec = await call('patientA', 'GET', `/api/v1/patients/${w.patientA.id}/health-record`);
    expect(rec.statusCode).toBe(200);
    expect(rec.json<HealthRecord>()).toMatchObject({ documents: [{ documentId: sheet.id, revision: 1 }], diagnoses: [{ code: 'I10' }, { code: 'R51' }], medications: [{ name: 'Амлодипин 5 mg' }] });
    expect((await call('patientB', 'GET', `/api/v1/patients/${w.patientA.id}/health-record`)).statusCode).toBe(403);
    const pdf = await call('patientA', 'GET', `/api/v1/records/documents/${sheet.id}/pdf`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.rawPayload.includes(Buffer.from('/EmbeddedFiles'))).toBe(true);
    const fhir = await call('patientA', 'GET', `/api/v1/patients/${w.patientA.id}/health-record/fhir`);
    // One self-contained `document` Bundle per signed document inside a `collection` (docs/fhir.md#documents).
    const record = fhir.json<FhirBundle>();
    expect(record.type).toBe('collection');
    expect(fhirProblems(record)).toEqual([]);
    const doc = record.entry![0]!.resource as unknown as FhirBundle;
    expect(doc).toMatchObject({ type: 'document', identifier: { system: 'urn:ietf:rfc:3986', value: `urn:uuid:${sheet.id}` } });
    const types = doc.entry!.map((e) => e.resource);
    expect(types[0]!.resourceType).toBe('Composition');
    expect(doc.entry!.every((e) => /^urn:uuid:[0-9a-f-]{36}$/.test(e.fullUrl!))).toBe(true);
    expect(types.find((r) => r.resourceType === 'Encounter')).toMatchObject({ class: { code: 'VR' }, priority: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActPriority' }] } });
    expect(types.map((r) => r.resourceType)).toEqual(expect.arrayContaining(['Composition', 'Patient', 'Practitioner', 'PractitionerRole', 'Organization', 'DocumentReference', 'Condition', 'Provenance', 'MedicationStatement']));
    expect(types.find((r) => r.resourceType === 'Patient')).toMatchObject({ id: w.patientA.id, identifier: [{ system: 'https://distansia.bg/fhir/sid/egn' }] });
    expect(types.find((r) => r.resourceType === 'Practitioner')).toMatchObject({ identifier: [{ system: 'https://distansia.bg/fhir/sid/uin' }] });
    expect(types.find((r) => r.resourceType === 'Organization')).toMatchObject({ identifier: [{ system: 'https://distansia.bg/fhir/sid/rhi-facility-number' }] });
    const attachment = (types.find((r) => r.resourceType === 'DocumentReference') as unknown as { content: { attachment: { data?: string; hash?: string; url?: string } }[] }).content;
    const { createHash } = await import('node:crypto');
    expect(attachment[0]!.attachment.hash).toBe(createHash('sha1').update(Buffer.from(attachment[0]!.attachment.data!, 'base64')).digest('base64'));
    expect(attachment[1]!.attachment.url).toMatch(/^https?:\/\/[^/]+\/api\/v1\/records\/documents\/.+\/pdf$/);
    // The same documents through the FHIR endpoint's Patient/$everything, under the same access policy.
    const everything = await call('patientA', 'GET', `/fhir/R4/Patient/${w.patientA.id}/$everything`);
    expect(everything.statusCode, everything.body).toBe(200);
    const all = everything.json<FhirBundle>();
    expect(fhirProblems(all)).toEqual([]);
    expect(all.entry!.map((e) => e.resource.resourceType)).toEqual(['Patient', 'Bundle']);
    expect(all.entry![1]!.resource).toEqual(doc);
    expect((await call('specialistWithout', 'GET', `/fhir/R4/Patient/${w.patientA.id}/$everything`)).statusCode).toBe(403);
  });

  it('a detached JWS and canonical content from the PDF verify, and tampered content does not', async () => {
    const doc = (await call('patientA', 'GET', `/api/v1/records/documents/${sheet.id}`)).json<ClinicalDocument>();
    const { canonicalize } = await import('./canonical-json.js');
    const ok = await call('patientA', 'POST', '/api/v1/records/verify', { jws: doc.signature?.jws, canonicalContent: canonicalize(doc.content) });
    expect(ok.json()).toMatchObject({ valid: true, contentMatches: true, documentId: sheet.id });
    const tampered = canonicalize({ ...doc.content, body: { ...doc.content?.body, therapy: 'друго' } });
    expect((await call('patientA', 'POST', '/api/v1/records/verify', { jws: doc.signature?.jws, canonicalContent: tampered })).json()).toMatchObject({ valid: false, contentMatches: false });
  });

  it('a correction is a new signed revision that references the old one (X009), and verifies as a chain', async () => {
    clock.set('2026-11-24T10:00:00Z');
    const res = await call('specialistWithCare', 'POST', `/api/v1/records/documents/${sheet.id}/corrections`, { body: { ...sheetBody, followUp: 'Контрол след 2 седмици.' }, reason: 'Уточнен срок на контролния преглед' });
    expect(res.statusCode, res.body).toBe(201);
    const draft = res.json<ClinicalDocument>();
    expect(draft).toMatchObject({ revision: 2, replacesId: sheet.id, status: 'draft' });
    const signed = await call('specialistWithCare', 'POST', `/api/v1/records/documents/${draft.id}/sign`, { code: await freshStepUpCode(clock, w.sessions['specialistWithCare'].totpSecret) }, { 'if-match': `"${draft.version}"` });
    expect(signed.statusCode, signed.body).toBe(200);
    await drainAll();
    expect(t.deps.nhisSimulator.received()).toMatchObject({ X009: 1 });
    const v = (await call('patientA', 'GET', `/api/v1/records/documents/${draft.id}/verification`)).json<Verification>();
    expect(v).toMatchObject({ valid: true, checks: { chain: true }, revision: 2 });
    const old = (await call('patientA', 'GET', `/api/v1/records/documents/${sheet.id}/verification`)).json<Verification>();
    expect(old).toMatchObject({ valid: true, replacedById: draft.id });
    const rec = (await call('patientA', 'GET', `/api/v1/patients/${w.patientA.id}/health-record`)).json<HealthRecord>();
    expect(rec.documents).toHaveLength(1);
    expect(rec.documents[0]).toMatchObject({ documentId: draft.id, revision: 2, history: [{ documentId: sheet.id, revision: 1 }] });
    // FHIR: the replaced revision's DocumentReference is superseded; the successor replaces it.
    const fhir = (await call('patientA', 'GET', `/api/v1/patients/${w.patientA.id}/health-record/fhir`)).json<FhirBundle>();
    expect(fhirProblems(fhir)).toEqual([]);
    const docRefOf = (id: string) => ((fhir.entry ?? []).map((e) => e.resource as unknown as FhirBundle).find((b) => b.id === id)?.entry ?? []).map((e) => e.resource).find((r) => r.resourceType === 'DocumentReference');
    expect(docRefOf(sheet.id)).toMatchObject({ status: 'superseded' });
    expect(docRefOf(draft.id)).toMatchObject({ status: 'current', relatesTo: [{ code: 'replaces', target: { identifier: { value: `urn:uuid:${sheet.id}` } } }] });
    expect((await call('specialistWithCare', 'POST', `/api/v1/records/documents/${sheet.id}/corrections`, { body: sheetBody, reason: 'отново' })).json<{ code: string }>().code).toBe('state.bad_transition');
  });

  it('tampering with the stored content (bypassing the trigger) is detected', async () => {
    const other = await newService({ completedAt: '2026-11-24T10:00:00Z' });
    const doc = await writeAndSign(other);
    // A database administrator swaps the encrypted content for another signed document's.
    await t.deps.db.execute(sql`ALTER TABLE clinical_document DISABLE TRIGGER clinical_document_immutable_trg`);
    await t.deps.db.execute(sql`UPDATE clinical_document SET content_sha256 = (SELECT content_sha256 FROM clinical_document WHERE id = ${sheet.id}) WHERE id = ${doc.id}`);
    await t.deps.db.execute(sql`ALTER TABLE clinical_document ENABLE TRIGGER clinical_document_immutable_trg`);
    const v = (await call('specialistWithCare', 'GET', `/api/v1/records/documents/${doc.id}/verification`)).json<Verification>();
    expect(v).toMatchObject({ valid: false, checks: { signature: true, contentDigest: false } });
    await drainAll();
  });
});

describe('retries, late recording, escalation and the compliance report', () => {
  let complexId: string;
  let unsignedId: string;
  let consultId: string;

  it('NHIS unavailable twice: the outbox retries with backoff and the third attempt goes offline as X013 (R-TM-35)', async () => {
    await keepAliveTo('2026-11-25T08:00:00Z');
    const id = await newService({ completedAt: '2026-11-25T08:00:00Z' }); // Wednesday 10:00 → Thursday 16:00
    t.deps.nhisSimulator.failNext(2);
    await writeAndSign(id);
    await t.deps.outbox.drain();
    clock.advance({ minutes: 1 });
    await t.deps.outbox.drain();
    clock.advance({ minutes: 5 });
    await drainAll();
    // 08:00:30: the signature's fresh code moved the clock to the next TOTP step; then 1 + 5 minutes of retries.
    expect(await deadlineOf(id)).toMatchObject({ status: 'met', recordedAt: '2026-11-25T08:06:30Z' });
    const attempts = await t.deps.db.execute<{ outcome: string; message_type: string }>(sql`SELECT a.outcome, a.message_type FROM nhis_attempt a JOIN nhis_submission s ON s.id = a.submission_id WHERE s.request_id = ${id} ORDER BY a.at, a.outcome DESC`);
    // The examination queued while the NHIS was down goes later as one X013; the acknowledgement meets the deadline.
    expect(attempts.rows.map((r) => `${r.message_type}:${r.outcome}`)).toEqual(['X001:unavailable', 'X013:unavailable', 'X013:ok']);
  });

  it('R-TM-43: only the providing specialist extends, with a reason, before the base deadline (R-TM-36: 2nd working day)', async () => {
    await keepAliveTo('2026-11-26T08:00:00Z'); // Thursday 10:00 Sofia
    complexId = await newService({ completedAt: '2026-11-26T08:00:00Z' });
    unsignedId = await newService({ completedAt: '2026-11-26T08:00:00Z' });
    await keepAliveTo('2026-11-27T13:59:00Z');
    expect((await call('specialistWithout', 'POST', `/api/v1/requests/${complexId}/deadline/complex`, { kind: 'image_processing', reason: 'Обработка на 300 DICOM среза' })).statusCode).toBe(403);
    expect((await call('specialistWithCare', 'POST', `/api/v1/requests/${complexId}/deadline/complex`, { kind: 'image_processing', reason: '' })).statusCode).toBe(400);
    const ok = await call('specialistWithCare', 'POST', `/api/v1/requests/${complexId}/deadline/complex`, { kind: 'image_processing', reason: 'Обработка на 300 DICOM среза' });
    expect(ok.statusCode, ok.body).toBe(200);
    // Thursday 10:00 → the 2nd working day at the same clock time: Monday 10:00 (the weekend is skipped).
    expect(ok.json<Deadline>()).toMatchObject({ complex: true, baseDueAt: '2026-11-27T14:00:00Z', dueAt: '2026-11-30T08:00:00Z' });
    const again = await call('specialistWithCare', 'POST', `/api/v1/requests/${complexId}/deadline/complex`, { kind: 'complex_case', reason: 'Още веднъж, моля' });
    expect(again.json<{ code: string; meta: { why: string } }>()).toMatchObject({ code: 'deadline.extension_refused', meta: { why: 'already_complex' } });
    clock.set('2026-11-27T14:00:00Z');
    const refused = await call('specialistWithCare', 'POST', `/api/v1/requests/${unsignedId}/deadline/complex`, { kind: 'complex_case', reason: 'Сложен случай' });
    expect(refused.json<{ meta: { why: string } }>().meta.why).toBe('base_deadline_passed');
  });

  it('a deadline with no signed sheet is missed with cause not_signed (outbox check at the due instant)', async () => {
    clock.set('2026-11-27T14:00:01Z');
    await drainAll();
    expect(await deadlineOf(unsignedId)).toMatchObject({ status: 'missed', breachCause: 'not_signed', breachedAt: '2026-11-27T14:00:01Z', recordedAt: null });
  });

  it('R-TM-40, R-TM-42: a specialist’s request closes with a written consultation; the requester writes information for the patient', async () => {
    clock.set('2026-11-27T14:30:00Z');
    consultId = await newService({ requester: 'specialist', completedAt: '2026-11-27T14:30:00Z' });
    expect((await call('specialistWithCare', 'POST', `/api/v1/requests/${consultId}/documents`, { kind: 'ambulatory_sheet' })).json<{ code: string }>().code).toBe('rule.violated');
    expect((await call('specialistWithCare', 'POST', `/api/v1/requests/${consultId}/documents`, { kind: 'patient_information' })).statusCode).toBe(403);
    await writeAndSign(consultId, 'consultation_report', { question: 'Нужна ли е промяна в терапията?', diagnoses: [{ code: 'I10', title: 'Хипертония', rank: 'primary' }], summary: 'Да: добавяне на амлодипин.' });
    await expect(withTransaction(t.deps.db, (tx) => t.deps.records.assertCanClose(tx, consultId))).resolves.toBeUndefined();
    const info = await call('specialistWithGrant', 'POST', `/api/v1/requests/${consultId}/documents`, { kind: 'patient_information', body: { summary: 'Кардиологът препоръча амлодипин 5 mg.' } });
    expect(info.statusCode, info.body).toBe(201);
    const d = info.json<ClinicalDocument>();
    const signed = await call('specialistWithGrant', 'POST', `/api/v1/records/documents/${d.id}/sign`, { code: await freshStepUpCode(clock, w.sessions['specialistWithGrant'].totpSecret) }, { 'if-match': `"${d.version}"` });
    expect(signed.statusCode, signed.body).toBe(200);
    expect(signed.json<ClinicalDocument>().nhis).toBeNull();
  });

  it('R-TM-35: Friday 17:00 is due Monday 16:00; escalated at 80%, missed while the NHIS is down, recorded late afterwards', async () => {
    clock.set('2026-11-27T15:00:00Z'); // Friday 17:00 Sofia
    const id = await newService({ completedAt: '2026-11-27T15:00:00Z' });
    expect(await deadlineOf(id)).toMatchObject({ dueAt: '2026-11-30T14:00:00Z', escalateAt: '2026-11-29T23:48:00Z' }); // 80% of 71 h
    t.deps.nhisSimulator.unavailableUntil('2026-11-30T15:00:00Z');
    await writeAndSign(id);
    await t.deps.outbox.drain();
    await keepAliveTo('2026-11-29T23:48:00Z');
    expect((await t.deps.deadlines.scan()).escalated).toBeGreaterThanOrEqual(1);
    expect(await deadlineOf(id)).toMatchObject({ status: 'open', escalatedAt: '2026-11-29T23:48:00Z' });
    const alerts = await call('facilityAdmin', 'GET', '/api/v1/records/facility-alerts');
    expect(alerts.json<{ items: Deadline[] }>().items.map((i) => i.requestId)).toContain(id);
    clock.set('2026-11-30T14:00:01Z');
    await t.deps.deadlines.scan();
    expect(await deadlineOf(id)).toMatchObject({ status: 'missed', breachCause: 'nhis_unavailable', breachedAt: '2026-11-30T14:00:01Z', recordedAt: null });
    expect(await deadlineOf(complexId)).toMatchObject({ status: 'missed', breachCause: 'not_signed' });
    // The specialist and the facility see what waits for the NHIS and why; a patient does not (docs/nhis.md#offline).
    for (const who of ['specialistWithCare', 'facilityAdmin'] as const) {
      const pending = await call(who, 'GET', '/api/v1/records/nhis-pending');
      expect(pending.statusCode, pending.body).toBe(200);
      expect(pending.json<{ items: { requestId: string }[] }>().items.find((i) => i.requestId === id)).toMatchObject({ status: 'pending', offline: true, lastMessageType: 'X001', lastError: expect.stringMatching(/outage|unavailable/) as unknown, dueAt: '2026-11-30T14:00:00.000Z' });
    }
    expect((await call('patientA', 'GET', '/api/v1/records/nhis-pending')).statusCode).toBe(403);
    // The patient is named, with the identifier masked, for the specialist who cares for them, and the read is
    // audited as patient.read; the administrator runs the queue without the patient's identity (deny by default).
    type Named = { requestId: string; patient: { name: string; identifierKind: string; identifierMasked: string } | null };
    const readsBefore = await patientReads();
    const mine = (await call('specialistWithCare', 'GET', '/api/v1/records/nhis-pending')).json<{ items: Named[] }>().items.find((i) => i.requestId === id);
    const a = w.patientA.demographics;
    expect(mine?.patient).toEqual({ name: `${a.givenName} ${a.familyName}`, identifierKind: a.identifierKind, identifierMasked: `${'•'.repeat(a.identifier.length - 2)}${a.identifier.slice(-2)}` });
    expect(await patientReads()).toBe(readsBefore + 1);
    expect((await call('facilityAdmin', 'GET', '/api/v1/records/nhis-pending')).json<{ items: Named[] }>().items.find((i) => i.requestId === id)?.patient).toBeNull();
    clock.set('2026-11-30T16:00:00Z');
    t.deps.nhisSimulator.unavailableUntil(null);
    await drainAll();
    expect((await call('specialistWithCare', 'GET', '/api/v1/records/nhis-pending')).json<{ items: { requestId: string }[] }>().items.map((i) => i.requestId)).not.toContain(id);
    expect(await deadlineOf(id)).toMatchObject({ status: 'missed', breachCause: 'nhis_unavailable', recordedAt: '2026-11-30T16:00:00Z' });
    expect(await deadlineOf(consultId)).toMatchObject({ status: 'missed', recordedAt: '2026-11-30T16:00:00Z' });
  });

  it('the worklist shows time left, soonest first; patients have none', async () => {
    const fresh = await newService({ completedAt: '2026-11-30T16:00:00Z' }); // Monday 18:00 → Tuesday 16:00
    const res = await call('specialistWithCare', 'GET', '/api/v1/records/worklist');
    const items = res.json<{ items: Deadline[] }>().items;
    expect(items.find((i) => i.requestId === fresh)).toMatchObject({ status: 'open', secondsLeft: 22 * 3600, documentStatus: 'none' });
    const open = items.filter((i) => i.status === 'open');
    expect(open.every((i, k) => k === 0 || i.dueAt >= (open[k - 1]?.dueAt ?? ''))).toBe(true);
    expect((await call('patientA', 'GET', '/api/v1/records/worklist')).statusCode).toBe(403);
  });

  it('the compliance report shows met and missed deadlines, medians and breaches; CSV and PDF', async () => {
    clock.set('2026-11-30T20:00:00Z');
    const q = `facilityId=${w.facilityId}&from=2026-11-24&to=2026-11-29`;
    expect((await call('specialistWithCare', 'GET', `/api/v1/records/compliance?${q}`)).statusCode).toBe(403);
    const res = await call('supervisor', 'GET', `/api/v1/records/compliance?${q}`);
    expect(res.statusCode, res.body).toBe(200);
    const r = res.json<ComplianceReport>();
    // Met: Tuesday's sheet (65 min), the tampered-content one (0 min), Wednesday's retried one (6 min).
    // Missed: the complex and the unsigned Thursday services, Friday's consultation and sheet (recorded Monday 16:00).
    expect(r.totals).toMatchObject({ services: 7, met: 3, missed: 4, open: 0, complex: 1, escalated: 3 });
    expect(r.totals.medianSecondsToRecord).toBe(3900);
    expect(r.totals.worstSecondsToRecord).toBe(3 * 86400 + 5400);
    expect(r.breaches.map((b) => b.cause).sort()).toEqual(['nhis_unavailable', 'nhis_unavailable', 'not_signed', 'not_signed']);
    expect(r.rows.find((x) => x.documentKind === 'consultation_report')).toMatchObject({ services: 1, missed: 1 });
    expect(r.qualityBreaches).toBe(0);
    const csv = await call('facilityAdmin', 'GET', `/api/v1/records/compliance?${q}&format=csv`);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    expect(csv.body.split('\r\n').find((l) => l.startsWith('total'))).toBe('total,,,7,3,4,0,1,3,3900,264600');
    const pdf = await call('facilityAdmin', 'GET', `/api/v1/records/compliance?${q}&format=pdf`);
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
  });
});

describe('ICD-10 search', () => {
  it('finds by code prefix, by Bulgarian or English words, and by Latin transliteration', async () => {
    const get = async (q: string) => (await call('anonymous', 'GET', `/api/v1/records/icd10?q=${encodeURIComponent(q)}`)).json<{ items: { code: string }[] }>().items.map((i) => i.code);
    expect(await get('J0')).toEqual(['J00', 'J01.9', 'J02.9', 'J03.9', 'J06.9']);
    expect(await get('хипертон')).toEqual(expect.arrayContaining(['I10', 'I11.9']));
    // назофарингит also contains „фаринг“; the shorter title ranks first
    expect(await get('остър фаринг')).toEqual(['J02.9', 'J00']);
    expect(await get('hypertension')).toContain('I10');
    expect(await get('glavobolie')).toContain('R51');
  });

  it('ranks the searching doctor\'s signed codes first among equal matches (docs/records.md#icd-10-search)', async () => {
    const as = async (actor: ActorName, q: string) => (await call(actor, 'GET', `/api/v1/records/icd10?q=${encodeURIComponent(q)}`)).json<{ items: { code: string }[] }>().items.map((i) => i.code);
    // Anonymous: the shorter title first; the doctor who signed I10 above: I10 first.
    expect((await as('anonymous', 'хиперт'))[0]).toBe('E05.9');
    expect((await as('specialistWithCare', 'хиперт'))[0]).toBe('I10');
    const uses = await t.deps.db.execute<{ uses: number }>(sql`SELECT uses FROM icd10_usage WHERE account_id = ${w.sessions.specialistWithCare.accountId} AND code = 'I10'`);
    expect(Number(uses.rows[0]?.uses)).toBeGreaterThan(0);
  });

  it('imports the NHIS CL011 export', async () => {
    const csv = 'key;description;descriptionEn\nZ99.9;Зависимост от помощно средство;Dependence on an enabling machine\n';
    expect(await t.deps.records.importIcd10(systemCtx('test'), csv)).toEqual({ imported: 1, skipped: 0 });
    expect((await t.deps.records.searchIcd10('Z99', 5)).map((r) => r.source)).toEqual(['cl011']);
  });
});

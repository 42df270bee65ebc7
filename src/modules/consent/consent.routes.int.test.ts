import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../platform/clock.js';
import { pgErrorOf } from '../../platform/db/pg-errors.js';
import { createTestApp, type TestApp } from '../../test/app-harness.js';
import { buildAccessWorld, type AccessWorld, type ActorName } from '../../test/access-world.js';
import { insertRequestFixture } from '../../test/consultation-world.js';
import { totpCode } from '../identity/index.js';
import type { Art7Checklist, Consent, ConsentPresentation, ConsentTemplate, ConsentVerification, GateStatus } from '../../contracts/consent.js';
import type { Consultation, Recording } from '../../contracts/consultation.js';
import { DEMO_CONSENT_TEMPLATES } from './consent-templates.demo.js';
import { ART7_CHECKLIST_ALL_MET } from '../../contracts/common.js';

// Consent and admissibility through the real routes (consent, requests transitions, consultation) on PGlite and
// PostgreSQL: every gate is proven from every entry point, and each rule test names its rule.

const CHECKLIST = ART7_CHECKLIST_ALL_MET;
const PDF_DOC = Buffer.from('%PDF-1.4\n% signed paper consent of the patient\n%%EOF\n');
type Who = Exclude<ActorName, 'anonymous'>;

describe('consent, identity verification and admissibility', () => {
  const clock = fixedClock('2026-11-25T07:00:00Z');
  let t: TestApp;
  let w: AccessWorld;
  let practitionerId: string;

  beforeAll(async () => {
    t = await createTestApp({ clock });
    w = await buildAccessWorld(t);
    practitionerId = (await t.deps.db.execute(sql`SELECT practitioner_id FROM user_account WHERE id = ${w.sessions.specialistWithCare.accountId}`)).rows[0]?.practitioner_id as string;
  });
  afterAll(async () => {
    await t?.close();
  });

  /** A fresh TOTP code of the actor: the clock moves to the next 30-second step (a code is accepted once). */
  async function code(who: Who): Promise<string> {
    clock.advance({ seconds: 30 });
    return totpCode(w.sessions[who].totpSecret, Math.floor(clock.now().epochMilliseconds / 1000));
  }
  const post = (who: Who, url: string, payload: unknown = {}) => w.as(who, { method: 'POST', url, payload });
  const get = (who: Who, url: string) => w.as(who, { method: 'GET', url });
  const codeOf = (res: { json: () => unknown }) => (res.json() as { code: string }).code;

  /** A request written with SQL (asynchronous unless said), so the kind and specialty can be any (Art. 7 cases). */
  async function insertRequest(opts: { kind?: string; specialty?: string; patientId?: string | null; requester?: 'patient' | 'specialist' } = {}): Promise<string> {
    const serviceId = t.deps.ids.uuid();
    const id = t.deps.ids.uuid();
    const specialty = opts.specialty ?? '1020';
    await t.deps.db.execute(sql`INSERT INTO facility_service (id, facility_id, specialty_code, kind_code, name, description, mode, typical_minutes, price_eur_cents, nhif_paid, status, published_at, created_at, updated_at)
      VALUES (${serviceId}, ${w.facilityId}, ${specialty}, ${opts.kind ?? 'consultation'}, 'Услуга', 'Тест', 'asynchronous', 30, 5000, false, 'published', ${clock.now().toString()}, ${clock.now().toString()}, ${clock.now().toString()})`);
    const patientId = opts.patientId === undefined ? w.patientA.id : opts.patientId;
    if (opts.requester === 'specialist') {
      const other = (await t.deps.db.execute(sql`SELECT practitioner_id FROM user_account WHERE id = ${w.sessions.specialistWithout.accountId}`)).rows[0]?.practitioner_id as string;
      await t.deps.db.execute(sql`INSERT INTO service_request (id, urgency, mode, status, requester_kind, requester_account_id, requester_practitioner_id, requester_facility_id,
          recipient_kind, recipient_practitioner_id, recipient_facility_id, patient_id, provider_facility_id, specialty_code, service_id, practitioner_id, form_enc, created_at, updated_at)
        VALUES (${id}, 'planned', 'asynchronous', 'requested', 'specialist', ${w.sessions.specialistWithout.accountId}, ${other}, ${w.facilityId},
          'specialist', ${other}, ${w.facilityId}, ${patientId}, ${w.facilityId}, ${specialty}, ${serviceId}, ${practitionerId}, '\\x00'::bytea, ${clock.now().toString()}, ${clock.now().toString()})`);
    } else {
      await t.deps.db.execute(sql`INSERT INTO service_request (id, urgency, mode, status, requester_kind, requester_account_id, recipient_kind, patient_id,
          provider_facility_id, specialty_code, service_id, practitioner_id, form_enc, created_at, updated_at)
        VALUES (${id}, 'planned', 'asynchronous', 'requested', 'patient', ${w.sessions.patientA.accountId}, 'patient', ${patientId},
          ${w.facilityId}, ${specialty}, ${serviceId}, ${practitionerId}, '\\x00'::bytea, ${clock.now().toString()}, ${clock.now().toString()})`);
    }
    return id;
  }

  const accept = (requestId: string, checklist: Art7Checklist = CHECKLIST) => post('specialistWithCare', `/api/v1/requests/${requestId}/transitions`, { action: 'accept', checklist });
  const verify = (requestId: string, outcome: 'verified' | 'failed' = 'verified') =>
    post('specialistWithCare', `/api/v1/requests/${requestId}/identity-verifications`, { method: 'video_document_check', outcome, note: 'Лична карта, сверена по видео' });
  const start = (requestId: string) => post('specialistWithCare', `/api/v1/requests/${requestId}/transitions`, { action: 'start' });

  async function present(who: Who, requestId: string, kind: 'treatment' | 'recording' = 'treatment', lang: 'bg' | 'en' = 'bg'): Promise<ConsentPresentation> {
    const res = await post(who, `/api/v1/requests/${requestId}/consent-presentations`, { kind, lang });
    expect(res.statusCode, res.body).toBe(201);
    return res.json<ConsentPresentation>();
  }

  async function signTreatment(who: Who, requestId: string, extra: Record<string, unknown> = {}): Promise<Consent> {
    const p = await present(who, requestId);
    const res = await post(who, `/api/v1/requests/${requestId}/consents`, { kind: 'treatment', presentationId: p.presentationId, code: await code(who), healthInfoDutyAcknowledged: true, ...extra });
    expect(res.statusCode, res.body).toBe(201);
    return res.json<Consent>();
  }

  describe('consent forms (R-TM-27)', () => {
    it('R-TM-27: the facility administrator drafts and publishes its own forms; others cannot', async () => {
      const denied = await post('specialistWithCare', `/api/v1/facilities/${w.facilityId}/consent-templates`, DEMO_CONSENT_TEMPLATES[0]);
      expect(denied.statusCode).toBe(403);
      const otherFacility = await post('facilityAdmin', `/api/v1/facilities/${w.otherFacilityId}/consent-templates`, DEMO_CONSENT_TEMPLATES[0]);
      expect(otherFacility.statusCode).toBe(403);

      for (const body of DEMO_CONSENT_TEMPLATES) {
        const draft = await post('facilityAdmin', `/api/v1/facilities/${w.facilityId}/consent-templates`, body);
        expect(draft.statusCode, draft.body).toBe(201);
        expect(draft.json<ConsentTemplate>()).toMatchObject({ status: 'draft', version: 1, textSha256: null });
        const pub = await post('facilityAdmin', `/api/v1/consent-templates/${draft.json<ConsentTemplate>().id}/publish`);
        expect(pub.statusCode).toBe(200);
        expect(pub.json<ConsentTemplate>().textSha256).toMatch(/^[0-9a-f]{64}$/);
      }
      const seen = await get('patientA', `/api/v1/facilities/${w.facilityId}/consent-templates`);
      expect(seen.json<{ items: ConsentTemplate[] }>().items.map((x) => x.kind).sort()).toEqual(['recording', 'treatment']);
    });

    it('a published version is immutable, and publishing a new version retires the old one', async () => {
      const before = (await get('facilityAdmin', `/api/v1/facilities/${w.facilityId}/consent-templates?kind=treatment`)).json<{ items: ConsentTemplate[] }>().items;
      const v1 = before.find((x) => x.status === 'published');
      expect(v1).toBeDefined();
      const err = await t.deps.db.execute(sql`UPDATE consent_template SET body_bg = 'подменен текст' WHERE id = ${v1?.id ?? ''}`).catch((e: unknown) => e);
      expect(pgErrorOf(err)?.hint).toBe('consent.template_published');
      const again = await post('facilityAdmin', `/api/v1/consent-templates/${v1?.id ?? ''}/publish`);
      expect(codeOf(again)).toBe('consent.template_published');

      const draft = await post('facilityAdmin', `/api/v1/facilities/${w.facilityId}/consent-templates`, DEMO_CONSENT_TEMPLATES[0]);
      expect(draft.json<ConsentTemplate>().version).toBe(2);
      await post('facilityAdmin', `/api/v1/consent-templates/${draft.json<ConsentTemplate>().id}/publish`);
      const after = (await get('facilityAdmin', `/api/v1/facilities/${w.facilityId}/consent-templates?kind=treatment`)).json<{ items: ConsentTemplate[] }>().items;
      expect(after.map((x) => [x.version, x.status])).toEqual([
        [2, 'published'],
        [1, 'retired'],
      ]);
    });
  });

  describe('reading and signing (R-TM-23, R-TM-24, R-TM-28)', () => {
    let requestId: string;
    beforeAll(async () => {
      requestId = await insertRequest();
    });

    it('R-TM-24: a signature must reference the presentation of the text to the same signer', async () => {
      const res = await post('patientA', `/api/v1/requests/${requestId}/consents`, { kind: 'treatment', presentationId: t.deps.ids.uuid(), code: await code('patientA'), healthInfoDutyAcknowledged: true });
      expect(res.statusCode).toBe(409);
      expect(codeOf(res)).toBe('consent.not_presented');
      const foreign = await present('repOfA', requestId);
      const res2 = await post('patientA', `/api/v1/requests/${requestId}/consents`, { kind: 'treatment', presentationId: foreign.presentationId, code: await code('patientA'), healthInfoDutyAcknowledged: true });
      expect(codeOf(res2)).toBe('consent.not_presented');
    });

    it('R-TM-24: the text is shown before the signature, never at the same instant', async () => {
      const c = await code('patientA');
      const p = await present('patientA', requestId);
      const res = await post('patientA', `/api/v1/requests/${requestId}/consents`, { kind: 'treatment', presentationId: p.presentationId, code: c, healthInfoDutyAcknowledged: true });
      expect(codeOf(res)).toBe('consent.not_presented');
    });

    it('R-TM-28: the signer confirms the Art. 12 duty to give complete health information', async () => {
      const p = await present('patientA', requestId);
      clock.advance({ seconds: 1 });
      const res = await post('patientA', `/api/v1/requests/${requestId}/consents`, { kind: 'treatment', presentationId: p.presentationId, code: await code('patientA') });
      expect(res.statusCode).toBe(400);
      expect(res.json<{ code: string; errors: { pointer: string }[] }>().errors.map((e) => e.pointer)).toEqual(['#/healthInfoDutyAcknowledged']);
    });

    it('refuses a wrong second-factor code and counts it as a failed attempt', async () => {
      const p = await present('patientA', requestId);
      clock.advance({ seconds: 1 });
      const res = await post('patientA', `/api/v1/requests/${requestId}/consents`, { kind: 'treatment', presentationId: p.presentationId, code: '000000', healthInfoDutyAcknowledged: true });
      expect(res.statusCode).toBe(401);
      expect(codeOf(res)).toBe('auth.mfa_invalid');
      const failed = await t.deps.db.execute(sql`SELECT count(*)::int AS n FROM audit_event WHERE action = 'auth.sign_in_failed' AND actor_id = ${w.sessions.patientA.accountId} AND data->>'reason' = 'step_up_bad_code'`);
      expect(failed.rows[0]?.n).toBe(1);
    });

    it('R-TM-23: signs with a fresh second factor; the record keeps text version, signer, time, method and hash', async () => {
      const p = await present('patientA', requestId, 'treatment', 'en');
      clock.advance({ seconds: 30 });
      const c = await totpCode(w.sessions.patientA.totpSecret, Math.floor(clock.now().epochMilliseconds / 1000));
      const res = await post('patientA', `/api/v1/requests/${requestId}/consents`, { kind: 'treatment', presentationId: p.presentationId, code: c, healthInfoDutyAcknowledged: true });
      expect(res.statusCode, res.body).toBe(201);
      const consent = res.json<Consent>();
      expect(consent).toMatchObject({ kind: 'treatment', signerRole: 'patient', onBehalfOf: null, method: 'totp-step-up', templateVersion: 2, lang: 'en', status: 'active', patientId: w.patientA.id });
      expect(Date.parse(consent.presentedAt)).toBeLessThan(Date.parse(consent.signedAt));
      const audited = await t.deps.db.execute(sql`SELECT count(*)::int AS n FROM audit_event WHERE action = 'auth.step_up_confirmed' AND subject_id = ${consent.stepUpId}`);
      expect(audited.rows[0]?.n).toBe(1);

      // the same code cannot sign twice (replay)
      const p2 = await present('patientA', requestId, 'recording');
      clock.advance({ seconds: 1 });
      const replay = await post('patientA', `/api/v1/requests/${requestId}/consents`, { kind: 'recording', presentationId: p2.presentationId, code: c, recording: { reason: 'Второ мнение', media: ['video'], purpose: 'Консултант' } });
      expect(codeOf(replay)).toBe('auth.mfa_invalid');

      const v = await get('patientA', `/api/v1/consents/${consent.id}/verification`);
      expect(v.json<ConsentVerification>()).toMatchObject({ valid: true, stepUpAudited: true, presentedBeforeSigning: true, storedSha256: consent.contentSha256, recomputedSha256: consent.contentSha256 });

      const pdf = await get('patientA', `/api/v1/consents/${consent.id}/pdf`);
      expect(pdf.statusCode).toBe(200);
      expect(pdf.headers['content-type']).toBe('application/pdf');
      expect(pdf.rawPayload.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      expect(pdf.rawPayload.toString('latin1')).toMatch(/\/BaseFont \/[A-Z]{6}\+DejaVuSans/);

      const list = await get('patientA', `/api/v1/patients/${w.patientA.id}/consents`);
      expect(list.json<{ items: Consent[] }>().items.map((x) => x.id)).toContain(consent.id);
      const outsider = await get('patientB', `/api/v1/consents/${consent.id}/pdf`);
      expect(outsider.statusCode).toBe(403);
    });

    it('a changed stored record no longer verifies', async () => {
      const c = (await get('patientA', `/api/v1/patients/${w.patientA.id}/consents`)).json<{ items: Consent[] }>().items[0];
      const err = await t.deps.db.execute(sql`UPDATE consent SET signed_at = signed_at + interval '1 hour' WHERE id = ${c?.id ?? ''}`).catch((e: unknown) => e);
      expect(pgErrorOf(err)?.hint).toBe('consent.immutable');
    });

    it('only the patient, a linked representative or the requesting specialist may sign', async () => {
      const res = await post('patientB', `/api/v1/requests/${requestId}/consent-presentations`, { kind: 'treatment', lang: 'bg' });
      expect(res.statusCode).toBe(403);
      const rep = await post('repOfNobody', `/api/v1/requests/${requestId}/consent-presentations`, { kind: 'treatment', lang: 'bg' });
      expect(rep.statusCode).toBe(403);
      const provider = await post('specialistWithCare', `/api/v1/requests/${requestId}/consent-presentations`, { kind: 'treatment', lang: 'bg' });
      expect(provider.statusCode).toBe(403);
    });

    it('an Art. 87 representative signs on behalf of the patient', async () => {
      const other = await insertRequest();
      const consent = await signTreatment('repOfA', other);
      expect(consent).toMatchObject({ signerRole: 'representative', onBehalfOf: w.patientA.id, signerAccountId: w.sessions.repOfA.accountId });
      const v = await get('repOfA', `/api/v1/consents/${consent.id}/verification`);
      expect(v.json<ConsentVerification>().valid).toBe(true);
    });
  });

  describe('admissibility: the accept/decline is the decision (R-TM-10..R-TM-17)', () => {
    it('R-TM-10: an accept or decline without the Art. 7 checklist is impossible, by API and in the database', async () => {
      const id = await insertRequest();
      const res = await post('specialistWithCare', `/api/v1/requests/${id}/transitions`, { action: 'accept' });
      expect(res.statusCode).toBe(400);
      expect(res.json<{ errors: { pointer: string }[] }>().errors[0]?.pointer).toBe('#/checklist');
      const err = await t.deps.db.execute(sql`UPDATE service_request SET status = 'accepted' WHERE id = ${id}`).catch((e: unknown) => e);
      expect(pgErrorOf(err)?.hint).toBe('admissibility.decision_required');
      const byPatient = await post('patientA', `/api/v1/requests/${id}/transitions`, { action: 'accept', checklist: CHECKLIST });
      expect(byPatient.statusCode).toBe(403);
    });

    it('R-TM-10: the accept records the checklist and the responsible specialist', async () => {
      const id = await insertRequest();
      expect((await accept(id)).statusCode).toBe(200);
      const g = (await get('specialistWithCare', `/api/v1/requests/${id}/gates`)).json<GateStatus>();
      expect(g.decision).toMatchObject({ outcome: 'accept', checklist: CHECKLIST, decidedByPractitionerId: practitionerId, decidedByAccountId: w.sessions.specialistWithCare.accountId });
      const twice = await post('specialistWithCare', `/api/v1/requests/${id}/transitions`, { action: 'decline', checklist: CHECKLIST, reason: 'Промяна' });
      expect(twice.statusCode).toBe(409);
    });

    it.each([
      ['R-TM-11', 'noRiskToLifeOrHealth'],
      ['R-TM-12', 'qualityAndSafetyAssured'],
      ['R-TM-14', 'noDirectContactNeeded'],
      ['R-TM-15', 'requesterIdentityVerifiable'],
    ] as const)('%s: an accept needs %s confirmed; the request stays undecided', async (rule, item) => {
      const id = await insertRequest();
      const res = await accept(id, { ...CHECKLIST, [item]: false });
      expect(res.statusCode).toBe(422);
      const body = res.json<{ code: string; meta: { rules: string[] }; errors: { pointer: string }[] }>();
      expect(body.code).toBe('admissibility.checklist_failed');
      expect(body.meta.rules).toEqual([rule]);
      expect(body.errors.map((e) => e.pointer)).toEqual([`#/checklist/${item}`]);
      const row = await t.deps.db.execute(sql`SELECT status FROM service_request WHERE id = ${id}`);
      expect(row.rows[0]?.status).toBe('requested');
    });

    it('R-TM-11: when the specialist cannot confirm safety, the decline keeps the reasons (Art. 9)', async () => {
      const id = await insertRequest();
      const res = await post('specialistWithCare', `/api/v1/requests/${id}/transitions`, { action: 'decline', checklist: { ...CHECKLIST, noRiskToLifeOrHealth: false }, reason: 'Нужен е спешен преглед на място' });
      expect(res.statusCode, res.body).toBe(200);
      const g = (await get('patientA', `/api/v1/requests/${id}/gates`)).json<GateStatus>();
      expect(g.decision).toMatchObject({ outcome: 'decline', reasons: 'Нужен е спешен преглед на място' });
      const stored = await t.deps.db.execute(sql`SELECT encode(reasons_enc, 'escape') AS r FROM admissibility_decision WHERE request_id = ${id}`);
      expect(String(stored.rows[0]?.r)).not.toContain('спешен');
    });

    it('R-TM-13: a dental-specialty request is blocked, whatever the checklist says; dental imaging is allowed', async () => {
      const dental = await insertRequest({ specialty: '2080', kind: 'consultation' });
      const res = await accept(dental);
      expect(res.statusCode).toBe(422);
      expect(res.json<{ code: string; meta: { rules: string[] } }>()).toMatchObject({ code: 'admissibility.blocked', meta: { rules: ['R-TM-13'] } });
      const refused = await t.deps.db.execute(sql`SELECT count(*)::int AS n FROM audit_event WHERE action = 'admissibility.refused' AND subject_id = ${dental}`);
      expect(refused.rows[0]?.n).toBe(1);
      const g = (await get('specialistWithCare', `/api/v1/requests/${dental}/gates`)).json<GateStatus>();
      expect(g.hardBlocks).toEqual(['R-TM-13']);
      const declined = await post('specialistWithCare', `/api/v1/requests/${dental}/transitions`, { action: 'decline', checklist: { ...CHECKLIST, notDentalExceptImaging: false }, reason: 'Дентално лечение не се извършва от разстояние' });
      expect(declined.statusCode).toBe(200);
      const d = await t.deps.db.execute(sql`SELECT blocked_rule FROM admissibility_decision WHERE request_id = ${dental}`);
      expect(d.rows[0]?.blocked_rule).toBe('R-TM-13');

      const imaging = await insertRequest({ specialty: '2080', kind: 'dental_imaging' });
      expect((await accept(imaging)).statusCode).toBe(200);
    });

    it.each([
      ['R-TM-16', 'childbirth'],
      ['R-TM-17', 'death_certification'],
    ])('%s: a %s request can never be accepted', async (rule, kind) => {
      const id = await insertRequest({ kind });
      const res = await accept(id);
      expect(res.json<{ code: string; meta: { rules: string[] } }>()).toMatchObject({ code: 'admissibility.blocked', meta: { rules: [rule] } });
    });

    it('R-TM-15: a failed identity check blocks the accept and the service', async () => {
      const id = await insertRequest();
      expect((await verify(id, 'failed')).statusCode).toBe(201);
      const res = await accept(id);
      expect(res.json<{ code: string; meta: { rules: string[] } }>()).toMatchObject({ code: 'admissibility.blocked', meta: { rules: ['R-TM-15'] } });
    });

    it('only the providing specialist records identity checks', async () => {
      const id = await insertRequest();
      const res = await post('specialistWithout', `/api/v1/requests/${id}/identity-verifications`, { method: 'nhis_login', outcome: 'verified' });
      expect(res.statusCode).toBe(403);
      const bad = await post('specialistWithCare', `/api/v1/requests/${id}/identity-verifications`, { method: 'phone_call', outcome: 'verified' });
      expect(bad.statusCode).toBe(400);
    });
  });

  describe('start gates from every entry point (R-TM-10, R-TM-15, R-TM-23)', () => {
    it('requests `start` (store and forward): decision, then identity, then consent are each required', async () => {
      const id = await insertRequest();
      expect(codeOf(await start(id))).toBe('state.bad_transition');
      expect((await accept(id)).statusCode).toBe(200);
      expect(codeOf(await start(id))).toBe('identity.not_verified');
      await verify(id, 'failed');
      expect(codeOf(await start(id))).toBe('identity.not_verified');
      await verify(id, 'verified');
      const noConsent = await start(id);
      expect(noConsent.statusCode).toBe(409);
      expect(codeOf(noConsent)).toBe('consent.missing');
      await signTreatment('patientA', id);
      clock.advance({ seconds: 1 });
      const ok = await start(id);
      expect(ok.statusCode, ok.body).toBe(200);
      const gates = (await get('patientA', `/api/v1/requests/${id}/gates`)).json<GateStatus>();
      expect(gates.missing).toEqual([]);
      expect(gates.identity?.note).toBeNull();

      // R-TM-35, R-TM-41: completing starts the Art. 17 deadline in the same transaction, and the
      // request cannot be documented before its ambulatory sheet is signed.
      clock.advance({ minutes: 20 });
      const done = await post('specialistWithCare', `/api/v1/requests/${id}/transitions`, { action: 'complete' });
      expect(done.statusCode, done.body).toBe(200);
      const deadline = await t.deps.db.execute<{ due_at: Date; status: string }>(sql`SELECT due_at, status FROM documentation_deadline WHERE request_id = ${id}`);
      expect(deadline.rows).toHaveLength(1);
      expect(deadline.rows[0]?.status).toBe('open');
      const early = await post('specialistWithCare', `/api/v1/requests/${id}/transitions`, { action: 'document' });
      expect(codeOf(early)).toBe('records.sheet_required');
    });

    it('R-TM-10: a request that reached `scheduled` without a recorded decision (data written around the service) cannot start', async () => {
      const id = await insertRequestFixture(t.deps.db, t.deps, { facilityId: w.facilityId, practitionerId, patientId: w.patientA.id, requesterAccountId: w.sessions.patientA.accountId, status: 'scheduled', start: '2026-11-26T09:00:00Z' });
      await verify(id);
      await signTreatment('patientA', id);
      clock.advance({ seconds: 1 });
      const res = await start(id);
      expect(res.statusCode).toBe(409);
      expect(codeOf(res)).toBe('admissibility.decision_required');
      const opened = await post('patientA', `/api/v1/requests/${id}/consultation`);
      const admit = await post('specialistWithCare', `/api/v1/consultations/${opened.json<Consultation>().id}/participants/${w.sessions.patientA.accountId}/admit`);
      expect(codeOf(admit)).toBe('admissibility.decision_required');
    });

    it('consultation (store and forward): the specialist cannot work on the case until every gate holds', async () => {
      const id = await insertRequest();
      expect((await accept(id)).statusCode).toBe(200);
      const opened = await post('patientA', `/api/v1/requests/${id}/consultation`);
      expect(opened.statusCode, opened.body).toBe(200);
      const cid = opened.json<Consultation>().id;
      const answer = () => post('specialistWithCare', `/api/v1/consultations/${cid}/messages`, { kind: 'answer', text: 'Препоръка: контролен преглед след месец.' });
      expect(codeOf(await answer())).toBe('identity.not_verified');
      // Files are work on the case too: the same gate refuses the specialist's upload.
      const png = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082', 'hex');
      const upload = await t.app.inject({ method: 'POST', url: `/api/v1/consultations/${cid}/files?name=ecg.png`, headers: { ...w.sessions.specialistWithCare.headers, 'content-type': 'image/png' }, payload: png });
      expect(codeOf(upload)).toBe('identity.not_verified');
      await verify(id);
      expect(codeOf(await answer())).toBe('consent.missing');
      await signTreatment('patientA', id);
      clock.advance({ seconds: 1 });
      const ok = await answer();
      expect(ok.statusCode, ok.body).toBe(201);
    });

    it('R-TM-23: a withdrawn treatment consent closes the gate again', async () => {
      const id = await insertRequest();
      await accept(id);
      await verify(id);
      const consent = await signTreatment('patientA', id);
      const w1 = await post('patientA', `/api/v1/consents/${consent.id}/withdraw`, { reason: 'Размислих' });
      expect(w1.json<Consent>().status).toBe('withdrawn');
      expect(codeOf(await post('patientA', `/api/v1/consents/${consent.id}/withdraw`, {}))).toBe('consent.withdrawn');
      expect(codeOf(await start(id))).toBe('consent.missing');
    });

    it('consultation admission, joining and recording (real time), and recording consent (R-TM-25, R-TM-26)', async () => {
      const id = await insertRequestFixture(t.deps.db, t.deps, { facilityId: w.facilityId, practitionerId, patientId: w.patientA.id, requesterAccountId: w.sessions.patientA.accountId, status: 'requested', start: '2026-11-25T09:00:00Z' });
      expect((await accept(id)).statusCode).toBe(200);
      const opened = await post('patientA', `/api/v1/requests/${id}/consultation`);
      expect(opened.statusCode, opened.body).toBe(200);
      const consultation = opened.json<Consultation>();
      const admit = () => post('specialistWithCare', `/api/v1/consultations/${consultation.id}/participants/${w.sessions.patientA.accountId}/admit`);
      expect(codeOf(await admit())).toBe('identity.not_verified');
      await verify(id);
      expect(codeOf(await admit())).toBe('consent.missing');
      await signTreatment('patientA', id);
      clock.advance({ seconds: 1 });
      const admitted = await admit();
      expect(admitted.statusCode, admitted.body).toBe(200);

      const record = (media: string) => post('specialistWithCare', `/api/v1/consultations/${consultation.id}/recordings`, { media });
      const refused = await record('video');
      expect(refused.statusCode).toBe(409);
      expect(codeOf(refused)).toBe('recording.consent_missing');

      // R-TM-26: reason, type and purpose are all required
      const p = await present('patientA', id, 'recording');
      clock.advance({ seconds: 1 });
      const incomplete = await post('patientA', `/api/v1/requests/${id}/consents`, { kind: 'recording', presentationId: p.presentationId, code: await code('patientA'), recording: { reason: 'Второ мнение', media: ['video'], purpose: '' } });
      expect(incomplete.statusCode).toBe(400);
      const noTerms = await post('patientA', `/api/v1/requests/${id}/consents`, { kind: 'recording', presentationId: p.presentationId, code: await code('patientA') });
      expect(noTerms.json<{ errors: { pointer: string }[] }>().errors.map((e) => e.pointer)).toEqual(['#/recording/reason', '#/recording/media', '#/recording/purpose']);
      const dbRefuses = await t.deps.db.execute(sql`SELECT count(*)::int AS n FROM consent WHERE request_id = ${id} AND kind = 'recording'`);
      expect(dbRefuses.rows[0]?.n).toBe(0);

      const signed = await post('patientA', `/api/v1/requests/${id}/consents`, { kind: 'recording', presentationId: p.presentationId, code: await code('patientA'), recording: { reason: 'Второ мнение', media: ['audio'], purpose: 'Преглед от консултант' } });
      expect(signed.statusCode, signed.body).toBe(201);
      expect(signed.json<Consent>().recording).toEqual({ reason: 'Второ мнение', media: ['audio'], purpose: 'Преглед от консултант' });
      expect(codeOf(await record('video'))).toBe('recording.media_not_consented');
      const rec = await record('audio');
      expect(rec.statusCode, rec.body).toBe(201);
      const recording = rec.json<Recording>();
      expect(recording.status).toBe('recording');

      // R-TM-25: withdrawal stops the recording at once and no further chunk is accepted
      const withdrawn = await post('patientA', `/api/v1/consents/${signed.json<Consent>().id}/withdraw`, {});
      expect(withdrawn.statusCode).toBe(200);
      const list = await get('specialistWithCare', `/api/v1/consultations/${consultation.id}/recordings`);
      expect(list.json<{ items: Recording[] }>().items.find((r) => r.id === recording.id)?.status).toBe('withdrawn');
      const chunk = await t.app.inject({
        method: 'PUT',
        url: `/api/v1/consultations/${consultation.id}/recordings/${recording.id}/chunks?seq=0`,
        headers: { ...w.sessions.specialistWithCare.headers, 'content-type': 'audio/webm' },
        payload: Buffer.concat([Buffer.from([0x1a, 0x45, 0xdf, 0xa3]), Buffer.from('webm')]),
      });
      expect(chunk.statusCode).toBe(409);
      expect(codeOf(await record('audio'))).toBe('recording.consent_missing');
      const outbox = await t.deps.db.execute(sql`SELECT count(*)::int AS n FROM outbox WHERE type = 'recording.consent_withdrawn' AND payload->>'requestId' = ${id}`);
      expect(outbox.rows[0]?.n).toBe(1);
    });
  });

  describe('specialist-to-specialist consults (docs/decisions.md#d5, R-TM-18)', () => {
    it("the requesting specialist records the patient's consent with its document", async () => {
      const id = await insertRequest({ requester: 'specialist' });
      const p = await present('specialistWithout', id);
      clock.advance({ seconds: 1 });
      const noDoc = await post('specialistWithout', `/api/v1/requests/${id}/consents`, { kind: 'treatment', presentationId: p.presentationId, code: await code('specialistWithout'), healthInfoDutyAcknowledged: true });
      expect(codeOf(noDoc)).toBe('consent.document_required');
      const consent = await signTreatment('specialistWithout', id, { document: { contentType: 'application/pdf', contentBase64: PDF_DOC.toString('base64') } });
      expect(consent).toMatchObject({ signerRole: 'specialist', onBehalfOf: w.patientA.id, hasDocument: true });
      const v = (await get('specialistWithout', `/api/v1/consents/${consent.id}/verification`)).json<ConsentVerification>();
      expect(v).toMatchObject({ valid: true, documentIntact: true });
    });

    it('R-TM-18: a consult that processes no personal data carries no patient consent, and starts without one', async () => {
      const id = await insertRequest({ requester: 'specialist', patientId: null });
      const res = await post('specialistWithout', `/api/v1/requests/${id}/consent-presentations`, { kind: 'treatment', lang: 'bg' });
      expect(res.statusCode).toBe(409);
      expect(codeOf(res)).toBe('consent.no_personal_data');
      await accept(id);
      await verify(id);
      const g = (await get('specialistWithCare', `/api/v1/requests/${id}/gates`)).json<GateStatus>();
      expect(g).toMatchObject({ consentRequired: false, missing: [] });
      expect((await start(id)).statusCode).toBe(200);
    });
  });
});

import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../../test/app-harness.js';
import type { AccessWorld } from '../../test/access-world.js';
import { insertRequestFixture } from '../../test/consultation-world.js';
import { useConsentWorld } from '../../test/consent-world.js';
import type { Consent, GateStatus } from '../../contracts/consent.js';
import type { Consultation, Recording } from '../../contracts/consultation.js';

// Consent and admissibility through the real routes (consent, requests transitions, consultation) on
// PGlite and PostgreSQL; each rule test names its rule. The world: src/test/consent-world.ts.

describe('consent, identity verification and admissibility', () => {
  const cw = useConsentWorld({ publishTemplates: true });
  const { clock, code, post, get, codeOf, insertRequest, accept, verify, start, present, signTreatment } = cw;
  let t: TestApp; let w: AccessWorld; let practitionerId: string;
  beforeAll(() => {
    ({ t, w, practitionerId } = cw.state());
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
});

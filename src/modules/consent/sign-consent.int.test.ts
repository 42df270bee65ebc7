import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { pgErrorOf } from '../../platform/db/pg-errors.js';
import type { TestApp } from '../../test/app-harness.js';
import type { AccessWorld } from '../../test/access-world.js';
import { useConsentWorld } from '../../test/consent-world.js';
import { totpCode } from '../identity/index.js';
import type { Consent, ConsentVerification } from '../../contracts/consent.js';
import { fhirProblems } from '../../test/fhir-validate.js';

// Consent and admissibility through the real routes (consent, requests transitions, consultation) on
// PGlite and PostgreSQL; each rule test names its rule. The world: src/test/consent-world.ts.

describe('consent, identity verification and admissibility', () => {
  const cw = useConsentWorld({ publishTemplates: true });
  const { clock, code, post, get, codeOf, insertRequest, present, signTreatment } = cw;
  let t: TestApp; let w: AccessWorld;
  beforeAll(() => {
    ({ t, w } = cw.state());
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

      // The same consent at /fhir/R4 (docs/fhir.md#clinical-resources), under the same policy.
      const fhir = await get('patientA', `/fhir/R4/Consent?patient=${w.patientA.id}`);
      expect(fhir.statusCode, fhir.body).toBe(200);
      const entry = fhir.json<{ entry: { resource: { id: string } & Record<string, unknown> }[] }>().entry.find((e) => e.resource.id === consent.id);
      expect(entry?.resource).toMatchObject({ resourceType: 'Consent', status: 'active', scope: { coding: [{ code: 'treatment' }] }, patient: { reference: `Patient/${w.patientA.id}` } });
      expect(fhirProblems(fhir.json())).toEqual([]);
      expect((await get('patientA', `/fhir/R4/Consent/${consent.id}`)).json()).toEqual(entry?.resource);
      expect((await get('patientB', `/fhir/R4/Consent/${consent.id}`)).statusCode).toBe(403);
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
});

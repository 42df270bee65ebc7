import { beforeAll, describe, expect, it } from 'vitest';
import type { AccessWorld } from '../../test/access-world.js';
import { useConsentWorld, PDF_DOC } from '../../test/consent-world.js';
import type { ConsentVerification, GateStatus } from '../../contracts/consent.js';

// Consent and admissibility through the real routes (consent, requests transitions, consultation) on
// PGlite and PostgreSQL; each rule test names its rule. The world: src/test/consent-world.ts.

describe('consent, identity verification and admissibility', () => {
  const cw = useConsentWorld({ publishTemplates: true });
  const { clock, code, post, get, codeOf, insertRequest, accept, verify, start, present, signTreatment } = cw;
  let w: AccessWorld;
  beforeAll(() => {
    ({ w } = cw.state());
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

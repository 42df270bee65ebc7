import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { systemCtx } from '../../platform/auth/request-context.js';
import type { TestApp } from '../../test/app-harness.js';
import type { AccessWorld } from '../../test/access-world.js';
import { insertRequestFixture } from '../../test/consultation-world.js';
import { useConsentWorld, type Who } from '../../test/consent-world.js';
import { seedIcd10Demo } from '../../demo/icd10-demo.js';
import type { Consent } from '../../contracts/consent.js';
import type { Consultation } from '../../contracts/consultation.js';
import type { NationalRecord } from '../../contracts/records.js';

// The patient's national record (НЗИС) in the consultation, through the real routes, the real consent
// gates and the bundled NHIS simulator, on PGlite and PostgreSQL (docs/records.md#the-national-record).
// R-TM-29 (Art. 13): the providing specialist may access the patient's health record — here only the
// consultation's own specialist, with the patient's written consent in force; every fetch and read audited.

describe('the national record in the consultation (R-TM-29, Art. 13)', () => {
  const cw = useConsentWorld({ publishTemplates: true });
  const { clock, post, get, codeOf, accept, verify, signTreatment } = cw;
  let t: TestApp;
  let w: AccessWorld;
  let practitionerId: string;
  let otherUin: string;

  beforeAll(async () => {
    ({ t, w, practitionerId } = cw.state());
    await seedIcd10Demo(t.deps.records, systemCtx('test'));
    otherUin = ((await t.deps.db.execute(sql`SELECT p.uin FROM practitioner p JOIN user_account u ON u.practitioner_id = p.id WHERE u.id = ${w.sessions.specialistWithout.accountId}`)).rows[0]?.uin as string).trim();
  });

  /** A real-time request of patient A to the world's specialist, accepted, with its consultation opened by the patient. */
  async function consultationFor(): Promise<{ requestId: string; consultationId: string }> {
    const requestId = await insertRequestFixture(t.deps.db, t.deps, { facilityId: w.facilityId, practitionerId, patientId: w.patientA.id, requesterAccountId: w.sessions.patientA.accountId, status: 'requested', start: '2026-11-25T09:00:00Z' });
    expect((await accept(requestId)).statusCode).toBe(200);
    const opened = await post('patientA', `/api/v1/requests/${requestId}/consultation`);
    expect(opened.statusCode, opened.body).toBe(200);
    return { requestId, consultationId: opened.json<Consultation>().id };
  }
  const read = (who: Who, id: string) => get(who, `/api/v1/consultations/${id}/national-record`);
  const fetchIt = (who: Who, id: string) => post(who, `/api/v1/consultations/${id}/national-record/fetch`);
  const auditRows = async (action: string, consultationId: string) =>
    (
      await t.deps.db.execute<{ outcome: string; actor_id: string; patient_id: string | null; data: Record<string, unknown> | null }>(
        sql`SELECT outcome, actor_id, patient_id, data FROM audit_event WHERE action = ${action} AND subject_id = ${consultationId} ORDER BY recorded_at, id`,
      )
    ).rows;
  const received = () => t.deps.nhisSimulator.received();

  /** What other doctors recorded about patient A (and someone else), as the national record would hold it. */
  function seedRecordElsewhere(): { exam: string; referral: string; prescription: string } {
    const egn = w.patientA.demographics.identifier;
    const sim = t.deps.nhisSimulator;
    const exam = sim.recordExaminationElsewhere({ performerUin: otherUin, qualification: '0000', subjectIdentifier: egn, openedAt: '2026-10-14T07:30:00Z', diagnosisCodes: ['I10', 'E11'] });
    // Older than the two years asked for, and another patient's: neither comes back.
    sim.recordExaminationElsewhere({ performerUin: otherUin, qualification: '0000', subjectIdentifier: egn, openedAt: '2024-01-10T07:30:00Z', diagnosisCodes: ['J06.9'] });
    sim.recordExaminationElsewhere({ performerUin: otherUin, qualification: '0000', subjectIdentifier: w.patientB.demographics.identifier, openedAt: '2026-10-14T07:30:00Z', diagnosisCodes: ['I10'] });
    const referral = sim.documents.recordReferralElsewhere({ category: 'R2', requesterUin: otherUin, requesterQualification: '0000', consultedQualification: '1020', subjectIdentifier: egn, diagnosisCode: 'I10', authoredOn: '2026-10-14' });
    const prescription = sim.documents.recordPrescriptionElsewhere({ requesterUin: '0399999999', requesterQualification: '1020', subjectIdentifier: egn, authoredOn: '2026-09-01', diagnosisCode: 'I10', medicationCodes: ['DEMO-AML5'], medicationNames: ['Amlodipine 5 mg tabl. x 30'] });
    return { exam, referral, prescription };
  }

  it('refused without the patient’s written consent in force; then fetched once, kept encrypted for the consultation, read again without asking the NHIS, every fetch and read audited', async () => {
    const { requestId, consultationId } = await consultationFor();
    const nrns = seedRecordElsewhere();

    // No consent yet: refused on both paths, each refusal recorded, nothing asked of the NHIS.
    const before = received();
    expect(codeOf(await read('specialistWithCare', consultationId))).toBe('consent.missing');
    expect(codeOf(await fetchIt('specialistWithCare', consultationId))).toBe('consent.missing');
    expect(received()).toEqual(before);
    expect((await auditRows('national_record.fetched', consultationId)).map((r) => [r.outcome, r.data])).toEqual([['denied', { code: 'consent.missing' }]]);

    await verify(requestId);
    const consent = await signTreatment('patientA', requestId);
    clock.advance({ seconds: 1 });
    const notYet = await read('specialistWithCare', consultationId);
    expect(notYet.statusCode, notYet.body).toBe(200);
    expect(notYet.json<NationalRecord>()).toEqual({ status: 'not_fetched' });

    const fetched = await fetchIt('specialistWithCare', consultationId);
    expect(fetched.statusCode, fetched.body).toBe(200);
    const record = fetched.json<NationalRecord>();
    if (record.status !== 'ready') throw new Error(`expected ready, got ${record.status}`);
    expect(record).toMatchObject({ fromCache: false, fromDate: '2024-11-25', toDate: '2026-11-25' });
    expect(record.examinations).toEqual([
      {
        nrn: nrns.exam,
        date: '2026-10-14T07:30:00Z',
        status: 'closed',
        doctor: { name: expect.any(String) as unknown, uin: otherUin, specialty: { bg: 'Общопрактикуващ лекар', en: 'General practitioner' } },
        diagnoses: [
          { code: 'I10', title: { bg: expect.stringMatching(/хипертония/i) as unknown, en: expect.stringMatching(/hypertension/i) as unknown } },
          // A code the local ICD-10 catalogue does not have (the demo's is a subset) keeps its code, without a title.
          { code: 'E11', title: null },
        ],
      },
    ]);
    expect(record.referrals).toEqual([{ nrn: nrns.referral, date: '2026-10-14', status: 'active', form: '3', consultedSpecialty: { bg: 'Кардиология', en: 'Cardiology' }, doctor: expect.objectContaining({ uin: otherUin }) as unknown, diagnoses: [expect.objectContaining({ code: 'I10' })] }]);
    // A doctor outside the platform's registry: the UIN and specialty, no name.
    expect(record.prescriptions).toEqual([{ nrn: nrns.prescription, date: '2026-09-01', status: 'active', doctor: { name: null, uin: '0399999999', specialty: { bg: 'Кардиология', en: 'Cardiology' } }, diagnoses: [expect.objectContaining({ code: 'I10' })], medications: ['Amlodipine 5 mg tabl. x 30'] }]);
    const asked = received();
    expect([asked.X005, asked.R015, asked.P017]).toEqual([(before.X005 ?? 0) + 1, (before.R015 ?? 0) + 1, (before.P017 ?? 0) + 1]);

    // Kept for the consultation: a second open, by either path, asks the NHIS nothing.
    const again = await fetchIt('specialistWithCare', consultationId);
    expect(again.json<NationalRecord>()).toMatchObject({ status: 'ready', fromCache: true, fetchedAt: record.fetchedAt });
    expect((await read('specialistWithCare', consultationId)).json<NationalRecord>()).toEqual({ ...record, fromCache: true });
    expect(received()).toEqual(asked);

    // Encrypted at rest under the facility's key: no NRN, code or medicine in the stored bytes.
    const stored = (await t.deps.db.execute<{ content_enc: Uint8Array; consent_id: string }>(sql`SELECT content_enc, consent_id FROM national_record_fetch WHERE consultation_id = ${consultationId}`)).rows[0];
    expect(stored?.consent_id).toBe(consent.id);
    const bytes = Buffer.from(stored?.content_enc ?? []).toString('latin1');
    for (const plain of [nrns.exam, nrns.prescription, 'I10', 'Amlodipine']) expect(bytes).not.toContain(plain);

    // Audit: one fetch with the counts, two reads of the kept copy, the refusal before; all about patient A.
    const fetchedRows = await auditRows('national_record.fetched', consultationId);
    expect(fetchedRows.map((r) => [r.outcome, r.data])).toEqual([
      ['denied', { code: 'consent.missing' }],
      ['success', { examinations: 1, referrals: 1, prescriptions: 1 }],
    ]);
    const readRows = await auditRows('national_record.read', consultationId);
    expect(readRows.map((r) => r.outcome)).toEqual(['denied', 'success', 'success']);
    expect(readRows.slice(1).every((r) => r.patient_id === w.patientA.id && r.actor_id === w.sessions.specialistWithCare.accountId)).toBe(true);

    // A withdrawn consent closes the panel again, kept copy included.
    expect((await post('patientA', `/api/v1/consents/${consent.id}/withdraw`, {})).statusCode).toBe(200);
    expect(codeOf(await read('specialistWithCare', consultationId))).toBe('consent.missing');
  });

  it('deny by default: another specialist, the patient, an administrator and the operator are refused, and each refusal is recorded', async () => {
    const { requestId, consultationId } = await consultationFor();
    await verify(requestId);
    await signTreatment('patientA', requestId);
    clock.advance({ seconds: 1 });
    const before = received();
    for (const who of ['specialistWithout', 'specialistWithGrant', 'patientA', 'facilityAdmin', 'operator'] as const) {
      const res = await fetchIt(who, consultationId);
      expect(res.statusCode, `${who}: ${res.body}`).toBe(403);
      expect(codeOf(await read(who, consultationId))).toBe('auth.forbidden');
    }
    // An unknown consultation is refused the same way (no oracle).
    expect(codeOf(await fetchIt('specialistWithCare', '0190a000-0000-7000-8000-00000000dead'))).toBe('auth.forbidden');
    expect(received()).toEqual(before);
    const denied = await auditRows('national_record.fetched', consultationId);
    expect(denied).toHaveLength(5);
    expect(denied.every((r) => r.outcome === 'denied' && (r.data as { code: string }).code === 'auth.forbidden')).toBe(true);
    expect(denied.map((r) => r.actor_id)).toContain(w.sessions.specialistWithout.accountId);
    expect((await read('specialistWithCare', consultationId)).json<NationalRecord>()).toEqual({ status: 'not_fetched' });
  });

  it('an unreachable NHIS is an answer in words, not an error: nothing is kept, the consultation goes on, and a later fetch succeeds', async () => {
    const { requestId, consultationId } = await consultationFor();
    await verify(requestId);
    await signTreatment('patientA', requestId);
    clock.advance({ seconds: 1 });
    t.deps.nhisSimulator.unavailableUntil('2099-01-01T00:00:00Z');
    try {
      const down = await fetchIt('specialistWithCare', consultationId);
      expect(down.statusCode, down.body).toBe(200);
      expect(down.json<NationalRecord>()).toEqual({ status: 'unavailable', checkedAt: clock.now().toString() });
      expect((await read('specialistWithCare', consultationId)).json<NationalRecord>()).toEqual({ status: 'not_fetched' });
      // The consultation itself is untouched: the specialist admits the waiting patient as usual.
      const admitted = await post('specialistWithCare', `/api/v1/consultations/${consultationId}/participants/${w.sessions.patientA.accountId}/admit`);
      expect(admitted.statusCode, admitted.body).toBe(200);
      const failures = (await auditRows('national_record.fetched', consultationId)).filter((r) => r.outcome === 'failure');
      expect(failures.map((r) => r.data)).toEqual([{ failure: 'unavailable', messageTypes: ['P017', 'R015', 'X005'] }]);
    } finally {
      t.deps.nhisSimulator.unavailableUntil(null);
    }
    const later = await fetchIt('specialistWithCare', consultationId);
    expect(later.json<NationalRecord>()).toMatchObject({ status: 'ready', fromCache: false });
  });

  it('the consent that opens the record is the request’s own: a consent to another request does not count', async () => {
    const first = await consultationFor();
    await verify(first.requestId);
    const signed: Consent = await signTreatment('patientA', first.requestId);
    expect(signed.kind).toBe('treatment');
    const second = await consultationFor();
    expect(codeOf(await fetchIt('specialistWithCare', second.consultationId))).toBe('consent.missing');
  });
});

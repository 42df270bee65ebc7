import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../platform/clock.js';
import { withTransaction } from '../../platform/db/index.js';
import { systemCtx, type RequestCtx } from '../../platform/auth/request-context.js';
import { makeFacilityNumber, makeUin } from '../../platform/identifiers.js';
import type { Prescription, Referral } from '../../contracts/referrals.js';
import type { Encounter } from '../../contracts/encounters.js';
import { totpCode } from '../identity/index.js';
import { enrolTotpForDemo } from '../../demo/enrol-totp.js';
import { createTestApp, type TestApp } from '../../test/app-harness.js';
import { buildGpWorld, type GpWorld } from '../../test/gp-world.js';
import { signIn, WORLD_PASSWORD } from '../../test/access-world.js';
import { insertRequestFixture } from '../../test/consultation-world.js';
import { fhirProblems } from '../../test/fhir-validate.js';

// Referrals and e-prescriptions through the HTTP API on PGlite and (DATABASE_URL) PostgreSQL: a GP issues
// from a remote consultation and from visits, the NHIS simulator records, refuses and is retried, the
// patient reads, a cardiologist uses a referral by its НРН once. The tests run in order.
const clock = fixedClock('2026-12-07T08:00:00Z');
let t: TestApp;
let g: GpWorld;
const secrets: Record<string, string> = {};
let cardio: { headers: Record<string, string>; facilityId: string; practitionerId: string; email: string };
let hospitalId: string;
let requestId: string;
let phoneEncounter: Encounter;
let visitB: Encounter;

type Problem = { code: string; meta?: { rule?: string; rules?: { rule: string }[] } };

/** A fresh TOTP code: each signature claims its own 30-second step (replay protection). */
async function code(actor: 'gp1' | 'cardio'): Promise<string> {
  clock.set(clock.now().add({ seconds: 31 }).toString());
  return totpCode(secrets[actor] ?? '', Math.floor(clock.now().epochMilliseconds / 1000));
}

async function issue(payload: Record<string, unknown>) {
  return g.as('gp1', { method: 'POST', url: '/api/v1/referrals', payload: { purpose: 'consultation', diagnosisCode: 'I10', request: 'Консултация с кардиолог: ЕКГ и ехокардиография', ...payload, code: await code('gp1') } });
}

async function expectRefused(payload: Record<string, unknown>, code: string, rule: string) {
  const res = await issue(payload);
  expect(res.statusCode, res.body).toBe(422);
  expect(res.json<Problem>()).toMatchObject({ code, meta: { rule } });
}

async function auditRows(action: string) {
  const { rows } = await t.deps.database.pool.query<{ outcome: string; data: Record<string, unknown> | null }>('SELECT outcome, data FROM audit_event WHERE action = $1 ORDER BY seq', [action]);
  return rows;
}

beforeAll(async () => {
  t = await createTestApp({ clock });
  g = await buildGpWorld(t, clock);
  await t.deps.referrals.seedDemoMedicines();
  const ctx = systemCtx('test.referrals');
  const at = clock.now().toString();
  const seed = parseInt(t.deps.ids.uuid().replace(/-/g, '').slice(-6), 16);
  const made = await withTransaction(t.deps.db, async (tx) => {
    // The GP: GP specialty and an RHIF contract (R-REF-06); a quarterly standard of 5 № 4.
    await tx.execute(sql`INSERT INTO practitioner_specialty (practitioner_id, specialty_code) VALUES (${g.gp1}, '0000')`);
    await tx.execute(sql`INSERT INTO rhif_outpatient_contract (id, practitioner_id, facility_id, kind, contract_number, valid_from, created_at) VALUES (${t.deps.ids.uuid()}, ${g.gp1}, ${g.practice1}, 'pimp', '22/1234', '2026-01-01', ${at})`);
    await tx.execute(sql`INSERT INTO referral_standard (facility_id, form, per_quarter, valid_from, source) VALUES (${g.practice1}, '4', 5, '2026-01-01', 'test protocol')`);
    const gpAccount = (await tx.execute<{ id: string }>(sql`SELECT id FROM user_account WHERE practitioner_id = ${g.gp1}`)).rows[0]!.id;
    secrets['gp1'] = g.totpSecrets.gp1 ?? '';
    // A cardiologist at a diagnostic-consultative centre, contracted (the receiving side).
    const dkc = t.deps.ids.uuid();
    await tx.execute(sql`INSERT INTO facility (id, number, name, type_code, rhif_code, settlement, address, created_at, updated_at)
      VALUES (${dkc}, ${makeFacilityNumber('22', seed + 71)}, 'ДКЦ Сърце', 'dkc', '22', 'София', 'ул. Сърдечна 1', ${at}::timestamptz, ${at}::timestamptz)`);
    const cardioId = t.deps.ids.uuid();
    await tx.execute(sql`INSERT INTO practitioner (id, uin, given_name, family_name, created_at) VALUES (${cardioId}, ${makeUin(seed * 10 + 81)}, 'Д-р', 'Кардиев', ${at}::timestamptz)`);
    await tx.execute(sql`INSERT INTO practitioner_specialty (practitioner_id, specialty_code) VALUES (${cardioId}, '1020')`);
    await tx.execute(sql`INSERT INTO practitioner_role (id, practitioner_id, facility_id, created_at) VALUES (${t.deps.ids.uuid()}, ${cardioId}, ${dkc}, ${at}::timestamptz)`);
    const email = `cardio.${seed}@ref.distansia.bg`;
    const cardioAccount = await t.deps.identity.createAccount(tx, ctx, { email, password: WORLD_PASSWORD, role: 'specialist', practitionerId: cardioId, facilityIds: [dkc] });
    secrets['cardio'] = (await enrolTotpForDemo(t.deps, tx, ctx, cardioAccount)).secret;
    // A hospital contracted for clinical pathway 047 (R-REF-07), and one that is not.
    const hospital = t.deps.ids.uuid();
    await tx.execute(sql`INSERT INTO facility (id, number, name, type_code, rhif_code, settlement, address, created_at, updated_at)
      VALUES (${hospital}, ${makeFacilityNumber('22', seed + 72)}, 'УМБАЛ Тест', 'hospital', '22', 'София', 'бул. Болничен 1', ${at}::timestamptz, ${at}::timestamptz)`);
    await tx.execute(sql`INSERT INTO hospital_pathway_contract (facility_id, pathway_code, valid_from) VALUES (${hospital}, '047', '2026-01-01')`);
    // The remote consultation of patient A with the GP, started (DECISIONS 20).
    const req = await insertRequestFixture(tx, t.deps, { facilityId: g.practice1, practitionerId: g.gp1, patientId: g.w.patientA.id, requesterAccountId: g.w.sessions.patientA.accountId, status: 'in_progress', start: '2026-12-07T07:30:00Z' });
    await tx.execute(sql`INSERT INTO consultation (id, request_id, facility_id, patient_id, practitioner_id, mode, status, started_at, created_at, updated_at)
      VALUES (${t.deps.ids.uuid()}, ${req}, ${g.practice1}, ${g.w.patientA.id}, ${g.gp1}, 'synchronous', 'in-progress', ${'2026-12-07T07:31:00Z'}, ${at}, ${at})`);
    const gpCtx: RequestCtx = { actor: { type: 'user', id: gpAccount, role: 'specialist', sessionId: 'test', facilityIds: [g.practice1] }, requestId: 'test', ip: '127.0.0.1', userAgent: undefined, lang: 'bg' };
    await t.deps.access.openCareRelationship(tx, gpCtx, { patientId: g.w.patientA.id, practitionerId: g.gp1, facilityId: g.practice1, sourceType: 'request', sourceId: req });
    return { dkc, cardioId, email, hospital, req };
  });
  hospitalId = made.hospital;
  requestId = made.req;
  cardio = { headers: await signIn(t.app, made.email, secrets['cardio'] ?? '', Math.floor(clock.now().epochMilliseconds / 1000)), facilityId: made.dkc, practitionerId: made.cardioId, email: made.email };
  // Patient B: a phone consultation and an in-person visit with the GP, recorded by the front desk.
  const visit = async (kind: string) => {
    const res = await g.as('desk1', { method: 'POST', url: '/api/v1/encounters', payload: { facilityId: g.practice1, patientId: g.w.patientB.id, practitionerId: g.gp1, kind, startedAt: '2026-12-07T07:10:00Z', endedAt: '2026-12-07T07:20:00Z', nhifPaid: true } });
    if (res.statusCode !== 201) throw new Error(res.body);
    return res.json<Encounter>();
  };
  phoneEncounter = await visit('phone');
  visitB = await visit('in_person');
}, 180_000);

afterAll(async () => {
  await t?.close();
});

describe('a GP issues a № 3 from a remote consultation (W13, DECISIONS 20)', () => {
  let ref: Referral;

  it('R-REF-01: 201 with validity 30 calendar days, citing the consultation; pending until the NHIS answers', async () => {
    const res = await issue({ requestId, form: '3', specialtyCode: '1020' });
    expect(res.statusCode, res.body).toBe(201);
    ref = res.json<Referral>();
    expect(ref).toMatchObject({ form: '3', status: 'pending', issuedOn: '2026-12-07', validUntil: '2027-01-06', nrn: null, revision: 1, patientId: g.w.patientA.id });
    expect(ref.consultationId).not.toBeNull();
    expect(ref.usableAt).toContain('2027-01-06');
    expect((await auditRows('referral.issued')).at(-1)?.data).toMatchObject({ form: '3', encounterKind: 'remote' });
  });

  it('the signed content is encrypted at rest and never changes (database trigger)', async () => {
    const { rows } = await t.deps.database.pool.query<{ content_enc: Buffer }>('SELECT content_enc FROM referral WHERE id = $1', [ref.id]);
    expect(rows[0]?.content_enc.toString('utf8')).not.toContain('кардиолог');
    await expect(t.deps.database.pool.query("UPDATE referral SET content_sha256 = 'x' WHERE id = $1", [ref.id])).rejects.toThrow(/never changes/);
    await expect(t.deps.database.pool.query('DELETE FROM referral WHERE id = $1', [ref.id])).rejects.toThrow(/never deleted/);
  });

  it('the outbox retries an unavailable NHIS, then R002 stores the НРН and the referral counts as issued', async () => {
    t.deps.nhisSimulator.failNext(1, 'unavailable');
    await t.deps.outbox.drain();
    let row = (await t.deps.database.pool.query<{ status: string; nhis_attempts: number }>('SELECT status, nhis_attempts FROM referral WHERE id = $1', [ref.id])).rows[0];
    expect(row).toMatchObject({ status: 'pending', nhis_attempts: 1 });
    clock.set(clock.now().add({ minutes: 2 }).toString());
    await t.deps.outbox.drain();
    row = (await t.deps.database.pool.query<{ status: string; nhis_attempts: number }>('SELECT status, nhis_attempts FROM referral WHERE id = $1', [ref.id])).rows[0];
    expect(row).toMatchObject({ status: 'issued', nhis_attempts: 2 });
    const read = await g.as('gp1', { method: 'GET', url: `/api/v1/referrals/${ref.id}` });
    ref = read.json<Referral>();
    expect(ref.nrn).toMatch(/^[0-9A-Z]{12}$/);
    expect(t.deps.nhisSimulator.documents.referrals().map((r) => r.nrn)).toContain(ref.nrn);
    const { rows } = await t.deps.database.pool.query<{ message_type: string; outcome: string }>('SELECT message_type, outcome FROM nhis_document_attempt WHERE document_id = $1 ORDER BY at', [ref.id]);
    expect(rows.map((r) => `${r.message_type}:${r.outcome}`)).toEqual(['R001:unavailable', 'R001:ok']);
  });

  it('the patient sees it with its validity and where to use it; another patient cannot', async () => {
    const list = await g.as('patientA', { method: 'GET', url: `/api/v1/patients/${g.w.patientA.id}/referrals` });
    expect(list.statusCode, list.body).toBe(200);
    expect(list.json<{ items: Referral[] }>().items[0]).toMatchObject({ id: ref.id, nrn: ref.nrn, validUntil: '2027-01-06', status: 'issued' });
    expect((await g.as('patientB', { method: 'GET', url: `/api/v1/patients/${g.w.patientA.id}/referrals` })).statusCode).toBe(403);
    expect((await g.as('patientB', { method: 'GET', url: `/api/v1/referrals/${ref.id}` })).statusCode).toBe(403);
  });

  it('the patient prints it: a PDF with the НРН (and its QR code)', async () => {
    const res = await g.as('patientA', { method: 'GET', url: `/api/v1/referrals/${ref.id}/pdf` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.rawPayload.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(res.headers['content-disposition']).toContain(ref.nrn ?? 'missing');
    expect((await g.as('patientB', { method: 'GET', url: `/api/v1/referrals/${ref.id}/pdf` })).statusCode).toBe(403);
  });

  it('W14: the cardiologist finds it by its НРН and uses it once; a second use is refused', async () => {
    const found = await t.app.inject({ method: 'GET', url: `/api/v1/referrals/by-nrn/${ref.nrn}?facilityId=${cardio.facilityId}`, headers: cardio.headers });
    expect(found.statusCode, found.body).toBe(200);
    expect(found.json<Referral>()).toMatchObject({ id: ref.id, form: '3', specialtyCode: '1020' });
    const use = () => t.app.inject({ method: 'POST', url: `/api/v1/referrals/by-nrn/${ref.nrn}/use`, headers: cardio.headers, payload: { facilityId: cardio.facilityId } });
    const first = await use();
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json<Referral>().status).toBe('used');
    const second = await use();
    expect(second.statusCode).toBe(409);
    expect(second.json<Problem>().code).toBe('referral.already_used');
    // The GP of another practice cannot use it for a facility they do not work at.
    expect((await g.as('gp2', { method: 'POST', url: `/api/v1/referrals/by-nrn/${ref.nrn}/use`, payload: { facilityId: cardio.facilityId } })).statusCode).toBe(403);
  });
});

describe('refusals name their rule', () => {
  it('R-REF-06: a GP does not issue № 3А; the refusal is audited', async () => {
    await expectRefused({ requestId, form: '3A', specialtyCode: '1020', purpose: 'highly_specialised' }, 'referral.form_not_allowed', 'R-REF-06');
    expect((await auditRows('referral.refused')).at(-1)).toMatchObject({ outcome: 'denied', data: { form: '3A', rules: ['R-REF-06'] } });
  });
  it('R-REF-08: no № 3 for a TELK consultation (use № 6)', async () => {
    await expectRefused({ requestId, form: '3', specialtyCode: '1020', purpose: 'telk' }, 'referral.use_form_6', 'R-REF-08');
  });
  it('R-REF-10: not at the patient’s wish alone', async () => {
    await expectRefused({ requestId, form: '3', specialtyCode: '1020', basis: 'patient_wish' }, 'referral.not_medically_justified', 'R-REF-10');
  });
  it('R-REF-13: no outpatient referral for hospital admission tests', async () => {
    await expectRefused({ requestId, form: '4', purpose: 'hospital_admission_tests', activityCodes: ['01.01'] }, 'referral.hospital_admission_tests', 'R-REF-13');
  });
  it('R-REF-15: no referral to a specialist from a phone consultation; a № 4 is allowed', async () => {
    await expectRefused({ encounterId: phoneEncounter.id, form: '3', specialtyCode: '1020' }, 'referral.phone_consultation', 'R-REF-15');
    const ok = await issue({ encounterId: phoneEncounter.id, form: '4', purpose: 'tests', activityCodes: ['01.03'] });
    expect(ok.statusCode, ok.body).toBe(201);
  });
  it('R-REF-07: № 7 only to a hospital contracted for the clinical pathway', async () => {
    await expectRefused({ requestId, form: '7', purpose: 'hospitalisation', hospitalFacilityId: hospitalId, clinicalPathway: '999' }, 'referral.hospital_not_contracted', 'R-REF-07');
    const ok = await issue({ requestId, form: '7', purpose: 'hospitalisation', hospitalFacilityId: hospitalId, clinicalPathway: '047' });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json<Referral>()).toMatchObject({ hospital: { facilityId: hospitalId, clinicalPathway: '047' }, validUntil: '2027-01-06' });
  });
  it('a wrong second factor signs nothing', async () => {
    const res = await g.as('gp1', { method: 'POST', url: '/api/v1/referrals', payload: { requestId, form: '3', specialtyCode: '1020', purpose: 'consultation', diagnosisCode: 'I10', request: 'Консултация', code: '000000' } });
    expect(res.statusCode).toBe(401);
    expect(res.json<Problem>().code).toBe('auth.mfa_invalid');
  });
  it('only the doctor of the encounter issues', async () => {
    const res = await g.as('gp3', { method: 'POST', url: '/api/v1/referrals', payload: { requestId, form: '3', specialtyCode: '1020', purpose: 'consultation', diagnosisCode: 'I10', request: 'Консултация', code: '123456' } });
    expect(res.statusCode).toBe(403);
  });
});

describe('R-48: the quarterly standard for № 4 (5 per quarter) is shown, warned at 80 % and enforced', () => {
  it('R-48: the 4th № 4 warns, the 5th uses it up, the 6th is refused', async () => {
    // One № 4 was issued from the phone consultation above.
    const levels: string[] = [];
    for (let i = 0; i < 4; i += 1) {
      const res = await issue({ encounterId: visitB.id, form: '4', purpose: 'tests', activityCodes: ['01.01'] });
      expect(res.statusCode, res.body).toBe(201);
      levels.push(res.json<Referral>().budget?.level ?? '');
    }
    expect(levels).toEqual(['ok', 'ok', 'warning', 'exhausted']);
    const refused = await issue({ encounterId: visitB.id, form: '4', purpose: 'tests', activityCodes: ['01.01'] });
    expect(refused.statusCode).toBe(422);
    expect(refused.json<Problem>()).toMatchObject({ code: 'referral.budget_exhausted', meta: { rule: 'R-48' } });
    const budgets = await g.as('gp1', { method: 'GET', url: `/api/v1/referral-budgets?facilityId=${g.practice1}` });
    expect(budgets.json<{ items: { form: string; used: number; limit: number | null }[] }>().items.find((b) => b.form === '4')).toMatchObject({ used: 5, limit: 5 });
  });
});

describe('NHIS refusals, cancellation and corrections', () => {
  it('a refusal by the NHIS is final: rejected with its reason, not retried', async () => {
    const res = await issue({ requestId, form: '3', specialtyCode: '1020' });
    const id = res.json<Referral>().id;
    await t.deps.outbox.drain(); // the earlier referrals
    t.deps.nhisSimulator.failNext(1, 'reject');
    const again = await issue({ requestId, form: '3', specialtyCode: '1004' });
    await t.deps.outbox.drain();
    const rejected = (await g.as('gp1', { method: 'GET', url: `/api/v1/referrals/${again.json<Referral>().id}` })).json<Referral>();
    expect(rejected).toMatchObject({ status: 'rejected', nhisError: 'simulated_rejection', nrn: null });
    expect((await g.as('gp1', { method: 'GET', url: `/api/v1/referrals/${id}` })).json<Referral>().status).toBe('issued');
  });

  it('a correction is a new signed version; the old one is cancelled in the NHIS (R007) and superseded', async () => {
    const first = (await issue({ requestId, form: '3', specialtyCode: '1020' })).json<Referral>();
    await t.deps.outbox.drain();
    const corrected = await issue({ requestId, form: '3', specialtyCode: '1004', replacesId: first.id });
    expect(corrected.statusCode, corrected.body).toBe(201);
    expect(corrected.json<Referral>()).toMatchObject({ revision: 2, replacesId: first.id });
    await t.deps.outbox.drain();
    const old = (await g.as('gp1', { method: 'GET', url: `/api/v1/referrals/${first.id}` })).json<Referral>();
    expect(old.status).toBe('superseded');
    expect(t.deps.nhisSimulator.documents.referrals().find((r) => r.nrn === old.nrn)?.status).toBe('cancelled');
  });

  it('the issuing doctor cancels an issued referral (R007); a cancelled referral cannot be used', async () => {
    const ref = (await issue({ requestId, form: '3', specialtyCode: '1020' })).json<Referral>();
    await t.deps.outbox.drain();
    const c = await g.as('gp1', { method: 'POST', url: `/api/v1/referrals/${ref.id}/cancel`, payload: { reason: 'Издадено по грешка', code: await code('gp1') } });
    expect(c.statusCode, c.body).toBe(202);
    await t.deps.outbox.drain();
    const after = (await g.as('gp1', { method: 'GET', url: `/api/v1/referrals/${ref.id}` })).json<Referral>();
    expect(after.status).toBe('cancelled');
    const use = await t.app.inject({ method: 'POST', url: `/api/v1/referrals/by-nrn/${after.nrn}/use`, headers: cardio.headers, payload: { facilityId: cardio.facilityId } });
    expect(use.json<Problem>().code).toBe('referral.cancelled');
  });
});

describe('e-prescriptions (W27)', () => {
  let rx: Prescription;

  it('R-PC-05: after the remote consultation, an NHIF e-prescription is issued, recorded, and its pharmacy shown to the patient', async () => {
    const res = await g.as('gp1', { method: 'POST', url: '/api/v1/prescriptions', payload: { requestId, diagnosisCode: 'I10', lines: [{ medicineCode: 'DEMO0001', packages: 1, days: 30, dosage: '1 таблетка сутрин' }], code: await code('gp1') } });
    expect(res.statusCode, res.body).toBe(201);
    rx = res.json<Prescription>();
    expect(rx).toMatchObject({ kind: 'nhif', status: 'pending', lines: [{ medicineCode: 'DEMO0001', nhifReimbursed: true }] });
    await t.deps.outbox.drain();
    const issued = (await g.as('gp1', { method: 'GET', url: `/api/v1/prescriptions/${rx.id}` })).json<Prescription>();
    expect(issued.status).toBe('issued');
    expect(issued.nrn).toMatch(/^[0-9A-Z]{12}$/);
    t.deps.nhisSimulator.documents.dispense(issued.nrn ?? '', { pharmacyNumber: '2201000123', pharmacyName: 'Аптека „Здраве“', dispensedOn: '2026-12-07' });
    const refreshed = await g.as('patientA', { method: 'POST', url: `/api/v1/prescriptions/${rx.id}/nhis-status` });
    expect(refreshed.statusCode, refreshed.body).toBe(200);
    const list = await g.as('patientA', { method: 'GET', url: `/api/v1/patients/${g.w.patientA.id}/prescriptions` });
    expect(list.json<{ items: Prescription[] }>().items[0]).toMatchObject({ status: 'dispensed', dispensations: [{ pharmacyName: 'Аптека „Здраве“' }] });
  });

  it('the patient’s FHIR export carries referrals as ServiceRequest and prescriptions as MedicationRequest, valid R4', async () => {
    const res = await g.as('patientA', { method: 'GET', url: `/fhir/R4/Patient/${g.w.patientA.id}/$everything` });
    expect(res.statusCode, res.body).toBe(200);
    const resources = res.json<{ entry: { resource: { resourceType: string; identifier?: { value: string }[] } }[] }>().entry.map((e) => e.resource);
    expect(resources.filter((r) => r.resourceType === 'ServiceRequest').length).toBeGreaterThan(0);
    expect(resources.find((r) => r.resourceType === 'MedicationRequest')?.identifier?.[0]?.value).toBe(rx.nrn ?? (await g.as('gp1', { method: 'GET', url: `/api/v1/prescriptions/${rx.id}` })).json<Prescription>().nrn);
    expect(fhirProblems(res.json())).toEqual([]);
    // The same resources on their own, searched by patient and read back by id, under the same policy.
    for (const type of ['ServiceRequest', 'MedicationRequest']) {
      const search = await g.as('patientA', { method: 'GET', url: `/fhir/R4/${type}?patient=Patient/${g.w.patientA.id}` });
      expect(search.statusCode, search.body).toBe(200);
      const bundle = search.json<{ entry: { fullUrl: string; resource: { resourceType: string; id: string } }[] }>();
      expect(bundle.entry.length).toBe(resources.filter((r) => r.resourceType === type).length);
      expect(fhirProblems(bundle)).toEqual([]);
      const first = bundle.entry[0]!;
      const read = await g.as('patientA', { method: 'GET', url: `/fhir/R4/${type}/${first.resource.id}` });
      expect(read.statusCode, read.body).toBe(200);
      expect(read.json()).toEqual(first.resource);
      expect((await g.as('patientB', { method: 'GET', url: `/fhir/R4/${type}/${first.resource.id}` })).statusCode).toBe(403);
      expect((await g.as('patientB', { method: 'GET', url: `/fhir/R4/${type}?patient=${g.w.patientA.id}` })).statusCode).toBe(403);
    }
  });

  it('R-PC-06: no NHIF-reimbursed medicine from a phone consultation; a non-reimbursed one is allowed', async () => {
    const refused = await g.as('gp1', { method: 'POST', url: '/api/v1/prescriptions', payload: { encounterId: phoneEncounter.id, diagnosisCode: 'I10', lines: [{ medicineCode: 'DEMO0001', packages: 1, days: 30, dosage: '1 т.' }], code: await code('gp1') } });
    expect(refused.statusCode).toBe(422);
    expect(refused.json<Problem>()).toMatchObject({ code: 'prescription.phone_reimbursed', meta: { rule: 'R-PC-06' } });
    const ok = await g.as('gp1', { method: 'POST', url: '/api/v1/prescriptions', payload: { encounterId: phoneEncounter.id, diagnosisCode: 'R50.9', lines: [{ medicineCode: 'DEMO0008', packages: 1, days: 5, dosage: 'при нужда' }], code: await code('gp1') } });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json<Prescription>().kind).toBe('ordinary');
  });

  it('R-53 / R-56: more than three products, or a protocol medicine with others, are refused', async () => {
    const lines = ['DEMO0002', 'DEMO0003', 'DEMO0004', 'DEMO0005'].map((medicineCode) => ({ medicineCode, packages: 1, days: 30, dosage: '1 т.' }));
    const res = await g.as('gp1', { method: 'POST', url: '/api/v1/prescriptions', payload: { requestId, diagnosisCode: 'I10', lines, code: await code('gp1') } });
    expect(res.json<Problem>()).toMatchObject({ code: 'prescription.too_many_products', meta: { rule: 'R-53' } });
    const mixed = await g.as('gp1', { method: 'POST', url: '/api/v1/prescriptions', payload: { requestId, diagnosisCode: 'M05.9', protocolNumber: 'P-1', lines: [{ medicineCode: 'DEMO0011', packages: 1, days: 28, dosage: '40 mg' }, { medicineCode: 'DEMO0009', packages: 1, days: 10, dosage: '1 т.' }], code: await code('gp1') } });
    expect(mixed.json<Problem>()).toMatchObject({ code: 'prescription.protocol_separate', meta: { rule: 'R-56' } });
  });

  it('a dispensed prescription cannot be cancelled', async () => {
    const res = await g.as('gp1', { method: 'POST', url: `/api/v1/prescriptions/${rx.id}/cancel`, payload: { reason: 'грешка', code: await code('gp1') } });
    expect(res.statusCode).toBe(409);
  });

  const amlodipine10 = { medicineCode: 'DEMO0012', packages: 1, days: 30, dosage: '1 таблетка вечер' };

  it('R-59: amlodipine again the same day is an early prescription, refused without the period it covers, issued with it (recorded)', async () => {
    const early = await g.as('gp1', { method: 'POST', url: '/api/v1/prescriptions', payload: { requestId, diagnosisCode: 'I10', lines: [amlodipine10], code: await code('gp1') } });
    expect(early.statusCode, early.body).toBe(422);
    expect(early.json<Problem>()).toMatchObject({ code: 'prescription.too_early', meta: { rule: 'R-59' } });
    const aligned = await g.as('gp1', { method: 'POST', url: '/api/v1/prescriptions', payload: { requestId, diagnosisCode: 'I10', lines: [amlodipine10], earlyAlignment: { coversUntil: '2027-01-20' }, code: await code('gp1') } });
    expect(aligned.statusCode, aligned.body).toBe(201);
  });

  it('R-66: while the patient is in hospital for the disease, its reimbursed medicines are refused', async () => {
    const res = await g.as('gp1', { method: 'POST', url: '/api/v1/prescriptions', payload: { requestId, diagnosisCode: 'I10', lines: [{ medicineCode: 'DEMO0005', packages: 1, days: 30, dosage: '1 т.' }], hospitalStay: { mainDiagnosisCode: 'I10' }, code: await code('gp1') } });
    expect(res.statusCode, res.body).toBe(422);
    expect(res.json<Problem>()).toMatchObject({ code: 'prescription.hospital_stay', meta: { rule: 'R-66' } });
  });

  it('R-62: on a protocol medicine for a disease, another reimbursed medicine for it is refused', async () => {
    const protocol = await g.as('gp1', { method: 'POST', url: '/api/v1/prescriptions', payload: { requestId, diagnosisCode: 'M05.9', protocolNumber: 'P-1', lines: [{ medicineCode: 'DEMO0011', packages: 1, days: 28, dosage: '40 mg' }], code: await code('gp1') } });
    expect(protocol.statusCode, protocol.body).toBe(201);
    const other = await g.as('gp1', { method: 'POST', url: '/api/v1/prescriptions', payload: { requestId, diagnosisCode: 'M05.9', lines: [{ medicineCode: 'DEMO0004', packages: 1, days: 30, dosage: '1 т.' }], code: await code('gp1') } });
    expect(other.statusCode, other.body).toBe(422);
    expect(other.json<Problem>()).toMatchObject({ code: 'prescription.protocol_patient', meta: { rule: 'R-62' } });
  });

  it('the doctor’s own list shows what they issued, newest first, and audits the read', async () => {
    const res = await g.as('gp1', { method: 'GET', url: '/api/v1/issued-documents' });
    expect(res.statusCode, res.body).toBe(200);
    const items = res.json<{ items: { kind: string; patientName: string; nrn: string | null }[] }>().items;
    expect(items.some((i) => i.kind === 'referral')).toBe(true);
    expect(items.some((i) => i.kind === 'prescription')).toBe(true);
    expect((await auditRows('referral.listed')).length).toBeGreaterThan(0);
    const patient = await g.as('patientA', { method: 'GET', url: '/api/v1/issued-documents' });
    expect(patient.statusCode).toBe(403);
  });
});

describe('the NHIF monthly report counts the referrals issued through the use case (R-127, R-48, R-128)', () => {
  it('R-127 / R-48: December 2026 of the practice: per form, the referrals the GP issued and the NHIS recorded, against the № 4 standard', async () => {
    // Hand count from the GP's own list (not the report's query): recorded (issued or used), this month.
    const listed = (await g.as('gp1', { method: 'GET', url: '/api/v1/issued-documents' })).json<{ items: { kind: string; id: string; form: string | null; status: string; issuedOn: string }[] }>().items;
    const counted = listed.filter((d) => d.kind === 'referral' && ['issued', 'used'].includes(d.status) && d.issuedOn.startsWith('2026-12-'));
    const byForm = new Map<string, string[]>();
    for (const d of counted) byForm.set(d.form ?? '', [...(byForm.get(d.form ?? '') ?? []), d.id].sort());
    expect(byForm.get('3')?.length ?? 0).toBeGreaterThan(0);
    expect(byForm.get('4')?.length ?? 0).toBeGreaterThan(0);

    const res = await g.as('gp1', { method: 'GET', url: `/api/v1/practices/${g.practice1}/reports/nhif-monthly?month=2026-12&format=json` });
    expect(res.statusCode, res.body).toBe(200);
    const figures = res.json<{ referrals: { form: string; count: number; records: string[]; quarterToDate: number; standardPerQuarter: number | null; allowedWithTolerance: number | null; overStandard: boolean }[] }>().referrals;
    for (const [form, ids] of byForm) {
      const f = figures.find((x) => x.form === form);
      expect(f, `form ${form}`).toBeDefined();
      // The drill-down: the figure is exactly these referrals (R-DATA-07: figures tied to their records).
      expect({ form, count: f?.count, records: [...(f?.records ?? [])].sort() }).toEqual({ form, count: ids.length, records: ids });
    }
    // Pending, refused or cancelled ones are not counted; no form appears that the GP did not issue.
    expect(figures.filter((f) => f.count > 0).map((f) => f.form).sort()).toEqual([...byForm.keys()].sort());
    // the test protocol's 5 № 4 a quarter, with the 20% tolerance: 6.
    const four = figures.find((f) => f.form === '4');
    expect(four).toMatchObject({ standardPerQuarter: 5, allowedWithTolerance: 6, quarterToDate: byForm.get('4')?.length, overStandard: (byForm.get('4')?.length ?? 0) > 6 });

    const xml = await g.as('gp1', { method: 'GET', url: `/api/v1/practices/${g.practice1}/reports/nhif-monthly?month=2026-12&format=xml` });
    expect(xml.statusCode).toBe(200);
    for (const f of figures.filter((x) => x.count > 0)) expect(xml.body).toContain(`${f.count}`);
  });
});

describe('R-REF-01 at use: day 30 in Sofia is allowed, day 31 refused', () => {
  it('R-REF-01: used at 23:59 on 6 January (day 30), refused at 00:00 on 7 January (day 31)', async () => {
    const a = (await issue({ requestId, form: '3', specialtyCode: '1020' })).json<Referral>();
    const b = (await issue({ requestId, form: '3', specialtyCode: '1020' })).json<Referral>();
    await t.deps.outbox.drain();
    const nrnOf = async (id: string) => (await g.as('gp1', { method: 'GET', url: `/api/v1/referrals/${id}` })).json<Referral>().nrn;
    const [na, nb] = [await nrnOf(a.id), await nrnOf(b.id)];
    clock.set('2027-01-06T21:59:00Z'); // 23:59 EET
    // The cardiologist signs in again a month later (sessions end when idle).
    cardio.headers = await signIn(t.app, cardio.email, secrets['cardio'] ?? '', Math.floor(clock.now().epochMilliseconds / 1000));
    const ok = await t.app.inject({ method: 'POST', url: `/api/v1/referrals/by-nrn/${na}/use`, headers: cardio.headers, payload: { facilityId: cardio.facilityId } });
    expect(ok.statusCode, ok.body).toBe(200);
    clock.set('2027-01-06T22:00:00Z'); // 00:00 on 7 January in Sofia
    const late = await t.app.inject({ method: 'POST', url: `/api/v1/referrals/by-nrn/${nb}/use`, headers: cardio.headers, payload: { facilityId: cardio.facilityId } });
    expect(late.statusCode).toBe(422);
    expect(late.json<Problem>()).toMatchObject({ code: 'referral.expired', meta: { rule: 'R-REF-01' } });
  });
});

describe('R-REF-11: insurance on the issue date', () => {
  it('R-REF-11: interrupted insurance rights get no NHIF form, only 119а', async () => {
    // The insurance answer is cached per day (R-NHIF-01): the registry is asked again the next day.
    await g.travel('2027-01-07T08:00:00Z');
    t.deps.insuranceSimulator.setAnswer(g.w.patientB.demographics.identifier, { code: 2, status: 'interrupted', missingMonths: ['2026-10'] });
    await expectRefused({ encounterId: visitB.id, form: '3', specialtyCode: '1020' }, 'referral.insurance_interrupted', 'R-REF-11');
    const paid = await issue({ encounterId: visitB.id, form: '119a', specialtyCode: '1020' });
    expect(paid.statusCode, paid.body).toBe(201);
    expect(paid.json<Referral>().validUntil).toBeNull();
    t.deps.insuranceSimulator.setAnswer(g.w.patientB.demographics.identifier, { code: 1, status: 'insured' });
  });
});

import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock, Temporal } from '../../platform/clock.js';
import { withTransaction } from '../../platform/db/index.js';
import { systemCtx } from '../../platform/auth/request-context.js';
import { createTestApp, type TestApp } from '../../test/app-harness.js';
import { buildAccessWorld, freshStepUpCode, type AccessWorld, type ActorName } from '../../test/access-world.js';
import type { ClinicalDocument, HealthRecord } from '../../contracts/records.js';
import type { AccessLog } from '../../contracts/audit-trail.js';
import { seedIcd10Demo } from '../../demo/icd10-demo.js';

// Art. 21 (R-TM-22; docs/access.md "Supervision"): a supervision case names a facility and a legal basis,
// reaches only the care given at that facility, and is shown to the facility's administrators and the
// patient. Regression test of the trust review's finding 3 ("a supervision case is not bound to its
// facility"): on the old code the supervisor read patient B through a case at a facility B never used,
// and a facility-wide case showed patient A's records made at another facility.

const clock = fixedClock('2026-11-24T08:00:00Z');
let t: TestApp;
let w: AccessWorld;
const practitionerOf: Record<string, string> = {};

async function call(actor: ActorName, method: 'GET' | 'POST', url: string, payload?: unknown, headers: Record<string, string> = {}) {
  return t.app.inject({ method, url, headers: { ...(actor === 'anonymous' ? {} : w.sessions[actor].headers), ...headers }, ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }) });
}

/** A completed service of patient A at `facilityId`, provided by `author`, as the requests module leaves it. */
async function completedService(facilityId: string, author: 'specialistWithCare' | 'specialistWithGrant', completedAt: string): Promise<string> {
  const id = t.deps.ids.uuid();
  const serviceId = t.deps.ids.uuid();
  const at = '2026-11-24T07:00:00Z';
  await withTransaction(t.deps.db, async (tx) => {
    await tx.execute(sql`INSERT INTO facility_service (id, facility_id, specialty_code, kind_code, name, description, mode, typical_minutes, price_eur_cents, status, created_at, updated_at)
      VALUES (${serviceId}, ${facilityId}, '1020', 'consultation', 'Кардиологична консултация', 'Преглед на резултати', 'asynchronous', 20, 3000, 'published', ${at}, ${at})`);
    await tx.execute(sql`INSERT INTO service_request (id, urgency, mode, status, requester_kind, requester_account_id, recipient_kind, patient_id, provider_facility_id, specialty_code, service_id, practitioner_id, form_enc, created_at, updated_at)
      VALUES (${id}, 'planned', 'asynchronous', 'in_progress', 'patient', ${w.sessions.patientA.accountId}, 'patient', ${w.patientA.id}, ${facilityId}, '1020', ${serviceId}, ${practitionerOf[author]}, ${Buffer.from('x')}, ${at}, ${at})`);
    await tx.execute(sql`UPDATE service_request SET status = 'completed' WHERE id = ${id}`);
    await tx.execute(sql`INSERT INTO service_request_event (id, request_id, action, from_status, to_status, side, at) VALUES (${t.deps.ids.uuid()}, ${id}, 'complete', 'in_progress', 'completed', 'provider', ${completedAt})`);
    await t.deps.deadlines.startDeadline(tx, systemCtx('test.supervision'), id, Temporal.Instant.from(completedAt));
  });
  return id;
}

async function signedSheet(requestId: string, author: 'specialistWithCare' | 'specialistWithGrant'): Promise<ClinicalDocument> {
  const body = { purpose: 'consultation', anamnesis: 'Главоболие.', objectiveFindings: 'Добро общо състояние.', diagnoses: [{ code: 'I10', title: 'Есенциална (първична) хипертония', rank: 'primary' }], therapy: 'Режим.', medications: [] };
  const draft = await call(author, 'POST', `/api/v1/requests/${requestId}/documents`, { kind: 'ambulatory_sheet', body });
  expect(draft.statusCode, draft.body).toBe(201);
  const d = draft.json<ClinicalDocument>();
  const signed = await call(author, 'POST', `/api/v1/records/documents/${d.id}/sign`, { code: await freshStepUpCode(clock, w.sessions[author].totpSecret) }, { 'if-match': `"${d.version}"` });
  expect(signed.statusCode, signed.body).toBe(200);
  return signed.json<ClinicalDocument>();
}

const openCase = (payload: Record<string, unknown>) => call('supervisor', 'POST', '/api/v1/supervision-cases', payload);
const closeCase = (id: string) => call('supervisor', 'POST', `/api/v1/supervision-cases/${id}/close`);

let here: ClinicalDocument;
let elsewhere: ClinicalDocument;

beforeAll(async () => {
  t = await createTestApp({ clock });
  w = await buildAccessWorld(t);
  for (const a of ['specialistWithCare', 'specialistWithGrant'] as const) {
    const r = await t.deps.db.execute<{ practitioner_id: string }>(sql`SELECT practitioner_id FROM user_account WHERE id = ${w.sessions[a].accountId}`);
    practitionerOf[a] = r.rows[0]!.practitioner_id;
  }
  await seedIcd10Demo(t.deps.records, systemCtx('test'));
  // Patient A was cared for at facility 1 (the world's care relationship); a second facility also made a record.
  here = await signedSheet(await completedService(w.facilityId, 'specialistWithCare', '2026-11-24T07:30:00Z'), 'specialistWithCare');
  elsewhere = await signedSheet(await completedService(w.otherFacilityId, 'specialistWithGrant', '2026-11-24T07:40:00Z'), 'specialistWithGrant');
}, 90_000);
afterAll(async () => {
  await t?.close();
});

describe('supervision is bound to its facility (Art. 21, R-TM-22)', () => {
  it('a case names a facility and a legal basis (the inspection order number)', async () => {
    const res = await openCase({ facilityId: w.facilityId, reason: 'Сигнал № 5/2026' });
    expect(res.statusCode).toBe(400);
    expect(res.json<{ errors: { pointer: string }[] }>().errors.map((e) => e.pointer)).toContain('#/legalBasis');
  });

  it('finding 3: a case for a facility the patient never used opens nothing of that patient', async () => {
    // Patient B had no care at the other facility (or anywhere): naming B answers like an unknown patient.
    const named = await openCase({ facilityId: w.otherFacilityId, patientId: w.patientB.id, legalBasis: 'Заповед № РД-09-1/2026', reason: 'Сигнал' });
    expect(named.statusCode).toBe(404);
    const wide = await openCase({ facilityId: w.otherFacilityId, legalBasis: 'Заповед № РД-09-2/2026', reason: 'Планова проверка' });
    expect(wide.statusCode).toBe(201);
    try {
      for (const url of [`/api/v1/patients/${w.patientB.id}`, `/api/v1/patients/${w.patientB.id}/health-record`]) {
        expect((await call('supervisor', 'GET', url)).statusCode, url).toBe(403);
      }
      // Patient A had a record made at the other facility but no care relationship there: still closed.
      expect((await call('supervisor', 'GET', `/api/v1/patients/${w.patientA.id}`)).statusCode).toBe(403);
    } finally {
      expect((await closeCase(wide.json<{ id: string }>().id)).statusCode).toBe(200);
    }
  });

  it('finding 3: a facility-wide case reaches only the records that facility made, not the patient’s care elsewhere', async () => {
    const opened = await openCase({ facilityId: w.facilityId, legalBasis: 'Заповед № РД-09-3/2026', reason: 'Планова проверка' });
    expect(opened.statusCode, opened.body).toBe(201);
    expect(opened.json()).toMatchObject({ facilityId: w.facilityId, patientId: null, legalBasis: 'Заповед № РД-09-3/2026', closedAt: null });
    try {
      expect((await call('supervisor', 'GET', `/api/v1/patients/${w.patientA.id}`)).statusCode).toBe(200);
      const rec = await call('supervisor', 'GET', `/api/v1/patients/${w.patientA.id}/health-record`);
      expect(rec.statusCode, rec.body).toBe(200);
      expect(rec.json<HealthRecord>().documents.map((d) => d.documentId)).toEqual([here.id]);
      const fhir = await call('supervisor', 'GET', `/api/v1/patients/${w.patientA.id}/health-record/fhir`);
      expect(fhir.statusCode).toBe(200);
      expect(fhir.body).toContain(here.id);
      expect(fhir.body).not.toContain(elsewhere.id);
      expect((await call('supervisor', 'GET', `/api/v1/records/documents/${here.id}`)).statusCode).toBe(200);
      expect((await call('supervisor', 'GET', `/api/v1/records/documents/${elsewhere.id}`)).statusCode).toBe(403);
      // The patient still sees both (the patient's own record is not scoped).
      expect((await call('patientA', 'GET', `/api/v1/patients/${w.patientA.id}/health-record`)).json<HealthRecord>().documents).toHaveLength(2);
    } finally {
      expect((await closeCase(opened.json<{ id: string }>().id)).statusCode).toBe(200);
    }
    expect((await call('supervisor', 'GET', `/api/v1/records/documents/${here.id}`)).statusCode).toBe(403);
  });

  it('opening and closing are audited, shown to the facility’s administrators and to the patient, and notified', async () => {
    const opened = await openCase({ facilityId: w.facilityId, patientId: w.patientA.id, legalBasis: 'Заповед № РД-09-4/2026', reason: 'Жалба' });
    expect(opened.statusCode, opened.body).toBe(201);
    const caseId = opened.json<{ id: string }>().id;
    expect((await closeCase(caseId)).statusCode).toBe(200);

    const forAdmin = await call('facilityAdmin', 'GET', `/api/v1/admin/supervision-cases?facilityId=${w.facilityId}`);
    expect(forAdmin.statusCode).toBe(200);
    expect(forAdmin.json<{ items: { id: string; legalBasis: string; closedAt: string | null }[] }>().items.find((c) => c.id === caseId)).toMatchObject({ legalBasis: 'Заповед № РД-09-4/2026' });
    for (const who of ['specialistWithCare', 'coordinator', 'patientA', 'supervisor'] as const) {
      expect((await call(who, 'GET', `/api/v1/admin/supervision-cases?facilityId=${w.facilityId}`)).statusCode, who).toBe(403);
    }
    expect((await call('supervisor', 'GET', '/api/v1/supervision-cases')).json<{ items: { id: string }[] }>().items.map((c) => c.id)).toContain(caseId);

    const log = (await call('patientA', 'GET', '/api/v1/me/access-log?limit=200')).json<AccessLog>();
    const mine = log.items.filter((i) => i.reason === `supervision_case:${caseId}`);
    expect(mine.map((i) => i.action).sort()).toEqual(['supervision.case_closed', 'supervision.case_opened']);
    expect(mine[0]).toMatchObject({ facility: { id: w.facilityId }, supervision: { legalBasis: 'Заповед № РД-09-4/2026' }, actor: { role: 'supervisor' } });

    for (let i = 0; i < 10 && (await t.deps.outbox.drain()) > 0; i += 1);
    const sent = await t.deps.db.execute<{ kind: string; recipient_account_id: string }>(
      sql`SELECT kind, recipient_account_id FROM notification WHERE dedupe_key LIKE ${`supervision:${caseId}:%`} ORDER BY kind, recipient_account_id`,
    );
    const to = (kind: string) => sent.rows.filter((r) => r.kind === kind).map((r) => r.recipient_account_id).sort();
    const expected = [w.sessions.facilityAdmin.accountId, w.sessions.patientA.accountId, w.sessions.repOfA.accountId].sort();
    expect(to('supervision_opened')).toEqual(expected);
    expect(to('supervision_closed')).toEqual(expected);
  });
});

import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock, Temporal } from '../../platform/clock.js';
import { withTransaction } from '../../platform/db/index.js';
import { systemCtx, type RequestCtx } from '../../platform/auth/request-context.js';
import { createTestApp, type TestApp } from '../../test/app-harness.js';
import { buildAccessWorld, freshStepUpCode, type AccessWorld } from '../../test/access-world.js';
import type { ClinicalDocument, HealthRecord } from '../../contracts/records.js';
import { DEADLINE_NOTIFY } from './deadlines.service.js';
import { readOutbox } from '../../test/mail-sink.js';
import { seedIcd10Demo } from '../../demo/icd10-demo.js';

// S-02 (docs/decisions.md#d9): the facility is told when 80% of an Art. 17 documentation deadline has
// passed and when it is breached — once per deadline and event, through the notifications outbox, and
// never for a deadline recorded in time. Runs on PGlite and on PostgreSQL (DATABASE_URL).

const clock = fixedClock('2026-11-24T08:00:00Z'); // Tuesday 10:00 Sofia
let t: TestApp;
let w: AccessWorld;
let practitionerId: string;

/** A planned service of patient A, completed at `completedAt`, with its deadline started (R-TM-39). */
async function completedService(completedAt: string): Promise<string> {
  const id = t.deps.ids.uuid();
  const serviceId = t.deps.ids.uuid();
  await withTransaction(t.deps.db, async (tx) => {
    await tx.execute(sql`INSERT INTO facility_service (id, facility_id, specialty_code, kind_code, name, description, mode, typical_minutes, price_eur_cents, status, created_at, updated_at)
      VALUES (${serviceId}, ${w.facilityId}, '1020', 'consultation', 'Кардиологична консултация', 'Преглед', 'asynchronous', 20, 3000, 'published', ${clock.now().toString()}, ${clock.now().toString()})`);
    await tx.execute(sql`INSERT INTO service_request (id, urgency, mode, status, requester_kind, requester_account_id, recipient_kind, patient_id, provider_facility_id, specialty_code, service_id, practitioner_id, form_enc, created_at, updated_at)
      VALUES (${id}, 'planned', 'asynchronous', 'in_progress', 'patient', ${w.sessions.patientA.accountId}, 'patient', ${w.patientA.id}, ${w.facilityId}, '1020', ${serviceId}, ${practitionerId}, ${Buffer.from('x')}, ${clock.now().toString()}, ${clock.now().toString()})`);
    await tx.execute(sql`UPDATE service_request SET status = 'completed' WHERE id = ${id}`);
    await tx.execute(sql`INSERT INTO service_request_event (id, request_id, action, from_status, to_status, side, at) VALUES (${t.deps.ids.uuid()}, ${id}, 'complete', 'in_progress', 'completed', 'provider', ${completedAt})`);
    await t.deps.deadlines.startDeadline(tx, systemCtx('test.records'), id, Temporal.Instant.from(completedAt));
  });
  return id;
}

/** The DEADLINE_NOTIFY rows written for a service. */
async function notifyRows(requestId: string): Promise<{ event: string; status: string }[]> {
  const r = await t.deps.db.execute<{ event: string; status: string }>(
    sql`SELECT payload->>'event' AS event, status FROM outbox WHERE type = ${DEADLINE_NOTIFY} AND payload->>'requestId' = ${requestId} ORDER BY created_at, payload->>'event'`,
  );
  return r.rows;
}

/** Notifications delivered for a service, by kind and recipient. */
async function notifications(requestId: string): Promise<{ kind: string; recipient: string; status: string }[]> {
  const r = await t.deps.db.execute<{ kind: string; recipient: string; status: string }>(
    sql`SELECT kind, recipient_account_id AS recipient, status FROM notification WHERE request_id = ${requestId} AND kind LIKE 'deadline_%' ORDER BY kind, recipient_account_id`,
  );
  return r.rows;
}

async function drainAll() {
  for (let i = 0; i < 10 && (await t.deps.outbox.drain()) > 0; i += 1);
}

/** The providing specialist writes and signs the sheet; the bundled NHIS simulator records it. */
async function signSheet(requestId: string): Promise<void> {
  const headers = w.sessions.specialistWithCare.headers;
  const body = { anamnesis: 'Главоболие', objectiveFindings: 'По видео: без отклонения.', diagnoses: [{ code: 'I10', title: 'Есенциална (първична) хипертония', rank: 'primary' }], recommendations: 'Домашно измерване.' };
  const draft = await t.app.inject({ method: 'POST', url: `/api/v1/requests/${requestId}/documents`, headers, payload: { kind: 'ambulatory_sheet', body } });
  expect(draft.statusCode, draft.body).toBe(201);
  const d = draft.json<ClinicalDocument>();
  const signed = await t.app.inject({ method: 'POST', url: `/api/v1/records/documents/${d.id}/sign`, headers: { ...headers, 'if-match': `"${d.version}"` }, payload: { code: await freshStepUpCode(clock, w.sessions.specialistWithCare.totpSecret) } });
  expect(signed.statusCode, signed.body).toBe(200);
  await drainAll();
}

beforeAll(async () => {
  // DEV_MAIL_SINK: messages are "sent" as .eml files under DATA_DIR/outbox, so delivery succeeds without a mail server.
  t = await createTestApp({ clock, env: { DEV_MAIL_SINK: 'true', SESSION_IDLE_MINUTES: '1440', SESSION_ABSOLUTE_HOURS: '168' } });
  w = await buildAccessWorld(t);
  const r = await t.deps.db.execute<{ practitioner_id: string }>(sql`SELECT practitioner_id FROM user_account WHERE id = ${w.sessions.specialistWithCare.accountId}`);
  practitionerId = r.rows[0]!.practitioner_id;
  await seedIcd10Demo(t.deps.records, systemCtx('test'));
}, 60_000);
afterAll(async () => {
  await t?.close();
});

describe('deadline escalation and breach notify the facility (S-02)', () => {
  let lateId: string;
  let onTimeId: string;
  const staff = () => [w.sessions.coordinator.accountId, w.sessions.facilityAdmin.accountId].sort();

  it('R-TM-35: at 80% of the time the escalation enqueues one notification, in the transaction that marks it', async () => {
    // Tuesday 10:00 → due Wednesday 16:00 Sofia (14:00Z); 80% of 30 h is Wednesday 10:00 Sofia (08:00Z).
    lateId = await completedService('2026-11-24T08:00:00Z');
    onTimeId = await completedService('2026-11-24T08:00:00Z');
    clock.set('2026-11-24T08:30:00Z');
    await signSheet(onTimeId);
    const met = await t.deps.db.execute<{ status: string }>(sql`SELECT status FROM documentation_deadline WHERE request_id = ${onTimeId}`);
    expect(met.rows[0]?.status).toBe('met');
    // the patient's overview carries the signed recommendations without opening the document
    const rec = await t.app.inject({ method: 'GET', url: `/api/v1/patients/${w.patientA.id}/health-record`, headers: w.sessions.patientA.headers });
    expect(rec.json<HealthRecord>().documents).toMatchObject([{ kind: 'ambulatory_sheet', recommendations: 'Домашно измерване.', followUp: null, summary: null, diagnoses: [{ code: 'I10' }] }]);
    expect(await notifyRows(lateId)).toEqual([]);

    clock.set('2026-11-25T07:59:59Z');
    await t.deps.deadlines.scan();
    expect(await notifyRows(lateId)).toEqual([]);

    clock.set('2026-11-25T08:00:00Z');
    expect(await t.deps.deadlines.scan()).toMatchObject({ escalated: 1 });
    expect(await notifyRows(lateId)).toEqual([{ event: 'escalated', status: 'pending' }]);
    const marked = await t.deps.db.execute<{ escalated_at: unknown }>(sql`SELECT escalated_at FROM documentation_deadline WHERE request_id = ${lateId}`);
    expect(marked.rows[0]?.escalated_at).not.toBeNull();
  });

  it('the escalation is delivered to the facility’s administrators and coordinators, without clinical content', async () => {
    // the outbox's own check at the 80% point runs too, and a second scan: neither escalates again
    await drainAll();
    await t.deps.deadlines.scan();
    await drainAll();
    expect(await notifyRows(lateId)).toEqual([{ event: 'escalated', status: 'done' }]);
    const sent = await notifications(lateId);
    expect(sent.map((n) => n.recipient).sort()).toEqual(staff());
    expect(sent.every((n) => n.kind === 'deadline_escalated' && n.status === 'sent')).toBe(true);
    const ref = lateId.slice(-8).toUpperCase();
    const ids = (await t.deps.db.execute<{ id: string }>(sql`SELECT id FROM notification WHERE request_id = ${lateId} AND kind = 'deadline_escalated'`)).rows.map((r) => r.id);
    const mail = (await readOutbox(t.dataDir)).filter((m) => ids.includes(m.notificationId));
    expect(mail).toHaveLength(2);
    expect(mail[0]?.subject).toContain(ref);
    expect(mail[0]?.body).toContain('80%');
    expect(JSON.stringify(mail)).not.toContain(w.patientA.demographics.familyName);
  });

  it('R-TM-35: after the due instant the breach enqueues one notification; repeats send nothing twice', async () => {
    clock.set('2026-11-25T14:00:01Z');
    await drainAll(); // the outbox's due check marks the breach
    await t.deps.deadlines.scan();
    await drainAll();
    expect(await notifyRows(lateId)).toEqual([
      { event: 'escalated', status: 'done' },
      { event: 'missed', status: 'done' },
    ]);
    expect((await notifications(lateId)).filter((n) => n.kind === 'deadline_missed').map((n) => n.recipient).sort()).toEqual(staff());
    // a deadline recorded in time is neither escalated nor reported as breached
    expect(await notifyRows(onTimeId)).toEqual([]);
    expect(await notifications(onTimeId)).toEqual([]);

    // Idempotency: the handler run again for the same deadline and event delivers nothing new.
    const before = (await readOutbox(t.dataDir)).length;
    await t.deps.deadlines.handleNotify({ id: t.deps.ids.uuid(), type: DEADLINE_NOTIFY, payload: { requestId: lateId, event: 'missed' }, attempts: 1 });
    expect((await readOutbox(t.dataDir)).length).toBe(before);
    expect(await notifications(lateId)).toHaveLength(4);
  });

  it('the compliance report counts both deadlines, and reads the consents from the consent module’s table', async () => {
    const supervisor: RequestCtx = { requestId: 'test', ip: '127.0.0.1', userAgent: undefined, lang: 'bg', actor: { type: 'user', id: w.sessions.supervisor.accountId, role: 'supervisor', sessionId: 'test', facilityIds: [] } };
    const out = await t.deps.deadlines.complianceReport(supervisor, { facilityId: w.facilityId, from: '2026-11-24', to: '2026-11-24', format: 'json' });
    if (out.format !== 'json') throw new Error('expected JSON');
    expect(out.body.totals).toMatchObject({ services: 2, met: 1, missed: 1, escalated: 1 });
    // these fixture services have no signed consent: 0 on file, not "no data"
    expect(out.body.consentsOnFile).toBe(0);
  });
});

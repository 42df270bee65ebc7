import { sql } from 'drizzle-orm';
import { Temporal } from '../platform/clock.js';
import { withTransaction } from '../platform/db/index.js';
import { systemCtx } from '../platform/auth/request-context.js';
import type { ClinicalDocument } from '../contracts/records.js';
import type { TestApp } from './app-harness.js';
import { freshStepUpCode, type AccessWorld, type ActorName } from './access-world.js';

// Signed clinical documents for tests that need a record (records, FHIR): a completed service as the
// requests module leaves it, and a sheet written and signed over HTTP. No vitest here: bench/ uses it too.

export const SHEET_BODY = {
  purpose: 'consultation',
  anamnesis: 'Главоболие сутрин от 2 седмици; домашни стойности 150/95.',
  objectiveFindings: 'По видео: в добро общо състояние.',
  diagnoses: [
    { code: 'I10', title: 'Есенциална (първична) хипертония', rank: 'primary' },
    { code: 'R51', title: 'Главоболие', rank: 'additional' },
  ],
  therapy: 'Промяна в начина на живот.',
  medications: [{ name: 'Амлодипин 5 mg', dosage: '1 таблетка сутрин' }],
  recommendations: 'Домашно измерване два пъти дневно.',
  followUp: 'Контрол след 4 седмици.',
};

/** A short sheet for tests about signing it, where only that it is signed matters. */
export const BRIEF_SHEET_BODY = {
  purpose: 'consultation',
  anamnesis: 'Главоболие сутрин.',
  objectiveFindings: 'По видео: добро общо състояние.',
  diagnoses: [{ code: 'I10', title: 'Есенциална (първична) хипертония', rank: 'primary' }],
  therapy: 'Промяна в начина на живот.',
  medications: [],
  recommendations: 'Домашно измерване.',
  followUp: 'Контрол след 4 седмици.',
};

/** The practitioner ids behind the world's two specialists' accounts. */
export async function specialistIds(t: TestApp, w: AccessWorld): Promise<{ withCare: string; withGrant: string }> {
  const ids = await t.deps.db.execute<{ practitioner_id: string }>(
    sql`SELECT u.practitioner_id FROM user_account u WHERE u.id IN (${w.sessions.specialistWithCare.accountId}, ${w.sessions.specialistWithGrant.accountId}) ORDER BY u.id = ${w.sessions.specialistWithCare.accountId} DESC`,
  );
  return { withCare: ids.rows[0]!.practitioner_id, withGrant: ids.rows[1]!.practitioner_id };
}

/**
 * A patient's service to `specialistWithCare` as the requests module leaves it: in progress, then completed
 * with its event (R-TM-39) and its Art. 17 deadline started.
 * @returns the request id
 */
export async function completedService(t: TestApp, w: AccessWorld, opts: { practitionerId: string; otherPractitionerId?: string; requester?: 'patient' | 'specialist'; completedAt: string; now: string }): Promise<string> {
  const id = t.deps.ids.uuid();
  const serviceId = t.deps.ids.uuid();
  const ctx = systemCtx('test.records');
  await withTransaction(t.deps.db, async (tx) => {
    await tx.execute(sql`INSERT INTO facility_service (id, facility_id, specialty_code, kind_code, name, description, mode, typical_minutes, price_eur_cents, status, created_at, updated_at)
      VALUES (${serviceId}, ${w.facilityId}, '1020', 'consultation', 'Кардиологична консултация', 'Преглед на резултати', 'asynchronous', 20, 3000, 'published', ${opts.now}, ${opts.now})`);
    const specialist = opts.requester === 'specialist';
    await tx.execute(sql`INSERT INTO service_request (id, urgency, mode, status, requester_kind, requester_account_id, requester_practitioner_id, requester_facility_id,
        recipient_kind, recipient_practitioner_id, recipient_facility_id, patient_id, provider_facility_id, specialty_code, service_id, practitioner_id, form_enc, created_at, updated_at)
      VALUES (${id}, 'planned', 'asynchronous', 'in_progress', ${specialist ? 'specialist' : 'patient'}, ${specialist ? w.sessions.specialistWithGrant.accountId : w.sessions.patientA.accountId},
        ${specialist ? (opts.otherPractitionerId ?? null) : null}, ${specialist ? w.otherFacilityId : null}, ${specialist ? 'specialist' : 'patient'}, ${specialist ? (opts.otherPractitionerId ?? null) : null},
        ${specialist ? w.otherFacilityId : null}, ${w.patientA.id}, ${w.facilityId}, '1020', ${serviceId}, ${opts.practitionerId}, ${Buffer.from('x')}, ${opts.now}, ${opts.now})`);
    await tx.execute(sql`UPDATE service_request SET status = 'completed' WHERE id = ${id}`);
    await tx.execute(sql`INSERT INTO service_request_event (id, request_id, action, from_status, to_status, side, at) VALUES (${t.deps.ids.uuid()}, ${id}, 'complete', 'in_progress', 'completed', 'provider', ${opts.completedAt})`);
    // The completion hook the requests module calls in its `complete` transaction.
    await t.deps.deadlines.startDeadline(tx, ctx, id, Temporal.Instant.from(opts.completedAt));
  });
  return id;
}

/**
 * Writes a document on the request as `specialistWithCare` and signs it with a fresh step-up code
 * (the test clock moves to the next TOTP step).
 * @returns the signed document
 */
export async function writeAndSign(w: AccessWorld, clock: Parameters<typeof freshStepUpCode>[0], requestId: string, kind: 'ambulatory_sheet' | 'consultation_report' = 'ambulatory_sheet', body: Record<string, unknown> = SHEET_BODY, author: Exclude<ActorName, 'anonymous'> = 'specialistWithCare'): Promise<ClinicalDocument> {
  const draft = await w.as(author, { method: 'POST', url: `/api/v1/requests/${requestId}/documents`, payload: { kind, body } });
  if (draft.statusCode !== 201) throw new Error(`draft: ${draft.statusCode} ${draft.body}`);
  const d = draft.json<ClinicalDocument>();
  const signed = await w.as(author, { method: 'POST', url: `/api/v1/records/documents/${d.id}/sign`, headers: { 'if-match': `"${d.version}"` }, payload: { code: await freshStepUpCode(clock, w.sessions[author].totpSecret) } });
  if (signed.statusCode !== 200) throw new Error(`sign: ${signed.statusCode} ${signed.body}`);
  return signed.json<ClinicalDocument>();
}

import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect } from 'vitest';
import { fixedClock } from '../platform/clock.js';
import { createTestApp, type TestApp } from './app-harness.js';
import { buildAccessWorld, type AccessWorld, type ActorName } from './access-world.js';
import { totpCode } from '../modules/identity/index.js';
import { DEMO_CONSENT_TEMPLATES } from '../modules/consent/index.js';
import type { Art7Checklist, Consent, ConsentPresentation, ConsentTemplate } from '../contracts/consent.js';
import { ART7_CHECKLIST_ALL_MET } from '../contracts/common.js';

// Test fixture for consent and admissibility through the real routes (consent, requests transitions,
// consultation) on PGlite and PostgreSQL: an app on a fixed clock, the access world, and the helpers the
// consent test files share. Call `useConsentWorld` inside a `describe`: it registers its own hooks.

export const CHECKLIST = ART7_CHECKLIST_ALL_MET;
export const PDF_DOC = Buffer.from('%PDF-1.4\n% signed paper consent of the patient\n%%EOF\n');
export type Who = Exclude<ActorName, 'anonymous'>;

export interface ConsentWorldState {
  t: TestApp;
  w: AccessWorld;
  /** The practitioner of `specialistWithCare`, who provides every service of the world. */
  practitionerId: string;
}

/**
 * Registers the world's hooks in the current `describe` and returns its helpers.
 * @param opts - `publishTemplates`: publish the facility's demo consent forms (the treatment form twice,
 *   so version 2 is current and version 1 retired), as a facility administrator would before any signing
 * @returns the clock, the state (after `beforeAll`) and the helpers
 */
export function useConsentWorld(opts: { publishTemplates: boolean }) {
  const clock = fixedClock('2026-11-25T07:00:00Z');
  let s: ConsentWorldState | undefined;
  const state = (): ConsentWorldState => {
    if (!s) throw new Error('the consent world is built in beforeAll');
    return s;
  };

  beforeAll(async () => {
    const t = await createTestApp({ clock });
    const w = await buildAccessWorld(t);
    const practitionerId = (await t.deps.db.execute(sql`SELECT practitioner_id FROM user_account WHERE id = ${w.sessions.specialistWithCare.accountId}`)).rows[0]?.practitioner_id as string;
    s = { t, w, practitionerId };
    if (opts.publishTemplates) {
      for (const body of [...DEMO_CONSENT_TEMPLATES, ...DEMO_CONSENT_TEMPLATES.filter((x) => x.kind === 'treatment')]) {
        const draft = await post('facilityAdmin', `/api/v1/facilities/${w.facilityId}/consent-templates`, body);
        expect(draft.statusCode, draft.body).toBe(201);
        const pub = await post('facilityAdmin', `/api/v1/consent-templates/${draft.json<ConsentTemplate>().id}/publish`);
        expect(pub.statusCode, pub.body).toBe(200);
      }
    }
  });
  afterAll(async () => {
    await s?.t.close();
  });

  /** A fresh TOTP code of the actor: the clock moves to the next 30-second step (a code is accepted once). */
  async function code(who: Who): Promise<string> {
    clock.advance({ seconds: 30 });
    return totpCode(state().w.sessions[who].totpSecret, Math.floor(clock.now().epochMilliseconds / 1000));
  }
  const post = (who: Who, url: string, payload: unknown = {}) => state().w.as(who, { method: 'POST', url, payload });
  const get = (who: Who, url: string) => state().w.as(who, { method: 'GET', url });
  const codeOf = (res: { json: () => unknown }) => (res.json() as { code: string }).code;

  /** A request written with SQL (asynchronous unless said), so the kind and specialty can be any (Art. 7 cases). */
  async function insertRequest(o: { kind?: string; specialty?: string; patientId?: string | null; requester?: 'patient' | 'specialist' } = {}): Promise<string> {
    const { t, w, practitionerId } = state();
    const serviceId = t.deps.ids.uuid();
    const id = t.deps.ids.uuid();
    const specialty = o.specialty ?? '1020';
    await t.deps.db.execute(sql`INSERT INTO facility_service (id, facility_id, specialty_code, kind_code, name, description, mode, typical_minutes, price_eur_cents, nhif_paid, status, published_at, created_at, updated_at)
      VALUES (${serviceId}, ${w.facilityId}, ${specialty}, ${o.kind ?? 'consultation'}, 'Услуга', 'Тест', 'asynchronous', 30, 5000, false, 'published', ${clock.now().toString()}, ${clock.now().toString()}, ${clock.now().toString()})`);
    const patientId = o.patientId === undefined ? w.patientA.id : o.patientId;
    if (o.requester === 'specialist') {
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

  return { clock, state, code, post, get, codeOf, insertRequest, accept, verify, start, present, signTreatment };
}

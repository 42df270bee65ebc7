import { sql } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { messages } from '../../web/src/i18n/messages.js';
import { insertRequestFixture } from '../../src/test/consultation-world.js';
import { withTransaction } from '../../src/platform/db/index.js';
import { systemCtx } from '../../src/platform/auth/request-context.js';
import { DEMO_CONSENT_TEMPLATES } from '../../src/modules/consent/index.js';
import type { Deps } from '../../src/composition.js';
import { openDemoWorld, type DemoWorld } from './demo-world.js';
import { pageApi } from './page-api.js';

const bg = messages.bg;

/** A 2 × 2 PNG, for the file journeys. */
export const TINY_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGP8z8DAwMDAxMDAwMDAAAANHQEDasKb6QAAAABJRU5ErkJggg==',
  'base64',
);

/** The Art. 7 checklist, every item answered yes. */
const ADMISSIBLE = { noRiskToLifeOrHealth: true, qualityAndSafetyAssured: true, notDentalExceptImaging: true, noDirectContactNeeded: true, requesterIdentityVerifiable: true, notConductingBirth: true, notEstablishingDeath: true };

export interface ConsultationWorld extends DemoWorld {
  /** A planned real-time request from the demo patient to the first specialist, still `requested`. */
  requestId: string;
  /**
   * The consent module's gates through the real APIs: the specialist accepts with the Art. 7 checklist and
   * records the identity check, the patient signs the written treatment consent with a fresh second
   * factor (R-TM-10, R-TM-15, R-TM-23).
   */
  passGates(doctor: Page, patient: Page): Promise<void>;
  /** The patient opens the consultation from the request. @returns its path, `/consultations/<id>` */
  openFromRequest(patient: Page): Promise<string>;
  /** The patient joins from the device check and is in the waiting room. */
  waitToBeAdmitted(patient: Page): Promise<void>;
  /** The specialist, on the consultation page, joins and admits the one waiting. */
  joinAndAdmit(doctor: Page): Promise<void>;
}

/**
 * The consent module's gates through the real APIs: the specialist accepts the request with the Art. 7
 * checklist and records the identity check, the demo patient signs the written treatment consent with a
 * fresh second factor (R-TM-10, R-TM-15, R-TM-23).
 * @param world - the demo world (for the patient's fresh code)
 * @param requestId - the request, still `requested`
 * @param doctor - the specialist's signed-in page
 * @param patient - the demo patient's signed-in page
 */
export async function passConsentGates(world: Pick<DemoWorld, 'account' | 'freshCode'>, requestId: string, doctor: Page, patient: Page): Promise<void> {
  await pageApi(doctor, 'POST', `/api/v1/requests/${requestId}/transitions`, { action: 'accept', checklist: ADMISSIBLE });
  await pageApi(doctor, 'POST', `/api/v1/requests/${requestId}/identity-verifications`, { method: 'nhis_login', outcome: 'verified' });
  const shown = await pageApi<{ presentationId: string }>(patient, 'POST', `/api/v1/requests/${requestId}/consent-presentations`, { kind: 'treatment', lang: 'bg' });
  await pageApi(patient, 'POST', `/api/v1/requests/${requestId}/consents`, { kind: 'treatment', presentationId: shown.presentationId, code: await world.freshCode(world.account('patient')), healthInfoDutyAcknowledged: true });
}

/** The request of the journey, and the facility's consent forms unless the demo seeded them. */
async function seedRequest(deps: Deps): Promise<string> {
  const row = (
    await deps.db.execute(sql`SELECT s.id AS specialist, s.practitioner_id, r.facility_id, p.id AS patient, p.patient_id
      FROM user_account s JOIN practitioner_role r ON r.practitioner_id = s.practitioner_id, user_account p
      WHERE s.role = 'specialist' AND p.role = 'patient' ORDER BY r.created_at LIMIT 1`)
  ).rows[0] as { practitioner_id: string; facility_id: string; patient: string; patient_id: string };
  const requestId = await insertRequestFixture(deps.db, deps, { facilityId: row.facility_id, practitionerId: row.practitioner_id, patientId: row.patient_id, requesterAccountId: row.patient, status: 'requested' });
  // Art. 19(3): the facility's own consent forms (the demo's texts), unless the demo seeded them.
  const templates = await deps.db.execute(sql`SELECT count(*)::int AS n FROM consent_template WHERE facility_id = ${row.facility_id}`);
  if ((templates.rows[0] as { n: number }).n === 0) {
    const admin = (await deps.db.execute(sql`SELECT id FROM user_account WHERE role = 'facility_admin' LIMIT 1`)).rows[0] as { id: string };
    await withTransaction(deps.db, async (tx) => {
      for (const tpl of DEMO_CONSENT_TEMPLATES) await deps.consent.seedPublishedTemplate(tx, systemCtx('e2e'), row.facility_id, tpl, admin.id);
    });
  }
  return requestId;
}

/**
 * The world of the real-time consultation journeys: the demo platform with one request of
 * the demo patient to a specialist, and a Chromium with a fake camera and microphone (which also
 * answers getDisplayMedia with a fake screen). Sessions log the page's uncaught errors.
 * @returns the world; call `close()` in afterAll
 */
export async function openConsultationWorld(): Promise<ConsultationWorld> {
  let requestId = '';
  const world = await openDemoWorld({ fakeMedia: true, seed: async (deps) => void (requestId = await seedRequest(deps)) });
  const { server } = world;
  return {
    ...world,
    requestId,
    newSession: (a, opts = {}) =>
      world.newSession(a, {
        ...opts,
        prepare: async (page) => {
          page.on('pageerror', (e) => console.log(`[${a.role}] page error: ${e.message}`));
          await opts.prepare?.(page);
        },
      }),
    passGates: (doctor, patient) => passConsentGates(world, requestId, doctor, patient),
    async openFromRequest(patient) {
      await patient.goto(`${server.baseUrl}/requests/${requestId}/consultation`);
      await patient.waitForURL(/\/consultations\/[0-9a-f-]{36}$/);
      return new URL(patient.url()).pathname;
    },
    async waitToBeAdmitted(patient) {
      await patient.getByRole('button', { name: bg['consultation.join'] }).click();
      await patient.getByText(bg['consultation.status.waiting']).waitFor();
    },
    async joinAndAdmit(doctor) {
      await doctor.getByRole('button', { name: bg['consultation.join'] }).click();
      const admit = doctor.getByRole('button', { name: bg['consultation.admit'] });
      await admit.waitFor();
      await admit.click();
    },
  };
}

import { sql } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messages } from '../web/src/i18n/messages.js';
import { insertRequestFixture } from '../src/test/consultation-world.js';
import { openDemoWorld, type DemoAccount, type DemoWorld } from './support/demo-world.js';
import { clickNav } from './support/nav.js';

// Consent and admissibility journeys in Chromium against the demo: a patient reads and signs the informed consent and
// the specialist checks identity and accepts with the Art. 7 checklist; a dental request is refused
// (R-TM-13); a recording without a recording consent is refused (R-TM-25). Requests are written with
// the consultation's SQL fixture (the booking UI is e2e/requests.e2e.test.ts's journey).

const bg = messages.bg;

describe('consent and admissibility journeys', () => {
  let world: DemoWorld;

  beforeAll(async () => {
    world = await openDemoWorld();
  });

  afterAll(async () => {
    await world?.close();
  });

  const account = (role: string) => world.account(role);
  const freshCode = (a: DemoAccount) => world.freshCode(a);
  const newSession = (a: DemoAccount) => world.newSession(a);

  const pages = new Map<string, Page>();
  /** One signed-in page per account for the whole file (each sign-in costs a fresh TOTP step). */
  async function signIn(a: DemoAccount): Promise<Page> {
    const open = pages.get(a.email);
    if (open) return open;
    const page = await newSession(a);
    pages.set(a.email, page);
    return page;
  }

  async function demoRefs(): Promise<{ facilityId: string; practitionerId: string; patientId: string; patientAccountId: string }> {
    const db = world.server.deps.db;
    const spec = (await db.execute(sql`SELECT a.practitioner_id, r.facility_id FROM user_account a JOIN practitioner_role r ON r.practitioner_id = a.practitioner_id WHERE a.role = 'specialist' ORDER BY r.created_at LIMIT 1`)).rows[0] as { practitioner_id: string; facility_id: string };
    const pat = (await db.execute(sql`SELECT id, patient_id FROM user_account WHERE role = 'patient' LIMIT 1`)).rows[0] as { id: string; patient_id: string };
    return { facilityId: spec.facility_id, practitionerId: spec.practitioner_id, patientId: pat.patient_id, patientAccountId: pat.id };
  }

  async function request(opts: { status: 'requested' | 'scheduled'; specialty?: string; start: string }): Promise<string> {
    const refs = await demoRefs();
    const id = await insertRequestFixture(world.server.deps.db, world.server.deps, { facilityId: refs.facilityId, practitionerId: refs.practitionerId, patientId: refs.patientId, requesterAccountId: refs.patientAccountId, status: opts.status, start: opts.start });
    if (opts.specialty) {
      await world.server.deps.db.execute(sql`UPDATE facility_service SET specialty_code = ${opts.specialty} WHERE id = (SELECT service_id FROM service_request WHERE id = ${id})`);
      await world.server.deps.db.execute(sql`UPDATE service_request SET specialty_code = ${opts.specialty} WHERE id = ${id}`);
    }
    return id;
  }

  /** A same-origin JSON call made by the page itself (its session cookie and CSRF token). */
  const api = (page: Page, method: string, path: string, body?: unknown) =>
    page.evaluate(
      async ({ method, path, body }) => {
        const csrf = /(?:^|;\s*)csrf=([^;]+)/.exec(document.cookie)?.[1] ?? '';
        const headers: Record<string, string> = { 'x-csrf-token': decodeURIComponent(csrf) };
        if (body !== undefined) headers['content-type'] = 'application/json';
        const res = await fetch(path, { method, credentials: 'same-origin', headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
        return { status: res.status, body: (await res.json().catch(() => null)) as { code?: string; id?: string } | null };
      },
      { method, path, body },
    );

  it('R-TM-23, R-TM-10: the patient reads and signs the consent; the specialist verifies identity and accepts', async () => {
    const requestId = await request({ status: 'requested', start: '2030-01-07T08:00:00Z' });
    const patient = account('patient');
    const specialist = account('specialist');
    const patientPage = await signIn(patient);

    await patientPage.goto(`${world.server.baseUrl}/requests/${requestId}/consent`);
    expect(await patientPage.getByRole('button', { name: bg['consent.sign.submit'] }).count()).toBe(0);
    await patientPage.getByRole('button', { name: bg['consent.sign.read'] }).click();
    await patientPage.getByRole('article').waitFor();
    expect(await patientPage.getByRole('article').innerText()).toContain('чл. 12');
    await patientPage.getByLabel(bg['consent.sign.confirmRead']).check();
    await patientPage.getByLabel(bg['consent.sign.duty']).check();
    await patientPage.getByLabel(bg['consent.sign.code']).fill(await freshCode(patient));
    await patientPage.getByRole('button', { name: bg['consent.sign.submit'] }).click();
    await patientPage.getByRole('heading', { name: bg['consent.sign.done'] }).waitFor();

    // The patient's list has the consent and its PDF.
    await clickNav(patientPage, bg['layout.nav.consents']);
    await patientPage.getByRole('heading', { name: bg['consent.kind.treatment'] }).first().waitFor();
    const pdfHref = await patientPage.getByRole('link', { name: bg['consent.pdf'] }).first().getAttribute('href');
    const pdf = await patientPage.evaluate(async (href) => {
      const r = await fetch(href ?? '');
      return { status: r.status, head: new TextDecoder().decode((await r.arrayBuffer()).slice(0, 5)) };
    }, pdfHref);
    expect(pdf).toEqual({ status: 200, head: '%PDF-' });
    await patientPage.getByRole('button', { name: bg['consent.verify'] }).first().click();
    await patientPage.getByText(bg['consent.verify.ok']).waitFor();

    const specialistPage = await signIn(specialist);
    await specialistPage.goto(`${world.server.baseUrl}/requests/${requestId}/review`);
    await specialistPage.getByRole('heading', { name: bg['review.identity.title'] }).waitFor();
    await specialistPage.getByRole('button', { name: bg['review.identity.save'] }).click();
    await specialistPage.getByText(bg['review.identity.saved']).waitFor();
    for (const key of ['noRiskToLifeOrHealth', 'qualityAndSafetyAssured', 'notDentalExceptImaging', 'noDirectContactNeeded', 'requesterIdentityVerifiable', 'notConductingBirth', 'notEstablishingDeath'] as const) {
      await specialistPage.getByLabel(bg[`review.checklist.${key}`]).check();
    }
    await specialistPage.getByRole('button', { name: bg['review.decision.accept'] }).click();
    await specialistPage.getByText(bg['review.gates.ready']).waitFor();
    const status = await world.server.deps.db.execute(sql`SELECT status FROM service_request WHERE id = ${requestId}`);
    expect(['accepted', 'scheduled']).toContain(status.rows[0]?.status);
  });

  it('R-TM-13: a dental request cannot be accepted, even with every box ticked', async () => {
    const requestId = await request({ status: 'requested', specialty: '2080', start: '2030-01-07T09:00:00Z' });
    const specialistPage = await signIn(account('specialist'));
    await specialistPage.goto(`${world.server.baseUrl}/requests/${requestId}/review`);
    await specialistPage.getByText(bg['review.hardBlocks'].replace('{rules}', bg['registryAdmin.rule.R-TM-13' as keyof typeof bg])).waitFor();
    for (const key of ['noRiskToLifeOrHealth', 'qualityAndSafetyAssured', 'notDentalExceptImaging', 'noDirectContactNeeded', 'requesterIdentityVerifiable', 'notConductingBirth', 'notEstablishingDeath'] as const) {
      await specialistPage.getByLabel(bg[`review.checklist.${key}`]).check();
    }
    await specialistPage.getByRole('button', { name: bg['review.decision.accept'] }).click();
    const alert = specialistPage.locator('[data-problem-code="admissibility.blocked"]');
    await alert.waitFor();
    expect(await alert.innerText()).toContain(bg['problem.admissibility.blocked']);
    const status = await world.server.deps.db.execute(sql`SELECT status FROM service_request WHERE id = ${requestId}`);
    expect(status.rows[0]?.status).toBe('requested');
  });

  it('R-TM-25: recording without a recording consent is refused', async () => {
    const requestId = await request({ status: 'scheduled', start: '2030-01-07T10:00:00Z' });
    const specialistPage = await signIn(account('specialist'));
    await specialistPage.goto(`${world.server.baseUrl}/`);
    const opened = await api(specialistPage, 'POST', `/api/v1/requests/${requestId}/consultation`);
    expect(opened.status).toBe(200);
    const refused = await api(specialistPage, 'POST', `/api/v1/consultations/${opened.body?.id ?? ''}/recordings`, { media: 'video' });
    expect(refused).toMatchObject({ status: 409, body: { code: 'recording.consent_missing' } });
  });
});

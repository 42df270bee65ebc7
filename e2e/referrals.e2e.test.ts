import { sql } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messages } from '../web/src/i18n/messages.js';
import { insertRequestFixture } from '../src/test/consultation-world.js';
import { withTransaction } from '../src/platform/db/index.js';
import type { RequestCtx } from '../src/platform/auth/request-context.js';
import type { Deps } from '../src/composition.js';
import { DEMO_GP_UIN } from '../src/demo/demo.referrals.js';
import { openDemoWorld, type DemoAccount, type DemoWorld } from './support/demo-world.js';
import { seriousAxeViolations } from './support/axe.js';
import { expectText } from './support/expect-text.js';
import { shot } from './support/shots.js';

// Referrals and e-prescriptions in the browser (docs/referrals.md, W13, W27, DECISIONS 20): a GP issues a
// № 3 and an e-prescription from a remote consultation, the demo cardiologist a № 4 and an e-prescription
// from the demo's completed consultation; each is signed with a fresh code and followed until the NHIS
// simulator returns its НРН; the doctor's list shows them and the patient sees them on /referrals.

const bg = messages.bg;

/** A doctor's remote consultation with the demo patient, started 20 minutes ago (the encounter took place). */
async function seedConsultation(deps: Deps, doctor: 'gp' | 'cardiologist'): Promise<string> {
  // The demo GP by UIN; the demo cardiologist is the first specialist account (as support/consultation.ts).
  const which = doctor === 'gp' ? sql`p.uin = ${DEMO_GP_UIN}` : sql`TRUE`;
  const gp = (await deps.db.execute<{ id: string; practitioner_id: string; facility_id: string }>(sql`SELECT a.id, a.practitioner_id, r.facility_id FROM user_account a JOIN practitioner p ON p.id = a.practitioner_id
    JOIN practitioner_role r ON r.practitioner_id = a.practitioner_id AND r.active WHERE a.role = 'specialist' AND ${which} ORDER BY r.created_at LIMIT 1`)).rows[0];
  const patient = (await deps.db.execute<{ id: string; patient_id: string }>(sql`SELECT id, patient_id FROM user_account WHERE role = 'patient' ORDER BY created_at LIMIT 1`)).rows[0];
  if (!gp || !patient) throw new Error('demo accounts missing');
  const started = deps.clock.now().subtract({ minutes: 20 }).toString();
  return withTransaction(deps.db, async (tx) => {
    const req = await insertRequestFixture(tx, deps, { facilityId: gp.facility_id, practitionerId: gp.practitioner_id, patientId: patient.patient_id, requesterAccountId: patient.id, status: 'in_progress', start: started });
    const at = deps.clock.now().toString();
    await tx.execute(sql`INSERT INTO consultation (id, request_id, facility_id, patient_id, practitioner_id, mode, status, started_at, created_at, updated_at)
      VALUES (${deps.ids.uuid()}, ${req}, ${gp.facility_id}, ${patient.patient_id}, ${gp.practitioner_id}, 'synchronous', 'in-progress', ${started}, ${at}, ${at})`);
    const ctx: RequestCtx = { actor: { type: 'user', id: gp.id, role: 'specialist', sessionId: 'e2e', facilityIds: [gp.facility_id] }, requestId: 'e2e', ip: '127.0.0.1', userAgent: undefined, lang: 'bg' };
    await deps.access.openCareRelationship(tx, ctx, { patientId: patient.patient_id, practitionerId: gp.practitioner_id, facilityId: gp.facility_id, sourceType: 'request', sourceId: req });
    return req;
  });
}

describe('referrals and e-prescriptions in the browser', () => {
  let world: DemoWorld;
  let gpRequest = '';
  let cardioRequest = '';
  const nrns: string[] = [];

  beforeAll(async () => {
    world = await openDemoWorld({
      seed: async (deps) => {
        gpRequest = await seedConsultation(deps, 'gp');
        cardioRequest = await seedConsultation(deps, 'cardiologist');
      },
    });
  }, 600_000);

  afterAll(async () => {
    await world?.close();
  });

  /** Signs the form on the page, lets the outbox reach the NHIS simulator, and reads the НРН shown. */
  async function signAndFollow(page: Page, who: DemoAccount, submit: string): Promise<string> {
    await page.getByLabel(bg['refIssue.field.code']).fill(await world.freshCode(who));
    await page.getByRole('button', { name: submit }).click();
    const status = page.getByTestId('issued-status');
    await status.waitFor();
    await world.server.deps.outbox.drain();
    await page.locator('[data-testid="issued-status"][data-status="issued"]').waitFor({ timeout: 20_000 });
    const text = (await status.getByRole('status').textContent()) ?? '';
    const nrn = /([0-9A-Z]{12})/.exec(text)?.[1] ?? '';
    expect(nrn, text).toMatch(/^[0-9A-Z]{12}$/);
    const pdf = await page.request.get(new URL(await status.getByRole('link', { name: bg['refIssue.pdf'] }).getAttribute('href') ?? '', world.server.baseUrl).toString());
    expect(pdf.headers()['content-type']).toContain('application/pdf');
    nrns.push(nrn);
    return nrn;
  }

  async function prescribe(page: Page, search: string, dosage: string) {
    await page.getByLabel(bg['refIssue.field.diagnosis']).fill('I10');
    await page.getByLabel(bg['refIssue.rx.search']).fill(search);
    await page.getByRole('button', { name: new RegExp(`^${bg['refIssue.rx.add'].replace('{name}', '')}`) }).first().click();
    await page.getByLabel(bg['refIssue.rx.dosage']).fill(dosage);
  }

  /**
   * Clicks the free time at `n` on the booking page's week view. The view opens on today's week, which late
   * in the week (a Sunday evening) has no free time left: then it looks at the next week.
   */
  async function pickSlot(page: Page, n: number) {
    const times = page.locator('.week-slots [data-slot-id]');
    await page.locator('.week-slots [data-slot-id], .week-slots__empty').first().waitFor();
    if ((await times.count()) <= n) {
      await page.getByRole('button', { name: new RegExp(bg['book.week.next']) }).click();
      await times.nth(n).waitFor();
    }
    await times.nth(n).click();
  }

  /**
   * Books the chosen time; a refusal fails with the server's answer. The phone is typed last: the form fills
   * it from the patient's record when that read arrives, which can be after an earlier fill.
   */
  async function submitBooking(page: Page) {
    const phone = page.getByLabel(bg['book.phone']);
    await phone.fill('+359 88 765 4321');
    expect(await phone.inputValue()).toBe('+359 88 765 4321');
    const answer = page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/api/v1/requests');
    await page.getByRole('button', { name: bg['book.submit'] }).click();
    const booked = await answer;
    expect(booked.status(), await booked.text()).toBe(201);
    await page.getByRole('heading', { level: 1, name: bg['book.done.title'] }).waitFor();
  }

  it('R-REF-01 / R-REF-06 / R-48 / R-PC-05: a GP issues a № 3 and an e-prescription from a remote consultation, each signed and recorded', async () => {
    const gpAccount = world.account('gp@demo.distansia.bg');
    const gp = await world.newSession(gpAccount);
    await gp.goto(`${world.server.baseUrl}/requests/${gpRequest}/referrals/new`);
    await gp.getByTestId('patient-banner').waitFor();
    // The rules explained as the doctor types: validity and the quarter's standard.
    await gp.locator('[data-rule="R-REF-01"]').waitFor();
    await gp.getByTestId('budget').waitFor();
    // A first try with nothing filled in names what each field needs, and sends nothing.
    await gp.getByRole('button', { name: bg['refIssue.referral.submit'] }).click();
    await expectText(gp.locator('.ra-field__error').first(), bg['refIssue.error.diagnosis']);
    expect(await seriousAxeViolations(gp)).toEqual([]);
    await gp.getByLabel(bg['refIssue.field.diagnosis']).fill('I10');
    await gp.getByLabel(bg['refIssue.field.specialty']).selectOption('1020');
    await gp.getByLabel(bg['refIssue.field.request']).fill('Консултация с кардиолог: ЕКГ и ехокардиография');
    await shot(gp, 'referral-form');
    await signAndFollow(gp, gpAccount, bg['refIssue.referral.submit']);
    expect(await seriousAxeViolations(gp)).toEqual([]);
    await shot(gp, 'referral-issued');

    await gp.goto(`${world.server.baseUrl}/requests/${gpRequest}/prescriptions/new`);
    await prescribe(gp, 'лизиноприл', '1 таблетка сутрин');
    expect(await seriousAxeViolations(gp)).toEqual([]);
    await shot(gp, 'prescription-form');
    await signAndFollow(gp, gpAccount, bg['refIssue.prescription.submit']);

    await gp.goto(`${world.server.baseUrl}/referrals/issued`);
    await gp.getByRole('region', { name: bg['refIssue.list.caption'] }).waitFor();
    for (const nrn of nrns) await gp.getByText(nrn, { exact: true }).waitFor();
    expect(await seriousAxeViolations(gp)).toEqual([]);
    await shot(gp, 'issued-documents');
  }, 300_000);

  it('R-REF-06: the cardiologist issues a № 4 and an e-prescription from a remote consultation', async () => {
    const cardioAccount = world.account('cardiologist@demo.distansia.bg');
    const cardio = await world.newSession(cardioAccount);
    await cardio.goto(`${world.server.baseUrl}/requests/${cardioRequest}/referrals/new`);
    await cardio.getByLabel(bg['refIssue.field.form']).selectOption('4');
    await cardio.getByLabel(bg['refIssue.field.diagnosis']).fill('I10');
    await cardio.getByLabel(bg['refIssue.field.activities']).fill('10.11, 10.12');
    await cardio.getByLabel(bg['refIssue.field.request']).fill('Липиден профил и креатинин');
    await signAndFollow(cardio, cardioAccount, bg['refIssue.referral.submit']);

    await cardio.goto(`${world.server.baseUrl}/requests/${cardioRequest}/prescriptions/new`);
    await prescribe(cardio, 'бизопролол', '1 таблетка сутрин');
    await signAndFollow(cardio, cardioAccount, bg['refIssue.prescription.submit']);
  }, 300_000);

  it('W14 / W27: the patient sees the referrals and prescriptions with their НРН on /referrals', async () => {
    const patient = await world.newSession(world.account('patient@demo.distansia.bg'));
    await patient.goto(`${world.server.baseUrl}/referrals`);
    await patient.getByRole('heading', { name: bg['referrals.referrals'] }).waitFor();
    for (const nrn of nrns) await patient.getByText(nrn, { exact: false }).first().waitFor();
    expect(await seriousAxeViolations(patient)).toEqual([]);
    await shot(patient, 'patient-referrals');
  }, 300_000);

  it('W14 / R-REF-02: the patient books the demo cardiologist on the NHIF with the GP’s referral, which then shows as used and books the secondary examination', async () => {
    const [gpReferral] = nrns;
    const patient = await world.newSession(world.account('patient@demo.distansia.bg'));
    await patient.goto(`${world.server.baseUrl}/book`);
    await patient.getByLabel(bg['requests.book.specialty']).selectOption('1020');
    await patient.locator('section[aria-labelledby="book-where"] a.book-choice').filter({ hasText: 'Св. Лука' }).first().click();
    await patient.locator('section[aria-labelledby="book-who"] a.book-choice').first().click();
    await pickSlot(patient, 2);
    // The NHIF pays: the booking offers the patient's usable referrals and sends the chosen НРН.
    const choice = patient.locator(`input[name="referralNrn"][value="${gpReferral ?? ''}"]`);
    await choice.check();
    expect(await seriousAxeViolations(patient)).toEqual([]);
    await shot(patient, 'book-referral');
    await submitBooking(patient);
    await patient.goto(`${world.server.baseUrl}/referrals`);
    await patient.locator('li, article').filter({ hasText: gpReferral ?? '' }).filter({ hasText: bg['referrals.status.used'] }).first().waitFor();

    // R-REF-02: back at the same cardiologist, the used № 3 is offered for the secondary examination.
    await patient.goto(`${world.server.baseUrl}/book`);
    await patient.getByLabel(bg['requests.book.specialty']).selectOption('1020');
    await patient.locator('section[aria-labelledby="book-where"] a.book-choice').filter({ hasText: 'Св. Лука' }).first().click();
    await patient.locator('section[aria-labelledby="book-who"] a.book-choice').first().click();
    await pickSlot(patient, 4);
    const followUp = patient.getByLabel(new RegExp(`НРН ${gpReferral ?? ''}, .* — вторичен преглед до `));
    expect(await followUp.isChecked()).toBe(true);
    expect(await seriousAxeViolations(patient)).toEqual([]);
    await shot(patient, 'book-follow-up');
    await submitBooking(patient);
  }, 300_000);

  it('R007 / P007: the GP cancels the e-prescription from the issued list after confirming, and the cardiologist corrects the № 4 and the e-prescription, each prefilled from the signed version', async () => {
    const gpAccount = world.account('gp@demo.distansia.bg');
    const gp = await world.newSession(gpAccount);
    const prescription = nrns[1] ?? '';
    await gp.goto(`${world.server.baseUrl}/referrals/issued`);
    const row = gp.getByRole('row').filter({ hasText: prescription });
    await row.getByRole('button', { name: new RegExp(`^${bg['refIssue.cancel.open']}`) }).click();
    const dialog = gp.getByRole('dialog');
    await dialog.getByLabel(bg['refIssue.cancel.reason']).fill('Грешна дозировка');
    await dialog.getByLabel(bg['refIssue.field.code']).fill(await world.freshCode(gpAccount));
    expect(await seriousAxeViolations(gp)).toEqual([]);
    await shot(gp, 'issued-cancel');
    await dialog.getByRole('button', { name: bg['refIssue.cancel.confirm'] }).click();
    // The server's own outbox worker may reach the NHIS before the list re-renders: either state is the
    // cancellation having been accepted; the drain then makes the acknowledgement certain.
    await row.getByText(new RegExp(`^(${bg['referrals.status.cancelling']}|${bg['referrals.status.cancelled']})$`)).waitFor();
    await world.server.deps.outbox.drain();
    await gp.reload();
    await gp.getByRole('row').filter({ hasText: prescription }).getByText(bg['referrals.status.cancelled']).waitFor();

    const cardioAccount = world.account('cardiologist@demo.distansia.bg');
    const cardio = await world.newSession(cardioAccount);
    const tests = nrns[2] ?? '';
    await cardio.goto(`${world.server.baseUrl}/referrals/issued`);
    await cardio.getByRole('row').filter({ hasText: tests }).getByRole('link', { name: new RegExp(`^${bg['refIssue.correct.open']}`) }).click();
    // The correction starts from the signed version.
    await expect.poll(() => cardio.getByLabel(bg['refIssue.field.request']).inputValue()).toBe('Липиден профил и креатинин');
    await cardio.getByLabel(bg['refIssue.field.request']).fill('Липиден профил, креатинин и калий');
    const corrected = await signAndFollow(cardio, cardioAccount, bg['refIssue.referral.submit']);
    expect(corrected).not.toBe(tests);
    await world.server.deps.outbox.drain();
    await cardio.goto(`${world.server.baseUrl}/referrals/issued`);
    // The NHIS acknowledged the old version's cancellation: it is shown as replaced by the correction.
    await cardio.getByRole('row').filter({ hasText: tests }).getByText(bg['referrals.status.superseded']).waitFor();

    // W27: the e-prescription's correction starts from the signed one too: diagnosis, medicine, packages, days, dosage.
    const rx = nrns[3] ?? '';
    await cardio.getByRole('row').filter({ hasText: rx }).getByRole('link', { name: new RegExp(`^${bg['refIssue.correct.open']}`) }).click();
    await expect.poll(() => cardio.getByLabel(bg['refIssue.rx.dosage']).inputValue()).toBe('1 таблетка сутрин');
    expect(await cardio.getByLabel(bg['refIssue.field.diagnosis']).inputValue()).toBe('I10');
    await expectText(cardio.locator('.ref-line h3'), 'Бизопролол', 'contains');
    expect(await cardio.getByLabel(bg['refIssue.rx.days']).inputValue()).toBe('30');
    await shot(cardio, 'prescription-correct');
    await cardio.getByLabel(bg['refIssue.rx.dosage']).fill('½ таблетка сутрин');
    // The prefilled form signs as a new version (the status card shows only on success); the NHIS round trip
    // is the one the first journeys follow.
    await cardio.getByLabel(bg['refIssue.field.code']).fill(await world.freshCode(cardioAccount));
    await cardio.getByRole('button', { name: bg['refIssue.prescription.submit'] }).click();
    await cardio.getByTestId('issued-status').waitFor();
  }, 300_000);
});

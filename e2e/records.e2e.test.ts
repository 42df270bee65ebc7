import { sql } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messages } from '../web/src/i18n/messages.js';
import { insertRequestFixture } from '../src/test/consultation-world.js';
import { expectText } from './support/expect-text.js';
import { passConsentGates } from './support/consultation.js';
import { openDemoWorld, type DemoWorld } from './support/demo-world.js';
import { clickNav } from './support/nav.js';
import { seriousAxeViolations } from './support/axe.js';

// Clinical records journey in Chromium against the demo: the specialist completes a store-and-forward
// consultation on its case page, opens the sheet editor from it, searches ICD-10 by typing and picks
// with the keyboard, writes, saves with Ctrl+S and signs the ambulatory sheet; the server's outbox
// worker sends it to the bundled NHIS simulator, whose acknowledgement (the national reference number)
// the editor shows together with the signature verification and the Art. 17 deadline recorded as met
// (R-TM-35, R-TM-39, R-TM-41). The patient then reads it in the health record.
//
// Earlier steps that other journeys drive in the browser (booking; consent and
// admissibility) go through the same APIs here: the request is written with the consultation's SQL fixture,
// acceptance, the identity check and the written consent are API calls from the two signed-in pages.

const bg = messages.bg;

describe('clinical records journey', () => {
  let world: DemoWorld;

  beforeAll(async () => {
    world = await openDemoWorld();
  });

  afterAll(async () => {
    await world?.close();
  });

  /** Keeps pressing ↓ in the ICD-10 combobox until the active option is `code`, then Enter. */
  async function pickWithKeyboard(page: Page, code: string) {
    const box = page.getByRole('combobox', { name: bg['records.icd10.label'] });
    await page.getByRole('option', { name: new RegExp(`^${code.replace('.', '\\.')} `) }).waitFor();
    for (let i = 0; i < 12; i += 1) {
      const active = page.locator('[role="option"][aria-selected="true"]');
      if (((await active.textContent()) ?? '').startsWith(`${code} `)) break;
      await box.press('ArrowDown');
    }
    expect(await page.locator('[role="option"][aria-selected="true"]').textContent()).toMatch(new RegExp(`^${code.replace('.', '\\.')} `));
    expect(await box.getAttribute('aria-activedescendant')).toBe(await page.locator('[role="option"][aria-selected="true"]').getAttribute('id'));
    await box.press('Enter');
  }

  it('a specialist completes a consultation, writes and signs the sheet, the NHIS simulator acknowledges it, the patient reads it, and the deadline is met', async () => {
    const db = world.server.deps.db;
    const spec = (await db.execute(sql`SELECT a.practitioner_id, r.facility_id FROM user_account a JOIN practitioner_role r ON r.practitioner_id = a.practitioner_id WHERE a.role = 'specialist' ORDER BY r.created_at LIMIT 1`)).rows[0] as { practitioner_id: string; facility_id: string };
    const pat = (await db.execute(sql`SELECT id, patient_id FROM user_account WHERE role = 'patient' LIMIT 1`)).rows[0] as { id: string; patient_id: string };
    const requestId = await insertRequestFixture(db, world.server.deps, { facilityId: spec.facility_id, practitionerId: spec.practitioner_id, patientId: pat.patient_id, requesterAccountId: pat.id, status: 'requested', mode: 'asynchronous' });

    const patientAccount = world.account('patient');
    const doctor = await world.newSession(world.account('specialist'));
    const patient = await world.newSession(patientAccount);

    // The consent module's gates through the real APIs: acceptance with the Art. 7 checklist, the identity check,
    // and the patient's written consent signed with a fresh second factor.
    await passConsentGates(world, requestId, doctor, patient);

    // The specialist completes the store-and-forward case in the browser (R-TM-39: the deadline starts).
    await doctor.goto(`${world.server.baseUrl}/requests/${requestId}/consultation`);
    await doctor.waitForURL(/\/consultations\/[0-9a-f-]{36}$/);
    await doctor.getByRole('button', { name: bg['consultation.complete'], exact: true }).click();
    await doctor.getByTestId('completed-at').waitFor();

    // … and opens the editor from the finished consultation.
    await doctor.getByRole('link', { name: bg['records.link.writeSheet'] }).click();
    await doctor.waitForURL(new RegExp(`/requests/${requestId}/sheet$`));
    await doctor.getByRole('heading', { level: 1, name: bg['records.kind.ambulatory_sheet'] }).waitFor();
    expect(await doctor.getByTestId('deadline').getAttribute('data-status')).toBe('open');
    await expectText(doctor.getByTestId('deadline'), bg['records.deadline.state.open'], 'contains');

    // The specialty's template fills the empty fields; the specialist writes over them.
    await doctor.getByRole('button', { name: bg['records.template.apply'] }).click();
    expect(await doctor.getByLabel(bg['records.field.followUp']).inputValue()).not.toBe('');
    await doctor.getByLabel(bg['records.field.anamnesis']).fill('Главоболие сутрин от 2 седмици; домашни стойности 150/95 mmHg.');
    await doctor.getByLabel(bg['records.field.objectiveFindings']).fill('Изпратени стойности на АН за 7 дни: средно 148/93 mmHg.');

    // ICD-10 as you type (Bulgarian and English), picked with the arrow keys and Enter.
    const box = doctor.getByRole('combobox', { name: bg['records.icd10.label'] });
    await box.click();
    await box.pressSequentially('хипертон', { delay: 40 });
    await pickWithKeyboard(doctor, 'I10');
    expect(await box.inputValue()).toBe('');
    await box.pressSequentially('headache', { delay: 40 });
    await pickWithKeyboard(doctor, 'R51');
    const chosen = doctor.getByRole('list', { name: bg['records.diagnoses.chosen'] });
    await expectText(chosen, 'I10', 'contains');
    await expectText(chosen, 'R51', 'contains');
    expect(await doctor.getByRole('radio', { name: bg['records.diagnoses.primaryOf'].replace('{code}', 'I10') }).isChecked()).toBe(true);
    expect(await doctor.getByRole('radio', { name: bg['records.diagnoses.primaryOf'].replace('{code}', 'R51') }).isChecked()).toBe(false);

    await doctor.getByLabel(bg['records.field.therapy']).fill('Промяна в начина на живот; ограничаване на солта.');
    await doctor.getByRole('button', { name: bg['records.medication.add'] }).click();
    // The new row's name field takes the focus: the medication is typed without the mouse.
    await doctor.waitForFunction(() => document.activeElement?.id.endsWith('-medications-0-name') === true);
    await doctor.keyboard.type('Амлодипин 5 mg');
    await doctor.keyboard.press('Tab');
    await doctor.keyboard.type('1 таблетка сутрин');
    await doctor.getByLabel(bg['records.field.recommendations']).fill('Домашно измерване два пъти дневно.');

    // Ctrl+S saves the draft (If-Match).
    await doctor.keyboard.press('Control+s');
    await doctor.locator('[data-testid="save-state"][data-state="saved"]').waitFor();

    // The sign step reviews exactly what will be signed.
    await doctor.getByRole('button', { name: bg['records.editor.review'] }).click();
    const review = doctor.locator('.records-review');
    await doctor.getByRole('heading', { name: bg['records.review.title'] }).waitFor();
    await expectText(review, 'Амлодипин 5 mg — 1 таблетка сутрин', 'contains');
    await expectText(review, 'I10', 'contains');
    // The template's prompts left empty ("ЕКГ:") are named before the signature; the specialist goes
    // back and answers them (docs/records.md).
    const emptyLines = doctor.getByTestId('sheet-empty-lines');
    await expectText(emptyLines, bg['records.review.emptyLine'].replace('{section}', bg['records.field.testsReviewed']).replace('{line}', 'ЕКГ:'), 'contains');
    expect(await seriousAxeViolations(doctor)).toEqual([]);
    await doctor.getByRole('button', { name: bg['records.review.back'] }).click();
    await doctor.getByLabel(bg['records.field.testsReviewed']).fill('ЕКГ: синусов ритъм, 72/min.\nЛипиден профил: LDL 3,1 mmol/l.');
    await doctor.keyboard.press('Control+s');
    await doctor.locator('[data-testid="save-state"][data-state="saved"]').waitFor();
    await doctor.getByRole('button', { name: bg['records.editor.review'] }).click();
    await doctor.getByRole('heading', { name: bg['records.review.title'] }).waitFor();
    expect(await doctor.getByTestId('sheet-empty-lines').count()).toBe(0);
    expect(await doctor.getByTestId('sheet-missing').count()).toBe(0);
    // The signature needs a fresh second factor (docs/decisions.md#d5): a wrong code signs nothing.
    const signButton = doctor.getByRole('button', { name: bg['records.review.sign'] });
    expect(await signButton.isDisabled()).toBe(true);
    const good = await world.freshCode(world.account('specialist'));
    await doctor.getByLabel(bg['records.review.code']).fill(good === '000000' ? '111111' : '000000');
    await signButton.click();
    await doctor.locator('[data-problem-code="auth.mfa_invalid"]').waitFor();
    await doctor.getByRole('heading', { name: bg['records.review.title'] }).waitFor();
    await doctor.getByLabel(bg['records.review.code']).fill(good);
    await signButton.click();

    // Signed: read-only, verified, recorded in the NHIS simulator with a national reference number.
    await doctor.getByRole('heading', { name: bg['records.signed.title'].replace('{revision}', '1') }).waitFor();
    await doctor.locator('[data-testid="verification"][data-valid="true"]').waitFor();
    await expectText(doctor.getByTestId('verification'), bg['records.verification.valid'], 'contains');
    await doctor.locator('[data-testid="nhis-status"][data-status="acknowledged"]').waitFor({ timeout: 30_000 });
    const nrn = ((await doctor.getByTestId('nrn').textContent()) ?? '').trim();
    expect(nrn).toMatch(/^\d{2}SIM\d{7}$/);
    expect(await doctor.getByLabel(bg['records.field.anamnesis']).count()).toBe(0);

    // The signed document names the patient with the EGN masked (docs/design-system.md#patient-banner):
    // the full number is nowhere on the page until "Покажи", which is audited as a reveal.
    const signedId = doctor.locator('.signed-document [data-testid="patient-identifier"]');
    const maskedText = ((await signedId.textContent()) ?? '').trim();
    expect(maskedText).toMatch(/^•{8}\d{2}$/);
    const pageBefore = await doctor.locator('main').innerText();
    await doctor.locator('.signed-document').getByRole('button', { name: new RegExp(`^${bg['banner.reveal']}`) }).click();
    await doctor.locator('.signed-document [data-testid="patient-identifier"][data-revealed="true"]').waitFor();
    const fullId = ((await signedId.textContent()) ?? '').trim();
    expect(fullId).toMatch(/^\d{10}$/);
    expect(fullId.endsWith(maskedText.slice(-2))).toBe(true);
    expect(pageBefore).not.toContain(fullId);
    const reveals = (await db.execute(sql`SELECT count(*)::int AS n FROM audit_event WHERE action = 'patient.identifier_revealed' AND patient_id = ${pat.patient_id} AND reason = ${`request:${requestId}`}`)).rows[0] as { n: number };
    expect(reveals.n).toBeGreaterThanOrEqual(1);
    await doctor.locator('.signed-document').getByRole('button', { name: bg['banner.hide'] }).click();
    expect(((await signedId.textContent()) ?? '').trim()).toBe(maskedText);

    // The Art. 17 deadline is met, in the editor and on the documentation worklist.
    await doctor.locator('[data-testid="deadline"][data-status="met"]').waitFor();
    await expectText(doctor.getByTestId('deadline'), nrn, 'contains');
    const pdfHref = (await doctor.getByRole('link', { name: bg['records.signed.pdf'] }).getAttribute('href')) ?? '';
    const pdf = await doctor.evaluate(async (href) => {
      const res = await fetch(href);
      return { status: res.status, head: new TextDecoder().decode(new Uint8Array(await res.arrayBuffer()).slice(0, 5)) };
    }, pdfHref);
    expect(pdf).toEqual({ status: 200, head: '%PDF-' });
    await clickNav(doctor, bg['records.nav.worklist']);
    const card = doctor.locator(`.records-card[data-request-id="${requestId}"]`);
    await card.waitFor();
    expect(await card.getAttribute('data-status')).toBe('met');
    await expectText(card, bg['records.deadline.state.met'], 'contains');

    // The patient reads it in the health record.
    const documentId = /documents\/([0-9a-f-]{36})\/pdf$/.exec(pdfHref)?.[1] ?? '';
    await patient.goto(`${world.server.baseUrl}/health-record`);
    const entry = patient.locator(`[data-document-id="${documentId}"]`);
    await entry.waitFor();
    await expectText(entry, 'I10', 'contains');
    await expectText(entry, 'R51', 'contains');
    await expectText(entry, nrn, 'contains');
    await expectText(entry, 'Амлодипин 5 mg', 'contains');
  }, 180_000);
});

import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messages } from '../web/src/i18n/messages.js';
import { openDemoWorld, type DemoAccount, type DemoWorld } from './support/demo-world.js';
import { expectText } from './support/expect-text.js';
import { clickNav } from './support/nav.js';

// Art. 28(4): a patient signs in (password + TOTP), lets a named specialist read their data,
// the specialist reads the demographics, the patient revokes, and the specialist is refused at once.

const bg = messages.bg;

describe('access grant journey', () => {
  let world: DemoWorld;

  beforeAll(async () => {
    world = await openDemoWorld();
  });

  afterAll(async () => {
    await world?.close();
  });

  const account = (role: string) => world.account(role);
  const signIn = (a: DemoAccount) => world.newSession(a);

  /** The status of a same-origin API read made by the page itself (its own session cookie). */
  const apiStatus = (page: Page, path: string) => page.evaluate(async (p) => (await fetch(p, { credentials: 'same-origin' })).status, path);

  it('a patient grants a specialist access, the specialist reads, the patient revokes, the specialist is refused', async () => {
    const patient = account('patient');
    // A specialist of another facility, with no request or consultation with this patient (Art. 13):
    // only the patient's grant can open the record to them.
    const specialist = account('emergency.requester@demo.distansia.bg');

    const patientPage = await signIn(patient);
    const me = await patientPage.evaluate(async () => (await (await fetch('/api/v1/me')).json()) as { patientId: string });
    const patientUrl = `/api/v1/patients/${me.patientId}`;

    const specialistPage = await signIn(specialist);
    // Deny by default: no request, consultation or grant yet.
    expect(await apiStatus(specialistPage, patientUrl)).toBe(403);

    // The patient opens "Access to my data" from the navigation and gives access.
    await clickNav(patientPage, bg['layout.nav.access']);
    await expectText(patientPage.getByRole('heading', { level: 1 }), bg['access.title']);
    await patientPage.getByText(bg['access.grants.empty']).waitFor();
    await patientPage.getByLabel(bg['access.form.email']).fill(specialist.email);
    await patientPage.getByLabel(bg['access.form.purpose']).fill('Второ мнение за кардиологичния преглед');
    await patientPage.getByRole('button', { name: bg['access.form.submit'] }).click();
    const grantItem = patientPage.getByRole('listitem').filter({ hasText: specialist.email });
    await grantItem.waitFor();
    await expectText(grantItem, bg['access.status.active'], 'contains');

    // The specialist sees the shared record in the UI and through the API.
    expect(await apiStatus(specialistPage, patientUrl)).toBe(200);
    await clickNav(specialistPage, bg['layout.nav.access']);
    await specialistPage.getByRole('heading', { name: bg['access.shared.title'] }).waitFor();
    await specialistPage.getByRole('button', { name: bg['access.shared.show'] }).click();
    const card = specialistPage.getByRole('definition').first();
    await card.waitFor();
    const demographics = await specialistPage.evaluate(async (p) => (await (await fetch(p)).json()) as { familyName: string }, patientUrl);
    await expectText(specialistPage.getByLabel(bg['access.shared.record']), demographics.familyName, 'contains');

    // The patient revokes, with a confirmation step.
    await grantItem.getByRole('button', { name: bg['access.revoke'] }).click();
    await grantItem.getByRole('button', { name: bg['access.revoke.yes'] }).click();
    await grantItem.filter({ hasText: bg['access.status.revoked'] }).waitFor();
    await expectText(patientPage.getByRole('status'), bg['access.revoked'].replace('{who}', (await grantItem.getAttribute('aria-label')) ?? ''));

    // Refused at once, by the API and in the UI.
    expect(await apiStatus(specialistPage, patientUrl)).toBe(403);
    await specialistPage.reload();
    await specialistPage.getByRole('heading', { level: 1, name: bg['access.title'] }).waitFor();
    await specialistPage.getByText(bg['access.noPatients']).waitFor();
    expect(await specialistPage.getByRole('heading', { name: bg['access.shared.title'] }).count()).toBe(0);
  });
});

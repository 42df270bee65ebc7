import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { generate } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messages } from '../web/src/i18n/messages.js';
import { seedDemo } from '../src/modules/demo/index.js';
import { launchBrowser } from './support/browser.js';
import { startServer, type E2eServer } from './support/server.js';
import { expectText } from './support/expect-text.js';

// Issue 3, Art. 28(4): a patient signs in (password + TOTP), lets a named specialist read their data,
// the specialist reads the demographics, the patient revokes, and the specialist is refused at once.

interface DemoAccount {
  role: string;
  email: string;
  password: string;
  totpSecret: string;
}

const bg = messages.bg;

describe('access grant journey', () => {
  let server: E2eServer;
  let browser: Browser;
  let accounts: DemoAccount[];
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    browser = await launchBrowser();
    server = await startServer({ seed: async (deps) => void (await seedDemo(deps)) });
    accounts = JSON.parse(await readFile(join(server.deps.config.DATA_DIR, 'demo-accounts.json'), 'utf8')) as DemoAccount[];
  });

  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await server?.close();
  });

  function account(role: string): DemoAccount {
    const found = accounts.find((a) => a.role === role);
    if (!found) throw new Error(`no demo account for ${role}`);
    return found;
  }

  async function signIn(a: DemoAccount): Promise<Page> {
    const context = await browser.newContext();
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(`${server.baseUrl}/sign-in`);
    await page.getByLabel(bg['auth.field.email']).fill(a.email);
    await page.getByLabel(bg['auth.field.password']).fill(a.password);
    await page.getByRole('button', { name: bg['auth.signIn.continue'] }).click();
    const code = page.getByLabel(bg['auth.field.code'], { exact: true });
    await code.waitFor();
    await code.fill(await generate({ secret: a.totpSecret }));
    await page.getByRole('button', { name: bg['auth.signIn.verify'] }).click();
    await page.getByTestId('account-menu').waitFor();
    return page;
  }

  /** The status of a same-origin API read made by the page itself (its own session cookie). */
  const apiStatus = (page: Page, path: string) => page.evaluate(async (p) => (await fetch(p, { credentials: 'same-origin' })).status, path);

  it('a patient grants a specialist access, the specialist reads, the patient revokes, the specialist is refused', async () => {
    const patient = account('patient');
    const specialist = account('specialist');

    const patientPage = await signIn(patient);
    const me = await patientPage.evaluate(async () => (await (await fetch('/api/v1/me')).json()) as { patientId: string });
    const patientUrl = `/api/v1/patients/${me.patientId}`;

    const specialistPage = await signIn(specialist);
    // Deny by default: no request, consultation or grant yet.
    expect(await apiStatus(specialistPage, patientUrl)).toBe(403);

    // The patient opens "Access to my data" from the navigation and gives access.
    await patientPage.getByRole('navigation').getByRole('link', { name: bg['layout.nav.access'] }).click();
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
    await specialistPage.getByRole('navigation').getByRole('link', { name: bg['layout.nav.access'] }).click();
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

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { generate } from 'otplib';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { messages } from '../web/src/i18n/messages.js';
import { seedDemo } from '../src/demo/index.js';
import { launchBrowser } from './support/browser.js';
import { startServer, type E2eServer } from './support/server.js';
import { expectText } from './support/expect-text.js';
import { waitForMessage } from './support/outbox.js';
import { openAccountMenu } from './support/nav.js';

// Sign-in journeys (docs/decisions.md#d14): password + TOTP against the seeded demo accounts,
// and the lockout after five wrong passwords. Texts come from the message catalogue.

interface DemoAccount {
  role: string;
  email: string;
  password: string;
  totpSecret: string;
}

const bg = messages.bg;

describe('sign-in with a second factor', () => {
  let server: E2eServer;
  let browser: Browser;
  let context: BrowserContext | undefined;
  let accounts: DemoAccount[];

  beforeAll(async () => {
    browser = await launchBrowser();
    server = await startServer({ env: { DEV_MAIL_SINK: 'true' }, seed: async (deps) => void (await seedDemo(deps)) });
    accounts = JSON.parse(await readFile(join(server.deps.config.DATA_DIR, 'demo-accounts.json'), 'utf8')) as DemoAccount[];
  });

  afterEach(async () => {
    await context?.close();
    context = undefined;
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function openPage(): Promise<Page> {
    context = await browser.newContext();
    return context.newPage();
  }

  function account(role: string): DemoAccount {
    const found = accounts.find((a) => a.role === role);
    if (!found) throw new Error(`no demo account for ${role}`);
    return found;
  }

  async function enterPassword(page: Page, email: string, password: string) {
    await page.getByLabel(bg['auth.field.email']).fill(email);
    await page.getByLabel(bg['auth.field.password']).fill(password);
    await page.getByRole('button', { name: bg['auth.signIn.continue'] }).click();
  }

  it('signs a specialist in with e-mail, password and a TOTP code, lists the session and signs out', async () => {
    const specialist = account('specialist');
    expect(specialist.totpSecret).toBeTruthy();
    const page = await openPage();
    await page.goto(`${server.baseUrl}/sign-in`);
    await expectText(page.getByRole('heading', { level: 1 }), bg['auth.signIn.title']);

    await enterPassword(page, specialist.email, specialist.password);
    const codeField = page.getByLabel(bg['auth.field.code'], { exact: true });
    await codeField.waitFor();
    await codeField.fill(await generate({ secret: specialist.totpSecret }));
    await page.getByRole('button', { name: bg['auth.signIn.verify'] }).click();

    const menu = page.getByTestId('account-menu');
    await menu.waitFor({ state: 'attached' });
    await expectText(menu, specialist.email, 'contains');
    await expectText(menu, bg['auth.role.specialist'], 'contains');

    // The session cookie is httpOnly and SameSite=Strict; the page cannot read it.
    const cookies = await context!.cookies();
    const session = cookies.find((c) => c.name === 'distansia_session');
    expect(session?.httpOnly).toBe(true);
    expect(session?.sameSite).toBe('Strict');
    expect(await page.evaluate(() => document.cookie)).not.toContain('distansia_session');

    await openAccountMenu(page);

    await page.getByRole('link', { name: bg['auth.sessions.link'] }).click();
    await page.getByTestId('session').first().waitFor();
    expect(await page.getByTestId('session').count()).toBe(1);
    await expectText(page.getByTestId('session').first(), bg['auth.sessions.current'], 'contains');

    await openAccountMenu(page);

    await menu.getByRole('button', { name: bg['auth.signOut'] }).click();
    await page.getByRole('banner').getByRole('link', { name: bg['auth.signIn.title'] }).waitFor();
    const me = await page.evaluate(async () => (await fetch('/api/v1/me')).status);
    expect(me).toBe(401);
  });

  it('registers a passkey (virtual authenticator) and uses it as the second factor', async () => {
    const coordinator = account('coordinator');
    const page = await openPage();
    // WebAuthn: an IP address cannot be a relying-party id, so this journey uses the name localhost.
    const base = server.baseUrl.replace('127.0.0.1', 'localhost');
    const cdp = await context!.newCDPSession(page);
    await cdp.send('WebAuthn.enable');
    await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
    });

    await page.goto(`${base}/sign-in`);
    await enterPassword(page, coordinator.email, coordinator.password);
    const codeField = page.getByLabel(bg['auth.field.code'], { exact: true });
    await codeField.waitFor();
    // The passkey button appears only for accounts that have one.
    expect(await page.getByRole('button', { name: bg['auth.signIn.passkey'] }).count()).toBe(0);
    await codeField.fill(await generate({ secret: coordinator.totpSecret }));
    await page.getByRole('button', { name: bg['auth.signIn.verify'] }).click();
    await page.getByTestId('account-menu').waitFor({ state: 'attached' });

    await openAccountMenu(page);

    await page.getByRole('link', { name: bg['auth.sessions.link'] }).click();
    await page.getByRole('button', { name: bg['auth.passkeys.add'] }).click();
    await page.getByText(bg['auth.passkeys.defaultLabel'], { exact: false }).first().waitFor();

    await openAccountMenu(page);

    await page.getByTestId('account-menu').getByRole('button', { name: bg['auth.signOut'] }).click();
    // The header's link: after signing out the page may offer a second sign-in link in its content.
    await page.getByRole('banner').getByRole('link', { name: bg['auth.signIn.title'] }).click();
    await enterPassword(page, coordinator.email, coordinator.password);
    await page.getByRole('button', { name: bg['auth.signIn.passkey'] }).click();
    const menu = page.getByTestId('account-menu');
    await menu.waitFor({ state: 'attached' });
    await expectText(menu, coordinator.email, 'contains');
  });

  it('changes the password with the current one and a code, then only the new password signs in', async () => {
    const operator = account('operator');
    const page = await openPage();
    await page.goto(`${server.baseUrl}/sign-in`);
    await enterPassword(page, operator.email, operator.password);
    const codeField = page.getByLabel(bg['auth.field.code'], { exact: true });
    await codeField.waitFor();
    const now = Math.floor(Date.now() / 1000);
    await codeField.fill(await generate({ secret: operator.totpSecret, epoch: now }));
    await page.getByRole('button', { name: bg['auth.signIn.verify'] }).click();
    await page.getByTestId('account-menu').waitFor({ state: 'attached' });

    await openAccountMenu(page);

    await page.getByRole('link', { name: bg['auth.sessions.link'] }).click();
    const newPassword = 'Amber-Harbour-Lantern-58';
    await page.getByLabel(bg['auth.password.current']).fill(operator.password);
    await page.getByLabel(bg['auth.password.new']).fill(newPassword);
    // A code accepted once cannot be used again: the change uses the next 30-second step (within the drift window).
    await page.getByLabel(bg['auth.password.code']).fill(await generate({ secret: operator.totpSecret, epoch: now + 30 }));
    await page.getByRole('button', { name: bg['auth.password.submit'] }).click();
    await expectText(page.getByRole('status'), bg['auth.password.done'].replace('{count}', '0'));

    await openAccountMenu(page);

    await page.getByTestId('account-menu').getByRole('button', { name: bg['auth.signOut'] }).click();
    await page.getByRole('banner').getByRole('link', { name: bg['auth.signIn.title'] }).click();
    await enterPassword(page, operator.email, operator.password);
    await page.locator('[data-problem-code="auth.invalid_credentials"]').waitFor();
    await enterPassword(page, operator.email, newPassword);
    await page.getByLabel(bg['auth.field.code'], { exact: true }).waitFor();
  });

  it('resets a forgotten password with the e-mailed link and a code from the app', async () => {
    const admin = account('facility_admin');
    const page = await openPage();
    await page.goto(`${server.baseUrl}/sign-in`);
    await page.getByRole('link', { name: bg['auth.forgot.link'] }).click();
    await page.getByLabel(bg['auth.field.email']).fill(admin.email);
    await page.getByRole('button', { name: bg['auth.forgot.submit'] }).click();
    await expectText(page.getByRole('status'), bg['auth.forgot.sent']);

    // The dev mail sink wrote the e-mail the outbox worker sent to DATA_DIR/outbox/ as an .eml file.
    const mail = await waitForMessage(server.dataDir, (m) => m.to === admin.email && m.body.includes('reset-password#token='));
    const token = /reset-password#token=([\w-]+)/.exec(mail.body)?.[1] ?? '';
    expect(token).not.toBe('');

    await page.goto(`${server.baseUrl}/reset-password#token=${token}`);
    const newPassword = 'Copper-Valley-Whistle-31';
    await page.getByLabel(bg['auth.password.new']).fill(newPassword);
    await page.getByLabel(bg['auth.reset.code']).fill(await generate({ secret: admin.totpSecret }));
    await page.getByRole('button', { name: bg['auth.reset.submit'] }).click();
    await expectText(page.getByRole('status'), bg['auth.reset.done']);
    expect(page.url()).not.toContain(token);

    await page.getByRole('main').getByRole('link', { name: bg['auth.signIn.title'] }).click();
    await enterPassword(page, admin.email, newPassword);
    await page.getByLabel(bg['auth.field.code'], { exact: true }).waitFor();
  });

  it('locks sign-in after five wrong passwords and says so clearly', async () => {
    const supervisor = account('supervisor');
    const page = await openPage();
    await page.goto(`${server.baseUrl}/sign-in`);
    for (let i = 1; i <= 4; i += 1) {
      await enterPassword(page, supervisor.email, `Wrong-Password-${i}-xyz`);
      await page.locator('[data-problem-code="auth.invalid_credentials"]').waitFor();
    }
    await enterPassword(page, supervisor.email, 'Wrong-Password-5-xyz');
    await page.locator('[data-problem-code="auth.locked"]').waitFor();
    await expectText(page.getByTestId('lockout-message'), bg['auth.signIn.lockedFor'].replace('{minutes}', '15'));

    // Even the right password is refused while locked.
    await enterPassword(page, supervisor.email, supervisor.password);
    await page.locator('[data-problem-code="auth.locked"]').waitFor();
    expect(await page.getByLabel(bg['auth.field.code'], { exact: true }).count()).toBe(0);
  });
});

import { generate } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messages } from '../web/src/i18n/messages.js';
import { openDemoWorld, type DemoWorld } from './support/demo-world.js';
import { expectText } from './support/expect-text.js';
import { expectFitsViewport } from './support/phone.js';
import { waitForMessage } from './support/outbox.js';
import { clickNav } from './support/nav.js';

// Staff accounts in the browser, at 375 px (docs/identity.md). The demo facility administrator creates
// an account for one of the facility's specialists, without a password; the administrator cannot sign in
// as them. The specialist opens the activation link from the e-mail file the development sink wrote,
// chooses a password and enrols TOTP in one step, and lands in the app; the administrator deactivates
// the account and the person's session ends. Regulatory: Art. 28(2)-(3).

const bg = messages.bg;
const phone = { width: 375, height: 812 };
const PASSWORD = 'Osogovo-Bor-Izvor-2026';

describe('staff accounts: creation, activation by the person, deactivation', () => {
  let world: DemoWorld;

  beforeAll(async () => {
    world = await openDemoWorld({ env: { DEV_MAIL_SINK: 'true' } });
  });

  afterAll(async () => {
    await world?.close();
  });

  it('the administrator creates a specialist account, cannot sign in as them, the specialist activates from the e-mail file, and deactivation ends the session', async () => {
    const admin = await world.newSession(world.account('facility.admin@demo.distansia.bg'));
    await admin.setViewportSize(phone);
    await clickNav(admin, bg['staffAdmin.nav']);
    await expectText(admin.getByRole('heading', { level: 1 }), bg['staffAdmin.title']);
    await admin.getByTestId('staff-account').first().waitFor();
    await expectFitsViewport(admin);

    // A specialist of the facility who has no account yet.
    const form = admin.locator('form').filter({ has: admin.getByRole('button', { name: bg['staffAdmin.create.submit'] }) });
    const practitioner = form.getByLabel(bg['staffAdmin.create.practitioner']);
    await practitioner.locator('option').nth(1).waitFor({ state: 'attached' });
    const name = ((await practitioner.locator('option').nth(1).textContent()) ?? '').trim();
    expect(name).not.toBe('');
    await practitioner.selectOption({ label: name });
    // Unique per attempt: a retried journey runs against the same server.
    const email = `new.specialist.${Date.now() % 1_000_000}@demo.distansia.bg`;
    await form.getByLabel(bg['staffAdmin.create.email']).fill(email);
    // There is no password field: the administrator never chooses, sees or hands over a password.
    expect(await form.locator('input[type="password"]').count()).toBe(0);
    await form.getByRole('button', { name: bg['staffAdmin.create.submit'] }).click();
    await expectText(admin.locator('.ra-notice').first(), bg['staffAdmin.create.done'].replace('{name}', name));
    const card = admin.getByTestId('staff-account').filter({ hasText: email });
    await expectText(card, bg['staffAdmin.mfa.no'], 'contains');
    await expectText(card, bg['staffAdmin.lastSignIn.never'], 'contains');
    await expectFitsViewport(admin);

    // The administrator cannot get in as the specialist: there is no password to know, and no link.
    const intruder = await world.browser.newContext({ viewport: phone, locale: 'bg-BG' });
    try {
      const page = await intruder.newPage();
      await page.goto(`${world.server.baseUrl}/sign-in`);
      await page.getByLabel(bg['auth.field.email']).fill(email);
      await page.getByLabel(bg['auth.field.password']).fill(world.account('facility.admin@demo.distansia.bg').password);
      await page.getByRole('button', { name: bg['auth.signIn.continue'] }).click();
      await page.locator('[data-problem-code="auth.invalid_credentials"]').waitFor();
      expect(await page.evaluate(async () => (await fetch('/api/v1/me')).status)).toBe(401);
    } finally {
      await intruder.close();
    }

    // The activation e-mail, as the development sink wrote it to DATA_DIR/outbox/.
    const mail = await waitForMessage(world.server.dataDir, (m) => m.to === email && m.body.includes('/activate#token='));
    const token = /\/activate#token=([\w-]+)/.exec(mail.body)?.[1] ?? '';
    expect(token.length).toBeGreaterThan(20);
    const context = await world.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'bg-BG', timezoneId: 'Europe/Sofia' });
    try {
      const me = await context.newPage();
      await me.goto(`${world.server.baseUrl}/activate#token=${token}`);
      await expectText(me.getByRole('heading', { level: 1 }), bg['auth.activate.title']);
      await me.getByTestId('totp-secret').waitFor();
      await me.screenshot({ path: '/tmp/activation-1280.png', fullPage: true });
      await me.setViewportSize(phone);
      // Opening the link again starts a new authenticator; the newest one counts.
      await me.reload();
      await me.getByTestId('totp-secret').waitFor();
      await expectFitsViewport(me);
      await me.screenshot({ path: '/tmp/activation-375.png', fullPage: true });
      await expectText(me.locator('.lead'), bg['auth.activate.intro'].replace('{email}', email));
      const secret = ((await me.getByTestId('totp-secret').textContent()) ?? '').trim();
      expect(secret.length).toBeGreaterThan(15);
      await me.getByLabel(bg['auth.password.new']).fill(PASSWORD);
      await me.getByLabel(bg['auth.activate.code']).fill(await generate({ secret }));
      await me.getByRole('button', { name: bg['auth.activate.submit'] }).click();
      await me.getByTestId('recovery-codes').waitFor();
      await expectText(me.getByRole('heading', { level: 1 }), bg['auth.activate.doneTitle']);
      await me.getByRole('button', { name: bg['auth.activate.continue'] }).click();
      const menu = me.getByTestId('account-menu');
      await expectText(menu, email, 'contains');
      await expectText(menu, bg['auth.role.specialist'], 'contains');
      // A specialist's navigation: the worklist is there, the staff page is not.
      // On a phone the navigation sits behind the menu button.
      const menuButton = me.getByRole('banner').getByRole('button', { name: bg['ui.menu'] });
      if (await menuButton.isVisible()) await menuButton.click();
      await me.getByRole('navigation').getByRole('link', { name: bg['layout.nav.worklist'] }).waitFor();
      expect(await me.getByRole('navigation').getByRole('link', { name: bg['staffAdmin.nav'] }).count()).toBe(0);
      expect(await me.evaluate(async () => (await fetch('/api/v1/me')).status)).toBe(200);

      // The administrator now sees the second factor and the sign-in, and deactivates the account.
      await admin.reload();
      await expectText(card, bg['staffAdmin.mfa.yes'], 'contains');
      const deactivate = card.getByRole('button', { name: `${bg['staffAdmin.action.deactivate']}: ${name}` });
      await deactivate.click();
      await expectText(card.getByRole('group'), bg['staffAdmin.confirm.deactivate'].replace('{name}', name), 'contains');
      await expectFitsViewport(admin);
      await admin.screenshot({ path: '/tmp/staff-admin-confirm-375.png', fullPage: false });
      // Keyboard: the confirmation has focus; Enter confirms.
      await admin.keyboard.press('Enter');
      await expectText(card.locator('.ra-badge'), bg['staffAdmin.status.deactivated']);
      await expectText(admin.locator('.ra-notice').first(), bg['staffAdmin.done.deactivate'].replace('{name}', name));

      // The specialist's session has ended.
      expect(await me.evaluate(async () => (await fetch('/api/v1/me')).status)).toBe(401);
      // The open page learns it at its next call: the header shows the sign-in link in the row (not
      // behind the phone menu) and no account menu, without a reload (docs/design-system.md).
      await clickNav(me, bg['layout.nav.worklist']);
      const signIn = me.getByRole('banner').getByRole('link', { name: bg['auth.signIn.title'] });
      await signIn.waitFor({ state: 'visible', timeout: 15_000 });
      expect(await me.getByTestId('account-menu').count()).toBe(0);
      // After a reload too, and the page no longer asks who is signed in (the ended session's cookie is gone).
      const unauthorised: string[] = [];
      me.on('response', (response) => {
        if (response.status() === 401 && new URL(response.url()).pathname === '/api/v1/me') unauthorised.push(response.url());
      });
      await me.reload();
      await signIn.waitFor({ state: 'visible' });
      expect(await me.getByTestId('account-menu').count()).toBe(0);
      expect(unauthorised).toEqual([]);
      await signIn.click();
      await expectText(me.getByRole('heading', { level: 1 }), bg['auth.signIn.title']);
    } finally {
      await context.close();
    }
  });
});

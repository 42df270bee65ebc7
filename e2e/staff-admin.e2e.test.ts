import { generate } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messages } from '../web/src/i18n/messages.js';
import { openDemoWorld, type DemoWorld } from './support/demo-world.js';
import { expectText } from './support/expect-text.js';
import { expectFitsViewport } from './support/phone.js';

// Staff accounts in the browser, at 375 px. The demo facility administrator creates an account
// for one of the facility's specialists; that person signs in with the initial password, is forced
// through TOTP enrolment (docs/decisions.md#d14) and lands in the app; the administrator deactivates the
// account and the person's session ends.

const bg = messages.bg;
const phone = { width: 375, height: 812 };
const PASSWORD = 'Osogovo-Bor-Izvor-2026';

describe('staff accounts', () => {
  let world: DemoWorld;

  beforeAll(async () => {
    world = await openDemoWorld();
  });

  afterAll(async () => {
    await world?.close();
  });

  it('the administrator creates a specialist account, the specialist enrols TOTP at the first sign-in, and deactivation ends the session', async () => {
    const admin = await world.newSession(world.account('facility.admin@demo.distansia.bg'));
    await admin.setViewportSize(phone);
    await admin.getByRole('navigation').getByRole('link', { name: bg['staffAdmin.nav'] }).click();
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
    await form.getByLabel(bg['staffAdmin.create.password']).fill(PASSWORD);
    await form.getByRole('button', { name: bg['staffAdmin.create.submit'] }).click();
    await expectText(admin.locator('.ra-notice').first(), bg['staffAdmin.create.done'].replace('{name}', name));
    const card = admin.getByTestId('staff-account').filter({ hasText: email });
    await expectText(card, bg['staffAdmin.mfa.no'], 'contains');
    await expectText(card, bg['staffAdmin.lastSignIn.never'], 'contains');
    await expectFitsViewport(admin);

    // The specialist's first sign-in: password, then the enrolment page (no way around it).
    const context = await world.browser.newContext({ viewport: phone, isMobile: true, hasTouch: true, locale: 'bg-BG', timezoneId: 'Europe/Sofia' });
    try {
      const me = await context.newPage();
      await me.goto(`${world.server.baseUrl}/sign-in`);
      await me.getByLabel(bg['auth.field.email']).fill(email);
      await me.getByLabel(bg['auth.field.password']).fill(PASSWORD);
      await me.getByRole('button', { name: bg['auth.signIn.continue'] }).click();
      await expectText(me.getByRole('heading', { level: 1 }), bg['auth.enrol.title']);
      expect(new URL(me.url()).pathname).toBe('/enrol');
      const secret = ((await me.getByTestId('totp-secret').textContent()) ?? '').trim();
      expect(secret.length).toBeGreaterThan(15);
      await expectFitsViewport(me);
      await me.getByLabel(bg['auth.field.totp']).fill(await generate({ secret }));
      await me.getByRole('button', { name: bg['auth.enrol.confirm'] }).click();
      await me.getByTestId('recovery-codes').waitFor();
      await me.getByRole('button', { name: bg['auth.enrol.done'] }).click();
      const menu = me.getByTestId('account-menu');
      await expectText(menu, email, 'contains');
      await expectText(menu, bg['auth.role.specialist'], 'contains');
      // A specialist's navigation: the worklist is there, the staff page is not.
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
      await me.reload();
      await me.getByRole('banner').getByRole('link', { name: bg['auth.signIn.title'] }).waitFor();
      expect(await me.getByTestId('account-menu').count()).toBe(0);
    } finally {
      await context.close();
    }
  });
});

import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messages } from '../web/src/i18n/messages.js';
import { seedDemo } from '../src/demo/index.js';
import { launchBrowser } from './support/browser.js';
import { startServer, type E2eServer } from './support/server.js';
import { expectText } from './support/expect-text.js';
import { expectFitsViewport } from './support/phone.js';
import { clickNav } from './support/nav.js';

// Art. 15 (R-TM-32): on a phone, a patient finds a cardiologist with a free video slot this week
// in the public directory, without signing in, opens the facility's page and sees the free slots.

const bg = messages.bg;
const days = (key: 'directory.form.soon' | 'directory.slots.show') => bg[key].replace('{days}', '7');


describe('public directory journey (R-TM-32)', () => {
  let server: E2eServer;
  let browser: Browser;
  let context: BrowserContext | undefined;

  beforeAll(async () => {
    browser = await launchBrowser();
    server = await startServer({ seed: async (deps) => void (await seedDemo(deps)) });
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.close();
  });

  it('finds a cardiologist with a free video slot this week and lists the slots, on a 375x812 phone', async () => {
    context = await browser.newContext({ viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true, locale: 'bg-BG', timezoneId: 'Europe/Sofia' });
    const page = await context.newPage();
    await page.goto(`${server.baseUrl}/`);
    await page.getByRole('heading', { level: 1 }).waitFor();

    await clickNav(page, bg['layout.nav.directory']);
    await expectText(page.getByRole('heading', { level: 1 }), bg['directory.title']);

    const specialty = page.getByLabel(bg['directory.form.specialty']);
    await specialty.locator('option', { hasText: 'Кардиология' }).first().waitFor({ state: 'attached' });
    await specialty.selectOption({ label: 'Кардиология' });
    await page.getByLabel(bg['directory.mode.synchronous']).check();
    await page.getByLabel(days('directory.form.soon')).check();
    await page.getByRole('button', { name: bg['directory.form.submit'] }).click();
    await page.waitForURL(/specialty=1020/);

    const card = page.locator('article.facility-card').first();
    await card.waitFor();
    await expectText(card, 'Кардиология', 'contains');
    await expectText(card, bg['directory.mode.synchronous'], 'contains');
    // A free slot, in Bulgarian time, before the end of the 7-day window.
    const earliest = await card.locator('.facility-card__slot time').getAttribute('datetime');
    expect(earliest).not.toBeNull();
    const ms = Date.parse(earliest ?? '');
    expect(ms).toBeGreaterThan(Date.now() - 60_000);
    expect(ms).toBeLessThan(Date.now() + 7 * 86_400_000);
    await expectFitsViewport(page);
    await page.screenshot({ path: '/tmp/directory-form-375.png' });
    await card.scrollIntoViewIfNeeded();
    await page.screenshot({ path: '/tmp/directory-results-375.png' });

    const facilityName = (await card.getByRole('heading', { level: 3 }).textContent()) ?? '';
    await card.getByRole('link').first().click();
    await expectText(page.getByRole('heading', { level: 1 }), facilityName.trim());
    await expectText(page.locator('#facility-contacts'), bg['directory.facility.contacts']);

    // The first video consultation of the cardiologists (listed first for the searched specialty).
    const service = page.locator('.specialist-service').filter({ hasText: bg['directory.mode.synchronous'] }).first();
    await service.getByRole('button', { name: days('directory.slots.show') }).click();
    // The same button now hides the list again.
    expect(await service.getByRole('button', { name: bg['directory.slots.hide'] }).getAttribute('aria-expanded')).toBe('true');
    const list = service.locator('.slot-list');
    await list.locator('.slot-day').first().waitFor();
    expect(await list.locator('.slot-chip time').count()).toBeGreaterThan(0);
    await expectText(list.locator('.slot-list__signin'), bg['directory.slots.signInPrompt'], 'contains');
    await expectFitsViewport(page);
    await list.scrollIntoViewIfNeeded();
    await page.screenshot({ path: '/tmp/directory-facility-375.png' });
  });
});

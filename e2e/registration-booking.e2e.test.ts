import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Temporal } from 'temporal-polyfill';
import { messages } from '../web/src/i18n/messages.js';
import { seedDemo } from '../src/demo/index.js';
import { makeEgn } from '../src/platform/identifiers.js';
import { totpCode } from '../src/modules/identity/index.js';
import { launchBrowser } from './support/browser.js';
import { startServer, type E2eServer } from './support/server.js';
import { waitForMessage } from './support/outbox.js';

// A new patient registers (docs/registration.md), confirms the e-mail from the mail sink, enrols the
// authenticator, then books a cardiologist in three taps from the directory: the facility, a time, "Запази
// часа"; the next step is the informed consent. At 375 px and 1280 px, with the header height (DESIGN.md:
// ≤64 px phone, ≤80 px desktop) and axe-core (no serious or critical violations) on every page of the journey.

const bg = messages.bg;
const axeSource = readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const SCREENSHOTS = process.env.E2E_SCREENSHOT_DIR;
/** A specialty every demo service of which has a price (no NHIF referral needed, W14). */
const PAID_SPECIALTY = '1004';

/** axe-core on the current page: the serious and critical violations, by rule id and target. */
async function axeViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: await axeSource });
  const result = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document, o: object): Promise<{ violations: { id: string; impact: string | null; nodes: { target: unknown[] }[] }[] }> } }).axe;
    return axe.run(document, { resultTypes: ['violations'] });
  });
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')}`);
}

/** The checks every page of the journey passes; the header check is reported apart (see `headerProblems`). */
async function checkPage(page: Page, name: string, width: number, header: string[]): Promise<void> {
  await page.waitForLoadState('networkidle');
  if (SCREENSHOTS) await page.screenshot({ path: `${SCREENSHOTS}/${name}-${width}.png`, fullPage: true });
  expect(await axeViolations(page), `axe on ${name} at ${width}px`).toEqual([]);
  const height = await page.locator('header.site-header').evaluate((el) => el.getBoundingClientRect().height);
  const limit = width < 600 ? 64 : 80;
  if (height > limit) header.push(`${name} at ${width}px: header ${Math.round(height)} px > ${limit} px`);
}

describe('registration and three-tap booking journey', () => {
  let server: E2eServer;
  let browser: Browser;
  let serial = 300;
  // The header belongs to the design-system work: its height is collected and asserted in its own test.
  const header: string[] = [];

  beforeAll(async () => {
    browser = await launchBrowser();
    server = await startServer({ env: { DEV_MAIL_SINK: 'true' }, seed: async (deps) => void (await seedDemo(deps)) });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  for (const width of [375, 1280]) {
    it(`registers, confirms, enrols and books a paid specialist consultation in three taps at ${width}px`, async () => {
      // bypassCSP: axe-core is injected as a script; the app's CSP (script-src 'self') would refuse it.
      const context = await browser.newContext({ bypassCSP: true, viewport: { width, height: width < 600 ? 812 : 800 }, isMobile: width < 600, hasTouch: width < 600, locale: 'bg-BG', timezoneId: 'Europe/Sofia' });
      const page = await context.newPage();
      try {
        serial += 7;
        const email = `new.patient.${width}.${Date.now()}@example.test`;
        const egn = makeEgn(Temporal.PlainDate.from('1990-04-12'), 'female', serial);

        // Registration.
        await page.goto(`${server.baseUrl}/sign-in`);
        await page.getByRole('link', { name: bg['register.link'] }).click();
        await page.getByRole('heading', { level: 1, name: bg['register.title'] }).waitFor();
        await checkPage(page, 'register', width, header);
        await page.getByLabel(bg['register.givenName'], { exact: true }).fill('Мария');
        await page.getByLabel(bg['register.familyName'], { exact: true }).fill('Георгиева');
        await page.getByLabel(bg['register.identifier.egn'], { exact: true }).fill(egn);
        await page.getByLabel(bg['register.birthDate'], { exact: true }).fill('1990-04-12');
        await page.getByLabel(bg['register.phone'], { exact: true }).fill('+359 888 765 432');
        await page.getByLabel(bg['register.email'], { exact: true }).fill(email);
        await page.getByLabel(bg['register.password'], { exact: true }).fill('Rila-Lake-Seven-Morning-2026');
        await page.getByRole('button', { name: bg['register.submit'] }).click();
        await page.getByRole('heading', { level: 1, name: bg['register.sentTitle'] }).waitFor();
        await checkPage(page, 'register-sent', width, header);

        // The e-mailed link confirms the address and leads to the authenticator.
        const mail = await waitForMessage(server.dataDir, (m) => m.to === email && m.body.includes('/register/confirm#token='));
        const link = /https?:\/\/\S+\/register\/confirm#token=[\w-]+/.exec(mail.body)?.[0] ?? '';
        await page.goto(link.replace(/^https?:\/\/[^/]+/, server.baseUrl));
        const secret = (await page.getByTestId('totp-secret').textContent())?.trim() ?? '';
        expect(secret.length).toBeGreaterThan(10);
        await checkPage(page, 'enrol', width, header);
        await page.getByLabel(bg['auth.field.totp']).fill(await totpCode(secret, Math.floor(Date.now() / 1000)));
        await page.getByRole('button', { name: bg['auth.enrol.confirm'] }).click();
        await page.getByTestId('recovery-codes').waitFor();
        await page.getByRole('button', { name: bg['auth.enrol.done'] }).click();
        await page.getByText(bg['register.unverifiedBanner']).waitFor();

        // Three taps from the directory: the facility, a time, "Запази часа".
        // W14: a patient who has just registered has no GP referral, and the NHIF pays for a specialist only
        // with one; every demo service of this specialty is paid, so three taps book it.
        await page.goto(`${server.baseUrl}/directory?specialty=${PAID_SPECIALTY}&mode=synchronous`);
        const card = page.locator('article.facility-card').first();
        await card.waitFor();
        await checkPage(page, 'directory', width, header);
        await card.getByRole('heading').getByRole('link').click(); // tap 1
        await page.getByRole('button', { name: bg['directory.slots.show'].replace('{days}', '7') }).first().click();
        const chip = page.locator('a.slot-chip--link').first();
        await chip.waitFor();
        await checkPage(page, 'facility', width, header);
        await chip.click(); // tap 2
        await page.waitForURL(/\/book\?.*slot=/);
        const submit = page.getByRole('button', { name: bg['book.submit'] });
        await submit.waitFor();
        await expect.poll(() => page.getByLabel(bg['book.phone']).inputValue()).toBe('+359 888 765 432');
        await expect.poll(() => page.locator('.book-summary').textContent()).toMatch(/(пн|вт|ср|чт|пт|сб|нд), \d{1,2} [а-я]+, \d{2}:\d{2}/);
        await checkPage(page, 'book', width, header);
        await submit.click(); // tap 3
        await page.getByRole('heading', { level: 1, name: bg['book.done.title'] }).waitFor();
        await checkPage(page, 'booked', width, header);
        const sign = page.getByRole('link', { name: bg['book.done.sign'] });
        expect(await sign.getAttribute('href')).toMatch(/^\/requests\/[0-9a-f-]{36}\/consent$/);

        // Home: the consent is a to-do until it is signed.
        await page.goto(`${server.baseUrl}/`);
        await page.locator('.home-todo a').first().waitFor();
        await checkPage(page, 'home', width, header);
        // "Back" from a facility keeps the directory's filters.
        await page.goto(`${server.baseUrl}/directory?specialty=${PAID_SPECIALTY}&mode=synchronous`);
        await page.locator('article.facility-card').first().getByRole('heading').getByRole('link').click();
        await page.getByRole('link', { name: bg['directory.facility.back'] }).click();
        await page.waitForURL(new RegExp(`/directory\\?specialty=${PAID_SPECIALTY}&mode=synchronous`));
      } finally {
        await context.close();
      }
    });
  }

  it('keeps the header within 64 px on a phone and 80 px on a desktop (DESIGN.md; the header work is pending)', () => {
    expect(header).toEqual([]);
  });
});

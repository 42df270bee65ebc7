import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { messages } from '../web/src/i18n/messages.js';
import { launchBrowser } from './support/browser.js';
import { startServer, type E2eServer } from './support/server.js';
import { expectText } from './support/expect-text.js';
import { clickNav } from './support/nav.js';

// Journeys through the application shell: language, API reference, phone layout, system status.
// Texts are taken from the message catalogue, so a wording change does not break the journeys.

const phone: BrowserContextOptions = { viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true };

describe('application shell', () => {
  let server: E2eServer;
  let browser: Browser;
  let context: BrowserContext | undefined;

  beforeAll(async () => {
    browser = await launchBrowser();
    server = await startServer();
  });

  afterEach(async () => {
    await context?.close();
    context = undefined;
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  /** A fresh, isolated profile (empty localStorage) for each journey, closed after it. */
  async function openPage(options: BrowserContextOptions = {}): Promise<Page> {
    context = await browser.newContext(options);
    return context.newPage();
  }

  const htmlLang = (page: Page) => page.locator('html').getAttribute('lang');

  it('renders the home page in Bulgarian by default', async () => {
    const page = await openPage();
    await page.goto(`${server.baseUrl}/`);

    await expectText(page.getByRole('heading', { level: 1 }), messages.bg['home.title']);
    expect(await htmlLang(page)).toBe('bg');
    expect(await page.title()).toBe(messages.bg['app.name']);
  });

  it('switches to English, and the choice survives a reload', async () => {
    const page = await openPage();
    await page.goto(`${server.baseUrl}/`);

    await page.getByLabel(messages.bg['language.label']).selectOption('en');

    const heading = page.getByRole('heading', { level: 1 });
    await expectText(heading, messages.en['home.title']);
    expect(await htmlLang(page)).toBe('en');

    await page.reload();
    await expectText(heading, messages.en['home.title']);
    expect(await htmlLang(page)).toBe('en');
    await expect(page.getByLabel(messages.en['language.label']).inputValue()).resolves.toBe('en');
  });

  it('lets a keyboard user skip to the main content', async () => {
    const page = await openPage();
    await page.goto(`${server.baseUrl}/`);
    // Tricky: React renders after the load event; wait for the page before using the keyboard.
    await page.getByRole('heading', { level: 1 }).waitFor();

    await page.keyboard.press('Tab');
    const skipLink = page.getByRole('link', { name: messages.bg['layout.skipToContent'] });
    expect(await skipLink.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');
  });

  it('reports the server as ready on the system status page', async () => {
    const page = await openPage();
    await page.goto(`${server.baseUrl}/`);

    await clickNav(page, messages.bg['layout.nav.status']);

    await page.getByRole('status').filter({ hasText: messages.bg['status.overall.ok'] }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/status');
    expect(await page.getByRole('table').textContent()).toContain(messages.bg['status.database.ok']);
  });

  it('serves the API reference with the operations listed', async () => {
    const page = await openPage();
    await page.goto(`${server.baseUrl}/`);

    // A full navigation to the server's Swagger UI, not a client route.
    await clickNav(page, messages.bg['layout.nav.apiDocs']);

    await page.getByText('/health/live', { exact: true }).first().waitFor({ timeout: 30_000 });
    expect(new URL(page.url()).pathname).toMatch(/^\/api\/docs/);
  });

  it('shows the not-found page for an unknown address', async () => {
    const page = await openPage();
    await page.goto(`${server.baseUrl}/no-such-page`);

    await expectText(page.getByRole('heading', { level: 1 }), messages.bg['notFound.title']);
  });

  it('fits a 375 px phone screen without horizontal scrolling', async () => {
    const page = await openPage(phone);
    for (const path of ['/', '/status']) {
      await page.goto(`${server.baseUrl}${path}`);
      await page.getByRole('heading', { level: 1 }).waitFor();
      const widths = await page.evaluate(() => ({
        content: document.documentElement.scrollWidth,
        viewport: document.documentElement.clientWidth,
      }));
      expect(widths.content, `horizontal overflow on ${path}`).toBeLessThanOrEqual(widths.viewport);
    }
  });
});

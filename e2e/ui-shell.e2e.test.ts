import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messages } from '../web/src/i18n/messages.js';
import { openDemoWorld, type DemoWorld } from './support/demo-world.js';
import { seriousAxeViolations } from './support/axe.js';
import { clickNav } from './support/nav.js';

// The shell and the specialist's screens of the design system (docs/design-system.md): a header of one
// row (≤ 80 px on desktop, ≤ 64 px on a phone), the patient on clinical screens, no serious axe findings.
// With SCREENSHOTS=1 the pages are also saved to docs/screenshots/.

const bg = messages.bg;
const shots = process.env.SCREENSHOTS === '1';
const sizes = [
  { name: 'desktop', width: 1280, height: 800, header: 80 },
  { name: 'phone', width: 375, height: 812, header: 64 },
] as const;

async function check(page: Page, name: string, size: (typeof sizes)[number]) {
  await page.setViewportSize({ width: size.width, height: size.height });
  await page.getByRole('heading', { level: 1 }).first().waitFor();
  await page.waitForLoadState('networkidle').catch(() => undefined);
  const header = await page.getByRole('banner').boundingBox();
  expect(header?.height ?? 999, `${name} header at ${size.width}px`).toBeLessThanOrEqual(size.header);
  const widths = await page.evaluate(() => ({ content: document.documentElement.scrollWidth, viewport: document.documentElement.clientWidth }));
  expect(widths.content, `${name} overflows at ${size.width}px`).toBeLessThanOrEqual(widths.viewport);
  const violations = await seriousAxeViolations(page);
  expect(violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`), `${name} at ${size.width}px`).toEqual([]);
  if (shots) await page.screenshot({ path: `docs/screenshots/${name}-${size.name}.png`, fullPage: false });
}

describe('design system: header, patient banner, accessibility', () => {
  let world: DemoWorld;
  beforeAll(async () => {
    world = await openDemoWorld();
  }, 300_000);
  afterAll(async () => world?.close());

  it('anonymous pages: one-row header, no call to /me (no 401 in the console), no serious axe findings', async () => {
    const context = await world.browser.newContext();
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('console', (m) => (m.type() === 'error' ? errors.push(m.text()) : undefined));
    const meCalls: string[] = [];
    page.on('request', (r) => (new URL(r.url()).pathname === '/api/v1/me' ? meCalls.push(r.url()) : undefined));
    await page.goto(`${world.server.baseUrl}/`);
    for (const size of sizes) await check(page, 'home', size);
    expect(meCalls).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  }, 60_000);

  it("the specialist's worklist shows each patient and the gates; the header fits on desktop and phone", async () => {
    const page = await world.newSession(world.account('cardiologist@demo.distansia.bg'));
    await clickNav(page, bg['layout.nav.worklist']);
    await page.getByTestId('week-calendar').waitFor();
    for (const size of sizes) await check(page, 'worklist', size);
    // The patient menu items do not apply to a specialist.
    expect(await page.getByRole('link', { name: bg['gp.nav.mine'] }).count()).toBe(0);
  }, 90_000);

  it('the patient sees who accessed their data in sentences, without codes', async () => {
    const page = await world.newSession(world.account('patient'));
    await clickNav(page, bg['layout.nav.accessLog']);
    const list = page.locator('.access-log-entry').first();
    await list.waitFor();
    const text = (await page.locator('.access-log-list').textContent()) ?? '';
    expect(text).not.toMatch(/\b[a-z_]+\.[a-z_]+\b/);
    expect(text).not.toMatch(/request:|\bself\b/);
    expect(text).not.toMatch(/\d{2}:\d{2}:\d{2}/);
    for (const size of sizes) await check(page, 'access-log', size);
  }, 90_000);
});

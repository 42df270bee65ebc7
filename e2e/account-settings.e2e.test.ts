import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messages } from '../web/src/i18n/messages.js';
import { openDemoWorld, type DemoWorld } from './support/demo-world.js';
import { seriousAxeViolations } from './support/axe.js';
import { openAccountMenu } from './support/nav.js';

// The account page's notification language (PATCH /api/v1/me, docs/notifications.md#texts): reached from
// the account menu, saved, still chosen after a reload; no serious axe findings, no horizontal scrolling
// at 375 and 1280 px. With SCREENSHOTS=1 the section is saved to docs/screenshots/.

const bg = messages.bg;
const shots = process.env.SCREENSHOTS === '1';
const sizes = [
  { name: 'desktop', width: 1280, height: 800 },
  { name: 'phone', width: 375, height: 812 },
] as const;

async function check(page: Page, size: (typeof sizes)[number]) {
  await page.setViewportSize({ width: size.width, height: size.height });
  const section = page.getByRole('region', { name: bg['auth.notificationLang.title'] });
  await section.waitFor();
  await page.waitForLoadState('networkidle').catch(() => undefined);
  const widths = await page.evaluate(() => ({ content: document.documentElement.scrollWidth, viewport: document.documentElement.clientWidth }));
  expect(widths.content, `overflows at ${size.width}px`).toBeLessThanOrEqual(widths.viewport);
  const violations = await seriousAxeViolations(page);
  expect(violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`), `at ${size.width}px`).toEqual([]);
  if (shots) {
    await section.scrollIntoViewIfNeeded();
    await page.screenshot({ path: `docs/screenshots/notification-language-${size.name}.png`, fullPage: false });
  }
}

describe('account: the language of my e-mails and SMS', () => {
  let world: DemoWorld;
  beforeAll(async () => {
    world = await openDemoWorld();
  }, 300_000);
  afterAll(async () => world?.close());

  it('a patient chooses English for their messages from the account page; the choice stays after a reload', async () => {
    const page = await world.newSession(world.account('patient'));
    await openAccountMenu(page);
    await page.getByTestId('account-menu').getByRole('link', { name: bg['auth.sessions.link'] }).click();
    const section = page.getByRole('region', { name: bg['auth.notificationLang.title'] });
    await section.waitFor();
    expect(await section.getByRole('radio', { name: bg['auth.notificationLang.bg'] }).isChecked()).toBe(true);

    await section.getByRole('radio', { name: bg['auth.notificationLang.en'] }).check();
    await section.getByRole('button', { name: bg['auth.notificationLang.submit'] }).click();
    await expect.poll(async () => section.getByRole('status').textContent()).toBe(bg['auth.notificationLang.saved'].replace('{language}', bg['auth.notificationLang.en']));
    for (const size of sizes) await check(page, size);

    await page.reload();
    const again = page.getByRole('region', { name: bg['auth.notificationLang.title'] });
    await again.waitFor();
    expect(await again.getByRole('radio', { name: bg['auth.notificationLang.en'] }).isChecked()).toBe(true);
    // The interface itself stays in Bulgarian: the two languages are separate choices.
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('bg');
  }, 120_000);
});

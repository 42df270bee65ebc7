import { sql } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { openDemoWorld } from './support/demo-world.js';

// The main screens at 375 px (phone) and 1280 px (desktop) with Debian's Chromium, on the demo data.
// The web app must be built first: `npm run build:web && npx tsx e2e/screenshots.ts`.
// Viewport-sized, device scale 1, so the files stay small; look at each one before committing.

const OUT = new URL('../docs/screenshots/', import.meta.url).pathname;
const sizes = [
  { name: 'phone', viewport: { width: 375, height: 812 } },
  { name: 'desktop', viewport: { width: 1280, height: 800 } },
] as const;

const world = await openDemoWorld({ fakeMedia: true });
const base = world.server.baseUrl;

async function shoot(page: Page, name: string, path: string, ready?: (page: Page) => Promise<unknown>): Promise<void> {
  for (const size of sizes) {
    await page.setViewportSize(size.viewport);
    await page.goto(`${base}${path}`);
    await page.locator('main h1').first().waitFor({ timeout: 15_000 });
    await ready?.(page);
    // The skeletons have gone; images and fonts have settled.
    await page.waitForLoadState('networkidle');
    await page.waitForTimeout(300);
    await page.screenshot({ path: `${OUT}${name}-${size.name}.png` });
    console.log(`${name}-${size.name}.png`);
  }
}

async function firstHref(page: Page, path: string, selector: string): Promise<string | undefined> {
  await page.goto(`${base}${path}`);
  await page.locator('main h1').first().waitFor();
  await page.waitForLoadState('networkidle');
  const link = page.locator(selector).first();
  return (await link.count()) > 0 ? ((await link.getAttribute('href')) ?? undefined) : undefined;
}

try {
  const anonymous = await (await world.browser.newContext({ locale: 'bg-BG', timezoneId: 'Europe/Sofia' })).newPage();
  await shoot(anonymous, 'home', '/');
  await shoot(anonymous, 'directory', '/directory?specialty=1020&mode=synchronous');

  const patient = await world.newSession(world.account('patient'));
  await shoot(patient, 'booking', '/book');
  await shoot(patient, 'access-log', '/access-log');
  const request = await firstHref(patient, '/requests', 'main a[href^="/requests/"]');
  if (request) await shoot(patient, 'request', request);
  // The call's pre-join screen: a synchronous request of the demo patient that the specialist accepted.
  const me = await patient.evaluate(async () => (await (await fetch('/api/v1/me')).json()) as { patientId: string });
  const accepted = await world.server.deps.db.execute<{ id: string }>(sql`SELECT id FROM service_request
    WHERE patient_id = ${me.patientId} AND mode = 'synchronous' AND status IN ('accepted', 'scheduled', 'in_progress') ORDER BY created_at LIMIT 1`);
  const requestId = accepted.rows[0]?.id;
  if (requestId) {
    await patient.goto(`${base}/requests/${requestId}/consultation`);
    await patient.waitForURL(/\/consultations\/[0-9a-f-]{36}$/, { timeout: 15_000 }).then(
      () => shoot(patient, 'call-prejoin', new URL(patient.url()).pathname, (p) => p.getByTestId('recording-consent').waitFor()),
      () => console.log(`call-prejoin: not reachable (${patient.url()})`),
    );
  } else console.log('call-prejoin: the demo has no accepted synchronous request');

  const doctor = await world.newSession(world.account('specialist'));
  await shoot(doctor, 'worklist', '/worklist');
  const sheet = await firstHref(doctor, '/records/worklist', 'main a[href$="/sheet"]');
  if (sheet) await shoot(doctor, 'sheet-editor', sheet);

  const admin = await world.newSession(world.account('facility.admin@demo.distansia.bg'));
  await shoot(admin, 'admin', '/admin');
} finally {
  await world.close();
}

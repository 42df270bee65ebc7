import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messages } from '../web/src/i18n/messages.js';
import { DEMO_UNLISTED, unlistedEgn } from '../src/demo/demo.gp.js';
import { seriousAxeViolations } from './support/axe.js';
import { openDemoWorld, type DemoWorld } from './support/demo-world.js';
import { clickNav } from './support/nav.js';
import { expectText } from './support/expect-text.js';
import { pageApi } from './support/page-api.js';
import { shiftedClock } from './support/shifted-clock.js';

// The GP practice's desk in the browser (W8-W9, R-GP-01, R-GP-02, R-27, R-NHIF-01), on an injected clock:
// 30 June 2026 in Sofia is the last day of the June change window and 1 July the first day after it.
// With E2E_SCREENSHOT_DIR set, the desk screen is also captured at 375 and 1280 px.

const bg = messages.bg;
const clock = shiftedClock('2026-06-30T12:00:00Z'); // 15:00 in Sofia
const shots = process.env.E2E_SCREENSHOT_DIR ? resolve(process.env.E2E_SCREENSHOT_DIR) : undefined;
let world: DemoWorld;

beforeAll(async () => {
  world = await openDemoWorld({ clock });
}, 600_000);

afterAll(async () => {
  await world?.close();
});

type Presented = { identifierKind: string; identifier: string; givenName: string; familyName: string; birthDate: string };

/** Signs a desk in on a 375 px phone and opens the registration screen from the menu. */
async function openDesk(email: string): Promise<Page> {
  const page = await world.newSession(world.account(email), { phone: true });
  await page.setViewportSize({ width: 375, height: 812 });
  await clickNav(page, bg['gpDesk.nav']);
  await expectText(page.getByRole('heading', { level: 1 }), bg['gpDesk.title']);
  return page;
}

async function findPatient(page: Page, p: Presented): Promise<void> {
  const form = page.getByRole('form', { name: bg['gpDesk.find.title'] });
  await form.locator('select[name="identifierKind"]').selectOption(p.identifierKind);
  await form.locator('input[name="identifier"]').fill(p.identifier);
  await form.locator('input[name="givenName"]').fill(p.givenName);
  await form.locator('input[name="familyName"]').fill(p.familyName);
  await form.locator('input[name="birthDate"]').fill(p.birthDate);
  await form.getByRole('button', { name: bg['gpDesk.find.submit'] }).click();
}

type ListItem = { patientId: string; familyName: string; startsOn: string };

/** A GP's whole list (listed or left), read by the GP (a signed-in page) through the API. */
async function listOf(gp: Page, status: 'listed' | 'left'): Promise<ListItem[]> {
  const me = await pageApi<{ practitionerId: string }>(gp, 'GET', '/api/v1/me');
  const items: ListItem[] = [];
  for (let page = 1; ; page += 1) {
    const r = await pageApi<{ total: number; items: ListItem[] }>(gp, 'GET', `/api/v1/practitioners/${me.practitionerId}/patient-list?page=${page}&pageSize=100&status=${status}`);
    items.push(...r.items);
    if (page * 100 >= r.total) return items;
  }
}

async function expectAxeClean(page: Page): Promise<void> {
  expect(await seriousAxeViolations(page)).toEqual([]);
}

async function screenshot(page: Page, name: string): Promise<void> {
  if (!shots) return;
  await mkdir(shots, { recursive: true });
  for (const [size, width] of [['phone', 375], ['desktop', 1280]] as const) {
    await page.setViewportSize({ width, height: size === 'phone' ? 812 : 800 });
    // Viewport-sized like e2e/screenshots.ts, from what the desk checks: the facts, then the choice.
    await page.locator('.gp-desk-facts').evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await page.waitForTimeout(300);
    await page.screenshot({ path: `${shots}/${name}-${size}.png` });
  }
  await page.setViewportSize({ width: 375, height: 812 });
}

describe("the GP practice's desk (W8-W9)", () => {
  it('W8, R-GP-01, R-NHIF-01: the desk finds a person without a GP from the documents, sees the insurance status and lists them with the GP', async () => {
    const u = DEMO_UNLISTED[0];
    const presented = { identifierKind: 'egn', identifier: unlistedEgn(u), givenName: u.givenName, familyName: u.familyName, birthDate: u.birthDate };
    const desk = await openDesk('gp.desk@demo.distansia.bg');
    await expectAxeClean(desk);

    // An identifier with the wrong name finds nobody, in words.
    await findPatient(desk, { ...presented, familyName: 'Петрова' });
    await expectText(desk.locator('[data-problem-code="gp.patient_not_found"]'), bg['problem.gp.patient_not_found'], 'contains');

    await findPatient(desk, presented);
    await expectText(desk.locator('.gp-desk-facts'), bg['gpDesk.found.noGp'], 'contains');
    await expectText(desk.locator('[data-insurance="insured"]'), bg['gpDesk.insurance.insured'], 'contains');
    await expectText(desk.locator('.gp-desk-facts'), bg['gpDesk.found.windowOpen'].split('{')[0] ?? '', 'contains');
    const choice = desk.getByRole('form', { name: bg['gpDesk.choice.title'] });
    expect(await choice.locator('input[name="kind"][value="initial"]').isChecked()).toBe(true);
    await expectAxeClean(desk);
    await screenshot(desk, 'gp-desk');

    await choice.locator('input[name="choiceForm"]').check();
    await choice.getByRole('button', { name: bg['gpDesk.submit'] }).click();
    await expectText(desk.getByRole('status'), `${u.givenName} ${u.familyName} е в листата на Виктория Илиева`, 'contains');
    await expectAxeClean(desk);

    // on the GP's list from today.
    const gp = await world.newSession(world.account('gp@demo.distansia.bg'));
    expect((await listOf(gp, 'listed')).find((i) => i.familyName === u.familyName)).toMatchObject({ startsOn: '2026-06-30' });
  });

  it('W9, R-GP-02, R-27: a patient changes GP on 30 June: the old list loses them, the new one gains them; at 00:01 on 1 July a change is refused', async () => {
    clock.set('2026-06-30T20:45:00Z'); // 23:45 in Sofia; every session below starts after this jump
    const patient = await world.newSession(world.account('patient@demo.distansia.bg'));
    const { patientId } = await pageApi<{ patientId: string }>(patient, 'GET', '/api/v1/me');
    const record = await pageApi<Presented>(patient, 'GET', `/api/v1/patients/${patientId}`);
    const presented = { identifierKind: record.identifierKind, identifier: record.identifier, givenName: record.givenName, familyName: record.familyName, birthDate: record.birthDate };

    // The new practice (Plovdiv) enters the change from the form the patient brings (R-GP-06, R-GP-07).
    const plovdiv = await openDesk('gp.desk.plovdiv@demo.distansia.bg');
    await findPatient(plovdiv, presented);
    await expectText(plovdiv.locator('.gp-desk-facts'), 'Виктория Илиева', 'contains');
    const choice = plovdiv.getByRole('form', { name: bg['gpDesk.choice.title'] });
    expect(await choice.locator('input[name="kind"][value="permanent"]').isChecked()).toBe(true);
    await choice.locator('input[name="healthInsuranceBooklet"]').check();
    await choice.locator('input[name="choiceForm"]').check();
    await expectAxeClean(plovdiv);
    await choice.getByRole('button', { name: bg['gpDesk.submit'] }).click();
    await expectText(plovdiv.getByRole('status'), `${record.givenName} ${record.familyName} е в листата на Стефан Марков`, 'contains');

    // The patient sees the new GP; the old GP's list has them among those who left, the new one among the listed.
    await patient.goto(`${world.server.baseUrl}/my-gp`);
    await expectText(patient.locator('.gp-current'), 'Стефан Марков', 'contains');
    const oldGp = await world.newSession(world.account('gp@demo.distansia.bg'));
    const newGp = await world.newSession(world.account('gp.plovdiv@demo.distansia.bg'));
    expect((await listOf(oldGp, 'listed')).map((i) => i.patientId)).not.toContain(patientId);
    expect((await listOf(oldGp, 'left')).map((i) => i.patientId)).toContain(patientId);
    expect((await listOf(newGp, 'listed')).map((i) => i.patientId)).toContain(patientId);

    // 00:01 on 1 July in Sofia: the window has closed; the Sofia desk cannot take the patient back.
    clock.set('2026-06-30T21:01:00Z');
    const sofia = await openDesk('gp.desk@demo.distansia.bg');
    await findPatient(sofia, presented);
    await expectText(sofia.locator('.gp-desk-facts'), bg['gpDesk.found.windowClosed'].split('{')[0] ?? '', 'contains');
    const back = sofia.getByRole('form', { name: bg['gpDesk.choice.title'] });
    await back.locator('input[name="healthInsuranceBooklet"]').check();
    await back.locator('input[name="choiceForm"]').check();
    await back.getByRole('button', { name: bg['gpDesk.submit'] }).click();
    await expectText(sofia.locator('[data-problem-code="gp.change_window_closed"]'), bg['problem.gp.change_window_closed'], 'contains');
    await expectAxeClean(sofia);
    await screenshot(sofia, 'gp-desk-refused');
    expect((await listOf(newGp, 'listed')).map((i) => i.patientId)).toContain(patientId);
  });
});

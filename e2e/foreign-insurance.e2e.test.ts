import { sql } from 'drizzle-orm';
import { Temporal } from 'temporal-polyfill';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messages } from '../web/src/i18n/messages.js';
import { openDemoWorld, type DemoWorld } from './support/demo-world.js';
import { expectText } from './support/expect-text.js';

// W22, R-INS-01, R-INS-06, R-INS-11, R-PC-13: in Bulgarian, a foreign patient whose mandatory medical
// insurance expired yesterday (demo account) is told on the booking screen that NHIF-style care cannot be
// booked, records a new policy, and then books with the insurer paying; a patient with interrupted
// rights is shown the price and must accept it before booking.

const bg = messages.bg;
let world: DemoWorld;
let facilityName: string;

beforeAll(async () => {
  world = await openDemoWorld();
  // The facility whose real-time cardiology the NHIF pays (the demo publishes its paid price beside it).
  const r = await world.server.deps.db.execute<{ name: string }>(sql`SELECT f.name FROM facility_service s JOIN facility f ON f.id = s.facility_id
    WHERE s.nhif_paid AND s.status = 'published' AND s.specialty_code = '1020' AND s.mode = 'synchronous' ORDER BY f.id LIMIT 1`);
  facilityName = r.rows[0]?.name ?? '';
  expect(facilityName).not.toBe('');
}, 600_000);

afterAll(async () => {
  await world?.close();
});

/** Opens the booking screen, picks the NHIF-paid cardiology consultation and its first free time. */
async function chooseNhifTime(page: Awaited<ReturnType<DemoWorld['newSession']>>) {
  await page.goto(`${world.server.baseUrl}/book`);
  await page.getByLabel(bg['requests.book.specialty']).selectOption('1020');
  await page.locator('section[aria-labelledby="book-where"] a.book-choice').filter({ hasText: facilityName }).first().click();
  // The NHIF-paid service is "Видеоконсултация"; its paid twin is "Видеоконсултация (платена)".
  await page.locator('section[aria-labelledby="book-who"] a.book-choice').filter({ has: page.locator('span', { hasText: /^Видеоконсултация$/ }) }).first().click();
  await page.locator('[data-slot-id]').first().click();
}

describe("a foreigner's insurance at booking (W22, R-INS-01)", () => {
  it('R-INS-01, R-INS-06: an expired policy blocks the booking with a clear message; a new policy lets the insurer pay', async () => {
    const page = await world.newSession(world.account('foreigner.expired@demo.distansia.bg'));
    await chooseNhifTime(page);
    const alert = page.locator('[data-payment="refused"]');
    await alert.waitFor();
    const yesterday = Temporal.Now.plainDateISO('Europe/Sofia').subtract({ days: 1 }).toString();
    await expectText(alert, bg['insurance.pay.policyExpired'].replace('{date}', yesterday), 'contains');
    expect(await page.getByRole('button', { name: bg['book.submit'] }).isDisabled()).toBe(true);

    await alert.getByRole('link', { name: bg['insurance.pay.policyLink'] }).click();
    await expectText(page.getByRole('heading', { level: 1 }), bg['insurance.page.title']);
    await expectText(page.locator('[data-coverage]'), bg['insurance.foreign.expired'].replace('{date}', yesterday));
    const today = Temporal.Now.plainDateISO('Europe/Sofia');
    // A renewal concluded after the old policy expired is refused (R-INS-06): record it as a new policy.
    // (Fields by name: each label wraps its control, whose options would join the accessible name.)
    await page.locator('select[name="renews"]').selectOption('');
    await page.locator('input[name="insurer"]').fill('ЗАД „Армеец“ АД');
    await page.locator('input[name="policyNumber"]').fill('ZMZ-E2E-0001');
    await page.locator('input[name="concludedOn"]').fill(today.toString());
    await page.locator('input[name="startsOn"]').fill(today.toString());
    await page.locator('input[name="endsOn"]').fill(today.add({ days: 59 }).toString());
    await page.locator('input[name="sum"]').fill('30677.51');
    await page.locator('input[name="premium"]').fill('55');
    await page.getByRole('button', { name: bg['insurance.save'] }).click();
    await expectText(page.getByRole('status'), bg['insurance.saved']);
    await expectText(page.locator('[data-coverage]'), bg['insurance.foreign.covered'].replace('{date}', today.add({ days: 59 }).toString()));

    await chooseNhifTime(page);
    await page.locator('[data-payment="insurer"]').waitFor();
    await page.getByLabel(bg['book.phone']).fill('+359 88 765 4321');
    await page.getByRole('button', { name: bg['book.submit'] }).click();
    await expectText(page.getByRole('heading', { level: 1 }), bg['book.done.title']);
  });

  it('R-PC-13: interrupted rights: the price is shown and must be accepted before booking', async () => {
    const page = await world.newSession(world.account('patient2@demo.distansia.bg'));
    await chooseNhifTime(page);
    const notice = page.locator('[data-payment="self-pay"]');
    await notice.waitFor();
    await expectText(notice, '2026-07, 2026-08, 2026-09', 'contains');
    await expectText(notice, '45,00', 'contains');
    await page.getByLabel(bg['book.phone']).fill('+359 88 111 2233');
    const submit = page.getByRole('button', { name: bg['book.submit'] });
    expect(await submit.isDisabled()).toBe(true);
    await notice.getByRole('checkbox').check();
    await submit.click();
    await expectText(page.getByRole('heading', { level: 1 }), bg['book.done.title']);
  });
});

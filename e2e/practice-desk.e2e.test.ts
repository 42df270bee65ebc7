import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messages } from '../web/src/i18n/messages.js';
import { openDemoWorld, type DemoWorld } from './support/demo-world.js';
import { clickNav } from './support/nav.js';
import { expectText } from './support/expect-text.js';
import { gpPractice, pageApi } from './support/page-api.js';

// The practice's day in the browser (docs/practice.md): the front desk puts a walk-in in the queue
// (W19), the GP sees them (the visit closes the queue entry and assesses the fee, R-PC-12), the desk
// records the fee and the GP's monthly report for this month shows the visit.

const bg = messages.bg;

describe('front desk: walk-in, visit, fee, monthly report', () => {
  let world: DemoWorld;

  beforeAll(async () => {
    world = await openDemoWorld();
  }, 600_000);

  afterAll(async () => {
    await world?.close();
  });

  it('R-PC-02 / R-PC-12 / R-127: the desk queues an urgent walk-in, the GP records the visit, the desk takes the user fee, the report counts it', async () => {
    const gp = await world.newSession(world.account('gp@demo.distansia.bg'));
    const { facilityId, listed } = await gpPractice(gp, 50);
    // An adult (the user fee applies) other than the first listed patient (interrupted in the simulator).
    const patient = listed.slice(1).find((p) => p.birthDate < '1990-01-01');
    expect(patient).toBeTruthy();
    const patientId = patient?.patientId ?? '';

    const desk = await world.newSession(world.account('gp.desk@demo.distansia.bg'));
    await clickNav(desk, bg['practice.nav.desk']);
    await expectText(desk.getByRole('heading', { level: 1 }), bg['practice.desk.title']);
    const form = desk.locator('form').filter({ has: desk.getByRole('button', { name: bg['practice.desk.addToQueue'] }) });
    await form.getByLabel(bg['practice.desk.patientId'], { exact: true }).fill(patientId);
    await form.getByLabel(bg['practice.desk.priority'], { exact: true }).selectOption('urgent');
    await form.getByRole('button', { name: bg['practice.desk.addToQueue'] }).click();
    await desk.locator('li[data-priority="urgent"]').first().waitFor();

    const queue = await pageApi<{ items: { id: string; patientId: string }[] }>(gp, 'GET', `/api/v1/practices/${facilityId}/queue`);
    const entry = queue.items.find((e) => e.patientId === patientId);
    expect(entry).toBeTruthy();
    const visit = await pageApi<{ fee: { basis: string; due: { amount: string } | null } }>(gp, 'POST', `/api/v1/practices/${facilityId}/visits`, { patientId, kind: 'in_person', queueEntryId: entry?.id });
    expect(visit.fee.basis).toBe('user_fee');

    await desk.reload();
    await desk.getByRole('button', { name: bg['practice.desk.payCash'] }).first().click();
    await expectText(desk.locator('.ra-notice').first(), bg['practice.desk.paidNotice'].split('{')[0] ?? '', 'contains');
    expect(await desk.locator('li[data-priority="urgent"]').count()).toBe(0);

    await clickNav(gp, bg['practice.nav.report']);
    await expectText(gp.getByRole('heading', { level: 1 }), bg['practice.report.title']);
    // The server's month, from its clock: the browser may run on another one (support/browser.ts).
    const month = world.server.deps.clock.now().toZonedDateTimeISO('Europe/Sofia').toPlainDate().toString().slice(0, 7);
    await gp.getByLabel(bg['practice.report.month']).fill(month);
    await expectText(gp.locator('[data-figure="visits"]'), bg['practice.report.visits'].replace('{count}', '1'));
    await expectText(gp.locator('[data-figure="collected"]'), bg['practice.report.collected'].replace('{eur}', visit.fee.due?.amount ?? ''));
  }, 300_000);
});

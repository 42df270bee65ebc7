import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messages } from '../web/src/i18n/messages.js';
import { seriousAxeViolations } from './support/axe.js';
import { openDemoWorld, type DemoWorld } from './support/demo-world.js';
import { expectText } from './support/expect-text.js';
import { clickNav } from './support/nav.js';

// Sick leave, the ЛКК and TELK in the browser (docs/sick-leave.md), on the demo data (one server boot):
// the Sofia GP asks for 15 days on today's examination and is refused and routed to the ЛКК with a № 6
// (R-SL-01, R-SL-03), then issues 14 days signed with a fresh code; the commission's chair decides in a
// session and the member's signature puts the extension in force; the patient sees the certificates, the
// decision, the TELK clock and checklist; the GP's TELK preparation cannot complete with documents missing;
// the GP issues and cancels medical notices and the patient downloads one; the chair reads the monthly report.

const bg = messages.bg;
const GP = 'gp@demo.distansia.bg';
const day = (offset: number) => {
  const d = new Date(`${new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Sofia' }).format(new Date())}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + offset);
  return d.toISOString().slice(0, 10);
};

async function expectAxeClean(page: Page): Promise<void> {
  expect((await seriousAxeViolations(page)).map((v) => `${v.id}: ${v.help} ${JSON.stringify(v.nodes.map((n) => n.target))}`)).toEqual([]);
}

describe('sick leave, the ЛКК and TELK', () => {
  let world: DemoWorld;

  beforeAll(async () => {
    world = await openDemoWorld();
  }, 600_000);

  afterAll(async () => {
    await world?.close();
  });

  it('R-SL-01, R-SL-03: the GP sees the limits, 15 days are refused and routed to the ЛКК with a № 6; 14 days are issued with a fresh code', async () => {
    const gp = await world.newSession(world.account(GP));
    await clickNav(gp, bg['sickLeave.nav.issue']);
    await expectText(gp.getByRole('heading', { level: 1 }), bg['sickLeave.exams.title']);
    await expectAxeClean(gp);
    await gp.getByRole('link', { name: bg['sickLeave.exams.issue'], exact: true }).first().click();
    await expectText(gp.getByRole('heading', { level: 1 }), bg['sickLeave.issue.title']);
    await gp.getByTestId('patient-banner').waitFor();

    const field = (label: string) => gp.getByLabel(label, { exact: true });
    await field(bg['sickLeave.field.endOn']).fill(day(14));
    await expectText(gp.getByTestId('sl-counters'), bg['sickLeave.counters.over'], 'contains');
    await field(bg['sickLeave.field.diagnosis']).fill('J06.9');
    await field(bg['sickLeave.field.employerName']).fill('Лекс Консулт ЕООД');
    await field(bg['sickLeave.field.employerAddress']).fill('гр. София, ул. „Шипка“ 1');
    await field(bg['sickLeave.field.jobTitle']).fill('счетоводител');
    await field(bg['sickLeave.field.totp']).fill(await world.freshCode(world.account(GP)));
    await expectAxeClean(gp);
    await gp.getByRole('button', { name: bg['sickLeave.submit'] }).click();
    await expectText(gp.locator('[data-rule="R-SL-01"]'), bg['sickLeave.rule.R-SL-01']);
    await gp.getByRole('button', { name: bg['sickLeave.refused.route'] }).click();
    await expectText(gp.getByText(bg['sickLeave.routed']), bg['sickLeave.routed']);

    await field(bg['sickLeave.field.endOn']).fill(day(13));
    await field(bg['sickLeave.field.totp']).fill(await world.freshCode(world.account(GP)));
    await gp.getByRole('button', { name: bg['sickLeave.submit'] }).click();
    await expectText(gp.getByText(bg['sickLeave.issued'].replace('{count}', '1')), bg['sickLeave.issued'].replace('{count}', '1'));
    await expectAxeClean(gp);
  }, 300_000);

  it('the ЛКК: the chair opens a session and decides to extend; the protocol takes effect when the member signs', async () => {
    const chair = await world.newSession(world.account('lkk.chair@demo.distansia.bg'));
    await clickNav(chair, bg['sickLeave.nav.lkk']);
    await expectText(chair.getByRole('heading', { level: 1 }), bg['sickLeave.lkk.title']);
    await chair.getByRole('button', { name: bg['sickLeave.lkk.session'] }).click();
    const ours = chair.locator('.sl-case').filter({ hasText: 'J06.9' });
    // The GP has issued days 1-14 since routing: the commission extends by the 15th day.
    await ours.getByLabel(bg['sickLeave.field.startOn'], { exact: true }).fill(day(14));
    await ours.getByRole('button', { name: bg['sickLeave.lkk.decideAndSign'] }).click();
    await expectText(ours.getByText(bg['sickLeave.lkk.decided']), bg['sickLeave.lkk.decided']);
    await expectAxeClean(chair);

    const member = await world.newSession(world.account('lkk.member@demo.distansia.bg'));
    await clickNav(member, bg['sickLeave.nav.lkk']);
    await member.getByRole('button', { name: bg['sickLeave.lkk.sign'] }).click();
    await member.getByText(bg['sickLeave.lkk.empty']).waitFor();
    await expectAxeClean(member);
  }, 300_000);

  it('the patient sees the certificates (one by the ЛКК), the decision, the TELK clock and checklist, and prints a certificate', async () => {
    const patient = await world.newSession(world.account('patient@demo.distansia.bg'));
    await clickNav(patient, bg['sickLeave.nav.mine']);
    await expectText(patient.getByRole('heading', { level: 1 }), bg['sickLeave.mine.title']);
    const leaves = patient.getByTestId('my-sick-leaves').locator('.sl-case');
    // The demo's earlier certificate, the GP's 14 days and the ЛКК's 15th day.
    await expect.poll(() => leaves.count(), { timeout: 15_000 }).toBe(3);
    await expectText(patient.getByTestId('my-sick-leaves'), bg['sickLeave.mine.byLkk'], 'contains');
    await expectText(patient.getByTestId('telk-clock'), bg['sickLeave.telk.clock'].split('{')[0] ?? '', 'contains');
    await expectText(patient.getByTestId('telk-case'), bg['sickLeave.check.identity_document'], 'contains');
    await expectAxeClean(patient);
    const href = await leaves.first().getByRole('link', { name: bg['sickLeave.pdf'] }).getAttribute('href');
    const pdf = await patient.request.get(`${world.server.baseUrl}${href ?? ''}`);
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()['content-type']).toBe('application/pdf');
  }, 300_000);

  it('R-TELK-10: the GP starts a TELK preparation; with documents missing it cannot be completed', async () => {
    const gp = await world.newSession(world.account(GP));
    await gp.goto(`${world.server.baseUrl}/sick-leave`);
    await gp.getByRole('button', { name: bg['sickLeave.exams.telk'] }).first().click();
    await expectText(gp.getByRole('heading', { level: 1 }), bg['sickLeave.telk.title']);
    await gp.getByTestId('telk-clock').waitFor();
    await gp.getByRole('button', { name: bg['sickLeave.telk.complete'] }).click();
    await expectText(gp.locator('.ra-problem, [role="alert"]').first(), 'ТЕЛК', 'contains');
    await expectAxeClean(gp);
  }, 300_000);

  it('R-EXP-05: the GP issues a medical notice for work on today’s examination on a 375 px phone; the patient downloads it', async () => {
    const gp = await world.newSession(world.account(GP));
    await gp.setViewportSize({ width: 375, height: 812 });
    await gp.goto(`${world.server.baseUrl}/sick-leave`);
    await gp.getByRole('link', { name: bg['sickLeave.exams.notice'], exact: true }).first().click();
    await expectText(gp.getByRole('heading', { level: 1 }), bg['sickLeave.notice.title']);
    await gp.getByTestId('patient-banner').waitFor();
    await gp.getByLabel(bg['sickLeave.notice.purpose'], { exact: true }).selectOption('work');
    await gp.getByLabel(bg['sickLeave.notice.text'], { exact: true }).fill('Клинично здрав. Годен за работа.');
    await expectAxeClean(gp);
    await gp.getByRole('button', { name: bg['sickLeave.notice.submit'] }).click();
    await expectText(gp.getByText(bg['sickLeave.notice.issued']), bg['sickLeave.notice.issued']);
    const mine = gp.getByTestId('doctor-notices').locator('li');
    await expectText(mine.first(), bg['sickLeave.purpose.work'], 'contains');
    await expectAxeClean(gp);
    // The doctor cancels the demo's older notice with a reason (NHIS C045).
    const older = mine.filter({ hasText: bg['sickLeave.purpose.sport'] });
    await older.getByRole('button', { name: bg['sickLeave.notice.cancel'] }).click();
    await older.getByLabel(bg['sickLeave.notice.cancelReason'], { exact: true }).fill('Издадена по грешка');
    await older.getByRole('button', { name: bg['sickLeave.notice.cancelConfirm'] }).click();
    await expectText(gp.getByTestId('doctor-notices').locator('li').filter({ hasText: bg['sickLeave.purpose.sport'] }), bg['sickLeave.mine.cancelled'], 'contains');
    await expectAxeClean(gp);

    const patient = await world.newSession(world.account('patient@demo.distansia.bg'));
    await patient.setViewportSize({ width: 375, height: 812 });
    await patient.goto(`${world.server.baseUrl}/my-sick-leaves`);
    const link = patient.getByRole('link', { name: bg['sickLeave.notice.pdf'] }).first();
    await link.waitFor();
    await expectAxeClean(patient);
    const pdf = await patient.request.get(`${world.server.baseUrl}${(await link.getAttribute('href')) ?? ''}`);
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()['content-type']).toBe('application/pdf');
  }, 300_000);

  it('R-133: the ЛКК chair reads this month’s report with the protocols on a 375 px phone and prints it; a member has no report', async () => {
    const chair = await world.newSession(world.account('lkk.chair@demo.distansia.bg'));
    await chair.setViewportSize({ width: 375, height: 812 });
    await clickNav(chair, bg['sickLeave.nav.lkk']);
    await chair.getByRole('link', { name: bg['sickLeave.report.link'] }).click();
    await expectText(chair.getByRole('heading', { level: 1 }), bg['sickLeave.report.title']);
    const report = chair.getByTestId('lkk-report');
    await expectText(report, 'M54.5', 'contains');
    await expectText(report, bg['sickLeave.lkk.extend'], 'contains');
    await expectAxeClean(chair);
    const href = await chair.getByRole('link', { name: bg['sickLeave.report.pdf'] }).getAttribute('href');
    const pdf = await chair.request.get(`${world.server.baseUrl}${href ?? ''}`);
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()['content-type']).toBe('application/pdf');

    const member = await world.newSession(world.account('lkk.member@demo.distansia.bg'));
    await member.goto(`${world.server.baseUrl}/lkk/report`);
    await expectText(member.getByText(bg['sickLeave.report.notChair']), bg['sickLeave.report.notChair']);
  }, 300_000);
});

import { mkdir } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { messages } from '../web/src/i18n/messages.js';
import { openDemoWorld } from './support/demo-world.js';
import { pageApi } from './support/page-api.js';

// Screenshots of the sick-leave screens at 375 and 1280 px on the demo data (docs/sick-leave.md#screens):
// `npm run build:web && SHOTS=/tmp/shots npx tsx e2e/screenshots-sick-leave.ts`; the chosen ones go to docs/screenshots/.

const bg = messages.bg;
const out = process.env.SHOTS ?? '/tmp/sickui-shots';
async function shot(page: Page, name: string) {
  for (const width of [375, 1280]) {
    await page.setViewportSize({ width, height: width === 375 ? 812 : 900 });
    await page.waitForTimeout(300);
    await page.screenshot({ path: `${out}/${name}-${width}.png`, fullPage: true });
  }
}
await mkdir(out, { recursive: true });
const world = await openDemoWorld();
try {
  const gp = await world.newSession(world.account('gp@demo.distansia.bg'));
  await gp.goto(`${world.server.baseUrl}/sick-leave`);
  await gp.getByRole('heading', { level: 1 }).waitFor();
  await gp.waitForTimeout(800);
  await shot(gp, 'sick-leave-examinations');
  const exams = await pageApi<{ items: { encounterId: string }[] }>(gp, 'GET', '/api/v1/sick-leave/examinations');
  await gp.goto(`${world.server.baseUrl}/sick-leave/issue/${exams.items[0]?.encounterId}`);
  await gp.getByTestId('patient-banner').waitFor();
  const d = new Date();
  d.setUTCDate(d.getUTCDate() + 14);
  await gp.getByLabel(bg['sickLeave.field.endOn'], { exact: true }).fill(d.toISOString().slice(0, 10));
  await gp.getByLabel(bg['sickLeave.field.diagnosis'], { exact: true }).fill('J06.9');
  await gp.getByLabel(bg['sickLeave.field.employerName'], { exact: true }).fill('Лекс Консулт ЕООД');
  await gp.getByLabel(bg['sickLeave.field.employerAddress'], { exact: true }).fill('гр. София, ул. „Шипка“ 1');
  await gp.getByLabel(bg['sickLeave.field.jobTitle'], { exact: true }).fill('счетоводител');
  await gp.getByLabel(bg['sickLeave.field.totp'], { exact: true }).fill(await world.freshCode(world.account('gp@demo.distansia.bg')));
  await gp.getByTestId('sl-counters').waitFor();
  await gp.getByRole('button', { name: bg['sickLeave.submit'] }).click();
  await gp.getByRole('button', { name: bg['sickLeave.refused.route'] }).waitFor();
  await shot(gp, 'sick-leave-refused');
  await gp.getByRole('button', { name: bg['sickLeave.refused.route'] }).click();
  await gp.getByText(bg['sickLeave.routed']).first().waitFor({ timeout: 15000 }).catch(() => undefined);
  await shot(gp, 'sick-leave-routed');
  const chair = await world.newSession(world.account('lkk.chair@demo.distansia.bg'));
  await chair.goto(`${world.server.baseUrl}/lkk`);
  await chair.getByRole('heading', { level: 1 }).waitFor();
  await chair.waitForTimeout(1000);
  await shot(chair, 'lkk-before-session');
  await chair.getByRole('button', { name: bg['sickLeave.lkk.session'] }).click().catch(() => undefined);
  await chair.waitForTimeout(1000);
  await shot(chair, 'lkk-session');
  await chair.locator('.sl-case').filter({ hasText: 'J06.9' }).getByRole('button', { name: bg['sickLeave.lkk.decideAndSign'] }).click();
  await chair.getByText(bg['sickLeave.lkk.decided']).waitFor();
  await shot(chair, 'lkk-decided');
  const patient = await world.newSession(world.account('patient@demo.distansia.bg'));
  await patient.goto(`${world.server.baseUrl}/my-sick-leaves`);
  await patient.getByTestId('my-sick-leaves').waitFor();
  await patient.waitForTimeout(800);
  await shot(patient, 'my-sick-leaves');
  await gp.goto(`${world.server.baseUrl}/sick-leave`);
  await gp.getByRole('button', { name: bg['sickLeave.exams.telk'] }).first().click();
  await gp.getByTestId('telk-clock').waitFor();
  await shot(gp, 'telk-preparation');
  await gp.goto(`${world.server.baseUrl}/sick-leave/notice/${exams.items[0]?.encounterId}`);
  await gp.getByTestId('patient-banner').waitFor();
  await gp.getByTestId('doctor-notices').waitFor();
  await gp.getByLabel(bg['sickLeave.notice.text'], { exact: true }).fill('Клинично здрав. Може да тренира плуване без ограничения.');
  await shot(gp, 'medical-notice');
  await chair.goto(`${world.server.baseUrl}/lkk/report`);
  await chair.getByTestId('lkk-report').waitFor();
  await shot(chair, 'lkk-monthly-report');
} finally {
  await world.close();
}

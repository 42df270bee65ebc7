import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { messages } from '../web/src/i18n/messages.js';
import { seriousAxeViolations } from './support/axe.js';
import { openDemoWorld, type DemoWorld } from './support/demo-world.js';
import { clickNav } from './support/nav.js';
import { expectText } from './support/expect-text.js';
import { gpPractice, pageApi } from './support/page-api.js';

// Personal data at a GP practice (W25, docs/practice.md#personal-data-the-art-30-register-and-data-subject-requests):
// the practice's administrator, on a 375 px phone, adds an activity to the GDPR Art. 30 register and answers a
// patient's request for access (Art. 15) within the Art. 12(3) month; axe finds nothing serious on the way.

const bg = messages.bg;
const SHOTS = new URL('../docs/screenshots/', import.meta.url).pathname;

async function axeClean(page: Page): Promise<void> {
  const violations = await seriousAxeViolations(page);
  expect(violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([]);
}

describe('personal data: the Art. 30 register and data-subject requests', () => {
  let world: DemoWorld;

  beforeAll(async () => {
    world = await openDemoWorld();
  }, 600_000);

  afterAll(async () => {
    await world?.close();
  });

  it('R-DATA / GDPR Art. 30, 12(3), 15: the administrator records an activity and answers a request for access, at 375 px', async () => {
    const gp = await world.newSession(world.account('gp@demo.distansia.bg'));
    const { facilityId, listed } = await gpPractice(gp, 5);
    const patientId = listed[0]?.patientId ?? '';
    // A paper request the practice received: the desk records it on the patient's behalf.
    await pageApi(gp, 'POST', `/api/v1/practices/${facilityId}/data-subject-requests`, { patientId, right: 'access', details: 'Моля за копие на всички данни, които практиката пази за мен.' });

    const admin = await world.newSession(world.account('gp.admin@demo.distansia.bg'), { phone: true });
    await admin.setViewportSize({ width: 375, height: 812 });
    await clickNav(admin, bg['pdata.nav']);
    await expectText(admin.getByRole('heading', { level: 1 }), bg['pdata.title']);
    await admin.locator('li[data-request="received"]').first().waitFor();
    await axeClean(admin);

    // The register: one activity, through the form.
    await admin.getByText(bg['pdata.register.add'], { exact: true }).first().click();
    const form = admin.locator('details form');
    await form.getByLabel(bg['pdata.field.name'], { exact: true }).fill('Водене на амбулаторни листове');
    await form.getByLabel(bg['pdata.field.purpose'], { exact: true }).fill('Медицинска помощ и отчитане към НЗОК');
    await form.getByLabel(bg['pdata.field.legalBasis'], { exact: true }).selectOption('health_care');
    await form.getByLabel(bg['pdata.field.subjects'], { exact: true }).fill('Пациенти\nПредставители на пациенти');
    await form.getByLabel(bg['pdata.field.data'], { exact: true }).fill('Имена и ЕГН\nЗдравни данни');
    await form.getByLabel(bg['pdata.field.recipients'], { exact: true }).fill('НЗОК/РЗОК\nНЗИС');
    await form.getByLabel(bg['pdata.field.retention'], { exact: true }).fill('10 години от последния запис');
    await form.getByLabel(bg['pdata.field.security'], { exact: true }).fill('Криптиране, двуфакторно влизане, одитна следа');
    await form.getByLabel(bg['pdata.field.validFrom'], { exact: true }).fill('2026-01-01');
    await form.getByRole('button', { name: bg['pdata.register.add'] }).click();
    await expectText(admin.getByRole('heading', { level: 3, name: 'Водене на амбулаторни листове' }), 'Водене на амбулаторни листове');
    await expectText(admin.locator('main'), bg['pdata.basis.health_care'], 'contains');

    // The request: answered within the month.
    const request = admin.locator('li[data-request="received"]').first();
    await request.getByLabel(bg['pdata.requests.action'], { exact: true }).selectOption('complete');
    await request.getByLabel(bg['pdata.requests.answer'], { exact: true }).fill('Копието е предадено лично срещу подпис.');
    await request.getByRole('button', { name: bg['pdata.requests.send'] }).click();
    await admin.locator('li[data-request="completed"]').first().waitFor();
    await expectText(admin.locator('li[data-request="completed"]').first(), bg['pdata.status.completed'], 'contains');
    // Words, not codes: no legal-basis or status code on the screen.
    const text = await admin.locator('main').innerText();
    for (const code of ['health_care', 'received', 'completed', 'access']) expect(text).not.toMatch(new RegExp(`\\b${code}\\b`));
    await axeClean(admin);

    for (const [name, width, height] of [['phone', 375, 812], ['desktop', 1280, 800]] as const) {
      await admin.setViewportSize({ width, height });
      await admin.evaluate(() => window.scrollTo(0, 0));
      await admin.waitForTimeout(200);
      await admin.screenshot({ path: `${SHOTS}practice-personal-data-${name}.png` });
    }
  }, 300_000);
});

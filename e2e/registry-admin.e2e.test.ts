import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messages } from '../web/src/i18n/messages.js';
import { openDemoWorld, type DemoWorld } from './support/demo-world.js';
import { expectText } from './support/expect-text.js';
import { expectFitsViewport } from './support/phone.js';
import { clickNav } from './support/nav.js';
import { seriousAxeViolations } from './support/axe.js';
import { shot } from './support/shots.js';
import { systemCtx } from '../src/platform/auth/request-context.js';

// The registry administration in the browser. A facility administrator publishes a new service
// with a weekly schedule and the public directory then offers its free slots (Art. 15, R-TM-32; the Art. 16
// warning R-TM-33 is shown because the demo cardiologist already has a daily schedule); a coordinator
// creates a telemedicine centre that cannot be activated until its Art. 5(4) contract is complete (R-TM-21).
// Both at 375 px.

const bg = messages.bg;
const phone = { width: 375, height: 812 };


/** The form whose submit button has this name. */
function formWith(page: Page, button: string): Locator {
  return page.locator('form').filter({ has: page.getByRole('button', { name: button, exact: true }) });
}

async function openAdmin(page: Page): Promise<void> {
  await page.setViewportSize(phone);
  await clickNav(page, bg['registryAdmin.nav.admin']);
  await expectText(page.getByRole('heading', { level: 1 }), bg['registryAdmin.home.title']);
}

describe('registry administration', () => {
  let world: DemoWorld;

  beforeAll(async () => {
    world = await openDemoWorld();
  });

  afterAll(async () => {
    await world?.close();
  });

  it('R-TM-32, R-TM-33: the facility administrator creates and publishes a service and a weekly schedule; the public directory shows it with free slots', async () => {
    const page = await world.newSession(world.account('facility.admin@demo.distansia.bg'));
    await openAdmin(page);
    const facilityLink = page.locator('.ra-card__title a').first();
    const facilityName = ((await facilityLink.textContent()) ?? '').trim();
    await facilityLink.click();
    await expectText(page.getByRole('heading', { level: 1 }), facilityName, 'contains');
    const facilityId = /\/admin\/facilities\/([0-9a-f-]{36})/.exec(page.url())?.[1] ?? '';
    expect(facilityId).not.toBe('');
    const sections = page.getByRole('navigation', { name: bg['registryAdmin.facility.sections'] });

    // The cardiologist of this facility (the demo cardiologist), named as the specialists section lists them.
    await sections.getByRole('link', { name: bg['registryAdmin.tab.specialists'] }).click();
    const cardiologist = page.locator('li.ra-card').filter({ hasText: 'Кардиология' }).first();
    await cardiologist.waitFor();
    const specialistName = ((await cardiologist.getByRole('heading', { level: 3 }).textContent()) ?? '').trim();
    expect(specialistName).not.toBe('');
    await expectFitsViewport(page);

    // A new draft service, then published.
    // Unique per attempt: a retried journey runs against the same server.
    const serviceName = `Контролен преглед по кардиология ${Date.now() % 1_000_000}`;
    await sections.getByRole('link', { name: bg['registryAdmin.tab.services'] }).click();
    const create = formWith(page, bg['registryAdmin.svc.create']);
    await create.getByLabel(bg['registryAdmin.svc.specialty']).locator('option[value="1020"]').waitFor({ state: 'attached' });
    await create.getByLabel(bg['registryAdmin.svc.specialty']).selectOption('1020');
    await create.getByLabel(bg['registryAdmin.svc.kind']).selectOption('follow_up');
    await create.getByLabel(bg['registryAdmin.svc.name']).fill(serviceName);
    await create.getByLabel(bg['registryAdmin.svc.description']).fill('Проследяване след лечение: резултати, терапия и следващи стъпки по видео.');
    await create.getByLabel(bg['registryAdmin.svc.mode.synchronous']).check();
    await create.getByLabel(bg['registryAdmin.svc.minutes']).fill('30');
    await create.getByLabel(bg['registryAdmin.svc.price']).fill('40');
    await create.getByRole('button', { name: bg['registryAdmin.svc.create'] }).click();
    const card = page.locator('li.ra-card').filter({ has: page.getByRole('heading', { name: serviceName }) });
    await expectText(card.locator('.ra-badge'), bg['registryAdmin.svc.status.draft']);
    await card.getByRole('button', { name: `${bg['registryAdmin.svc.publish']}: ${serviceName}` }).click();
    await expectText(card.locator('.ra-badge'), bg['registryAdmin.svc.status.published']);
    await expectFitsViewport(page);

    // A weekly schedule every day 08:00-20:00 for it.
    await sections.getByRole('link', { name: bg['registryAdmin.tab.schedules'] }).click();
    const schedule = formWith(page, bg['registryAdmin.sch.publish']);
    await schedule.getByLabel(bg['registryAdmin.sch.practitioner']).selectOption({ label: specialistName });
    await schedule.getByLabel(bg['registryAdmin.sch.service']).selectOption({ label: `${serviceName} (${bg['registryAdmin.svc.status.published']})` });
    const firstRule = schedule.locator('fieldset.ra-rule-row').first();
    await firstRule.getByLabel(bg['registryAdmin.sch.start']).fill('08:00');
    await firstRule.getByLabel(bg['registryAdmin.sch.end']).fill('20:00');
    for (let i = 0; i < 6; i += 1) await schedule.getByRole('button', { name: bg['registryAdmin.sch.addRule'] }).click();
    expect(await schedule.locator('fieldset.ra-rule-row').count()).toBe(7);
    await schedule.getByRole('button', { name: bg['registryAdmin.sch.publish'] }).click();
    const published = schedule.locator('.ra-notice');
    await expectText(published, bg['registryAdmin.sch.publishedNotice'].split('{count}')[0] ?? '', 'contains');
    const freeSlots = Number(/(\d+)/.exec((await published.textContent()) ?? '')?.[1] ?? 0);
    expect(freeSlots).toBeGreaterThan(0);
    // Art. 16: the cardiologist's daily demo schedule and this one take the same hours.
    const warnings = schedule.locator('.ra-warnings[data-rule="R-TM-33"]');
    await expectText(warnings, bg['registryAdmin.warn.title'], 'contains');
    await expectText(warnings, specialistName, 'contains');
    await expectFitsViewport(page);
    await page.screenshot({ path: '/tmp/registry-admin-schedule-375.png', fullPage: false });

    // Art. 24 (R-TM-34): the new service and hours went to the NHIS database of telemedicine facilities
    // through the outbox; the status section says so in words.
    await world.server.deps.outbox.drain();
    const system = systemCtx('e2e.registry-admin');
    const { number } = await world.server.deps.registry.getFacility(system, facilityId);
    const serviceId = (await world.server.deps.registry.listServices(system, facilityId)).items.find((s) => s.name === serviceName)?.id;
    expect(world.server.deps.nhisDirectorySimulator.entries().get(number)?.services.map((s) => s.id)).toContain(serviceId);
    await page.goto(`${world.server.baseUrl}/admin/facilities/${facilityId}/status`);
    const nhis = page.locator('section[aria-labelledby="ra-nhis"]');
    await expectText(nhis.locator('.ra-badge'), bg['registryAdmin.nhis.status.registered']);
    await expectText(nhis, bg['registryAdmin.nhis.upToDate'], 'contains');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await expectFitsViewport(page);
    await shot(page, 'nhis-registration');

    // The public directory, without signing in.
    const visitor = await world.browser.newContext({ viewport: phone, isMobile: true, hasTouch: true, locale: 'bg-BG', timezoneId: 'Europe/Sofia' });
    try {
      const pub = await visitor.newPage();
      await pub.goto(`${world.server.baseUrl}/directory/facilities/${facilityId}`);
      await expectText(pub.getByRole('heading', { level: 1 }), facilityName);
      await expectText(pub.locator('.service-list'), serviceName, 'contains');
      const offer = pub.locator('.specialist-service').filter({ has: pub.getByRole('heading', { name: serviceName }) });
      await offer.getByRole('button', { name: bg['directory.slots.show'].replace('{days}', '7') }).click();
      await offer.locator('.slot-list .slot-chip time').first().waitFor();
      expect(await offer.locator('.slot-list .slot-chip time').count()).toBeGreaterThan(0);
      await expectFitsViewport(pub);
    } finally {
      await visitor.close();
    }
  });

  it('R-TM-21: the coordinator sees what a new centre contract lacks and can activate it only once it is complete', async () => {
    const page = await world.newSession(world.account('coordinator@demo.distansia.bg'));
    await openAdmin(page);
    await page.getByRole('link', { name: bg['registryAdmin.home.centresLink'] }).click();
    await expectText(page.getByRole('heading', { level: 1 }), bg['registryAdmin.centres.title']);
    // The demo centres are complete and active; this journey creates a new one.
    await page.locator('li.ra-card').first().waitFor();
    await expectFitsViewport(page);

    const centreName = `Център за медицинска помощ от разстояние „Север“ ${Date.now() % 1_000_000}`;
    const create = formWith(page, bg['registryAdmin.centres.create']);
    await create.getByLabel(bg['registryAdmin.centre.name']).fill(centreName);
    await create.getByRole('button', { name: bg['registryAdmin.centres.create'] }).click();
    await expectText(page.getByRole('heading', { level: 1 }), centreName, 'contains');

    const state = page.locator('section.ra-panel');
    await expectText(state.getByRole('heading', { level: 2 }), bg['registryAdmin.centre.missing.title']);
    for (const item of ['head', 'contract_reference', 'members']) await state.locator(`:scope > .ra-missing > li[data-missing="${item}"]`).first().waitFor();

    // Activation is refused while the contract is incomplete.
    await state.getByRole('button', { name: bg['registryAdmin.centre.activate'] }).click();
    await expectText(state.locator('.ra-rule[data-rule="R-TM-21"]'), bg['registryAdmin.rule.R-TM-21'], 'contains');
    await expectText(page.locator('h1 .ra-badge'), bg['registryAdmin.centre.status.draft']);
    await expectFitsViewport(page);
    await page.screenshot({ path: '/tmp/registry-admin-centre-missing-375.png', fullPage: false });

    // The contract: number and functional head.
    const contract = formWith(page, bg['registryAdmin.centre.saveContract']);
    await contract.getByLabel(bg['registryAdmin.centre.contractReference']).fill('Договор по чл. 95, ал. 1, т. 1 ЗЛЗ № 99/2026');
    await contract.getByLabel(bg['registryAdmin.centre.headName']).fill('Д-р Петя Стоянова');
    await contract.getByRole('button', { name: bg['registryAdmin.centre.saveContract'] }).click();
    await expectText(page.locator('.ra-notice').first(), bg['registryAdmin.centre.contractSaved']);
    await expectText(state.locator(':scope > .ra-missing'), bg['registryAdmin.centre.missing.members'], 'contains');
    expect(await state.locator(':scope > .ra-missing > li[data-missing="head"]').count()).toBe(0);

    // Two members: the first complete, the second still without rights, obligations and structures.
    const addMember = async (facilityLabel: string, rights: string, structure?: { name: string; specialty: string }) => {
      const form = formWith(page, bg['registryAdmin.centre.addMemberSubmit']);
      await form.getByLabel(bg['registryAdmin.centre.memberFacility']).selectOption({ label: facilityLabel });
      await form.getByLabel(bg['registryAdmin.centre.rights']).fill(rights);
      if (structure) {
        await form.getByRole('button', { name: bg['registryAdmin.centre.addStructure'] }).click();
        await form.getByLabel(bg['registryAdmin.centre.structure'], { exact: true }).fill(structure.name);
        await form.getByLabel(bg['registryAdmin.centre.specialty'], { exact: true }).selectOption(structure.specialty);
      }
      await form.getByRole('button', { name: bg['registryAdmin.centre.addMemberSubmit'] }).click();
    };
    const members = page.locator('section').filter({ has: page.getByRole('heading', { level: 2, name: bg['registryAdmin.centre.members'] }) });
    await members.getByLabel(bg['registryAdmin.centre.memberFacility']).locator('option', { hasText: 'ДКЦ „Люлин“' }).waitFor({ state: 'attached' });
    await addMember('ДКЦ „Люлин“ – София', 'Осигурява кардиолози по графика на центъра.', { name: 'Кардиологичен кабинет', specialty: '1020' });
    await members.getByRole('heading', { level: 3, name: 'ДКЦ „Люлин“' }).waitFor();
    await addMember('МЦ „Витоша Мед“ – София', '');
    await members.getByRole('heading', { level: 3, name: 'МЦ „Витоша Мед“' }).waitFor();
    await expectText(state.locator(':scope > .ra-missing'), bg['registryAdmin.centre.missing.rights_obligations'].replace('{facility}', 'МЦ „Витоша Мед“'), 'contains');
    await expectText(state.locator(':scope > .ra-missing'), bg['registryAdmin.centre.missing.structures'].replace('{facility}', 'МЦ „Витоша Мед“'), 'contains');
    expect(await state.locator(':scope > .ra-missing > li[data-missing="members"]').count()).toBe(0);

    await state.getByRole('button', { name: bg['registryAdmin.centre.activate'] }).click();
    await expectText(state.locator('.ra-problem .ra-rule[data-rule="R-TM-21"]'), bg['registryAdmin.rule.R-TM-21'], 'contains');
    expect(await state.locator(':scope > .ra-missing > li').count()).toBe(2);
    await expectText(page.locator('h1 .ra-badge'), bg['registryAdmin.centre.status.draft']);

    // Fill the second member, then the centre activates.
    const second = members.locator('li.ra-card').filter({ has: page.getByRole('heading', { level: 3, name: 'МЦ „Витоша Мед“' }) });
    await second.getByRole('button', { name: `${bg['registryAdmin.common.edit']}: МЦ „Витоша Мед“` }).click();
    await second.getByLabel(bg['registryAdmin.centre.rights']).fill('Осигурява невролози и приема спешни консултации по договора.');
    await second.getByRole('button', { name: bg['registryAdmin.centre.addStructure'] }).click();
    await second.getByLabel(bg['registryAdmin.centre.structure'], { exact: true }).fill('Неврологичен кабинет');
    await second.getByLabel(bg['registryAdmin.centre.specialty'], { exact: true }).selectOption('1004');
    await second.getByRole('button', { name: bg['registryAdmin.common.save'] }).click();
    await expectText(state.getByRole('heading', { level: 2 }), bg['registryAdmin.centre.completeTitle']);

    await state.getByRole('button', { name: bg['registryAdmin.centre.activate'] }).click();
    await expectText(page.locator('h1 .ra-badge'), bg['registryAdmin.centre.status.active']);
    await expectText(state.locator('.ra-notice'), bg['registryAdmin.centre.activated']);
    await expectFitsViewport(page);
  });

  it("the facility administrator registers an information system, sees its secret once, and revokes it; the system's token works until then", async () => {
    const page = await world.newSession(world.account('facility.admin@demo.distansia.bg'));
    await openAdmin(page);
    await page.locator('.ra-card__title a').first().click();
    const sections = page.getByRole('navigation', { name: bg['registryAdmin.facility.sections'] });
    await sections.getByRole('link', { name: bg['registryAdmin.tab.systems'] }).click();
    await expectText(page.getByRole('heading', { level: 2 }).first(), bg['registryAdmin.tab.systems']);
    const form = formWith(page, bg['registryAdmin.systems.register']);
    await form.getByLabel(bg['registryAdmin.systems.name']).fill('Болнична система „Хипократ“');
    await form.getByRole('button', { name: bg['registryAdmin.systems.register'] }).click();
    const secret = ((await page.getByTestId('client-secret').textContent()) ?? '').trim();
    expect(secret).toMatch(/^[\w-]{43}$/);
    const clientId = ((await page.locator('.ra-secret dd code').first().textContent()) ?? '').trim();
    await expectFitsViewport(page);
    expect(await seriousAxeViolations(page)).toEqual([]);

    const token = async () =>
      fetch(`${world.server.baseUrl}/oauth/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: secret }).toString() });
    expect((await token()).status).toBe(200);

    // Shown once: after "saved" the secret is gone from the page and the list holds the system.
    await page.getByRole('button', { name: bg['registryAdmin.systems.secretSaved'] }).click();
    expect(await page.getByTestId('client-secret').count()).toBe(0);
    const card = page.locator('li.ra-card').filter({ hasText: 'Болнична система „Хипократ“' });
    await card.getByRole('button', { name: `${bg['registryAdmin.systems.revoke']}: Болнична система „Хипократ“` }).click();
    await page.getByRole('dialog').getByRole('button', { name: bg['registryAdmin.systems.revoke'] }).click();
    await expectText(card.locator('.ra-badge'), bg['registryAdmin.systems.state.revoked']);
    expect((await token()).status).toBe(401);
  });
});

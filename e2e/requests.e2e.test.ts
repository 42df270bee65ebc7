import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messages } from '../web/src/i18n/messages.js';
import { openDemoWorld, type DemoAccount, type DemoWorld } from './support/demo-world.js';
import { expectText } from './support/expect-text.js';
import { readOutbox, waitForMessage } from './support/outbox.js';
import { clickNav } from './support/nav.js';

// Requests journeys: a patient books a planned consultation from the directory; two browsers race for
// one time and exactly one wins with a clear message; a specialist files an emergency consultation and a
// colleague at the contracted facility acknowledges it.

const bg = messages.bg;

describe('requests and booking journeys', () => {
  let world: DemoWorld;
  // Tricky: a TOTP code is accepted once per 30-second step (replay protection), so the patient signs in once.
  let patientPage: Page | undefined;

  beforeAll(async () => {
    world = await openDemoWorld({ env: { DEV_MAIL_SINK: 'true' } });
  });

  afterAll(async () => {
    await world?.close();
  });

  const account = (email: string) => world.account(email);
  const signIn = (a: DemoAccount) => world.newSession(a);

  /** Booking on /book: cardiology → the demo centre → its first specialist → the free time at `slotIndex` (week view). */
  async function chooseTime(page: Page, slotIndex: number): Promise<string> {
    await clickNav(page, bg['layout.nav.book']);
    await page.getByLabel(bg['requests.book.specialty']).selectOption('1020');
    await page.locator('section[aria-labelledby="book-where"] a.book-choice').filter({ hasText: 'Св. Лука' }).first().click();
    await page.locator('section[aria-labelledby="book-who"] a.book-choice').first().click();
    const slot = page.locator('[data-slot-id]').nth(slotIndex);
    await slot.waitFor();
    const id = (await slot.getAttribute('data-slot-id')) ?? '';
    await slot.click();
    await page.getByLabel(bg['book.phone']).waitFor();
    return id;
  }

  it('a patient books a planned consultation in a few steps and sees it under upcoming requests', async () => {
    const page = await signIn(account('patient@demo.distansia.bg'));
    patientPage = page;
    await chooseTime(page, 0);
    await page.getByLabel(bg['book.phone']).fill('+359 88 765 4321');
    await page.getByText(bg['book.more']).click();
    await page.getByLabel(bg['requests.form.anamnesis']).fill('Сърцебиене при усилие');
    await page.getByRole('button', { name: bg['book.submit'] }).click();
    await expectText(page.getByRole('heading', { level: 1 }), bg['book.done.title']);
    await clickNav(page, bg['layout.nav.requests']);
    await page.locator('[data-status="requested"]').first().waitFor();
    // The confirmation went through the outbox to the development sink, without the intake.
    await world.server.deps.outbox.drain(100);
    const sms = await waitForMessage(world.server.dataDir, (m) => m.to === '+359 88 765 4321');
    expect(sms.channel).toBe('sms');
    expect(JSON.stringify(await readOutbox(world.server.dataDir))).not.toContain('Сърцебиене');
    // Security: the sink is files only; nothing answers over HTTP.
    expect((await page.evaluate(async () => (await fetch('/api/v1/dev/outbox')).status))).toBe(404);
  });

  it('two browsers race for the same time: exactly one wins, the other is told clearly', async () => {
    const a = patientPage ?? (await signIn(account('patient@demo.distansia.bg')));
    const b = await signIn(account('parent@demo.distansia.bg'));
    const slotA = await chooseTime(a, 1);
    const slotB = await chooseTime(b, 1);
    expect(slotB).toBe(slotA);
    for (const p of [a, b]) await p.getByLabel(bg['book.phone']).fill('+359 88 111 2222');
    await Promise.all([a, b].map((p) => p.getByRole('button', { name: bg['book.submit'] }).click()));
    const outcome = async (p: Page) => {
      for (let i = 0; i < 300; i += 1) {
        if ((await p.getByRole('heading', { level: 1, name: bg['book.done.title'] }).count()) > 0) return 'won';
        // Told at once (the booking's 409) or, after a reload, by the week view's "just taken".
        if ((await p.locator('[data-problem-code="appointment.slot_taken"]').count()) > 0 || (await p.getByText(bg['book.slotGone']).count()) > 0) return 'lost';
        await p.waitForTimeout(100);
      }
      return 'none';
    };
    const results = (await Promise.all([outcome(a), outcome(b)])).sort();
    expect(results).toEqual(['lost', 'won']);
    const loser = (await outcome(a)) === 'lost' ? a : b;
    await expectText(loser.getByRole('alert').first(), bg['problem.appointment.slot_taken'], 'contains');
  });

  it('a specialist files an emergency consultation and a colleague at the contracted facility acknowledges it', async () => {
    const requester = await signIn(account('emergency.requester@demo.distansia.bg'));
    await clickNav(requester, bg['layout.nav.emergency']);
    await requester.getByLabel(bg['requests.emergency.target']).locator('option').first().waitFor({ state: 'attached' });
    await requester.getByLabel(bg['requests.emergency.phone']).fill('+359 56 800 100');
    await requester.getByLabel(bg['requests.form.circumstances']).fill('Болка в гърдите, ST елевация?');
    await requester.getByRole('button', { name: bg['requests.emergency.submit'] }).click();
    await requester.getByText(bg['requests.emergency.waiting']).waitFor();

    const cardiologist = await signIn(account('cardiologist@demo.distansia.bg'));
    await clickNav(cardiologist, bg['layout.nav.worklist']);
    const card = cardiologist.locator('.request-card--emergency').first();
    await card.waitFor();
    await card.getByRole('button', { name: bg['requests.action.accept'] }).click();
    await cardiologist.locator('.request-card--emergency').first().waitFor({ state: 'detached' }).catch(() => undefined);

    // The requester sees who acknowledged, and when.
    await requester.locator('.request-card__accepted').waitFor({ timeout: 15_000 });
    await expectText(requester.locator('.request-card__accepted'), 'Поета от', 'contains');
  });
});

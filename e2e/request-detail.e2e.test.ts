import { readFile } from 'node:fs/promises';
import { sql } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messages } from '../web/src/i18n/messages.js';
import { openDemoWorld, type DemoWorld } from './support/demo-world.js';
import { expectText } from './support/expect-text.js';
import { expectFitsViewport } from './support/phone.js';
import { clickNav } from './support/nav.js';
import { whenFormatter } from '../web/src/i18n/format-when.js';

// Requests journey: the request detail page. The demo patient books a time, opens the request, attaches a
// PDF, tries to move it to a time someone else has just taken (409, told plainly, old time kept), moves
// it to another free time and sees the new time; the providing specialist opens the same request from the
// worklist and downloads the PDF byte for byte; the patient then cancels with a reason. The page says
// until when the patient may still change or cancel (Europe/Sofia time); on a request whose change window
// has closed under the facility's rules it offers neither and says why.

const bg = messages.bg;
const tpl = (template: string, vars: Record<string, string>) => template.replace(/\{(\w+)\}/g, (_, k: string) => vars[k] ?? '');

/** A small, valid one-page PDF made here (no fixture file). */
function makePdf(text: string): Buffer {
  const stream = `BT /F1 18 Tf 40 100 Td (${text}) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 200] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

/** A JSON call from the signed-in page, with the double-submit CSRF token as the web app sends it. */
async function call<T>(page: Page, method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status: number; json: T }> {
  return page.evaluate(
    async ({ method, path, body }) => {
      const csrf = /(?:^|;\s*)csrf=([^;]+)/.exec(document.cookie)?.[1];
      const headers: Record<string, string> = { accept: 'application/json, application/problem+json' };
      if (csrf) headers['x-csrf-token'] = decodeURIComponent(csrf);
      if (body !== undefined) headers['content-type'] = 'application/json';
      const res = await fetch(path, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
      return { status: res.status, json: (await res.json()) as T };
    },
    { method, path, body },
  );
}

interface Provider {
  facilityId: string;
  specialtyCode: string;
  serviceId: string | null;
  practitionerId: string | null;
}
type Created = { request: { id: string }; appointment: { start: string } | null };

/** Waits until the detail page shows the appointment starting at this instant. */
async function waitForStart(page: Page, iso: string): Promise<void> {
  const want = new Date(iso).getTime();
  await page.waitForFunction((ms) => {
    const at = document.querySelector('[data-testid="appointment-start"]')?.getAttribute('data-start');
    return at !== null && at !== undefined && new Date(at).getTime() === ms;
  }, want);
}

describe('request detail page: attachments, reschedule and cancel', () => {
  let world: DemoWorld;

  beforeAll(async () => {
    world = await openDemoWorld({ env: { DEV_MAIL_SINK: 'true' } });
  });

  afterAll(async () => {
    await world?.close();
  });

  it('a patient attaches a PDF, moves the time (after a clear 409) and cancels; the specialist downloads the PDF', { timeout: 180_000 }, async () => {
    const patient = await world.newSession(world.account('patient@demo.distansia.bg'));

    // The demo cardiologist's video service, from the demo requests the patient already has.
    const mine = await call<{ items: { request: { provider: Provider } }[] }>(patient, 'GET', '/api/v1/requests?when=all');
    const provider = mine.json.items.map((i) => i.request.provider).find((p) => p.serviceId && p.practitionerId);
    if (!provider?.serviceId || !provider.practitionerId) throw new Error('the demo patient has no real-time request with the demo cardiologist');
    // W14: the demo cardiologist's consultation is NHIF-paid; each booking carries one of the referrals
    // the demo GP issued to the demo patient.
    const me = await call<{ items: { patientId: string }[] }>(patient, 'GET', '/api/v1/access/acting-for');
    const referrals = await call<{ items: { nrn: string | null; status: string; form: string; specialtyCode: string | null }[] }>(patient, 'GET', `/api/v1/patients/${me.json.items[0]?.patientId ?? ''}/referrals`);
    const nrns = referrals.json.items.filter((r) => r.status === 'issued' && r.form === '3' && r.specialtyCode === provider.specialtyCode && r.nrn).map((r) => r.nrn as string);
    const book = (slotId: string, circumstances: string) =>
      call<Created>(patient, 'POST', '/api/v1/requests', {
        referralNrn: nrns.shift(),
        urgency: 'planned',
        mode: 'synchronous',
        facilityId: provider.facilityId,
        specialtyCode: provider.specialtyCode,
        serviceId: provider.serviceId,
        practitionerId: provider.practitionerId,
        slotId,
        phone: '+359 88 765 4321',
        circumstances,
      });

    // Times more than a day and a half away: the facility's default rule lets the requester change until 24 h before.
    const from = new Date(Date.now() + 36 * 3_600_000).toISOString();
    const to = new Date(Date.now() + 10 * 86_400_000).toISOString();
    const free = await call<{ items: { id: string; start: string }[] }>(
      patient,
      'GET',
      `/api/v1/directory/slots?${new URLSearchParams({ specialistId: provider.practitionerId, serviceId: provider.serviceId, from, to }).toString()}`,
    );
    const [first, contested, target, late] = free.json.items;
    if (!first || !contested || !target || !late) throw new Error('not enough free demo times');

    const booked = await book(first.id, 'E2E: заявка за страницата с подробности');
    expect(booked.status).toBe(201);
    const requestId = booked.json.request.id;
    const ref = requestId.slice(-8).toUpperCase();

    // Open it from "my requests".
    await clickNav(patient, bg['layout.nav.requests']);
    await patient.locator(`[data-detail-link="${requestId}"]`).click();
    await expectText(patient.getByRole('heading', { level: 1 }), tpl(bg['requests.detail.title'], { ref }));
    // From here on, a phone-sized screen.
    await patient.setViewportSize({ width: 375, height: 800 });
    const start = patient.getByTestId('appointment-start');
    await waitForStart(patient, first.start);
    const firstTimeText = (await start.textContent()) ?? '';
    // Until when: the facility's default rule for the requester side, 24 h before the start, in Sofia time.
    const deadline = patient.getByTestId('change-deadline');
    const firstDeadline = new Date(new Date(first.start).getTime() - 24 * 3_600_000).toISOString();
    expect(await deadline.getAttribute('data-until')).toBe(firstDeadline);
    // Dates as people say them: "пн, 7 декември, 10:00" in Sofia time (web/src/i18n/format-when.ts).
    const sofiaTime = whenFormatter('bg-BG')(new Date(firstDeadline));
    await expectText(deadline, tpl(bg['requests.detail.window.until'], { time: sofiaTime }));

    // Attach a small PDF made here; the limits are stated before choosing.
    const pdf = makePdf('Distansia E2E');
    await patient.getByText(tpl(bg['requests.detail.attachments.limits'], { types: 'PDF, PNG, JPEG, WebP, GIF, TXT, DICOM', max: '5 MB' })).waitFor();
    await patient.getByLabel(bg['requests.detail.attachments.choose']).setInputFiles({ name: 'ekg-rezultat.pdf', mimeType: 'application/pdf', buffer: pdf });
    await patient.getByRole('button', { name: bg['requests.detail.attachments.upload'], exact: true }).click();
    await patient.getByText(tpl(bg['requests.detail.attachments.done'], { name: 'ekg-rezultat.pdf' })).waitFor();
    await patient.getByRole('link', { name: tpl(bg['requests.detail.attachments.downloadLabel'], { name: 'ekg-rezultat.pdf' }) }).waitFor();

    // Reschedule: the list is on screen when someone else takes the chosen time.
    await patient.getByRole('button', { name: bg['requests.detail.reschedule.open'] }).click();
    const dayOf = (iso: string) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Sofia', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(iso));
    const pick = async (slotId: string, iso: string) => {
      await patient.getByLabel(bg['requests.detail.reschedule.day'], { exact: true }).selectOption(dayOf(iso));
      await patient.locator(`input[data-slot-id="${slotId}"]`).check();
    };
    await pick(contested.id, contested.start);
    expect((await book(contested.id, 'E2E: някой друг взема този час')).status).toBe(201);
    await patient.getByLabel(bg['requests.detail.reschedule.reason']).fill('Служебен ангажимент');
    await patient.getByRole('button', { name: bg['requests.detail.reschedule.submit'] }).click();
    const taken = patient.locator('.request-change [data-problem-code="appointment.slot_taken"]');
    await taken.waitFor();
    const [before = '', after = ''] = bg['requests.detail.reschedule.taken'].split('{time}');
    await expectText(taken, before, 'contains');
    await expectText(taken, after, 'contains');
    // The old time holds; the taken time is no longer offered; the reason is still there.
    await expectText(start, firstTimeText);
    await patient.locator(`input[data-slot-id="${contested.id}"]`).waitFor({ state: 'detached' });
    expect(await patient.getByLabel(bg['requests.detail.reschedule.reason']).inputValue()).toBe('Служебен ангажимент');

    await pick(target.id, target.start);
    await patient.getByRole('button', { name: bg['requests.detail.reschedule.submit'] }).click();
    await waitForStart(patient, target.start);
    const newTimeText = (await start.textContent()) ?? '';
    expect(newTimeText).not.toBe(firstTimeText);
    await expectText(patient.locator('.request-notice'), tpl(bg['requests.detail.reschedule.done'], { time: newTimeText }));
    await patient.locator('[data-testid="history"] li[data-action="reschedule"]').waitFor();
    // Nothing on the page, header included, is wider than the phone.
    await expectFitsViewport(patient);

    // The providing specialist opens the request from the worklist and downloads the attachment.
    const specialist = await world.newSession(world.account('cardiologist@demo.distansia.bg'));
    await clickNav(specialist, bg['layout.nav.worklist']);
    await specialist.locator(`[data-detail-link="${requestId}"]`).first().click();
    await expectText(specialist.getByRole('heading', { level: 1 }), tpl(bg['requests.detail.title'], { ref }));
    await expectText(specialist.getByTestId('appointment-start'), newTimeText);
    await expectText(specialist.locator('[data-testid="history"] li[data-action="reschedule"]'), 'Служебен ангажимент', 'contains');
    const link = specialist.getByRole('link', { name: tpl(bg['requests.detail.attachments.downloadLabel'], { name: 'ekg-rezultat.pdf' }) });
    const [download] = await Promise.all([specialist.waitForEvent('download'), link.click()]);
    expect(download.suggestedFilename()).toBe('ekg-rezultat.pdf');
    const saved = await download.path();
    expect((await readFile(saved)).equals(pdf)).toBe(true);

    // The patient cancels with a reason.
    await patient.getByRole('button', { name: bg['requests.detail.cancel.open'] }).click();
    await patient.getByLabel(bg['requests.detail.cancel.reason']).fill('Оздравях');
    await patient.getByRole('button', { name: bg['requests.detail.cancel.submit'] }).click();
    await expectText(patient.locator('.request-notice'), bg['requests.detail.cancel.done']);
    await patient.locator(`.request-card[data-status="cancelled"]`).waitFor();
    await expectText(patient.locator('[data-testid="history"] li[data-action="cancel"]'), tpl(bg['requests.detail.history.reason'], { reason: 'Оздравях' }), 'contains');
    await expect(patient.getByRole('button', { name: bg['requests.detail.cancel.open'] }).count()).resolves.toBe(0);

    // A facility whose requesters must change 30 days ahead: every demo time is already too late to change.
    const db = world.server.deps.db;
    await db.execute(sql`INSERT INTO request_policy (facility_id, requester_change_min_minutes, provider_change_min_minutes, updated_at)
      VALUES (${provider.facilityId}, 43200, 60, ${world.server.deps.clock.now().toString()})`);
    try {
      const tooLate = await book(late.id, 'E2E: твърде късно за промяна');
      expect(tooLate.status).toBe(201);
      await patient.goto(`${world.server.baseUrl}/requests/${tooLate.json.request.id}`);
      await waitForStart(patient, late.start);
      const closed = patient.locator('[data-testid="change-deadline"][data-state="passed"]');
      await expectText(closed, tpl(bg['requests.detail.window.closed'], { limit: tpl(bg['requests.detail.window.hours'], { n: '720' }) }), 'contains');
      await expect(patient.getByRole('button', { name: bg['requests.detail.cancel.open'] }).count()).resolves.toBe(0);
      await expect(patient.getByRole('button', { name: bg['requests.detail.reschedule.open'] }).count()).resolves.toBe(0);
    } finally {
      await db.execute(sql`DELETE FROM request_policy WHERE facility_id = ${provider.facilityId}`);
    }
  });
});

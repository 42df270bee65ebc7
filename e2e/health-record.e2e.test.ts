import { readFile } from 'node:fs/promises';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messages } from '../web/src/i18n/messages.js';
import { insertRequestFixture } from '../src/test/consultation-world.js';
import { withTransaction } from '../src/platform/db/index.js';
import { systemCtx } from '../src/platform/auth/request-context.js';
import { openDemoWorld, type DemoWorld } from './support/demo-world.js';
import { expectText } from './support/expect-text.js';
import { expectFitsViewport } from './support/phone.js';
import { waitForMessage } from './support/outbox.js';
import { clickNav } from './support/nav.js';

// Health record and compliance journeys in Chromium against the demo: the demo patient opens the health record on a phone
// and reads the signed ambulatory sheet the demo seeds (a real service through the real use cases),
// with its signature verified and its PDF copy; a facility administrator opens the compliance
// dashboard, sees the deadline the demo met and one missed ten days ago, and downloads the CSV.

const bg = messages.bg;

describe('health record and compliance journeys', () => {
  let world: DemoWorld;

  beforeAll(async () => {
    world = await openDemoWorld({ env: { DEV_MAIL_SINK: 'true' } });
  });

  afterAll(async () => {
    await world?.close();
  });

  const db = () => world.server.deps.db;

  /** Runs the outbox until the demo's sheet is recorded in the NHIS simulator (the deadline is then met). */
  async function demoSheetRecorded(): Promise<{ documentId: string; requestId: string }> {
    for (let i = 0; i < 50; i += 1) {
      await world.server.deps.outbox.drain(100);
      const r = await db().execute<{ id: string; request_id: string; status: string }>(
        sql`SELECT d.id, d.request_id, dl.status FROM clinical_document d JOIN documentation_deadline dl ON dl.request_id = d.request_id WHERE d.status = 'signed' AND d.kind = 'ambulatory_sheet'`,
      );
      const row = r.rows[0];
      if (row?.status === 'met') return { documentId: row.id, requestId: row.request_id };
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error('the demo sheet was not recorded in the NHIS simulator');
  }


  it('the demo patient opens the health record on a phone and reads the signed sheet, verified, with its PDF copy', async () => {
    const { documentId } = await demoSheetRecorded();
    const page = await world.newSession(world.account('patient'));
    await page.setViewportSize({ width: 375, height: 800 });
    // On a phone the navigation may wrap; the link is still there.
    await clickNav(page, bg['healthRecord.nav']);
    const card = page.locator(`.hr-card[data-document-id="${documentId}"]`);
    await card.waitFor();
    await expectText(card.getByRole('heading', { level: 3 }), bg['healthRecord.kind.ambulatory_sheet']);
    await expectText(card, 'I10 Есенциална (първична) хипертония (основна)', 'contains');
    await expectText(card, 'Амлодипин 5 mg – 1 таблетка сутрин', 'contains');
    await expectText(card, 'Демо: измерване на кръвното налягане сутрин и вечер', 'contains');
    await expectText(card, 'МЦ „Св. Лука“ Телемедицина', 'contains');
    // The national reference from the NHIS simulator starts with the server's year (the demo signed it today).
    const yy = String(world.server.deps.clock.now().toZonedDateTimeISO('Europe/Sofia').year % 100).padStart(2, '0');
    expect(await card.textContent()).toMatch(new RegExp(`${yy}SIM\\d{7}`));
    await expectFitsViewport(page);

    await card.getByRole('link', { name: new RegExp(bg['healthRecord.open']) }).click();
    await page.getByRole('heading', { level: 1, name: bg['healthRecord.kind.ambulatory_sheet'] }).waitFor();
    await expectText(page.getByRole('status'), bg['healthRecord.signature.valid']);
    await expectText(page.locator('article'), 'Демо: главоболие сутрин от две седмици', 'contains');
    await expectFitsViewport(page);
    const pdfHref = await page.getByRole('link', { name: bg['healthRecord.pdf'] }).getAttribute('href');
    const pdf = await page.evaluate(async (href) => {
      const r = await fetch(href ?? '');
      return { status: r.status, head: new TextDecoder().decode((await r.arrayBuffer()).slice(0, 5)) };
    }, pdfHref);
    expect(pdf).toEqual({ status: 200, head: '%PDF-' });
    // The FHIR export of the whole record downloads from the list page.
    await page.getByRole('link', { name: new RegExp(bg['healthRecord.document.back']) }).click();
    const fhirHref = await page.getByRole('link', { name: bg['healthRecord.fhir'] }).getAttribute('href');
    const fhir = await page.evaluate(async (href) => (await (await fetch(href ?? '')).json()) as { resourceType: string; type: string }, fhirHref);
    expect(fhir.resourceType).toBe('Bundle');
  });

  it('a facility administrator sees met and missed deadlines, the alert, and downloads the CSV', async () => {
    const { requestId: metId } = await demoSheetRecorded();
    const deps = world.server.deps;
    // A service of the demo centre completed ten days ago and never documented: its deadline starts
    // through the deadlines service, and the scan the server runs every minute records the breach.
    const refs = (await db().execute<{ facility_id: string; practitioner_id: string; patient_id: string; requester_account_id: string }>(
      sql`SELECT provider_facility_id AS facility_id, practitioner_id, patient_id, requester_account_id FROM service_request WHERE id = ${metId}`,
    )).rows[0];
    if (!refs) throw new Error('demo request missing');
    const missedId = await insertRequestFixture(db(), deps, { facilityId: refs.facility_id, practitionerId: refs.practitioner_id, patientId: refs.patient_id, requesterAccountId: refs.requester_account_id, mode: 'asynchronous', status: 'in_progress' });
    const completedAt = deps.clock.now().subtract({ hours: 24 * 10 });
    await withTransaction(db(), async (tx) => {
      await tx.execute(sql`UPDATE service_request SET status = 'completed' WHERE id = ${missedId}`);
      await tx.execute(sql`INSERT INTO service_request_event (id, request_id, action, from_status, to_status, side, at) VALUES (${deps.ids.uuid()}, ${missedId}, 'complete', 'in_progress', 'completed', 'provider', ${completedAt.toString()})`);
      await deps.deadlines.startDeadline(tx, systemCtx('e2e'), missedId, completedAt);
    });
    // Concurrency: the server's own outbox worker may take the due check first; either way it is missed once.
    await deps.deadlines.scan();
    for (let i = 0; i < 50; i += 1) {
      await deps.outbox.drain(100);
      const st = await db().execute<{ status: string }>(sql`SELECT status FROM documentation_deadline WHERE request_id = ${missedId}`);
      const sent = await db().execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM notification WHERE request_id = ${missedId} AND kind = 'deadline_missed' AND status = 'sent'`);
      if (st.rows[0]?.status === 'missed' && (sent.rows[0]?.n ?? 0) > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }

    const page = await world.newSession(world.account('facility_admin'));
    await clickNav(page, bg['compliance.nav']);
    await page.getByRole('heading', { level: 2, name: bg['compliance.summary'] }).waitFor();
    await expectText(page.locator('[data-figure="met"]'), '1');
    await expectText(page.locator('[data-figure="missed"]'), '1');
    await expectText(page.locator('[data-figure="services"]'), '2');
    // the demo's service has the patient's signed informed consent; the fixture has none
    await expectText(page.locator('[data-figure="consents"]'), '1');
    const ref = missedId.slice(-8).toUpperCase();
    const breaches = page.getByRole('region', { name: bg['compliance.breaches'] });
    await expectText(breaches, ref, 'contains');
    await expectText(breaches, bg['compliance.cause.not_signed'], 'contains');
    // the facility's alert list has the missed deadline
    await page.locator(`.compliance-alert[data-request-id="${missedId}"][data-status="missed"]`).waitFor();

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: bg['compliance.csv'] }).click()]);
    expect(download.suggestedFilename()).toMatch(/^compliance-.+\.csv$/);
    const csv = await readFile((await download.path()) ?? '', 'utf8');
    // totals: services, met, missed (then open, complex, escalated, median, worst)
    expect(csv.split('\r\n').find((l) => l.startsWith('total'))).toMatch(/^total,,,2,1,1,/);
    expect(csv).toContain(missedId);

    // S-02: the breach was e-mailed to the facility (the development sink keeps the message).
    await waitForMessage(world.server.dataDir, (m) => m.to === world.account('facility_admin').email && m.subject.includes(ref));
  });
});

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messages } from '../web/src/i18n/messages.js';
import { seedDemo } from '../src/modules/demo/index.js';
import { insertRequestFixture } from '../src/test/consultation-world.js';
import { withTransaction } from '../src/platform/db/index.js';
import { systemCtx } from '../src/platform/auth/request-context.js';
import { DEMO_CONSENT_TEMPLATES } from '../src/modules/consent/index.js';
import { totpCode } from '../src/modules/identity/index.js';
import type { ConsultationQuality } from '../src/contracts/consultation.js';
import { launchBrowser } from './support/browser.js';
import { startServer, type E2eServer } from './support/server.js';

// Issue 7: patient and specialist join a real-time consultation from two browser contexts (fake camera
// and microphone), the specialist admits from the waiting room, remote video plays on both sides, chat
// and a file pass, the WebRTC quality figures are stored on the consultation and are under the limits of
// Art. 28(1) items 8-9 on loopback, the call is recorded under a recording consent and a withdrawal stops
// a recording at once (Art. 19), and the specialist completes the service.
//
// The gates of issue 6 are the real ones, passed through the real APIs before the call: the specialist
// accepts with the Art. 7 checklist and records the identity check, the patient signs the written
// consent with a fresh second factor (R-TM-10, R-TM-15, R-TM-23).

interface DemoAccount {
  role: string;
  email: string;
  password: string;
  totpSecret: string;
}

const bg = messages.bg;
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGP8z8DAwMDAxMDAwMDAAAANHQEDasKb6QAAAABJRU5ErkJggg==',
  'base64',
);

describe('consultation call journey', () => {
  let server: E2eServer;
  let browser: Browser;
  let accounts: DemoAccount[];
  let requestId = '';
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    browser = await launchBrowser({ fakeMedia: true });
    server = await startServer({
      seed: async (deps) => {
        await seedDemo(deps);
        const row = (
          await deps.db.execute(sql`SELECT s.id AS specialist, s.practitioner_id, r.facility_id, p.id AS patient, p.patient_id
            FROM user_account s JOIN practitioner_role r ON r.practitioner_id = s.practitioner_id, user_account p
            WHERE s.role = 'specialist' AND p.role = 'patient' ORDER BY r.created_at LIMIT 1`)
        ).rows[0] as { practitioner_id: string; facility_id: string; patient: string; patient_id: string };
        requestId = await insertRequestFixture(deps.db, deps, { facilityId: row.facility_id, practitionerId: row.practitioner_id, patientId: row.patient_id, requesterAccountId: row.patient, status: 'requested' });
        // Art. 19(3): the facility's own consent forms (the demo's texts), unless the demo seeded them.
        const templates = await deps.db.execute(sql`SELECT count(*)::int AS n FROM consent_template WHERE facility_id = ${row.facility_id}`);
        if ((templates.rows[0] as { n: number }).n === 0) {
          const admin = (await deps.db.execute(sql`SELECT id FROM user_account WHERE role = 'facility_admin' LIMIT 1`)).rows[0] as { id: string };
          await withTransaction(deps.db, async (tx) => {
            for (const tpl of DEMO_CONSENT_TEMPLATES) await deps.consent.seedPublishedTemplate(tx, systemCtx('e2e'), row.facility_id, tpl, admin.id);
          });
        }
      },
    });
    accounts = JSON.parse(await readFile(join(server.deps.config.DATA_DIR, 'demo-accounts.json'), 'utf8')) as DemoAccount[];
  });

  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await server?.close();
  });

  function account(role: string): DemoAccount {
    const found = accounts.find((a) => a.role === role);
    if (!found) throw new Error(`no demo account for ${role}`);
    return found;
  }

  const nowSeconds = () => Math.floor(Date.now() / 1000);

  async function signIn(a: DemoAccount, viewport?: { width: number; height: number }): Promise<Page> {
    const context = await browser.newContext(viewport ? { viewport, hasTouch: true } : {});
    contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (e) => console.log(`[${a.role}] page error: ${e.message}`));
    await page.goto(`${server.baseUrl}/sign-in`);
    await page.getByLabel(bg['auth.field.email']).fill(a.email);
    await page.getByLabel(bg['auth.field.password']).fill(a.password);
    await page.getByRole('button', { name: bg['auth.signIn.continue'] }).click();
    const code = page.getByLabel(bg['auth.field.code'], { exact: true });
    await code.waitFor();
    // Tricky: the code of the previous 30 s step (accepted within the tolerance), so that the step-up
    // signature below can use the current one: a TOTP step is never accepted twice.
    await code.fill(await totpCode(a.totpSecret, nowSeconds() - 30));
    await page.getByRole('button', { name: bg['auth.signIn.verify'] }).click();
    await page.getByTestId('account-menu').waitFor();
    return page;
  }

  const remotePlaying = (page: Page) =>
    page.waitForFunction(() => {
      const v = document.querySelector<HTMLVideoElement>('[data-testid="remote-video"]');
      return Boolean(v && !v.paused && v.videoWidth > 0 && v.readyState >= 2);
    }, undefined, { timeout: 15_000 });

  /** A same-origin API call made by the page itself (its session cookie and CSRF token). */
  async function api<T>(page: Page, method: string, path: string, body?: unknown): Promise<T> {
    const r = await page.evaluate(
      async ({ method, path, body }) => {
        const csrf = /(?:^|;\s*)csrf=([^;]+)/.exec(document.cookie)?.[1];
        const res = await fetch(path, { method, headers: { 'content-type': 'application/json', ...(csrf ? { 'x-csrf-token': decodeURIComponent(csrf) } : {}) }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
        return { status: res.status, json: (await res.json()) as unknown };
      },
      { method, path, body },
    );
    if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(r.json)}`);
    return r.json as T;
  }

  it('patient and specialist talk, chat, pass a file, the quality is stored, a recording is made and stopped by withdrawal, the specialist completes', async () => {
    const patient = await signIn(account('patient'), { width: 390, height: 844 });
    const doctor = await signIn(account('specialist'));

    // The gates of issue 6, through the real APIs: acceptance with the Art. 7 checklist, the identity
    // check, and the patient's written consent signed with a fresh second factor.
    const yes = { noRiskToLifeOrHealth: true, qualityAndSafetyAssured: true, notDentalExceptImaging: true, noDirectContactNeeded: true, requesterIdentityVerifiable: true, notConductingBirth: true, notEstablishingDeath: true };
    await api(doctor, 'POST', `/api/v1/requests/${requestId}/transitions`, { action: 'accept', checklist: yes });
    await api(doctor, 'POST', `/api/v1/requests/${requestId}/identity-verifications`, { method: 'nhis_login', outcome: 'verified' });
    const shown = await api<{ presentationId: string }>(patient, 'POST', `/api/v1/requests/${requestId}/consent-presentations`, { kind: 'treatment', lang: 'bg' });
    const treatmentAt = nowSeconds();
    await api(patient, 'POST', `/api/v1/requests/${requestId}/consents`, { kind: 'treatment', presentationId: shown.presentationId, code: await totpCode(account('patient').totpSecret, treatmentAt), healthInfoDutyAcknowledged: true });
    // Art. 19: a separate recording consent (reason, type, purpose), signed with the next TOTP step.
    while (Math.floor(nowSeconds() / 30) === Math.floor(treatmentAt / 30)) await new Promise((r) => setTimeout(r, 500));
    const shownRec = await api<{ presentationId: string }>(patient, 'POST', `/api/v1/requests/${requestId}/consent-presentations`, { kind: 'recording', lang: 'bg' });
    const recordingConsent = await api<{ id: string }>(patient, 'POST', `/api/v1/requests/${requestId}/consents`, {
      kind: 'recording',
      presentationId: shownRec.presentationId,
      code: await totpCode(account('patient').totpSecret, nowSeconds()),
      recording: { reason: 'Втори преглед на записа от кардиолог', media: ['audio', 'video'], purpose: 'Медицинска документация' },
    });

    // The patient's phone-sized browser opens the consultation from the request and waits.
    await patient.goto(`${server.baseUrl}/requests/${requestId}/consultation`);
    await patient.waitForURL(/\/consultations\/[0-9a-f-]{36}$/);
    const consultationPath = new URL(patient.url()).pathname;
    const consultationId = consultationPath.split('/').pop() ?? '';
    await patient.getByRole('button', { name: bg['consultation.join'] }).click();
    await patient.getByText(bg['consultation.status.waiting']).waitFor();

    // The specialist finds it under "Consultations", checks the devices, joins and admits the patient.
    await doctor.goto(`${server.baseUrl}/`);
    await doctor.getByRole('navigation').getByRole('link', { name: bg['layout.nav.consultations'] }).click();
    await doctor.getByRole('link', { name: new RegExp(bg['consultation.list.call']) }).first().click();
    await doctor.waitForURL(new RegExp(`${consultationPath}$`));
    await doctor.getByRole('button', { name: bg['consultation.join'] }).click();
    const admit = doctor.getByRole('button', { name: bg['consultation.admit'] });
    await admit.waitFor();
    await admit.click();

    // Remote video plays on both sides, within a second of both being in the call.
    await Promise.all([remotePlaying(patient), remotePlaying(doctor)]);
    const timings = await Promise.all([patient, doctor].map((p) => p.evaluate(() => window.__distansiaCall)));
    const joined = Math.max(...timings.map((t) => t?.inCallAt ?? Number.NaN));
    const playing = Math.max(...timings.map((t) => t?.remotePlayingAt ?? Number.NaN));
    const joinToVideoMs = playing - joined;
    // The "< 1 s" is a figure reported from this run (README), not a timed assertion: on a
    // loaded 2-core machine a wall-clock bound would fail for reasons unrelated to the product.
    console.log(`join → remote video playing on both sides: ${joinToVideoMs.toFixed(0)} ms`);
    expect(joinToVideoMs).toBeGreaterThan(0);
    await patient.getByText(bg['consultation.status.inCall']).waitFor();

    // Chat passes from the patient to the specialist.
    const text = 'Добър ден, докторе, чувате ли ме?';
    await patient.getByLabel(bg['consultation.chat.label.chat']).fill(text);
    await patient.getByRole('button', { name: bg['consultation.chat.send'] }).click();
    await doctor.getByTestId('chat-messages').getByText(text).waitFor();

    // A file passes from the specialist to the patient, and the patient views it in the browser.
    await doctor.getByLabel(bg['consultation.files.upload']).setInputFiles({ name: 'ЕКГ.png', mimeType: 'image/png', buffer: PNG });
    await patient.getByTestId('file-list').getByText('ЕКГ.png').waitFor({ timeout: 10_000 });
    await patient.getByTestId('file-list').getByRole('button', { name: bg['consultation.files.view'] }).click();
    await patient.waitForFunction(() => {
      const img = document.querySelector<HTMLImageElement>('.file-panel__viewer img');
      return Boolean(img?.complete && img.naturalWidth === 2);
    });

    // Quality: both browsers report every few seconds; the server stores the figures on the consultation.
    const readQuality = () => api<ConsultationQuality>(doctor, 'GET', `/api/v1/consultations/${consultationId}/quality`);
    const deadline = Date.now() + 30_000;
    let quality = await readQuality();
    // Both browsers report every 3 s; wait for two reports from each with RTT and A/V sync measured
    // (bitrate and loss need a previous report to compare with).
    const enough = (q: ConsultationQuality) => {
      const per = new Map<string, number>();
      for (const x of q.samples) if (x.rttMs !== null && x.avSyncMs !== null) per.set(x.accountId, (per.get(x.accountId) ?? 0) + 1);
      return per.size === 2 && [...per.values()].every((n) => n >= 2);
    };
    while (!enough(quality) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 1000));
      quality = await readQuality();
    }
    const measured = quality.samples.filter((s) => s.latencyMs !== null && s.avSyncMs !== null);
    const maxLatency = Math.max(...measured.map((s) => s.latencyMs ?? 0));
    const maxSync = Math.max(...measured.map((s) => s.avSyncMs ?? 0));
    console.log(`quality on loopback: ${quality.summary.sampleCount} samples, max latency ${maxLatency} ms, max A/V sync ${maxSync} ms`);
    expect(measured.length).toBeGreaterThanOrEqual(2);
    expect(maxLatency).toBeLessThan(50);
    expect(maxSync).toBeLessThan(150);
    expect(quality.summary.latencyBreachCount + quality.summary.avSyncBreachCount).toBe(0);
    expect(measured.some((s) => (s.framesPerSecond ?? 0) > 0 && (s.bitrateKbps ?? 0) > 0)).toBe(true);
    // The specialist sees the live indicator.
    await doctor.getByTestId('quality-indicator').getByText(bg['consultation.quality.ok']).waitFor();

    // Recording (Art. 19): recorded in the specialist's browser, uploaded encrypted in chunks.
    type Rec = { id: string; status: string; sizeBytes: number };
    const recordings = () => api<{ items: Rec[] }>(doctor, 'GET', `/api/v1/consultations/${consultationId}/recordings`);
    await doctor.getByRole('button', { name: bg['consultation.record.start'] }).click();
    await doctor.getByText(bg['consultation.record.on']).waitFor();
    await new Promise((r) => setTimeout(r, 4500));
    await doctor.getByRole('button', { name: bg['consultation.record.stop'] }).click();
    await doctor.getByRole('button', { name: bg['consultation.record.start'] }).waitFor();
    const first = (await recordings()).items[0];
    expect(first?.status).toBe('stopped');
    expect(first?.sizeBytes).toBeGreaterThan(10_000);
    const head = await doctor.evaluate(async (url) => [...new Uint8Array(await (await fetch(url)).arrayBuffer()).slice(0, 4)], `/api/v1/consultations/${consultationId}/recordings/${first?.id ?? ''}`);
    expect(head).toEqual([0x1a, 0x45, 0xdf, 0xa3]);
    // The patient withdraws the recording consent during a second recording: it stops at once.
    await doctor.getByRole('button', { name: bg['consultation.record.start'] }).click();
    await doctor.getByText(bg['consultation.record.on']).waitFor();
    await new Promise((r) => setTimeout(r, 2500));
    await api(patient, 'POST', `/api/v1/consents/${recordingConsent.id}/withdraw`, {});
    await doctor.getByText(bg['consultation.record.on']).waitFor({ state: 'detached', timeout: 5000 });
    const second = (await recordings()).items.find((r) => r.id !== first?.id);
    expect(second?.status).toBe('withdrawn');

    // The specialist completes the service; the call ends for the patient too.
    await doctor.getByRole('button', { name: bg['consultation.complete'], exact: true }).click();
    await doctor.getByRole('button', { name: bg['consultation.complete.yes'] }).click();
    await doctor.getByTestId('completed-at').waitFor();
    await patient.locator('[data-testid="call-status"][data-status="finished"]').waitFor({ timeout: 10_000 });
    const status = await doctor.evaluate(async (id) => ((await (await fetch(`/api/v1/consultations/${id}`)).json()) as { status: string }).status, consultationId);
    expect(status).toBe('finished');
  });
});

import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messages } from '../web/src/i18n/messages.js';
import type { ConsultationQuality } from '../src/contracts/consultation.js';
import type { NationalRecord } from '../src/contracts/records.js';
import { TINY_PNG, openConsultationWorld, type ConsultationWorld } from './support/consultation.js';
import { pageApi as api } from './support/page-api.js';
import { clickNav } from './support/nav.js';
import { seriousAxeViolations } from './support/axe.js';
import { expectText } from './support/expect-text.js';

// Patient and specialist join a real-time consultation from two browser contexts (fake camera
// and microphone), the specialist admits from the waiting room, remote video plays on both sides, chat
// and a file pass, the WebRTC quality figures are stored on the consultation and are under the limits of
// Art. 28(1) items 8-9 on loopback, the call is recorded under a recording consent and a withdrawal stops
// a recording at once (Art. 19), the specialist reads the patient's national record (НЗИС) into the call's page
// (Art. 13, R-TM-29), and the specialist completes the service. With SCREENSHOT_DIR set (docs/screenshots/),
// the national record panel is captured at 375 and 1280 px.
//
// The consent module's gates are the real ones, passed through the real APIs before the call: the specialist
// accepts with the Art. 7 checklist and records the identity check, the patient signs the written
// consent with a fresh second factor (R-TM-10, R-TM-15, R-TM-23).

const bg = messages.bg;

describe('consultation call journey', () => {
  let world: ConsultationWorld;

  beforeAll(async () => {
    world = await openConsultationWorld();
  });

  afterAll(async () => {
    await world?.close();
  });

  const remotePlaying = (page: Page) =>
    page.waitForFunction(() => {
      const v = document.querySelector<HTMLVideoElement>('[data-testid="remote-video"]');
      return Boolean(v && !v.paused && v.videoWidth > 0 && v.readyState >= 2);
    }, undefined, { timeout: 15_000 });

  it('patient and specialist talk, chat, pass a file, the quality is stored, a recording is made and stopped by withdrawal, the specialist completes', async () => {
    const patient = await world.newSession(world.account('patient'), { phone: true });
    const doctor = await world.newSession(world.account('specialist'));
    const { requestId } = world;

    // The consent module's gates, through the real APIs: acceptance with the Art. 7 checklist, the identity
    // check, and the patient's written consent signed with a fresh second factor.
    await world.passGates(doctor, patient);
    // The patient's phone-sized browser opens the consultation from the request. Before joining, the
    // pre-join screen asks about recording (Art. 19, R-TM-25); the patient agrees: the separate recording
    // consent (reason, type, purpose) is signed with the next TOTP step, and the link leads back.
    const consultationPath = await world.openFromRequest(patient);
    const consultationId = consultationPath.split('/').pop() ?? '';
    const panel = patient.getByTestId('recording-consent');
    expect(await panel.getAttribute('data-consent')).toBe('none');
    expect(await seriousAxeViolations(patient)).toEqual([]);
    await panel.getByRole('link', { name: bg['consultation.recordingConsent.agree'] }).click();
    await patient.getByRole('heading', { level: 1, name: bg['consent.sign.titleRecording'] }).waitFor();
    await patient.getByRole('button', { name: bg['consent.sign.read'] }).click();
    await patient.getByLabel(bg['consent.sign.confirmRead']).check();
    await patient.getByLabel(bg['consent.recording.reason']).fill('Втори преглед на записа от кардиолог');
    await patient.getByLabel(bg['consent.media.audio']).check();
    await patient.getByLabel(bg['consent.media.video']).check();
    await patient.getByLabel(bg['consent.recording.purpose']).fill('Медицинска документация');
    await patient.getByLabel(bg['consent.sign.code']).fill(await world.freshCode(world.account('patient')));
    await patient.getByRole('button', { name: bg['consent.sign.submit'] }).click();
    await patient.getByRole('link', { name: bg['consent.sign.backToCall'] }).click();
    await patient.waitForURL(new RegExp(`${consultationPath}$`));
    await expect.poll(() => panel.getAttribute('data-consent')).toBe('given');
    // The consent as a PDF, from the pre-join screen.
    const pdfHref = (await panel.getByRole('link', { name: bg['consent.pdf'] }).getAttribute('href')) ?? '';
    const pdf = await patient.evaluate(async (href) => {
      const r = await fetch(href);
      return { type: r.headers.get('content-type'), head: new TextDecoder().decode((await r.arrayBuffer()).slice(0, 5)) };
    }, pdfHref);
    expect(pdf).toEqual({ type: 'application/pdf', head: '%PDF-' });
    const gates = await api<{ recordingConsent: { id: string } | null }>(patient, 'GET', `/api/v1/requests/${requestId}/gates`);
    const recordingConsent = { id: gates.recordingConsent?.id ?? '' };
    expect(recordingConsent.id).not.toBe('');
    await world.waitToBeAdmitted(patient);

    // The specialist finds it under "Consultations", checks the devices, joins and admits the patient.
    await doctor.goto(`${world.server.baseUrl}/`);
    await clickNav(doctor, bg['layout.nav.consultations']);
    await doctor.getByRole('link', { name: new RegExp(bg['consultation.list.call']) }).first().click();
    await doctor.waitForURL(new RegExp(`${consultationPath}$`));
    // Before joining, the specialist sees that the patient agreed to the recording.
    await expect.poll(() => doctor.getByTestId('recording-consent').getAttribute('data-consent')).toBe('given');
    await expectText(doctor.getByTestId('recording-consent'), bg['consultation.recordingConsent.providerYes'], 'contains');
    await world.joinAndAdmit(doctor);

    // Remote video plays on both sides, within a second of both being in the call.
    await Promise.all([remotePlaying(patient), remotePlaying(doctor)]);
    const timings = await Promise.all([patient, doctor].map((p) => p.evaluate(() => window.__distansiaCall)));
    const joined = Math.max(...timings.map((t) => t?.inCallAt ?? Number.NaN));
    const playing = Math.max(...timings.map((t) => t?.remotePlayingAt ?? Number.NaN));
    const joinToVideoMs = playing - joined;
    // The "< 1 s" target is a figure reported from this run (docs/consultation.md), not a timed assertion: on a
    // loaded 2-core machine a wall-clock bound would fail for reasons unrelated to the product.
    console.log(`join → remote video playing on both sides: ${joinToVideoMs.toFixed(0)} ms`);
    expect(joinToVideoMs).toBeGreaterThan(0);
    await patient.getByText(bg['consultation.status.inCall'], { exact: true }).waitFor();

    // Chat passes from the patient to the specialist.
    const text = 'Добър ден, докторе, чувате ли ме?';
    await patient.getByLabel(bg['consultation.chat.label.chat']).fill(text);
    await patient.getByRole('button', { name: bg['consultation.chat.send'] }).click();
    await doctor.getByTestId('chat-messages').getByText(text).waitFor();

    // The national record (Art. 13, R-TM-29): another doctor's examination, referral and prescription of the
    // patient are in the NHIS; under the patient's written consent the specialist loads them once, read-only.
    const sim = world.server.deps.nhisSimulator;
    const patientId = ((await world.server.deps.db.execute(sql`SELECT patient_id FROM service_request WHERE id = ${requestId}`)).rows[0] as { patient_id: string }).patient_id;
    const { identifier } = await api<{ identifier: string }>(patient, 'GET', `/api/v1/patients/${patientId}`);
    const monthAgo = world.server.deps.clock.now().subtract({ hours: 24 * 30 });
    const examNrn = sim.recordExaminationElsewhere({ performerUin: '0300099999', qualification: '0000', subjectIdentifier: identifier, openedAt: monthAgo.toString(), diagnosisCodes: ['I10'] });
    sim.documents.recordReferralElsewhere({ category: 'R2', requesterUin: '0300099999', requesterQualification: '0000', consultedQualification: '1020', subjectIdentifier: identifier, diagnosisCode: 'I10', authoredOn: monthAgo.toString().slice(0, 10) });
    sim.documents.recordPrescriptionElsewhere({ requesterUin: '0300099999', requesterQualification: '0000', subjectIdentifier: identifier, authoredOn: monthAgo.toString().slice(0, 10), diagnosisCode: 'I10', medicationCodes: ['DEMO-AML5'], medicationNames: ['Amlodipine 5 mg tabl. x 30'] });
    const nationalRecord = doctor.getByTestId('national-record');
    await nationalRecord.scrollIntoViewIfNeeded();
    await nationalRecord.getByRole('button', { name: bg['nationalRecord.fetch'] }).click();
    await nationalRecord.getByTestId('national-record-examinations').getByText(examNrn).waitFor();
    await expectText(nationalRecord.getByTestId('national-record-referrals'), `${bg['nationalRecord.referral.form.3']}: Кардиология`, 'contains');
    await expectText(nationalRecord.getByTestId('national-record-prescriptions'), 'Amlodipine 5 mg tabl. x 30', 'contains');
    expect(await seriousAxeViolations(doctor)).toEqual([]);
    // Kept for the consultation: opening it again asks the NHIS nothing.
    const asked = sim.received();
    expect(await api<NationalRecord>(doctor, 'GET', `/api/v1/consultations/${consultationId}/national-record`)).toMatchObject({ status: 'ready', fromCache: true });
    expect(sim.received()).toEqual(asked);
    if (process.env.SCREENSHOT_DIR) {
      for (const [name, width] of [['phone', 375], ['desktop', 1280]] as const) {
        await doctor.setViewportSize({ width, height: width === 375 ? 812 : 800 });
        // The panel's top (heading, what it is, when it was received) at the top of the screen.
        await nationalRecord.evaluate((el) => el.scrollIntoView({ block: 'start' }));
        await doctor.screenshot({ path: join(process.env.SCREENSHOT_DIR, `national-record-${name}.png`) });
      }
      await doctor.setViewportSize({ width: 1280, height: 800 });
    }

    // A file passes from the specialist to the patient, and the patient views it in the browser.
    await doctor.getByLabel(bg['consultation.files.upload']).setInputFiles({ name: 'ЕКГ.png', mimeType: 'image/png', buffer: TINY_PNG });
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

import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/app-harness.js';
import { buildAccessWorld, type AccessWorld } from '../../test/access-world.js';
import { insertRequestFixture } from '../../test/consultation-world.js';
import { ForbiddenError, RuleViolation } from '../../platform/errors/app-error.js';
import type { Consultation, ConsultationFile } from '../../contracts/consultation.js';
import type { ConsultationGates, RequestLifecycle } from './consultation.ports.js';
import { connectSignal } from '../../test/signal-client.js';

// The consultation channel through the real routes and the signalling WebSocket, on PGlite and
// PostgreSQL. The consent gates are a controllable double here (the consent module tests its own).

const gate = { serviceMayStart: true, recording: true };
const CONSENT_ID = '0190aaaa-0000-7000-8000-000000000001';
const gates: ConsultationGates = {
  assertServiceMayStart: async () => {
    if (!gate.serviceMayStart) throw new RuleViolation('R-TM-23', 'No written informed consent on file');
  },
  assertRecordingAllowed: async () => {
    if (!gate.recording) throw new ForbiddenError('No recording consent');
    return { consentId: CONSENT_ID };
  },
};

// The request lifecycle is the requests module's (it checks the same gates itself); here we record
// which transitions the consultation asked for, and when.
const transitions: string[] = [];
const lifecycle: RequestLifecycle = {
  startService: async (_ctx, id) => void transitions.push(`start:${id}`),
  completeService: async (_ctx, id) => void transitions.push(`complete:${id}`),
};

// A real 2x2 PNG: an image whose header does not decode is refused (docs/security-input.md).
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGP8z8DAwMDAxMDAwMDAAAANHQEDasKb6QAAAABJRU5ErkJggg==', 'base64');
const WEBM = Buffer.concat([Buffer.from([0x1a, 0x45, 0xdf, 0xa3]), Buffer.from('webm-chunk')]);

describe('consultation channel', () => {
  let t: TestApp;
  let w: AccessWorld;
  let base: string;
  let requestId: string;
  let consultation: Consultation;
  const origin = () => base.replace('ws:', 'http:');

  beforeAll(async () => {
    t = await createTestApp({ overrides: { consultationPorts: { gates, lifecycle } } });
    w = await buildAccessWorld(t);
    const practitionerId = (await t.deps.db.execute(sql`SELECT practitioner_id FROM user_account WHERE id = ${w.sessions.specialistWithCare.accountId}`)).rows[0]?.practitioner_id as string;
    requestId = await insertRequestFixture(t.deps.db, t.deps, { facilityId: w.facilityId, practitionerId, patientId: w.patientA.id, requesterAccountId: w.sessions.patientA.accountId });
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    const addr = t.app.server.address();
    base = `ws://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  });

  afterAll(async () => {
    await t?.close();
  });

  const signalUrl = () => `${base}/api/v1/consultations/${consultation.id}/signal`;
  const wsHeaders = (who: 'patientA' | 'specialistWithCare' | 'specialistWithout') => ({ cookie: w.sessions[who].headers.cookie ?? '', origin: origin() });

  it('opens the consultation for the people of the request only', async () => {
    const res = await w.as('patientA', { method: 'POST', url: `/api/v1/requests/${requestId}/consultation` });
    expect(res.statusCode).toBe(200);
    consultation = res.json<Consultation>();
    expect(consultation.mySide).toBe('recipient');
    expect(consultation.participants.map((p) => p.side).sort()).toEqual(['provider', 'recipient']);
    const again = await w.as('specialistWithCare', { method: 'POST', url: `/api/v1/requests/${requestId}/consultation` });
    expect(again.json<Consultation>().id).toBe(consultation.id);

    const other = await w.as('specialistWithout', { method: 'GET', url: `/api/v1/consultations/${consultation.id}` });
    expect(other.statusCode).toBe(403);
    expect(other.json<{ code: string }>().code).toBe('auth.forbidden');
    const denied = await t.deps.db.execute(sql`SELECT count(*)::int AS n FROM audit_event WHERE action = 'consultation.viewed' AND outcome = 'denied' AND actor_id = ${w.sessions.specialistWithout.accountId}`);
    expect(denied.rows[0]?.n).toBe(1);
  });

  it('refuses a WebSocket from another origin or without a session', async () => {
    await expect(connectSignal(signalUrl(), { ...wsHeaders('patientA'), origin: 'https://evil.example' })).rejects.toMatchObject({ statusCode: 403 });
    await expect(connectSignal(signalUrl(), { origin: origin() })).rejects.toMatchObject({ statusCode: 401 });
    const outsider = await connectSignal(signalUrl(), wsHeaders('specialistWithout'));
    expect((await outsider.closed).code).toBe(4003);
  });

  it('keeps the patient in the waiting room until the specialist admits, and only when the consent gates pass (R-TM-23)', async () => {
    const patient = await connectSignal(signalUrl(), wsHeaders('patientA'));
    const welcomeP = await patient.next('welcome');
    expect(welcomeP.state).toBe('waiting');
    const doctor = await connectSignal(signalUrl(), wsHeaders('specialistWithCare'));
    expect((await doctor.next('welcome')).state).toBe('in-call');
    // The specialist sees the waiting patient; the patient sees nobody yet.
    const waiting = await doctor.next('peer', (m) => m.peer.connId === welcomeP.connId);
    expect(waiting.peer.state).toBe('waiting');
    patient.send({ t: 'signal', to: waiting.peer.connId, data: { type: 'offer', sdp: 'x' } });
    expect((await patient.next('error')).code).toBe('consultation.not_admitted');

    gate.serviceMayStart = false;
    const refused = await w.as('specialistWithCare', { method: 'POST', url: `/api/v1/consultations/${consultation.id}/participants/${w.sessions.patientA.accountId}/admit` });
    expect(refused.statusCode).toBe(422);
    expect(refused.json<{ code: string }>().code).toBe('rule.violated');
    gate.serviceMayStart = true;

    const admitted = await w.as('specialistWithCare', { method: 'POST', url: `/api/v1/consultations/${consultation.id}/participants/${w.sessions.patientA.accountId}/admit` });
    expect(admitted.statusCode).toBe(200);
    expect(admitted.json<Consultation>().status).toBe('in-progress');
    await patient.next('admitted');
    // The newcomer (patient) makes the offer to the specialist; the answer goes back.
    const docPeer = await patient.next('peer', (m) => m.peer.side === 'provider');
    expect(docPeer.initiate).toBe(true);
    patient.send({ t: 'signal', to: docPeer.peer.connId, data: { type: 'offer', sdp: 'v=0 offer' } });
    const offer = await doctor.next('signal');
    expect(offer.data).toEqual({ type: 'offer', sdp: 'v=0 offer' });
    doctor.send({ t: 'signal', to: offer.from, data: { type: 'answer', sdp: 'v=0 answer' } });
    expect((await patient.next('signal')).data).toEqual({ type: 'answer', sdp: 'v=0 answer' });

    // The first admission started the request (once).
    expect(transitions).toEqual([`start:${requestId}`]);
    const joins = await t.deps.db.execute(sql`SELECT count(*)::int AS n FROM audit_event WHERE action = 'consultation.joined' AND subject_id = ${consultation.id} AND outcome = 'success'`);
    expect(joins.rows[0]?.n).toBe(2);

    // A dropped connection comes back straight into the call (admission is kept).
    patient.close();
    await doctor.next('peer-left');
    const back = await connectSignal(signalUrl(), wsHeaders('patientA'));
    expect((await back.next('welcome')).state).toBe('in-call');

    // Art. 28(1) items 8-9: statistics are stored, breaches flagged, and pushed to the specialist.
    // One report at a time, as a browser sends them seconds apart: on PostgreSQL two reports sent together
    // are stored concurrently and their events may reach the specialist in either order.
    back.send({ t: 'stats', report: { rttMs: 4, avSyncMs: 20, jitterMs: 2, packetLossPct: 0, framesPerSecond: 20, bitrateKbps: 900 } });
    const q1 = await doctor.next('event', (m) => m.event.kind === 'quality');
    back.send({ t: 'stats', report: { rttMs: 130, avSyncMs: -170, jitterMs: 9, packetLossPct: 1.5, framesPerSecond: 15, bitrateKbps: 300 } });
    const q2 = await doctor.next('event', (m) => m.event.kind === 'quality');
    const samples = [q1, q2].map((m) => (m.event.kind === 'quality' ? m.event.sample : null));
    expect(samples.map((s) => [s?.latencyMs, s?.latencyBreach, s?.avSyncBreach])).toEqual([
      [2, false, false],
      [65, true, true],
    ]);
    const quality = await w.as('specialistWithCare', { method: 'GET', url: `/api/v1/consultations/${consultation.id}/quality` });
    expect(quality.json<{ summary: { sampleCount: number; latencyBreachCount: number; avSyncBreachCount: number; maxAvSyncMs: number } }>().summary).toMatchObject({
      sampleCount: 2,
      latencyBreachCount: 1,
      avSyncBreachCount: 1,
      maxAvSyncMs: 170,
    });
    const report = await w.as('facilityAdmin', { method: 'GET', url: `/api/v1/facilities/${w.facilityId}/consultation-quality?from=2026-11-01T00:00:00Z&to=2026-12-01T00:00:00Z` });
    expect(report.statusCode).toBe(200);
    expect(report.json<{ flagged: { consultationId: string }[]; samples: number }>()).toMatchObject({ samples: 2, flagged: [{ consultationId: consultation.id }] });
    const foreign = await w.as('specialistWithGrant', { method: 'GET', url: `/api/v1/facilities/${w.facilityId}/consultation-quality?from=2026-11-01T00:00:00Z&to=2026-12-01T00:00:00Z` });
    expect(foreign.statusCode).toBe(403);
    // People read the facility's name; the id stays for machines (names, not ids, in the report).
    expect(report.json<{ facilityId: string; facilityName: string }>()).toMatchObject({ facilityId: w.facilityId, facilityName: 'Test centre 1' });
    const empty = await w.as('facilityAdmin', { method: 'GET', url: `/api/v1/facilities/${w.facilityId}/consultation-quality?from=2025-01-01T00:00:00Z&to=2025-02-01T00:00:00Z` });
    expect(empty.json()).toMatchObject({ facilityName: 'Test centre 1', consultations: 0, samples: 0, latencyBreaches: 0, avSyncBreaches: 0, p95LatencyMs: null, flagged: [] });
    const bySupervisor = await w.as('supervisor', { method: 'GET', url: `/api/v1/facilities/${w.otherFacilityId}/consultation-quality?from=2026-11-01T00:00:00Z&to=2026-12-01T00:00:00Z` });
    expect(bySupervisor.json()).toMatchObject({ facilityId: w.otherFacilityId, facilityName: 'Test centre 2', samples: 0 });
    const unknown = await w.as('supervisor', { method: 'GET', url: `/api/v1/facilities/0190aaaa-0000-7000-8000-0000000000ff/consultation-quality?from=2026-11-01T00:00:00Z&to=2026-12-01T00:00:00Z` });
    expect(unknown.statusCode).toBe(404);
    // The report page's facility choice: the caller's own facilities with their names.
    const mine = await w.as('facilityAdmin', { method: 'GET', url: '/api/v1/consultation-quality/facilities' });
    expect(mine.json()).toEqual({ items: [{ id: w.facilityId, name: 'Test centre 1' }] });
    expect((await w.as('patientA', { method: 'GET', url: '/api/v1/consultation-quality/facilities' })).json()).toEqual({ items: [] });

    // Chat during the call: stored encrypted, pushed live.
    const text = 'Болката е зад гръдната кост от вчера';
    const posted = await w.as('patientA', { method: 'POST', url: `/api/v1/consultations/${consultation.id}/messages`, payload: { text } });
    expect(posted.statusCode).toBe(201);
    const live = await doctor.next('event', (m) => m.event.kind === 'message');
    expect(live.event.kind === 'message' && live.event.message.text).toBe(text);
    const dump = await t.deps.db.execute(sql`SELECT encode(body_enc, 'escape') AS b FROM consultation_message`);
    expect(JSON.stringify(dump.rows)).not.toContain('гръдната');

    // Recording: the gate decides; withdrawal stops it at once (R-TM-25, docs/decisions.md#d6).
    gate.recording = false;
    const noConsent = await w.as('specialistWithCare', { method: 'POST', url: `/api/v1/consultations/${consultation.id}/recordings`, payload: { media: 'video' } });
    expect(noConsent.statusCode).toBe(403);
    gate.recording = true;
    const rec = await w.as('specialistWithCare', { method: 'POST', url: `/api/v1/consultations/${consultation.id}/recordings`, payload: { media: 'video' } });
    expect(rec.statusCode).toBe(201);
    const recId = rec.json<{ id: string }>().id;
    const chunk = (seq: number) =>
      t.app.inject({ method: 'PUT', url: `/api/v1/consultations/${consultation.id}/recordings/${recId}/chunks?seq=${seq}`, headers: { ...w.sessions.specialistWithCare.headers, 'content-type': 'video/webm' }, payload: WEBM });
    expect((await chunk(0)).statusCode).toBe(200);
    const withdrawn = await t.deps.consultation.handleRecordingConsentWithdrawn({ ...w.sessions.patientA.headers, actor: { type: 'system', id: 'consent' }, requestId: 'r', ip: '127.0.0.1', userAgent: undefined, lang: 'bg' }, requestId);
    expect(withdrawn.stopped).toEqual([recId]);
    await back.next('event', (m) => m.event.kind === 'recording' && m.event.status === 'withdrawn');
    const late = await chunk(1);
    expect(late.statusCode).toBe(409);
    expect(late.json<{ code: string }>().code).toBe('consultation.recording_stopped');
    const download = await w.as('patientA', { method: 'GET', url: `/api/v1/consultations/${consultation.id}/recordings/${recId}` });
    expect(download.statusCode).toBe(200);
    expect(download.rawPayload.equals(WEBM)).toBe(true);
    const accessRows = await t.deps.db.execute(sql`SELECT count(*)::int AS n FROM audit_event WHERE action = 'recording.accessed' AND actor_id = ${w.sessions.patientA.accountId}`);
    expect(accessRows.rows[0]?.n).toBe(1);

    // Completion: only the providing specialist; the call ends for everyone (R-TM-39).
    const byPatient = await w.as('patientA', { method: 'POST', url: `/api/v1/consultations/${consultation.id}/complete` });
    expect(byPatient.statusCode).toBe(403);
    const done = await w.as('specialistWithCare', { method: 'POST', url: `/api/v1/consultations/${consultation.id}/complete` });
    expect(done.statusCode).toBe(200);
    expect(done.json<{ completedAt: string }>().completedAt).toBe('2026-11-25T08:00:00Z');
    expect((await back.closed).code).toBe(4001);
    expect(transitions).toEqual([`start:${requestId}`, `complete:${requestId}`]);
    const after = await w.as('patientA', { method: 'POST', url: `/api/v1/consultations/${consultation.id}/messages`, payload: { text: 'още' } });
    expect(after.json<{ code: string }>().code).toBe('consultation.finished');
    const rejoin = await connectSignal(signalUrl(), wsHeaders('patientA'));
    expect((await rejoin.closed).code).toBe(4001);
  });

  it('scans files by their bytes and lets only participants download them', async () => {
    const other = await insertRequestFixture(t.deps.db, t.deps, {
      facilityId: w.facilityId,
      practitionerId: (await t.deps.db.execute(sql`SELECT practitioner_id FROM user_account WHERE id = ${w.sessions.specialistWithCare.accountId}`)).rows[0]?.practitioner_id as string,
      patientId: w.patientA.id,
      requesterAccountId: w.sessions.patientA.accountId,
      mode: 'asynchronous',
      status: 'accepted',
    });
    const c = (await w.as('patientA', { method: 'POST', url: `/api/v1/requests/${other}/consultation` })).json<Consultation>();
    expect(c.mode).toBe('asynchronous');
    const upload = (body: Buffer, type: string, name = 'снимка.png') =>
      t.app.inject({ method: 'POST', url: `/api/v1/consultations/${c.id}/files?name=${encodeURIComponent(name)}`, headers: { ...w.sessions.patientA.headers, 'content-type': type }, payload: body });
    const exe = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(200)]);
    const bad = await upload(exe, 'image/png');
    expect(bad.statusCode).toBe(415);
    expect(bad.json<{ code: string }>().code).toBe('file.type_not_allowed');
    const mismatch = await upload(PNG, 'application/pdf');
    expect(mismatch.json<{ code: string }>().code).toBe('file.type_mismatch');
    const ok = await upload(PNG, 'image/png');
    expect(ok.statusCode).toBe(201);
    const file = ok.json<ConsultationFile>();
    expect(file).toMatchObject({ contentType: 'image/png', sizeBytes: PNG.length, name: 'снимка.png' });

    // Store and forward: the case, then the specialist's written answer.
    expect((await w.as('patientA', { method: 'POST', url: `/api/v1/consultations/${c.id}/messages`, payload: { kind: 'case', text: 'Обрив от 3 дни', fileId: file.id } })).statusCode).toBe(201);
    expect((await w.as('patientA', { method: 'POST', url: `/api/v1/consultations/${c.id}/messages`, payload: { kind: 'answer', text: 'x' } })).statusCode).toBe(403);
    expect((await w.as('specialistWithCare', { method: 'POST', url: `/api/v1/consultations/${c.id}/messages`, payload: { kind: 'answer', text: 'Контактен дерматит' } })).statusCode).toBe(201);
    const msgs = await w.as('specialistWithCare', { method: 'GET', url: `/api/v1/consultations/${c.id}/messages` });
    expect(msgs.json<{ items: { kind: string }[] }>().items.map((m) => m.kind)).toEqual(['case', 'answer']);

    const dl = await w.as('specialistWithCare', { method: 'GET', url: `/api/v1/consultations/${c.id}/files/${file.id}` });
    expect(dl.statusCode).toBe(200);
    expect(dl.headers['content-type']).toBe('image/png');
    expect(dl.rawPayload.equals(PNG)).toBe(true);
    expect((await w.as('specialistWithout', { method: 'GET', url: `/api/v1/consultations/${c.id}/files/${file.id}` })).statusCode).toBe(403);
    const audited = await t.deps.db.execute(sql`SELECT count(*)::int AS n FROM audit_event WHERE action = 'consultation.file_downloaded' AND subject_id = ${c.id} AND outcome = 'success'`);
    expect(audited.rows[0]?.n).toBe(1);
    // A store-and-forward case has no call.
    expect((await w.as('patientA', { method: 'POST', url: `/api/v1/consultations/${c.id}/recordings`, payload: { media: 'audio' } })).json<{ code: string }>().code).toBe('consultation.wrong_mode');
  });
});

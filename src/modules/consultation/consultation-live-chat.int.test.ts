import { Writable } from 'node:stream';
import { sql } from 'drizzle-orm';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/app-harness.js';
import { buildAccessWorld, type AccessWorld } from '../../test/access-world.js';
import { insertRequestFixture } from '../../test/consultation-world.js';
import { connectSignal, type SignalTestClient } from '../../test/signal-client.js';
import { loggerOptions } from '../../platform/logger.js';
import type { Consultation, ConsultationFile, RoomEvent } from '../../contracts/consultation.js';
import type { ConsultationGates, RequestLifecycle } from './consultation.ports.js';

// Chat and files outside calls: a participant's page keeps one WebSocket (`?mode=chat`) on which
// new messages and file notices of the consultation are pushed, instead of polling. Opening it passes
// the same check as reading the messages (participants only, audited); it works on store-and-forward
// cases and beside a call without being part of it. Runs on PGlite and on PostgreSQL (DATABASE_URL).

const gates: ConsultationGates = { assertServiceMayStart: async () => undefined, assertRecordingAllowed: async () => ({ consentId: '0190aaaa-0000-7000-8000-000000000001' }) };
const lifecycle: RequestLifecycle = { startService: async () => undefined, completeService: async () => undefined };
// A real 2x2 PNG: an image whose header does not decode is refused (docs/security-input.md).
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGP8z8DAwMDAxMDAwMDAAAANHQEDasKb6QAAAABJRU5ErkJggg==', 'base64');
// Patient content that must never reach a log line.
const SECRET_TEXT = 'Обривът се разпростира по гърба';
const SECRET_FILE = 'гръб-снимка.png';

describe('live chat and file notices outside calls', () => {
  let t: TestApp;
  let w: AccessWorld;
  let base: string;
  let practitionerId: string;
  const logged: string[] = [];

  beforeAll(async () => {
    // Everything the app logs, down to debug, to check that no patient content is written.
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        logged.push(chunk.toString('utf8'));
        done();
      },
    });
    t = await createTestApp({ overrides: { consultationPorts: { gates, lifecycle } }, log: pino(loggerOptions('debug'), sink) });
    w = await buildAccessWorld(t);
    practitionerId = (await t.deps.db.execute(sql`SELECT practitioner_id FROM user_account WHERE id = ${w.sessions.specialistWithCare.accountId}`)).rows[0]?.practitioner_id as string;
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    const addr = t.app.server.address();
    base = `127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  });

  afterAll(async () => {
    await t?.close();
  });

  type Who = 'patientA' | 'specialistWithCare' | 'specialistWithout';
  async function open(mode: 'synchronous' | 'asynchronous', start: string): Promise<Consultation> {
    const requestId = await insertRequestFixture(t.deps.db, t.deps, { facilityId: w.facilityId, practitionerId, patientId: w.patientA.id, requesterAccountId: w.sessions.patientA.accountId, mode, status: 'accepted', start });
    return (await w.as('patientA', { method: 'POST', url: `/api/v1/requests/${requestId}/consultation` })).json<Consultation>();
  }
  const socket = (c: Consultation, who: Who | 'anonymous', mode: 'chat' | 'call' = 'chat', origin = `http://${base}`) =>
    connectSignal(`ws://${base}/api/v1/consultations/${c.id}/signal?mode=${mode}`, { origin, ...(who === 'anonymous' ? {} : { cookie: w.sessions[who].headers.cookie ?? '' }) });
  const events = (s: SignalTestClient) => s.received.filter((m) => m.t === 'event').map((m) => (m as { event: RoomEvent }).event);
  const audited = async (action: string, consultationId: string, outcome: string) =>
    (await t.deps.db.execute(sql`SELECT count(*)::int AS n FROM audit_event WHERE action = ${action} AND subject_id = ${consultationId} AND outcome = ${outcome}`)).rows[0]?.n;

  it('pushes the answer, the case and file notices of a store-and-forward case to the other side', async () => {
    const c = await open('asynchronous', '2026-11-25T09:00:00Z');
    const patient = await socket(c, 'patientA');
    await patient.next('watching');
    const doctor = await socket(c, 'specialistWithCare');
    await doctor.next('watching');
    // Opening the channel is the same check as reading the messages, and audited per person.
    expect(await audited('consultation.chat_watched', c.id, 'success')).toBe(2);

    const upload = await t.app.inject({
      method: 'POST',
      url: `/api/v1/consultations/${c.id}/files?name=${encodeURIComponent(SECRET_FILE)}`,
      headers: { ...w.sessions.patientA.headers, 'content-type': 'image/png' },
      payload: PNG,
    });
    expect(upload.statusCode).toBe(201);
    const file = upload.json<ConsultationFile>();
    const caseText = await w.as('patientA', { method: 'POST', url: `/api/v1/consultations/${c.id}/messages`, payload: { kind: 'case', text: SECRET_TEXT, fileId: file.id } });
    expect(caseText.statusCode).toBe(201);
    const fileEv = await doctor.next('event', (m) => m.event.kind === 'file');
    expect(fileEv.event.kind === 'file' && fileEv.event.file).toMatchObject({ id: file.id, name: SECRET_FILE, contentType: 'image/png' });
    const caseEv = await doctor.next('event', (m) => m.event.kind === 'message');
    expect(caseEv.event.kind === 'message' && caseEv.event.message).toMatchObject({ kind: 'case', text: SECRET_TEXT, fileId: file.id });

    const answer = await w.as('specialistWithCare', { method: 'POST', url: `/api/v1/consultations/${c.id}/messages`, payload: { kind: 'answer', text: 'Контактен дерматит' } });
    const answerId = answer.json<{ id: string }>().id;
    const answerEv = await patient.next('event', (m) => m.event.kind === 'message' && m.event.message.kind === 'answer');
    expect(answerEv.event.kind === 'message' && answerEv.event.message).toMatchObject({ id: answerId, text: 'Контактен дерматит', senderSide: 'provider' });
    // The sender's own page gets its message too (it may have several tabs); each once.
    await patient.next('event', (m) => m.event.kind === 'message' && m.event.message.kind === 'case');
    await patient.next('event', (m) => m.event.kind === 'file');
    patient.send({ t: 'ping', n: 1 });
    await patient.next('pong');
    expect(events(patient)).toEqual([]);

    // The specialist completes: the channel closes as finished, and a finished case opens none.
    await doctor.next('event', (m) => m.event.kind === 'message' && m.event.message.kind === 'answer');
    expect((await w.as('specialistWithCare', { method: 'POST', url: `/api/v1/consultations/${c.id}/complete` })).statusCode).toBe(200);
    await patient.next('event', (m) => m.event.kind === 'finished');
    expect((await patient.closed).code).toBe(4001);
    expect((await doctor.closed).code).toBe(4001);
    const late = await socket(c, 'patientA');
    expect((await late.closed).code).toBe(4001);

    // No patient content in the logs: neither the texts nor the file name.
    expect(logged.length).toBeGreaterThan(0);
    const all = logged.join('\n');
    expect(all).not.toContain(SECRET_TEXT);
    expect(all).not.toContain(SECRET_FILE);
    expect(all).not.toContain('Контактен дерматит');
  });

  it('refuses people who are not participants, without a session, or from another site', async () => {
    const c = await open('asynchronous', '2026-11-25T09:30:00Z');
    const outsider = await socket(c, 'specialistWithout');
    expect((await outsider.next('error')).code).toBe('auth.forbidden');
    expect((await outsider.closed).code).toBe(4003);
    expect(await audited('consultation.chat_watched', c.id, 'denied')).toBe(1);
    await expect(socket(c, 'anonymous')).rejects.toMatchObject({ statusCode: 401 });
    await expect(socket(c, 'patientA', 'chat', 'https://evil.example')).rejects.toMatchObject({ statusCode: 403 });
    // And the outsider got nothing of what happened meanwhile.
    await w.as('patientA', { method: 'POST', url: `/api/v1/consultations/${c.id}/messages`, payload: { kind: 'case', text: 'x' } });
    expect(outsider.received.filter((m) => m.t === 'event')).toEqual([]);
  });

  it('beside a real-time call: the chat page gets messages and files only, and the call does not see it', async () => {
    const c = await open('synchronous', '2026-11-25T10:00:00Z');
    const doctor = await socket(c, 'specialistWithCare', 'call');
    await doctor.next('welcome');
    const chat = await socket(c, 'patientA');
    await chat.next('watching');
    // Not a participant of the call: no presence either way, no waiting room entry, no joined row.
    doctor.send({ t: 'ping', n: 1 });
    await doctor.next('pong');
    expect(doctor.received.filter((m) => m.t === 'peer')).toEqual([]);
    expect(await audited('consultation.joined', c.id, 'success')).toBe(1);
    chat.send({ t: 'media', audio: true, video: true, screen: false });
    expect((await chat.next('error')).code).toBe('request.invalid');
    doctor.send({ t: 'media', audio: true, video: false, screen: false });
    await doctor.next('event', (m) => m.event.kind === 'media');

    const posted = await w.as('specialistWithCare', { method: 'POST', url: `/api/v1/consultations/${c.id}/messages`, payload: { text: 'Влезте в разговора, моля' } });
    expect(posted.statusCode).toBe(201);
    const ev = await chat.next('event', (m) => m.event.kind === 'message');
    expect(ev.event.kind === 'message' && ev.event.message.text).toBe('Влезте в разговора, моля');
    chat.send({ t: 'ping', n: 2 });
    await chat.next('pong');
    // The doctor's microphone state (a call event) was not sent to the chat page.
    expect(events(chat)).toEqual([]);
    chat.close();
    doctor.close();
  });
});

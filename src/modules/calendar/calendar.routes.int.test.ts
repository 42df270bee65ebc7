import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../platform/clock.js';
import { createTestApp, type TestApp } from '../../test/app-harness.js';
import { buildRequestsWorld, CARDIOLOGY, type RequestsWorld } from '../../test/requests-world.js';

// Appointments in the patient's calendar (docs/registration.md#calendar): an .ics per appointment for the
// requester side only, and a private feed URL that is secret, revocable and shows only upcoming visits.

/** RFC 5545 §3.1: long lines are folded with CRLF + space; unfold before matching. */
const unfold = (ics: string) => ics.replace(/\r\n[ \t]/g, '');

describe('calendar: .ics per appointment and the private feed', () => {
  const clock = fixedClock('2026-11-25T08:00:00Z');
  let t: TestApp;
  let w: RequestsWorld;
  let requestId: string;
  let start: string;
  beforeAll(async () => {
    t = await createTestApp({ clock, env: { PUBLIC_URL: 'https://distansia.example.bg' } });
    w = await buildRequestsWorld(t, { slots: 4 });
    const slot = w.slots[0];
    if (!slot) throw new Error('no slot');
    start = slot.start;
    const res = await w.as('patient', {
      method: 'POST',
      url: '/api/v1/requests',
      payload: { urgency: 'planned', mode: 'synchronous', facilityId: w.providerId, specialtyCode: CARDIOLOGY, serviceId: w.syncServiceId, slotId: slot.id, phone: '+359 88 123 4567', intake: { anamnesis: 'Тайна анамнеза' } },
    });
    expect(res.statusCode, res.body).toBe(201);
    requestId = res.json<{ request: { id: string } }>().request.id;
  });
  afterAll(async () => t?.close());

  it('gives the requester an .ics of the appointment in UTC with a stable UID and no clinical content', async () => {
    const res = await w.as('patient', { method: 'GET', url: `/api/v1/requests/${requestId}/calendar.ics` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/calendar');
    const body = unfold(res.body);
    const stamp = start.replace(/[-:]/g, '').replace(/\.\d+/, '').replace(/Z$/, 'Z');
    expect(body).toContain(`DTSTART:${stamp}`);
    expect(body).toMatch(/UID:[0-9a-f-]{36}@distansia/);
    expect(body).toContain(`URL:https://distansia.example.bg/requests/${requestId}`);
    expect(body).toContain('DTSTAMP:20261125T080000Z');
    expect(body).not.toContain('Тайна анамнеза');
  });

  it('refuses another patient and an anonymous caller', async () => {
    expect((await w.as('otherPatient', { method: 'GET', url: `/api/v1/requests/${requestId}/calendar.ics` })).statusCode).toBe(404);
    expect((await w.as('anonymous', { method: 'GET', url: `/api/v1/requests/${requestId}/calendar.ics` })).statusCode).toBe(401);
  });

  it('serves the feed at a secret URL without a session, replaces it on demand and stops it on revocation', async () => {
    const created = await w.as('patient', { method: 'POST', url: '/api/v1/me/calendar-feed' });
    expect(created.statusCode).toBe(201);
    const { url } = created.json<{ url: string }>();
    expect(url).toMatch(/^https:\/\/distansia\.example\.bg\/api\/v1\/calendar\/[\w-]{20,}\.ics$/);
    const path = new URL(url).pathname;
    const feed = await t.app.inject({ method: 'GET', url: path });
    expect(feed.statusCode).toBe(200);
    expect(feed.body).toContain('BEGIN:VEVENT');
    expect(unfold(feed.body)).toContain(`/requests/${requestId}`);
    // The other patient's feed does not show this appointment.
    const other = (await w.as('otherPatient', { method: 'POST', url: '/api/v1/me/calendar-feed' })).json<{ url: string }>();
    expect((await t.app.inject({ method: 'GET', url: new URL(other.url).pathname })).body.replace(/\r\n[ \t]/g, '')).not.toContain(requestId);
    // A new URL revokes the old one.
    const replaced = (await w.as('patient', { method: 'POST', url: '/api/v1/me/calendar-feed' })).json<{ url: string }>();
    expect((await t.app.inject({ method: 'GET', url: path })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: new URL(replaced.url).pathname })).statusCode).toBe(200);
    expect((await w.as('patient', { method: 'GET', url: '/api/v1/me/calendar-feed' })).json<{ createdAt: string | null }>().createdAt).not.toBeNull();
    expect((await w.as('patient', { method: 'DELETE', url: '/api/v1/me/calendar-feed' })).statusCode).toBe(204);
    expect((await t.app.inject({ method: 'GET', url: new URL(replaced.url).pathname })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/calendar/not-a-real-token-at-all-000.ics' })).statusCode).toBe(404);
  });
});

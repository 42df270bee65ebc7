import { sql } from 'drizzle-orm';
import { Temporal } from 'temporal-polyfill';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../platform/clock.js';
import { makeEgn } from '../../platform/identifiers.js';
import { systemCtx } from '../../platform/auth/request-context.js';
import { createTestApp, type TestApp } from '../../test/app-harness.js';
import { buildAccessWorld, type AccessWorld } from '../../test/access-world.js';

// Art. 28(1) item 3 (only authorised persons learn anything about a patient; docs/access.md): regression tests of
// the trust review's finding 7 — `POST /admin/representative-links` told a registered EGN from an
// unregistered one, and `/requests/:id/documents` answered 200 to anyone for ids without signed documents.

const clock = fixedClock('2026-11-25T08:00:00Z');
let t: TestApp;
let w: AccessWorld;
let unregistered: string;

beforeAll(async () => {
  t = await createTestApp({ clock });
  w = await buildAccessWorld(t);
  unregistered = makeEgn(Temporal.PlainDate.from('1991-07-09'), 'male', 377);
}, 60_000);
afterAll(async () => {
  await t?.close();
});

/** The answer without what differs per request (instance, request id). */
function answer(res: { statusCode: number; json: () => unknown }) {
  const body = res.json() as Record<string, unknown>;
  return { status: res.statusCode, code: body.code, title: body.title, detail: body.detail, errors: body.errors };
}

describe('POST /admin/representative-links is not an oracle for "is this EGN registered"', () => {
  const link = (patientIdentifier: string, over: Record<string, unknown>) =>
    w.as('facilityAdmin', {
      method: 'POST',
      url: '/api/v1/admin/representative-links',
      payload: { facilityId: w.facilityId, patientIdentifierKind: 'egn', patientIdentifier, basis: 'guardian', documentRef: 'Решение № 7/2026 СРС', ...over },
    });

  it('answers the same for a registered and an unregistered EGN whatever else is wrong', async () => {
    const cases: Record<string, unknown>[] = [
      { representativeEmail: 'nobody-here@example.bg' },
      { representativeEmail: w.sessions.patientA.email },
      { representativeEmail: w.sessions.specialistWithCare.email },
      { representativeEmail: w.friend.email, validUntil: '2026-11-01T00:00:00Z' },
    ];
    for (const over of cases) {
      const registered = await link(w.patientB.demographics.identifier, over);
      const unknown = await link(unregistered, over);
      expect(answer(unknown), JSON.stringify(over)).toEqual(answer(registered));
      expect(registered.statusCode).toBeGreaterThanOrEqual(400);
    }
  });

  it('only a request that would create a link learns that no patient has the identifier, and that is audited', async () => {
    const before = await t.deps.db.execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM audit_event WHERE action = 'representative.link_refused' AND facility_id = ${w.facilityId}`);
    const res = await link(unregistered, { representativeEmail: w.friend.email });
    expect(answer(res)).toMatchObject({ status: 404, code: 'resource.not_found' });
    const after = await t.deps.db.execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM audit_event WHERE action = 'representative.link_refused' AND facility_id = ${w.facilityId}`);
    expect(after.rows[0]!.n).toBe(before.rows[0]!.n + 1);
    const created = await link(w.patientB.demographics.identifier, { representativeEmail: w.friend.email });
    expect(created.statusCode, created.body).toBe(201);
  });
});

describe('GET /requests/:id/documents checks authorisation before existence', () => {
  let requestId: string;

  beforeAll(async () => {
    requestId = t.deps.ids.uuid();
    const serviceId = t.deps.ids.uuid();
    const at = '2026-11-25T07:00:00Z';
    const practitioner = await t.deps.db.execute<{ practitioner_id: string }>(sql`SELECT practitioner_id FROM user_account WHERE id = ${w.sessions.specialistWithCare.accountId}`);
    await t.deps.db.execute(sql`INSERT INTO facility_service (id, facility_id, specialty_code, kind_code, name, description, mode, typical_minutes, price_eur_cents, status, created_at, updated_at)
      VALUES (${serviceId}, ${w.facilityId}, '1020', 'consultation', 'Кардиологична консултация', 'Преглед', 'asynchronous', 20, 3000, 'published', ${at}, ${at})`);
    await t.deps.db.execute(sql`INSERT INTO service_request (id, urgency, mode, status, requester_kind, requester_account_id, recipient_kind, patient_id, provider_facility_id, specialty_code, service_id, practitioner_id, form_enc, created_at, updated_at)
      VALUES (${requestId}, 'planned', 'asynchronous', 'requested', 'patient', ${w.sessions.patientA.accountId}, 'patient', ${w.patientA.id}, ${w.facilityId}, '1020', ${serviceId}, ${practitioner.rows[0]!.practitioner_id}, ${Buffer.from('x')}, ${at}, ${at})`);
  });

  it('finding 7: strangers get 403 for a service without documents and for an unknown id alike', async () => {
    const unknownId = '0190a000-0000-7000-8000-00000000beef';
    for (const who of ['patientB', 'specialistWithout', 'facilityAdmin', 'operator', 'supervisor'] as const) {
      for (const id of [requestId, unknownId]) {
        const res = await w.as(who, { method: 'GET', url: `/api/v1/requests/${id}/documents` });
        expect({ who, id, status: res.statusCode, code: res.json<{ code: string }>().code }).toEqual({ who, id, status: 403, code: 'auth.forbidden' });
      }
    }
    expect((await w.as('anonymous', { method: 'GET', url: `/api/v1/requests/${unknownId}/documents` })).statusCode).toBe(401);
  });

  it('the patient, their representative and the service’s specialist still see the (empty) list', async () => {
    for (const who of ['patientA', 'repOfA', 'specialistWithCare'] as const) {
      const res = await w.as(who, { method: 'GET', url: `/api/v1/requests/${requestId}/documents` });
      expect({ who, status: res.statusCode, body: res.json() }).toEqual({ who, status: 200, body: { items: [] } });
    }
  });
});

describe('registry URL fields accept only https: (http: on localhost), and the directory never serves other schemes', () => {
  const patchWebsite = async (website: string) => {
    const current = await t.deps.registry.getFacility(systemCtx('test'), w.facilityId);
    return t.app.inject({ method: 'PATCH', url: `/api/v1/admin/facilities/${w.facilityId}`, headers: w.sessions.facilityAdmin.headers, payload: { website, version: current.version } });
  };

  it('refuses javascript:, data:, plain http: and credentials; accepts https: and http://localhost', async () => {
    for (const bad of ['javascript:alert(1)', 'data:text/html,<script>alert(1)</script>', 'http://example.bg', 'https://user:pw@example.bg', 'ftp://example.bg/x']) {
      const res = await patchWebsite(bad);
      expect({ bad, status: res.statusCode, pointers: res.json<{ errors?: { pointer: string }[] }>().errors?.map((e) => e.pointer) }).toEqual({ bad, status: 400, pointers: ['#/website'] });
    }
    for (const good of ['https://clinic.example.bg/', 'http://localhost:8080/']) {
      const res = await patchWebsite(good);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json<{ website: string }>().website).toBe(good);
    }
  });

  it('a javascript: URL stored before the rule is never published, in JSON or in the FHIR bundle', async () => {
    await t.deps.db.execute(sql`UPDATE facility SET website = 'javascript:alert(document.cookie)' WHERE id = ${w.facilityId}`);
    const page = await t.app.inject({ method: 'GET', url: `/api/v1/directory/facilities/${w.facilityId}` });
    expect(page.statusCode, page.body).toBe(200);
    expect(page.json<{ website: string | null }>().website).toBeNull();
    const fhir = await t.app.inject({ method: 'GET', url: `/api/v1/directory/facilities/${w.facilityId}/fhir` });
    expect(fhir.statusCode, fhir.body).toBe(200);
    expect(fhir.body).not.toMatch(/javascript:|data:/i);
  });
});

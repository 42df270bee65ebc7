import { MedplumClient } from '@medplum/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../platform/clock.js';
import type { ApiClientCreated } from '../../contracts/api-clients.js';
import { createTestApp, type TestApp } from '../../test/app-harness.js';
import { buildAccessWorld, type AccessWorld } from '../../test/access-world.js';
import { fhirProblems } from '../../test/fhir-validate.js';

// A facility's registered system reads, with OAuth 2.0 client credentials, its patients through the FHIR
// endpoint (docs/fhir.md#machine-clients). PGlite and PostgreSQL (DATABASE_URL).

const clock = fixedClock('2026-12-07T08:00:00Z');
let t: TestApp;
let w: AccessWorld;
let client: ApiClientCreated;

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const form = (o: Record<string, string>) => new URLSearchParams(o).toString();
const token = (body: Record<string, string>, headers: Record<string, string> = {}) => t.app.inject({ method: 'POST', url: '/oauth/token', headers: { ...FORM, ...headers }, payload: form(body) });
const fhir = (url: string, bearer?: string) => t.app.inject({ method: 'GET', url, headers: bearer ? { authorization: `Bearer ${bearer}` } : {} });

async function auditRows(action: string) {
  const { rows } = await t.deps.database.pool.query<{ actor_type: string; actor_id: string | null; outcome: string; facility_id: string | null; data: Record<string, unknown> | null }>(
    'SELECT actor_type, actor_id, outcome, facility_id, data FROM audit_event WHERE action = $1 ORDER BY seq',
    [action],
  );
  return rows;
}

beforeAll(async () => {
  t = await createTestApp({ clock });
  w = await buildAccessWorld(t);
}, 180_000);

afterAll(async () => {
  await t?.close();
});

describe('registering a system', () => {
  it("only the facility's administrator registers one; the secret is shown once and stored as a digest", async () => {
    const body = { name: 'Болнична информационна система', scopes: ['system/*.read'] };
    for (const actor of ['specialistWithCare', 'coordinator', 'operator', 'patientA'] as const) {
      expect((await w.as(actor, { method: 'POST', url: `/api/v1/facilities/${w.facilityId}/api-clients`, payload: body })).statusCode, actor).toBe(403);
    }
    expect((await w.as('facilityAdmin', { method: 'POST', url: `/api/v1/facilities/${w.otherFacilityId}/api-clients`, payload: body })).statusCode).toBe(403);
    const res = await w.as('facilityAdmin', { method: 'POST', url: `/api/v1/facilities/${w.facilityId}/api-clients`, payload: body });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.headers['cache-control']).toBe('no-store');
    client = res.json<ApiClientCreated>();
    expect(client).toMatchObject({ facilityId: w.facilityId, scope: 'system/*.read', revokedAt: null, clientSecret: expect.stringMatching(/^[\w-]{43}$/) as unknown });
    const { rows } = await t.deps.database.pool.query<{ secret_sha256: Buffer }>('SELECT secret_sha256 FROM api_client WHERE id = $1', [client.id]);
    expect(rows[0]?.secret_sha256.toString('utf8')).not.toContain(client.clientSecret);
    const list = await w.as('facilityAdmin', { method: 'GET', url: `/api/v1/facilities/${w.facilityId}/api-clients` });
    expect(list.json<{ items: Record<string, unknown>[] }>().items).toEqual([expect.not.objectContaining({ clientSecret: expect.anything() as unknown })]);
    expect(JSON.stringify(await auditRows('api_client.registered'))).not.toContain(client.clientSecret);
  });
});

describe('the token endpoint (RFC 6749 §4.4)', () => {
  it('issues a bearer token for the right secret, by HTTP Basic or in the form', async () => {
    const basic = Buffer.from(`${client.id}:${client.clientSecret}`).toString('base64');
    const a = await token({ grant_type: 'client_credentials' }, { authorization: `Basic ${basic}` });
    expect(a.statusCode, a.body).toBe(200);
    expect(a.headers['cache-control']).toBe('no-store');
    expect(a.json()).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: 'system/*.read', access_token: expect.any(String) as unknown });
    const b = await token({ grant_type: 'client_credentials', client_id: client.id, client_secret: client.clientSecret, scope: 'system/*.read' });
    expect(b.statusCode).toBe(200);
    expect((await auditRows('api_client.token_issued')).at(-1)).toMatchObject({ actor_type: 'client', actor_id: client.id, facility_id: w.facilityId });
  });

  it('refuses a wrong secret, an unknown client, another grant and a scope not granted, in OAuth shape, audited', async () => {
    const wrong = await token({ grant_type: 'client_credentials', client_id: client.id, client_secret: 'x'.repeat(43) });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json()).toEqual({ error: 'invalid_client', error_description: 'Client authentication failed' });
    const unknown = await token({ grant_type: 'client_credentials', client_id: t.deps.ids.uuid(), client_secret: client.clientSecret });
    expect(unknown.json()).toEqual(wrong.json());
    expect((await token({ grant_type: 'password', client_id: client.id, client_secret: client.clientSecret })).json()).toMatchObject({ error: 'unsupported_grant_type' });
    const scope = await token({ grant_type: 'client_credentials', client_id: client.id, client_secret: client.clientSecret, scope: 'patient/*.read' });
    expect(scope.statusCode).toBe(400);
    expect(scope.json()).toMatchObject({ error: 'invalid_scope' });
    expect((await t.app.inject({ method: 'POST', url: '/oauth/token', payload: { grant_type: 'client_credentials' } })).json()).toMatchObject({ error: 'invalid_request' });
    expect((await auditRows('api_client.token_refused')).map((r) => r.data?.['error'])).toEqual(['invalid_client', 'invalid_client', 'unsupported_grant_type', 'invalid_scope']);
  });
});

describe('the system at the FHIR endpoint', () => {
  let access: string;
  beforeAll(async () => {
    access = (await token({ grant_type: 'client_credentials', client_id: client.id, client_secret: client.clientSecret })).json<{ access_token: string }>().access_token;
  });

  it("reads a patient under care at its facility with a FHIR client library, audited as the system; never another facility's patient", async () => {
    const fetch = async (url: string, init?: { method?: string; headers?: Record<string, string> }) => {
      const res = await t.app.inject({ method: (init?.method ?? 'GET') as 'GET', url: url.replace(/^https?:\/\/[^/]+/, ''), headers: init?.headers ?? {} });
      return new Response(res.body, { status: res.statusCode, headers: { 'content-type': String(res.headers['content-type']) } });
    };
    const medplum = new MedplumClient({ baseUrl: 'http://localhost/', fhirUrlPath: 'fhir/R4', fetch, cacheTime: 0 });
    medplum.setAccessToken(access);
    const patient = await medplum.readResource('Patient', w.patientA.id);
    expect(patient.identifier?.[0]?.value).toBe(w.patientA.demographics.identifier);
    expect(fhirProblems(patient)).toEqual([]);
    const reads = await auditRows('patient.read');
    expect(reads.at(-1)).toMatchObject({ actor_type: 'client', actor_id: client.id, facility_id: w.facilityId });
    // patientB has no care relationship at the system's facility.
    const other = await fhir(`/fhir/R4/Patient/${w.patientB.id}`, access);
    expect(other.statusCode).toBe(403);
    expect(other.json()).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ code: 'forbidden' }] });
    expect((await auditRows('access.denied')).at(-1)).toMatchObject({ actor_type: 'client', actor_id: client.id, outcome: 'denied' });
  });

  it("$everything holds the patient and only what the system's facility recorded", async () => {
    const res = await fhir(`/fhir/R4/Patient/${w.patientA.id}/$everything`, access);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ resourceType: 'Bundle', type: 'searchset', entry: [{ resource: { resourceType: 'Patient', id: w.patientA.id } }] });
    expect(fhirProblems(res.json())).toEqual([]);
  });

  it('a token without the scope is refused with insufficient_scope', async () => {
    const narrow = (await w.as('facilityAdmin', { method: 'POST', url: `/api/v1/facilities/${w.facilityId}/api-clients`, payload: { name: 'Регистър', scopes: ['system/Patient.read'] } })).json<ApiClientCreated>();
    const narrowToken = (await token({ grant_type: 'client_credentials', client_id: narrow.id, client_secret: narrow.clientSecret })).json<{ access_token: string }>().access_token;
    expect((await fhir(`/fhir/R4/Patient/${w.patientA.id}`, narrowToken)).statusCode).toBe(200);
    const res = await fhir(`/fhir/R4/Patient/${w.patientA.id}/$everything`, narrowToken);
    expect(res.statusCode).toBe(403);
    expect(res.headers['www-authenticate']).toContain('insufficient_scope');
  });

  it('an unknown, expired or revoked token is refused, never read as anonymous', async () => {
    const bogus = await fhir(`/fhir/R4/Organization`, 'not-a-token');
    expect(bogus.statusCode).toBe(401);
    expect(bogus.headers['www-authenticate']).toContain('invalid_token');
    expect((await fhir(`/fhir/R4/Patient/${w.patientA.id}`, access)).statusCode).toBe(200);
    const revoked = await t.app.inject({ method: 'DELETE', url: `/api/v1/api-clients/${client.id}`, headers: w.sessions.facilityAdmin.headers });
    expect(revoked.statusCode, revoked.body).toBe(200);
    expect(revoked.json()).toMatchObject({ revokedAt: '2026-12-07T08:00:00Z' });
    expect((await fhir(`/fhir/R4/Patient/${w.patientA.id}`, access)).statusCode).toBe(401);
    expect((await token({ grant_type: 'client_credentials', client_id: client.id, client_secret: client.clientSecret })).statusCode).toBe(401);
    // A token lives one hour.
    const other = (await w.as('facilityAdmin', { method: 'POST', url: `/api/v1/facilities/${w.facilityId}/api-clients`, payload: { name: 'Лаборатория', scopes: ['system/*.read'] } })).json<ApiClientCreated>();
    const fresh = (await token({ grant_type: 'client_credentials', client_id: other.id, client_secret: other.clientSecret })).json<{ access_token: string }>().access_token;
    clock.set('2026-12-07T08:59:59Z');
    expect((await fhir(`/fhir/R4/Patient/${w.patientA.id}`, fresh)).statusCode).toBe(200);
    clock.set('2026-12-07T09:00:00Z');
    expect((await fhir(`/fhir/R4/Patient/${w.patientA.id}`, fresh)).statusCode).toBe(401);
  });
});

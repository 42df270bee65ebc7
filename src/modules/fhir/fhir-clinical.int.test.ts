import { MedplumClient } from '@medplum/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../platform/clock.js';
import { systemCtx } from '../../platform/auth/request-context.js';
import type { ApiClientCreated } from '../../contracts/api-clients.js';
import type { ClinicalDocument } from '../../contracts/records.js';
import { createTestApp, type TestApp } from '../../test/app-harness.js';
import { buildAccessWorld, type AccessWorld } from '../../test/access-world.js';
import { fhirProblems } from '../../test/fhir-validate.js';
import { completedService, specialistIds, writeAndSign } from '../../test/records-world.js';
import { seedIcd10Demo } from '../../demo/icd10-demo.js';

// The clinical resources at /fhir/R4 (docs/fhir.md#clinical-resources): a signed ambulatory sheet read as
// Composition, DocumentReference, Condition and MedicationStatement, by the patient's browser session and
// by a registered system with client credentials, with the access policy of /api/v1. Tuesday 2026-11-24
// 10:00 Sofia. PGlite and PostgreSQL (DATABASE_URL).

const clock = fixedClock('2026-11-24T08:00:00Z');
let t: TestApp;
let w: AccessWorld;
let sheet: ClinicalDocument;

interface Bundle {
  type: string;
  link: { relation: string; url: string }[];
  entry?: { fullUrl: string; resource: { resourceType: string; id: string } & Record<string, unknown> }[];
}
const rel = (url: string) => url.replace(/^https?:\/\/[^/]+/, '');

beforeAll(async () => {
  t = await createTestApp({ clock });
  w = await buildAccessWorld(t);
  await seedIcd10Demo(t.deps.records, systemCtx('test'));
  const { withCare, withGrant } = await specialistIds(t, w);
  const requestId = await completedService(t, w, { practitionerId: withCare, otherPractitionerId: withGrant, completedAt: '2026-11-24T07:30:00Z', now: clock.now().toString() });
  sheet = await writeAndSign(w, clock, requestId);
}, 180_000);
afterAll(async () => {
  await t?.close();
});

describe('clinical resources by patient', () => {
  it('the patient finds the signed sheet as Composition, DocumentReference, Condition and MedicationStatement, valid R4, readable back by id', async () => {
    const expected = { Composition: 1, DocumentReference: 1, Condition: 2, MedicationStatement: 1 } as const;
    for (const [type, n] of Object.entries(expected)) {
      const res = await w.as('patientA', { method: 'GET', url: `/fhir/R4/${type}?patient=Patient/${w.patientA.id}` });
      expect(res.statusCode, res.body).toBe(200);
      const bundle = res.json<Bundle>();
      expect(bundle.type).toBe('searchset');
      expect(bundle.entry?.map((e) => e.resource.resourceType)).toEqual(Array(n).fill(type));
      expect(fhirProblems(bundle), type).toEqual([]);
      for (const e of bundle.entry ?? []) {
        expect(e.fullUrl).toMatch(new RegExp(`/fhir/R4/${type}/${e.resource.id}$`));
        // Inside a searchset a reference is `Type/id` this endpoint serves, or logical: never a document's urn:uuid.
        expect(JSON.stringify(e.resource)).not.toContain('"reference":"urn:uuid:');
        const read = await w.as('patientA', { method: 'GET', url: rel(e.fullUrl) });
        expect(read.statusCode, read.body).toBe(200);
        expect(read.json()).toEqual(e.resource);
      }
    }
    const composition = (await w.as('patientA', { method: 'GET', url: `/fhir/R4/Composition/${sheet.id}` })).json<Record<string, unknown>>();
    expect(composition).toMatchObject({ resourceType: 'Composition', id: sheet.id, status: 'final', subject: { reference: `Patient/${w.patientA.id}` } });
    const condition = (await w.as('patientA', { method: 'GET', url: `/fhir/R4/Condition/${sheet.id}-dx1` })).json<Record<string, unknown>>();
    expect(condition).toMatchObject({ code: { coding: [{ system: 'http://hl7.org/fhir/sid/icd-10', code: 'I10' }] }, encounter: { type: 'Encounter' } });
  });

  it('pages with _count and a next link', async () => {
    const first = (await w.as('patientA', { method: 'GET', url: `/fhir/R4/Condition?patient=${w.patientA.id}&_count=1` })).json<Bundle>();
    expect(first.entry?.map((e) => e.resource.id)).toEqual([`${sheet.id}-dx1`]);
    const next = first.link.find((l) => l.relation === 'next');
    expect(next).toBeDefined();
    const second = (await w.as('patientA', { method: 'GET', url: rel(next!.url) })).json<Bundle>();
    expect(second.entry?.map((e) => e.resource.id)).toEqual([`${sheet.id}-dx2`]);
    expect(second.link.some((l) => l.relation === 'next')).toBe(false);
  });

  it('no IDOR: another patient is refused the search and the read, audited; bad searches are OperationOutcome 400', async () => {
    for (const url of [`/fhir/R4/Composition?patient=${w.patientA.id}`, `/fhir/R4/Composition/${sheet.id}`, `/fhir/R4/Condition/${sheet.id}-dx1`]) {
      const res = await w.as('patientB', { method: 'GET', url });
      expect(res.statusCode, url).toBe(403);
      expect(res.json()).toMatchObject({ resourceType: 'OperationOutcome' });
    }
    for (const url of ['/fhir/R4/Composition', `/fhir/R4/Condition?patient=${w.patientA.id}&code=I10`, '/fhir/R4/Condition?patient=Practitioner/x']) {
      const res = await w.as('patientA', { method: 'GET', url });
      expect(res.statusCode, url).toBe(400);
      expect(fhirProblems(res.json())).toEqual([]);
    }
    expect((await w.as('patientA', { method: 'GET', url: '/fhir/R4/Condition/not-a-uuid' })).statusCode).toBe(404);
    expect((await w.as('anonymous', { method: 'GET', url: `/fhir/R4/Composition?patient=${w.patientA.id}` })).statusCode).toBe(401);
  });

  it("a registered system reads its facility's patient's documents with a FHIR client library, zero validation errors", async () => {
    const created = await w.as('facilityAdmin', { method: 'POST', url: `/api/v1/facilities/${w.facilityId}/api-clients`, payload: { name: 'Болнична информационна система', scopes: ['system/*.read'] } });
    expect(created.statusCode, created.body).toBe(201);
    const client = created.json<ApiClientCreated>();
    const fetch = async (url: string, init?: { method?: string; headers?: Record<string, string>; body?: string }) => {
      const res = await t.app.inject({ method: (init?.method ?? 'GET') as 'GET', url: rel(url), headers: init?.headers ?? {}, ...(init?.body ? { payload: init.body } : {}) });
      return new Response(res.body, { status: res.statusCode, headers: { 'content-type': String(res.headers['content-type']) } });
    };
    const medplum = new MedplumClient({ baseUrl: 'http://localhost/', fhirUrlPath: 'fhir/R4', tokenUrl: 'http://localhost/oauth/token', fetch, cacheTime: 0 });
    await medplum.startClientLogin(client.id, client.clientSecret);
    const docs = await medplum.searchResources('DocumentReference', { patient: `Patient/${w.patientA.id}` });
    expect(docs.map((d) => d.id)).toEqual([sheet.id]);
    const conditions = await medplum.searchResources('Condition', { patient: `Patient/${w.patientA.id}` });
    expect(conditions.map((c) => c.code?.coding?.[0]?.code)).toEqual(['I10', 'R51']);
    for (const r of [...docs, ...conditions, await medplum.readResource('Composition', sheet.id)]) expect(fhirProblems(r)).toEqual([]);
    // patientB is under no care at the system's facility.
    await expect(medplum.searchResources('Composition', { patient: `Patient/${w.patientB.id}` })).rejects.toThrow();
  });

  it('BALP: every interaction on patient data left a fhir.interaction row, refusals included, a system\'s with its facility', async () => {
    const { rows } = await t.deps.database.pool.query<{ actor_type: string; outcome: string; patient_id: string | null; facility_id: string | null; data: { interaction: string; type: string; status: number } }>(
      "SELECT actor_type, outcome, patient_id, facility_id, data FROM audit_event WHERE action = 'fhir.interaction' ORDER BY seq",
    );
    expect(rows.length).toBeGreaterThan(15);
    expect(rows.find((r) => r.data.interaction === 'read' && r.data.type === 'Composition' && r.outcome === 'success')).toMatchObject({ actor_type: 'user', patient_id: w.patientA.id });
    expect(rows.filter((r) => r.outcome === 'denied').map((r) => r.data.status)).toEqual(expect.arrayContaining([403, 401]));
    expect(rows.find((r) => r.actor_type === 'client' && r.data.type === 'DocumentReference')).toMatchObject({ outcome: 'success', facility_id: w.facilityId, patient_id: w.patientA.id, data: { interaction: 'search-type' } });
    expect(rows.find((r) => r.data.status === 400)).toMatchObject({ outcome: 'failure' });
  });
});

import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../platform/clock.js';
import { withTransaction } from '../../platform/db/index.js';
import type { RequestCtx } from '../../platform/auth/request-context.js';
import type { Encounter } from '../../contracts/encounters.js';
import { createTestApp, type TestApp } from '../../test/app-harness.js';
import { buildGpWorld, type GpWorld } from '../../test/gp-world.js';
import { insertRequestFixture } from '../../test/consultation-world.js';
import { fhirProblems } from '../../test/fhir-validate.js';

// Encounters on PGlite and (DATABASE_URL) PostgreSQL: the practice's visits through the HTTP API, and the
// remote consultation's encounter that referrals, prescriptions and sick leave are issued on.
const clock = fixedClock('2026-12-07T08:00:00Z');
let t: TestApp;
let g: GpWorld;

async function auditRows(action: string) {
  const { rows } = await t.deps.database.pool.query<{ actor_type: string; facility_id: string | null; data: Record<string, unknown> | null }>(
    'SELECT actor_type, facility_id, data FROM audit_event WHERE action = $1 ORDER BY seq',
    [action],
  );
  return rows;
}

beforeAll(async () => {
  t = await createTestApp({ clock });
  g = await buildGpWorld(t, clock);
}, 180_000);

afterAll(async () => {
  await t?.close();
});

const visit = (over: Record<string, unknown> = {}) => ({
  facilityId: g.practice1,
  patientId: g.w.patientB.id,
  practitionerId: g.gp1,
  kind: 'in_person',
  startedAt: '2026-12-07T09:30:00+02:00',
  endedAt: '2026-12-07T09:45:00+02:00',
  nhifPaid: true,
  reason: 'Кашлица от три дни',
  ...over,
});

describe('the practice records visits', () => {
  let recorded: Encounter;

  it('the front desk records an in-person visit for its GP; the GP then reads the patient (Art. 13)', async () => {
    expect((await g.as('gp1', { method: 'GET', url: `/api/v1/patients/${g.w.patientB.id}` })).statusCode).toBe(403);
    const res = await g.as('desk1', { method: 'POST', url: '/api/v1/encounters', payload: visit() });
    expect(res.statusCode, res.body).toBe(201);
    recorded = res.json<Encounter>();
    expect(recorded).toMatchObject({ kind: 'in_person', nhifPaid: true, remoteAssessable: null, consultationId: null, reason: 'Кашлица от три дни', startedAt: '2026-12-07T07:30:00Z' });
    expect((await g.as('gp1', { method: 'GET', url: `/api/v1/patients/${g.w.patientB.id}` })).statusCode).toBe(200);
    expect((await auditRows('encounter.recorded')).at(-1)).toMatchObject({ facility_id: g.practice1, data: { kind: 'in_person', nhifPaid: true } });
  });

  it('the reason is stored encrypted, never in clear', async () => {
    const { rows } = await t.deps.database.pool.query<{ reason_enc: Buffer }>('SELECT reason_enc FROM encounter WHERE id = $1', [recorded.id]);
    expect(rows[0]?.reason_enc.toString('utf8')).not.toContain('Кашлица');
  });

  it('the patient reads their encounters; a stranger gets the same answer for a real and an unknown id', async () => {
    const list = await g.as('patientB', { method: 'GET', url: `/api/v1/patients/${g.w.patientB.id}/encounters` });
    expect(list.statusCode).toBe(200);
    expect(list.json<{ items: Encounter[] }>().items.map((e) => e.id)).toContain(recorded.id);
    expect((await g.as('patientB', { method: 'GET', url: `/api/v1/encounters/${recorded.id}` })).statusCode).toBe(200);
    const answers = await Promise.all([recorded.id, t.deps.ids.uuid()].map(async (id) => (await g.as('gp2', { method: 'GET', url: `/api/v1/encounters/${id}` })).statusCode));
    expect(answers).toEqual([403, 403]);
    expect((await g.as('patientA', { method: 'GET', url: `/api/v1/patients/${g.w.patientB.id}/encounters` })).statusCode).toBe(403);
    expect((await auditRows('encounter.listed')).length).toBeGreaterThan(0);
  });

  it('the FHIR endpoint serves it as a valid Encounter under the same access policy', async () => {
    const one = await g.as('patientB', { method: 'GET', url: `/fhir/R4/Encounter/${recorded.id}` });
    expect(one.statusCode, one.body).toBe(200);
    expect(one.json()).toMatchObject({ resourceType: 'Encounter', id: recorded.id, status: 'finished', class: { code: 'AMB' }, subject: { reference: `Patient/${g.w.patientB.id}` }, period: { start: '2026-12-07T07:30:00Z', end: '2026-12-07T07:45:00Z' } });
    expect(fhirProblems(one.json())).toEqual([]);
    const search = await g.as('patientB', { method: 'GET', url: `/fhir/R4/Encounter?patient=Patient/${g.w.patientB.id}` });
    expect(search.statusCode).toBe(200);
    expect(search.json()).toMatchObject({ resourceType: 'Bundle', type: 'searchset', entry: [{ resource: { id: recorded.id } }] });
    expect(fhirProblems(search.json())).toEqual([]);
    const denied = await g.as('gp2', { method: 'GET', url: `/fhir/R4/Encounter/${recorded.id}` });
    expect(denied.statusCode).toBe(403);
    expect(denied.json()).toMatchObject({ resourceType: 'OperationOutcome' });
    expect((await g.as('patientB', { method: 'GET', url: '/fhir/R4/Encounter?status=finished' })).statusCode).toBe(400);
  });

  it('only the practice records its visits, and a doctor only their own', async () => {
    expect((await g.as('desk2', { method: 'POST', url: '/api/v1/encounters', payload: visit() })).statusCode).toBe(403);
    expect((await g.as('gp3', { method: 'POST', url: '/api/v1/encounters', payload: visit() })).statusCode).toBe(403);
    expect((await g.as('desk1', { method: 'POST', url: '/api/v1/encounters', payload: visit({ practitionerId: g.gp2 }) })).statusCode).toBe(403);
    expect((await g.as('patientB', { method: 'POST', url: '/api/v1/encounters', payload: visit() })).statusCode).toBe(403);
    const own = await g.as('gp3', { method: 'POST', url: '/api/v1/encounters', payload: visit({ practitionerId: g.gp3, kind: 'phone', reason: undefined }) });
    expect(own.statusCode, own.body).toBe(201);
    expect(own.json<Encounter>()).toMatchObject({ kind: 'phone', reason: null });
  });

  it('a visit that ends before it starts is refused and nothing is stored', async () => {
    const before = (await t.deps.database.pool.query('SELECT count(*)::int AS n FROM encounter')).rows[0];
    const res = await g.as('desk1', { method: 'POST', url: '/api/v1/encounters', payload: visit({ endedAt: '2026-12-07T09:00:00+02:00' }) });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'request.invalid', errors: [{ pointer: '/endedAt' }] });
    expect((await t.deps.database.pool.query('SELECT count(*)::int AS n FROM encounter')).rows[0]).toEqual(before);
  });
});

describe("a remote consultation's encounter", () => {
  let requestId: string;
  let gpCtx: RequestCtx;

  beforeAll(async () => {
    const { rows } = await t.deps.database.pool.query<{ id: string }>('SELECT id FROM user_account WHERE practitioner_id = $1', [g.gp1]);
    gpCtx = { actor: { type: 'user', id: rows[0]!.id, role: 'specialist', sessionId: 'test', facilityIds: [g.practice1] }, requestId: 'test', ip: '127.0.0.1', userAgent: undefined, lang: 'bg' };
    requestId = await withTransaction(t.deps.db, (tx) =>
      insertRequestFixture(tx, t.deps, { facilityId: g.practice1, practitionerId: g.gp1, patientId: g.w.patientA.id, requesterAccountId: g.w.sessions.patientA.accountId, status: 'in_progress', start: '2026-12-07T09:00:00Z' }),
    );
  });

  const encounterFor = () => withTransaction(t.deps.db, (tx) => t.deps.encounters.encounterForConsultationIn(gpCtx, tx, requestId));

  it('is refused before the consultation starts (R-REF-10: a prior exam)', async () => {
    const at = clock.now().toString();
    await t.deps.db.execute(sql`INSERT INTO consultation (id, request_id, facility_id, patient_id, practitioner_id, mode, status, created_at, updated_at)
      VALUES (${t.deps.ids.uuid()}, ${requestId}, ${g.practice1}, ${g.w.patientA.id}, ${g.gp1}, 'synchronous', 'planned', ${at}, ${at})`);
    await withTransaction(t.deps.db, (tx) => t.deps.access.openCareRelationship(tx, gpCtx, { patientId: g.w.patientA.id, practitionerId: g.gp1, facilityId: g.practice1, sourceType: 'request', sourceId: requestId }));
    await expect(encounterFor()).rejects.toMatchObject({ code: 'encounter.consultation_not_started' });
  });

  it('is created once the consultation started, carries the Art. 9 answer, and is the same on every use', async () => {
    await t.deps.db.execute(sql`UPDATE consultation SET status = 'in-progress', started_at = ${'2026-12-07T09:01:00Z'} WHERE request_id = ${requestId}`);
    const first = await encounterFor();
    expect(first).toMatchObject({ kind: 'remote', requestId, patientId: g.w.patientA.id, practitionerId: g.gp1, nhifPaid: false, startedAt: '2026-12-07T09:01:00Z', endedAt: null });
    // No admissibility decision was recorded for this fixture: remote assessment is not assumed.
    expect(first.remoteAssessable).toBe(false);
    expect((await encounterFor()).id).toBe(first.id);
    const { rows } = await t.deps.database.pool.query('SELECT count(*)::int AS n FROM encounter WHERE request_id = $1', [requestId]);
    expect(rows[0]).toEqual({ n: 1 });
  });

  it('a doctor without care of the patient cannot open it', async () => {
    const { rows } = await t.deps.database.pool.query<{ id: string }>('SELECT id FROM user_account WHERE practitioner_id = $1', [g.gp2]);
    const other: RequestCtx = { ...gpCtx, actor: { type: 'user', id: rows[0]!.id, role: 'specialist', sessionId: 'test', facilityIds: [g.practice2] } };
    await expect(withTransaction(t.deps.db, (tx) => t.deps.encounters.encounterForConsultationIn(other, tx, requestId))).rejects.toMatchObject({ code: 'auth.forbidden' });
  });
});

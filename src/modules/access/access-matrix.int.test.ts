import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../platform/clock.js';
import { createTestApp, type TestApp } from '../../test/app-harness.js';
import { actorNames, buildAccessWorld, type AccessWorld, type ActorName } from '../../test/access-world.js';

// The role × resource matrix (docs/access.md; deny by default; R-TM-29 care relationship, Art. 28(3) operator
// without access, Art. 28(4) grants to named persons). Every patient-data route, every role, through
// HTTP with real sessions (password + TOTP). 200/201 only where allowed; 401 for anonymous; 403 elsewhere.

type Expect = Partial<Record<ActorName, number>>;

/** The expected status for every actor: the listed ones, 401 for anonymous, 403 for the rest. */
function expected(allowed: Expect): Record<ActorName, number> {
  const out = {} as Record<ActorName, number>;
  for (const a of actorNames) out[a] = allowed[a] ?? (a === 'anonymous' ? 401 : 403);
  return out;
}

describe('access matrix: every role against every patient-data route', () => {
  let t: TestApp;
  let w: AccessWorld;
  const clock = fixedClock('2026-11-25T08:00:00Z');

  beforeAll(async () => {
    t = await createTestApp({ clock });
    w = await buildAccessWorld(t);
  });
  afterAll(async () => {
    await t?.close();
  });

  const grid = (): { name: string; method: 'GET'; url: () => string; allowed: Expect }[] => [
    {
      name: "GET patient A's demographics",
      method: 'GET',
      url: () => `/api/v1/patients/${w.patientA.id}`,
      allowed: { patientA: 200, repOfA: 200, specialistWithCare: 200, specialistWithGrant: 200 },
    },
    { name: "GET patient B's demographics", method: 'GET', url: () => `/api/v1/patients/${w.patientB.id}`, allowed: { patientB: 200 } },
    { name: 'GET an unknown patient (no existence oracle)', method: 'GET', url: () => '/api/v1/patients/0190a000-0000-7000-8000-00000000dead', allowed: {} },
    { name: "GET patient A's access grants", method: 'GET', url: () => `/api/v1/patients/${w.patientA.id}/access-grants`, allowed: { patientA: 200, repOfA: 200 } },
    { name: "GET patient B's access grants", method: 'GET', url: () => `/api/v1/patients/${w.patientB.id}/access-grants`, allowed: { patientB: 200 } },
    { name: "GET patient A's access log (audit trail)", method: 'GET', url: () => `/api/v1/me/access-log?patientId=${w.patientA.id}`, allowed: { patientA: 200, repOfA: 200 } },
    { name: "GET patient B's access log (audit trail)", method: 'GET', url: () => `/api/v1/me/access-log?patientId=${w.patientB.id}`, allowed: { patientB: 200 } },
    {
      name: "GET facility's representative links (operational)",
      method: 'GET',
      url: () => `/api/v1/admin/representative-links?facilityId=${w.facilityId}`,
      allowed: { facilityAdmin: 200 },
    },
  ];

  it.each(actorNames)('read routes answer %s only where the policy allows', async (actor) => {
    for (const row of grid()) {
      const res = await w.as(actor, { method: row.method, url: row.url() });
      expect({ route: row.name, status: res.statusCode }).toEqual({ route: row.name, status: expected(row.allowed)[actor] });
      if (res.statusCode >= 400) {
        expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
        expect(res.json<{ code: string }>().code).toBe(res.statusCode === 401 ? 'auth.unauthenticated' : 'auth.forbidden');
      }
    }
  });

  it('returns decrypted demographics to those allowed, and the right person', async () => {
    for (const actor of ['patientA', 'repOfA', 'specialistWithCare', 'specialistWithGrant'] as const) {
      const res = await w.as(actor, { method: 'GET', url: `/api/v1/patients/${w.patientA.id}` });
      expect(res.json()).toMatchObject({ id: w.patientA.id, familyName: w.patientA.demographics.familyName, identifier: w.patientA.demographics.identifier });
    }
  });

  it.each(actorNames)('POST a grant for patient A: only the patient and the linked representative (%s)', async (actor) => {
    const res = await w.as(actor, {
      method: 'POST',
      url: `/api/v1/patients/${w.patientA.id}/access-grants`,
      payload: { granteeEmail: w.friend.email, purpose: 'matrix' },
    });
    const allowed = actor === 'patientA' || actor === 'repOfA';
    expect(res.statusCode).toBe(allowed ? 201 : actor === 'anonymous' ? 401 : 403);
    if (allowed) {
      // Reset: the same actor revokes it again (and may: it acts for A).
      const revoke = await w.as(actor, { method: 'POST', url: `/api/v1/access-grants/${res.json<{ id: string }>().id}/revoke` });
      expect(revoke.statusCode).toBe(200);
      expect(revoke.json()).toMatchObject({ status: 'revoked' });
    }
  });

  it.each(actorNames)('revoke a grant of patient A: only the patient and the linked representative (%s)', async (actor) => {
    const created = await w.as('patientA', {
      method: 'POST',
      url: `/api/v1/patients/${w.patientA.id}/access-grants`,
      payload: { granteeEmail: w.friend.email, purpose: 'revocation matrix' },
    });
    expect(created.statusCode).toBe(201);
    const id = created.json<{ id: string }>().id;
    const res = await w.as(actor, { method: 'POST', url: `/api/v1/access-grants/${id}/revoke` });
    const allowed = actor === 'patientA' || actor === 'repOfA';
    expect(res.statusCode).toBe(allowed ? 200 : actor === 'anonymous' ? 401 : 403);
    if (!allowed) expect((await w.as('patientA', { method: 'POST', url: `/api/v1/access-grants/${id}/revoke` })).statusCode).toBe(200);
  });

  it.each(actorNames)('POST a representative link: only an administrator of the facility (%s)', async (actor) => {
    const res = await w.as(actor, {
      method: 'POST',
      url: '/api/v1/admin/representative-links',
      payload: {
        facilityId: w.facilityId,
        representativeEmail: w.friend.email,
        patientIdentifierKind: 'egn',
        patientIdentifier: w.patientB.demographics.identifier,
        basis: 'guardian',
        documentRef: 'Решение № 1/2026 СРС',
      },
    });
    const allowed = actor === 'facilityAdmin';
    expect(res.statusCode).toBe(allowed ? 201 : actor === 'anonymous' ? 401 : 403);
    if (allowed) {
      const end = await w.as('facilityAdmin', { method: 'POST', url: `/api/v1/admin/representative-links/${res.json<{ id: string }>().id}/end` });
      expect(end.statusCode).toBe(200);
    }
  });

  it.each(actorNames)('lists only the patients %s may act for, and only grants naming them', async (actor) => {
    const acting = await w.as(actor, { method: 'GET', url: '/api/v1/access/acting-for' });
    const shared = await w.as(actor, { method: 'GET', url: '/api/v1/access/shared-with-me' });
    if (actor === 'anonymous') {
      expect([acting.statusCode, shared.statusCode]).toEqual([401, 401]);
      return;
    }
    expect([acting.statusCode, shared.statusCode]).toEqual([200, 200]);
    const actingFor = acting.json<{ items: { patientId: string }[] }>().items.map((i) => i.patientId);
    const sharedWith = shared.json<{ items: { patientId: string }[] }>().items.map((i) => i.patientId);
    const expectedActing: Partial<Record<ActorName, string[]>> = { patientA: [w.patientA.id], patientB: [w.patientB.id], repOfA: [w.patientA.id] };
    expect(actingFor).toEqual(expectedActing[actor] ?? []);
    expect(sharedWith).toEqual(actor === 'specialistWithGrant' ? [w.patientA.id] : []);
  });

  it('patient A never sees anything of patient B, by any route', async () => {
    const b = w.patientB.demographics;
    const urls = [
      `/api/v1/patients/${w.patientB.id}`,
      `/api/v1/patients/${w.patientB.id}/access-grants`,
      '/api/v1/access/acting-for',
      '/api/v1/access/shared-with-me',
      `/api/v1/admin/representative-links?facilityId=${w.facilityId}`,
      '/api/v1/me',
      '/api/v1/me/access-log',
      `/api/v1/me/access-log?patientId=${w.patientB.id}`,
    ];
    for (const url of urls) {
      const res = await w.as('patientA', { method: 'GET', url });
      for (const secret of [b.givenName, b.familyName, b.identifier, w.patientB.id]) expect(res.body, url).not.toContain(secret);
    }
    const post = await w.as('patientA', { method: 'POST', url: `/api/v1/patients/${w.patientB.id}/access-grants`, payload: { granteeEmail: w.sessions.patientA.email, purpose: 'x' } });
    expect(post.statusCode).toBe(403);
  });

  it('records every denial in the audit trail, and every permitted read with its basis', async () => {
    const before = await countAudit(t, 'access.denied', w.patientB.id);
    expect((await w.as('specialistWithout', { method: 'GET', url: `/api/v1/patients/${w.patientB.id}` })).statusCode).toBe(403);
    expect(await countAudit(t, 'access.denied', w.patientB.id)).toBe(before + 1);

    expect((await w.as('specialistWithGrant', { method: 'GET', url: `/api/v1/patients/${w.patientA.id}` })).statusCode).toBe(200);
    const res = await t.deps.db.execute<{ reason: string; data: { basis: string } }>(
      sql`SELECT reason, data FROM audit_event WHERE action = 'patient.read' AND patient_id = ${w.patientA.id} AND actor_id = ${w.sessions.specialistWithGrant.accountId} ORDER BY recorded_at DESC, seq DESC LIMIT 1`,
    );
    expect(res.rows[0]).toMatchObject({ reason: `access_grant:${w.grantId}`, data: { basis: 'grant' } });
  });

  it('a supervisor reads patient data only while a case is open (Art. 21)', async () => {
    const url = `/api/v1/patients/${w.patientA.id}`;
    expect((await w.as('supervisor', { method: 'GET', url })).statusCode).toBe(403);
    const opened = await w.as('supervisor', { method: 'POST', url: '/api/v1/supervision-cases', payload: { facilityId: w.facilityId, legalBasis: 'Заповед № РД-09-12/2026', reason: 'Сигнал № 12/2026' } });
    expect(opened.statusCode).toBe(201);
    expect((await w.as('supervisor', { method: 'GET', url })).statusCode).toBe(200);
    // A facility-wide case covers only patients who were cared for there.
    expect((await w.as('supervisor', { method: 'GET', url: `/api/v1/patients/${w.patientB.id}` })).statusCode).toBe(403);
    expect((await w.as('facilityAdmin', { method: 'POST', url: '/api/v1/supervision-cases', payload: { facilityId: w.facilityId, legalBasis: 'Заповед № 1', reason: 'not mine' } })).statusCode).toBe(403);
    const closed = await w.as('supervisor', { method: 'POST', url: `/api/v1/supervision-cases/${opened.json<{ id: string }>().id}/close` });
    expect(closed.statusCode).toBe(200);
    expect((await w.as('supervisor', { method: 'GET', url })).statusCode).toBe(403);
  });

  it('a revoked grant closes access at once, and an expired one at its end', async () => {
    const url = `/api/v1/patients/${w.patientB.id}`;
    const g = await w.as('patientB', {
      method: 'POST',
      url: `/api/v1/patients/${w.patientB.id}/access-grants`,
      payload: { granteeEmail: w.sessions.specialistWithout.email, purpose: 'за 20 минути', validUntil: '2026-11-25T08:20:00Z' },
    });
    expect(g.statusCode).toBe(201);
    const grantId = g.json<{ id: string }>().id;
    expect((await w.as('specialistWithout', { method: 'GET', url })).statusCode).toBe(200);
    // Less than the session idle timeout, so the sessions stay valid.
    clock.advance({ minutes: 25 });
    try {
      expect((await w.as('specialistWithout', { method: 'GET', url })).statusCode).toBe(403);
      const list = await w.as('patientB', { method: 'GET', url: `/api/v1/patients/${w.patientB.id}/access-grants` });
      expect(list.json<{ items: { id: string; status: string }[] }>().items.find((i) => i.id === grantId)?.status).toBe('expired');
    } finally {
      clock.advance({ minutes: -25 });
    }
    expect((await w.as('specialistWithout', { method: 'GET', url })).statusCode).toBe(200);
    expect((await w.as('patientB', { method: 'POST', url: `/api/v1/access-grants/${grantId}/revoke` })).statusCode).toBe(200);
    expect((await w.as('specialistWithout', { method: 'GET', url })).statusCode).toBe(403);
    expect((await w.as('patientB', { method: 'POST', url: `/api/v1/access-grants/${grantId}/revoke` })).json<{ code: string }>().code).toBe('state.bad_transition');
  });

  it('refuses grants to roles that may not see patient data, and unknown e-mails', async () => {
    const post = (granteeEmail: string) =>
      w.as('patientA', { method: 'POST', url: `/api/v1/patients/${w.patientA.id}/access-grants`, payload: { granteeEmail, purpose: 'x' } });
    for (const who of ['operator', 'facilityAdmin', 'coordinator', 'supervisor'] as const) {
      const res = await post(w.sessions[who].email);
      expect(res.statusCode).toBe(422);
      expect(res.json<{ code: string }>().code).toBe('access.account_not_eligible');
    }
    expect((await post(w.sessions.patientA.email)).json<{ code: string }>().code).toBe('access.account_not_eligible');
    expect((await post('nobody@example.bg')).json<{ code: string }>().code).toBe('access.account_not_found');
    expect((await post(w.sessions.specialistWithGrant.email)).json<{ code: string }>().code).toBe('resource.conflict');
  });

  it('a care relationship ends when its source closes (Art. 13)', async () => {
    const url = `/api/v1/patients/${w.patientB.id}`;
    const sourceId = t.deps.ids.uuid();
    const practitionerId = (
      await t.deps.db.execute<{ practitioner_id: string }>(sql`SELECT practitioner_id FROM user_account WHERE id = ${w.sessions.specialistWithCare.accountId}`)
    ).rows[0]!.practitioner_id;
    const { withTransaction } = await import('../../platform/db/index.js');
    const { systemCtx } = await import('../../platform/auth/request-context.js');
    await withTransaction(t.deps.db, (tx) =>
      t.deps.access.openCareRelationship(tx, systemCtx('test'), { patientId: w.patientB.id, practitionerId, facilityId: w.facilityId, sourceType: 'consultation', sourceId }),
    );
    expect((await w.as('specialistWithCare', { method: 'GET', url })).statusCode).toBe(200);
    // A colleague in the same facility without a relationship of their own sees nothing.
    expect((await w.as('specialistWithout', { method: 'GET', url })).statusCode).toBe(403);
    const closed = await withTransaction(t.deps.db, (tx) => t.deps.access.closeCareRelationship(tx, systemCtx('test'), { sourceType: 'consultation', sourceId }));
    expect(closed).toBe(1);
    expect((await w.as('specialistWithCare', { method: 'GET', url })).statusCode).toBe(403);
  });
});

async function countAudit(t: TestApp, action: string, patientId: string): Promise<number> {
  const res = await t.deps.db.execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM audit_event WHERE action = ${action} AND patient_id = ${patientId}`);
  return res.rows[0]!.n;
}

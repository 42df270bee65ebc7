import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { pgErrorOf } from '../../platform/db/pg-errors.js';
import type { TestApp } from '../../test/app-harness.js';
import type { AccessWorld } from '../../test/access-world.js';
import { useConsentWorld, CHECKLIST } from '../../test/consent-world.js';
import type { GateStatus } from '../../contracts/consent.js';

// Consent and admissibility through the real routes (consent, requests transitions, consultation) on
// PGlite and PostgreSQL; each rule test names its rule. The world: src/test/consent-world.ts.

describe('consent, identity verification and admissibility', () => {
  const cw = useConsentWorld({ publishTemplates: true });
  const { post, get, insertRequest, accept, verify } = cw;
  let t: TestApp; let w: AccessWorld; let practitionerId: string;
  beforeAll(() => {
    ({ t, w, practitionerId } = cw.state());
  });

  describe('admissibility: the accept/decline is the decision (R-TM-10..R-TM-17)', () => {
    it('R-TM-10: an accept or decline without the Art. 7 checklist is impossible, by API and in the database', async () => {
      const id = await insertRequest();
      const res = await post('specialistWithCare', `/api/v1/requests/${id}/transitions`, { action: 'accept' });
      expect(res.statusCode).toBe(400);
      expect(res.json<{ errors: { pointer: string }[] }>().errors[0]?.pointer).toBe('#/checklist');
      const err = await t.deps.db.execute(sql`UPDATE service_request SET status = 'accepted' WHERE id = ${id}`).catch((e: unknown) => e);
      expect(pgErrorOf(err)?.hint).toBe('admissibility.decision_required');
      const byPatient = await post('patientA', `/api/v1/requests/${id}/transitions`, { action: 'accept', checklist: CHECKLIST });
      expect(byPatient.statusCode).toBe(403);
    });

    it('R-TM-10: the accept records the checklist and the responsible specialist', async () => {
      const id = await insertRequest();
      expect((await accept(id)).statusCode).toBe(200);
      const g = (await get('specialistWithCare', `/api/v1/requests/${id}/gates`)).json<GateStatus>();
      expect(g.decision).toMatchObject({ outcome: 'accept', checklist: CHECKLIST, decidedByPractitionerId: practitionerId, decidedByAccountId: w.sessions.specialistWithCare.accountId });
      const twice = await post('specialistWithCare', `/api/v1/requests/${id}/transitions`, { action: 'decline', checklist: CHECKLIST, reason: 'Промяна' });
      expect(twice.statusCode).toBe(409);
    });

    it.each([
      ['R-TM-11', 'noRiskToLifeOrHealth'],
      ['R-TM-12', 'qualityAndSafetyAssured'],
      ['R-TM-14', 'noDirectContactNeeded'],
      ['R-TM-15', 'requesterIdentityVerifiable'],
    ] as const)('%s: an accept needs %s confirmed; the request stays undecided', async (rule, item) => {
      const id = await insertRequest();
      const res = await accept(id, { ...CHECKLIST, [item]: false });
      expect(res.statusCode).toBe(422);
      const body = res.json<{ code: string; meta: { rules: string[] }; errors: { pointer: string }[] }>();
      expect(body.code).toBe('admissibility.checklist_failed');
      expect(body.meta.rules).toEqual([rule]);
      expect(body.errors.map((e) => e.pointer)).toEqual([`#/checklist/${item}`]);
      const row = await t.deps.db.execute(sql`SELECT status FROM service_request WHERE id = ${id}`);
      expect(row.rows[0]?.status).toBe('requested');
    });

    it('R-TM-11: when the specialist cannot confirm safety, the decline keeps the reasons (Art. 9)', async () => {
      const id = await insertRequest();
      const res = await post('specialistWithCare', `/api/v1/requests/${id}/transitions`, { action: 'decline', checklist: { ...CHECKLIST, noRiskToLifeOrHealth: false }, reason: 'Нужен е спешен преглед на място' });
      expect(res.statusCode, res.body).toBe(200);
      const g = (await get('patientA', `/api/v1/requests/${id}/gates`)).json<GateStatus>();
      expect(g.decision).toMatchObject({ outcome: 'decline', reasons: 'Нужен е спешен преглед на място' });
      const stored = await t.deps.db.execute(sql`SELECT encode(reasons_enc, 'escape') AS r FROM admissibility_decision WHERE request_id = ${id}`);
      expect(String(stored.rows[0]?.r)).not.toContain('спешен');
    });

    it('R-TM-13: a dental-specialty request is blocked, whatever the checklist says; dental imaging is allowed', async () => {
      const dental = await insertRequest({ specialty: '2080', kind: 'consultation' });
      const res = await accept(dental);
      expect(res.statusCode).toBe(422);
      expect(res.json<{ code: string; meta: { rules: string[] } }>()).toMatchObject({ code: 'admissibility.blocked', meta: { rules: ['R-TM-13'] } });
      const refused = await t.deps.db.execute(sql`SELECT count(*)::int AS n FROM audit_event WHERE action = 'admissibility.refused' AND subject_id = ${dental}`);
      expect(refused.rows[0]?.n).toBe(1);
      const g = (await get('specialistWithCare', `/api/v1/requests/${dental}/gates`)).json<GateStatus>();
      expect(g.hardBlocks).toEqual(['R-TM-13']);
      const declined = await post('specialistWithCare', `/api/v1/requests/${dental}/transitions`, { action: 'decline', checklist: { ...CHECKLIST, notDentalExceptImaging: false }, reason: 'Дентално лечение не се извършва от разстояние' });
      expect(declined.statusCode).toBe(200);
      const d = await t.deps.db.execute(sql`SELECT blocked_rule FROM admissibility_decision WHERE request_id = ${dental}`);
      expect(d.rows[0]?.blocked_rule).toBe('R-TM-13');

      const imaging = await insertRequest({ specialty: '2080', kind: 'dental_imaging' });
      expect((await accept(imaging)).statusCode).toBe(200);
    });

    it.each([
      ['R-TM-16', 'childbirth'],
      ['R-TM-17', 'death_certification'],
    ])('%s: a %s request can never be accepted', async (rule, kind) => {
      const id = await insertRequest({ kind });
      const res = await accept(id);
      expect(res.json<{ code: string; meta: { rules: string[] } }>()).toMatchObject({ code: 'admissibility.blocked', meta: { rules: [rule] } });
    });

    it('R-TM-15: a failed identity check blocks the accept and the service', async () => {
      const id = await insertRequest();
      expect((await verify(id, 'failed')).statusCode).toBe(201);
      const res = await accept(id);
      expect(res.json<{ code: string; meta: { rules: string[] } }>()).toMatchObject({ code: 'admissibility.blocked', meta: { rules: ['R-TM-15'] } });
    });

    it('only the providing specialist records identity checks', async () => {
      const id = await insertRequest();
      const res = await post('specialistWithout', `/api/v1/requests/${id}/identity-verifications`, { method: 'nhis_login', outcome: 'verified' });
      expect(res.statusCode).toBe(403);
      const bad = await post('specialistWithCare', `/api/v1/requests/${id}/identity-verifications`, { method: 'phone_call', outcome: 'verified' });
      expect(bad.statusCode).toBe(400);
    });
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../platform/clock.js';
import { createTestApp, type TestApp } from '../../test/app-harness.js';
import { buildGpWorld, type GpWorld, GP_CHOICE_DOCUMENTS, presentedDocument } from '../../test/gp-world.js';

// The GP practice's desk (W8-W10): it looks a patient up from the documents presented, sees the GP in
// charge, the change window, today's insurance status and the room on its GPs' lists, then enters the
// choice. On PGlite and (DATABASE_URL) PostgreSQL; the tests run in order on one history.
const clock = fixedClock('2026-06-30T20:30:00Z'); // 23:30 on 30 June in Sofia: the June window's last day
let t: TestApp;
let g: GpWorld;

type Problem = { code: string; meta?: { rule?: string } };
type Lookup = {
  patientId: string;
  today: string;
  age: number;
  representation: string;
  currentGp: { practitionerId: string; kind: string; startsOn: string } | null;
  suggestedKind: string;
  changeWindow: { open: boolean; closesOn: string | null; opensOn: string | null };
  insurance: { status: string; missingMonths: string[]; nhifPays: boolean } | null;
  gps: { practitionerId: string; listed: number; maxListSize: number | null; remaining: number | null }[];
};

const docs = GP_CHOICE_DOCUMENTS;
const formOf = presentedDocument;
const lookUp = (actor: Parameters<GpWorld['as']>[0], practice: string, payload: unknown) => g.as(actor, { method: 'POST', url: `/api/v1/practices/${practice}/gp-registration-lookups`, payload });

async function audit(action: string) {
  const { rows } = await t.deps.database.pool.query<{ patient_id: string | null; reason: string | null; data: Record<string, unknown> | null }>(
    'SELECT patient_id, reason, data FROM audit_event WHERE action = $1 ORDER BY seq',
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

describe("the practice's desk looks a patient up from the documents (W8-W10)", () => {
  it('R-GP-01, R-NHIF-01: a patient without a GP: initial choice suggested, insured today, the practice’s GPs with their lists', async () => {
    const res = await lookUp('desk1', g.practice1, formOf(g.w.patientA.demographics));
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json<Lookup>();
    expect(body).toMatchObject({ patientId: g.w.patientA.id, today: '2026-06-30', representation: 'none', currentGp: null, suggestedKind: 'initial', changeWindow: { open: true, closesOn: '2026-06-30' }, insurance: { status: 'insured', nhifPays: true } });
    expect(body.gps.map((x) => x.practitionerId).sort()).toEqual([g.gp1, g.gp3].sort());
    expect(body.gps.every((x) => x.listed === 0 && x.maxListSize === null && x.remaining === null)).toBe(true);
    expect((await audit('gp.registration_lookup')).map((r) => [r.patient_id, r.data?.['found']])).toEqual([[g.w.patientA.id, true]]);
    expect((await audit('insurance.checked')).map((r) => [r.patient_id, r.reason])).toEqual([[g.w.patientA.id, 'documents_presented']]);
  });

  it('an identifier alone reveals nothing: a wrong name or birth date is "not found", and the miss is audited', async () => {
    const a = formOf(g.w.patientA.demographics);
    for (const wrong of [{ ...a, familyName: 'Друга' }, { ...a, birthDate: '1901-01-01' }]) {
      const res = await lookUp('desk1', g.practice1, wrong);
      expect(res.statusCode).toBe(404);
      expect(res.json<Problem>().code).toBe('gp.patient_not_found');
    }
    expect((await audit('gp.registration_lookup')).slice(1).map((r) => [r.patient_id, r.data?.['found']])).toEqual([
      [null, false],
      [null, false],
    ]);
  });

  it('only staff of that GP practice may look up (deny by default)', async () => {
    const a = formOf(g.w.patientA.demographics);
    for (const actor of ['desk2', 'gp2', 'patientA', 'facilityAdmin', 'specialistWithout'] as const) {
      expect((await lookUp(actor, g.practice1, a)).statusCode, actor).toBe(403);
    }
    // A facility the desk does not work at.
    expect((await lookUp('desk1', g.w.facilityId, a)).statusCode).toBe(403);
  });

  it('R-GP-08: for a child the lookup says a parent or guardian signs, and the desk is refused without one', async () => {
    const res = await lookUp('desk1', g.practice1, formOf(g.child.demographics));
    expect(res.json<Lookup>()).toMatchObject({ age: 8, representation: 'representative', suggestedKind: 'initial' });
    const alone = await g.as('desk1', { method: 'POST', url: '/api/v1/gp-registrations', payload: { kind: 'initial', patientId: g.child.id, practitionerId: g.gp1, facilityId: g.practice1, patient: formOf(g.child.demographics), documents: docs } });
    expect(alone.json<Problem>()).toMatchObject({ code: 'gp.representative_required', meta: { rule: 'R-GP-08' } });
  });

  it('R-NHIF-01: interrupted rights are shown with the missing months; an outage leaves the status unknown', async () => {
    t.deps.insuranceSimulator.failNext(1);
    const down = await lookUp('desk1', g.practice1, formOf(g.w.patientB.demographics));
    expect(down.statusCode).toBe(200);
    expect(down.json<Lookup>().insurance).toBeNull();
    t.deps.insuranceSimulator.setAnswer(g.w.patientB.demographics.identifier, { code: 2, status: 'interrupted', missingMonths: ['2026-03', '2026-04'] });
    const res = await lookUp('desk1', g.practice1, formOf(g.w.patientB.demographics));
    expect(res.json<Lookup>().insurance).toEqual({ status: 'interrupted', missingMonths: ['2026-03', '2026-04'], nhifPays: false });
  });

  it('R-GP-01, R-27: the desk registers an initial choice; the next lookup shows the GP and the list counts the patient', async () => {
    const A = g.w.patientA.id;
    const res = await g.as('desk1', { method: 'POST', url: '/api/v1/gp-registrations', payload: { kind: 'initial', patientId: A, practitionerId: g.gp1, facilityId: g.practice1, patient: formOf(g.w.patientA.demographics), documents: docs } });
    expect(res.statusCode, res.body).toBe(201);
    const after = (await lookUp('desk1', g.practice1, formOf(g.w.patientA.demographics))).json<Lookup>();
    expect(after).toMatchObject({ currentGp: { practitionerId: g.gp1, kind: 'initial', startsOn: '2026-06-30' }, suggestedKind: 'permanent' });
    expect(after.gps.find((x) => x.practitionerId === g.gp1)?.listed).toBe(1);
  });

  it('R-GP-02: on 30 June the new practice enters the change: the old list loses the patient, the new one gains them', async () => {
    const A = g.w.patientA.id;
    const seen = (await lookUp('desk2', g.practice2, formOf(g.w.patientA.demographics))).json<Lookup>();
    expect(seen).toMatchObject({ currentGp: { practitionerId: g.gp1 }, suggestedKind: 'permanent', changeWindow: { open: true } });
    const res = await g.as('desk2', { method: 'POST', url: '/api/v1/gp-registrations', payload: { kind: 'permanent', patientId: A, practitionerId: g.gp2, facilityId: g.practice2, patient: formOf(g.w.patientA.demographics), documents: docs } });
    expect(res.statusCode, res.body).toBe(201);
    const list = async (gp: 'gp1' | 'gp2', id: string, status: string, on: string) =>
      (await g.as(gp, { method: 'GET', url: `/api/v1/practitioners/${id}/patient-list?status=${status}&on=${on}` })).json<{ items: { patientId: string }[] }>().items.map((i) => i.patientId);
    // on the new list from the date of choice; the old one ended that day.
    expect(await list('gp2', g.gp2, 'listed', '2026-06-30')).toContain(A);
    expect(await list('gp1', g.gp1, 'listed', '2026-06-30')).not.toContain(A);
    expect(await list('gp1', g.gp1, 'left', '2026-06-30')).toContain(A);
  });

  it('R-GP-02: at 00:00 on 1 July in Sofia the lookup shows the window closed and a change is refused', async () => {
    await g.travel('2026-06-30T21:00:00Z');
    const seen = (await lookUp('desk1', g.practice1, formOf(g.w.patientA.demographics))).json<Lookup>();
    expect(seen).toMatchObject({ today: '2026-07-01', currentGp: { practitionerId: g.gp2 }, changeWindow: { open: false, opensOn: '2026-12-01' } });
    const res = await g.as('desk1', { method: 'POST', url: '/api/v1/gp-registrations', payload: { kind: 'permanent', patientId: g.w.patientA.id, practitionerId: g.gp1, facilityId: g.practice1, patient: formOf(g.w.patientA.demographics), documents: docs } });
    expect(res.statusCode).toBe(422);
    expect(res.json<Problem>()).toMatchObject({ code: 'gp.change_window_closed', meta: { rule: 'R-GP-02' } });
  });

  it('R-11: a GP whose contract caps the list shows no room left, and the desk is refused', async () => {
    await t.deps.database.pool.query(`INSERT INTO gp_contract (id, practitioner_id, facility_id, contract_number, valid_from, max_list_size, created_at)
      VALUES ('d0000000-0000-4000-8000-00000000000b', $1, $2, '22-0003', '2026-01-01', 1, '2026-01-01T00:00:00Z')`, [g.gp3, g.practice1]);
    const parent = { kind: 'representative', representative: { basis: 'parent', name: 'Радослава Зографова', documentRef: 'Удостоверение за раждане 4411' } };
    const child = await g.as('desk1', { method: 'POST', url: '/api/v1/gp-registrations', payload: { kind: 'initial', patientId: g.child.id, practitionerId: g.gp3, facilityId: g.practice1, patient: formOf(g.child.demographics), signer: parent, documents: docs } });
    expect(child.statusCode, child.body).toBe(201);
    const seen = (await lookUp('desk1', g.practice1, formOf(g.w.patientB.demographics))).json<Lookup>();
    expect(seen.gps.find((x) => x.practitionerId === g.gp3)).toMatchObject({ listed: 1, maxListSize: 1, remaining: 0 });
    const res = await g.as('desk1', { method: 'POST', url: '/api/v1/gp-registrations', payload: { kind: 'initial', patientId: g.w.patientB.id, practitionerId: g.gp3, facilityId: g.practice1, patient: formOf(g.w.patientB.demographics), documents: docs } });
    expect(res.json<Problem>()).toMatchObject({ code: 'gp.list_full', meta: { rule: 'R-11' } });
  });
});

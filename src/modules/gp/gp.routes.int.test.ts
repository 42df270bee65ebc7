import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../platform/clock.js';
import { createTestApp, type TestApp } from '../../test/app-harness.js';
import { buildGpWorld, type GpWorld, GP_CHOICE_DOCUMENTS, presentedDocument } from '../../test/gp-world.js';

// W8-W10 and НРД R-22..34 through the HTTP API, on PGlite and (DATABASE_URL) PostgreSQL. The tests run in
// order: one patient's history builds up from an initial choice to a change, a temporary stay and its end.
const clock = fixedClock('2026-06-10T09:00:00Z');
let t: TestApp;
let g: GpWorld;

type Problem = { code: string; meta?: { rule?: string } };

async function audit(action: string, patientId?: string) {
  const { rows } = await t.deps.database.pool.query<{ outcome: string; actor_type: string; data: Record<string, unknown> | null }>(
    `SELECT outcome, actor_type, data FROM audit_event WHERE action = $1 ${patientId ? 'AND patient_id = $2' : ''} ORDER BY seq`,
    patientId ? [action, patientId] : [action],
  );
  return rows;
}

const docs = GP_CHOICE_DOCUMENTS;
const formOf = presentedDocument;

beforeAll(async () => {
  t = await createTestApp({ clock });
  g = await buildGpWorld(t, clock);
}, 180_000);

afterAll(async () => {
  await t?.close();
});

describe('GP registrations (W8-W10)', () => {
  it('R-GP-01: the patient makes an initial choice; the GP then sees the patient (Art. 13 care)', async () => {
    const A = g.w.patientA.id;
    expect((await g.as('gp1', { method: 'GET', url: `/api/v1/patients/${A}` })).statusCode).toBe(403);
    const res = await g.as('patientA', { method: 'POST', url: '/api/v1/gp-registrations', payload: { kind: 'initial', patientId: A, practitionerId: g.gp1, facilityId: g.practice1 } });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ kind: 'initial', basis: 'first_choice', startsOn: '2026-06-10', endsOn: null, signer: 'self', enteredBy: { accountId: g.w.sessions.patientA.accountId, role: 'patient' } });
    const gp = await g.as('patientA', { method: 'GET', url: `/api/v1/patients/${A}/gp` });
    expect(gp.statusCode).toBe(200);
    expect(gp.json()).toMatchObject({ current: { practitioner: { id: g.gp1 } }, temporary: null, changeWindow: { today: '2026-06-10', open: true, closesOn: '2026-06-30' } });
    expect((await g.as('gp1', { method: 'GET', url: `/api/v1/patients/${A}` })).statusCode).toBe(200);
    expect((await audit('gp.registered', A)).map((r) => r.data?.['kind'])).toEqual(['initial']);
  });

  it('R-GP-01: a second initial choice is refused naming the rule, and the refusal is audited', async () => {
    const A = g.w.patientA.id;
    const res = await g.as('patientA', { method: 'POST', url: '/api/v1/gp-registrations', payload: { kind: 'initial', patientId: A, practitionerId: g.gp3, facilityId: g.practice1 } });
    expect(res.statusCode).toBe(409);
    expect(res.json<Problem>()).toMatchObject({ code: 'gp.already_registered', meta: { rule: 'R-GP-01' } });
    expect((await audit('gp.registration_refused', A)).map((r) => r.data?.['rule'])).toEqual(['R-GP-01']);
  });

  it('strangers cannot read or register a choice', async () => {
    const A = g.w.patientA.id;
    for (const actor of ['patientB', 'specialistWithout', 'gp2', 'desk1'] as const) {
      expect((await g.as(actor, { method: 'GET', url: `/api/v1/patients/${A}/gp` })).statusCode, actor).toBe(403);
    }
    // A front desk of another practice cannot enter a choice for practice 2.
    const res = await g.as('desk1', { method: 'POST', url: '/api/v1/gp-registrations', payload: { kind: 'permanent', patientId: A, practitionerId: g.gp2, facilityId: g.practice2, patient: formOf(g.w.patientA.demographics), documents: docs } });
    expect(res.statusCode).toBe(403);
    // A patient cannot register someone else.
    expect((await g.as('patientB', { method: 'POST', url: '/api/v1/gp-registrations', payload: { kind: 'initial', patientId: A, practitionerId: g.gp2, facilityId: g.practice2 } })).statusCode).toBe(403);
  });

  it('the practitioner must be a GP of a primary-care practice', async () => {
    const res = await g.as('patientB', { method: 'POST', url: '/api/v1/gp-registrations', payload: { kind: 'initial', patientId: g.w.patientB.id, practitionerId: g.gp1, facilityId: g.w.facilityId } });
    expect(res.statusCode).toBe(422);
    expect(res.json<Problem>().code).toBe('gp.not_a_gp_practice');
  });

  it('R-GP-02, R-GP-06: in June the new practice enters a change from the form; the old choice ends that day, history kept', async () => {
    const A = g.w.patientA.id;
    const payload = { kind: 'permanent', patientId: A, practitionerId: g.gp2, facilityId: g.practice2, patient: formOf(g.w.patientA.demographics) };
    const noDocs = await g.as('desk2', { method: 'POST', url: '/api/v1/gp-registrations', payload: { ...payload, documents: { choiceForm: true } } });
    expect(noDocs.json<Problem>()).toMatchObject({ code: 'gp.documents_missing', meta: { rule: 'R-GP-06' } });
    const wrongPerson = await g.as('desk2', { method: 'POST', url: '/api/v1/gp-registrations', payload: { ...payload, patient: formOf(g.w.patientB.demographics), documents: docs } });
    expect(wrongPerson.statusCode).toBe(400);
    const res = await g.as('desk2', { method: 'POST', url: '/api/v1/gp-registrations', payload: { ...payload, documents: docs } });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ kind: 'permanent', basis: 'change_window', enteredBy: { role: 'coordinator' }, facility: { rhifCode: '16' } });
    const gp = (await g.as('patientA', { method: 'GET', url: `/api/v1/patients/${A}/gp` })).json<{ current: { practitioner: { id: string } }; history: { kind: string; endedOn: string | null; endReason: string | null }[] }>();
    expect(gp.current.practitioner.id).toBe(g.gp2);
    expect(gp.history.map((h) => [h.kind, h.endedOn, h.endReason])).toEqual([
      ['permanent', null, null],
      ['initial', '2026-06-10', 'changed_gp'],
    ]);
    // R-GP-07: the previous GP was not asked; their care relationship ended with the choice.
    expect((await g.as('gp1', { method: 'GET', url: `/api/v1/patients/${A}` })).statusCode).toBe(403);
    expect((await g.as('gp2', { method: 'GET', url: `/api/v1/patients/${A}` })).statusCode).toBe(200);
  });

  it('R-GP-02: at 00:00 on 1 July in Sofia (21:00 UTC) a change is refused; R-GP-03: a change of address is allowed', async () => {
    await g.travel('2026-06-30T21:00:00Z');
    const A = g.w.patientA.id;
    const payload = { kind: 'permanent', patientId: A, practitionerId: g.gp1, facilityId: g.practice1, documents: docs };
    const closed = await g.as('patientA', { method: 'POST', url: '/api/v1/gp-registrations', payload });
    expect(closed.statusCode).toBe(422);
    expect(closed.json<Problem>()).toMatchObject({ code: 'gp.change_window_closed', meta: { rule: 'R-GP-02' } });
    const window = (await g.as('patientA', { method: 'GET', url: `/api/v1/patients/${A}/gp` })).json<{ changeWindow: unknown }>().changeWindow;
    expect(window).toMatchObject({ today: '2026-07-01', open: false, opensOn: '2026-12-01' });
    const moved = await g.as('patientA', { method: 'POST', url: '/api/v1/gp-registrations', payload: { ...payload, exception: { kind: 'address_change', documentRef: 'Удостоверение за настоящ адрес 77' } } });
    expect(moved.statusCode, moved.body).toBe(201);
    expect(moved.json()).toMatchObject({ basis: 'address_change', startsOn: '2026-07-01' });
  });

  it('R-GP-04, R-GP-05: a temporary choice outside the region is in charge for the stay, then the daily job restores the permanent GP', async () => {
    const A = g.w.patientA.id;
    const temp = { kind: 'temporary', patientId: A, documents: { choiceForm: true }, temporary: { startsOn: '2026-07-01', endsOn: '2026-08-15' } };
    const sameRegion = await g.as('patientA', { method: 'POST', url: '/api/v1/gp-registrations', payload: { ...temp, practitionerId: g.gp3, facilityId: g.practice1 } });
    expect(sameRegion.json<Problem>()).toMatchObject({ code: 'gp.temporary_same_region', meta: { rule: 'R-GP-04' } });
    const tooLong = await g.as('patientA', { method: 'POST', url: '/api/v1/gp-registrations', payload: { ...temp, practitionerId: g.gp2, facilityId: g.practice2, temporary: { startsOn: '2026-07-01', endsOn: '2026-12-01' } } });
    expect(tooLong.json<Problem>()).toMatchObject({ code: 'gp.temporary_period_invalid', meta: { rule: 'R-GP-04' } });
    const ok = await g.as('patientA', { method: 'POST', url: '/api/v1/gp-registrations', payload: { ...temp, practitionerId: g.gp2, facilityId: g.practice2 } });
    expect(ok.statusCode, ok.body).toBe(201);
    const during = (await g.as('patientA', { method: 'GET', url: `/api/v1/patients/${A}/gp` })).json<{ current: { kind: string; practitioner: { id: string } }; permanent: { practitioner: { id: string } } }>();
    expect(during.current).toMatchObject({ kind: 'temporary', practitioner: { id: g.gp2 } });
    expect(during.permanent.practitioner.id).toBe(g.gp1);

    // 16 August 00:30 in Sofia: the stay ended on the 15th.
    await g.travel('2026-08-15T21:30:00Z');
    expect(await t.deps.gpRestore.tick()).toEqual({ restored: 1, runOn: '2026-08-16' });
    expect(await t.deps.gpRestore.tick()).toBeUndefined();
    const after = (await g.as('patientA', { method: 'GET', url: `/api/v1/patients/${A}/gp` })).json<{ current: { practitioner: { id: string } }; temporary: unknown; history: { kind: string; endedOn: string | null; endReason: string | null }[] }>();
    expect(after.current.practitioner.id).toBe(g.gp1);
    expect(after.temporary).toBeNull();
    expect(after.history.find((h) => h.kind === 'temporary')).toMatchObject({ endedOn: '2026-08-16', endReason: 'temporary_expired' });
    expect((await audit('gp.registration_ended', A)).filter((r) => r.data?.['reason'] === 'temporary_expired').map((r) => r.actor_type)).toEqual(['system']);
    expect((await g.as('gp2', { method: 'GET', url: `/api/v1/patients/${A}` })).statusCode).toBe(403);
  });

  it('R-GP-08: a child is registered through a parent; without one the front desk is refused', async () => {
    const payload = { kind: 'initial', patientId: g.child.id, practitionerId: g.gp1, facilityId: g.practice1, patient: formOf(g.child.demographics) };
    const alone = await g.as('desk1', { method: 'POST', url: '/api/v1/gp-registrations', payload });
    expect(alone.json<Problem>()).toMatchObject({ code: 'gp.representative_required', meta: { rule: 'R-GP-08' } });
    const withParent = await g.as('desk1', { method: 'POST', url: '/api/v1/gp-registrations', payload: { ...payload, signer: { kind: 'representative', representative: { basis: 'parent', name: 'Радослава Зографова', documentRef: 'Удостоверение за раждане 4411' } } } });
    expect(withParent.statusCode, withParent.body).toBe(201);
    expect(withParent.json()).toMatchObject({ signer: 'representative', enteredBy: { role: 'coordinator' } });
  });

  it('registrations are history: the database refuses edits and deletes, and the form is encrypted', async () => {
    await expect(t.deps.database.pool.query(`UPDATE gp_registration SET kind = 'initial' WHERE kind = 'permanent'`)).rejects.toThrow(/only ever ended/);
    await expect(t.deps.database.pool.query('DELETE FROM gp_registration')).rejects.toThrow(/cannot be deleted/);
    const { rows } = await t.deps.database.pool.query<{ form_enc: Buffer }>('SELECT form_enc FROM gp_registration');
    for (const r of rows) {
      const text = r.form_enc.toString('utf8');
      for (const s of [g.w.patientA.demographics.familyName, g.w.patientA.demographics.identifier, g.child.demographics.identifier, 'Радослава']) expect(text).not.toContain(s);
    }
  });
});

describe("the GP's patient list (НРД R-22..34)", () => {
  it('only the GP reads it; pages with names and age groups; leavers with the reason', async () => {
    const url = `/api/v1/practitioners/${g.gp1}/patient-list?pageSize=1`;
    for (const actor of ['gp2', 'gp3', 'desk1', 'patientA', 'facilityAdmin'] as const) {
      expect((await g.as(actor, { method: 'GET', url })).statusCode, actor).toBe(403);
    }
    const p1 = await g.as('gp1', { method: 'GET', url });
    expect(p1.statusCode, p1.body).toBe(200);
    const body = p1.json<{ total: number; on: string; items: { familyName: string; ageGroup: string; kind: string }[] }>();
    expect(body).toMatchObject({ total: 2, on: '2026-08-16' });
    expect(body.items).toHaveLength(1);
    const p2 = (await g.as('gp1', { method: 'GET', url: `${url}&page=2` })).json<{ items: { familyName: string; ageGroup: string }[] }>();
    const all = [...body.items, ...p2.items].map((i) => [i.familyName, i.ageGroup]).sort();
    expect(all).toEqual(
      [
        [g.w.patientA.demographics.familyName, '18-65'],
        [g.child.demographics.familyName, '0-18'],
      ].sort(),
    );
    const left = (await g.as('gp1', { method: 'GET', url: `/api/v1/practitioners/${g.gp1}/patient-list?status=left` })).json<{ items: { endReason: string; endedOn: string }[] }>();
    expect(left.items.map((i) => [i.endedOn, i.endReason])).toEqual([['2026-06-10', 'changed_gp']]);
    expect((await audit('gp.patient_list_read')).length).toBeGreaterThanOrEqual(3);
  });

  it('the summary tallies age groups with capitation in EUR, staffing and leavers (R-76, R-32, R-30)', async () => {
    const res = await g.as('gp1', { method: 'GET', url: `/api/v1/practitioners/${g.gp1}/patient-list/summary` });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      total: 2,
      temporary: 0,
      ageGroups: [
        { code: '0-18', count: 1, capitationBgn: '1.00', capitationEur: '0.51' },
        { code: '18-65', count: 1, capitationBgn: '0.72', capitationEur: '0.37' },
        { code: '65+', count: 0 },
      ],
      capitationEur: '0.88',
      capacity: { maxListSize: null, remaining: null },
      staffing: { medicalSpecialists: 0, doctors: 0 },
      left: [{ reason: 'changed_gp', count: 1 }],
    });
  });

  it('the monthly register (R-29) lists who joined and left in June with the filing deadline', async () => {
    const res = await g.as('gp1', { method: 'GET', url: `/api/v1/practitioners/${g.gp1}/patient-list/report.csv?month=2026-06` });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/csv/);
    const lines = res.body.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines.filter((l) => l.startsWith('new,')).length).toBe(1);
    expect(lines.find((l) => l.startsWith('left,'))).toContain('changed_gp');
    expect(lines.find((l) => l.startsWith('left,'))).toContain(g.w.patientA.demographics.familyName);
    // 5th working day of July 2026 (1-3 and 6-7 July are working days).
    expect(lines.at(-1)).toContain('due_by,2026-07-07');
    expect((await audit('gp.list_report_generated')).map((r) => r.data?.['month'])).toEqual(['2026-06']);
  });

  it('R-29: the same monthly register as a PDF, only for the GP whose list it is', async () => {
    const res = await g.as('gp1', { method: 'GET', url: `/api/v1/practitioners/${g.gp1}/patient-list/report.pdf?month=2026-06` });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toContain('gp-list-2026-06.pdf');
    expect(res.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    expect(res.rawPayload.length).toBeGreaterThan(1000);
    expect((await g.as('gp2', { method: 'GET', url: `/api/v1/practitioners/${g.gp1}/patient-list/report.pdf?month=2026-06` })).statusCode).toBe(403);
    const generated = await audit('gp.list_report_generated');
    expect(generated.map((r) => r.data?.['format'])).toEqual(['csv', 'pdf']);
    expect(generated[1]?.data?.['count']).toBe(generated[0]?.data?.['count']);
  });

  it("the GP's contract can cap the list (R-11)", async () => {
    await t.deps.database.pool.query(`INSERT INTO gp_contract (id, practitioner_id, facility_id, contract_number, valid_from, max_list_size, created_at)
      VALUES ('d0000000-0000-4000-8000-00000000000a', $1, $2, '22-0001', '2026-01-01', 2, '2026-01-01T00:00:00Z')`, [g.gp1, g.practice1]);
    const res = await g.as('patientB', { method: 'POST', url: '/api/v1/gp-registrations', payload: { kind: 'initial', patientId: g.w.patientB.id, practitionerId: g.gp1, facilityId: g.practice1 } });
    expect(res.statusCode).toBe(409);
    expect(res.json<Problem>()).toMatchObject({ code: 'gp.list_full', meta: { rule: 'R-11' } });
    const summary = (await g.as('gp1', { method: 'GET', url: `/api/v1/practitioners/${g.gp1}/patient-list/summary` })).json<{ capacity: unknown }>();
    expect(summary.capacity).toEqual({ maxListSize: 2, remaining: 0 });
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import { Temporal } from 'temporal-polyfill';
import { createTestApp, type TestApp } from '../../test/app-harness.js';
import { buildRequestsWorld, CARDIOLOGY, type RequestsWorld } from '../../test/requests-world.js';
import { fixedClock } from '../../platform/clock.js';
import { systemCtx, type RequestCtx } from '../../platform/auth/request-context.js';
import { makeFacilityNumber, makeUin } from '../../platform/identifiers.js';
import { createSlotRollForward, PAST_FREE_SLOT_RETENTION_DAYS, SLOT_ROLL_JOB, type SlotRollForward } from './index.js';

// Art. 15 item 4 (R-TM-32: the published schedule): the daily roll-forward of materialised
// slots. A 14-day horizon, one schedule with 09:00-10:00 every day in 30-minute slots (two a day), and a
// fixed clock moved through the spring DST change (2026-03-29), Orthodox Easter 2026 (10-13 April: no
// slots, R-TM-32 with the working-day calendar) and the autumn DST change (2026-10-25).

const ZONE = 'Europe/Sofia';
const clock = fixedClock('2026-03-20T10:00:00Z');
const system = systemCtx('test.slot-roll');
const adminOf = (facilityId: string): RequestCtx => ({ ...system, actor: { type: 'user', id: '00000000-0000-7000-8000-00000000a001', role: 'facility_admin', sessionId: 's', facilityIds: [facilityId] } });

/** Log lines written by a job, to check what it logs (counts, never personal data). */
function captureLog(lines: Record<string, unknown>[]): Logger {
  return { info: (obj: Record<string, unknown>) => lines.push(obj), error: (obj: Record<string, unknown>) => lines.push(obj) } as unknown as Logger;
}

describe('daily slot roll-forward', () => {
  let t: TestApp;
  let scheduleId: string;
  let job: SlotRollForward;
  const logs: Record<string, unknown>[] = [];

  /** The schedule's free slots as `local date → UTC starts`. */
  async function freeSlotsByDay(): Promise<Map<string, string[]>> {
    const r = await t.deps.db.execute<{ start: string | Date }>(sql`SELECT start FROM slot WHERE schedule_id = ${scheduleId} AND status = 'free' ORDER BY start`);
    const out = new Map<string, string[]>();
    for (const row of r.rows) {
      const at = Temporal.Instant.fromEpochMilliseconds(new Date(row.start).getTime());
      const day = at.toZonedDateTimeISO(ZONE).toPlainDate().toString();
      out.set(day, [...(out.get(day) ?? []), at.toString()]);
    }
    return out;
  }
  const slotIds = async () => (await t.deps.db.execute<{ id: string }>(sql`SELECT id FROM slot WHERE schedule_id = ${scheduleId} ORDER BY start`)).rows.map((r) => r.id);
  const lastDay = (days: Map<string, string[]>) => [...days.keys()].sort().at(-1);

  beforeAll(async () => {
    t = await createTestApp({ clock, env: { SLOT_HORIZON_DAYS: '14', SLOT_EXTEND_TIME: '02:30' } });
    const system = systemCtx('test.slot-roll');
    const f = await t.deps.registry.registerFacility(system, { number: makeFacilityNumber('22', 8101), name: 'МЦ Хоризонт', typeCode: 'mc', rhifCode: '22', ekatte: '68134', settlement: 'София', address: 'ул. Тест 1' });
    const doc = await t.deps.registry.registerPractitioner(adminOf(f.id), { uin: makeUin(98101), givenName: 'Мария', familyName: 'Кардиева', specialtyCodes: ['1020'], facilityIds: [f.id] });
    const draft = await t.deps.registry.createService(adminOf(f.id), f.id, { specialtyCode: '1020', kindCode: 'consultation', name: 'Кардиологична консултация', description: 'Видеоконсултация', mode: 'synchronous', typicalMinutes: 30, priceEurCents: 4000 });
    const svc = await t.deps.registry.publishService(adminOf(f.id), f.id, draft.id, draft.version);
    const created = await t.deps.scheduling.createSchedule(adminOf(f.id), f.id, {
      practitionerId: doc.id,
      serviceId: svc.id,
      slotMinutes: 30,
      validFrom: '2026-03-01',
      rules: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '09:00', end: '10:00' })),
    });
    scheduleId = created.schedule.id;
    job = createSlotRollForward({ db: t.deps.db, clock, ids: t.deps.ids, log: captureLog(logs), scheduling: t.deps.scheduling, zone: ZONE, at: '02:30' });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('publishes the configured horizon when the schedule is created (today, Friday 20 March, until Thursday 2 April)', async () => {
    const days = await freeSlotsByDay();
    // 10:00Z is 12:00 in Sofia: today's 09:00 and 09:30 are past, so the first slots are tomorrow's.
    expect([...days.keys()].sort()[0]).toBe('2026-03-21');
    expect(lastDay(days)).toBe('2026-04-02');
  });

  it('runs after the configured local time only, rolls the horizon forward to 14 days, and DST day 2026-03-29 keeps 09:00 local', async () => {
    clock.set('2026-03-27T00:00:00Z'); // 02:00 in Sofia (EET): not yet
    expect(await job.tick()).toBeUndefined();
    clock.set('2026-03-27T00:31:00Z'); // 02:31
    const before = await slotIds();
    const r = await job.tick();
    // Seven new days (3-9 April), two slots each; nothing removed, the existing slots keep their ids.
    expect(r).toMatchObject({ runOn: '2026-03-27', schedules: 1, inserted: 14, removed: 0, skipped: 0, failed: 0 });
    const after = await slotIds();
    expect(after.slice(0, before.length)).toEqual(before);
    const days = await freeSlotsByDay();
    expect(lastDay(days)).toBe('2026-04-09');
    // Time zone: the spring-forward Sunday is EEST (UTC+3) from 03:00, so 09:00 local is 06:00Z; the Sunday
    // before is EET (UTC+2). Past free slots are history and stay as they were.
    expect(days.get('2026-03-22')).toEqual(['2026-03-22T07:00:00Z', '2026-03-22T07:30:00Z']);
    expect(days.get('2026-03-28')).toEqual(['2026-03-28T07:00:00Z', '2026-03-28T07:30:00Z']);
    expect(days.get('2026-03-29')).toEqual(['2026-03-29T06:00:00Z', '2026-03-29T06:30:00Z']);
    expect(days.get('2026-04-09')).toEqual(['2026-04-09T06:00:00Z', '2026-04-09T06:30:00Z']);
  });

  it('is idempotent: the same day runs once across processes, and running it again changes nothing', async () => {
    const other = createSlotRollForward({ db: t.deps.db, clock, ids: t.deps.ids, log: captureLog([]), scheduling: t.deps.scheduling, zone: ZONE, at: '02:30' });
    clock.set('2026-03-27T13:00:00Z');
    expect(await job.tick()).toBeUndefined();
    expect(await other.tick()).toBeUndefined();
    const ids = await slotIds();
    // `distansia slots extend` runs the same roll-forward on demand.
    const again = await t.deps.scheduling.extendSlots(systemCtx('test.cli'));
    expect(again).toMatchObject({ schedules: 1, inserted: 0, removed: 0, failed: 0 });
    expect(await slotIds()).toEqual(ids);
  });

  it('two server processes at the hour: exactly one runs the day (its new day, Good Friday, gets no slots)', async () => {
    const other = createSlotRollForward({ db: t.deps.db, clock, ids: t.deps.ids, log: captureLog([]), scheduling: t.deps.scheduling, zone: ZONE, at: '02:30' });
    clock.set('2026-03-28T00:30:00Z'); // 02:30 on Saturday
    const results = await Promise.all([job.tick(), other.tick()]);
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(results.find(Boolean)).toMatchObject({ runOn: '2026-03-28', inserted: 0, removed: 0 });
    const run = await t.deps.db.execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM scheduled_job_run WHERE job = ${SLOT_ROLL_JOB} AND run_on = '2026-03-28' AND finished_at IS NOT NULL`);
    expect(run.rows[0]?.n).toBe(1);
  });

  it('a run left unfinished by a crashed process is taken over once its lease expired', async () => {
    clock.set('2026-03-30T05:00:00Z');
    const dead = '00000000-0000-4000-8000-00000000dead';
    await t.deps.db.execute(sql`INSERT INTO scheduled_job_run (job, run_on, claimed_by, lease_until, started_at)
      VALUES (${SLOT_ROLL_JOB}, '2026-03-30', ${dead}, '2026-03-30T05:30:00Z', '2026-03-30T04:45:00Z')`);
    // Still leased by the other process: nothing happens.
    expect(await job.tick()).toBeUndefined();
    clock.set('2026-03-30T05:31:00Z');
    // The new days (Holy Saturday and Easter Sunday) get no slots.
    expect(await job.tick()).toMatchObject({ runOn: '2026-03-30', inserted: 0, failed: 0 });
    const run = await t.deps.db.execute<{ claimed_by: string; finished: boolean }>(sql`SELECT claimed_by, finished_at IS NOT NULL AS finished FROM scheduled_job_run WHERE job = ${SLOT_ROLL_JOB} AND run_on = '2026-03-30'`);
    expect(run.rows[0]?.finished).toBe(true);
    expect(run.rows[0]?.claimed_by).not.toBe(dead);
  });

  it('Easter 2026 (Good Friday 10 April to Easter Monday 13 April) gets no slots; the horizon goes on after it', async () => {
    clock.set('2026-04-03T00:00:00Z'); // 03:00 in Sofia (EEST)
    const r = await job.tick();
    // New days 13-16 April: Easter Monday has none, 14-16 two slots each.
    expect(r).toMatchObject({ runOn: '2026-04-03', inserted: 6, removed: 0 });
    const days = await freeSlotsByDay();
    for (const holiday of ['2026-04-10', '2026-04-11', '2026-04-12', '2026-04-13']) expect(days.get(holiday)).toBeUndefined();
    expect(days.get('2026-04-09')).toHaveLength(2);
    expect(days.get('2026-04-14')).toHaveLength(2);
    expect(lastDay(days)).toBe('2026-04-16');
  });

  it('autumn DST (2026-10-25): 09:00 local is 06:00Z before and 07:00Z from the change', async () => {
    clock.set('2026-10-19T23:31:00Z'); // 02:31 on Tuesday 20 October (EEST)
    const r = await job.tick();
    // Months later: the whole horizon is new (20 October to 2 November, two slots a day).
    expect(r).toMatchObject({ runOn: '2026-10-20', inserted: 28, removed: 0 });
    const days = await freeSlotsByDay();
    expect(days.get('2026-10-24')).toEqual(['2026-10-24T06:00:00Z', '2026-10-24T06:30:00Z']);
    expect(days.get('2026-10-25')).toEqual(['2026-10-25T07:00:00Z', '2026-10-25T07:30:00Z']);
    expect(lastDay(days)).toBe('2026-11-02');
  });

  it('audits and logs each run with counts only', async () => {
    const audit = await t.deps.db.execute<{ data: Record<string, unknown>; actor_id: string; patient_id: string | null }>(
      sql`SELECT data, actor_id, patient_id FROM audit_event WHERE action = 'slots.extended' ORDER BY recorded_at`,
    );
    expect(audit.rows.length).toBeGreaterThanOrEqual(5);
    for (const row of audit.rows) {
      expect(row.patient_id).toBeNull();
      expect(Object.keys(row.data).sort()).toEqual(['failed', 'freeSlots', 'horizonDays', 'inserted', 'pruned', 'removed', 'schedules', 'skipped']);
    }
    const lines = logs.filter((l) => l.job === SLOT_ROLL_JOB);
    expect(lines.length).toBeGreaterThanOrEqual(4);
    for (const l of lines) expect(Object.keys(l).sort()).toEqual(['failed', 'freeSlots', 'inserted', 'job', 'pruned', 'removed', 'runOn', 'schedules', 'skipped']);
  });
});

describe('slots that a request still names', () => {
  let t: TestApp;
  let w: RequestsWorld;

  beforeAll(async () => {
    t = await createTestApp({ clock: fixedClock('2026-11-25T08:00:00Z'), env: { DEV_MAIL_SINK: 'true' } });
    w = await buildRequestsWorld(t, { slots: 6 });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('a cancelled booking keeps its slot row: when the slot no longer follows from the schedule it is retired (busy-unavailable), not deleted', async () => {
    const [slot] = w.slots;
    if (!slot) throw new Error('no slot');
    const booked = await w.as('patient', {
      method: 'POST',
      url: '/api/v1/requests',
      payload: { urgency: 'planned', mode: 'synchronous', facilityId: w.providerId, specialtyCode: CARDIOLOGY, serviceId: w.syncServiceId, slotId: slot.id, phone: '+359 88 123 4567', intake: { anamnesis: 'Сърцебиене' } },
    });
    expect(booked.statusCode).toBe(201);
    const cancelled = await w.as('patient', { method: 'POST', url: `/api/v1/requests/${booked.json<{ request: { id: string } }>().request.id}/transitions`, payload: { action: 'cancel', reason: 'Не мога' } });
    expect(cancelled.statusCode).toBe(200);
    // The fixture's schedule has no weekly rules, so none of its slots follows from it any more.
    const r = await t.deps.scheduling.extendSlots(systemCtx('test.cli'));
    expect(r.failed).toBe(0);
    const rows = await t.deps.db.execute<{ id: string; status: string }>(sql`SELECT id, status FROM slot WHERE practitioner_id = ${w.cardiologistId} AND service_id = ${w.syncServiceId}`);
    expect(rows.rows).toEqual([{ id: slot.id, status: 'busy-unavailable' }]);
    const listed = await t.deps.directory.listFreeSlots({ specialistId: w.cardiologistId, serviceId: w.syncServiceId, from: '2026-11-25T08:00:00Z', to: '2026-12-20T00:00:00Z' });
    expect(listed.items).toEqual([]);
  });
});

describe('pruning past free slots', () => {
  const clock = fixedClock('2026-11-25T08:00:00Z');
  let t: TestApp;
  let w: RequestsWorld;

  beforeAll(async () => {
    t = await createTestApp({ clock, env: { DEV_MAIL_SINK: 'true' } });
    w = await buildRequestsWorld(t, { slots: 6 });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('deletes free slots older than the retention, in batches; busy slots, slots a request names and the recent past stay', async () => {
    expect(PAST_FREE_SLOT_RETENTION_DAYS).toBe(7);
    const [booked, released, retired, held, old1, old2] = w.slots;
    if (!booked || !released || !retired || !held || !old1 || !old2) throw new Error('not enough slots');
    // 1 December, bookable today (25 November): one stays booked, one is booked and cancelled (free again, still named).
    const book = async (slotId: string) => {
      const res = await w.as('patient', {
        method: 'POST',
        url: '/api/v1/requests',
        payload: { urgency: 'planned', mode: 'synchronous', facilityId: w.providerId, specialtyCode: CARDIOLOGY, serviceId: w.syncServiceId, slotId, phone: '+359 88 123 4567', intake: {} },
      });
      expect(res.statusCode).toBe(201);
      return res.json<{ request: { id: string } }>().request.id;
    };
    await book(booked.id);
    const cancelledId = await book(released.id);
    expect((await w.as('patient', { method: 'POST', url: `/api/v1/requests/${cancelledId}/transitions`, payload: { action: 'cancel', reason: 'Не мога' } })).statusCode).toBe(200);
    await t.deps.db.execute(sql`UPDATE slot SET status = 'busy-unavailable' WHERE id = ${retired.id}`);
    await t.deps.db.execute(sql`UPDATE slot SET status = 'busy' WHERE id = ${held.id}`);
    // Many old free slots (more than two batches), and two around the retention boundary.
    const bulk = await w.addSlots(2_100, '2026-11-01T00:00:00Z', 5);
    const [edgeOut, edgeIn] = await w.addSlots(2, '2026-12-13T07:30:00Z');
    const recent = await w.addSlots(2, '2026-12-16T08:00:00Z');
    if (!edgeOut || !edgeIn) throw new Error('no edge slots');

    // 20 December, 08:00Z: the retention reaches back to 13 December, 08:00Z.
    clock.set('2026-12-20T08:00:00Z');
    let progress = 0;
    const r = await t.deps.scheduling.extendSlots(systemCtx('test.prune'), { onProgress: async () => void (progress += 1) });
    expect(r).toMatchObject({ failed: 0, pruned: 2_100 + 2 + 1 });
    // Batches of 1,000: two full ones, then the rest.
    expect(progress).toBe(2);

    const left = await t.deps.db.execute<{ id: string; status: string }>(sql`SELECT id, status FROM slot WHERE practitioner_id = ${w.cardiologistId} ORDER BY start`);
    const status = Object.fromEntries(left.rows.map((x) => [x.id, x.status]));
    expect(status[booked.id]).toBe('busy');
    expect(status[released.id]).toBe('free');
    expect(status[retired.id]).toBe('busy-unavailable');
    expect(status[held.id]).toBe('busy');
    expect(status[old1.id]).toBeUndefined();
    expect(status[old2.id]).toBeUndefined();
    expect(bulk.filter((b) => b.id in status)).toEqual([]);
    expect(status[edgeOut.id]).toBeUndefined();
    expect(status[edgeIn.id]).toBe('free');
    for (const x of recent) expect(status[x.id]).toBe('free');
    // Nothing else went: the four kept on 1 December, the two recent, the boundary one, and the draft
    // service's slot of 20 December 07:00Z (the world's).
    expect(left.rows).toHaveLength(8);

    // The next day's run finds nothing more to delete; the audit row carries the count.
    expect((await t.deps.scheduling.extendSlots(systemCtx('test.prune'))).pruned).toBe(0);
    const audit = await t.deps.db.execute<{ data: { pruned: number } }>(sql`SELECT data FROM audit_event WHERE action = 'slots.extended' ORDER BY seq`);
    expect(audit.rows.map((a) => a.data.pruned)).toEqual([2_103, 0]);
  });
});

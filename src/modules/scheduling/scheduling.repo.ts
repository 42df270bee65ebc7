import { and, asc, eq, gte, inArray, lt, ne, or, isNull, sql } from 'drizzle-orm';
import type { Queryable } from '../../platform/db/index.js';
import { scheduleExceptionTable, scheduleRuleTable, scheduleTable, slotTable } from './scheduling.tables.js';

export type ScheduleRow = typeof scheduleTable.$inferSelect;

/** What a schedule needs to know about its service, specialist and facility (registry tables, read only). */
export async function findScheduleContext(q: Queryable, facilityId: string, serviceId: string, practitionerId: string) {
  const result = await q.execute<{
    service_facility_id: string;
    specialty_code: string;
    mode: 'synchronous' | 'asynchronous';
    time_zone: string;
    role_active: boolean | null;
    has_specialty: boolean;
  }>(sql`
    SELECT fs.facility_id AS service_facility_id, fs.specialty_code, fs.mode, f.time_zone,
           pr.active AS role_active,
           EXISTS (SELECT 1 FROM practitioner_specialty ps WHERE ps.practitioner_id = ${practitionerId} AND ps.specialty_code = fs.specialty_code) AS has_specialty
      FROM facility_service fs
      JOIN facility f ON f.id = fs.facility_id
      LEFT JOIN practitioner_role pr ON pr.facility_id = f.id AND pr.practitioner_id = ${practitionerId}
     WHERE fs.id = ${serviceId} AND f.id = ${facilityId}`);
  return result.rows[0];
}

export async function facilityLimit(q: Queryable, facilityId: string): Promise<{ limitHours: number; timeZone: string } | undefined> {
  const r = await q.execute<{ h: number; tz: string }>(sql`SELECT max_weekly_hours_per_specialist AS h, time_zone AS tz FROM facility WHERE id = ${facilityId}`);
  const row = r.rows[0];
  return row ? { limitHours: Number(row.h), timeZone: row.tz } : undefined;
}

export async function practitionerWorksAt(q: Queryable, practitionerId: string, facilityId: string): Promise<boolean> {
  const r = await q.execute(sql`SELECT 1 FROM practitioner_role WHERE practitioner_id = ${practitionerId} AND facility_id = ${facilityId} AND active`);
  return r.rows.length > 0;
}

export async function insertSchedule(q: Queryable, row: typeof scheduleTable.$inferInsert, rules: (typeof scheduleRuleTable.$inferInsert)[]): Promise<void> {
  await q.insert(scheduleTable).values(row);
  await q.insert(scheduleRuleTable).values(rules);
}

export async function replaceRules(q: Queryable, scheduleId: string, rules: (typeof scheduleRuleTable.$inferInsert)[]): Promise<void> {
  await q.delete(scheduleRuleTable).where(eq(scheduleRuleTable.scheduleId, scheduleId));
  await q.insert(scheduleRuleTable).values(rules);
}

export async function updateSchedule(q: Queryable, id: string, version: number, set: Partial<typeof scheduleTable.$inferInsert>) {
  const [row] = await q
    .update(scheduleTable)
    .set({ ...set, version: sql`${scheduleTable.version} + 1` })
    .where(and(eq(scheduleTable.id, id), eq(scheduleTable.version, version)))
    .returning();
  return row;
}

export async function findSchedule(q: Queryable, id: string): Promise<ScheduleRow | undefined> {
  const [row] = await q.select().from(scheduleTable).where(eq(scheduleTable.id, id)).limit(1);
  return row;
}

/** Schedules with their rules, by facility, by practitioners, by ids, or all active ones. */
export async function loadSchedules(q: Queryable, where: { facilityId?: string; practitionerIds?: readonly string[]; ids?: readonly string[]; activeOnly?: boolean }) {
  const conds = [];
  if (where.facilityId) conds.push(eq(scheduleTable.facilityId, where.facilityId));
  if (where.practitionerIds) conds.push(inArray(scheduleTable.practitionerId, where.practitionerIds.length ? [...where.practitionerIds] : ['00000000-0000-0000-0000-000000000000']));
  if (where.ids) conds.push(inArray(scheduleTable.id, where.ids.length ? [...where.ids] : ['00000000-0000-0000-0000-000000000000']));
  if (where.activeOnly) conds.push(eq(scheduleTable.active, true));
  const rows = await q.select().from(scheduleTable).where(and(...conds)).orderBy(asc(scheduleTable.createdAt));
  if (rows.length === 0) return [];
  const rules = await q
    .select()
    .from(scheduleRuleTable)
    .where(inArray(scheduleRuleTable.scheduleId, rows.map((r) => r.id)))
    .orderBy(asc(scheduleRuleTable.weekday), asc(scheduleRuleTable.startTime));
  const byId = new Map<string, { weekday: number; start: string; end: string }[]>();
  for (const r of rules) {
    byId.set(r.scheduleId, [...(byId.get(r.scheduleId) ?? []), { weekday: r.weekday, start: r.startTime.slice(0, 5), end: r.endTime.slice(0, 5) }]);
  }
  return rows.map((s) => ({ ...s, rules: byId.get(s.id) ?? [] }));
}

export async function insertException(q: Queryable, row: typeof scheduleExceptionTable.$inferInsert): Promise<void> {
  await q.insert(scheduleExceptionTable).values(row);
}

export async function deleteException(q: Queryable, id: string) {
  const [row] = await q.delete(scheduleExceptionTable).where(eq(scheduleExceptionTable.id, id)).returning();
  return row;
}

export async function findException(q: Queryable, id: string) {
  const [row] = await q.select().from(scheduleExceptionTable).where(eq(scheduleExceptionTable.id, id)).limit(1);
  return row;
}

export async function listExceptions(q: Queryable, facilityId: string) {
  return q
    .select()
    .from(scheduleExceptionTable)
    .where(
      or(
        eq(scheduleExceptionTable.facilityId, facilityId),
        and(isNull(scheduleExceptionTable.facilityId), sql`${scheduleExceptionTable.practitionerId} IN (SELECT practitioner_id FROM practitioner_role WHERE facility_id = ${facilityId})`),
      ),
    )
    .orderBy(asc(scheduleExceptionTable.startsOn));
}

/** Exceptions of a specialist that apply at a facility and meet a date range (inclusive ISO dates). */
export async function exceptionsFor(q: Queryable, practitionerId: string, facilityId: string, from: string, to: string) {
  return q
    .select({ startsOn: scheduleExceptionTable.startsOn, endsOn: scheduleExceptionTable.endsOn })
    .from(scheduleExceptionTable)
    .where(
      and(
        eq(scheduleExceptionTable.practitionerId, practitionerId),
        or(isNull(scheduleExceptionTable.facilityId), eq(scheduleExceptionTable.facilityId, facilityId)),
        sql`${scheduleExceptionTable.startsOn} <= ${to}::date`,
        sql`${scheduleExceptionTable.endsOn} >= ${from}::date`,
      ),
    );
}

/** Busy (booked or blocked) time of a specialist at any facility, from `from` on. */
export async function busyOf(q: Queryable, practitionerId: string, from: Date, to: Date) {
  return q
    .select({ start: slotTable.start, end: slotTable.end })
    .from(slotTable)
    .where(and(eq(slotTable.practitionerId, practitionerId), ne(slotTable.status, 'free'), lt(slotTable.start, to), gte(slotTable.end, from)));
}

/**
 * Locks a schedule's row for the rest of the transaction.
 * Concurrency: every rewrite of a schedule's slots holds this lock, so an edit and the daily roll-forward
 * never interleave their reads and writes; with `skipLocked` the roll-forward passes over a schedule that
 * is being edited (the edit rewrites its slots to the horizon itself).
 * @returns false when the row does not exist or (with `skipLocked`) is locked by another transaction
 */
export async function lockSchedule(q: Queryable, id: string, skipLocked: boolean): Promise<boolean> {
  const r = await q.execute(skipLocked ? sql`SELECT id FROM schedule WHERE id = ${id} FOR UPDATE SKIP LOCKED` : sql`SELECT id FROM schedule WHERE id = ${id} FOR UPDATE`);
  return r.rows.length > 0;
}

/** Ids of every active schedule, oldest first. */
export async function activeScheduleIds(q: Queryable): Promise<string[]> {
  const rows = await q.select({ id: scheduleTable.id }).from(scheduleTable).where(eq(scheduleTable.active, true)).orderBy(asc(scheduleTable.createdAt), asc(scheduleTable.id));
  return rows.map((r) => r.id);
}

/** The schedule's free slots that start at or after `from`. */
export async function futureFreeSlots(q: Queryable, scheduleId: string, from: Date): Promise<{ id: string; start: Date; end: Date }[]> {
  return q
    .select({ id: slotTable.id, start: slotTable.start, end: slotTable.end })
    .from(slotTable)
    .where(and(eq(slotTable.scheduleId, scheduleId), eq(slotTable.status, 'free'), gte(slotTable.start, from)));
}

/**
 * Removes free slots that no longer follow from their schedule. A free slot that a request or an
 * appointment still names (a cancelled booking) cannot be deleted; it becomes `busy-unavailable`, so it is
 * no longer offered and the history keeps its reference.
 * Concurrency: `status = 'free'` is re-checked under the row lock, so a slot booked meanwhile is kept.
 * @returns how many slots were removed or retired
 */
export async function removeFreeSlots(q: Queryable, ids: readonly string[]): Promise<number> {
  if (ids.length === 0) return 0;
  const deleted = await q.execute(sql`
    DELETE FROM slot WHERE id = ANY(${sql.param([...ids])}::uuid[]) AND status = 'free'
       AND NOT EXISTS (SELECT 1 FROM service_request r WHERE r.slot_id = slot.id)
       AND NOT EXISTS (SELECT 1 FROM appointment a WHERE a.slot_id = slot.id)
    RETURNING id`);
  if (deleted.rows.length === ids.length) return deleted.rows.length;
  const retired = await q.execute(sql`UPDATE slot SET status = 'busy-unavailable' WHERE id = ANY(${sql.param([...ids])}::uuid[]) AND status = 'free' RETURNING id`);
  return deleted.rows.length + retired.rows.length;
}

/**
 * Deletes up to `limit` free slots that started before `before` and that no request or appointment names
 * (a cancelled booking's released slot stays: the history keeps its reference). Busy and
 * busy-unavailable slots are never touched. One statement, so one short transaction per batch.
 * Performance: driven by the schedules and the `(schedule_id, start)` unique index, so each batch reads
 * only the old part of each schedule instead of scanning the slot table.
 * Concurrency: `status = 'free'` is re-checked under the row lock; a past slot cannot be booked anyway
 * (booking and rescheduling take only slots that start after now).
 * @returns how many slots were deleted
 */
export async function pruneOldFreeSlots(q: Queryable, before: Date, limit: number): Promise<number> {
  const deleted = await q.execute(sql`
    DELETE FROM slot WHERE id IN (
      SELECT old.id FROM schedule sc CROSS JOIN LATERAL (
        SELECT s.id FROM slot s
         WHERE s.schedule_id = sc.id AND s.start < ${before.toISOString()}::timestamptz AND s.status = 'free'
           AND NOT EXISTS (SELECT 1 FROM service_request r WHERE r.slot_id = s.id)
           AND NOT EXISTS (SELECT 1 FROM appointment a WHERE a.slot_id = s.id)
         LIMIT ${limit}
      ) old
      LIMIT ${limit}
    ) AND status = 'free'
    RETURNING id`);
  return deleted.rows.length;
}

/** Bulk insert through arrays (one statement per chunk); a start the schedule already has is skipped. */
export async function insertFreeSlots(
  q: Queryable,
  s: { scheduleId: string; practitionerId: string; facilityId: string; serviceId: string; specialtyCode: string },
  slots: readonly { id: string; start: Date; end: Date }[],
): Promise<void> {
  const CHUNK = 5000;
  for (let i = 0; i < slots.length; i += CHUNK) {
    const part = slots.slice(i, i + CHUNK);
    await q.execute(sql`
      INSERT INTO slot (id, schedule_id, practitioner_id, facility_id, service_id, specialty_code, start, "end", status)
      SELECT u.id, ${s.scheduleId}, ${s.practitionerId}, ${s.facilityId}, ${s.serviceId}, ${s.specialtyCode}, u.start, u.finish, 'free'
        FROM unnest(${sql.param(part.map((x) => x.id))}::uuid[], ${sql.param(part.map((x) => x.start.toISOString()))}::timestamptz[], ${sql.param(part.map((x) => x.end.toISOString()))}::timestamptz[]) AS u(id, start, finish)
      ON CONFLICT (schedule_id, start) DO NOTHING`);
  }
}

export async function countFutureFreeSlots(q: Queryable, scheduleId: string, from: Date): Promise<number> {
  const r = await q.execute<{ n: string }>(sql`SELECT count(*)::text AS n FROM slot WHERE schedule_id = ${scheduleId} AND status = 'free' AND start >= ${from.toISOString()}::timestamptz`);
  return Number(r.rows[0]?.n ?? 0);
}

/**
 * Claims the run of a daily job for one local date: inserts it, or takes over a run that was never
 * finished and whose lease expired (its process died).
 * Concurrency: the primary key decides between server processes; the loser gets no row.
 * @returns true when this process now owns the run
 */
export async function claimJobRun(q: Queryable, r: { job: string; runOn: string; claimedBy: string; now: Date; leaseUntil: Date }): Promise<boolean> {
  const res = await q.execute(sql`
    INSERT INTO scheduled_job_run (job, run_on, claimed_by, lease_until, started_at)
    VALUES (${r.job}, ${r.runOn}::date, ${r.claimedBy}, ${r.leaseUntil.toISOString()}::timestamptz, ${r.now.toISOString()}::timestamptz)
    ON CONFLICT (job, run_on) DO UPDATE SET claimed_by = EXCLUDED.claimed_by, lease_until = EXCLUDED.lease_until, started_at = EXCLUDED.started_at
      WHERE scheduled_job_run.finished_at IS NULL AND scheduled_job_run.lease_until < EXCLUDED.started_at
    RETURNING job`);
  return res.rows.length > 0;
}

/** Extends the lease of a run this process owns (long runs). */
export async function renewJobRun(q: Queryable, r: { job: string; runOn: string; claimedBy: string; leaseUntil: Date }): Promise<void> {
  await q.execute(sql`UPDATE scheduled_job_run SET lease_until = ${r.leaseUntil.toISOString()}::timestamptz
    WHERE job = ${r.job} AND run_on = ${r.runOn}::date AND claimed_by = ${r.claimedBy} AND finished_at IS NULL`);
}

/** Marks a run finished with its counts, or (without `result`) gives an unfinished run up for a retry. */
export async function endJobRun(q: Queryable, r: { job: string; runOn: string; claimedBy: string; now: Date; result?: Record<string, number | string> }): Promise<void> {
  await q.execute(
    r.result
      ? sql`UPDATE scheduled_job_run SET finished_at = ${r.now.toISOString()}::timestamptz, result = ${JSON.stringify(r.result)}::jsonb
          WHERE job = ${r.job} AND run_on = ${r.runOn}::date AND claimed_by = ${r.claimedBy} AND finished_at IS NULL`
      : sql`UPDATE scheduled_job_run SET lease_until = ${r.now.toISOString()}::timestamptz
          WHERE job = ${r.job} AND run_on = ${r.runOn}::date AND claimed_by = ${r.claimedBy} AND finished_at IS NULL`,
  );
}

/** The recorded run of a job for a local date, if any (tests, the CLI). */
export async function findJobRun(q: Queryable, job: string, runOn: string) {
  const r = await q.execute<{ claimed_by: string; finished_at: string | Date | null; result: Record<string, unknown> | null }>(
    sql`SELECT claimed_by, finished_at, result FROM scheduled_job_run WHERE job = ${job} AND run_on = ${runOn}::date`,
  );
  return r.rows[0];
}

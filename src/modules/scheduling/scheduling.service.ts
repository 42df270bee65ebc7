import { Temporal } from 'temporal-polyfill';
import type { Logger } from 'pino';
import { toDate, type Clock } from '../../platform/clock.js';
import type { IdGen } from '../../platform/ids.js';
import { withTransaction, type Db, type Queryable } from '../../platform/db/index.js';
import type { AuditLog } from '../../platform/audit/audit-log.js';
import type { RequestCtx } from '../../platform/auth/request-context.js';
import type { WorkingCalendar } from '../../platform/calendar-store.js';
import { AppError, NotFoundError, RuleViolation } from '../../platform/errors/app-error.js';
import type {
  CapacityWarning,
  Schedule,
  ScheduleException,
  ScheduleExceptionInput,
  ScheduleInput,
  ScheduleResult,
  ScheduleUpdate,
  WeeklyRule,
} from '../../contracts/scheduling.js';
import { ScheduleInputSchema } from '../../contracts/scheduling.js';
import { assertCanManageFacility } from '../registry/index.js';
import { capacityWarnings } from './capacity.js';
import { computeSlots, wallDays, type Interval } from './slots.js';
import * as repo from './scheduling.repo.js';

/** What one roll-forward did (counts only: it is logged and audited). */
export interface SlotRollResult {
  schedules: number;
  skipped: number;
  failed: number;
  inserted: number;
  removed: number;
  freeSlots: number;
  /** Past free slots deleted after the retention (PAST_FREE_SLOT_RETENTION_DAYS). */
  pruned: number;
}

/** What a facility publishes changed, in this transaction (the NHIS registration queues a sync, R-TM-34). */
export type PublicChange = (q: Queryable, facilityId: string) => Promise<void>;

/**
 * How long a free slot is kept after its start. A past free slot can never be booked (booking and
 * rescheduling take only slots that start after now) and the roll-forward only looks ahead, so without
 * pruning the table grows by a day of dead rows per schedule every day. A week keeps the recent past for
 * people looking back ("were there free times on Monday?") and leaves slack for a few days' missed runs.
 */
export const PAST_FREE_SLOT_RETENTION_DAYS = 7;
/** Slots deleted per statement (one short transaction each), so locks and WAL stay small while serving. */
const PRUNE_BATCH = 1000;

const invalid = (pointer: string, detail: string) => new AppError('request.invalid', { detail, errors: [{ in: 'body', pointer, detail }] });

type LoadedSchedule = Awaited<ReturnType<typeof repo.loadSchedules>>[number];
function toSchedule(s: LoadedSchedule): Schedule {
  return {
    id: s.id,
    facilityId: s.facilityId,
    practitionerId: s.practitionerId,
    serviceId: s.serviceId,
    timeZone: s.timeZone,
    slotMinutes: s.slotMinutes,
    validFrom: s.validFrom,
    validTo: s.validTo,
    observeHolidays: s.observeHolidays,
    active: s.active,
    rules: s.rules,
    version: s.version,
  };
}

function assertRulesDisjoint(rules: readonly WeeklyRule[]): void {
  const sorted = [...rules].sort((a, b) => a.weekday - b.weekday || a.start.localeCompare(b.start));
  for (let i = 1; i < sorted.length; i += 1) {
    const prev = sorted[i - 1] as WeeklyRule;
    const cur = sorted[i] as WeeklyRule;
    if (prev.weekday === cur.weekday && cur.start < prev.end) throw invalid(`#/rules/${i}`, 'Rules of one schedule overlap on the same day');
  }
}

/**
 * Published schedules (Art. 15 item 4) and their materialised slots. The maths is pure (slots.ts); this
 * service reads the rules, exceptions, holidays and busy time, and writes the future free slots of a
 * schedule whenever it changes, inside the same transaction as the change and its audit row.
 * @param deps - database, clock, ids, audit, the working-day calendar, the slot horizon in days and the logger
 * @returns the scheduling service
 */
export function createSchedulingService(deps: { db: Db; clock: Clock; ids: IdGen; audit: AuditLog; calendar: WorkingCalendar; horizonDays: number; log?: Logger; onPublicChange?: PublicChange }) {
  const publicChange: PublicChange = deps.onPublicChange ?? (async () => undefined);
  /** Official holidays (and decided days off) of the years a range touches. */
  function holidayDates(from: Temporal.PlainDate, to: Temporal.PlainDate): Set<string> {
    const out = new Set<string>();
    for (let y = from.year; y <= to.year; y += 1) for (const h of deps.calendar.holidaysOf(y)) out.add(h.date.toString());
    return out;
  }

  /**
   * Brings the future free slots of one schedule in line with its rules, exceptions, holidays and busy
   * time up to the horizon (in the caller's transaction): missing slots are inserted, slots that no longer
   * follow from the schedule are removed, and slots that stay keep their ids, so a patient holding one
   * can still book it. Running it twice changes nothing.
   * Concurrency: runs in the transaction that changed the schedule, under the schedule's row lock, so
   * readers see old or new slots, never a mix, and the daily roll-forward never interleaves with an edit.
   * @returns the schedule's free slots in the horizon and what changed, or undefined when `skipLocked`
   * found the schedule locked
   */
  async function reconcile(q: Queryable, scheduleId: string, now: Temporal.Instant, opts: { skipLocked?: boolean } = {}): Promise<{ free: number; inserted: number; removed: number } | undefined> {
    if (!(await repo.lockSchedule(q, scheduleId, opts.skipLocked ?? false))) {
      if (opts.skipLocked) return undefined;
      throw new NotFoundError('schedule', scheduleId);
    }
    const [s] = await repo.loadSchedules(q, { ids: [scheduleId] });
    if (!s) throw new NotFoundError('schedule', scheduleId);
    const { slots: wanted, specialtyCode } = await wantedSlots(q, s, now);
    const existing = await repo.futureFreeSlots(q, s.id, toDate(now));
    const key = (start: number, end: number) => `${start}/${end}`;
    const have = new Set(existing.map((x) => key(x.start.getTime(), x.end.getTime())));
    const want = new Set(wanted.map((x) => key(x.start.epochMilliseconds, x.end.epochMilliseconds)));
    const stale = existing.filter((x) => !want.has(key(x.start.getTime(), x.end.getTime()))).map((x) => x.id);
    const missing = wanted.filter((x) => !have.has(key(x.start.epochMilliseconds, x.end.epochMilliseconds)));
    const removed = await repo.removeFreeSlots(q, stale);
    if (missing.length > 0 && specialtyCode) {
      await repo.insertFreeSlots(
        q,
        { scheduleId: s.id, practitionerId: s.practitionerId, facilityId: s.facilityId, serviceId: s.serviceId, specialtyCode },
        missing.map((x) => ({ id: deps.ids.uuid(), start: toDate(x.start), end: toDate(x.end) })),
      );
    }
    return { free: wanted.length, inserted: missing.length, removed };
  }

  /** The free slots a schedule should offer from `now` to the horizon (pure maths in slots.ts), and its specialty. */
  async function wantedSlots(q: Queryable, s: LoadedSchedule, now: Temporal.Instant): Promise<{ slots: Interval[]; specialtyCode?: string }> {
    const ctx = await repo.findScheduleContext(q, s.facilityId, s.serviceId, s.practitionerId);
    // Regulatory: R-TM-30 — only services with direct interaction need a time slot.
    if (!s.active || !ctx || ctx.mode !== 'synchronous' || ctx.role_active !== true) return { slots: [] };
    // Time zone: "today" and the horizon are wall dates of the schedule's zone.
    const today = now.toZonedDateTimeISO(s.timeZone).toPlainDate();
    const validFrom = Temporal.PlainDate.from(s.validFrom);
    const from = Temporal.PlainDate.compare(validFrom, today) > 0 ? validFrom : today;
    let to = today.add({ days: deps.horizonDays });
    if (s.validTo) {
      const end = Temporal.PlainDate.from(s.validTo).add({ days: 1 });
      if (Temporal.PlainDate.compare(end, to) < 0) to = end;
    }
    if (Temporal.PlainDate.compare(from, to) >= 0) return { slots: [] };
    const exceptions = (await repo.exceptionsFor(q, s.practitionerId, s.facilityId, from.toString(), to.toString())).map((e) =>
      wallDays(Temporal.PlainDate.from(e.startsOn), Temporal.PlainDate.from(e.endsOn), s.timeZone),
    );
    const rangeStart = toDate(from.toZonedDateTime({ timeZone: s.timeZone }).toInstant());
    const rangeEnd = toDate(to.toZonedDateTime({ timeZone: s.timeZone }).toInstant());
    const busy = (await repo.busyOf(q, s.practitionerId, rangeStart, rangeEnd)).map((b) => ({
      start: Temporal.Instant.fromEpochMilliseconds(b.start.getTime()),
      end: Temporal.Instant.fromEpochMilliseconds(b.end.getTime()),
    }));
    const slots = computeSlots({
      rules: s.rules,
      zone: s.timeZone,
      range: { from, to },
      skipDates: s.observeHolidays ? holidayDates(from, to) : new Set(),
      exceptions,
      busy,
      now,
      slotMinutes: s.slotMinutes,
    });
    return { slots, specialtyCode: ctx.specialty_code };
  }

  /** Rewrites a schedule's slots inside an edit's transaction; returns its free slots in the horizon. */
  async function regenerate(q: Queryable, scheduleId: string, now: Temporal.Instant): Promise<number> {
    const r = await reconcile(q, scheduleId, now);
    return r?.free ?? 0;
  }

  /** Art. 16 warnings for a facility's specialists, looking at their schedules everywhere. */
  async function warningsFor(q: Queryable, facilityId: string): Promise<CapacityWarning[]> {
    const limit = await repo.facilityLimit(q, facilityId);
    if (!limit) throw new NotFoundError('facility', facilityId);
    const own = await repo.loadSchedules(q, { facilityId, activeOnly: true });
    const practitionerIds = [...new Set(own.map((s) => s.practitionerId))];
    const all = await repo.loadSchedules(q, { practitionerIds, activeOnly: true });
    return capacityWarnings(all, limit.limitHours * 60, new Set(practitionerIds));
  }

  async function result(q: Queryable, id: string, freeSlots: number): Promise<ScheduleResult> {
    const [s] = await repo.loadSchedules(q, { ids: [id] });
    if (!s) throw new NotFoundError('schedule', id);
    const warnings = (await warningsFor(q, s.facilityId)).filter((w) => w.practitionerId === s.practitionerId);
    return { schedule: toSchedule(s), freeSlots, warnings };
  }

  const service = {
    /**
     * Publishes a weekly schedule of a specialist for a service and writes its slots.
     * @param ctx - an administrator of the facility
     * @param facilityId - facility id
     * @param input - specialist, service, slot length, validity, rules
     * @returns the schedule, its free slot count and Art. 16 warnings (R-TM-33)
     * @throws {RuleViolation} R-TM-01 when the specialist does not work for the facility
     */
    async createSchedule(ctx: RequestCtx, facilityId: string, input: ScheduleInput): Promise<ScheduleResult> {
      assertCanManageFacility(ctx, facilityId);
      const s = ScheduleInputSchema.parse(input);
      assertRulesDisjoint(s.rules);
      const now = deps.clock.now();
      return withTransaction(deps.db, async (tx) => {
        const c = await repo.findScheduleContext(tx, facilityId, s.serviceId, s.practitionerId);
        if (!c) throw new NotFoundError('facility_service', s.serviceId);
        // Regulatory: Art. 4(1) (R-TM-01) — only specialists working in the facility provide its services.
        if (c.role_active !== true) throw new RuleViolation('R-TM-01', 'The specialist does not work for this facility', [{ in: 'body', pointer: '#/practitionerId', detail: 'R-TM-01' }]);
        if (!c.has_specialty) throw invalid('#/practitionerId', `The specialist does not hold specialty ${c.specialty_code}`);
        const id = deps.ids.uuid();
        const at = toDate(now);
        await repo.insertSchedule(
          tx,
          { id, facilityId, practitionerId: s.practitionerId, serviceId: s.serviceId, timeZone: c.time_zone, slotMinutes: s.slotMinutes, validFrom: s.validFrom, validTo: s.validTo ?? null, observeHolidays: s.observeHolidays, createdAt: at, updatedAt: at },
          s.rules.map((r) => ({ id: deps.ids.uuid(), scheduleId: id, weekday: r.weekday, startTime: r.start, endTime: r.end })),
        );
        const freeSlots = await regenerate(tx, id, now);
        const out = await result(tx, id, freeSlots);
        await deps.audit.record(tx, ctx, { action: 'schedule.created', facilityId, subject: { type: 'schedule', id }, data: { practitionerId: s.practitionerId, serviceId: s.serviceId, rules: s.rules.length, freeSlots, warnings: out.warnings.length } });
        await publicChange(tx, facilityId);
        return out;
      });
    },

    /**
     * Changes a schedule (rules, slot length, validity, active) and rewrites its future free slots.
     * @param ctx - an administrator of the facility
     * @param facilityId - facility id
     * @param id - schedule id
     * @param input - fields and the version seen
     * @returns the schedule, free slots and warnings
     */
    async updateSchedule(ctx: RequestCtx, facilityId: string, id: string, input: ScheduleUpdate): Promise<ScheduleResult> {
      assertCanManageFacility(ctx, facilityId);
      if (input.rules) assertRulesDisjoint(input.rules);
      const now = deps.clock.now();
      return withTransaction(deps.db, async (tx) => {
        const before = await repo.findSchedule(tx, id);
        if (!before || before.facilityId !== facilityId) throw new NotFoundError('schedule', id);
        const { version, rules, ...fields } = input;
        const set = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
        const row = await repo.updateSchedule(tx, id, version, { ...set, updatedAt: toDate(now) });
        if (!row) throw new AppError('resource.version_mismatch', { detail: 'The schedule was changed by someone else; reload it' });
        if (rules) await repo.replaceRules(tx, id, rules.map((r) => ({ id: deps.ids.uuid(), scheduleId: id, weekday: r.weekday, startTime: r.start, endTime: r.end })));
        const freeSlots = await regenerate(tx, id, now);
        const out = await result(tx, id, freeSlots);
        await deps.audit.record(tx, ctx, { action: 'schedule.updated', facilityId, subject: { type: 'schedule', id }, data: { fields: [...Object.keys(set), ...(rules ? ['rules'] : [])], freeSlots } });
        await publicChange(tx, facilityId);
        return out;
      });
    },

    /**
     * @param ctx - an administrator of the facility
     * @param facilityId - facility id
     * @returns the facility's schedules and Art. 16 warnings
     */
    async listSchedules(ctx: RequestCtx, facilityId: string): Promise<{ items: Schedule[]; warnings: CapacityWarning[] }> {
      assertCanManageFacility(ctx, facilityId);
      const items = (await repo.loadSchedules(deps.db, { facilityId })).map(toSchedule);
      return { items, warnings: await warningsFor(deps.db, facilityId) };
    },

    /**
     * Records leave (or another absence) and removes the specialist's slots on those days.
     * @param ctx - an administrator of the facility
     * @param facilityId - facility id the request is made in
     * @param input - specialist, days, reason; without `facilityId` it applies at every facility
     * @returns the exception
     */
    async createException(ctx: RequestCtx, facilityId: string, input: ScheduleExceptionInput): Promise<ScheduleException> {
      assertCanManageFacility(ctx, facilityId);
      if (input.facilityId && input.facilityId !== facilityId) throw invalid('#/facilityId', 'Use the facility of the request, or omit it for all facilities');
      const now = deps.clock.now();
      return withTransaction(deps.db, async (tx) => {
        if (!(await repo.practitionerWorksAt(tx, input.practitionerId, facilityId))) throw new RuleViolation('R-TM-01', 'The specialist does not work for this facility');
        const id = deps.ids.uuid();
        await repo.insertException(tx, { id, practitionerId: input.practitionerId, facilityId: input.facilityId ?? null, startsOn: input.startsOn, endsOn: input.endsOn, reason: input.reason, createdAt: toDate(now) });
        const affected = await repo.loadSchedules(tx, { practitionerIds: [input.practitionerId], activeOnly: true });
        for (const s of affected) if (!input.facilityId || s.facilityId === input.facilityId) await regenerate(tx, s.id, now);
        await deps.audit.record(tx, ctx, { action: 'schedule_exception.created', facilityId, subject: { type: 'schedule_exception', id }, data: { practitionerId: input.practitionerId, reason: input.reason } });
        return { id, practitionerId: input.practitionerId, facilityId: input.facilityId ?? null, startsOn: input.startsOn, endsOn: input.endsOn, reason: input.reason };
      });
    },

    /**
     * Removes an exception and gives the specialist's slots back.
     * @param ctx - an administrator of the facility
     * @param facilityId - facility id
     * @param id - exception id
     */
    async deleteException(ctx: RequestCtx, facilityId: string, id: string): Promise<void> {
      assertCanManageFacility(ctx, facilityId);
      const now = deps.clock.now();
      await withTransaction(deps.db, async (tx) => {
        const e = await repo.findException(tx, id);
        if (!e || (e.facilityId !== null && e.facilityId !== facilityId) || !(await repo.practitionerWorksAt(tx, e.practitionerId, facilityId))) throw new NotFoundError('schedule_exception', id);
        await repo.deleteException(tx, id);
        for (const s of await repo.loadSchedules(tx, { practitionerIds: [e.practitionerId], activeOnly: true })) {
          if (!e.facilityId || s.facilityId === e.facilityId) await regenerate(tx, s.id, now);
        }
        await deps.audit.record(tx, ctx, { action: 'schedule_exception.deleted', facilityId, subject: { type: 'schedule_exception', id } });
      });
    },

    /**
     * @param ctx - an administrator of the facility
     * @param facilityId - facility id
     * @returns exceptions of the facility's specialists
     */
    async listExceptions(ctx: RequestCtx, facilityId: string): Promise<{ items: ScheduleException[] }> {
      assertCanManageFacility(ctx, facilityId);
      const rows = await repo.listExceptions(deps.db, facilityId);
      return { items: rows.map((e) => ({ id: e.id, practitionerId: e.practitionerId, facilityId: e.facilityId, startsOn: e.startsOn, endsOn: e.endsOn, reason: e.reason })) };
    },

    /**
     * Rolls every active schedule's slots forward to the horizon (the daily job and `distansia slots
     * extend`): one short transaction per schedule, so bookings and edits wait for one schedule at most;
     * a schedule being edited right now is skipped (the edit writes its slots to the horizon itself).
     * Then deletes free slots that started more than PAST_FREE_SLOT_RETENTION_DAYS ago and that nothing
     * names, in batches of PRUNE_BATCH (busy slots and slots a request or appointment names stay).
     * Idempotent: a second run on the same day inserts and removes nothing. Audited as `slots.extended`
     * with counts only.
     * @param ctx - a system context
     * @param opts - `onProgress` is awaited every 100 schedules and after every full prune batch (the job
     *   renews its lease there)
     * @returns counts: schedules seen, skipped (locked), failed, slots inserted and removed, free slots
     *   now, past slots pruned
     */
    async extendSlots(ctx: RequestCtx, opts: { onProgress?: () => Promise<void> } = {}): Promise<SlotRollResult> {
      const now = deps.clock.now();
      const ids = await repo.activeScheduleIds(deps.db);
      const out: SlotRollResult = { schedules: ids.length, skipped: 0, failed: 0, inserted: 0, removed: 0, freeSlots: 0, pruned: 0 };
      for (const [i, id] of ids.entries()) {
        if (i > 0 && i % 100 === 0) await opts.onProgress?.();
        try {
          const r = await withTransaction(deps.db, (tx) => reconcile(tx, id, now, { skipLocked: true }));
          if (!r) {
            out.skipped += 1;
            continue;
          }
          out.inserted += r.inserted;
          out.removed += r.removed;
          out.freeSlots += r.free;
        } catch (err) {
          // One broken schedule must not stop the others; the log names the schedule, nothing personal.
          out.failed += 1;
          deps.log?.error({ err, scheduleId: id }, 'slot roll-forward failed for a schedule');
        }
      }
      const before = toDate(now.subtract({ hours: 24 * PAST_FREE_SLOT_RETENTION_DAYS }));
      try {
        for (;;) {
          const n = await repo.pruneOldFreeSlots(deps.db, before, PRUNE_BATCH);
          out.pruned += n;
          if (n < PRUNE_BATCH) break;
          await opts.onProgress?.();
        }
      } catch (err) {
        // Housekeeping must not cost the roll-forward its audit and result; the next day's run prunes again.
        deps.log?.error({ err }, 'pruning past free slots failed');
      }
      await deps.audit.recordStandalone(ctx, { action: 'slots.extended', data: { ...out, horizonDays: deps.horizonDays } });
      return out;
    },

    /**
     * Writes a schedule with its slots inside the caller's transaction (demo seeding).
     * @param q - the transaction
     * @param ctx - a system context
     * @param facilityId - facility id
     * @param input - the schedule
     * @returns the schedule id and slot count
     */
    async seedSchedule(q: Queryable, ctx: RequestCtx, facilityId: string, input: ScheduleInput): Promise<{ id: string; freeSlots: number }> {
      assertCanManageFacility(ctx, facilityId);
      const s = ScheduleInputSchema.parse(input);
      const now = deps.clock.now();
      const c = await repo.findScheduleContext(q, facilityId, s.serviceId, s.practitionerId);
      if (!c || c.role_active !== true) throw new RuleViolation('R-TM-01', 'The specialist does not work for this facility');
      const id = deps.ids.uuid();
      const at = toDate(now);
      await repo.insertSchedule(
        q,
        { id, facilityId, practitionerId: s.practitionerId, serviceId: s.serviceId, timeZone: c.time_zone, slotMinutes: s.slotMinutes, validFrom: s.validFrom, validTo: s.validTo ?? null, observeHolidays: s.observeHolidays, createdAt: at, updatedAt: at },
        s.rules.map((r) => ({ id: deps.ids.uuid(), scheduleId: id, weekday: r.weekday, startTime: r.start, endTime: r.end })),
      );
      const freeSlots = await regenerate(q, id, now);
      await deps.audit.record(q, ctx, { action: 'schedule.created', facilityId, subject: { type: 'schedule', id }, data: { freeSlots } });
      await publicChange(q, facilityId);
      return { id, freeSlots };
    },
  };
  return service;
}
export type SchedulingService = ReturnType<typeof createSchedulingService>;

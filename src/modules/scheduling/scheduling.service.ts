import { Temporal } from 'temporal-polyfill';
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
import { computeSlots, wallDays } from './slots.js';
import * as repo from './scheduling.repo.js';

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
 * @param deps - database, clock, ids, audit, the working-day calendar and the slot horizon in days
 * @returns the scheduling service
 */
export function createSchedulingService(deps: { db: Db; clock: Clock; ids: IdGen; audit: AuditLog; calendar: WorkingCalendar; horizonDays: number }) {
  /** Official holidays (and decided days off) of the years a range touches. */
  function holidayDates(from: Temporal.PlainDate, to: Temporal.PlainDate): Set<string> {
    const out = new Set<string>();
    for (let y = from.year; y <= to.year; y += 1) for (const h of deps.calendar.holidaysOf(y)) out.add(h.date.toString());
    return out;
  }

  /**
   * Rewrites the future free slots of one schedule from its rules (in the caller's transaction).
   * Concurrency: runs in the transaction that changed the schedule, so readers see old or new slots, never a mix.
   */
  async function regenerate(q: Queryable, scheduleId: string, now: Temporal.Instant): Promise<number> {
    const [s] = await repo.loadSchedules(q, { ids: [scheduleId] });
    if (!s) throw new NotFoundError('schedule', scheduleId);
    await repo.deleteFutureFreeSlots(q, s.id, toDate(now));
    const ctx = await repo.findScheduleContext(q, s.facilityId, s.serviceId, s.practitionerId);
    // Regulatory: R-TM-30 — only services with direct interaction need a time slot.
    if (!s.active || !ctx || ctx.mode !== 'synchronous' || ctx.role_active !== true) return 0;
    const today = now.toZonedDateTimeISO(s.timeZone).toPlainDate();
    const validFrom = Temporal.PlainDate.from(s.validFrom);
    const from = Temporal.PlainDate.compare(validFrom, today) > 0 ? validFrom : today;
    let to = today.add({ days: deps.horizonDays });
    if (s.validTo) {
      const end = Temporal.PlainDate.from(s.validTo).add({ days: 1 });
      if (Temporal.PlainDate.compare(end, to) < 0) to = end;
    }
    if (Temporal.PlainDate.compare(from, to) >= 0) return 0;
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
    await repo.insertFreeSlots(
      q,
      { scheduleId: s.id, practitionerId: s.practitionerId, facilityId: s.facilityId, serviceId: s.serviceId, specialtyCode: ctx.specialty_code },
      slots.map((x) => ({ id: deps.ids.uuid(), start: toDate(x.start), end: toDate(x.end) })),
    );
    return slots.length;
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
     * Rolls every active schedule's slots forward to the horizon (daily job and `distansia slots extend`).
     * @param ctx - a system context
     * @returns how many schedules were processed and slots now free
     */
    async extendSlots(ctx: RequestCtx): Promise<{ schedules: number; freeSlots: number }> {
      const now = deps.clock.now();
      return withTransaction(deps.db, async (tx) => {
        const all = await repo.loadSchedules(tx, { activeOnly: true });
        let freeSlots = 0;
        for (const s of all) freeSlots += await regenerate(tx, s.id, now);
        await deps.audit.record(tx, ctx, { action: 'slots.extended', data: { schedules: all.length, freeSlots } });
        return { schedules: all.length, freeSlots };
      });
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
      return { id, freeSlots };
    },
  };
  return service;
}
export type SchedulingService = ReturnType<typeof createSchedulingService>;

import { z } from 'zod';
import { Instant } from './common.js';

// Contracts of schedules and slots (Art. 15 item 4, 16). Rules are wall times in the
// schedule's IANA zone; slots are instants (STYLE C11).

const IsoDate = z.iso.date();
const WallTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM');

export const WeeklyRuleSchema = z
  .object({
    /** ISO weekday: 1 = Monday … 7 = Sunday. */
    weekday: z.number().int().min(1).max(7),
    start: WallTime,
    end: WallTime,
  })
  .refine((r) => r.end > r.start, { message: 'end must be after start', path: ['end'] });
export type WeeklyRule = z.infer<typeof WeeklyRuleSchema>;

export const ScheduleInputSchema = z.object({
  practitionerId: z.uuid(),
  serviceId: z.uuid(),
  slotMinutes: z.number().int().min(5).max(480),
  validFrom: IsoDate,
  validTo: IsoDate.optional(),
  /** Skip official holidays of the working-day calendar (default yes). */
  observeHolidays: z.boolean().default(true),
  rules: z.array(WeeklyRuleSchema).min(1).max(50),
});
export type ScheduleInput = z.input<typeof ScheduleInputSchema>;

export const ScheduleUpdateSchema = z.object({
  version: z.number().int().min(1),
  slotMinutes: z.number().int().min(5).max(480).optional(),
  validFrom: IsoDate.optional(),
  validTo: IsoDate.nullable().optional(),
  observeHolidays: z.boolean().optional(),
  active: z.boolean().optional(),
  rules: z.array(WeeklyRuleSchema).min(1).max(50).optional(),
});
export type ScheduleUpdate = z.infer<typeof ScheduleUpdateSchema>;

/** An Art. 16 (R-TM-33) warning: the published capacity exceeds the specialist's time. */
export const CapacityWarningSchema = z.object({
  kind: z.enum(['overlap', 'weekly_hours']),
  practitionerId: z.uuid(),
  /** Schedules involved (an overlap may involve another facility's schedule). */
  scheduleIds: z.array(z.uuid()),
  weekday: z.number().int().min(1).max(7).nullable(),
  /** Overlapping minutes in a week, or the published weekly minutes. */
  minutes: z.number().int(),
  limitMinutes: z.number().int().nullable(),
});
export type CapacityWarning = z.infer<typeof CapacityWarningSchema>;

export const ScheduleSchema = z
  .object({
    id: z.uuid(),
    facilityId: z.uuid(),
    practitionerId: z.uuid(),
    serviceId: z.uuid(),
    timeZone: z.string(),
    slotMinutes: z.number().int(),
    validFrom: IsoDate,
    validTo: IsoDate.nullable(),
    observeHolidays: z.boolean(),
    active: z.boolean(),
    rules: z.array(WeeklyRuleSchema),
    version: z.number().int(),
  })
  .meta({ id: 'Schedule' });
export type Schedule = z.infer<typeof ScheduleSchema>;

/** A schedule change answers with the schedule, how many future free slots it now has, and the Art. 16 warnings. */
export const ScheduleResultSchema = z.object({
  schedule: ScheduleSchema,
  freeSlots: z.number().int(),
  warnings: z.array(CapacityWarningSchema),
});
export type ScheduleResult = z.infer<typeof ScheduleResultSchema>;
export const ScheduleListSchema = z.object({ items: z.array(ScheduleSchema), warnings: z.array(CapacityWarningSchema) });

export const ScheduleExceptionInputSchema = z
  .object({
    practitionerId: z.uuid(),
    /** Omit for every facility the specialist works for. */
    facilityId: z.uuid().optional(),
    startsOn: IsoDate,
    endsOn: IsoDate,
    reason: z.enum(['leave', 'sick', 'training', 'other']),
  })
  .refine((e) => e.endsOn >= e.startsOn, { message: 'endsOn is before startsOn', path: ['endsOn'] });
export type ScheduleExceptionInput = z.infer<typeof ScheduleExceptionInputSchema>;
export const ScheduleExceptionSchema = z.object({
  id: z.uuid(),
  practitionerId: z.uuid(),
  facilityId: z.uuid().nullable(),
  startsOn: IsoDate,
  endsOn: IsoDate,
  reason: z.enum(['leave', 'sick', 'training', 'other']),
});
export type ScheduleException = z.infer<typeof ScheduleExceptionSchema>;
export const ScheduleExceptionListSchema = z.object({ items: z.array(ScheduleExceptionSchema) });

export const SlotStatusSchema = z.enum(['free', 'busy', 'busy-unavailable']);
export const SlotSchema = z
  .object({
    id: z.uuid(),
    start: Instant,
    end: Instant,
    status: SlotStatusSchema,
    practitionerId: z.uuid(),
    serviceId: z.uuid(),
    facilityId: z.uuid(),
  })
  .meta({ id: 'Slot' });
export type Slot = z.infer<typeof SlotSchema>;

import { boolean, char, date, integer, pgTable, smallint, text, time, timestamp, uuid } from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const scheduleTable = pgTable('schedule', {
  id: uuid('id').primaryKey(),
  facilityId: uuid('facility_id').notNull(),
  practitionerId: uuid('practitioner_id').notNull(),
  serviceId: uuid('service_id').notNull(),
  timeZone: text('time_zone').notNull(),
  slotMinutes: smallint('slot_minutes').notNull(),
  validFrom: date('valid_from', { mode: 'string' }).notNull(),
  validTo: date('valid_to', { mode: 'string' }),
  observeHolidays: boolean('observe_holidays').notNull().default(true),
  active: boolean('active').notNull().default(true),
  createdAt: ts('created_at').notNull(),
  updatedAt: ts('updated_at').notNull(),
  version: integer('version').notNull().default(1),
});

export const scheduleRuleTable = pgTable('schedule_rule', {
  id: uuid('id').primaryKey(),
  scheduleId: uuid('schedule_id').notNull(),
  weekday: smallint('weekday').notNull(),
  startTime: time('start_time').notNull(),
  endTime: time('end_time').notNull(),
});

export const scheduleExceptionTable = pgTable('schedule_exception', {
  id: uuid('id').primaryKey(),
  practitionerId: uuid('practitioner_id').notNull(),
  facilityId: uuid('facility_id'),
  startsOn: date('starts_on', { mode: 'string' }).notNull(),
  endsOn: date('ends_on', { mode: 'string' }).notNull(),
  reason: text('reason', { enum: ['leave', 'sick', 'training', 'other'] }).notNull(),
  createdAt: ts('created_at').notNull(),
});

export const slotTable = pgTable('slot', {
  id: uuid('id').primaryKey(),
  scheduleId: uuid('schedule_id').notNull(),
  practitionerId: uuid('practitioner_id').notNull(),
  facilityId: uuid('facility_id').notNull(),
  serviceId: uuid('service_id').notNull(),
  specialtyCode: char('specialty_code', { length: 4 }).notNull(),
  start: ts('start').notNull(),
  end: ts('end').notNull(),
  status: text('status', { enum: ['free', 'busy', 'busy-unavailable'] }).notNull().default('free'),
});

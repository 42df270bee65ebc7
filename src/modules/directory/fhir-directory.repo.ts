import { sql, type SQL } from 'drizzle-orm';
import type { Queryable } from '../../platform/db/index.js';

// Read-only SQL behind `/fhir/R4` for the public directory. The same visibility as directory.repo.ts:
// active facilities of an eligible type (R-TM-01/02), published services, listed specialists, active
// schedules, free future slots.

const iso = (col: string) => sql.raw(`to_char(${col} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`);

/** Slot search filters (all optional, ANDed). */
export interface SlotFilters {
  id?: string;
  scheduleId?: string;
  practitionerId?: string;
  facilityId?: string;
  serviceId?: string;
  specialty?: string;
  kind?: string;
  /** Lower and upper bounds on `start` (inclusive / exclusive flags). */
  after?: { at: Date; inclusive: boolean };
  before?: { at: Date; inclusive: boolean };
}

export interface SlotRow {
  id: string;
  schedule_id: string;
  start: string;
  end: string;
  kind_code: string;
  specialty_code: string;
}

/**
 * Free, visible future slots matching the filters, by start, one page (`limit` rows).
 * Performance: the filters hit slot_free_practitioner_idx / slot_free_facility_specialty_idx; the
 * visibility checks are per-row probes of small tables.
 */
export async function searchSlots(q: Queryable, f: SlotFilters, now: Date, limit: number, offset: number): Promise<SlotRow[]> {
  const where: SQL[] = [sql`s.status = 'free'`, sql`s.start >= ${now.toISOString()}::timestamptz`];
  if (f.id) where.push(sql`s.id = ${f.id}::uuid`);
  if (f.scheduleId) where.push(sql`s.schedule_id = ${f.scheduleId}::uuid`);
  if (f.practitionerId) where.push(sql`s.practitioner_id = ${f.practitionerId}::uuid`);
  if (f.facilityId) where.push(sql`s.facility_id = ${f.facilityId}::uuid`);
  if (f.serviceId) where.push(sql`s.service_id = ${f.serviceId}::uuid`);
  if (f.specialty) where.push(sql`s.specialty_code = ${f.specialty}`);
  if (f.kind) where.push(sql`fs.kind_code = ${f.kind}`);
  if (f.after) where.push(f.after.inclusive ? sql`s.start >= ${f.after.at.toISOString()}::timestamptz` : sql`s.start > ${f.after.at.toISOString()}::timestamptz`);
  if (f.before) where.push(f.before.inclusive ? sql`s.start <= ${f.before.at.toISOString()}::timestamptz` : sql`s.start < ${f.before.at.toISOString()}::timestamptz`);
  const r = await q.execute<SlotRow & Record<string, unknown>>(sql`
    SELECT s.id, s.schedule_id, ${iso('s.start')} AS start, ${iso('s."end"')} AS "end", fs.kind_code, s.specialty_code
      FROM slot s
      JOIN schedule sc ON sc.id = s.schedule_id AND sc.active
      JOIN facility_service fs ON fs.id = s.service_id AND fs.status = 'published'
      JOIN facility fa ON fa.id = s.facility_id AND fa.status = 'active'
      JOIN facility_type t ON t.code = fa.type_code AND t.eligible
     WHERE ${sql.join(where, sql` AND `)}
       AND EXISTS (SELECT 1 FROM practitioner_role pr WHERE pr.practitioner_id = s.practitioner_id AND pr.facility_id = s.facility_id AND pr.active AND pr.listed)
     ORDER BY s.start, s.id
     LIMIT ${limit} OFFSET ${offset}`);
  return r.rows;
}

/** Facility-level filters of a directory search. */
export interface FacilityFilters {
  id?: string;
  city?: string;
  name?: string;
  number?: string;
  specialty?: string;
  kind?: string;
  serviceId?: string;
  practitionerId?: string;
}

/**
 * Ids of visible facilities matching the filters, by name, one batch.
 * @returns facility ids
 */
export async function facilityIds(q: Queryable, f: FacilityFilters, limit: number, offset: number): Promise<string[]> {
  const where: SQL[] = [sql`fa.status = 'active'`];
  const esc = (v: string) => v.replace(/[\\%_]/g, (c) => `\\${c}`);
  if (f.id) where.push(sql`fa.id = ${f.id}::uuid`);
  // FHIR string search: case-insensitive, starts with (address-city) or contains (name: Distansia's directory search).
  if (f.city) where.push(sql`fa.settlement ILIKE ${`${esc(f.city)}%`}`);
  if (f.name) where.push(sql`fa.name ILIKE ${`%${esc(f.name)}%`}`);
  if (f.number) where.push(sql`fa.number = ${f.number}`);
  if (f.specialty || f.kind || f.serviceId) {
    where.push(sql`EXISTS (SELECT 1 FROM facility_service fs WHERE fs.facility_id = fa.id AND fs.status = 'published'
      ${f.specialty ? sql`AND fs.specialty_code = ${f.specialty}` : sql``} ${f.kind ? sql`AND fs.kind_code = ${f.kind}` : sql``} ${f.serviceId ? sql`AND fs.id = ${f.serviceId}::uuid` : sql``})`);
  }
  if (f.practitionerId) where.push(sql`EXISTS (SELECT 1 FROM practitioner_role pr WHERE pr.facility_id = fa.id AND pr.practitioner_id = ${f.practitionerId}::uuid AND pr.active AND pr.listed)`);
  const r = await q.execute<{ id: string }>(sql`
    SELECT fa.id FROM facility fa JOIN facility_type t ON t.code = fa.type_code AND t.eligible
     WHERE ${sql.join(where, sql` AND `)}
     ORDER BY fa.name, fa.id LIMIT ${limit} OFFSET ${offset}`);
  return r.rows.map((x) => x.id);
}

/** The facility a service or schedule belongs to (visibility is checked by the facility page). */
export async function facilityOf(q: Queryable, kind: 'service' | 'schedule', id: string): Promise<string | undefined> {
  const r = kind === 'service'
    ? await q.execute<{ facility_id: string }>(sql`SELECT facility_id FROM facility_service WHERE id = ${id}::uuid AND status = 'published'`)
    : await q.execute<{ facility_id: string }>(sql`SELECT facility_id FROM schedule WHERE id = ${id}::uuid AND active`);
  return r.rows[0]?.facility_id;
}

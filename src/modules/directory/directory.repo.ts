import { sql, type SQL } from 'drizzle-orm';
import type { Queryable } from '../../platform/db/index.js';

// Read-only SQL of the public directory. Everything here filters to what may be shown publicly: active
// facilities of an eligible type (R-TM-01/02), published services, specialists who work for the facility
// and are listed there (Art. 15 item 3), and free future slots.

export interface SearchFilters {
  specialty?: string;
  facilityId?: string;
  ekatte?: string;
  region?: string;
  q?: string;
  mode?: 'synchronous' | 'asynchronous';
  freeBefore?: Date;
  now: Date;
  limit: number;
  offset: number;
}

/** A free slot that a patient could see: its service is published, its specialist listed and active. */
const slotVisible = sql`EXISTS (SELECT 1 FROM facility_service fs2 WHERE fs2.id = s.service_id AND fs2.status = 'published')
  AND EXISTS (SELECT 1 FROM practitioner_role pr2 WHERE pr2.practitioner_id = s.practitioner_id AND pr2.facility_id = s.facility_id AND pr2.active AND pr2.listed)`;

/**
 * Performance: the earliest visible free slot of a facility, found per published schedule through the
 * (practitioner_id, service_id, start) index with LIMIT 1, so visibility is checked on a few schedules
 * instead of on every slot row.
 */
function earliestSlot(facility: SQL, now: string, opts: { specialty?: string; mode?: string; before?: string }): SQL {
  const svc: SQL[] = [sql`fs.id = sc.service_id`, sql`fs.status = 'published'`];
  if (opts.specialty) svc.push(sql`fs.specialty_code = ${opts.specialty}`);
  if (opts.mode) svc.push(sql`fs.mode = ${opts.mode}`);
  const before = opts.before ? sql` AND s.start < ${opts.before}::timestamptz` : sql``;
  return sql`(SELECT min(e.start) FROM schedule sc
      JOIN facility_service fs ON ${sql.join(svc, sql` AND `)}
      JOIN practitioner_role pr ON pr.practitioner_id = sc.practitioner_id AND pr.facility_id = sc.facility_id AND pr.active AND pr.listed
      CROSS JOIN LATERAL (SELECT s.start FROM slot s
         WHERE s.practitioner_id = sc.practitioner_id AND s.service_id = sc.service_id AND s.status = 'free' AND s.start >= ${now}::timestamptz${before}
         ORDER BY s.start LIMIT 1) e
     WHERE sc.facility_id = ${facility} AND sc.active)`;
}

export async function searchFacilities(q: Queryable, f: SearchFilters) {
  const now = f.now.toISOString();
  const where: SQL[] = [sql`f.status = 'active'`, sql`t.eligible`];
  if (f.facilityId) where.push(sql`f.id = ${f.facilityId}`);
  if (f.region) where.push(sql`f.rhif_code = ${f.region}`);
  if (f.ekatte) where.push(sql`f.ekatte = ${f.ekatte}`);
  const svc: SQL[] = [sql`fs.facility_id = f.id`, sql`fs.status = 'published'`];
  if (f.specialty) svc.push(sql`fs.specialty_code = ${f.specialty}`);
  if (f.mode) svc.push(sql`fs.mode = ${f.mode}`);
  where.push(sql`EXISTS (SELECT 1 FROM facility_service fs WHERE ${sql.join(svc, sql` AND `)})`);
  if (f.q) {
    const like = `%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    where.push(sql`(f.name ILIKE ${like} OR EXISTS (
      SELECT 1 FROM practitioner_role pr JOIN practitioner p ON p.id = pr.practitioner_id
       WHERE pr.facility_id = f.id AND pr.active AND pr.listed AND p.active AND (p.given_name || ' ' || p.family_name) ILIKE ${like}))`);
  }
  if (f.freeBefore) {
    where.push(sql`${earliestSlot(sql`f.id`, now, { specialty: f.specialty, mode: f.mode, before: f.freeBefore.toISOString() })} IS NOT NULL`);
  }
  // Performance: filter and page the facilities first (a materialised CTE is an optimisation fence), then
  // compute specialties, modes and the earliest slot for the page only (≤ 51 rows), not for every match.
  const result = await q.execute<{
    id: string;
    name: string;
    type_code: string;
    settlement: string;
    ekatte: string | null;
    rhif_code: string;
    address: string;
    specialties: string[] | null;
    modes: string[] | null;
    earliest: string | Date | null;
  }>(sql`
    WITH page AS MATERIALIZED (
      SELECT f.id, f.name, f.type_code, f.settlement, f.ekatte, f.rhif_code, f.address
        FROM facility f JOIN facility_type t ON t.code = f.type_code
       WHERE ${sql.join(where, sql` AND `)}
       ORDER BY f.name, f.id
       LIMIT ${f.limit + 1} OFFSET ${f.offset})
    SELECT page.*,
      (SELECT array_agg(DISTINCT fs.specialty_code ORDER BY fs.specialty_code) FROM facility_service fs WHERE fs.facility_id = page.id AND fs.status = 'published') AS specialties,
      (SELECT array_agg(DISTINCT fs.mode ORDER BY fs.mode) FROM facility_service fs WHERE fs.facility_id = page.id AND fs.status = 'published') AS modes,
      ${earliestSlot(sql`page.id`, now, { specialty: f.specialty, mode: f.mode })} AS earliest
      FROM page
     ORDER BY page.name, page.id`);
  return result.rows;
}

export async function freeSlots(q: Queryable, practitionerId: string, serviceId: string, from: Date, to: Date, cap: number) {
  const result = await q.execute<{ id: string; start: string | Date; end: string | Date }>(sql`
    SELECT s.id, s.start, s."end" FROM slot s
     WHERE s.practitioner_id = ${practitionerId} AND s.service_id = ${serviceId} AND s.status = 'free'
       AND s.start >= ${from.toISOString()}::timestamptz AND s.start < ${to.toISOString()}::timestamptz
       AND EXISTS (SELECT 1 FROM facility_service fs JOIN facility f ON f.id = fs.facility_id JOIN facility_type t ON t.code = f.type_code
                    WHERE fs.id = s.service_id AND fs.status = 'published' AND f.status = 'active' AND t.eligible)
       AND EXISTS (SELECT 1 FROM practitioner_role pr WHERE pr.practitioner_id = s.practitioner_id AND pr.facility_id = s.facility_id AND pr.active AND pr.listed)
     ORDER BY s.start
     LIMIT ${cap}`);
  return result.rows;
}

export async function facilityPage(q: Queryable, id: string, now: Date) {
  const f = await q.execute<{
    id: string; name: string; number: string; type_code: string; settlement: string; ekatte: string | null; rhif_code: string; address: string;
    phone: string | null; email: string | null; website: string | null; description: string; time_zone: string; updated_at: string | Date;
  }>(sql`SELECT f.id, f.name, f.number, f.type_code, f.settlement, f.ekatte, f.rhif_code, f.address, f.phone, f.email, f.website, f.description, f.time_zone, f.updated_at
           FROM facility f JOIN facility_type t ON t.code = f.type_code WHERE f.id = ${id} AND f.status = 'active' AND t.eligible`);
  const facility = f.rows[0];
  if (!facility) return undefined;
  const centres = await q.execute<{ id: string; name: string }>(sql`
    SELECT c.id, c.name FROM centre_member m JOIN telemedicine_centre c ON c.id = m.centre_id WHERE m.facility_id = ${id} AND c.status = 'active' ORDER BY c.name`);
  const services = await q.execute<{
    id: string; name: string; description: string; specialty_code: string; kind_code: string; mode: 'synchronous' | 'asynchronous'; typical_minutes: number; price_eur_cents: number | null; nhif_paid: boolean;
  }>(sql`SELECT id, name, description, specialty_code, kind_code, mode, typical_minutes, price_eur_cents, nhif_paid FROM facility_service
          WHERE facility_id = ${id} AND status = 'published' ORDER BY specialty_code, name`);
  const specialists = await q.execute<{ id: string; given_name: string; family_name: string; specialties: string[] }>(sql`
    SELECT p.id, p.given_name, p.family_name, array(SELECT ps.specialty_code FROM practitioner_specialty ps WHERE ps.practitioner_id = p.id ORDER BY 1) AS specialties
      FROM practitioner_role pr JOIN practitioner p ON p.id = pr.practitioner_id
     WHERE pr.facility_id = ${id} AND pr.active AND pr.listed AND p.active ORDER BY p.family_name, p.given_name`);
  const schedules = await q.execute<{ id: string; practitioner_id: string; service_id: string; time_zone: string; valid_from: string; valid_to: string | null; rules: { weekday: number; start: string; end: string }[] | null; earliest: string | Date | null }>(sql`
    SELECT sc.id, sc.practitioner_id, sc.service_id, sc.time_zone, to_char(sc.valid_from, 'YYYY-MM-DD') AS valid_from, to_char(sc.valid_to, 'YYYY-MM-DD') AS valid_to,
      (SELECT json_agg(json_build_object('weekday', r.weekday, 'start', to_char(r.start_time, 'HH24:MI'), 'end', to_char(r.end_time, 'HH24:MI')) ORDER BY r.weekday, r.start_time)
         FROM schedule_rule r WHERE r.schedule_id = sc.id) AS rules,
      (SELECT s.start FROM slot s WHERE s.practitioner_id = sc.practitioner_id AND s.service_id = sc.service_id AND s.status = 'free' AND s.start >= ${now.toISOString()}::timestamptz ORDER BY s.start LIMIT 1) AS earliest
      FROM schedule sc
      JOIN facility_service fs ON fs.id = sc.service_id AND fs.status = 'published'
      JOIN practitioner_role pr ON pr.practitioner_id = sc.practitioner_id AND pr.facility_id = sc.facility_id AND pr.active AND pr.listed
     WHERE sc.facility_id = ${id} AND sc.active AND (sc.valid_to IS NULL OR sc.valid_to >= ${now.toISOString()}::timestamptz::date)
     ORDER BY sc.created_at`);
  return { facility, centres: centres.rows, services: services.rows, specialists: specialists.rows, schedules: schedules.rows };
}

/** Free slots of a facility for the FHIR export (bounded window). */
export async function facilitySlots(q: Queryable, facilityId: string, from: Date, to: Date) {
  const r = await q.execute<{ id: string; schedule_id: string; start: string | Date; end: string | Date; status: string }>(sql`
    SELECT s.id, s.schedule_id, s.start, s."end", s.status FROM slot s
     WHERE s.facility_id = ${facilityId} AND s.start >= ${from.toISOString()}::timestamptz AND s.start < ${to.toISOString()}::timestamptz AND s.status = 'free'
       AND ${slotVisible}
     ORDER BY s.start LIMIT 5000`);
  return r.rows;
}

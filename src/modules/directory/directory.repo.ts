import { sql } from 'drizzle-orm';
import type { StatementRunner, Queryable } from '../../platform/db/index.js';

// Read-only SQL of the public directory. Everything here filters to what may be shown publicly: active
// facilities of an eligible type (R-TM-01/02), published services, specialists who work for the facility
// and are listed there (Art. 15 item 3), and free future slots.

/** Runs one statement on the node-postgres pool (named, so each connection parses and plans it once). */

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

export interface SearchRow {
  id: string;
  name: string;
  type_code: string;
  settlement: string;
  ekatte: string | null;
  rhif_code: string;
  address: string;
  specialties: string[] | null;
  modes: string[] | null;
  /** ISO 8601 in UTC with milliseconds, as `Date.prototype.toISOString` writes it. */
  earliest: string | null;
}

/** An instant as the contracts write it, computed in SQL (no Date round trip in Node). */
const isoOf = (expr: string) => `to_char(${expr} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

interface Statement {
  name: string;
  text: string;
}
const searchStatements = new Map<number, Statement>();

/**
 * The visible free-slot candidates of facility `facility` from `now` (and before `before`): over the
 * facility's published services (of the specialty and mode asked for), their active schedules with a
 * listed specialist, the first free slot of each through slot_free_practitioner_idx. Performance: the
 * cost is bounded by the number of matching schedules, whatever the number of slots.
 */
function slotCandidatesSql(facility: string, now: string, opts: { spec?: string; mode?: string; before?: string }): string {
  return `FROM facility_service es
      JOIN schedule sc ON sc.service_id = es.id AND sc.facility_id = es.facility_id AND sc.active
      JOIN practitioner_role er ON er.practitioner_id = sc.practitioner_id AND er.facility_id = sc.facility_id AND er.active AND er.listed
      CROSS JOIN LATERAL (SELECT s.start FROM slot s
         WHERE s.practitioner_id = sc.practitioner_id AND s.service_id = es.id AND s.status = 'free' AND s.start >= ${now}${opts.before ? ` AND s.start < ${opts.before}` : ''}
         ORDER BY s.start LIMIT 1) e
     WHERE es.facility_id = ${facility} AND es.status = 'published'${opts.spec ? ` AND es.specialty_code = ${opts.spec}` : ''}${opts.mode ? ` AND es.mode = ${opts.mode}` : ''}`;
}

/**
 * The search statement for one combination of filters. Performance: each combination is its own named
 * statement (at most 2^7), so PostgreSQL parses it once per connection; the values are always parameters.
 * Facilities are walked in name order (facility_name_idx) and the page is cut first; the filters are
 * scalar subqueries rather than EXISTS, so they stay per-row checks evaluated cheapest first (a pulled-up
 * EXISTS let a generic plan probe slots of facilities without a matching service). A name search goes
 * through the trigram indexes (pg_trgm).
 */
function searchStatement(f: SearchFilters): { statement: Statement; values: unknown[] } {
  const values: unknown[] = [f.now.toISOString()];
  const param = (v: unknown) => {
    values.push(v);
    return `$${values.length}`;
  };
  const now = '$1::timestamptz';
  const spec = f.specialty !== undefined ? param(f.specialty) : undefined;
  const mode = f.mode !== undefined ? param(f.mode) : undefined;
  const where = [`f.status = 'active'`];
  if (f.facilityId !== undefined) where.push(`f.id = ${param(f.facilityId)}::uuid`);
  if (f.region !== undefined) where.push(`f.rhif_code = ${param(f.region)}`);
  if (f.ekatte !== undefined) where.push(`f.ekatte = ${param(f.ekatte)}`);
  where.push(`(SELECT true FROM facility_service fs WHERE fs.facility_id = f.id AND fs.status = 'published'${spec ? ` AND fs.specialty_code = ${spec}` : ''}${mode ? ` AND fs.mode = ${mode}` : ''} LIMIT 1)`);
  if (f.q !== undefined) {
    const like = param(`%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    where.push(`f.id IN (SELECT n.id FROM facility n WHERE n.name ILIKE ${like}
        UNION ALL SELECT pr.facility_id FROM practitioner p JOIN practitioner_role pr ON pr.practitioner_id = p.id
         WHERE pr.active AND pr.listed AND p.active AND (p.given_name || ' ' || p.family_name) ILIKE ${like})`);
  }
  if (f.freeBefore !== undefined) {
    const before = `${param(f.freeBefore.toISOString())}::timestamptz`;
    where.push(`(SELECT true ${slotCandidatesSql('f.id', now, { spec, mode, before })} LIMIT 1)`);
  }
  const limit = param(f.limit + 1);
  const offset = param(f.offset);
  const mask =
    (spec ? 1 : 0) | (mode ? 2 : 0) | (f.facilityId !== undefined ? 4 : 0) | (f.region !== undefined ? 8 : 0) | (f.ekatte !== undefined ? 16 : 0) | (f.q !== undefined ? 32 : 0) | (f.freeBefore !== undefined ? 64 : 0);
  let statement = searchStatements.get(mask);
  if (!statement) {
    statement = {
      name: `directory.search.${mask}`,
      text: `
    WITH page AS MATERIALIZED (
      SELECT f.id, f.name, f.type_code, f.settlement, f.ekatte, f.rhif_code, f.address
        FROM facility f JOIN facility_type t ON t.code = f.type_code AND t.eligible
       WHERE ${where.join('\n         AND ')}
       ORDER BY f.name, f.id
       LIMIT ${limit} OFFSET ${offset})
    SELECT page.id, page.name, page.type_code, page.settlement, page.ekatte, page.rhif_code, page.address, svc.specialties, svc.modes,
           ${isoOf(`(SELECT min(e.start) ${slotCandidatesSql('page.id', now, { spec, mode })})`)} AS earliest
      FROM page
      CROSS JOIN LATERAL (SELECT array_agg(DISTINCT fs.specialty_code::text ORDER BY fs.specialty_code::text) AS specialties,
                                 array_agg(DISTINCT fs.mode ORDER BY fs.mode) AS modes
                            FROM facility_service fs WHERE fs.facility_id = page.id AND fs.status = 'published') svc
     ORDER BY page.name, page.id`,
    };
    searchStatements.set(mask, statement);
  }
  return { statement, values };
}

/**
 * Facilities matching the filters, one page (`limit + 1` rows, to tell whether another page exists).
 * @param pool - where to run the named statement
 * @param f - the filters
 * @returns the page, by name
 */
export async function searchFacilities(pool: StatementRunner, f: SearchFilters): Promise<SearchRow[]> {
  const { statement, values } = searchStatement(f);
  const r = await pool.query<SearchRow>({ name: statement.name, text: statement.text, values });
  return r.rows;
}

const FREE_SLOTS_SQL = `
    SELECT s.id, ${isoOf('s.start')} AS start, ${isoOf('s."end"')} AS "end" FROM slot s
     WHERE s.practitioner_id = $1 AND s.service_id = $2 AND s.status = 'free'
       AND s.start >= $3::timestamptz AND s.start < $4::timestamptz
       AND EXISTS (SELECT 1 FROM facility_service fs JOIN facility f ON f.id = fs.facility_id JOIN facility_type t ON t.code = f.type_code
                    WHERE fs.id = s.service_id AND fs.status = 'published' AND f.status = 'active' AND t.eligible)
       AND EXISTS (SELECT 1 FROM practitioner_role pr WHERE pr.practitioner_id = s.practitioner_id AND pr.facility_id = s.facility_id AND pr.active AND pr.listed)
     ORDER BY s.start
     LIMIT $5`;

/**
 * Free slots of one specialist for one service in [from, to), of a published service of an active,
 * eligible facility and a listed specialist.
 * @param pool - where to run the named statement
 * @returns id, start and end (ISO 8601 UTC), by start
 */
export async function freeSlots(pool: StatementRunner, practitionerId: string, serviceId: string, from: Date, to: Date, cap: number) {
  const r = await pool.query<{ id: string; start: string; end: string }>({ name: 'directory.free_slots', text: FREE_SLOTS_SQL, values: [practitionerId, serviceId, from.toISOString(), to.toISOString(), cap] });
  return r.rows;
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

/** A free slot that a patient could see: its service is published, its specialist listed and active. */
const slotVisible = sql`EXISTS (SELECT 1 FROM facility_service fs2 WHERE fs2.id = s.service_id AND fs2.status = 'published')
  AND EXISTS (SELECT 1 FROM practitioner_role pr2 WHERE pr2.practitioner_id = s.practitioner_id AND pr2.facility_id = s.facility_id AND pr2.active AND pr2.listed)`;

/** Free slots of a facility for the FHIR export (bounded window). */
export async function facilitySlots(q: Queryable, facilityId: string, from: Date, to: Date) {
  const r = await q.execute<{ id: string; schedule_id: string; start: string | Date; end: string | Date; status: string }>(sql`
    SELECT s.id, s.schedule_id, s.start, s."end", s.status FROM slot s
     WHERE s.facility_id = ${facilityId} AND s.start >= ${from.toISOString()}::timestamptz AND s.start < ${to.toISOString()}::timestamptz AND s.status = 'free'
       AND ${slotVisible}
     ORDER BY s.start LIMIT 5000`);
  return r.rows;
}

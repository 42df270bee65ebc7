import { sql } from 'drizzle-orm';
import type { Queryable } from '../../platform/db/index.js';
import { one, rows } from '../../platform/db/rows.js';

export interface RegistrationRow {
  facilityId: string;
  status: 'pending' | 'registered' | 'deregistered' | 'failed' | 'refused';
  entrySha256: string | null;
  reference: string | null;
  services: number;
  practitioners: number;
  acknowledgedAt: string | null;
  lastAttemptAt: string | null;
  lastError: string | null;
}

export async function findRegistration(q: Queryable, facilityId: string): Promise<RegistrationRow | undefined> {
  const row = await one<Omit<RegistrationRow, 'acknowledgedAt' | 'lastAttemptAt'> & { acknowledgedAt: Date | null; lastAttemptAt: Date | null }>(
    q,
    sql`SELECT facility_id AS "facilityId", status, entry_sha256 AS "entrySha256", reference, services, practitioners,
      acknowledged_at AS "acknowledgedAt", last_attempt_at AS "lastAttemptAt", last_error AS "lastError"
    FROM nhis_facility_registration WHERE facility_id = ${facilityId}`,
  );
  return row && { ...row, acknowledgedAt: row.acknowledgedAt?.toISOString() ?? null, lastAttemptAt: row.lastAttemptAt?.toISOString() ?? null };
}

/** Writes the outcome of an attempt; fields left out keep what the NHIS last acknowledged. */
export async function saveRegistration(
  q: Queryable,
  row: { facilityId: string; status: RegistrationRow['status']; at: string; lastError: string | null; acknowledged?: { entrySha256: string | null; reference: string | null; services: number; practitioners: number } },
): Promise<void> {
  const a = row.acknowledged;
  await q.execute(sql`INSERT INTO nhis_facility_registration (facility_id, status, entry_sha256, reference, services, practitioners, acknowledged_at, last_attempt_at, last_error, updated_at)
    VALUES (${row.facilityId}, ${row.status}, ${a?.entrySha256 ?? null}, ${a?.reference ?? null}, ${a?.services ?? 0}, ${a?.practitioners ?? 0}, ${a ? row.at : null}::timestamptz, ${row.at}::timestamptz, ${row.lastError}, ${row.at}::timestamptz)
    ON CONFLICT (facility_id) DO UPDATE SET status = EXCLUDED.status, last_attempt_at = EXCLUDED.last_attempt_at, last_error = EXCLUDED.last_error, updated_at = EXCLUDED.updated_at
      ${a ? sql`, entry_sha256 = EXCLUDED.entry_sha256, reference = EXCLUDED.reference, services = EXCLUDED.services, practitioners = EXCLUDED.practitioners, acknowledged_at = EXCLUDED.acknowledged_at` : sql``}`);
}

export interface EntrySource {
  facility: { number: string; name: string; typeCode: string; rhifCode: string; ekatte: string | null; settlement: string; address: string; phone: string | null; email: string | null; status: string };
  services: { id: string; specialtyCode: string; kindCode: string; mode: 'synchronous' | 'asynchronous'; nhifPaid: boolean; priceEurCents: number | null }[];
  hours: { serviceId: string; uin: string; weekday: number; start: string; end: string }[];
  practitioners: { uin: string; specialtyCodes: string[] }[];
}

/**
 * What the facility publishes on a local date: its published services, and the weekly hours of listed,
 * active specialists whose schedules are in force that day (Art. 15).
 */
export async function loadEntrySource(q: Queryable, facilityId: string, onDate: string): Promise<EntrySource | undefined> {
  const f = await one<EntrySource['facility']>(
    q,
    sql`SELECT trim(number) AS number, name, type_code AS "typeCode", rhif_code AS "rhifCode", trim(ekatte) AS ekatte, settlement, address, phone, email, status
      FROM facility WHERE id = ${facilityId}`,
  );
  if (!f) return undefined;
  const services = await rows<EntrySource['services'][number]>(
    q,
    sql`SELECT id, specialty_code AS "specialtyCode", kind_code AS "kindCode", mode, nhif_paid AS "nhifPaid", price_eur_cents AS "priceEurCents"
      FROM facility_service WHERE facility_id = ${facilityId} AND status = 'published' ORDER BY id`,
  );
  const hours = await rows<EntrySource['hours'][number]>(
    q,
    sql`SELECT s.service_id AS "serviceId", trim(p.uin) AS uin, r.weekday, to_char(r.start_time, 'HH24:MI') AS start, to_char(r.end_time, 'HH24:MI') AS "end"
      FROM schedule s
      JOIN schedule_rule r ON r.schedule_id = s.id
      JOIN practitioner p ON p.id = s.practitioner_id AND p.active
      JOIN practitioner_role pr ON pr.practitioner_id = s.practitioner_id AND pr.facility_id = s.facility_id AND pr.active AND pr.listed
      JOIN facility_service fs ON fs.id = s.service_id AND fs.status = 'published'
      WHERE s.facility_id = ${facilityId} AND s.active AND s.valid_from <= ${onDate}::date AND (s.valid_to IS NULL OR s.valid_to >= ${onDate}::date)
      ORDER BY s.service_id, uin, r.weekday, r.start_time`,
  );
  const practitioners = await rows<{ uin: string; specialtyCodes: string[] }>(
    q,
    sql`SELECT trim(p.uin) AS uin, coalesce(array_agg(ps.specialty_code ORDER BY ps.specialty_code) FILTER (WHERE ps.specialty_code IS NOT NULL), '{}') AS "specialtyCodes"
      FROM practitioner p
      JOIN practitioner_role pr ON pr.practitioner_id = p.id AND pr.facility_id = ${facilityId} AND pr.active AND pr.listed
      LEFT JOIN practitioner_specialty ps ON ps.practitioner_id = p.id
      WHERE p.active AND EXISTS (SELECT 1 FROM schedule s JOIN facility_service fs ON fs.id = s.service_id AND fs.status = 'published'
        WHERE s.practitioner_id = p.id AND s.facility_id = ${facilityId} AND s.active AND s.valid_from <= ${onDate}::date AND (s.valid_to IS NULL OR s.valid_to >= ${onDate}::date))
      GROUP BY p.uin ORDER BY uin`,
  );
  return { facility: f, services, hours, practitioners };
}

/** Facilities the daily reconciliation looks at: active ones, and any the NHIS may still list. */
export async function facilitiesToReconcile(q: Queryable): Promise<string[]> {
  const r = await rows<{ id: string }>(q, sql`SELECT id FROM facility WHERE status = 'active'
    UNION SELECT facility_id FROM nhis_facility_registration WHERE status <> 'deregistered'`);
  return r.map((x) => x.id);
}

/** True when a sync of the facility is already waiting in the outbox (no second one is queued). */
export async function syncQueued(q: Queryable, type: string, facilityId: string): Promise<boolean> {
  const r = await q.execute(sql`SELECT 1 FROM outbox WHERE type = ${type} AND status = 'pending' AND attempts = 0 AND payload->>'facilityId' = ${facilityId} LIMIT 1`);
  return r.rows.length > 0;
}

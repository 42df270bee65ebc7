import { sql } from 'drizzle-orm';
import type { Queryable } from '../../platform/db/index.js';
import { rows } from '../../platform/db/rows.js';

// SQL only (STYLE C7): emergency contracts (Art. 14(3), migrations/0006), the facility rota of
// specialists on duty, and the alerts and escalation of an emergency request (migrations/0007).
// Re-exported by requests.repo.ts, so the use cases read every query of the module as `repo.*`.

const iso = (d: Date) => d.toISOString();

/**
 * Whether an active emergency contract lets `requester` consult `provider` in the specialty on the
 * date (Art. 14(3), R-TM-06). An empty specialty list on a contract covers no specialty.
 */
export async function hasActiveEmergencyContract(q: Queryable, requesterFacilityId: string, providerFacilityId: string, specialtyCode: string, onDate: string): Promise<boolean> {
  const r = await rows(
    q,
    sql`SELECT 1 FROM emergency_contract c JOIN emergency_contract_specialty cs ON cs.contract_id = c.id
        WHERE c.requester_facility_id = ${requesterFacilityId} AND c.provider_facility_id = ${providerFacilityId}
          AND c.status = 'active' AND cs.specialty_code = ${specialtyCode}
          AND c.valid_from <= ${onDate}::date AND (c.valid_to IS NULL OR c.valid_to >= ${onDate}::date)
        LIMIT 1`,
  );
  return r.length > 0;
}

export interface EmergencyTargetRow {
  requester_facility_id: string;
  facility_id: string;
  facility_name: string;
  specialty_code: string;
  specialty_name_bg: string;
  specialty_name_en: string;
  on_duty: number;
}

/**
 * The active emergency contracts of the requesting facilities at an instant, per provider and specialty.
 * Time zone: a contract's dates are the provider's calendar dates (as in `hasActiveEmergencyContract`),
 * so "today" is the instant's date in each provider facility's own zone, not in UTC.
 * @param at - the instant (from the injected clock)
 */
export async function listEmergencyTargets(q: Queryable, requesterFacilityIds: readonly string[], at: Date): Promise<EmergencyTargetRow[]> {
  if (requesterFacilityIds.length === 0) return [];
  return rows<EmergencyTargetRow>(
    q,
    sql`SELECT c.requester_facility_id, f.id AS facility_id, f.name AS facility_name, cs.specialty_code,
          sp.name_bg AS specialty_name_bg, sp.name_en AS specialty_name_en,
          (SELECT count(*)::int FROM emergency_rota er WHERE er.facility_id = f.id AND er.specialty_code = cs.specialty_code) AS on_duty
        FROM emergency_contract c
        JOIN emergency_contract_specialty cs ON cs.contract_id = c.id
        JOIN facility f ON f.id = c.provider_facility_id
        JOIN specialty sp ON sp.code = cs.specialty_code
        CROSS JOIN LATERAL (SELECT (${iso(at)}::timestamptz AT TIME ZONE f.time_zone)::date AS today) d
        WHERE c.requester_facility_id IN (${sql.join(requesterFacilityIds.map((f) => sql`${f}`), sql`, `)})
          AND c.status = 'active' AND c.valid_from <= d.today AND (c.valid_to IS NULL OR c.valid_to >= d.today)
        ORDER BY f.name, cs.specialty_code`,
  );
}

export interface RotaRow {
  position: number;
  practitioner_id: string;
  practitioner_name: string;
}

export async function listRota(q: Queryable, facilityId: string, specialtyCode: string): Promise<RotaRow[]> {
  return rows<RotaRow>(
    q,
    sql`SELECT er.position, er.practitioner_id, p.given_name || ' ' || p.family_name AS practitioner_name
        FROM emergency_rota er JOIN practitioner p ON p.id = er.practitioner_id
        WHERE er.facility_id = ${facilityId} AND er.specialty_code = ${specialtyCode} ORDER BY er.position`,
  );
}

export async function replaceRota(q: Queryable, facilityId: string, specialtyCode: string, practitionerIds: readonly string[], now: Date): Promise<void> {
  await q.execute(sql`DELETE FROM emergency_rota WHERE facility_id = ${facilityId} AND specialty_code = ${specialtyCode}`);
  let position = 1;
  for (const pid of practitionerIds) {
    await q.execute(sql`INSERT INTO emergency_rota (facility_id, specialty_code, practitioner_id, position, created_at)
      VALUES (${facilityId}, ${specialtyCode}, ${pid}, ${position}, ${iso(now)}::timestamptz)`);
    position += 1;
  }
}

export async function isOnRota(q: Queryable, facilityId: string, specialtyCode: string, practitionerId: string): Promise<boolean> {
  const r = await rows(q, sql`SELECT 1 FROM emergency_rota WHERE facility_id = ${facilityId} AND specialty_code = ${specialtyCode} AND practitioner_id = ${practitionerId}`);
  return r.length > 0;
}

export async function insertAlert(q: Queryable, a: { requestId: string; position: number; practitionerId: string; at: Date }): Promise<void> {
  await q.execute(sql`INSERT INTO emergency_alert (request_id, position, practitioner_id, alerted_at) VALUES (${a.requestId}, ${a.position}, ${a.practitionerId}, ${iso(a.at)}::timestamptz)
    ON CONFLICT (request_id, position) DO NOTHING`);
}

/**
 * Escalation step as compare-and-swap: only an unacknowledged emergency still at `position` moves on.
 * @returns true when this call moved it
 */
export async function casEscalation(q: Queryable, requestId: string, position: number, next: number, now: Date): Promise<boolean> {
  const r = await rows(
    q,
    sql`UPDATE service_request SET escalation_position = ${next}, updated_at = ${iso(now)}::timestamptz
        WHERE id = ${requestId} AND status = 'requested' AND urgency = 'emergency' AND escalation_position = ${position} RETURNING id`,
  );
  if (r.length === 0) return false;
  await q.execute(sql`UPDATE emergency_alert SET escalated_at = ${iso(now)}::timestamptz WHERE request_id = ${requestId} AND position = ${position}`);
  return true;
}

export interface AlertRow {
  position: number;
  practitioner_id: string;
  practitioner_name: string;
  alerted_at: Date;
  escalated_at: Date | null;
}

export async function listAlerts(q: Queryable, requestId: string): Promise<AlertRow[]> {
  return rows<AlertRow>(
    q,
    sql`SELECT a.position, a.practitioner_id, p.given_name || ' ' || p.family_name AS practitioner_name, a.alerted_at, a.escalated_at
        FROM emergency_alert a JOIN practitioner p ON p.id = a.practitioner_id WHERE a.request_id = ${requestId} ORDER BY a.position`,
  );
}

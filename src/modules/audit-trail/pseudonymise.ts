import { createHmac, randomBytes } from 'node:crypto';
import type { ExportRow } from './audit-trail.repo.js';

/** Roles whose accounts are people receiving care, not staff accountable to the supervisor. */
const PATIENT_SIDE_ROLES: ReadonlySet<string> = new Set(['patient', 'representative']);
/** Subject types that name a patient or a patient-side account. */
const PATIENT_SUBJECTS: ReadonlySet<string> = new Set(['patient', 'account', 'user_account']);
/** Keys in `data` whose values are patient-side account or patient ids. */
const PATIENT_DATA_KEY = /^(patientId|representativeAccountId|granteeAccountId|accountId|onBehalfOf)$/;

/**
 * Pseudonymises an audit export for a supervisor without an open case about the facility (Art. 21,
 * Art. 28(1) item 3; docs/access.md "Supervision"): patient ids and patient-side account ids become pseudonyms
 * (the same id gives the same pseudonym within one export, so patterns stay visible, but a fresh key per
 * export keeps two exports unlinkable); their IPs and user agents are dropped. Staff are not
 * pseudonymised: they act for the facility and answer to the supervisor.
 * @param rows - the export rows
 * @returns new rows; the hash chain columns are unchanged (they prove order, not content, to the reader)
 */
export function pseudonymiseRows(rows: readonly ExportRow[]): ExportRow[] {
  const key = randomBytes(32);
  const alias = (id: string) => `pseudonym-${createHmac('sha256', key).update(id).digest('hex').slice(0, 20)}`;
  const aliasOrNull = (id: string | null) => (id ? alias(id) : null);
  const scrubData = (data: Record<string, unknown> | null): Record<string, unknown> | null => {
    if (!data) return data;
    return Object.fromEntries(Object.entries(data).map(([k, v]) => [k, PATIENT_DATA_KEY.test(k) && typeof v === 'string' ? alias(v) : v]));
  };
  return rows.map((r) => {
    const patientSideActor = r.actor_role !== null && PATIENT_SIDE_ROLES.has(r.actor_role);
    return {
      ...r,
      actor_id: patientSideActor ? aliasOrNull(r.actor_id) : r.actor_id,
      ip: patientSideActor || r.actor_type === 'anonymous' ? null : r.ip,
      user_agent: patientSideActor || r.actor_type === 'anonymous' ? null : r.user_agent,
      patient_id: aliasOrNull(r.patient_id),
      on_behalf_of: aliasOrNull(r.on_behalf_of),
      subject_id: r.subject_type && PATIENT_SUBJECTS.has(r.subject_type) ? aliasOrNull(r.subject_id) : r.subject_id,
      data: scrubData(r.data),
    };
  });
}

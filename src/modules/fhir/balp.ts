import type { AuditEntry } from '../../platform/audit/audit-log.js';

/** What a FHIR interaction on patient data was, noted by its route before anything can fail. */
export interface BalpNote {
  /** FHIR restful-interaction code. */
  interaction: 'read' | 'search-type' | 'operation';
  type: string;
  id?: string;
  /** Known from the URL or the search; for a read by id, learnt from the answer. */
  patientId?: string;
  /** The search's query string (ids and paging only: patient searches accept nothing else). */
  query?: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function patientOf(payload: unknown): string | undefined {
  if (typeof payload !== 'string') return undefined;
  try {
    const r = JSON.parse(payload) as { subject?: { reference?: string }; patient?: { reference?: string } };
    const ref = r.subject?.reference ?? r.patient?.reference;
    return ref?.startsWith('Patient/') ? ref.slice('Patient/'.length) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The audit row of one interaction (IHE BALP: who, what, the patient, the outcome), mapped to a BALP
 * AuditEvent by the audit export (docs/fhir.md#audit).
 * @param n - the route's note
 * @param status - the HTTP status answered
 * @param payload - the answer's body (a read by id names its patient there)
 * @param facilityId - a registered system's facility (its rows join the facility's audit export)
 * @returns the entry for `audit.recordStandalone`
 */
export function balpEntryOf(n: BalpNote, status: number, payload: unknown, facilityId?: string): AuditEntry {
  const outcome = status < 400 ? 'success' : status === 401 || status === 403 ? 'denied' : 'failure';
  // Performance: the answer is parsed only for a read by id (one resource), never for a search or $everything.
  const candidate = n.patientId ?? (status < 400 && n.interaction === 'read' ? patientOf(payload) : undefined);
  const patientId = candidate !== undefined && UUID.test(candidate) ? candidate : undefined;
  return {
    action: 'fhir.interaction',
    outcome,
    ...(patientId ? { patientId } : {}),
    ...(facilityId ? { facilityId } : {}),
    ...(n.id ? { subject: { type: n.type, id: n.id } } : {}),
    data: { interaction: n.interaction, type: n.type, status, ...(n.id ? { id: n.id } : {}), ...(n.query ? { query: n.query.slice(0, 500) } : {}) },
  };
}

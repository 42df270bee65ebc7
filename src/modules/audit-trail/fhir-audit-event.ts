import { EXT, STD } from '../../platform/fhir/systems.js';
import type { ExportRow } from './audit-trail.repo.js';
import type { AccessLogEntry } from '../../contracts/audit-trail.js';

/**
 * Maps audit rows to FHIR R4 AuditEvent on demand (STYLE C13: we never store FHIR audit resources).
 * Codes follow DICOM (DCM) and HL7 terminology as medplum's `auditevent.ts` does.
 */

const DCM = 'http://dicom.nema.org/resources/ontology/DCM';
const EVENT_TYPE = 'http://terminology.hl7.org/CodeSystem/audit-event-type';
const ENTITY_TYPE = 'http://terminology.hl7.org/CodeSystem/audit-entity-type';
const OBJECT_ROLE = 'http://terminology.hl7.org/CodeSystem/object-role';
const SOURCE_TYPE = 'http://terminology.hl7.org/CodeSystem/security-source-type';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A Distansia row id as an Identifier: a UUID is a `urn:uuid` in the RFC 3986 system (no made-up system). */
function idIdentifier(id: string, kind: string): Record<string, unknown> {
  return UUID.test(id) ? { type: { text: kind }, system: STD.rfc3986, value: `urn:uuid:${id.toLowerCase()}` } : { type: { text: kind }, value: id };
}

interface Coding {
  system: string;
  code: string;
  display: string;
}

const USER_AUTHENTICATION: Coding = { system: DCM, code: '110114', display: 'User Authentication' };
const LOGIN: Coding = { system: DCM, code: '110122', display: 'Login' };
const LOGOUT: Coding = { system: DCM, code: '110123', display: 'Logout' };
const SECURITY_ALERT: Coding = { system: DCM, code: '110113', display: 'Security Alert' };
const ROLES_CHANGED: Coding = { system: DCM, code: '110136', display: 'Security Roles Changed' };
const PATIENT_RECORD: Coding = { system: DCM, code: '110110', display: 'Patient Record' };
const EXPORT: Coding = { system: DCM, code: '110106', display: 'Export' };
const APPLICATION_ACTIVITY: Coding = { system: DCM, code: '110100', display: 'Application Activity' };
const REST: Coding = { system: EVENT_TYPE, code: 'rest', display: 'Restful Operation' };

/** DICOM event type and subtype of an action code. */
export function eventTypeOf(action: string, hasPatient: boolean): { type: Coding; subtype?: Coding } {
  if (action === 'auth.signed_in' || action === 'auth.sign_in_failed' || action === 'auth.password_verified' || action === 'auth.locked_out' || action === 'auth.throttled' || action === 'auth.recovery_code_used') {
    return { type: USER_AUTHENTICATION, subtype: LOGIN };
  }
  if (action === 'auth.signed_out' || action === 'auth.session_revoked') return { type: USER_AUTHENTICATION, subtype: LOGOUT };
  if (action === 'access.denied' || action === 'auth.network_denied') return { type: SECURITY_ALERT };
  if (action.startsWith('access.') || action.startsWith('representative.') || action.startsWith('auth.mfa') || action === 'auth.recovery_codes_generated') {
    return { type: ROLES_CHANGED };
  }
  if (action === 'audit.exported') return { type: EXPORT };
  if (hasPatient) return { type: PATIENT_RECORD };
  if (action.startsWith('demo.')) return { type: APPLICATION_ACTIVITY };
  return { type: REST };
}

/** FHIR AuditEvent.action (C create, R read, U update, D delete, E execute) from the past-tense verb. */
export function fhirActionOf(action: string): 'C' | 'R' | 'U' | 'D' | 'E' {
  const verb = action.slice(action.indexOf('.') + 1);
  // Tricky: order matters, `unlinked` ends like `linked`.
  if (/(read|viewed|exported)$/.test(verb)) return 'R';
  if (/(deleted|removed)$/.test(verb)) return 'D';
  if (/(updated|changed|closed|revoked|unlinked|cancelled|withdrawn)$/.test(verb)) return 'U';
  if (/(created|opened|linked|granted|enrolled|generated|seeded|imported|recorded)$/.test(verb)) return 'C';
  return 'E';
}

const OUTCOME = { success: '0', denied: '4', failure: '8' } as const;

/**
 * One AuditEvent resource for one row.
 * @param row - the audit row
 * @returns the FHIR R4 AuditEvent JSON
 */
export function toFhirAuditEvent(row: ExportRow): Record<string, unknown> {
  if (row.action === 'fhir.interaction') return balpAuditEventOf(row);
  const { type, subtype } = eventTypeOf(row.action, row.patient_id !== null);
  const entity: Record<string, unknown>[] = [];
  if (row.patient_id) {
    entity.push({
      what: { reference: `Patient/${row.patient_id}` },
      type: { system: ENTITY_TYPE, code: '1', display: 'Person' },
      role: { system: OBJECT_ROLE, code: '1', display: 'Patient' },
    });
  }
  if (row.subject_type && row.subject_id) {
    entity.push({
      what: { identifier: idIdentifier(row.subject_id, row.subject_type) },
      type: { system: ENTITY_TYPE, code: '2', display: 'System Object' },
      ...(row.data ? { detail: [{ type: 'data', valueString: JSON.stringify(row.data) }] } : {}),
    });
  }
  return {
    resourceType: 'AuditEvent',
    id: row.id,
    // Regulatory: where the event sits in the hash chain, so an exported copy can be checked against `audit verify`.
    extension: [
      { url: EXT.auditChain, valueString: `${row.chain}/${row.seq}` },
      { url: EXT.auditHash, valueString: row.hash },
    ],
    type,
    ...(subtype ? { subtype: [subtype] } : {}),
    action: fhirActionOf(row.action),
    recorded: row.recorded_at,
    outcome: OUTCOME[row.outcome],
    outcomeDesc: row.action,
    ...(row.reason ? { purposeOfEvent: [{ text: row.reason }] } : {}),
    agent: [
      {
        type: { text: row.actor_type },
        ...(row.actor_role ? { role: [{ text: row.actor_role }] } : {}),
        who: row.actor_id ? { identifier: idIdentifier(row.actor_id, row.actor_type === 'user' ? 'user-account' : row.actor_type === 'client' ? 'api-client' : 'system') } : { display: 'anonymous' },
        requestor: true,
        ...(row.ip ? { network: { address: row.ip, type: '2' } } : {}),
      },
      ...(row.on_behalf_of ? [{ type: { text: 'on-behalf-of' }, who: { reference: `Patient/${row.on_behalf_of}` }, requestor: false }] : []),
    ],
    source: {
      site: row.facility_id ? `Organization/${row.facility_id}` : 'Distansia',
      observer: { display: 'Distansia' },
      type: [{ system: SOURCE_TYPE, code: '4', display: 'Application Server' }],
    },
    ...(entity.length ? { entity } : {}),
  };
}

const BALP = 'https://profiles.ihe.net/ITI/BALP/StructureDefinition';
const INTERACTION = 'http://hl7.org/fhir/restful-interaction';
const PARTICIPATION = 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType';
const BALP_PROFILE = { read: 'IHE.BasicAudit.PatientRead', 'search-type': 'IHE.BasicAudit.PatientQuery', operation: 'IHE.BasicAudit.PatientQuery' } as const;

/**
 * A `fhir.interaction` row as an IHE Basic Audit Log Patterns AuditEvent (BALP 1.1: PatientRead for a
 * read, PatientQuery for a search or `$everything`): the REST interaction as subtype, the client, server
 * and user agents, the patient and the resource read (or the query, base64) as entities.
 * @param row - the audit row (action `fhir.interaction`)
 * @returns the FHIR R4 AuditEvent JSON
 */
export function balpAuditEventOf(row: ExportRow): Record<string, unknown> {
  const d = (row.data ?? {}) as { interaction?: keyof typeof BALP_PROFILE; type?: string; id?: string; query?: string };
  const interaction = d.interaction ?? 'read';
  const user = row.actor_id ? { identifier: idIdentifier(row.actor_id, row.actor_type === 'client' ? 'api-client' : row.actor_type === 'user' ? 'user-account' : 'system') } : { display: 'anonymous' };
  const entity: Record<string, unknown>[] = [];
  if (row.patient_id) entity.push({ what: { reference: `Patient/${row.patient_id}` }, type: { system: ENTITY_TYPE, code: '1', display: 'Person' }, role: { system: OBJECT_ROLE, code: '1', display: 'Patient' } });
  if (interaction === 'read' && d.type && d.id) {
    entity.push({ what: { reference: `${d.type}/${d.id}` }, type: { system: ENTITY_TYPE, code: '2', display: 'System Object' }, role: { system: OBJECT_ROLE, code: '4', display: 'Domain Resource' } });
  } else {
    entity.push({ type: { system: ENTITY_TYPE, code: '2', display: 'System Object' }, role: { system: OBJECT_ROLE, code: '24', display: 'Query' }, query: Buffer.from(`${d.type ?? ''}${d.id ? `/${d.id}/$everything` : ''}?${d.query ?? ''}`, 'utf8').toString('base64') });
  }
  return {
    resourceType: 'AuditEvent',
    id: row.id,
    meta: { profile: [`${BALP}/${BALP_PROFILE[interaction]}`] },
    extension: [
      { url: EXT.auditChain, valueString: `${row.chain}/${row.seq}` },
      { url: EXT.auditHash, valueString: row.hash },
    ],
    type: REST,
    subtype: [{ system: INTERACTION, code: interaction, display: interaction }],
    action: interaction === 'read' ? 'R' : 'E',
    recorded: row.recorded_at,
    outcome: OUTCOME[row.outcome],
    outcomeDesc: `${row.action} ${d.type ?? ''} ${String((row.data as { status?: number } | null)?.status ?? '')}`.trim(),
    agent: [
      // BALP: the client application (its address), the server (this endpoint) and the user who asked.
      { type: { coding: [{ system: DCM, code: '110153', display: 'Source Role ID' }] }, who: row.actor_type === 'client' ? user : { display: 'web browser' }, requestor: false, ...(row.ip ? { network: { address: row.ip, type: '2' } } : {}) },
      { type: { coding: [{ system: DCM, code: '110152', display: 'Destination Role ID' }] }, who: { display: 'Distansia FHIR R4 endpoint' }, requestor: false },
      { type: { coding: [{ system: PARTICIPATION, code: 'IRCP', display: 'information recipient' }] }, who: user, ...(row.actor_role ? { role: [{ text: row.actor_role }] } : {}), requestor: true },
    ],
    source: {
      site: row.facility_id ? `Organization/${row.facility_id}` : 'Distansia',
      observer: { display: 'Distansia' },
      type: [{ system: SOURCE_TYPE, code: '4', display: 'Application Server' }],
    },
    entity,
  };
}

const CSV_COLUMNS = [
  'id', 'recorded_at', 'chain', 'seq', 'action', 'outcome', 'actor_type', 'actor_id', 'actor_role', 'on_behalf_of', 'patient_id',
  'facility_id', 'subject_type', 'subject_id', 'reason', 'request_id', 'ip', 'user_agent', 'data', 'hash',
] as const satisfies readonly (keyof ExportRow)[];

function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  let s = typeof v === 'string' ? v : typeof v === 'number' ? String(v) : JSON.stringify(v);
  // Security: a cell starting with = + - @ would run as a formula in a spreadsheet (CSV injection).
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * RFC 4180 CSV of audit rows, header first, CRLF line ends.
 * @param rows - the rows
 * @returns the CSV text
 */
export function toCsv(rows: readonly ExportRow[]): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const r of rows) lines.push(CSV_COLUMNS.map((c) => csvCell(r[c])).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

/**
 * One entry of a patient's "who accessed my data" as an AuditEvent (the patient's own view: practitioners
 * by their public name, everyone else by role; no IP, no chain position).
 * @param e - the access-log entry
 * @param patientId - whose log
 * @returns the FHIR R4 AuditEvent JSON
 */
export function accessLogAuditEventOf(e: AccessLogEntry, patientId: string): Record<string, unknown> {
  const { type, subtype } = eventTypeOf(e.action, true);
  const who = e.actor.displayName ?? e.actor.role ?? e.actor.type;
  return {
    resourceType: 'AuditEvent',
    id: e.id,
    type,
    ...(subtype ? { subtype: [subtype] } : {}),
    action: fhirActionOf(e.action),
    recorded: e.at,
    outcome: OUTCOME[e.outcome],
    outcomeDesc: e.action,
    ...(e.reason ? { purposeOfEvent: [{ text: e.supervision ? `${e.reason} (${e.supervision.legalBasis})` : e.reason }] } : {}),
    agent: [{ type: { text: e.actor.type }, ...(e.actor.role ? { role: [{ text: e.actor.role }] } : {}), who: { display: e.actor.isYou ? `${who} (you)` : who }, requestor: true }],
    source: {
      site: e.facility ? `Organization/${e.facility.id}` : 'Distansia',
      observer: { display: e.facility?.name ?? 'Distansia' },
      type: [{ system: SOURCE_TYPE, code: '4', display: 'Application Server' }],
    },
    entity: [{ what: { reference: `Patient/${patientId}` }, type: { system: ENTITY_TYPE, code: '1', display: 'Person' }, role: { system: OBJECT_ROLE, code: '1', display: 'Patient' } }],
  };
}

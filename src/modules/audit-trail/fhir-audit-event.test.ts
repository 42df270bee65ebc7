import { beforeAll, describe, expect, it } from 'vitest';
import type { ExportRow } from './audit-trail.repo.js';
import { eventTypeOf, fhirActionOf, toCsv, toFhirAuditEvent } from './fhir-audit-event.js';
import { fhirProblems, warmUpFhirValidation } from '../../test/fhir-validate.js';

const row: ExportRow = {
  id: '01900000-0000-7000-8000-000000000001',
  chain: 4,
  seq: '17',
  recorded_at: '2026-11-25T08:00:00.000000Z',
  action: 'patient.read',
  outcome: 'success',
  actor_type: 'user',
  actor_id: '01900000-0000-7000-8000-0000000000aa',
  actor_role: 'specialist',
  on_behalf_of: null,
  patient_id: '01900000-0000-7000-8000-0000000000bb',
  facility_id: '01900000-0000-7000-8000-0000000000cc',
  subject_type: 'patient',
  subject_id: '01900000-0000-7000-8000-0000000000bb',
  reason: 'request:9',
  request_id: 'req-1',
  ip: '10.0.0.7',
  user_agent: 'UA',
  data: { fields: ['pii'] },
  hash: 'ab'.repeat(32),
};

describe('FHIR AuditEvent export (STYLE C13, docs/decisions.md#d12)', () => {
  // Loading the R4 definitions takes seconds: once, before the tests' own 5 s limit applies.
  beforeAll(warmUpFhirValidation, 60_000);
  it('maps a patient read to DICOM 110110 Patient Record, action R, outcome 0, with patient entity and chain position', () => {
    const ev = JSON.parse(JSON.stringify(toFhirAuditEvent(row)));
    expect(ev.resourceType).toBe('AuditEvent');
    expect(ev.type).toEqual({ system: 'http://dicom.nema.org/resources/ontology/DCM', code: '110110', display: 'Patient Record' });
    expect(ev.action).toBe('R');
    expect(ev.outcome).toBe('0');
    expect(ev.recorded).toBe(row.recorded_at);
    expect(ev.entity[0].what.reference).toBe(`Patient/${row.patient_id}`);
    expect(ev.entity[0].role.code).toBe('1');
    expect(ev.agent[0].network).toEqual({ address: '10.0.0.7', type: '2' });
    expect(ev.agent[0].role[0].text).toBe('specialist');
    expect(ev.source.site).toBe(`Organization/${row.facility_id}`);
    expect(ev.extension).toContainEqual({ url: 'https://distansia.bg/fhir/StructureDefinition/audit-chain-position', valueString: '4/17' });
    expect(ev.purposeOfEvent[0].text).toBe('request:9');
  });

  it('maps sign-in, denial and export codes like medplum (110114/110122, 110113, 110106) and outcomes 4/8', () => {
    expect(eventTypeOf('auth.signed_in', false)).toMatchObject({ type: { code: '110114' }, subtype: { code: '110122' } });
    expect(eventTypeOf('auth.signed_out', false)).toMatchObject({ subtype: { code: '110123' } });
    expect(eventTypeOf('access.denied', true).type.code).toBe('110113');
    expect(eventTypeOf('audit.exported', false).type.code).toBe('110106');
    expect((toFhirAuditEvent({ ...row, outcome: 'denied' }) as { outcome: string }).outcome).toBe('4');
    expect((toFhirAuditEvent({ ...row, outcome: 'failure' }) as { outcome: string }).outcome).toBe('8');
    expect(fhirActionOf('patient.created')).toBe('C');
    expect(fhirActionOf('facility.updated')).toBe('U');
    expect(fhirActionOf('auth.mfa_removed')).toBe('D');
    expect(fhirActionOf('auth.sign_in_failed')).toBe('E');
    expect(fhirActionOf('representative.unlinked')).toBe('U');
  });

  it('writes RFC 4180 CSV with quoting and neutralises spreadsheet formulas', () => {
    const csv = toCsv([{ ...row, user_agent: '=HYPERLINK("x")', reason: 'a,b' }]);
    const [header, line] = csv.split('\r\n');
    expect(header?.split(',')[0]).toBe('id');
    expect(line).toContain(`"'=HYPERLINK(""x"")"`);
    expect(line).toContain('"a,b"');
    expect(line).toContain('"{""fields"":[""pii""]}"');
  });

  it('maps a FHIR read by a registered system to a BALP PatientRead: rest/read, client, server and user agents, patient and resource entities; valid R4', () => {
    const balp = { ...row, action: 'fhir.interaction', actor_type: 'client', actor_role: null, subject_type: 'Composition', subject_id: row.id, data: { interaction: 'read', type: 'Composition', id: row.id, status: 200 } };
    const ev = JSON.parse(JSON.stringify(toFhirAuditEvent(balp)));
    expect(ev.meta.profile).toEqual(['https://profiles.ihe.net/ITI/BALP/StructureDefinition/IHE.BasicAudit.PatientRead']);
    expect(ev).toMatchObject({ type: { code: 'rest' }, subtype: [{ system: 'http://hl7.org/fhir/restful-interaction', code: 'read' }], action: 'R', outcome: '0' });
    expect(ev.agent.map((a: { type: { coding: { code: string }[] } }) => a.type.coding[0]!.code)).toEqual(['110153', '110152', 'IRCP']);
    expect(ev.agent[0].who.identifier.value).toBe(`urn:uuid:${row.actor_id}`);
    expect(ev.entity).toEqual([expect.objectContaining({ what: { reference: `Patient/${row.patient_id}` } }), expect.objectContaining({ what: { reference: `Composition/${row.id}` }, role: expect.objectContaining({ code: '4' }) })]);
    expect(fhirProblems(ev)).toEqual([]);
  });

  it('maps a refused FHIR search to a BALP PatientQuery with the query as base64, outcome 4', () => {
    const q = { ...row, action: 'fhir.interaction', outcome: 'denied' as const, data: { interaction: 'search-type', type: 'Condition', query: `patient=${row.patient_id}`, status: 403 } };
    const ev = JSON.parse(JSON.stringify(toFhirAuditEvent(q)));
    expect(ev.meta.profile[0]).toMatch(/PatientQuery$/);
    expect(ev).toMatchObject({ subtype: [{ code: 'search-type' }], action: 'E', outcome: '4' });
    expect(Buffer.from(ev.entity[1].query, 'base64').toString('utf8')).toBe(`Condition?patient=${row.patient_id}`);
    expect(fhirProblems(ev)).toEqual([]);
  });
});

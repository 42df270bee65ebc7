import { SEARCH_PARAMS } from './search-params.js';
import { DIRECTORY_TYPES } from '../directory/index.js';
import { INCLUDES } from './search-directory.js';
import { CLINICAL_TYPES, type ClinicalType } from './clinical-resources.js';

const CLINICAL_DOC: Record<ClinicalType, string> = {
  Composition: 'The signed clinical documents (ambulatory sheet, written consultation, information for the patient); replaced revisions are amended/superseded.',
  DocumentReference: 'The signed documents with their canonical content (SHA-1 hash, SHA-256 extension) and the PDF.',
  Condition: 'Diagnoses (ICD-10) recorded in signed documents.',
  MedicationStatement: 'Medications recorded in signed documents.',
  ServiceRequest: 'Referrals (NHIF forms 3, 3A, 4, 6, 7; MH 119a) with the NHIS НРН.',
  MedicationRequest: 'E-prescriptions, one per line, grouped by the prescription.',
  Consent: 'Signed consents to the remote service (treatment) and to recording (patient-privacy).',
};

/**
 * The CapabilityStatement served at `GET /fhir/R4/metadata`: exactly what exists (docs/fhir.md). Pure.
 * @param baseUrl - the endpoint's absolute base, e.g. `https://host/fhir/R4`
 * @param date - the server's software date (ISO date)
 * @returns the CapabilityStatement
 */
export function capabilityStatement(baseUrl: string, date: string): Record<string, unknown> {
  const serverBase = baseUrl.replace(/\/fhir\/R4$/, '');
  const types: Record<string, string> = { _id: 'token', identifier: 'token', name: 'string', 'address-city': 'string', organization: 'reference', practitioner: 'reference', service: 'reference', specialty: 'token', 'service-type': 'token', actor: 'reference', schedule: 'reference', 'schedule.actor': 'reference', start: 'date', status: 'token' };
  const paging = [
    { name: '_count', type: 'number', documentation: 'Page size, at most 100 (default 20).' },
    { name: '_offset', type: 'number', documentation: 'Resources to skip; the `next` link carries it.' },
  ];
  const resource = [
    ...DIRECTORY_TYPES.map((type) => ({
      type,
      documentation: 'Public directory (Art. 15): no sign-in.',
      interaction: [{ code: 'read' }, { code: 'search-type' }],
      searchParam: [{ name: '_id', type: 'token' }, ...SEARCH_PARAMS[type].map((name) => ({ name, type: types[name] ?? 'string' })), ...paging],
      ...(Object.entries(INCLUDES).some(([, v]) => v.from === type) ? { searchInclude: Object.entries(INCLUDES).filter(([, v]) => v.from === type).map(([k]) => k) } : {}),
    })),
    {
      type: 'Patient',
      documentation:
        "The browser session (the same access policy as /api/v1: self, represented patient, care relationship, grant) or a registered system's bearer token (a patient under care at its facility; $everything holds only what that facility recorded); every read audited.",
      interaction: [{ code: 'read' }],
      operation: [{ name: 'everything', definition: 'http://hl7.org/fhir/OperationDefinition/Patient-everything', documentation: "The patient's signed documents as document Bundles." }],
    },
    {
      type: 'Encounter',
      documentation: "Remote consultations and the practice's visits; the same access policy and audit as /api/v1/encounters. Search by patient only (the newest 100).",
      interaction: [{ code: 'read' }, { code: 'search-type' }],
      searchParam: [{ name: 'patient', type: 'reference' }, ...paging],
    },
    ...CLINICAL_TYPES.map((type) => ({
      type,
      documentation: `${CLINICAL_DOC[type]} The browser session or a system with system/*.read; the same access policy and audit rows as /api/v1. Search by patient only.`,
      interaction: [{ code: 'read' }, { code: 'search-type' }],
      searchParam: [{ name: 'patient', type: 'reference' }, ...paging],
    })),
    {
      type: 'AuditEvent',
      documentation: 'A patient\'s (or their representative\'s) "who accessed my data": the browser session only, the newest 100 events. The supervisor\'s export is at /api/v1/supervision/audit-export?format=fhir.',
      interaction: [{ code: 'search-type' }],
      searchParam: [{ name: 'patient', type: 'reference' }, ...paging],
    },
    { type: 'NamingSystem', documentation: 'Bulgarian identifier systems Distansia uses.', interaction: [{ code: 'read' }, { code: 'search-type' }] },
    { type: 'CodeSystem', documentation: 'NHIS nomenclatures and Distansia lists (content not-present; the source is named).', interaction: [{ code: 'read' }, { code: 'search-type' }] },
    { type: 'StructureDefinition', documentation: "Distansia's extensions.", interaction: [{ code: 'read' }, { code: 'search-type' }] },
  ];
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date,
    publisher: 'Distansia',
    kind: 'instance',
    software: { name: 'Distansia' },
    implementation: { description: 'Distansia FHIR R4 endpoint', url: baseUrl },
    fhirVersion: '4.0.1',
    format: ['application/fhir+json', 'json'],
    rest: [
      {
        mode: 'server',
        documentation: 'JSON only. Errors are OperationOutcome with the HTTP status of the problem catalogue.',
        security: {
          cors: false,
          // The SMART oauth-uris extension names the token endpoint (SMART App Launch 1.0 §2.1).
          extension: [{ url: 'http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris', extension: [{ url: 'token', valueUri: `${serverBase}/oauth/token` }] }],
          service: [
            { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/restful-security-service', code: 'OAuth' }] },
            { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/restful-security-service', code: 'SMART-on-FHIR' }] },
          ],
          description:
            'Implemented: the public directory without sign-in; the browser session (cookie); OAuth 2.0 client credentials (SMART backend services scopes system/Patient.read and system/*.read) for systems a facility administrator registers, at the token endpoint above. Named but not implemented: the SMART App Launch scopes patient/*.read and user/*.read (there is no authorization-code flow yet, docs/fhir.md#not-yet).',
        },
        resource,
      },
    ],
  };
}

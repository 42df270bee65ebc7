import { beforeAll, describe, expect, it } from 'vitest';
import { DEFINITION_RESOURCES } from '../platform/fhir/systems.js';
import { fhirProblems, warmUpFhirValidation } from './fhir-validate.js';

/** The validator the FHIR tests rely on must itself catch what it claims to (docs/fhir.md#validation). */
describe('FHIR validation helper', () => {
  beforeAll(warmUpFhirValidation, 60_000);
  const doc = (over: Record<string, unknown> = {}, entries?: unknown[]) => ({
    resourceType: 'Bundle',
    type: 'document',
    identifier: { system: 'urn:ietf:rfc:3986', value: 'urn:uuid:0a000000-0000-4000-8000-000000000001' },
    timestamp: '2026-11-24T10:00:00Z',
    entry: entries ?? [
      { fullUrl: 'urn:uuid:0a000000-0000-4000-8000-000000000002', resource: { resourceType: 'Composition', id: 'c1', status: 'final', type: { text: 'note' }, date: '2026-11-24', author: [{ reference: 'urn:uuid:0a000000-0000-4000-8000-000000000003' }], title: 't', subject: { reference: 'urn:uuid:0a000000-0000-4000-8000-000000000004' } } },
      { fullUrl: 'urn:uuid:0a000000-0000-4000-8000-000000000003', resource: { resourceType: 'Practitioner', id: 'p1' } },
      { fullUrl: 'urn:uuid:0a000000-0000-4000-8000-000000000004', resource: { resourceType: 'Patient', id: 'pat1' } },
    ],
    ...over,
  });

  it('accepts a valid document and every definition Distansia serves', () => {
    expect(fhirProblems(doc())).toEqual([]);
    for (const r of DEFINITION_RESOURCES) expect(fhirProblems(r), String(r.id)).toEqual([]);
  });

  it('finds structure errors, bdl-1, bdl-9..11, unresolved references, bad ids, empty arrays and undeclared systems', () => {
    expect(fhirProblems({ resourceType: 'Patient', id: 'a', birthDate: '03.02.1980' }).join()).toMatch(/date/i);
    expect(fhirProblems({ resourceType: 'Bundle', type: 'collection', total: 0 }).join()).toMatch(/bdl-1/);
    expect(fhirProblems(doc({ identifier: undefined })).join()).toMatch(/bdl-9/);
    expect(fhirProblems(doc({ timestamp: undefined })).join()).toMatch(/bdl-10/);
    const [comp, prac, pat] = doc().entry as unknown[];
    expect(fhirProblems(doc({}, [prac, comp, pat])).join()).toMatch(/bdl-11/);
    expect(fhirProblems(doc({}, [comp, pat])).join()).toMatch(/reference urn:uuid:0a000000-0000-4000-8000-000000000003 does not resolve/);
    expect(fhirProblems({ resourceType: 'Patient', id: 'a_b' }).join()).toMatch(/not an R4 id/);
    expect(fhirProblems({ resourceType: 'Patient', id: 'a', identifier: [] }).join()).toMatch(/empty array/);
    expect(fhirProblems({ resourceType: 'Patient', id: 'a', identifier: [{ system: 'https://distansia.bg/fhir/sid/nope', value: '1' }] }).join()).toMatch(/not declared/);
    expect(fhirProblems({ resourceType: 'Patient', id: 'a', identifier: [{ system: 'urn:distansia:x', value: '1' }] }).join()).toMatch(/made-up/);
    expect(fhirProblems({ resourceType: 'Patient', id: 'a', identifier: [{ system: 'urn:oid:nhis:nrn', value: '1' }] }).join()).toMatch(/not an OID/);
    expect(fhirProblems({ resourceType: 'Patient', id: 'a', gender: 'x' }).join()).toMatch(/'x' is not in http:\/\/hl7.org\/fhir\/ValueSet\/administrative-gender/);
    expect(fhirProblems({ resourceType: 'Condition', id: 'a', subject: { reference: 'Patient/p' }, clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'chronic' }] } }).join()).toMatch(/condition-clinical/);
    expect(fhirProblems({ resourceType: 'Bundle', type: 'searchset', entry: [{ fullUrl: 'urn:uuid:y', resource: { resourceType: 'Encounter', id: 'e', status: 'done', class: { code: 'VR' } }, search: { mode: 'match' } }] }).join()).toMatch(/'done' is not in/);
    expect(fhirProblems({ resourceType: 'Bundle', type: 'collection', entry: [{ fullUrl: 'urn:uuid:x', resource: { resourceType: 'Patient', id: 'a' } }, { fullUrl: 'urn:uuid:x', resource: { resourceType: 'Patient', id: 'b' } }] }).join()).toMatch(/bdl-7/);
  });
});

import { beforeAll, describe, expect, it } from 'vitest';
import type { Consent } from '../../contracts/consent.js';
import { fhirProblems, warmUpFhirValidation } from '../../test/fhir-validate.js';
import { consentResourceOf } from './consent-resource.js';

const base: Consent = {
  id: '0193a1b2-0000-7000-8000-000000000001',
  kind: 'treatment',
  requestId: '0193a1b2-0000-7000-8000-000000000002',
  facilityId: '0193a1b2-0000-7000-8000-000000000003',
  patientId: '0193a1b2-0000-7000-8000-000000000004',
  templateId: '0193a1b2-0000-7000-8000-000000000005',
  templateVersion: 1,
  presentationId: '0193a1b2-0000-7000-8000-000000000006',
  presentedAt: '2026-11-24T08:00:00Z',
  lang: 'bg',
  signerAccountId: '0193a1b2-0000-7000-8000-000000000007',
  signerRole: 'patient',
  onBehalfOf: null,
  method: 'totp-step-up',
  stepUpId: '0193a1b2-0000-7000-8000-000000000008',
  signedAt: '2026-11-24T08:01:00Z',
  contentSha256: 'ab'.repeat(32),
  recording: null,
  hasDocument: false,
  status: 'active',
  withdrawnAt: null,
};

describe('Consent as FHIR R4', () => {
  // Loading the R4 definitions takes seconds: once, before the tests' own 5 s limit applies.
  beforeAll(warmUpFhirValidation, 60_000);
  it('a treatment consent (Art. 11) is scope treatment, active, the patient as performer; valid R4 (ppc-1..5)', () => {
    const r = consentResourceOf(base);
    expect(r).toMatchObject({ status: 'active', scope: { coding: [{ code: 'treatment' }] }, patient: { reference: `Patient/${base.patientId}` }, performer: [{ reference: `Patient/${base.patientId}` }], provision: { type: 'permit', period: { start: base.signedAt } } });
    expect(fhirProblems(r)).toEqual([]);
  });

  it('a withdrawn recording consent (Art. 19) is patient-privacy, inactive, its period ended at the withdrawal; a representative signs by display', () => {
    const r = consentResourceOf({ ...base, kind: 'recording', status: 'withdrawn', withdrawnAt: '2026-11-25T09:00:00Z', signerRole: 'representative', onBehalfOf: base.patientId });
    expect(r).toMatchObject({ status: 'inactive', scope: { coding: [{ code: 'patient-privacy' }] }, provision: { period: { end: '2026-11-25T09:00:00Z' }, action: [{ coding: [{ code: 'collect' }] }] } });
    expect((r.performer as { reference?: string }[])[0]?.reference).toBeUndefined();
    expect(fhirProblems(r)).toEqual([]);
  });
});

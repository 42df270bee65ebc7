import type { Consent } from '../../contracts/consent.js';
import { STD } from '../../platform/fhir/systems.js';

const SCOPE = 'http://terminology.hl7.org/CodeSystem/consentscope';
const ACTION = 'http://terminology.hl7.org/CodeSystem/consentaction';

// Art. 11 consent to the remote service is consent to treatment; the recording consent (Art. 19) is a
// privacy consent to collect the recording. Both are the patient's, so ppc-2 / ppc-5 hold.
const KIND = {
  treatment: { scope: 'treatment', display: 'Treatment', text: 'Информирано съгласие за медицинска помощ от разстояние' },
  recording: { scope: 'patient-privacy', display: 'Privacy Consent', text: 'Съгласие за записване на консултацията' },
} as const;

/**
 * A signed consent as a FHIR R4 Consent (docs/fhir.md). Pure. The signed text itself stays in Distansia
 * (its SHA-256 is the consent's content digest); `policyRule` says the patient opted in.
 * @param c - the consent, as the consent use cases answer it (already access-checked)
 * @returns the resource
 */
export function consentResourceOf(c: Consent): Record<string, unknown> {
  const k = KIND[c.kind];
  const patient = { reference: `Patient/${c.patientId}` };
  return {
    resourceType: 'Consent',
    id: c.id,
    identifier: [{ system: STD.rfc3986, value: `urn:uuid:${c.id}` }],
    status: c.status === 'active' ? 'active' : 'inactive',
    scope: { coding: [{ system: SCOPE, code: k.scope, display: k.display }] },
    category: [{ coding: [{ system: STD.loinc, code: '59284-0', display: 'Patient Consent' }], text: k.text }],
    patient,
    dateTime: c.signedAt,
    performer: [c.signerRole === 'patient' ? patient : { display: c.signerRole === 'representative' ? 'Законен представител / representative' : 'Специалист / specialist' }],
    organization: [{ reference: `Organization/${c.facilityId}` }],
    policyRule: { coding: [{ system: STD.v3ActCode, code: 'OPTIN', display: 'opt-in' }] },
    provision: {
      type: 'permit',
      period: { start: c.signedAt, ...(c.withdrawnAt ? { end: c.withdrawnAt } : {}) },
      ...(c.kind === 'recording' ? { action: [{ coding: [{ system: ACTION, code: 'collect', display: 'Collect' }] }] } : {}),
    },
  };
}

import { SID, STD } from '../../platform/fhir/systems.js';
import type { Prescription, Referral } from '../../contracts/referrals.js';
import { FORM_TITLE } from './document-pdf.js';

type Json = Record<string, unknown>;

/**
 * Referrals as FHIR R4 `ServiceRequest` and prescriptions as `MedicationRequest`, for the patient's
 * export (docs/fhir.md). The НРН is the identifier (system `SID.nhisNrn`); the form and the medicine
 * travel as text, since the NHIF forms and the NHIS medicines list have no published FHIR code system.
 */

const REFERRAL_STATUS: Record<Referral['status'], string> = { pending: 'draft', issued: 'active', used: 'completed', dispensed: 'completed', rejected: 'entered-in-error', cancelling: 'active', cancelled: 'revoked', superseded: 'revoked' };
const RX_STATUS: Record<Prescription['status'], string> = { pending: 'draft', issued: 'active', used: 'completed', dispensed: 'completed', rejected: 'entered-in-error', cancelling: 'active', cancelled: 'cancelled', superseded: 'cancelled' };

const requesterOf = (i: Referral['issuer']): Json => ({ display: `${i.name}, ${i.facilityName}`, identifier: { system: SID.uin, value: i.uin } });

export function serviceRequestOf(r: Referral): Json {
  return {
    resourceType: 'ServiceRequest',
    id: r.id,
    ...(r.nrn ? { identifier: [{ system: SID.nhisNrn, value: r.nrn }] } : {}),
    ...(r.replacesId ? { replaces: [{ reference: `ServiceRequest/${r.replacesId}` }] } : {}),
    status: REFERRAL_STATUS[r.status],
    intent: 'order',
    category: [{ text: FORM_TITLE[r.form] }],
    code: { text: r.request },
    subject: { reference: `Patient/${r.patientId}` },
    encounter: { reference: `Encounter/${r.encounterId}` },
    ...(r.validUntil ? { occurrencePeriod: { start: r.issuedOn, end: r.validUntil } } : {}),
    authoredOn: r.issuedOn,
    requester: requesterOf(r.issuer),
    reasonCode: [{ coding: [{ system: STD.icd10, code: r.diagnosisCode }] }],
    note: [{ text: r.usableAt }],
  };
}

export function medicationRequestsOf(p: Prescription): Json[] {
  return p.lines.map((l, i) => ({
    resourceType: 'MedicationRequest',
    id: `${p.id.slice(0, 60)}-${i + 1}`.slice(0, 64),
    ...(p.nrn ? { identifier: [{ system: SID.nhisNrn, value: p.nrn }] } : {}),
    groupIdentifier: { value: p.id },
    status: RX_STATUS[p.status],
    intent: 'order',
    medicationCodeableConcept: { text: `${l.name} (${l.inn})` },
    subject: { reference: `Patient/${p.patientId}` },
    encounter: { reference: `Encounter/${p.encounterId}` },
    authoredOn: p.issuedOn,
    requester: requesterOf(p.issuer),
    reasonCode: [{ coding: [{ system: STD.icd10, code: p.diagnosisCode }] }],
    dosageInstruction: [{ text: l.dosage }],
    dispenseRequest: { expectedSupplyDuration: { value: l.days, unit: 'd', system: 'http://unitsofmeasure.org', code: 'd' } },
    substitution: { allowedBoolean: l.substitutionAllowed },
  }));
}

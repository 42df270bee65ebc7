import type { SignedContent } from '../../contracts/records.js';

/**
 * FHIR R4 export of a patient's record of remote services (STYLE C14: mapped at the edge, on demand).
 * Per signed document: Encounter (class VR), Composition, DocumentReference, Condition per diagnosis,
 * MedicationStatement per medication, Provenance carrying the signature. Pure.
 */

type Resource = Record<string, unknown> & { resourceType: string; id: string };

const V3_ACT_CODE = 'http://terminology.hl7.org/CodeSystem/v3-ActCode';
const ICD10 = 'http://hl7.org/fhir/sid/icd-10';
const LOINC = 'http://loinc.org';
/** LOINC document types: 11488-4 Consult note, 34108-1 Outpatient note. */
const DOC_TYPE: Record<SignedContent['kind'], { code: string; display: string }> = {
  ambulatory_sheet: { code: '34108-1', display: 'Outpatient Note' },
  consultation_report: { code: '11488-4', display: 'Consult note' },
  patient_information: { code: '34108-1', display: 'Outpatient Note' },
};
const CLINICAL = 'http://terminology.hl7.org/CodeSystem/condition-clinical';
const VERIFICATION = 'http://terminology.hl7.org/CodeSystem/condition-ver-status';

export interface ExportedDocument {
  content: SignedContent;
  jws: string;
  keyId: string;
  sha256: string;
  nrn: string | null;
  pdfUrl: string;
}

/**
 * Builds a FHIR R4 `collection` Bundle.
 * @param patientId - whose record
 * @param docs - the current signed documents (and their superseded revisions)
 * @param timestamp - the export instant (ISO)
 * @returns the Bundle
 */
export function toFhirBundle(patientId: string, docs: readonly ExportedDocument[], timestamp: string): Record<string, unknown> {
  const entries: Resource[] = [];
  const patientRef = { reference: `Patient/${patientId}` };
  for (const d of docs) {
    const c = d.content;
    const encId = `enc-${c.requestId}`;
    const practitionerRef = { reference: `Practitioner/${c.performer.practitionerId}`, display: `${c.performer.givenName} ${c.performer.familyName}` };
    if (!entries.some((e) => e.id === encId)) {
      entries.push({
        resourceType: 'Encounter',
        id: encId,
        status: 'finished',
        class: { system: V3_ACT_CODE, code: 'VR', display: 'virtual' },
        priority: { coding: [{ system: V3_ACT_CODE, code: c.examination.urgency === 'emergency' ? 'EM' : 'R' }] },
        subject: patientRef,
        participant: [{ individual: practitionerRef }],
        serviceProvider: { reference: `Organization/${c.performer.facilityId}`, display: c.performer.facilityName },
        ...(c.examination.completedAt ? { period: { end: c.examination.completedAt } } : {}),
        identifier: [{ system: 'urn:distansia:service-request', value: c.requestId }, ...(d.nrn ? [{ system: 'urn:oid:nhis:nrn-examination', value: d.nrn }] : [])],
      });
    }
    const conditionIds = c.body.diagnoses.map((dx, i) => {
      const id = `cond-${c.documentId}-${i + 1}`;
      entries.push({
        resourceType: 'Condition',
        id,
        clinicalStatus: { coding: [{ system: CLINICAL, code: dx.clinicalStatus }] },
        verificationStatus: { coding: [{ system: VERIFICATION, code: dx.verificationStatus }] },
        category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-category', code: 'encounter-diagnosis' }] }],
        code: { coding: [{ system: ICD10, code: dx.code, display: dx.title }], text: dx.title },
        subject: patientRef,
        encounter: { reference: `Encounter/${encId}` },
        recordedDate: c.signedAt,
        recorder: practitionerRef,
        ...(dx.note ? { note: [{ text: dx.note }] } : {}),
        extension: [{ url: 'urn:distansia:diagnosis-rank', valueCode: dx.rank }],
      });
      return id;
    });
    const medIds = c.body.medications.map((m, i) => {
      const id = `med-${c.documentId}-${i + 1}`;
      entries.push({ resourceType: 'MedicationStatement', id, status: 'active', medicationCodeableConcept: { text: m.name }, subject: patientRef, context: { reference: `Encounter/${encId}` }, dateAsserted: c.signedAt, ...(m.dosage ? { dosage: [{ text: m.dosage }] } : {}) });
      return id;
    });
    const section = (title: string, text: string | undefined) => (text ? [{ title, text: { status: 'generated', div: `<div xmlns="http://www.w3.org/1999/xhtml">${escapeHtml(text)}</div>` } }] : []);
    const compId = `comp-${c.documentId}`;
    entries.push({
      resourceType: 'Composition',
      id: compId,
      status: 'final',
      type: { coding: [{ system: LOINC, ...DOC_TYPE[c.kind] }], text: c.kind },
      subject: patientRef,
      encounter: { reference: `Encounter/${encId}` },
      date: c.signedAt,
      author: [practitionerRef],
      title: c.kind,
      custodian: { reference: `Organization/${c.performer.facilityId}` },
      ...(c.replaces ? { relatesTo: [{ code: 'replaces', targetReference: { reference: `Composition/comp-${c.replaces.documentId}` } }] } : {}),
      section: [
        ...section('question', c.body.question),
        ...section('anamnesis', c.body.anamnesis),
        ...section('objectiveFindings', c.body.objectiveFindings),
        ...(conditionIds.length ? [{ title: 'diagnoses', entry: conditionIds.map((id) => ({ reference: `Condition/${id}` })) }] : []),
        ...section('testsReviewed', c.body.testsReviewed),
        ...section('therapy', c.body.therapy),
        ...(medIds.length ? [{ title: 'medications', entry: medIds.map((id) => ({ reference: `MedicationStatement/${id}` })) }] : []),
        ...section('recommendations', c.body.recommendations),
        ...section('followUp', c.body.followUp),
        ...section('summary', c.body.summary),
      ],
    });
    entries.push({
      resourceType: 'DocumentReference',
      id: `docref-${c.documentId}`,
      status: 'current',
      docStatus: 'final',
      type: { coding: [{ system: LOINC, ...DOC_TYPE[c.kind] }] },
      subject: patientRef,
      date: c.signedAt,
      author: [practitionerRef],
      ...(c.replaces ? { relatesTo: [{ code: 'replaces', target: { reference: `DocumentReference/docref-${c.replaces.documentId}` } }] } : {}),
      content: [{ attachment: { contentType: 'application/pdf', url: d.pdfUrl, hash: Buffer.from(d.sha256, 'hex').toString('base64'), title: `${c.kind} r${c.revision}` } }],
      context: { encounter: [{ reference: `Encounter/${encId}` }], related: [{ reference: `Composition/${compId}` }] },
    });
    entries.push({
      resourceType: 'Provenance',
      id: `prov-${c.documentId}`,
      target: [{ reference: `Composition/${compId}` }, { reference: `DocumentReference/docref-${c.documentId}` }],
      recorded: c.signedAt,
      activity: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-DataOperation', code: c.replaces ? 'UPDATE' : 'CREATE' }] },
      agent: [{ type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/provenance-participant-type', code: 'author' }] }, who: practitionerRef, onBehalfOf: { reference: `Organization/${c.performer.facilityId}` } }],
      signature: [
        {
          type: [{ system: 'urn:iso-astm:E1762-95:2013', code: '1.2.840.10065.1.12.1.1', display: "Author's Signature" }],
          when: c.signedAt,
          who: practitionerRef,
          targetFormat: 'application/json',
          sigFormat: 'application/jose',
          data: Buffer.from(d.jws, 'utf8').toString('base64'),
        },
      ],
    });
  }
  return {
    resourceType: 'Bundle',
    type: 'collection',
    timestamp,
    entry: entries.map((r) => ({ fullUrl: `urn:distansia:${r.resourceType}/${r.id}`, resource: r })),
  };
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

import { createHash } from 'node:crypto';
import type { SignedContent } from '../../contracts/records.js';
import { CS, EXT, SID, STD, patientIdentifierSystem } from '../../platform/fhir/systems.js';
import { practitionerRoleId, urnUuid } from '../../platform/fhir/uuid.js';

/**
 * FHIR R4 export of a patient's record of remote services (STYLE C14: mapped at the edge, on demand).
 * One `document` Bundle per signed document (docs/fhir.md#documents): the Composition first, then the
 * Patient (EGN/LNCh), Practitioner (УИН), PractitionerRole (CL006), Organization (РЗИ number),
 * Encounter (class VR), a Condition per diagnosis, a MedicationStatement per medication, the
 * DocumentReference and the Provenance that carries the signature. Every entry has a name-based
 * `urn:uuid` fullUrl and every reference points to one, so the document is self-contained. Pure.
 */

type Resource = Record<string, unknown> & { resourceType: string; id: string };
type Json = Record<string, unknown>;

/** LOINC document types: 11488-4 Consult note, 34108-1 Outpatient note. */
const DOC_TYPE: Record<SignedContent['kind'], { code: string; display: string }> = {
  ambulatory_sheet: { code: '34108-1', display: 'Outpatient Note' },
  consultation_report: { code: '11488-4', display: 'Consult note' },
  patient_information: { code: '34108-1', display: 'Outpatient Note' },
};
const TITLE: Record<SignedContent['kind'], string> = {
  ambulatory_sheet: 'Амбулаторен лист',
  consultation_report: 'Писмена консултация',
  patient_information: 'Информация за пациента',
};

export interface ExportedDocument {
  content: SignedContent;
  /** RFC 8785 canonical JSON of `content`: the bytes the signature and `sha256` cover. */
  canonical: string;
  jws: string;
  keyId: string;
  sha256: string;
  nrn: string | null;
  /** Absolute URL of the PDF rendering. */
  pdfUrl: string;
}

/** The `urn:uuid` fullUrl of a resource in a document (stable between exports). */
const full = (type: string, id: string): string => urnUuid(`${type}/${id}`);
/** A reference to a resource in the same document. */
const ref = (type: string, id: string, display?: string): Json => ({ reference: full(type, id), ...(display ? { display } : {}) });
/** A document's business identifier (FHIR: a UUID as `urn:ietf:rfc:3986`). */
const docIdentifier = (documentId: string): Json => ({ system: STD.rfc3986, value: `urn:uuid:${documentId}` });

const GENDER = { male: 'male', female: 'female', other: 'other', unknown: 'unknown' } as const;

function patientOf(patientId: string, c: SignedContent): Resource {
  const s = c.subject;
  if (!s) return { resourceType: 'Patient', id: patientId };
  const system = patientIdentifierSystem(s.identifierType);
  const v2Type = s.identifierType === 'passport' ? 'PPN' : 'NI';
  return {
    resourceType: 'Patient',
    id: patientId,
    identifier: [{ ...(s.identifierType === 'other' ? { type: { text: 'other' } } : { type: { coding: [{ system: STD.v2IdentifierType, code: v2Type }] } }), ...(system ? { system } : {}), value: s.identifier }],
    name: [{ family: s.familyName, given: [s.givenName, ...(s.middleName ? [s.middleName] : [])] }],
    gender: GENDER[s.sex],
    ...(/^\d{4}-\d{2}-\d{2}$/.test(s.birthDate) ? { birthDate: s.birthDate } : {}),
  };
}

/**
 * One signed document as a FHIR `document` Bundle.
 * @param patientId - whose record
 * @param d - the signed document
 * @param supersededBy - the document id of the revision that corrected this one, if any
 * @returns the Bundle
 */
export function toFhirDocument(patientId: string, d: ExportedDocument, supersededBy: string | null): Json {
  const c = d.content;
  const p = c.performer;
  const roleId = practitionerRoleId(p.facilityId, p.practitionerId);
  const practitioner = ref('Practitioner', p.practitionerId, `${p.givenName} ${p.familyName}`);
  const role = ref('PractitionerRole', roleId);
  const patient = ref('Patient', patientId);
  const organization = ref('Organization', p.facilityId, p.facilityName);
  const encounter = ref('Encounter', c.requestId);
  const resources: Resource[] = [];

  const conditionIds = c.body.diagnoses.map((dx, i) => {
    const id = `${c.documentId}-dx${i + 1}`;
    resources.push({
      resourceType: 'Condition',
      id,
      clinicalStatus: { coding: [{ system: STD.conditionClinical, code: dx.clinicalStatus }] },
      verificationStatus: { coding: [{ system: STD.conditionVerification, code: dx.verificationStatus }] },
      category: [{ coding: [{ system: STD.conditionCategory, code: 'encounter-diagnosis' }] }],
      code: { coding: [{ system: STD.icd10, code: dx.code, display: dx.title }], text: dx.title },
      subject: patient,
      encounter,
      recordedDate: c.signedAt,
      recorder: practitioner,
      ...(dx.note ? { note: [{ text: dx.note }] } : {}),
    });
    return { id, rank: dx.rank };
  });
  const medIds = c.body.medications.map((m, i) => {
    const id = `${c.documentId}-med${i + 1}`;
    resources.push({ resourceType: 'MedicationStatement', id, status: 'active', medicationCodeableConcept: { text: m.name }, subject: patient, context: encounter, dateAsserted: c.signedAt, informationSource: practitioner, ...(m.dosage ? { dosage: [{ text: m.dosage }] } : {}) });
    return id;
  });

  const section = (title: string, text: string | undefined): Json[] => (text ? [{ title, text: { status: 'generated', div: `<div xmlns="http://www.w3.org/1999/xhtml">${escapeHtml(text)}</div>` } }] : []);
  const composition: Resource = {
    resourceType: 'Composition',
    id: c.documentId,
    identifier: docIdentifier(c.documentId),
    status: c.replaces ? 'amended' : 'final',
    type: { coding: [{ system: STD.loinc, ...DOC_TYPE[c.kind] }], text: c.kind },
    subject: patient,
    encounter,
    date: c.signedAt,
    author: [practitioner, role],
    title: `${TITLE[c.kind]} (r${c.revision})`,
    custodian: organization,
    // Regulatory: a correction keeps the replaced revision (Art. 20); it points to it by identifier,
    // since the replaced revision is a document of its own.
    ...(c.replaces ? { relatesTo: [{ code: 'replaces', targetIdentifier: docIdentifier(c.replaces.documentId) }] } : {}),
    section: nonEmpty([
      ...section('question', c.body.question),
      ...section('anamnesis', c.body.anamnesis),
      ...section('objectiveFindings', c.body.objectiveFindings),
      ...(conditionIds.length ? [{ title: 'diagnoses', entry: conditionIds.map((x) => ref('Condition', x.id)) }] : []),
      ...section('testsReviewed', c.body.testsReviewed),
      ...section('therapy', c.body.therapy),
      ...(medIds.length ? [{ title: 'medications', entry: medIds.map((id) => ref('MedicationStatement', id)) }] : []),
      ...section('recommendations', c.body.recommendations),
      ...section('followUp', c.body.followUp),
      ...section('summary', c.body.summary),
    ]),
  };
  let additional = 1;
  const encounterResource: Resource = {
    resourceType: 'Encounter',
    id: c.requestId,
    ...(d.nrn ? { identifier: [{ system: SID.nhisNrn, value: d.nrn }] } : {}),
    status: c.examination.completedAt ? 'finished' : 'in-progress',
    class: { system: STD.v3ActCode, code: 'VR', display: 'virtual' },
    // v3-ActPriority: EM emergency, R routine.
    priority: { coding: [c.examination.urgency === 'emergency' ? { system: STD.v3ActPriority, code: 'EM', display: 'emergency' } : { system: STD.v3ActPriority, code: 'R', display: 'routine' }] },
    subject: patient,
    participant: [{ individual: role }],
    ...(c.examination.completedAt ? { period: { end: c.examination.completedAt } } : {}),
    // The primary diagnosis ranks 1 (NHIS X003 `rank`), additional ones follow in order.
    ...(conditionIds.length ? { diagnosis: conditionIds.map((x) => ({ condition: ref('Condition', x.id), rank: x.rank === 'primary' ? 1 : ++additional })) } : {}),
    serviceProvider: organization,
  };
  const docRef: Resource = {
    resourceType: 'DocumentReference',
    id: c.documentId,
    masterIdentifier: docIdentifier(c.documentId),
    status: supersededBy ? 'superseded' : 'current',
    docStatus: c.replaces ? 'amended' : 'final',
    type: { coding: [{ system: STD.loinc, ...DOC_TYPE[c.kind] }] },
    subject: patient,
    date: c.signedAt,
    author: [practitioner],
    custodian: organization,
    ...(c.replaces ? { relatesTo: [{ code: 'replaces', target: { identifier: docIdentifier(c.replaces.documentId) } }] } : {}),
    content: [
      {
        attachment: {
          // R4 Attachment.hash is SHA-1; the SHA-256 the signature covers goes in Distansia's extension.
          extension: [{ url: EXT.attachmentSha256, valueBase64Binary: Buffer.from(d.sha256, 'hex').toString('base64') }],
          contentType: 'application/json',
          data: Buffer.from(d.canonical, 'utf8').toString('base64'),
          size: Buffer.byteLength(d.canonical, 'utf8'),
          hash: createHash('sha1').update(d.canonical, 'utf8').digest('base64'),
          title: `${c.kind} r${c.revision} (signed content, RFC 8785)`,
        },
      },
      { attachment: { contentType: 'application/pdf', url: d.pdfUrl, title: `${c.kind} r${c.revision}` } },
    ],
    context: { encounter: [encounter], related: [ref('Composition', c.documentId)] },
  };
  const provenance: Resource = {
    resourceType: 'Provenance',
    id: c.documentId,
    target: [ref('Composition', c.documentId), ref('DocumentReference', c.documentId)],
    recorded: c.signedAt,
    activity: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-DataOperation', code: c.replaces ? 'UPDATE' : 'CREATE' }] },
    agent: [{ type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/provenance-participant-type', code: 'author' }] }, who: practitioner, onBehalfOf: organization }],
    signature: [
      {
        type: [{ system: 'urn:iso-astm:E1762-95:2013', code: '1.2.840.10065.1.12.1.1', display: "Author's Signature" }],
        when: c.signedAt,
        who: practitioner,
        targetFormat: 'application/json',
        sigFormat: 'application/jose',
        data: Buffer.from(d.jws, 'utf8').toString('base64'),
      },
    ],
  };
  const all: Resource[] = [
    composition,
    patientOf(patientId, c),
    { resourceType: 'Practitioner', id: p.practitionerId, identifier: [{ system: SID.uin, value: p.uin }], name: [{ family: p.familyName, given: [p.givenName] }] },
    {
      resourceType: 'PractitionerRole',
      id: roleId,
      practitioner,
      organization,
      specialty: [{ coding: [{ system: CS.nhisCl006, code: p.qualification, display: p.qualificationName }] }],
    },
    { resourceType: 'Organization', id: p.facilityId, identifier: [{ system: SID.rhiFacility, value: p.practiceNumber }], name: p.facilityName },
    encounterResource,
    ...resources,
    docRef,
    provenance,
  ];
  return {
    resourceType: 'Bundle',
    id: c.documentId,
    identifier: docIdentifier(c.documentId),
    type: 'document',
    timestamp: c.signedAt,
    entry: all.map((r) => ({ fullUrl: full(r.resourceType, r.id), resource: r })),
  };
}

/**
 * The whole record: a `collection` of one `document` Bundle per signed document, replaced revisions
 * included and marked `superseded`.
 * @param patientId - whose record
 * @param docs - the signed documents (current revisions and the ones they corrected)
 * @param timestamp - the export instant (ISO)
 * @returns the Bundle (no `total`: bdl-1)
 */
export function toFhirBundle(patientId: string, docs: readonly ExportedDocument[], timestamp: string): Json {
  const successor = new Map<string, string>();
  for (const d of docs) if (d.content.replaces) successor.set(d.content.replaces.documentId, d.content.documentId);
  return {
    resourceType: 'Bundle',
    type: 'collection',
    timestamp,
    entry: nonEmpty(docs.map((d) => ({ fullUrl: `urn:uuid:${d.content.documentId}`, resource: toFhirDocument(patientId, d, successor.get(d.content.documentId) ?? null) }))),
  };
}

/** FHIR JSON never carries an empty array: omit it instead. */
function nonEmpty<T>(xs: T[]): T[] | undefined {
  return xs.length ? xs : undefined;
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

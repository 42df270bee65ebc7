/**
 * Every FHIR system URI Distansia writes, declared once (docs/fhir.md#identifiers-and-codes).
 *
 * Regulatory: Bulgaria publishes no FHIR namespace for its identifiers (EGN, LNCh, УИН, the РЗИ facility
 * number, the NHIS НРН, EKATTE) or for the NHIS nomenclatures (CL006 ...), which travel as the NHIS XML
 * (domain/bulgarian-identifiers-codes-and-nhis.md §2). Distansia therefore names them under its own
 * canonical base and serves a NamingSystem (identifiers) or CodeSystem (codes, `content: not-present`,
 * with the source named) for each at `/fhir/R4`, so a receiver can resolve what a URI means. Distansia's
 * own extensions each have a StructureDefinition. Standard systems (ICD-10, LOINC, HL7 terminology) are
 * used as published.
 */

/** Canonical base of Distansia's declared systems and definitions. */
export const CANONICAL_BASE = 'https://distansia.bg/fhir';
/** Publication date of the definitions below (change it when one changes). */
const DEFINITIONS_DATE = '2026-12-06';
const PUBLISHER = 'Distansia';
const JURISDICTION_BG = [{ coding: [{ system: 'urn:iso:std:iso:3166', code: 'BG', display: 'Bulgaria' }] }];

/** Identifier systems (NamingSystem kind `identifier`). */
export const SID = {
  egn: `${CANONICAL_BASE}/sid/egn`,
  lnch: `${CANONICAL_BASE}/sid/lnch`,
  uin: `${CANONICAL_BASE}/sid/uin`,
  rhiFacility: `${CANONICAL_BASE}/sid/rhi-facility-number`,
  nhisNrn: `${CANONICAL_BASE}/sid/nhis-nrn`,
  ekatte: `${CANONICAL_BASE}/sid/ekatte`,
} as const;

/** Code systems Distansia names (NHIS nomenclatures and its own lists). */
export const CS = {
  nhisCl006: `${CANONICAL_BASE}/CodeSystem/nhis-cl006`,
  facilityType: `${CANONICAL_BASE}/CodeSystem/facility-type`,
  serviceKind: `${CANONICAL_BASE}/CodeSystem/service-kind`,
} as const;

/** Distansia's own extensions (each has a StructureDefinition below). */
export const EXT = {
  addressEkatte: `${CANONICAL_BASE}/StructureDefinition/address-ekatte`,
  attachmentSha256: `${CANONICAL_BASE}/StructureDefinition/attachment-sha256`,
  auditChain: `${CANONICAL_BASE}/StructureDefinition/audit-chain-position`,
  auditHash: `${CANONICAL_BASE}/StructureDefinition/audit-chain-hash`,
} as const;

/** Published systems, used as their owners define them. */
export const STD = {
  icd10: 'http://hl7.org/fhir/sid/icd-10',
  loinc: 'http://loinc.org',
  rfc3986: 'urn:ietf:rfc:3986',
  v3ActCode: 'http://terminology.hl7.org/CodeSystem/v3-ActCode',
  v3ActPriority: 'http://terminology.hl7.org/CodeSystem/v3-ActPriority',
  v2IdentifierType: 'http://terminology.hl7.org/CodeSystem/v2-0203',
  conditionClinical: 'http://terminology.hl7.org/CodeSystem/condition-clinical',
  conditionVerification: 'http://terminology.hl7.org/CodeSystem/condition-ver-status',
  conditionCategory: 'http://terminology.hl7.org/CodeSystem/condition-category',
  diagnosisRole: 'http://terminology.hl7.org/CodeSystem/diagnosis-role',
} as const;

type Json = Record<string, unknown>;

interface NamingSystemSpec {
  id: string;
  uri: string;
  name: string;
  description: string;
  /** HL7 v2-0203 identifier type. */
  type?: { code: string; display: string };
}

const NAMING_SYSTEMS: readonly NamingSystemSpec[] = [
  { id: 'egn', uri: SID.egn, name: 'BulgarianEGN', type: { code: 'NI', display: 'National unique individual identifier' }, description: 'ЕГН (Единен граждански номер), the Bulgarian personal number, 10 digits with a checksum; issued by ГРАО (Закон за гражданската регистрация).' },
  { id: 'lnch', uri: SID.lnch, name: 'BulgarianLNCh', type: { code: 'NI', display: 'National unique individual identifier' }, description: 'ЛНЧ (Личен номер на чужденец), the personal number of a foreigner resident in Bulgaria, 10 digits with a checksum.' },
  { id: 'uin', uri: SID.uin, name: 'BulgarianUIN', type: { code: 'PRN', display: 'Provider number' }, description: 'УИН, the unique identification number of a doctor or dentist in the register of the Bulgarian Medical / Dental Association (NHIS `pmi`).' },
  { id: 'rhi-facility-number', uri: SID.rhiFacility, name: 'BulgarianRhiFacilityNumber', type: { code: 'PRN', display: 'Provider number' }, description: 'The 10-digit number of a medical establishment in the register of the Regional Health Inspectorate (РЗИ) (NHIS `practiceNumber`).' },
  { id: 'nhis-nrn', uri: SID.nhisNrn, name: 'BulgarianNhisNrn', type: { code: 'FILL', display: 'Filler Identifier' }, description: 'НРН, the national reference number the National Health Information System (НЗИС, his.bg) assigns to an examination it accepts.' },
  { id: 'ekatte', uri: SID.ekatte, name: 'BulgarianEKATTE', description: 'ЕКАТТЕ, the 5-digit code of a Bulgarian settlement in the classifier of administrative-territorial units kept by the National Statistical Institute (НСИ).' },
];

interface CodeSystemSpec {
  id: string;
  url: string;
  name: string;
  title: string;
  description: string;
}

const CODE_SYSTEMS: readonly CodeSystemSpec[] = [
  { id: 'nhis-cl006', url: CS.nhisCl006, name: 'NhisCL006', title: 'NHIS CL006 medical specialties', description: 'The 4-digit qualification codes of NHIS nomenclature CL006, downloaded from НЗИС (his.bg) with message C001. The codes are the NHIS ones; this CodeSystem only names them.' },
  { id: 'facility-type', url: CS.facilityType, name: 'DistansiaFacilityType', title: 'Kinds of medical establishment', description: 'Kinds of medical establishment under the Bulgarian Medical Establishments Act (Закон за лечебните заведения), as Distansia lists them in its public directory.' },
  { id: 'service-kind', url: CS.serviceKind, name: 'DistansiaServiceKind', title: 'Kinds of published remote service', description: 'Kinds of remote medical service a facility publishes in the Distansia directory (Наредба за дейностите по телемедицина, Art. 14-15).' },
];

interface ExtensionSpec {
  id: string;
  url: string;
  name: string;
  description: string;
  context: string;
  valueType: string;
}

const EXTENSIONS: readonly ExtensionSpec[] = [
  { id: 'address-ekatte', url: EXT.addressEkatte, name: 'AddressEkatte', context: 'Address', valueType: 'Identifier', description: 'The EKATTE code of the settlement of an address.' },
  { id: 'attachment-sha256', url: EXT.attachmentSha256, name: 'AttachmentSha256', context: 'Attachment', valueType: 'base64Binary', description: 'SHA-256 digest of the attachment data (R4 `Attachment.hash` is SHA-1); the digest the signature covers.' },
  { id: 'audit-chain-position', url: EXT.auditChain, name: 'AuditChainPosition', context: 'AuditEvent', valueType: 'string', description: "Where the event sits in Distansia's hash-chained audit log: `<chain>/<sequence>`." },
  { id: 'audit-chain-hash', url: EXT.auditHash, name: 'AuditChainHash', context: 'AuditEvent', valueType: 'string', description: "The event's SHA-256 hash in the audit chain (hex), checkable with `distansia audit verify`." },
];

function namingSystem(s: NamingSystemSpec): Json {
  return {
    resourceType: 'NamingSystem',
    id: s.id,
    name: s.name,
    status: 'active',
    kind: 'identifier',
    date: DEFINITIONS_DATE,
    publisher: PUBLISHER,
    responsible: 'Distansia names the URI; the identifier itself is issued by the authority in the description.',
    ...(s.type ? { type: { coding: [{ system: STD.v2IdentifierType, ...s.type }] } } : {}),
    description: s.description,
    jurisdiction: JURISDICTION_BG,
    uniqueId: [{ type: 'uri', value: s.uri, preferred: true }],
  };
}

function codeSystem(s: CodeSystemSpec): Json {
  return {
    resourceType: 'CodeSystem',
    id: s.id,
    url: s.url,
    name: s.name,
    title: s.title,
    status: 'active',
    date: DEFINITIONS_DATE,
    publisher: PUBLISHER,
    description: s.description,
    jurisdiction: JURISDICTION_BG,
    caseSensitive: true,
    content: 'not-present',
  };
}

function extensionDefinition(s: ExtensionSpec): Json {
  const valueType = s.valueType.charAt(0).toUpperCase() + s.valueType.slice(1);
  return {
    resourceType: 'StructureDefinition',
    id: s.id,
    url: s.url,
    name: s.name,
    status: 'active',
    date: DEFINITIONS_DATE,
    publisher: PUBLISHER,
    description: s.description,
    fhirVersion: '4.0.1',
    kind: 'complex-type',
    abstract: false,
    context: [{ type: 'element', expression: s.context }],
    type: 'Extension',
    baseDefinition: 'http://hl7.org/fhir/StructureDefinition/Extension',
    derivation: 'constraint',
    differential: {
      element: [
        { id: 'Extension', path: 'Extension', short: s.name, definition: s.description, max: '1' },
        { id: 'Extension.extension', path: 'Extension.extension', max: '0' },
        { id: 'Extension.url', path: 'Extension.url', fixedUri: s.url },
        { id: `Extension.value${valueType}`, path: 'Extension.value[x]', sliceName: `value${valueType}`, min: 1, type: [{ code: s.valueType }] },
      ],
    },
  };
}

/** The NamingSystem, CodeSystem and StructureDefinition resources the FHIR endpoint serves. */
export const DEFINITION_RESOURCES: readonly Json[] = [...NAMING_SYSTEMS.map(namingSystem), ...CODE_SYSTEMS.map(codeSystem), ...EXTENSIONS.map(extensionDefinition)];

/**
 * The identifier system of a patient's identifier type, or undefined where none is declared (a passport
 * number is recorded with its v2-0203 type only: its issuing state is not stored).
 * @param type - the stored identifier type
 * @returns the system URI
 */
export function patientIdentifierSystem(type: 'egn' | 'lnch' | 'passport' | 'other'): string | undefined {
  return type === 'egn' ? SID.egn : type === 'lnch' ? SID.lnch : undefined;
}

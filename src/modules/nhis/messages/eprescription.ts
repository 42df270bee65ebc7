import { envelope, IDENTIFIER_TYPE, type Subject } from '../nhis-messages.js';
import { child, childrenNamed, readReply, requesterNode, subjectNode, v, valueAt, type ErrorReply, type RequestHeader, type Requester } from './common.js';
import type { XmlNode } from '../xml.js';

/**
 * The NHIS e-prescription messages (е-рецепта): P001 issue → P002, P007 cancel → P008, P017 fetch by
 * prescription number → P018, or the error reply P099. Pure builders and parsers. Shapes from DinoDent
 * `EPrescription.cpp` and the Trinity Odoo P017 client [3P] (P017 by patient: assumed); category and dispensation codes are
 * [UNVERIFIED] (nomenclatures CL008/CL009 by C001).
 */

export const EPRESCRIPTION_PATHS = {
  P001: '/v4/eprescription/doctor/issue',
  P007: '/v4/eprescription/doctor/cancel',
  P017: '/v4/eprescription/doctor/fetch',
} as const;

/** Prescription status [3P]: 1 active, 2 partly dispensed, 3 dispensed, 4 expired, 5 cancelled. */
export const PRESCRIPTION_STATUS = { active: '1', partly_dispensed: '2', dispensed: '3', expired: '4', cancelled: '5' } as const;
export type NhisPrescriptionStatus = keyof typeof PRESCRIPTION_STATUS;

export interface PrescriptionMedication {
  /** The NHIS medicines nomenclature key (CL009). */
  medicationCode: string;
  name: string;
  quantity: number;
  /** Free-text dosage as the doctor wrote it. */
  dosageText: string;
  days: number;
  substitutionAllowed: boolean;
}

export interface PrescriptionIssue {
  lrn: string;
  authoredOn: string;
  /** T1 NHIF-reimbursed, T2 ordinary (white) [UNVERIFIED CL category]. */
  category: 'T1' | 'T2';
  /** 2 NHIF, 4 the patient. */
  financingSource: '2' | '4';
  isProtocolBased: boolean;
  protocolNumber?: string | null;
  basedOn?: string | null;
  diagnosisCode: string;
  medications: PrescriptionMedication[];
  subject: Subject;
  requester: Requester;
}

function prescriptionNode(p: PrescriptionIssue): XmlNode {
  return {
    name: 'nhis:prescription',
    children: [
      v('nhis:lrn', p.lrn),
      v('nhis:authoredOn', p.authoredOn),
      v('nhis:category', p.category),
      v('nhis:isProtocolBased', p.isProtocolBased),
      v('nhis:protocolNumber', p.protocolNumber ?? undefined),
      v('nhis:financingSource', p.financingSource),
      v('nhis:basedOn', p.basedOn ?? undefined),
      v('nhis:diagnosis', p.diagnosisCode),
      {
        name: 'nhis:group',
        children: p.medications.map(
          (m, i): XmlNode => ({
            name: 'nhis:medication',
            children: [
              v('nhis:sequenceId', i + 1),
              { name: 'nhis:medicationCode', attrs: { value: m.medicationCode, name: m.name } },
              v('nhis:quantityValue', m.quantity),
              v('nhis:isQuantityByForm', false),
              v('nhis:isSubstitutionAllowed', m.substitutionAllowed),
              { name: 'nhis:dosageInstruction', children: [v('nhis:sequence', 1), v('nhis:boundsDuration', m.days), v('nhis:boundsDurationUnit', 'd'), v('nhis:text', m.dosageText)] },
            ],
          }),
        ),
      },
    ],
  };
}

/** P001: issues an e-prescription. */
export function buildP001(header: RequestHeader, p: PrescriptionIssue): string {
  return envelope({ ...header, messageType: 'P001' }, [prescriptionNode(p), subjectNode(p.subject), requesterNode(p.requester)]);
}

/** P007: cancels (revokes) an e-prescription not yet dispensed. */
export function buildP007(header: RequestHeader, c: { nrnPrescription: string; revokeReason: string }): string {
  return envelope({ ...header, messageType: 'P007' }, [v('nhis:nrnPrescription', c.nrnPrescription), v('nhis:revokeReason', c.revokeReason)]);
}

/**
 * What P017 asks for: one e-prescription by its number (confirmed, the Trinity Odoo client), or a
 * patient's e-prescriptions in a period (the national record, Art. 13; the query fields are assumed on the
 * pattern of X005, docs/nhis.md).
 */
export type PrescriptionQuery = { nrnPrescription: string } | { identifierType: keyof typeof IDENTIFIER_TYPE; identifier: string; fromDate?: string; toDate?: string };

/** P017: fetches an e-prescription by its number (status and dispensations), or a patient's (reply P018). */
export function buildP017(header: RequestHeader, q: PrescriptionQuery): string {
  const contents =
    'nrnPrescription' in q
      ? [v('nhis:nrnPrescription', q.nrnPrescription)]
      : [v('nhis:identifierType', IDENTIFIER_TYPE[q.identifierType]), v('nhis:identifier', q.identifier), v('nhis:fromDate', q.fromDate), v('nhis:toDate', q.toDate)];
  return envelope({ ...header, messageType: 'P017' }, contents);
}

export interface Dispensation {
  pharmacyNumber: string;
  pharmacyName?: string;
  dispensedOn: string;
}

export type PrescriptionReply = { ok: true; messageType: string; nrnPrescription: string; status: NhisPrescriptionStatus; lrn?: string; dispensations: Dispensation[] } | ErrorReply;

const STATUS_BY_CODE = Object.fromEntries(Object.entries(PRESCRIPTION_STATUS).map(([k, c]) => [c, k])) as Record<string, NhisPrescriptionStatus>;

/**
 * Parses P002, P008, P018 or the error reply.
 * @param xml - the reply body
 * @returns the reply
 * @throws {XmlParseError} when the body is not XML
 */
export function parsePrescriptionReply(xml: string): PrescriptionReply {
  const { messageType, contents, error } = readReply(xml);
  if (error) return error;
  const p = child(contents, 'results', 'prescription') ?? contents;
  const nrn = valueAt(p, 'nrnPrescription');
  const code = valueAt(p, 'status');
  const status = code ? STATUS_BY_CODE[code] : undefined;
  if (!nrn || !status) return { ok: false, messageType, reason: 'malformed_reply' };
  const dispensations = childrenNamed(p, 'dispensation').map((d) => {
    const pharmacyName = valueAt(d, 'pharmacyName');
    return { pharmacyNumber: valueAt(d, 'pharmacyNumber') ?? '', ...(pharmacyName ? { pharmacyName } : {}), dispensedOn: valueAt(d, 'dispensedOn') ?? '' };
  });
  const lrn = valueAt(p, 'lrn');
  return { ok: true, messageType, nrnPrescription: nrn, status, ...(lrn ? { lrn } : {}), dispensations };
}

/** An e-prescription as P018 lists it for a patient. */
export interface FetchedPrescription {
  nrnPrescription: string;
  status: NhisPrescriptionStatus;
  authoredOn?: string;
  requesterUin?: string;
  /** The prescribing doctor's specialty (CL006). */
  requesterQualification?: string;
  diagnosisCode?: string;
  /** The medicines by the names the nomenclature gives them. */
  medications: string[];
}

/**
 * Parses a P018 that lists a patient's e-prescriptions (or the error reply).
 * @param xml - the reply body
 * @returns the prescriptions, or the error; entries without an NRN or a known status are dropped
 * @throws {XmlParseError} when the body is not XML
 */
export function parsePrescriptionFetchReply(xml: string): { ok: true; messageType: string; prescriptions: FetchedPrescription[] } | ErrorReply {
  const { messageType, contents, error } = readReply(xml);
  if (error) return error;
  const prescriptions = childrenNamed(child(contents, 'results'), 'prescription').flatMap((p): FetchedPrescription[] => {
    const nrn = valueAt(p, 'nrnPrescription');
    const status = STATUS_BY_CODE[valueAt(p, 'status') ?? ''];
    if (!nrn || !status) return [];
    const fields = { authoredOn: valueAt(p, 'authoredOn'), requesterUin: valueAt(p, 'requester', 'pmi'), requesterQualification: valueAt(p, 'requester', 'qualification'), diagnosisCode: valueAt(p, 'diagnosis') };
    const medications = childrenNamed(child(p, 'group'), 'medication').flatMap((m) => {
      const code = child(m, 'medicationCode');
      const name = code?.attrs.name ?? code?.attrs.value;
      return name ? [name] : [];
    });
    return [{ nrnPrescription: nrn, status, ...Object.fromEntries(Object.entries(fields).filter(([, x]) => x !== undefined && x !== '')), medications }];
  });
  return { ok: true, messageType, prescriptions };
}

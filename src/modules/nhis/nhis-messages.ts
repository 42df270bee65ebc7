import { child, childrenNamed, parseXml, valueAt, writeXml, v, type XmlElement, type XmlNode } from './xml.js';

/**
 * The NHIS examination messages (амбулаторен лист) as Distansia sends them: X001 open, X003 close, X009
 * correct, and their replies X002, X004, X010, or the error reply X099. Pure builders and parsers.
 *
 * Source: /work/shared/domain/bulgarian-identifiers-codes-and-nhis.md §2.2-2.4. Field names and
 * enumerations come from third-party clients ([3P]), not from the official XSDs, which could not be read
 * here; they must be checked against https://his.bg/bg/dev/specifications before going live.
 */

export const NHIS_NS = 'https://www.his.bg';

/** Service paths of the examination messages (§2.3). */
export const NHIS_PATHS = {
  X001: '/v3/eexamination/examination/open',
  X003: '/v3/eexamination/examination/close',
  X009: '/v3/eexamination/examination/correct',
} as const;
export type NhisRequestType = keyof typeof NHIS_PATHS;

/** CL004 identifier types [3P]. */
export const IDENTIFIER_TYPE = { egn: '1', lnch: '2', passport: '4', other: '5' } as const;
/** Gender [3P]. */
export const GENDER = { male: '1', female: '2', other: '3', unknown: '4' } as const;
/** Examination class, HL7 ActEncounterCode style; 9 = VR, virtual (remote) [3P]. */
export const EXAMINATION_CLASS_VR = '9';
/** Examination purpose [3P]. */
export const PURPOSE = { consultation: '1', prophylaxis: '2', dispensary: '7', expertise: '10', other: '1' } as const;
/** Financing source [3P]: 4 = the patient (NHIF-paid remote examinations are an open question, §2.4). */
export const FINANCING_PATIENT = '4';
export const CLINICAL_STATUS = { active: '10', recurrence: '11', relapse: '12', inactive: '20', remission: '21', resolved: '22' } as const;
export const VERIFICATION_STATUS = { unconfirmed: '10', provisional: '11', differential: '12', confirmed: '20' } as const;

/** The common header (§2.2). */
export interface Header {
  messageId: string;
  messageType: string;
  createdOn: string;
  /** UIN of the sending specialist. */
  senderId: string;
  senderISName: string;
}

export interface Subject {
  identifierType: keyof typeof IDENTIFIER_TYPE;
  identifier: string;
  birthDate: string;
  gender: keyof typeof GENDER;
  givenName: string;
  middleName?: string;
  familyName: string;
}

export interface Performer {
  uin: string;
  qualification: string;
  nhifCode?: string | null;
  practiceNumber: string;
}

export interface ExaminationOpen {
  lrn: string;
  openDate: string;
  purpose: keyof typeof PURPOSE;
  subject: Subject;
  performer: Performer;
}

export interface DiagnosisEntry {
  code: string;
  rank: number;
  note?: string;
  clinicalStatus: keyof typeof CLINICAL_STATUS;
  verificationStatus: keyof typeof VERIFICATION_STATUS;
}

export interface ExaminationClose {
  nrnExamination: string;
  closeDate: string;
  purpose: keyof typeof PURPOSE;
  diagnoses: DiagnosisEntry[];
  medicalHistory?: string;
  objectiveCondition?: string;
  assessment?: string;
  therapy?: string;
  conclusion?: string;
}

/** The message envelope with the common header (§2.2); shared by the R and P families in messages/. */
export function envelope(header: Header, contents: (XmlNode | null)[]): string {
  return writeXml({
    name: 'nhis:message',
    attrs: { 'xmlns:nhis': NHIS_NS, 'xmlns:xsi': 'http://www.w3.org/2001/XMLSchema-instance', 'xsi:schemaLocation': `${NHIS_NS}/api/v1/NHIS-${header.messageType}.xsd` },
    children: [
      {
        name: 'nhis:header',
        children: [
          v('nhis:sender', '1'), // CL018: 1 = doctor
          v('nhis:senderId', header.senderId),
          v('nhis:senderISName', header.senderISName),
          v('nhis:recipient', '4'), // CL018: 4 = NHIS
          v('nhis:recipientId', 'NHIS'),
          v('nhis:messageId', header.messageId),
          v('nhis:messageType', header.messageType),
          v('nhis:createdOn', header.createdOn),
        ],
      },
      { name: 'nhis:contents', children: contents },
    ],
  });
}

const note = (name: string, text: string | undefined): XmlNode | null => (text ? { name, children: [v('nhis:note', text)] } : null);

/**
 * X001: opens a remote examination (class VR).
 * @param header - envelope header (messageType is set to X001)
 * @param e - the opening data
 * @returns the XML message (unsigned; see docs/records.md#the-nhis for the KEP signature a live NHIS requires)
 */
export function buildX001(header: Omit<Header, 'messageType'>, e: ExaminationOpen): string {
  return envelope({ ...header, messageType: 'X001' }, [
    {
      name: 'nhis:examination',
      children: [v('nhis:lrn', e.lrn), v('nhis:openDate', e.openDate), v('nhis:class', EXAMINATION_CLASS_VR), v('nhis:purpose', PURPOSE[e.purpose]), v('nhis:financingSource', FINANCING_PATIENT)],
    },
    {
      name: 'nhis:subject',
      children: [
        v('nhis:identifierType', IDENTIFIER_TYPE[e.subject.identifierType]),
        v('nhis:identifier', e.subject.identifier),
        v('nhis:birthDate', e.subject.birthDate),
        v('nhis:gender', GENDER[e.subject.gender]),
        { name: 'nhis:name', children: [v('nhis:given', e.subject.givenName), v('nhis:middle', e.subject.middleName), v('nhis:family', e.subject.familyName)] },
      ],
    },
    {
      name: 'nhis:performer',
      children: [
        v('nhis:pmi', e.performer.uin),
        { name: 'nhis:qualification', attrs: { value: e.performer.qualification, nhifCode: e.performer.nhifCode ?? undefined } },
        v('nhis:role', '1'),
        v('nhis:practiceNumber', e.performer.practiceNumber),
      ],
    },
  ]);
}

function closeContents(e: ExaminationClose): XmlNode {
  return {
    name: 'nhis:examination',
    children: [
      v('nhis:nrnExamination', e.nrnExamination),
      v('nhis:closeDate', e.closeDate),
      v('nhis:purpose', PURPOSE[e.purpose]),
      ...e.diagnoses.map(
        (d): XmlNode => ({
          name: 'nhis:diagnosis',
          children: [
            v('nhis:code', d.code),
            v('nhis:rank', d.rank),
            v('nhis:note', d.note),
            v('nhis:clinicalStatus', CLINICAL_STATUS[d.clinicalStatus]),
            v('nhis:verificationStatus', VERIFICATION_STATUS[d.verificationStatus]),
          ],
        }),
      ),
      note('nhis:medicalHistory', e.medicalHistory),
      note('nhis:objectiveCondition', e.objectiveCondition),
      note('nhis:assessment', e.assessment),
      note('nhis:therapy', e.therapy),
      v('nhis:conclusion', e.conclusion),
    ],
  };
}

/** X003: closes the examination with its results. */
export function buildX003(header: Omit<Header, 'messageType'>, e: ExaminationClose): string {
  return envelope({ ...header, messageType: 'X003' }, [closeContents(e)]);
}

/** X009: corrects a closed examination (a new signed revision of the sheet). */
export function buildX009(header: Omit<Header, 'messageType'>, e: ExaminationClose): string {
  return envelope({ ...header, messageType: 'X009' }, [closeContents(e)]);
}

/** What a reply says. */
export type NhisReply =
  | { ok: true; messageType: string; nrnExamination: string; status: 'open' | 'closed'; lrn?: string }
  | { ok: false; messageType: string; reason: string; message?: string };

/**
 * Parses a reply (X002/X004/X010) or an error (X099).
 * @param xml - the reply body
 * @returns the reply
 * @throws {XmlParseError} when the body is not XML
 */
export function parseReply(xml: string): NhisReply {
  const root = parseXml(xml);
  const messageType = valueAt(root, 'header', 'messageType') ?? 'unknown';
  const contents = child(root, 'contents');
  const error = child(contents, 'error');
  if (error || messageType === 'X099') {
    return { ok: false, messageType, reason: valueAt(error, 'reason') ?? 'unknown', message: valueAt(error, 'message') };
  }
  const exam = child(contents, 'results', 'examination') ?? child(contents, 'examination');
  const nrn = valueAt(exam, 'nrnExamination');
  if (!nrn) return { ok: false, messageType, reason: 'malformed_reply' };
  const status = valueAt(exam, 'status') === '1' ? 'open' : 'closed';
  return { ok: true, messageType, nrnExamination: nrn, status, lrn: valueAt(exam, 'lrn') };
}

/** A parsed request, as the simulator reads it. */
export interface ParsedRequest {
  header: { messageType: string; messageId: string; senderId: string };
  root: XmlElement;
  contents: XmlElement | undefined;
}

/**
 * Parses a request message's envelope (used by the simulator).
 * @param xml - the message
 * @returns header and contents
 */
export function parseRequest(xml: string): ParsedRequest {
  const root = parseXml(xml);
  const header = child(root, 'header');
  return {
    header: { messageType: valueAt(header, 'messageType') ?? '', messageId: valueAt(header, 'messageId') ?? '', senderId: valueAt(header, 'senderId') ?? '' },
    root,
    contents: child(root, 'contents'),
  };
}

/**
 * Builds a reply envelope (used by the simulator).
 * @param header - reply header
 * @param contents - reply contents
 * @returns XML
 */
export function buildReply(header: Omit<Header, 'senderISName'> & { senderISName?: string }, contents: (XmlNode | null)[]): string {
  return envelope({ senderISName: 'NHIS', ...header }, contents);
}

export { childrenNamed, valueAt, child };

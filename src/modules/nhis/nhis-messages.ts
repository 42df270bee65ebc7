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
  X005: '/v3/eexamination/examination/fetch',
  X007: '/v3/eexamination/examination/cancel',
  X009: '/v3/eexamination/examination/correct',
  X013: '/v3/eexamination/examination/submit-offline',
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

/** The `nhis:subject` block, shared by the X, R and P families (messages/common.ts). */
export function subjectNode(subject: Subject): XmlNode {
  return {
    name: 'nhis:subject',
    children: [
      v('nhis:identifierType', IDENTIFIER_TYPE[subject.identifierType]),
      v('nhis:identifier', subject.identifier),
      v('nhis:birthDate', subject.birthDate),
      v('nhis:gender', GENDER[subject.gender]),
      { name: 'nhis:name', children: [v('nhis:given', subject.givenName), v('nhis:middle', subject.middleName), v('nhis:family', subject.familyName)] },
    ],
  };
}

function performerNode(p: Performer): XmlNode {
  return {
    name: 'nhis:performer',
    children: [v('nhis:pmi', p.uin), { name: 'nhis:qualification', attrs: { value: p.qualification, nhifCode: p.nhifCode ?? undefined } }, v('nhis:role', '1'), v('nhis:practiceNumber', p.practiceNumber)],
  };
}

const openFields = (e: ExaminationOpen) => [v('nhis:lrn', e.lrn), v('nhis:openDate', e.openDate), v('nhis:class', EXAMINATION_CLASS_VR), v('nhis:purpose', PURPOSE[e.purpose]), v('nhis:financingSource', FINANCING_PATIENT)];

/**
 * X001: opens a remote examination (class VR).
 * @param header - envelope header (messageType is set to X001)
 * @param e - the opening data
 * @returns the XML message (unsigned: the HTTP transport signs it, docs/nhis.md)
 */
export function buildX001(header: Omit<Header, 'messageType'>, e: ExaminationOpen): string {
  return envelope({ ...header, messageType: 'X001' }, [{ name: 'nhis:examination', children: openFields(e) }, subjectNode(e.subject), performerNode(e.performer)]);
}

function closeFields(e: Omit<ExaminationClose, 'nrnExamination'>, withPurpose = true): (XmlNode | null)[] {
  return [
    v('nhis:closeDate', e.closeDate),
    withPurpose ? v('nhis:purpose', PURPOSE[e.purpose]) : null,
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
  ];
}

function closeContents(e: ExaminationClose): XmlNode {
  return { name: 'nhis:examination', children: [v('nhis:nrnExamination', e.nrnExamination), ...closeFields(e)] };
}

/** X003: closes the examination with its results. */
export function buildX003(header: Omit<Header, 'messageType'>, e: ExaminationClose): string {
  return envelope({ ...header, messageType: 'X003' }, [closeContents(e)]);
}

/** X009: corrects a closed examination (a new signed revision of the sheet). */
export function buildX009(header: Omit<Header, 'messageType'>, e: ExaminationClose): string {
  return envelope({ ...header, messageType: 'X009' }, [closeContents(e)]);
}

/**
 * X013: an examination recorded after the fact, opened and closed in one message (the offline path:
 * the NHIS was unreachable when it happened). Contents: X001's examination fields with X003's, then
 * subject and performer (§2.4; kojto/supermed's X013 builder).
 */
export function buildX013(header: Omit<Header, 'messageType'>, open: ExaminationOpen, close: Omit<ExaminationClose, 'nrnExamination'>): string {
  return envelope({ ...header, messageType: 'X013' }, [{ name: 'nhis:examination', children: [...openFields(open), ...closeFields(close, false)] }, subjectNode(open.subject), performerNode(open.performer)]);
}

/** X007: cancels an examination recorded in error (reply X008, status 3 = cancelled). */
export function buildX007(header: Omit<Header, 'messageType'>, c: { nrnExamination: string; cancelReason: string }): string {
  return envelope({ ...header, messageType: 'X007' }, [v('nhis:nrnExamination', c.nrnExamination), v('nhis:cancelReason', c.cancelReason)]);
}

/** What X005 asks for: one examination by NRN, or a patient's examinations in a period. */
export type ExaminationQuery = { nrnExamination: string } | { identifierType: keyof typeof IDENTIFIER_TYPE; identifier: string; fromDate?: string; toDate?: string };

/** X005: fetches examinations (reply X006 with `results/examination*`). */
export function buildX005(header: Omit<Header, 'messageType'>, q: ExaminationQuery): string {
  const contents =
    'nrnExamination' in q
      ? [v('nhis:nrnExamination', q.nrnExamination)]
      : [v('nhis:identifierType', IDENTIFIER_TYPE[q.identifierType]), v('nhis:identifier', q.identifier), v('nhis:fromDate', q.fromDate), v('nhis:toDate', q.toDate)];
  return envelope({ ...header, messageType: 'X005' }, contents);
}

/** An examination as X006 returns it. */
export interface FetchedExamination {
  nrnExamination: string;
  status: 'open' | 'closed' | 'cancelled';
  openDate?: string;
  closeDate?: string;
  performerUin?: string;
  qualification?: string;
  diagnoses: { code: string; rank: number }[];
  conclusion?: string;
}

const STATUS_OF: Record<string, 'open' | 'closed' | 'cancelled'> = { '1': 'open', '2': 'closed', '3': 'cancelled' };

/**
 * Parses X006 (or the error reply).
 * @param xml - the reply
 * @returns the examinations, or the error
 * @throws {XmlParseError} when the body is not XML
 */
export function parseFetchReply(xml: string): { ok: true; messageType: string; examinations: FetchedExamination[] } | { ok: false; messageType: string; reason: string; message?: string } {
  const root = parseXml(xml);
  const messageType = valueAt(root, 'header', 'messageType') ?? 'unknown';
  const contents = child(root, 'contents');
  const error = child(contents, 'error');
  if (error || messageType.endsWith('99')) return { ok: false, messageType, reason: valueAt(error, 'reason') ?? 'unknown', message: valueAt(error, 'message') };
  const examinations = childrenNamed(child(contents, 'results'), 'examination').map(
    (e): FetchedExamination => ({
      nrnExamination: valueAt(e, 'nrnExamination') ?? '',
      status: STATUS_OF[valueAt(e, 'status') ?? ''] ?? 'closed',
      ...(valueAt(e, 'openDate') ? { openDate: valueAt(e, 'openDate') } : {}),
      ...(valueAt(e, 'closeDate') ? { closeDate: valueAt(e, 'closeDate') } : {}),
      ...(valueAt(e, 'performer', 'pmi') ? { performerUin: valueAt(e, 'performer', 'pmi') } : {}),
      ...(valueAt(e, 'performer', 'qualification') ? { qualification: valueAt(e, 'performer', 'qualification') } : {}),
      diagnoses: childrenNamed(e, 'diagnosis').map((d) => ({ code: valueAt(d, 'code') ?? '', rank: Number(valueAt(d, 'rank') ?? 1) })),
      ...(valueAt(e, 'conclusion') ? { conclusion: valueAt(e, 'conclusion') } : {}),
    }),
  );
  return { ok: true, messageType, examinations: examinations.filter((e) => e.nrnExamination) };
}

/** What a reply says. */
export type NhisReply =
  | { ok: true; messageType: string; nrnExamination: string; status: 'open' | 'closed' | 'cancelled'; lrn?: string }
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
  const status = STATUS_OF[valueAt(exam, 'status') ?? ''] ?? 'closed';
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

import { child, parseXml, valueAt, v, type XmlNode } from '../xml.js';
import { envelope, GENDER, IDENTIFIER_TYPE, type Header } from '../nhis-messages.js';

/**
 * The NHIS messages of work-capacity expertise: X011 sick leave on the examination (reply X012) and the
 * medical notice C041 issue / C045 cancel (replies C042 / C046), or the error X099. Pure builders and
 * parsers over `writeXml`/`parseXml`.
 *
 * Source: bulgarian-identifiers-codes-and-nhis.md §2.2-2.3 gives the types and paths ([3P]); the field
 * names inside the contents are ours, shaped like the examination messages, and must be checked against
 * the official XSDs (https://his.bg/bg/dev/specifications) before going live (docs/sick-leave.md#nhis).
 */

export const EXPERTISE_PATHS = {
  X011: '/v3/eexamination/examination/sickleave',
  C041: '/v3/commons/doctor/medical-notice-issue',
  C045: '/v3/commons/doctor/medical-notice-cancel',
} as const;
export type ExpertiseRequestType = keyof typeof EXPERTISE_PATHS;

export interface ExpertiseSubject {
  identifierType: keyof typeof IDENTIFIER_TYPE;
  identifier: string;
  birthDate: string;
  gender: keyof typeof GENDER;
}
export interface ExpertisePerformer {
  uin: string;
  practiceNumber: string;
}

/** X011: one sick-leave certificate, on the examination that established the incapacity. */
export interface SickLeaveMessage {
  /** Our id of the certificate (local reference number). */
  lrn: string;
  /** The examination: its NHIS number when known, else our encounter id. */
  examinationRef: string;
  kind: string;
  startDate: string;
  endDate: string;
  days: number;
  issueDate: string;
  retroactive: boolean;
  duplicateOfNrn?: string | null;
  diagnosisCode: string;
  employer: { name: string; address: string; jobTitle: string };
  subject: ExpertiseSubject;
  performer: ExpertisePerformer;
}

export interface MedicalNoticeMessage {
  lrn: string;
  purpose: string;
  issueDate: string;
  validUntil?: string | null;
  note: string;
  subject: ExpertiseSubject;
  performer: ExpertisePerformer;
}

const subjectNode = (s: ExpertiseSubject): XmlNode => ({
  name: 'nhis:subject',
  children: [v('nhis:identifierType', IDENTIFIER_TYPE[s.identifierType]), v('nhis:identifier', s.identifier), v('nhis:birthDate', s.birthDate), v('nhis:gender', GENDER[s.gender])],
});
const performerNode = (p: ExpertisePerformer): XmlNode => ({ name: 'nhis:performer', children: [v('nhis:pmi', p.uin), v('nhis:role', '1'), v('nhis:practiceNumber', p.practiceNumber)] });

/** X011 */
export function buildX011(header: Omit<Header, 'messageType'>, m: SickLeaveMessage): string {
  return envelope({ ...header, messageType: 'X011' }, [
    {
      name: 'nhis:sickLeave',
      children: [
        v('nhis:lrn', m.lrn),
        v('nhis:examination', m.examinationRef),
        v('nhis:reason', m.kind),
        v('nhis:fromDate', m.startDate),
        v('nhis:toDate', m.endDate),
        v('nhis:days', m.days),
        v('nhis:issueDate', m.issueDate),
        v('nhis:isRetroactive', m.retroactive),
        v('nhis:duplicateOf', m.duplicateOfNrn ?? undefined),
        { name: 'nhis:diagnosis', children: [v('nhis:code', m.diagnosisCode)] },
        { name: 'nhis:employer', children: [v('nhis:name', m.employer.name), v('nhis:address', m.employer.address), v('nhis:position', m.employer.jobTitle)] },
      ],
    },
    subjectNode(m.subject),
    performerNode(m.performer),
  ]);
}

/** C041 */
export function buildC041(header: Omit<Header, 'messageType'>, m: MedicalNoticeMessage): string {
  return envelope({ ...header, messageType: 'C041' }, [
    { name: 'nhis:medicalNotice', children: [v('nhis:lrn', m.lrn), v('nhis:purpose', m.purpose), v('nhis:issueDate', m.issueDate), v('nhis:validUntil', m.validUntil ?? undefined), v('nhis:note', m.note)] },
    subjectNode(m.subject),
    performerNode(m.performer),
  ]);
}

/** C045 */
export function buildC045(header: Omit<Header, 'messageType'>, m: { nrn: string; reason: string }): string {
  return envelope({ ...header, messageType: 'C045' }, [{ name: 'nhis:medicalNotice', children: [v('nhis:nrnMedicalNotice', m.nrn), v('nhis:cancelReason', m.reason)] }]);
}

export type ExpertiseReply = { ok: true; messageType: string; nrn: string; status: string; lrn?: string } | { ok: false; messageType: string; reason: string; message?: string };

/**
 * Parses X012, C042, C046 or X099.
 * @throws {XmlParseError} when the body is not XML
 */
export function parseExpertiseReply(xml: string): ExpertiseReply {
  const root = parseXml(xml);
  const messageType = valueAt(root, 'header', 'messageType') ?? 'unknown';
  const contents = child(root, 'contents');
  const error = child(contents, 'error');
  if (error || messageType === 'X099') return { ok: false, messageType, reason: valueAt(error, 'reason') ?? 'unknown', message: valueAt(error, 'message') };
  const r = child(contents, 'results', 'sickLeave') ?? child(contents, 'results', 'medicalNotice');
  const nrn = valueAt(r, 'nrnSickLeave') ?? valueAt(r, 'nrnMedicalNotice');
  if (!nrn) return { ok: false, messageType, reason: 'malformed_reply' };
  return { ok: true, messageType, nrn, status: valueAt(r, 'status') ?? '', lrn: valueAt(r, 'lrn') };
}

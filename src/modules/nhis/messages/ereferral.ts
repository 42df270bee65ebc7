import { envelope, type Subject } from '../nhis-messages.js';
import { childrenNamed, readReply, requesterNode, subjectNode, v, valueAt, type ErrorReply, type RequestHeader, type Requester } from './common.js';
import type { XmlNode } from '../xml.js';

/**
 * The NHIS e-referral messages (е-направление): R001 issue → R002, R007 cancel → R008, R009 check → R010,
 * or the error reply R099. Pure builders and parsers. Shapes from third-party clients [3P] (DinoDent
 * `EReferral.cpp`, kojto/supermed R007/R009; bulgarian-identifiers-codes-and-nhis.md §2.3); the category
 * codes of CL014 are [UNVERIFIED] and must be checked against the nomenclature (C001) before going live.
 */

export const EREFERRAL_PATHS = {
  R001: '/v3/ereferral/doctor/issue',
  R007: '/v3/ereferral/doctor/cancel',
  R009: '/v3/ereferral/doctor/check',
} as const;

/** The paper form → CL014 referral category [UNVERIFIED]: R1 tests (№ 4), R2 consultation (№ 3), R3 ВСМД (№ 3А), R4 hospitalisation (№ 7), R5 medical expertise (№ 6). */
export const REFERRAL_CATEGORY = { '4': 'R1', '3': 'R2', '3A': 'R3', '7': 'R4', '6': 'R5' } as const;
export type NhisReferralForm = keyof typeof REFERRAL_CATEGORY;
/** Referral status (CL status list) as the replies carry it [3P]: 1 active, 3 executed, 5 cancelled (DinoDent reads 5 after a cancel). */
export const REFERRAL_STATUS = { active: '1', partly_executed: '2', executed: '3', expired: '4', cancelled: '5' } as const;
export type NhisReferralStatus = keyof typeof REFERRAL_STATUS;

export interface ReferralIssue {
  lrn: string;
  /** Local issue date `YYYY-MM-DD`. */
  authoredOn: string;
  /** № 3/3А/4/6/7; МЗ 119а goes as the consultation or tests category, paid by the patient. */
  category: NhisReferralForm;
  /** 2 NHIF, 4 the patient (119а). */
  financingSource: '2' | '4';
  /** NRN of the examination it was issued in, when that examination is in the NHIS. */
  basedOn?: string | null;
  /** № 3 / № 3А: the specialty consulted (CL006). */
  qualification?: string | null;
  /** № 4 / № 3А: activity codes. */
  activityCodes?: string[];
  /** № 7: clinical pathway and the hospital's number. */
  clinicalPathway?: string | null;
  hospitalNumber?: string | null;
  /** № 6: the expertise's purpose (TELK, sick leave, assistive devices). */
  expertisePurpose?: string | null;
  diagnosisCode: string;
  /** The concrete request to the specialist (НРД 2006 R-39). */
  note?: string | null;
  subject: Subject;
  requester: Requester;
}

function referralNode(r: ReferralIssue): XmlNode {
  const codes = (r.activityCodes ?? []).map((c) => v('nhis:code', c));
  return {
    name: 'nhis:referral',
    children: [
      v('nhis:lrn', r.lrn),
      v('nhis:authoredOn', r.authoredOn),
      v('nhis:category', REFERRAL_CATEGORY[r.category]),
      v('nhis:financingSource', r.financingSource),
      v('nhis:rhifAreaNumber', r.requester.rhifAreaNumber),
      v('nhis:basedOn', r.basedOn ?? undefined),
      r.category === '3' ? { name: 'nhis:consultation', children: [{ name: 'nhis:qualification', attrs: { value: r.qualification ?? '' } }] } : null,
      r.category === '3A' ? { name: 'nhis:specializedActivities', children: [{ name: 'nhis:qualification', attrs: { value: r.qualification ?? '' } }, ...codes] } : null,
      r.category === '4' ? { name: 'nhis:laboratory', children: codes } : null,
      r.category === '7' ? { name: 'nhis:hospitalization', children: [v('nhis:clinicalPathway', r.clinicalPathway ?? ''), v('nhis:hospital', r.hospitalNumber ?? '')] } : null,
      r.category === '6' ? { name: 'nhis:medicalExpertise', children: [v('nhis:purpose', r.expertisePurpose ?? '')] } : null,
      { name: 'nhis:diagnosis', children: [v('nhis:code', r.diagnosisCode), v('nhis:use', '3'), v('nhis:rank', '1')] },
      v('nhis:note', r.note ?? undefined),
    ],
  };
}

/** R001: issues an e-referral. */
export function buildR001(header: RequestHeader, r: ReferralIssue): string {
  return envelope({ ...header, messageType: 'R001' }, [referralNode(r), subjectNode(r.subject), requesterNode(r.requester)]);
}

/** R007: cancels an issued e-referral with a reason. */
export function buildR007(header: RequestHeader, c: { nrnReferral: string; cancelReason: string }): string {
  return envelope({ ...header, messageType: 'R007' }, [v('nhis:nrnReferral', c.nrnReferral), v('nhis:cancelReason', c.cancelReason)]);
}

/** R009: asks the NHIS for an e-referral's status (the receiving side checks it before use). */
export function buildR009(header: RequestHeader, c: { nrnReferral: string }): string {
  return envelope({ ...header, messageType: 'R009' }, [v('nhis:nrnReferral', c.nrnReferral)]);
}

export type ReferralReply =
  | { ok: true; messageType: string; nrnReferral: string; status: NhisReferralStatus; lrn?: string; executedOn?: string }
  | ErrorReply;

const STATUS_BY_CODE = Object.fromEntries(Object.entries(REFERRAL_STATUS).map(([k, c]) => [c, k])) as Record<string, NhisReferralStatus>;

/**
 * Parses R002, R008, R010 or the error reply.
 * @param xml - the reply body
 * @returns the reply
 * @throws {XmlParseError} when the body is not XML
 */
export function parseReferralReply(xml: string): ReferralReply {
  const { messageType, contents, error } = readReply(xml);
  if (error) return error;
  const nrn = valueAt(contents, 'nrnReferral') ?? valueAt(contents, 'referral', 'nrnReferral');
  const code = valueAt(contents, 'status') ?? valueAt(contents, 'referral', 'status');
  const status = code ? STATUS_BY_CODE[code] : undefined;
  if (!nrn || !status) return { ok: false, messageType, reason: 'malformed_reply' };
  const lrn = valueAt(contents, 'lrn') ?? valueAt(contents, 'referral', 'lrn');
  const executedOn = valueAt(contents, 'referral', 'executionDate');
  return { ok: true, messageType, nrnReferral: nrn, status, ...(lrn ? { lrn } : {}), ...(executedOn ? { executedOn } : {}) };
}

export { childrenNamed };

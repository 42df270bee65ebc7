import { envelope, IDENTIFIER_TYPE, type Subject } from '../nhis-messages.js';
import { child, childrenNamed, readReply, requesterNode, subjectNode, v, valueAt, type ErrorReply, type RequestHeader, type Requester } from './common.js';
import type { XmlNode } from '../xml.js';

/**
 * The NHIS e-referral messages (е-направление): R001 issue → R002, R007 cancel → R008, R009 check → R010,
 * R015 a patient's referrals → R016, or the error reply R099. Pure builders and parsers. Shapes from third-party clients [3P] (DinoDent
 * `EReferral.cpp`, kojto/supermed R007/R009; bulgarian-identifiers-codes-and-nhis.md §2.3); the category
 * codes of CL014 are [UNVERIFIED] and must be checked against the nomenclature (C001) before going live.
 */

export const EREFERRAL_PATHS = {
  R001: '/v3/ereferral/doctor/issue',
  R007: '/v3/ereferral/doctor/cancel',
  R009: '/v3/ereferral/doctor/check',
  R015: '/v3/ereferral/doctor/fetch',
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

const STATUS_BY_CODE = Object.fromEntries(Object.entries(REFERRAL_STATUS).map(([k, c]) => [c, k])) as Record<string, NhisReferralStatus>;

/**
 * What R015 asks for: a patient's e-referrals issued in a period (the national record, Art. 13). The path
 * is confirmed (DinoDent, TestSuperHip); the query fields are assumed on the pattern of X005 (docs/nhis.md).
 */
export interface ReferralQuery {
  identifierType: keyof typeof IDENTIFIER_TYPE;
  identifier: string;
  /** Local dates `YYYY-MM-DD`, inclusive. */
  fromDate?: string;
  toDate?: string;
}

/** R015: fetches a patient's e-referrals (reply R016 with `results/referral*`). */
export function buildR015(header: RequestHeader, q: ReferralQuery): string {
  return envelope({ ...header, messageType: 'R015' }, [v('nhis:identifierType', IDENTIFIER_TYPE[q.identifierType]), v('nhis:identifier', q.identifier), v('nhis:fromDate', q.fromDate), v('nhis:toDate', q.toDate)]);
}

/** An e-referral as R016 returns it. */
export interface FetchedReferral {
  nrnReferral: string;
  status: NhisReferralStatus;
  /** The paper form it stands for, from the CL014 category; undefined for a category not known here. */
  form?: NhisReferralForm;
  authoredOn?: string;
  requesterUin?: string;
  /** The issuing doctor's specialty (CL006). */
  requesterQualification?: string;
  /** № 3/3А: the specialty the patient is sent to (CL006). */
  consultedQualification?: string;
  diagnosisCode?: string;
}

const FORM_BY_CATEGORY = Object.fromEntries(Object.entries(REFERRAL_CATEGORY).map(([form, cat]) => [cat, form])) as Record<string, NhisReferralForm>;

/**
 * Parses R016 (or the error reply).
 * @param xml - the reply body
 * @returns the referrals, or the error; entries without an NRN or a known status are dropped
 * @throws {XmlParseError} when the body is not XML
 */
export function parseReferralFetchReply(xml: string): { ok: true; messageType: string; referrals: FetchedReferral[] } | ErrorReply {
  const { messageType, contents, error } = readReply(xml);
  if (error) return error;
  const referrals = childrenNamed(child(contents, 'results'), 'referral').flatMap((r): FetchedReferral[] => {
    const nrn = valueAt(r, 'nrnReferral');
    const status = STATUS_BY_CODE[valueAt(r, 'status') ?? ''];
    if (!nrn || !status) return [];
    const form = FORM_BY_CATEGORY[valueAt(r, 'category') ?? ''];
    const consulted = child(r, 'consultation', 'qualification')?.attrs.value ?? child(r, 'specializedActivities', 'qualification')?.attrs.value;
    const fields = {
      form,
      authoredOn: valueAt(r, 'authoredOn'),
      requesterUin: valueAt(r, 'requester', 'pmi'),
      requesterQualification: valueAt(r, 'requester', 'qualification'),
      consultedQualification: consulted,
      diagnosisCode: valueAt(r, 'diagnosis', 'code'),
    };
    return [{ nrnReferral: nrn, status, ...Object.fromEntries(Object.entries(fields).filter(([, x]) => x !== undefined && x !== '')) }];
  });
  return { ok: true, messageType, referrals };
}

export type ReferralReply =
  | { ok: true; messageType: string; nrnReferral: string; status: NhisReferralStatus; lrn?: string; executedOn?: string }
  | ErrorReply;

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

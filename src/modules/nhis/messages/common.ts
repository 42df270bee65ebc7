import { subjectNode, type Header } from '../nhis-messages.js';
import { child, childrenNamed, parseXml, v, valueAt, type XmlElement, type XmlNode } from '../xml.js';

/**
 * What the R (e-referral) and P (e-prescription) families share: subject and requester blocks, the error
 * reply, and the header type. Field names from third-party clients ([3P], bulgarian-identifiers-codes-and-nhis.md
 * §2.3): DinoDent `EReferral`/`EPrescription`, kojto/supermed R007/R009; check against the official XSDs.
 */

export type RequestHeader = Omit<Header, 'messageType'>;

/** The issuing doctor (`nhis:requester`). */
export interface Requester {
  uin: string;
  /** CL006 4-digit specialty code. */
  qualification: string;
  nhifCode?: string | null;
  practiceNumber: string;
  /** RZOK(2) + health region(2), e.g. `2201`. */
  rhifAreaNumber: string;
}

/** An ICD-10 code: letter, two digits, optional subdivision and dagger/asterisk. */
export const ICD10_PATTERN = /^[A-Z][0-9]{2}(\.[0-9A-Z]{1,4})?[+*]?$/;
/** NRN: 12 characters (§1.7). */
export const NRN_PATTERN = /^[0-9A-Z]{12}$/;

export { subjectNode };

export function requesterNode(r: Requester): XmlNode {
  return {
    name: 'nhis:requester',
    children: [
      v('nhis:pmi', r.uin),
      { name: 'nhis:qualification', attrs: { value: r.qualification, nhifCode: r.nhifCode ?? undefined } },
      v('nhis:role', '1'),
      v('nhis:practiceNumber', r.practiceNumber),
      v('nhis:rhifAreaNumber', r.rhifAreaNumber),
    ],
  };
}

/** The error reply (type X099/R099/P099): `contents/error/{reason,message}`. */
export type ErrorReply = { ok: false; messageType: string; reason: string; message?: string };

/**
 * Reads the envelope of a reply and its error, if any.
 * @param xml - the reply
 * @returns the message type and contents, or the error
 * @throws {XmlParseError} when the body is not XML
 */
export function readReply(xml: string): { messageType: string; contents: XmlElement | undefined; error: ErrorReply | null } {
  const root = parseXml(xml);
  const messageType = valueAt(root, 'header', 'messageType') ?? 'unknown';
  const contents = child(root, 'contents');
  const error = child(contents, 'error');
  if (error || messageType.endsWith('99')) {
    return { messageType, contents, error: { ok: false, messageType, reason: valueAt(error, 'reason') ?? 'unknown', ...(valueAt(error, 'message') ? { message: valueAt(error, 'message') } : {}) } };
  }
  return { messageType, contents, error: null };
}

export { child, childrenNamed, valueAt, v };

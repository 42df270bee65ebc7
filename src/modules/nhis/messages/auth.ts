import { buildReply } from '../nhis-messages.js';
import { child, parseXml, v, valueAt } from '../xml.js';

/**
 * The NHIS token exchange (bulgarian-identifiers-codes-and-nhis.md §2.1): `GET /token` returns a
 * challenge message; the client signs it whole (enveloped XMLDSig) and POSTs it back; the reply holds
 * `contents/{accessToken, tokenType, expiresIn, issuedOn, expiresOn}`, each with a `value` attribute
 * (that order and those names: DinoDent `HisToken::setAuthRepy`, confirmed from public client code).
 * The challenge's own contents (`nhis:challenge value=…`, message type S001) are assumed: clients sign
 * whatever the GET returns without reading it.
 */

export const CHALLENGE_TYPE = 'S001';
export const TOKEN_TYPE = 'S002';

/**
 * The challenge message the simulator hands out.
 * @param h - reply id, createdOn and the random challenge value
 * @returns XML
 */
export function buildChallenge(h: { messageId: string; createdOn: string; challenge: string }): string {
  return buildReply({ messageId: h.messageId, messageType: CHALLENGE_TYPE, createdOn: h.createdOn, senderId: 'NHIS' }, [v('nhis:challenge', h.challenge)]);
}

/** The challenge value inside a (signed) challenge message, or undefined. */
export function readChallenge(xml: string): string | undefined {
  return valueAt(child(parseXml(xml), 'contents'), 'challenge');
}

export interface IssuedToken {
  accessToken: string;
  tokenType: string;
  expiresIn: number;
  issuedOn: string;
  expiresOn: string;
}

/** The token reply (S002). */
export function buildTokenReply(h: { messageId: string; createdOn: string }, t: IssuedToken): string {
  return buildReply({ messageId: h.messageId, messageType: TOKEN_TYPE, createdOn: h.createdOn, senderId: 'NHIS' }, [
    v('nhis:accessToken', t.accessToken),
    v('nhis:tokenType', t.tokenType),
    v('nhis:expiresIn', t.expiresIn),
    v('nhis:issuedOn', t.issuedOn),
    v('nhis:expiresOn', t.expiresOn),
  ]);
}

/**
 * Reads the token reply.
 * @param xml - the reply body
 * @returns the token, or null when the reply holds none (an error reply)
 * @throws {XmlParseError} when the body is not XML
 */
export function parseTokenReply(xml: string): IssuedToken | null {
  const contents = child(parseXml(xml), 'contents');
  const accessToken = valueAt(contents, 'accessToken');
  const expiresIn = Number(valueAt(contents, 'expiresIn'));
  if (!accessToken || !Number.isFinite(expiresIn) || expiresIn <= 0) return null;
  return { accessToken, tokenType: valueAt(contents, 'tokenType') ?? 'Bearer', expiresIn, issuedOn: valueAt(contents, 'issuedOn') ?? '', expiresOn: valueAt(contents, 'expiresOn') ?? '' };
}

import type { Clock } from '../../../platform/clock.js';
import type { IdGen } from '../../../platform/ids.js';
import { NhisRejectedError, NhisUnavailableError, type NhisTransport } from '../nhis-client.js';
import type { XmlParseError } from '../xml.js';
import { buildP001, buildP007, buildP017, EPRESCRIPTION_PATHS, parsePrescriptionFetchReply, parsePrescriptionReply, type FetchedPrescription, type NhisPrescriptionStatus, type PrescriptionIssue, type Dispensation } from './eprescription.js';
import { buildR001, buildR007, buildR009, buildR015, EREFERRAL_PATHS, parseReferralFetchReply, parseReferralReply, type FetchedReferral, type NhisReferralStatus, type ReferralIssue, type ReferralQuery } from './ereferral.js';
import type { RequestHeader } from './common.js';

export type DocumentMessageType = keyof typeof EREFERRAL_PATHS | keyof typeof EPRESCRIPTION_PATHS;
const PATHS: Record<DocumentMessageType, string> = { ...EREFERRAL_PATHS, ...EPRESCRIPTION_PATHS };

/** One exchange, for the attempt log (the same evidence as the examination messages keep). */
export interface DocumentExchange {
  messageType: DocumentMessageType;
  messageId: string;
  startedAt: string;
  durationMs: number;
  outcome: 'ok' | 'error' | 'unavailable';
  error?: string;
}

export interface NhisDocumentsClient {
  /** R001 → R002: the referral's NRN (НРН). Idempotent on lrn in the NHIS. */
  issueReferral(senderUin: string, r: ReferralIssue, log: (x: DocumentExchange) => void): Promise<{ nrn: string; status: NhisReferralStatus }>;
  /** R007 → R008. */
  cancelReferral(senderUin: string, c: { nrnReferral: string; cancelReason: string }, log: (x: DocumentExchange) => void): Promise<{ nrn: string; status: NhisReferralStatus }>;
  /** R009 → R010. */
  checkReferral(senderUin: string, nrnReferral: string, log: (x: DocumentExchange) => void): Promise<{ nrn: string; status: NhisReferralStatus }>;
  /** P001 → P002: the prescription's NRN. */
  issuePrescription(senderUin: string, p: PrescriptionIssue, log: (x: DocumentExchange) => void): Promise<{ nrn: string; status: NhisPrescriptionStatus }>;
  /** P007 → P008. */
  cancelPrescription(senderUin: string, c: { nrnPrescription: string; revokeReason: string }, log: (x: DocumentExchange) => void): Promise<{ nrn: string; status: NhisPrescriptionStatus }>;
  /** P017 → P018: status and which pharmacy dispensed it. */
  fetchPrescription(senderUin: string, nrnPrescription: string, log: (x: DocumentExchange) => void): Promise<{ nrn: string; status: NhisPrescriptionStatus; dispensations: Dispensation[] }>;
  /** R015 → R016: a patient's e-referrals in a period (the national record, Art. 13). */
  fetchReferrals(senderUin: string, q: ReferralQuery, log: (x: DocumentExchange) => void): Promise<FetchedReferral[]>;
  /** P017 → P018 by patient: a patient's e-prescriptions in a period (the national record, Art. 13). */
  fetchPrescriptions(senderUin: string, q: ReferralQuery, log: (x: DocumentExchange) => void): Promise<FetchedPrescription[]>;
}

/**
 * The NHIS adapter for e-referrals and e-prescriptions: builds the message, posts it through the same
 * transport as the examination messages, parses the reply. An unreachable NHIS or a 5xx throws
 * `NhisUnavailableError` (the outbox retries); an error reply throws `NhisRejectedError` (final).
 * @param deps - transport, clock and ids
 * @returns the client
 */
export function createNhisDocumentsClient(deps: { transport: NhisTransport; clock: Clock; ids: IdGen; systemName?: string }): NhisDocumentsClient {
  const senderISName = deps.systemName ?? 'Distansia';

  async function exchange<R extends { ok: true } | { ok: false; reason: string; message?: string }>(type: DocumentMessageType, build: (h: RequestHeader) => string, parse: (xml: string) => R, senderUin: string, log: (x: DocumentExchange) => void): Promise<Extract<R, { ok: true }>> {
    const messageId = deps.ids.uuid();
    const started = deps.clock.now();
    const xml = build({ messageId, createdOn: started.toString(), senderId: senderUin, senderISName });
    const done = (outcome: DocumentExchange['outcome'], error?: string) =>
      log({ messageType: type, messageId, startedAt: started.toString(), durationMs: Math.max(0, deps.clock.now().epochMilliseconds - started.epochMilliseconds), outcome, ...(error ? { error } : {}) });
    let res: { status: number; body: string };
    try {
      res = await deps.transport.post(PATHS[type], xml);
    } catch (err) {
      done('unavailable', err instanceof NhisUnavailableError ? 'unavailable' : 'transport_error');
      throw err instanceof NhisUnavailableError ? err : new NhisUnavailableError('transport error');
    }
    if (res.status >= 500) {
      done('unavailable', `http_${res.status}`);
      throw new NhisUnavailableError(`NHIS answered ${res.status}`);
    }
    let reply: R;
    try {
      reply = parse(res.body);
    } catch (err) {
      done('error', 'malformed_reply');
      throw new NhisUnavailableError(`NHIS reply is not XML (${(err as XmlParseError).name})`);
    }
    if (!reply.ok) {
      const r = reply as { reason: string; message?: string };
      done('error', r.reason);
      throw new NhisRejectedError(r.reason, r.message);
    }
    done('ok');
    return reply as Extract<R, { ok: true }>;
  }

  return {
    async issueReferral(senderUin, r, log) {
      const x = await exchange('R001', (h) => buildR001(h, r), parseReferralReply, senderUin, log);
      return { nrn: x.nrnReferral, status: x.status };
    },
    async cancelReferral(senderUin, c, log) {
      const x = await exchange('R007', (h) => buildR007(h, c), parseReferralReply, senderUin, log);
      return { nrn: x.nrnReferral, status: x.status };
    },
    async checkReferral(senderUin, nrnReferral, log) {
      const x = await exchange('R009', (h) => buildR009(h, { nrnReferral }), parseReferralReply, senderUin, log);
      return { nrn: x.nrnReferral, status: x.status };
    },
    async issuePrescription(senderUin, p, log) {
      const x = await exchange('P001', (h) => buildP001(h, p), parsePrescriptionReply, senderUin, log);
      return { nrn: x.nrnPrescription, status: x.status };
    },
    async cancelPrescription(senderUin, c, log) {
      const x = await exchange('P007', (h) => buildP007(h, c), parsePrescriptionReply, senderUin, log);
      return { nrn: x.nrnPrescription, status: x.status };
    },
    async fetchPrescription(senderUin, nrnPrescription, log) {
      const x = await exchange('P017', (h) => buildP017(h, { nrnPrescription }), parsePrescriptionReply, senderUin, log);
      return { nrn: x.nrnPrescription, status: x.status, dispensations: x.dispensations };
    },
    async fetchReferrals(senderUin, q, log) {
      return (await exchange('R015', (h) => buildR015(h, q), parseReferralFetchReply, senderUin, log)).referrals;
    },
    async fetchPrescriptions(senderUin, q, log) {
      return (await exchange('P017', (h) => buildP017(h, q), parsePrescriptionFetchReply, senderUin, log)).prescriptions;
    },
  };
}

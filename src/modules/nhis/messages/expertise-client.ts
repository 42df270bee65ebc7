import type { Clock } from '../../../platform/clock.js';
import type { IdGen } from '../../../platform/ids.js';
import { NhisRejectedError, NhisUnavailableError, type NhisTransport } from '../nhis-client.js';
import { buildC041, buildC045, buildX011, EXPERTISE_PATHS, parseExpertiseReply, type ExpertiseRequestType, type MedicalNoticeMessage, type SickLeaveMessage } from './expertise-messages.js';

/** The NHIS client for sick leave (X011) and medical notices (C041/C045); errors as the examination client's. */
export interface ExpertiseNhisClient {
  recordSickLeave(senderUin: string, m: SickLeaveMessage): Promise<{ nrn: string }>;
  issueMedicalNotice(senderUin: string, m: MedicalNoticeMessage): Promise<{ nrn: string }>;
  cancelMedicalNotice(senderUin: string, m: { nrn: string; reason: string }): Promise<{ nrn: string }>;
}

/**
 * @param deps - the transport (the bundled simulator in tests and the demo), clock and ids
 * @returns the client
 */
export function createExpertiseNhisClient(deps: { transport: NhisTransport; clock: Clock; ids: IdGen; systemName?: string }): ExpertiseNhisClient {
  async function exchange(type: ExpertiseRequestType, senderUin: string, build: (h: { messageId: string; createdOn: string; senderId: string; senderISName: string }) => string): Promise<{ nrn: string }> {
    const xml = build({ messageId: deps.ids.uuid(), createdOn: deps.clock.now().toString(), senderId: senderUin, senderISName: deps.systemName ?? 'Distansia' });
    let res: { status: number; body: string };
    try {
      res = await deps.transport.post(EXPERTISE_PATHS[type], xml);
    } catch (err) {
      throw err instanceof NhisUnavailableError ? err : new NhisUnavailableError('transport error');
    }
    if (res.status >= 500) throw new NhisUnavailableError(`NHIS answered ${res.status}`);
    let reply;
    try {
      reply = parseExpertiseReply(res.body);
    } catch {
      throw new NhisUnavailableError('NHIS reply is not XML');
    }
    if (!reply.ok) throw new NhisRejectedError(reply.reason, reply.message);
    return { nrn: reply.nrn };
  }
  return {
    recordSickLeave: (uin, m) => exchange('X011', uin, (h) => buildX011(h, m)),
    issueMedicalNotice: (uin, m) => exchange('C041', uin, (h) => buildC041(h, m)),
    cancelMedicalNotice: (uin, m) => exchange('C045', uin, (h) => buildC045(h, m)),
  };
}

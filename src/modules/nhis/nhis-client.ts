import type { Clock } from '../../platform/clock.js';
import type { IdGen } from '../../platform/ids.js';
import { buildX001, buildX003, buildX005, buildX007, buildX009, buildX013, NHIS_PATHS, parseFetchReply, parseReply, type ExaminationClose, type ExaminationOpen, type ExaminationQuery, type FetchedExamination, type NhisRequestType } from './nhis-messages.js';

/**
 * How messages reach the NHIS: the bundled simulator in process, or over HTTP (nhis-http-transport.ts:
 * the token challenge and the XMLDSig of every message, §2.1 and §6 of
 * bulgarian-identifiers-codes-and-nhis.md; docs/nhis.md).
 */
export interface NhisTransport {
  /**
   * Posts one message.
   * @param path - the service path (NHIS_PATHS)
   * @param xml - the message
   * @returns the HTTP status and body of the reply
   * @throws {NhisUnavailableError} when the NHIS cannot be reached or times out
   */
  post(path: string, xml: string): Promise<{ status: number; body: string }>;
}

/** The NHIS could not be reached or answered 5xx: retry later (the outbox backs off). */
export class NhisUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NhisUnavailableError';
  }
}

/** The NHIS refused the message (X099): retrying the same message will not help. */
export class NhisRejectedError extends Error {
  constructor(readonly reason: string, message?: string) {
    super(`NHIS rejected the message: ${reason}${message ? ` (${message})` : ''}`);
    this.name = 'NhisRejectedError';
  }
}

/** One exchange, for the attempt log (evidence of NHIS outages, S-02). */
export interface NhisExchange {
  messageType: NhisRequestType;
  messageId: string;
  startedAt: string;
  durationMs: number;
  outcome: 'ok' | 'error' | 'unavailable';
  error?: string;
}

export interface NhisClient {
  /** X001 → X002: opens the examination; returns its national reference number (NRN). */
  openExamination(senderUin: string, e: ExaminationOpen, log: (x: NhisExchange) => void): Promise<{ nrn: string }>;
  /** X003 → X004: closes it with the results; the acknowledgement that counts for Art. 17. */
  closeExamination(senderUin: string, e: ExaminationClose, log: (x: NhisExchange) => void): Promise<{ nrn: string }>;
  /** X009 → X010: records a corrected revision. */
  correctExamination(senderUin: string, e: ExaminationClose, log: (x: NhisExchange) => void): Promise<{ nrn: string }>;
  /** X013 → X014: opens and closes in one message, after the fact (the NHIS was unreachable). Idempotent on lrn. */
  submitOffline(senderUin: string, open: ExaminationOpen, close: Omit<ExaminationClose, 'nrnExamination'>, log: (x: NhisExchange) => void): Promise<{ nrn: string }>;
  /** X007 → X008: cancels an examination recorded in error. */
  cancelExamination(senderUin: string, c: { nrnExamination: string; cancelReason: string }, log: (x: NhisExchange) => void): Promise<{ nrn: string; status: 'open' | 'closed' | 'cancelled' }>;
  /** X005 → X006: examinations by NRN, or a patient's in a period (the national record, Art. 13). */
  fetchExaminations(senderUin: string, q: ExaminationQuery, log: (x: NhisExchange) => void): Promise<FetchedExamination[]>;
}

/**
 * The NHIS adapter: builds the examination messages, sends them and reads the replies.
 * @param deps - transport, clock (createdOn, timings) and ids (message ids)
 * @returns the client
 */
export function createNhisClient(deps: { transport: NhisTransport; clock: Clock; ids: IdGen; systemName?: string }): NhisClient {
  const senderISName = deps.systemName ?? 'Distansia';

  async function exchange<R extends { ok: true } | { ok: false; reason: string; message?: string }>(type: NhisRequestType, build: (header: { messageId: string; createdOn: string; senderId: string; senderISName: string }) => string, senderUin: string, log: (x: NhisExchange) => void, parse: (xml: string) => R): Promise<Extract<R, { ok: true }>> {
    const messageId = deps.ids.uuid();
    const started = deps.clock.now();
    const header = { messageId, createdOn: started.toString(), senderId: senderUin, senderISName };
    const xml = build(header);
    const done = (outcome: NhisExchange['outcome'], error?: string) =>
      log({ messageType: type, messageId, startedAt: started.toString(), durationMs: Math.max(0, deps.clock.now().epochMilliseconds - started.epochMilliseconds), outcome, ...(error ? { error } : {}) });
    let res: { status: number; body: string };
    try {
      res = await deps.transport.post(NHIS_PATHS[type], xml);
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
    } catch {
      done('error', 'malformed_reply');
      throw new NhisUnavailableError('NHIS reply is not XML');
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
    async openExamination(senderUin, e, log) {
      const r = await exchange('X001', (h) => buildX001(h, e), senderUin, log, parseReply);
      return { nrn: r.nrnExamination };
    },
    async closeExamination(senderUin, e, log) {
      const r = await exchange('X003', (h) => buildX003(h, e), senderUin, log, parseReply);
      return { nrn: r.nrnExamination };
    },
    async correctExamination(senderUin, e, log) {
      const r = await exchange('X009', (h) => buildX009(h, e), senderUin, log, parseReply);
      return { nrn: r.nrnExamination };
    },
    async submitOffline(senderUin, open, close, log) {
      const r = await exchange('X013', (h) => buildX013(h, open, close), senderUin, log, parseReply);
      return { nrn: r.nrnExamination };
    },
    async cancelExamination(senderUin, c, log) {
      const r = await exchange('X007', (h) => buildX007(h, c), senderUin, log, parseReply);
      return { nrn: r.nrnExamination, status: r.status };
    },
    async fetchExaminations(senderUin, q, log) {
      return (await exchange('X005', (h) => buildX005(h, q), senderUin, log, parseFetchReply)).examinations;
    },
  };
}

import type { Clock, Temporal } from '../../platform/clock.js';
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
  /** Messages signed elsewhere: the doctor's card through the local agent (HTTP only; docs/nhis.md#signer). */
  presigned?: NhisPresignedChannel;
}

/**
 * The HTTP transport's side for messages the server cannot sign itself: the doctor's card signs the token
 * challenge and each message in the browser (through `distansia signer`), and the server sends the
 * signed bytes as they are. Tokens are bound to the certificate that signed the challenge, as the NHIS
 * binds them (docs/nhis.md#signer).
 */
export interface NhisPresignedChannel {
  /** Whether a valid token of this sender, obtained with this certificate (SHA-256 of its DER, hex), is held. */
  hasToken(senderId: string, certificateSha256: string): Promise<boolean>;
  /**
   * A fresh token challenge to be signed.
   * @throws {NhisUnavailableError} when the NHIS cannot be reached
   */
  challenge(): Promise<string>;
  /**
   * Exchanges a challenge signed by that certificate for a token and keeps it for the sender.
   * @throws {NhisUnavailableError} when the NHIS cannot be reached or refuses the signed challenge
   */
  redeem(senderId: string, certificateSha256: string, signedChallenge: string): Promise<void>;
  /**
   * Posts a message already signed by that certificate with its token, with the transport's retries
   * (the same signed bytes, the same messageId).
   * @throws {NhisTokenRequiredError} when no valid token is held or the NHIS answered 401
   * @throws {NhisUnavailableError} when the NHIS cannot be reached
   */
  post(path: string, signedXml: string, certificateSha256: string): Promise<{ status: number; body: string }>;
}

/** A presigned message needs a token first: the card signs a challenge, then the same message goes again. */
export class NhisTokenRequiredError extends Error {
  constructor() {
    super('a token signed by this certificate is required');
    this.name = 'NhisTokenRequiredError';
  }
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
  /** X001/X003 signed by the doctor's card (docs/nhis.md#signer); absent when the transport cannot take presigned messages. */
  card?: NhisCardMessages;
}

/** The header fields a card-signed message keeps between building it and sending it signed. */
export interface CardMessageHeader {
  messageId: string;
  createdOn: string;
}

/**
 * The examination messages for the doctor's card: built exactly as openExamination/closeExamination
 * build them (so the card signs the same bytes the server would have), sent signed through the
 * transport's presigned channel, and their replies read and logged the same way.
 */
export interface NhisCardMessages {
  channel: NhisPresignedChannel;
  /** A new header (messageId, createdOn) for a message about to be built. */
  newHeader(): CardMessageHeader;
  /** The unsigned X001 or X003. */
  build(type: 'X001', senderUin: string, h: CardMessageHeader, e: ExaminationOpen): string;
  build(type: 'X003', senderUin: string, h: CardMessageHeader, e: ExaminationClose): string;
  /**
   * Sends a message the card signed and reads the reply (X002/X004).
   * @returns the examination's NRN
   * @throws {NhisRejectedError} on an error reply; {NhisUnavailableError}; {NhisTokenRequiredError}
   */
  send(type: 'X001' | 'X003', signedXml: string, h: CardMessageHeader, certificateSha256: string, log: (x: NhisExchange) => void): Promise<{ nrn: string }>;
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
    return deliver(type, messageId, started, () => deps.transport.post(NHIS_PATHS[type], xml), log, parse);
  }

  /** Sends one built message and reads its reply; every outcome is logged as one exchange. */
  async function deliver<R extends { ok: true } | { ok: false; reason: string; message?: string }>(type: NhisRequestType, messageId: string, started: Temporal.Instant, post: () => Promise<{ status: number; body: string }>, log: (x: NhisExchange) => void, parse: (xml: string) => R): Promise<Extract<R, { ok: true }>> {
    const done = (outcome: NhisExchange['outcome'], error?: string) =>
      log({ messageType: type, messageId, startedAt: started.toString(), durationMs: Math.max(0, deps.clock.now().epochMilliseconds - started.epochMilliseconds), outcome, ...(error ? { error } : {}) });
    let res: { status: number; body: string };
    try {
      res = await post();
    } catch (err) {
      // A token the card must first obtain is not an attempt: nothing reached the NHIS's handlers.
      if (err instanceof NhisTokenRequiredError) throw err;
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

  const channel = deps.transport.presigned;
  function build(type: 'X001' | 'X003', senderUin: string, h: CardMessageHeader, e: ExaminationOpen | ExaminationClose): string {
    const header = { ...h, senderId: senderUin, senderISName };
    return type === 'X001' ? buildX001(header, e as ExaminationOpen) : buildX003(header, e as ExaminationClose);
  }
  const card: NhisCardMessages | undefined = channel && {
    channel,
    newHeader: () => ({ messageId: deps.ids.uuid(), createdOn: deps.clock.now().toString() }),
    build: build as NhisCardMessages['build'],
    async send(type, signedXml, h, certificateSha256, log) {
      const r = await deliver(type, h.messageId, deps.clock.now(), () => channel.post(NHIS_PATHS[type], signedXml, certificateSha256), log, parseReply);
      return { nrn: r.nrnExamination };
    },
  };

  return {
    ...(card ? { card } : {}),
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

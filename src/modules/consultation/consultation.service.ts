import { Temporal } from 'temporal-polyfill';
import { toDate, fromDate, type Clock } from '../../platform/clock.js';
import type { IdGen } from '../../platform/ids.js';
import { withTransaction, type Db, type Queryable, type Tx } from '../../platform/db/index.js';
import type { AuditEntry, AuditLog } from '../../platform/audit/audit-log.js';
import type { RequestCtx } from '../../platform/auth/request-context.js';
import { facilityScope, type Keyring } from '../../platform/crypto/keyring.js';
import { AppError, ForbiddenError, NotFoundError } from '../../platform/errors/app-error.js';
import type {
  Completion,
  Consultation,
  ConsultationFile,
  ConsultationList,
  ConsultationMessage,
  ConsultationQuality,
  FacilityQualityReport,
  IceServers,
  ParticipantSide,
  PostMessageBody,
  PresenceState,
  QualityReport,
  QualityReportFacilityList,
  QualitySample,
  QualitySummary,
  Recording,
} from '../../contracts/consultation.js';
import { MessageKindSchema } from '../../contracts/consultation.js';
import type { Role } from '../../contracts/identity.js';
import * as repo from './consultation.repo.js';
import type { ConsultationGates, RequestLifecycle, RoomEvents } from './consultation.ports.js';
import { AV_SYNC_LIMIT_MS, LATENCY_LIMIT_MS, judgeSample } from './quality.js';
import { MAX_FILE_BYTES, RECORDING_CHUNK_MAX_BYTES, looksLikeWebm, mayShowInline, scanFile } from './file-scan.js';
import { readBody, type BodySource } from '../../platform/body-stream.js';
import { turnCredential } from './turn.js';

/** TURN/STUN servers offered to browsers (docs/consultation.md#calls-across-nat-coturn). */
export interface IceConfig {
  stunUrls: readonly string[];
  turnUrls: readonly string[];
  /** coturn `static-auth-secret`; without it no TURN server is offered. */
  turnSecret: string | undefined;
  turnTtlSeconds: number;
}

export interface ConsultationDeps {
  db: Db;
  clock: Clock;
  ids: IdGen;
  audit: AuditLog;
  keyring: Keyring;
  gates: ConsultationGates;
  lifecycle: RequestLifecycle;
  events: RoomEvents;
  ice: IceConfig;
}

// Request statuses in which a consultation may be opened; `completed`/`documented` keep it readable.
const OPENABLE = new Set(['accepted', 'scheduled', 'in_progress', 'completed', 'documented']);

// Tricky: timestamps come back as Date from node-postgres and as strings through some raw-SQL paths.
const asDate = (d: Date | string) => (d instanceof Date ? d : new Date(d));
const iso = (d: Date | string) => fromDate(asDate(d)).toString();
const isoOrNull = (d: Date | string | null) => (d ? iso(d) : null);

/** The facility staff who see their own facility's quality report (the supervisory agency sees any). */
const QUALITY_REPORT_STAFF: readonly Role[] = ['specialist', 'facility_admin', 'coordinator'];

/** The catalogue code for each reason an upload scan refuses a file. */
const SCAN_ERRORS = {
  empty: 'file.type_not_allowed',
  type_not_allowed: 'file.type_not_allowed',
  type_mismatch: 'file.type_mismatch',
  too_large: 'request.too_large',
  image_too_large: 'file.image_too_large',
  active_content: 'file.active_content',
} as const;

/** The one error for "finished": chat, files and calls close with the service. */
const finishedError = () => new AppError('consultation.finished');

function actorId(ctx: RequestCtx): string {
  if (ctx.actor.type !== 'user') throw new AppError('auth.unauthenticated');
  return ctx.actor.id;
}

function summaryOf(c: repo.ConsultationRow): QualitySummary {
  return {
    latencyLimitMs: LATENCY_LIMIT_MS,
    avSyncLimitMs: AV_SYNC_LIMIT_MS,
    sampleCount: c.quality_sample_count,
    latencyBreachCount: c.latency_breach_count,
    avSyncBreachCount: c.av_sync_breach_count,
    maxLatencyMs: c.max_latency_ms,
    maxAvSyncMs: c.max_av_sync_ms,
  };
}

function sampleOf(r: repo.SampleRow): QualitySample {
  return {
    accountId: r.account_id,
    measuredAt: iso(r.measured_at),
    rttMs: r.rtt_ms,
    latencyMs: r.latency_ms,
    avSyncMs: r.av_sync_ms,
    jitterMs: r.jitter_ms,
    packetLossPct: r.packet_loss_pct,
    framesPerSecond: r.frames_per_second,
    bitrateKbps: r.bitrate_kbps,
    latencyBreach: r.latency_breach,
    avSyncBreach: r.av_sync_breach,
  };
}

function recordingOf(r: repo.RecordingRow): Recording {
  return {
    id: r.id,
    media: r.media,
    status: r.status,
    contentType: r.content_type,
    sizeBytes: Number(r.size_bytes),
    startedBy: r.started_by,
    startedAt: iso(r.started_at),
    stoppedAt: isoOrNull(r.stopped_at),
  };
}

/**
 * The consultation channel: opening a consultation for a request, the waiting room and
 * admission, chat and files (encrypted with the facility's keys), store-and-forward answers, quality
 * evidence, recordings under consent and completion. Every use case checks that the actor takes part
 * (deny by default) and audits joins, messages, file and recording access in its transaction.
 * @param deps - database, clock, ids, audit, keyring, the consent gates, the request lifecycle and live events
 * @returns the service
 */
export function createConsultationService(deps: ConsultationDeps) {
  const { db, clock, ids, audit, keyring, gates, lifecycle, events } = deps;

  /** Records a refusal after the use case's transaction rolled back (STYLE C13), then rethrows. */
  async function guard<T>(ctx: RequestCtx, entry: Omit<AuditEntry, 'outcome'>, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof AppError && err.code === 'auth.forbidden') {
        await audit.recordStandalone(ctx, { ...entry, outcome: 'denied', data: { ...entry.data, code: err.code } });
      }
      throw err;
    }
  }

  /**
   * Loads the actor's participation, then the consultation. Security: authorisation before existence:
   * a consultation that does not exist and one the actor takes no part in get the same 403, so an id
   * reveals nothing to a non-participant (docs/security-input.md).
   */
  async function participantOf(q: Queryable, ctx: RequestCtx, id: string): Promise<{ c: repo.ConsultationRow; me: repo.ParticipantRow }> {
    const accountId = actorId(ctx);
    const me = await repo.findParticipant(q, id, accountId);
    const c = me ? await repo.findConsultation(q, id) : undefined;
    if (!me || !c) throw new ForbiddenError('Only the participants of a consultation may take part in it');
    return { c, me };
  }

  /** Who may add a file: a participant of an open consultation; the specialist of a store-and-forward case only once every gate holds. */
  async function fileUploadAllowed(tx: Tx, ctx: RequestCtx, id: string): Promise<{ c: repo.ConsultationRow; me: repo.ParticipantRow }> {
    const { c, me } = await participantOf(tx, ctx, id);
    if (c.status === 'finished') throw finishedError();
    // Regulatory: R-TM-10, R-TM-15, R-TM-23 — as for messages, the specialist works on a
    // store-and-forward case (files included) only once every gate holds.
    if (c.mode === 'asynchronous' && me.side === 'provider') await gates.assertServiceMayStart(tx, ctx, c.request_id);
    return { c, me };
  }

  /** Who may add a recording chunk: the participant who started the recording. */
  async function chunkUploadAllowed(tx: Tx, ctx: RequestCtx, id: string, recordingId: string): Promise<repo.ConsultationRow> {
    const { c, me } = await participantOf(tx, ctx, id);
    const rec = await repo.findRecording(tx, id, recordingId);
    if (!rec) throw new NotFoundError('recording', recordingId);
    if (rec.started_by !== me.account_id) throw new ForbiddenError('Only the person recording uploads its chunks');
    return c;
  }

  const subject = (id: string) => ({ type: 'consultation', id });
  const base = (c: repo.ConsultationRow) => ({ subject: subject(c.id), patientId: c.patient_id ?? undefined, facilityId: c.facility_id, reason: `request:${c.request_id}` });

  async function recordingAllowed(tx: Tx, ctx: RequestCtx, requestId: string): Promise<boolean> {
    try {
      // Tricky: a savepoint, so a refusal that ran SQL cannot poison the caller's transaction.
      await tx.transaction(async (sp) => {
        await gates.assertRecordingAllowed(sp, ctx, requestId, 'video');
      });
      return true;
    } catch (err) {
      if (err instanceof AppError) return false;
      throw err;
    }
  }

  async function view(tx: Tx, ctx: RequestCtx, c: repo.ConsultationRow, me: repo.ParticipantRow): Promise<Consultation> {
    const participants = await repo.listParticipants(tx, c.id);
    return {
      id: c.id,
      requestId: c.request_id,
      facilityId: c.facility_id,
      mode: c.mode,
      status: c.status,
      startedAt: isoOrNull(c.started_at),
      completedAt: isoOrNull(c.completed_at),
      mySide: me.side,
      myAccountId: me.account_id,
      participants: participants.map((p) => ({ accountId: p.account_id, side: p.side, role: p.role, admittedAt: isoOrNull(p.admitted_at), lastJoinedAt: isoOrNull(p.last_joined_at) })),
      quality: summaryOf(c),
      recordingAllowed: c.status !== 'finished' && c.mode === 'synchronous' ? await recordingAllowed(tx, ctx, c.request_id) : false,
    };
  }

  async function decryptText(ctx: RequestCtx, q: Queryable, c: repo.ConsultationRow, env: Buffer, context: string): Promise<string> {
    return (await keyring.decrypt(ctx, q, facilityScope(c.facility_id), env, context)).toString('utf8');
  }

  return {
    /**
     * Opens the consultation of a request (idempotent): its participants are the providing specialist,
     * the recipient (patient, or the other facility's specialist) and the requester.
     * @param ctx - a participant of the request
     * @param requestId - the request
     * @returns the consultation as the actor sees it
     * @throws {NotFoundError} when the request does not exist
     * @throws {ForbiddenError} when the actor is not one of its people
     * @throws {AppError} `consultation.request_not_ready` before the provider accepted the request
     */
    async openForRequest(ctx: RequestCtx, requestId: string): Promise<Consultation> {
      const accountId = actorId(ctx);
      return guard(ctx, { action: 'consultation.opened', subject: { type: 'service_request', id: requestId } }, () =>
        withTransaction(db, async (tx) => {
          const r = await repo.findRequestFacts(tx, requestId);
          // Security: authorisation before existence; an unknown request gets the same 403 as someone else's.
          if (!r) throw new ForbiddenError('Only the people of the request take part in its consultation');
          const people: [string | null, ParticipantSide][] = [
            [r.provider_account_id, 'provider'],
            [r.patient_account_id, 'recipient'],
            [r.recipient_account_id, 'recipient'],
            [r.requester_account_id, 'requester'],
          ];
          const sides = new Map<string, ParticipantSide>();
          for (const [id, side] of people) if (id && !sides.has(id)) sides.set(id, side);
          if (!sides.has(accountId)) throw new ForbiddenError('Only the people of the request take part in its consultation');
          let c = await repo.findConsultationByRequest(tx, requestId);
          if (!c) {
            if (!OPENABLE.has(r.status)) throw new AppError('consultation.request_not_ready', { meta: { status: r.status } });
            if (!r.practitioner_id || !r.provider_account_id) throw new AppError('consultation.request_not_ready', { meta: { status: r.status } });
            const now = toDate(clock.now());
            await repo.insertConsultation(tx, { id: ids.uuid(), requestId, facilityId: r.provider_facility_id, patientId: r.patient_id, practitionerId: r.practitioner_id, mode: r.mode, now });
            c = await repo.findConsultationByRequest(tx, requestId);
            if (!c) throw new AppError('internal');
            for (const [id, side] of sides) await repo.insertParticipant(tx, c.id, id, side);
            await audit.record(tx, ctx, { action: 'consultation.opened', ...base(c), data: { mode: c.mode, participants: sides.size } });
          }
          const me = await repo.findParticipant(tx, c.id, accountId);
          if (!me) throw new ForbiddenError('Only the participants of a consultation may take part in it');
          return view(tx, ctx, c, me);
        }),
      );
    },

    /**
     * The consultation as the actor sees it.
     * @throws {ForbiddenError} for non-participants
     */
    async getConsultation(ctx: RequestCtx, id: string): Promise<Consultation> {
      return guard(ctx, { action: 'consultation.viewed', subject: subject(id) }, () =>
        withTransaction(db, async (tx) => {
          const { c, me } = await participantOf(tx, ctx, id);
          return view(tx, ctx, c, me);
        }),
      );
    },

    /** The actor's consultations, newest first. */
    async listMine(ctx: RequestCtx): Promise<ConsultationList> {
      const accountId = actorId(ctx);
      const list = await repo.listMine(db, accountId);
      return { items: list.map((r) => ({ id: r.id, requestId: r.request_id, mode: r.mode, status: r.status, mySide: r.side, createdAt: iso(r.created_at) })) };
    },

    /**
     * A signalling connection joins: the providing specialist goes straight into the call; others wait
     * until admitted, and an admitted participant who reconnects goes back in after the gates pass again.
     * @param ctx - the upgrade request's context
     * @param id - the consultation
     * @returns the side and where the connection starts
     * @throws {AppError} `consultation.finished`, `consultation.wrong_mode`, the gates' codes; 403 for others
     */
    async joinSignalling(ctx: RequestCtx, id: string): Promise<{ side: ParticipantSide; state: PresenceState; accountId: string; facilityId: string }> {
      return guard(ctx, { action: 'consultation.joined', subject: subject(id) }, () =>
        withTransaction(db, async (tx) => {
          const { c, me } = await participantOf(tx, ctx, id);
          if (c.status === 'finished') throw finishedError();
          if (c.mode !== 'synchronous') throw new AppError('consultation.wrong_mode');
          let state: PresenceState = 'waiting';
          if (me.side === 'provider') state = 'in-call';
          else if (me.admitted_at) {
            // Regulatory: the gates are checked on every entry into the call, not only at admission.
            await gates.assertServiceMayStart(tx, ctx, c.request_id);
            state = 'in-call';
          }
          await repo.markJoined(tx, c.id, me.account_id, toDate(clock.now()));
          await audit.record(tx, ctx, { action: 'consultation.joined', ...base(c), data: { side: me.side, state } });
          return { side: me.side, state, accountId: me.account_id, facilityId: c.facility_id };
        }),
      );
    },

    /**
     * A participant opens the live channel of a consultation outside a call (or on a store-and-forward
     * case): new messages and file notices are pushed to it. The same check as reading the messages
     * (participants only), audited once per channel; the pushed content is what `listMessages` and
     * `listFiles` return to the same person.
     * @param ctx - the upgrade request's context
     * @param id - the consultation
     * @returns who is watching, from which side
     * @throws {AppError} `consultation.finished` (nothing more can arrive); 403 for non-participants
     */
    async watchChat(ctx: RequestCtx, id: string): Promise<{ side: ParticipantSide; accountId: string }> {
      return guard(ctx, { action: 'consultation.chat_watched', subject: subject(id) }, () =>
        withTransaction(db, async (tx) => {
          const { c, me } = await participantOf(tx, ctx, id);
          if (c.status === 'finished') throw finishedError();
          await audit.record(tx, ctx, { action: 'consultation.chat_watched', ...base(c), data: { side: me.side } });
          return { side: me.side, accountId: me.account_id };
        }),
      );
    },

    /**
     * The providing specialist admits a participant from the waiting room. The consent module's
     * gates must pass; the first admission starts the service (request → in_progress).
     * @throws {ForbiddenError} unless the actor is the providing specialist
     * @throws {AppError} `consultation.finished`, the gates' codes
     */
    async admit(ctx: RequestCtx, id: string, accountId: string): Promise<Consultation> {
      const entry = { action: 'consultation.admitted' as const, subject: subject(id) };
      // Regulatory: consent, identity and admissibility are checked before the request is started
      // (R-TM-23, R-TM-15), then again in the admitting transaction.
      const pre = await guard(ctx, entry, () =>
        withTransaction(db, async (tx) => {
          const { c, me } = await participantOf(tx, ctx, id);
          if (me.side !== 'provider') throw new ForbiddenError('Only the providing specialist admits participants');
          if (c.status === 'finished') throw finishedError();
          if (c.mode !== 'synchronous') throw new AppError('consultation.wrong_mode');
          if (!(await repo.findParticipant(tx, id, accountId))) throw new NotFoundError('participant', accountId);
          await gates.assertServiceMayStart(tx, ctx, c.request_id);
          return c;
        }),
      );
      // The requests service owns its transaction: the request is started first, so a consultation in
      // progress always has a request in progress.
      if (pre.status === 'planned') await lifecycle.startService(ctx, pre.request_id);
      const result = await guard(ctx, entry, () =>
        withTransaction(db, async (tx) => {
          const { c, me } = await participantOf(tx, ctx, id);
          if (c.status === 'finished') throw finishedError();
          const target = await repo.findParticipant(tx, id, accountId);
          if (!target) throw new NotFoundError('participant', accountId);
          await gates.assertServiceMayStart(tx, ctx, c.request_id);
          const now = clock.now();
          await repo.admitParticipant(tx, id, accountId, me.account_id, toDate(now));
          await repo.markStarted(tx, id, toDate(now));
          await audit.record(tx, ctx, { action: 'consultation.admitted', ...base(c), data: { side: target.side } });
          const fresh = await repo.findConsultation(tx, id);
          return view(tx, ctx, fresh ?? c, me);
        }),
      );
      await events.publish(id, { kind: 'admitted', accountId });
      return result;
    },

    /**
     * Posts a chat message, a case description (recipient side, store and forward) or a written answer
     * (providing specialist); stored encrypted and pushed to connected participants.
     * @throws {AppError} `consultation.finished`; 403 for a wrong side or non-participants
     */
    async postMessage(ctx: RequestCtx, id: string, body: PostMessageBody): Promise<ConsultationMessage> {
      const kind = MessageKindSchema.parse(body.kind ?? 'chat');
      const message = await guard(ctx, { action: 'consultation.message_posted', subject: subject(id) }, () =>
        withTransaction(db, async (tx) => {
          const { c, me } = await participantOf(tx, ctx, id);
          if (c.status === 'finished') throw finishedError();
          if (kind === 'answer' && me.side !== 'provider') throw new ForbiddenError('Only the providing specialist answers the case');
          // Regulatory: R-TM-10, R-TM-15, R-TM-23 — the specialist works on a store-and-forward case
          // only with the accept, a verified identity and the consent on file.
          if (c.mode === 'asynchronous' && me.side === 'provider') await gates.assertServiceMayStart(tx, ctx, c.request_id);
          if (kind === 'case' && me.side === 'provider') throw new ForbiddenError('The case is described by the recipient side');
          if (body.fileId && !(await repo.findFile(tx, id, body.fileId))) throw new NotFoundError('file', body.fileId);
          const mid = ids.uuid();
          const now = clock.now();
          const enc = await keyring.encrypt(tx, facilityScope(c.facility_id), body.text, `consultation:${id}:message:${mid}`);
          await repo.insertMessage(tx, { id: mid, consultationId: id, sender: me.account_id, kind, bodyEnc: enc, fileId: body.fileId ?? null, now: toDate(now) });
          await audit.record(tx, ctx, { action: 'consultation.message_posted', ...base(c), data: { kind, withFile: Boolean(body.fileId) } });
          return { id: mid, kind, senderAccountId: me.account_id, senderSide: me.side, text: body.text, fileId: body.fileId ?? null, createdAt: now.toString() } satisfies ConsultationMessage;
        }),
      );
      await events.publish(id, { kind: 'message', message });
      return message;
    },

    /** The consultation's messages, decrypted for a participant; the read is audited. */
    async listMessages(ctx: RequestCtx, id: string): Promise<{ items: ConsultationMessage[] }> {
      return guard(ctx, { action: 'consultation.messages_read', subject: subject(id) }, () =>
        withTransaction(db, async (tx) => {
          const { c } = await participantOf(tx, ctx, id);
          const list = await repo.listMessages(tx, id);
          const items: ConsultationMessage[] = [];
          for (const m of list) {
            items.push({
              id: m.id,
              kind: m.kind,
              senderAccountId: m.sender_account_id,
              senderSide: m.sender_side,
              text: await decryptText(ctx, tx, c, m.body_enc, `consultation:${id}:message:${m.id}`),
              fileId: m.file_id,
              createdAt: iso(m.created_at),
            });
          }
          await audit.record(tx, ctx, { action: 'consultation.messages_read', ...base(c), data: { count: items.length } });
          return { items };
        }),
      );
    },

    /**
     * Stores a file after scanning its magic bytes, size, image header and PDF actions; encrypted with
     * the facility's key. Security: the body is read only after the caller was authorised, then checked
     * again with the write (docs/security-input.md).
     * @param name - the file name shown to participants (encrypted too)
     * @param declaredType - the Content-Type the client declared
     * @param body - the unread body (read here, at most the largest file limit)
     * @throws {AppError} `file.type_not_allowed`, `file.type_mismatch`, `file.image_too_large`, `file.active_content`, `request.too_large`, `consultation.finished`
     */
    async uploadFile(ctx: RequestCtx, id: string, input: { name: string; declaredType: string | undefined; declaredLength?: string; body: BodySource | undefined }): Promise<ConsultationFile> {
      const entry = { action: 'consultation.file_uploaded' as const, subject: subject(id) };
      await guard(ctx, entry, () => withTransaction(db, (tx) => fileUploadAllowed(tx, ctx, id)));
      const bytes = await readBody(input.body, MAX_FILE_BYTES, input.declaredLength);
      const file = await guard(ctx, entry, () =>
        withTransaction(db, async (tx) => {
          const { c, me } = await fileUploadAllowed(tx, ctx, id);
          const scan = scanFile(bytes, input.declaredType);
          if (!scan.ok) throw new AppError(SCAN_ERRORS[scan.reason], { meta: { detected: scan.detected } });
          const fid = ids.uuid();
          const now = clock.now();
          const scope = facilityScope(c.facility_id);
          const nameEnc = await keyring.encrypt(tx, scope, input.name, `consultation:${id}:file:${fid}:name`);
          const contentEnc = await keyring.encrypt(tx, scope, bytes, `consultation:${id}:file:${fid}:content`);
          await repo.insertFile(tx, { id: fid, consultationId: id, uploadedBy: me.account_id, nameEnc, contentType: scan.type, sizeBytes: bytes.length, contentEnc, now: toDate(now) });
          await audit.record(tx, ctx, { action: 'consultation.file_uploaded', ...base(c), data: { contentType: scan.type, sizeBytes: bytes.length, fileId: fid } });
          return { id: fid, name: input.name, contentType: scan.type, sizeBytes: bytes.length, uploadedBy: me.account_id, uploaderSide: me.side, createdAt: now.toString() } satisfies ConsultationFile;
        }),
      );
      await events.publish(id, { kind: 'file', file });
      return file;
    },

    /** The consultation's files (names decrypted); the read is audited. */
    async listFiles(ctx: RequestCtx, id: string): Promise<{ items: ConsultationFile[] }> {
      return guard(ctx, { action: 'consultation.files_listed', subject: subject(id) }, () =>
        withTransaction(db, async (tx) => {
          const { c } = await participantOf(tx, ctx, id);
          const list = await repo.listFiles(tx, id);
          const items: ConsultationFile[] = [];
          for (const f of list) {
            items.push({
              id: f.id,
              name: await decryptText(ctx, tx, c, f.name_enc, `consultation:${id}:file:${f.id}:name`),
              contentType: f.content_type,
              sizeBytes: f.size_bytes,
              uploadedBy: f.uploaded_by,
              uploaderSide: f.uploader_side,
              createdAt: iso(f.created_at),
            });
          }
          await audit.record(tx, ctx, { action: 'consultation.files_listed', ...base(c), data: { count: items.length } });
          return { items };
        }),
      );
    },

    /**
     * Downloads a file: participants only, every access audited.
     * @returns the bytes, detected type, name and whether it may be shown inline (file-scan.ts `mayShowInline`)
     */
    async downloadFile(ctx: RequestCtx, id: string, fileId: string): Promise<{ name: string; contentType: string; bytes: Buffer; inline: boolean }> {
      return guard(ctx, { action: 'consultation.file_downloaded', subject: subject(id), data: { fileId } }, () =>
        withTransaction(db, async (tx) => {
          const { c } = await participantOf(tx, ctx, id);
          const f = await repo.findFile(tx, id, fileId);
          if (!f) throw new NotFoundError('file', fileId);
          const scope = facilityScope(c.facility_id);
          const name = await decryptText(ctx, tx, c, f.name_enc, `consultation:${id}:file:${f.id}:name`);
          const bytes = await keyring.decrypt(ctx, tx, scope, f.content_enc, `consultation:${id}:file:${f.id}:content`);
          await audit.record(tx, ctx, { action: 'consultation.file_downloaded', ...base(c), data: { fileId, contentType: f.content_type } });
          return { name, contentType: f.content_type, bytes, inline: mayShowInline(f.content_type, bytes) };
        }),
      );
    },

    /**
     * Stores one browser statistics report and flags breaches of 50 ms / 150 ms (Art. 28(1) items 8-9).
     * Figures are not patient data: no audit row per sample (several per minute), the breaches are on
     * the consultation and in the facility report.
     * @returns the judged sample, which is pushed to the room for the specialist's indicator
     */
    async recordQuality(ctx: RequestCtx, id: string, report: QualityReport): Promise<QualitySample> {
      const sample = await withTransaction(db, async (tx) => {
        const { c, me } = await participantOf(tx, ctx, id);
        if (c.status === 'finished') throw finishedError();
        const judged = judgeSample(report);
        const now = clock.now();
        await repo.insertSample(tx, { id: ids.uuid(), consultationId: id, accountId: me.account_id, at: toDate(now), sample: judged });
        return {
          accountId: me.account_id,
          measuredAt: now.toString(),
          rttMs: judged.rttMs,
          latencyMs: judged.latencyMs,
          avSyncMs: judged.avSyncMs,
          jitterMs: judged.jitterMs,
          packetLossPct: judged.packetLossPct,
          framesPerSecond: judged.framesPerSecond,
          bitrateKbps: judged.bitrateKbps,
          latencyBreach: judged.latencyBreach,
          avSyncBreach: judged.avSyncBreach,
        } satisfies QualitySample;
      });
      await events.publish(id, { kind: 'quality', accountId: sample.accountId, sample });
      return sample;
    },

    /** The quality evidence of one consultation (summary and latest samples), for its participants. */
    async getQuality(ctx: RequestCtx, id: string): Promise<ConsultationQuality> {
      return guard(ctx, { action: 'consultation.viewed', subject: subject(id) }, async () => {
        const { c } = await participantOf(db, ctx, id);
        const samples = await repo.listSamples(db, id);
        return { summary: summaryOf(c), samples: samples.map(sampleOf) };
      });
    },

    /**
     * The facility quality report for a period: samples, breaches, p95 figures and the flagged consultations.
     * @throws {ForbiddenError} unless the actor works for the facility or is the supervisory agency
     */
    async facilityQualityReport(ctx: RequestCtx, facilityId: string, from: string, to: string): Promise<FacilityQualityReport> {
      const actor = ctx.actor;
      if (actor.type !== 'user') throw new AppError('auth.unauthenticated');
      const staff = QUALITY_REPORT_STAFF.includes(actor.role) && actor.facilityIds.includes(facilityId);
      if (!staff && actor.role !== 'supervisor') {
        await audit.recordStandalone(ctx, { action: 'consultation.quality_report_viewed', outcome: 'denied', facilityId, subject: { type: 'facility', id: facilityId } });
        throw new ForbiddenError('Only the facility and the supervisory agency see its quality report');
      }
      const f = Temporal.Instant.from(from);
      const t = Temporal.Instant.from(to);
      if (Temporal.Instant.compare(f, t) >= 0) throw new AppError('request.invalid', { errors: [{ in: 'query', pointer: '#/to', detail: 'to must be after from' }] });
      return withTransaction(db, async (tx) => {
        const totals = await repo.facilityQuality(tx, facilityId, toDate(f), toDate(t));
        if (!totals) throw new NotFoundError('facility', facilityId);
        const flagged = await repo.flaggedConsultations(tx, facilityId, toDate(f), toDate(t));
        await audit.record(tx, ctx, { action: 'consultation.quality_report_viewed', facilityId, subject: { type: 'facility', id: facilityId }, data: { from, to } });
        return {
          facilityId,
          facilityName: totals.facility_name,
          from,
          to,
          latencyLimitMs: LATENCY_LIMIT_MS,
          avSyncLimitMs: AV_SYNC_LIMIT_MS,
          consultations: totals.consultations,
          samples: totals.samples,
          latencyBreaches: totals.latency_breaches,
          avSyncBreaches: totals.av_sync_breaches,
          p95LatencyMs: totals.p95_latency_ms,
          p95AvSyncMs: totals.p95_av_sync_ms,
          flagged: flagged.map((r) => ({ consultationId: r.id, latencyBreaches: r.latency_breaches, avSyncBreaches: r.av_sync_breaches, maxLatencyMs: r.max_latency_ms, maxAvSyncMs: r.max_av_sync_ms })),
        };
      });
    },

    /**
     * The facilities whose quality report the caller may open as their staff, with names (one query).
     * The supervisory agency opens any facility's report by id and is offered none here.
     * @returns the facilities, by name
     */
    async qualityReportFacilities(ctx: RequestCtx): Promise<QualityReportFacilityList> {
      const actor = ctx.actor;
      if (actor.type !== 'user') throw new AppError('auth.unauthenticated');
      const ids = QUALITY_REPORT_STAFF.includes(actor.role) ? actor.facilityIds : [];
      return { items: await repo.facilityNames(db, ids) };
    },

    /**
     * ICE servers for a participant: STUN, and TURN with a short-lived credential (TURN REST API
     * scheme, coturn `use-auth-secret`).
     */
    async iceServers(ctx: RequestCtx, id: string): Promise<IceServers> {
      const { me } = await participantOf(db, ctx, id);
      const list: IceServers['iceServers'] = [];
      if (deps.ice.stunUrls.length > 0) list.push({ urls: [...deps.ice.stunUrls] });
      let expiresAt: string | null = null;
      if (deps.ice.turnSecret && deps.ice.turnUrls.length > 0) {
        const now = clock.now();
        const cred = turnCredential(deps.ice.turnSecret, me.account_id, Math.floor(now.epochMilliseconds / 1000), deps.ice.turnTtlSeconds);
        list.push({ urls: [...deps.ice.turnUrls], username: cred.username, credential: cred.credential });
        expiresAt = Temporal.Instant.fromEpochMilliseconds(cred.expiresAt * 1000).toString();
      }
      return { iceServers: list, expiresAt };
    },

    /**
     * Starts a browser recording. Regulatory: only with a valid recording consent (Art. 19, R-TM-25,
     * docs/decisions.md#d6); the consent module's gate decides.
     * @throws {AppError} the gate's codes; `consultation.recording_running` when one already runs
     */
    async startRecording(ctx: RequestCtx, id: string, media: 'audio' | 'video' | 'screen'): Promise<Recording> {
      const rec = await guard(ctx, { action: 'recording.started', subject: subject(id), data: { media } }, () =>
        withTransaction(db, async (tx) => {
          const { c, me } = await participantOf(tx, ctx, id);
          if (c.status === 'finished') throw finishedError();
          if (c.mode !== 'synchronous') throw new AppError('consultation.wrong_mode');
          const { consentId } = await gates.assertRecordingAllowed(tx, ctx, c.request_id, media);
          const rid = ids.uuid();
          const now = toDate(clock.now());
          try {
            await tx.transaction(async (sp) => repo.insertRecording(sp, { id: rid, consultationId: id, startedBy: me.account_id, consentId, media, contentType: media === 'audio' ? 'audio/webm' : 'video/webm', now }));
          } catch (err) {
            if ((err as { code?: string }).code === '23505' || (err as { cause?: { code?: string } }).cause?.code === '23505') throw new AppError('consultation.recording_running');
            throw err;
          }
          await audit.record(tx, ctx, { action: 'recording.started', ...base(c), data: { media, recordingId: rid, consentId } });
          const row = await repo.findRecording(tx, id, rid);
          if (!row) throw new AppError('internal');
          return recordingOf(row);
        }),
      );
      await events.publish(id, { kind: 'recording', recordingId: rec.id, status: 'recording' });
      return rec;
    },

    /**
     * Appends an encrypted chunk from MediaRecorder; refused once the recording stopped or the consent
     * was withdrawn (the browser stops at once on the `recording` event). Security: the body is read
     * only after the caller was authorised (docs/security-input.md).
     * @param body - the unread chunk (read here, at most `RECORDING_CHUNK_MAX_BYTES`)
     * @throws {AppError} `consultation.recording_stopped`
     */
    async appendRecordingChunk(ctx: RequestCtx, id: string, recordingId: string, seq: number, body: BodySource | undefined, declaredLength?: string): Promise<{ seq: number }> {
      const entry = { action: 'recording.chunk_stored' as const, subject: subject(id), data: { recordingId } };
      await guard(ctx, entry, () => withTransaction(db, (tx) => chunkUploadAllowed(tx, ctx, id, recordingId)));
      const bytes = await readBody(body, RECORDING_CHUNK_MAX_BYTES, declaredLength);
      if (bytes.length === 0) throw new AppError('request.invalid', { detail: 'The chunk is empty' });
      if (seq === 0 && !looksLikeWebm(bytes)) throw new AppError('file.type_not_allowed');
      return guard(ctx, entry, () =>
        withTransaction(db, async (tx) => {
          const c = await chunkUploadAllowed(tx, ctx, id, recordingId);
          const enc = await keyring.encrypt(tx, facilityScope(c.facility_id), bytes, `consultation:${id}:recording:${recordingId}:${seq}`);
          if (!(await repo.appendChunk(tx, recordingId, seq, enc, bytes.length, toDate(clock.now())))) throw new AppError('consultation.recording_stopped');
          await audit.record(tx, ctx, { action: 'recording.chunk_stored', ...base(c), data: { recordingId, seq, sizeBytes: bytes.length } });
          return { seq };
        }),
      );
    },

    /** Stops a recording (the person recording, or the providing specialist). */
    async stopRecording(ctx: RequestCtx, id: string, recordingId: string): Promise<Recording> {
      const rec = await guard(ctx, { action: 'recording.stopped', subject: subject(id), data: { recordingId } }, () =>
        withTransaction(db, async (tx) => {
          const { c, me } = await participantOf(tx, ctx, id);
          const found = await repo.findRecording(tx, id, recordingId);
          if (!found) throw new NotFoundError('recording', recordingId);
          if (found.started_by !== me.account_id && me.side !== 'provider') throw new ForbiddenError('Only the person recording or the specialist stops it');
          const stopped = await repo.stopRecording(tx, recordingId, 'stopped', toDate(clock.now()));
          if (!stopped) return recordingOf(found);
          await audit.record(tx, ctx, { action: 'recording.stopped', ...base(c), data: { recordingId, chunks: stopped.chunk_count } });
          return recordingOf(stopped);
        }),
      );
      await events.publish(id, { kind: 'recording', recordingId: rec.id, status: rec.status });
      return rec;
    },

    /**
     * Regulatory: the recording consent of a request was withdrawn (Art. 19, docs/decisions.md#d6):
     * every running recording of its consultation stops at once and no further chunk is accepted.
     * Called by the consent module's notification.
     * @param ctx - whoever withdrew (or the system actor of the notification)
     * @param requestId - the request whose consent was withdrawn
     * @returns the recordings that were stopped
     */
    async handleRecordingConsentWithdrawn(ctx: RequestCtx, requestId: string): Promise<{ stopped: string[] }> {
      const result = await withTransaction(db, async (tx) => {
        const c = await repo.findConsultationByRequest(tx, requestId);
        if (!c) return { c: undefined, stopped: [] as repo.RecordingRow[] };
        const stopped = await repo.stopLiveRecordings(tx, c.id, 'withdrawn', toDate(clock.now()));
        for (const r of stopped) await audit.record(tx, ctx, { action: 'recording.withdrawn', ...base(c), data: { recordingId: r.id } });
        return { c, stopped };
      });
      if (result.c) for (const r of result.stopped) await events.publish(result.c.id, { kind: 'recording', recordingId: r.id, status: 'withdrawn' });
      return { stopped: result.stopped.map((r) => r.id) };
    },

    /** Recordings of a consultation: participants only; the listing is audited. */
    async listRecordings(ctx: RequestCtx, id: string): Promise<{ items: Recording[] }> {
      return guard(ctx, { action: 'recording.listed', subject: subject(id) }, () =>
        withTransaction(db, async (tx) => {
          const { c } = await participantOf(tx, ctx, id);
          const list = await repo.listRecordings(tx, id);
          await audit.record(tx, ctx, { action: 'recording.listed', ...base(c), data: { count: list.length } });
          return { items: list.map(recordingOf) };
        }),
      );
    },

    /** Downloads a recording (decrypted chunks in order): participants only, every access audited. */
    async downloadRecording(ctx: RequestCtx, id: string, recordingId: string): Promise<{ contentType: string; bytes: Buffer }> {
      return guard(ctx, { action: 'recording.accessed', subject: subject(id), data: { recordingId } }, () =>
        withTransaction(db, async (tx) => {
          const { c } = await participantOf(tx, ctx, id);
          const rec = await repo.findRecording(tx, id, recordingId);
          if (!rec) throw new NotFoundError('recording', recordingId);
          const chunks = await repo.listChunks(tx, recordingId);
          const parts: Buffer[] = [];
          for (const ch of chunks) parts.push(await keyring.decrypt(ctx, tx, facilityScope(c.facility_id), ch.content_enc, `consultation:${id}:recording:${recordingId}:${ch.seq}`));
          await audit.record(tx, ctx, { action: 'recording.accessed', ...base(c), data: { recordingId, chunks: chunks.length } });
          return { contentType: rec.content_type, bytes: Buffer.concat(parts) };
        }),
      );
    },

    /**
     * The providing specialist ends the service: the consultation finishes, running recordings stop and
     * the request is completed at this instant (Art. 17(2): the documentation deadline starts; R-TM-39).
     * @throws {ForbiddenError} unless the actor is the providing specialist
     * @throws {AppError} `consultation.finished` when it already ended
     */
    async complete(ctx: RequestCtx, id: string): Promise<Completion> {
      const entry = { action: 'consultation.completed' as const, subject: subject(id) };
      const pre = await guard(ctx, entry, () =>
        withTransaction(db, async (tx) => {
          const { c, me } = await participantOf(tx, ctx, id);
          if (me.side !== 'provider') throw new ForbiddenError('Only the providing specialist completes the service');
          if (c.status === 'finished') throw finishedError();
          return c;
        }),
      );
      // The request moves first (its own transaction); a store-and-forward case, or a call the recipient
      // never entered, is started and completed at once.
      if (pre.status === 'planned') await lifecycle.startService(ctx, pre.request_id);
      await lifecycle.completeService(ctx, pre.request_id);
      const done = await guard(ctx, entry, () =>
        withTransaction(db, async (tx) => {
          const { c, me } = await participantOf(tx, ctx, id);
          const now = clock.now();
          const fin = await repo.markFinished(tx, id, me.account_id, toDate(now));
          if (!fin) throw finishedError();
          const stopped = await repo.stopLiveRecordings(tx, id, 'stopped', toDate(now));
          await audit.record(tx, ctx, { action: 'consultation.completed', ...base(c), data: { from: fin.from, recordingsStopped: stopped.length } });
          return { id, status: 'finished' as const, completedAt: now.toString(), stopped };
        }),
      );
      for (const r of done.stopped) await events.publish(id, { kind: 'recording', recordingId: r.id, status: 'stopped' });
      await events.publish(id, { kind: 'finished', completedAt: done.completedAt });
      return { id: done.id, status: done.status, completedAt: done.completedAt };
    },

    /**
     * When the service was completed (the Art. 17 documentation deadline runs from it).
     * @param q - the caller's transaction
     * @param requestId - the request
     * @returns the completion instant, or null while it runs
     */
    async completionOf(q: Queryable, requestId: string): Promise<Temporal.Instant | null> {
      const c = await repo.findConsultationByRequest(q, requestId);
      return c?.completed_at ? fromDate(asDate(c.completed_at)) : null;
    },
  };
}

export type ConsultationService = ReturnType<typeof createConsultationService>;

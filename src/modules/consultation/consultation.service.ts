import { Temporal } from 'temporal-polyfill';
import { toDate, fromDate, type Clock } from '../../platform/clock.js';
import type { IdGen } from '../../platform/ids.js';
import { withTransaction, type Db, type Queryable, type Tx } from '../../platform/db/index.js';
import type { AuditLog } from '../../platform/audit/audit-log.js';
import type { RequestCtx } from '../../platform/auth/request-context.js';
import { facilityScope, type Keyring } from '../../platform/crypto/keyring.js';
import { AppError, ForbiddenError, NotFoundError } from '../../platform/errors/app-error.js';
import type {
  Completion,
  Consultation,
  ConsultationList,
  ConsultationMessage,
  IceServers,
  ParticipantSide,
  PostMessageBody,
  PresenceState,
} from '../../contracts/consultation.js';
import { MessageKindSchema } from '../../contracts/consultation.js';
import { findRequestFacts } from './request-facts.js';
import * as repo from './consultation.repo.js';
import { actorId, asDate, createConsultationAccess, finishedError, iso, isoOrNull } from './consultation-access.service.js';
import { createConsultationFiles } from './consultation-files.service.js';
import { createConsultationQuality, summaryOf } from './consultation-quality.service.js';
import { createConsultationRecordings } from './consultation-recordings.service.js';
import type { ConsultationGates, RequestLifecycle, RoomEvents } from './consultation.ports.js';
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
  const access = createConsultationAccess(deps);
  const { guard, participantOf, subject, base, decryptText } = access;

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
          const r = await findRequestFacts(tx, requestId);
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

    ...createConsultationQuality(deps, access),
    ...createConsultationFiles(deps, access),
    ...createConsultationRecordings(deps, access),
  };
}

export type ConsultationService = ReturnType<typeof createConsultationService>;

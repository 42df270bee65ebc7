import { toDate } from '../../platform/clock.js';
import { withTransaction, type Tx } from '../../platform/db/index.js';
import type { RequestCtx } from '../../platform/auth/request-context.js';
import { facilityScope } from '../../platform/crypto/keyring.js';
import { AppError, ForbiddenError, NotFoundError } from '../../platform/errors/app-error.js';
import { readBody, type BodySource } from '../../platform/body-stream.js';
import type { Recording } from '../../contracts/consultation.js';
import * as repo from './consultation.repo.js';
import { finishedError, iso, isoOrNull, type ConsultationAccess } from './consultation-access.service.js';
import type { ConsultationDeps } from './consultation.service.js';
import { RECORDING_CHUNK_MAX_BYTES, looksLikeWebm } from './file-scan.js';

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
 * Recordings of a consultation under the recording consent (Art. 19): start, chunks (read after
 * authorisation, docs/security-input.md), stop, stop on withdrawal, list and download; audited.
 * @param deps - the consultation's dependencies
 * @param access - the shared participation checks
 * @returns the recording use cases
 */
export function createConsultationRecordings(deps: ConsultationDeps, access: ConsultationAccess) {
  const { db, clock, ids, audit, keyring, gates, events } = deps;
  const { guard, participantOf, subject, base } = access;

  /** Who may add a recording chunk: the participant who started the recording. */
  async function chunkUploadAllowed(tx: Tx, ctx: RequestCtx, id: string, recordingId: string): Promise<repo.ConsultationRow> {
    const { c, me } = await participantOf(tx, ctx, id);
    const rec = await repo.findRecording(tx, id, recordingId);
    if (!rec) throw new NotFoundError('recording', recordingId);
    if (rec.started_by !== me.account_id) throw new ForbiddenError('Only the person recording uploads its chunks');
    return c;
  }

  return {
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
  };
}

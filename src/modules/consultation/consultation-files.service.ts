import { toDate } from '../../platform/clock.js';
import { withTransaction, type Tx } from '../../platform/db/index.js';
import type { RequestCtx } from '../../platform/auth/request-context.js';
import { facilityScope } from '../../platform/crypto/keyring.js';
import { AppError, NotFoundError } from '../../platform/errors/app-error.js';
import { readBody, type BodySource } from '../../platform/body-stream.js';
import type { ConsultationFile } from '../../contracts/consultation.js';
import * as repo from './consultation.repo.js';
import { finishedError, iso, type ConsultationAccess } from './consultation-access.service.js';
import type { ConsultationDeps } from './consultation.service.js';
import { MAX_FILE_BYTES, mayShowInline, scanFile } from './file-scan.js';

/** The catalogue code for each reason an upload scan refuses a file. */
const SCAN_ERRORS = {
  empty: 'file.type_not_allowed',
  type_not_allowed: 'file.type_not_allowed',
  type_mismatch: 'file.type_mismatch',
  too_large: 'request.too_large',
  image_too_large: 'file.image_too_large',
  active_content: 'file.active_content',
} as const;

/**
 * Files of a consultation: upload after a scan of the bytes (docs/security-input.md), list and
 * download, encrypted with the facility's keys, participants only, every access audited.
 * @param deps - the consultation's dependencies
 * @param access - the shared participation checks
 * @returns the file use cases
 */
export function createConsultationFiles(deps: ConsultationDeps, access: ConsultationAccess) {
  const { db, clock, ids, audit, keyring, gates, events } = deps;
  const { guard, participantOf, subject, base, decryptText } = access;

  /** Who may add a file: a participant of an open consultation; the specialist of a store-and-forward case only once every gate holds. */
  async function fileUploadAllowed(tx: Tx, ctx: RequestCtx, id: string): Promise<{ c: repo.ConsultationRow; me: repo.ParticipantRow }> {
    const { c, me } = await participantOf(tx, ctx, id);
    if (c.status === 'finished') throw finishedError();
    // Regulatory: R-TM-10, R-TM-15, R-TM-23 — as for messages, the specialist works on a
    // store-and-forward case (files included) only once every gate holds.
    if (c.mode === 'asynchronous' && me.side === 'provider') await gates.assertServiceMayStart(tx, ctx, c.request_id);
    return { c, me };
  }

  return {
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
  };
}

import { toDate } from '../../platform/clock.js';
import { withTransaction } from '../../platform/db/index.js';
import { facilityScope } from '../../platform/crypto/keyring.js';
import type { RequestCtx } from '../../platform/auth/request-context.js';
import { AppError, InvalidTransitionError, NotFoundError } from '../../platform/errors/app-error.js';
import type { AttachmentBody, AttachmentMeta } from '../../contracts/requests.js';
import { looksLikePlainText, sniffFileType } from '../../contracts/file-types.js';
import * as repo from './requests.repo.js';
import { attachmentContext, invalid, iso, MAX_ATTACHMENT_BYTES, type RequestsDeps } from './request-common.js';
import type { RequestViews } from './request-view.js';

const CLOSED_TO_ATTACHMENTS: readonly string[] = ['completed', 'documented', 'cancelled', 'declined', 'noshow'];

/**
 * Documents and images attached to a request, encrypted with the providing facility's key.
 * @param deps - the requests dependencies
 * @param views - the shared viewer helpers
 * @returns addAttachment, getAttachment
 */
export function createRequestAttachments(deps: RequestsDeps, views: RequestViews) {
  const { db, clock, ids, keyring, audit } = deps;
  const { loadVisible } = views;

  return {
    /**
     * Checks, before any byte of the upload is read, that the caller may attach to this request: the
     * same check `addAttachment` repeats in its transaction (docs/security-input.md: no body above 1 MB
     * is read before the caller is authorised for the route).
     * @param ctx - the caller
     * @param id - the request
     * @throws {NotFoundError} a request the caller has nothing to do with (its existence is not revealed)
     * @throws {InvalidTransitionError} a request that no longer takes attachments
     */
    async authoriseAttachment(ctx: RequestCtx, id: string): Promise<void> {
      const { row } = await loadVisible(db, ctx, id);
      if (CLOSED_TO_ATTACHMENTS.includes(row.status)) throw new InvalidTransitionError(row.status, 'attachment');
    },

    /**
     * Adds a document or image to a request, encrypted with the providing facility's key.
     * @param ctx - the requester side, before the service is completed
     * @param id - the request
     * @param body - name, type, base64 content (≤ 5 MB)
     * @returns the attachment's metadata
     */
    async addAttachment(ctx: RequestCtx, id: string, body: AttachmentBody): Promise<AttachmentMeta> {
      const content = Buffer.from(body.dataBase64, 'base64');
      if (content.length === 0) throw invalid('#/dataBase64', 'empty');
      if (content.length > MAX_ATTACHMENT_BYTES) throw new AppError('request.too_large', { detail: 'At most 5 MB per file' });
      // Security: the bytes must be what the client says they are; the file is served back with that type.
      const isText = body.contentType === 'text/plain' ? looksLikePlainText(content) : sniffFileType(content) === body.contentType;
      if (!isText) throw new AppError('file.type_mismatch', { detail: `The content is not ${body.contentType}` });
      return withTransaction(db, async (tx) => {
        const { row, viewer, actor } = await loadVisible(tx, ctx, id);
        if (CLOSED_TO_ATTACHMENTS.includes(row.status)) throw new InvalidTransitionError(row.status, 'attachment');
        const attachmentId = ids.uuid();
        const scope = facilityScope(row.provider_facility_id);
        const now = toDate(clock.now());
        await repo.insertAttachment(tx, {
          id: attachmentId,
          requestId: id,
          nameEnc: await keyring.encrypt(tx, scope, body.name, attachmentContext(id, attachmentId, 'name')),
          contentType: body.contentType,
          sizeBytes: content.length,
          contentEnc: await keyring.encrypt(tx, scope, content, attachmentContext(id, attachmentId, 'content')),
          createdBy: actor.id,
          at: now,
        });
        await audit.record(tx, ctx, {
          action: 'request.attachment_added',
          ...(row.patient_id ? { patientId: row.patient_id } : {}),
          facilityId: row.provider_facility_id,
          subject: { type: 'request_attachment', id: attachmentId },
          reason: viewer.reason,
          data: { requestId: id, contentType: body.contentType, sizeBytes: content.length },
        });
        return { id: attachmentId, name: body.name, contentType: body.contentType, sizeBytes: content.length, createdAt: iso(now) };
      });
    },

    /**
     * Reads an attachment's content (audited).
     * @returns the decrypted bytes, type and name
     */
    async getAttachment(ctx: RequestCtx, id: string, attachmentId: string): Promise<{ name: string; contentType: string; content: Buffer }> {
      return withTransaction(db, async (tx) => {
        const { row, viewer } = await loadVisible(tx, ctx, id);
        const a = await repo.findAttachmentContent(tx, id, attachmentId);
        if (!a) throw new NotFoundError('request_attachment', attachmentId);
        const scope = facilityScope(row.provider_facility_id);
        const content = await keyring.decrypt(ctx, tx, scope, a.content_enc, attachmentContext(id, a.id, 'content'));
        const name = (await keyring.decrypt(ctx, tx, scope, a.name_enc, attachmentContext(id, a.id, 'name'))).toString('utf8');
        await audit.record(tx, ctx, {
          action: 'request.attachment_read',
          ...(row.patient_id ? { patientId: row.patient_id } : {}),
          facilityId: row.provider_facility_id,
          subject: { type: 'request_attachment', id: a.id },
          reason: viewer.reason,
        });
        return { name, contentType: a.content_type, content };
      });
    },
  };
}

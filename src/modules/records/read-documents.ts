import { withTransaction, type Queryable } from '../../platform/db/index.js';
import type { RequestCtx } from '../../platform/auth/request-context.js';
import { AppError, NotFoundError } from '../../platform/errors/app-error.js';
import type { ClinicalDocument } from '../../contracts/records.js';
import { findService } from './service-facts.js';
import * as repo from './records.repo.js';
import { closingKind } from './document-rules.js';
import { contentDigest } from './signing.js';
import { renderDocumentPdf } from './document-pdf.js';
import type { RecordsDeps } from './records.deps.js';
import type { DocumentAccess } from './document-access.js';

/**
 * Reading documents: one, those of a service, the PDF copy, and the closing check the requests module
 * calls (R-TM-40, R-TM-41).
 * @param deps - the records dependencies
 * @param access - the shared document helpers
 * @returns the read use cases
 */
export function createReadDocuments(deps: RecordsDeps, access: DocumentAccess) {
  const { db, policy } = deps;
  const { loadStored, toView, readRow, assertCanRead, assertCanSeeService, auditRead } = access;
  return {
    /** One document, access-checked and audited. */
    async getDocument(ctx: RequestCtx, documentId: string): Promise<ClinicalDocument> {
      return policy.guard(ctx, () =>
        withTransaction(db, async (tx) => {
          const row = await readRow(ctx, tx, documentId);
          const access = await assertCanRead(ctx, tx, row);
          await auditRead(ctx, tx, row, access, 'json');
          return toView(ctx, tx, row);
        }),
      );
    },

    /** The documents of one service that the actor may see (drafts only to their author). */
    async listRequestDocuments(ctx: RequestCtx, requestId: string): Promise<ClinicalDocument[]> {
      return policy.guard(ctx, () =>
        withTransaction(db, async (tx) => {
          const out: ClinicalDocument[] = [];
          const rows = (await repo.listRequestDocuments(tx, requestId)).filter((row) => row.status !== 'draft' || (ctx.actor.type === 'user' && ctx.actor.id === row.author_account_id));
          // Security: authorisation before existence — with nothing to check row by row, the caller must
          // still be someone who may see this service (unknown ids answer the same as other people's).
          if (rows.length === 0) await assertCanSeeService(ctx, tx, requestId);
          for (const row of rows) {
            const access = await assertCanRead(ctx, tx, row);
            await auditRead(ctx, tx, row, access, 'json');
            out.push(await toView(ctx, tx, row));
          }
          return out;
        }),
      );
    },


    /**
     * The PDF copy of a signed document, with the verification data printed and attached.
     * @returns filename and bytes
     */
    async documentPdf(ctx: RequestCtx, documentId: string): Promise<{ filename: string; body: Buffer }> {
      return policy.guard(ctx, () =>
        withTransaction(db, async (tx) => {
          const row = await readRow(ctx, tx, documentId);
          const access = await assertCanRead(ctx, tx, row);
          if (row.status !== 'signed' || !row.signature || !row.signing_key_id || !row.content_sha256) throw new AppError('state.bad_transition', { detail: 'Only signed documents have a PDF copy' });
          const stored = await loadStored(ctx, tx, row);
          if (stored.state !== 'signed') throw new AppError('state.bad_transition');
          const key = await repo.findKey(tx, row.signing_key_id);
          const facility = await repo.facilityInfo(tx, row.facility_id);
          const sub = await repo.findSubmissionByDocument(tx, row.id);
          const nrn = sub?.nrn ?? (await repo.examinationNrn(tx, row.request_id)) ?? null;
          await auditRead(ctx, tx, row, access, 'pdf');
          const body = await renderDocumentPdf({
            content: stored.signed,
            canonical: contentDigest(stored.signed).canonical,
            jws: row.signature,
            keyId: row.signing_key_id,
            level: key?.level ?? 'advanced',
            sha256: row.content_sha256,
            nrn,
            verifyUrl: `${deps.publicUrl ?? ''}/api/v1/records/documents/${row.id}/verification`,
            timeZone: facility?.time_zone ?? 'Europe/Sofia',
          });
          return { filename: `${row.kind}-${row.id}-r${row.revision}.pdf`, body };
        }),
      );
    },


    /**
     * Throws unless the service may be closed: R-TM-41 (a signed ambulatory sheet for a patient's request)
     * and R-TM-40 (a signed written consultation for a specialist's). For the requests module's `document`
     * transition, inside its transaction; the database trigger enforces the same rule.
     * @param q - the caller's transaction
     * @param requestId - the service
     * @throws {AppError} `records.sheet_required`
     */
    async assertCanClose(q: Queryable, requestId: string): Promise<void> {
      const svc = await findService(q, requestId);
      if (!svc) throw new NotFoundError('service_request', requestId);
      const kind = closingKind(svc.requester_kind);
      if (!(await repo.findCurrentSigned(q, requestId, kind))) {
        throw new AppError('records.sheet_required', { detail: `Sign the ${kind} first (${kind === 'ambulatory_sheet' ? 'R-TM-41' : 'R-TM-40'})`, meta: { kind } });
      }
    },

  };
}

import { toDate } from '../../platform/clock.js';
import { withTransaction } from '../../platform/db/index.js';
import type { RequestCtx } from '../../platform/auth/request-context.js';
import { facilityScope } from '../../platform/crypto/keyring.js';
import { AppError, ForbiddenError, NotFoundError } from '../../platform/errors/app-error.js';
import { DocumentBodySchema, type ClinicalDocument, type CorrectDocumentBody, type CreateDraftBody, type DocumentBody } from '../../contracts/records.js';
import { findService } from './service-facts.js';
import * as repo from './records.repo.js';
import { contentContext, type DraftContent, type RecordsDeps } from './records.deps.js';
import type { DocumentAccess } from './document-access.js';

/**
 * Drafts of clinical documents: start, save, discard, and the correction of a signed document as a new
 * draft revision (the signed one never changes).
 * @param deps - the records dependencies
 * @param access - the shared document helpers
 * @returns the draft use cases
 */
export function createDraftUseCases(deps: RecordsDeps, access: DocumentAccess) {
  const { db, clock, ids, keyring, audit, policy } = deps;
  const { specialistPractitioner, authorFacility, loadStored, toView, readRow } = access;
  return {
    /**
     * Starts (or returns) the draft of a service's document.
     * @param ctx - the providing specialist (or, for patient information, the requesting one)
     * @param requestId - the service
     * @param input - kind and optional first content
     * @returns the draft
     * @throws {ForbiddenError} for anyone but the author the rules name
     * @throws {AppError} `rule.violated` for the wrong kind (R-TM-40, R-TM-42); `state.bad_transition` before the service started
     */
    async createDraft(ctx: RequestCtx, requestId: string, input: CreateDraftBody): Promise<ClinicalDocument> {
      return policy.guard(ctx, () =>
        withTransaction(db, async (tx) => {
          const practitionerId = await specialistPractitioner(ctx, tx);
          const svc = await findService(tx, requestId);
          if (!svc) throw new NotFoundError('service_request', requestId);
          const facilityId = authorFacility(ctx, svc, input.kind, practitionerId);
          const allowed = input.kind === 'patient_information' ? ['completed', 'documented'] : ['in_progress', 'completed'];
          if (!allowed.includes(svc.status)) throw new AppError('state.bad_transition', { detail: `A ${input.kind} can be started when the service is ${allowed.join(' or ')}`, meta: { from: svc.status } });
          const existing = await repo.findDraft(tx, requestId, input.kind);
          if (existing) return toView(ctx, tx, existing);
          if (await repo.hasAnyDocument(tx, requestId, input.kind)) {
            throw new AppError('records.document_signed', { detail: 'This document is already signed; correct it instead' });
          }
          const id = ids.uuid();
          const now = toDate(clock.now());
          const draft: DraftContent = { body: DocumentBodySchema.parse(input.body ?? {}) };
          const enc = await keyring.encryptJson(tx, facilityScope(facilityId), draft, contentContext(id));
          await repo.insertDocument(tx, { id, kind: input.kind, requestId, patientId: svc.patient_id, facilityId, authorPractitionerId: practitionerId, authorAccountId: ctx.actor.type === 'user' ? ctx.actor.id : '', revision: 1, replacesId: null, contentEnc: enc, now });
          await audit.record(tx, ctx, { action: 'record.draft_saved', patientId: svc.patient_id ?? undefined, facilityId, subject: { type: 'clinical_document', id }, reason: `request:${requestId}`, data: { kind: input.kind, revision: 1, created: true } });
          return toView(ctx, tx, (await repo.findDocument(tx, id)) as repo.DocumentRow);
        }),
      );
    },

    /**
     * Saves a draft's content (optimistic lock: `version` from the ETag).
     * @throws {AppError} `resource.version_mismatch` when someone saved first; `records.document_signed` once signed
     */
    async updateDraft(ctx: RequestCtx, documentId: string, version: number, body: DocumentBody): Promise<ClinicalDocument> {
      return withTransaction(db, async (tx) => {
        const row = await readRow(ctx, tx, documentId);
        if (ctx.actor.type !== 'user' || ctx.actor.id !== row.author_account_id) throw new ForbiddenError('Only the author edits a draft');
        if (row.status === 'signed') throw new AppError('records.document_signed');
        const stored = await loadStored(ctx, tx, row);
        const draft: DraftContent = { ...(stored.state === 'draft' ? stored.draft : {}), body };
        const enc = await keyring.encryptJson(tx, facilityScope(row.facility_id), draft, contentContext(row.id));
        if (!(await repo.updateDraft(tx, row.id, version, enc, toDate(clock.now())))) throw new AppError('resource.version_mismatch', { meta: { current: row.version } });
        await audit.record(tx, ctx, { action: 'record.draft_saved', patientId: row.patient_id ?? undefined, facilityId: row.facility_id, subject: { type: 'clinical_document', id: row.id }, data: { kind: row.kind, revision: row.revision } });
        return toView(ctx, tx, (await repo.findDocument(tx, row.id)) as repo.DocumentRow);
      });
    },

    /** Discards an unsigned draft (its author only). */
    async discardDraft(ctx: RequestCtx, documentId: string, version: number): Promise<void> {
      await withTransaction(db, async (tx) => {
        const row = await readRow(ctx, tx, documentId);
        if (ctx.actor.type !== 'user' || ctx.actor.id !== row.author_account_id) throw new ForbiddenError('Only the author discards a draft');
        if (row.status === 'signed') throw new AppError('records.document_signed');
        if (!(await repo.deleteDraft(tx, row.id, version))) throw new AppError('resource.version_mismatch', { meta: { current: row.version } });
        await audit.record(tx, ctx, { action: 'record.draft_discarded', patientId: row.patient_id ?? undefined, facilityId: row.facility_id, subject: { type: 'clinical_document', id: row.id }, data: { kind: row.kind } });
      });
    },


    /**
     * Starts a correction: a new draft revision that references the signed one (which never changes).
     * @throws {AppError} `state.bad_transition` when the revision is not the current signed one
     */
    async correctDocument(ctx: RequestCtx, documentId: string, input: CorrectDocumentBody): Promise<ClinicalDocument> {
      return withTransaction(db, async (tx) => {
        const row = await readRow(ctx, tx, documentId);
        if (ctx.actor.type !== 'user' || ctx.actor.id !== row.author_account_id) throw new ForbiddenError('Only the author corrects the document');
        if (row.status !== 'signed') throw new AppError('state.bad_transition', { detail: 'Only a signed document is corrected; edit the draft instead' });
        if (row.replaced_by_id) throw new AppError('state.bad_transition', { detail: 'A newer revision exists; correct that one', meta: { replacedById: row.replaced_by_id } });
        const id = ids.uuid();
        const draft: DraftContent = { body: input.body, correctionReason: input.reason };
        const enc = await keyring.encryptJson(tx, facilityScope(row.facility_id), draft, contentContext(id));
        await repo.insertDocument(tx, { id, kind: row.kind, requestId: row.request_id, patientId: row.patient_id, facilityId: row.facility_id, authorPractitionerId: row.author_practitioner_id, authorAccountId: row.author_account_id, revision: row.revision + 1, replacesId: row.id, contentEnc: enc, now: toDate(clock.now()) });
        await audit.record(tx, ctx, { action: 'record.draft_saved', patientId: row.patient_id ?? undefined, facilityId: row.facility_id, subject: { type: 'clinical_document', id }, data: { kind: row.kind, revision: row.revision + 1, replaces: row.id } });
        return toView(ctx, tx, (await repo.findDocument(tx, id)) as repo.DocumentRow);
      });
    },

  };
}

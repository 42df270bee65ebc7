import { fromDate } from '../../platform/clock.js';
import type { Queryable } from '../../platform/db/index.js';
import type { RequestCtx } from '../../platform/auth/request-context.js';
import { facilityScope } from '../../platform/crypto/keyring.js';
import { AppError, ForbiddenError } from '../../platform/errors/app-error.js';
import { DocumentBodySchema, SignedContentSchema, type ClinicalDocument, type DocumentKind } from '../../contracts/records.js';
import { findService } from './service-facts.js';
import * as repo from './records.repo.js';
import { closingKind } from './document-rules.js';
import { contentContext, type DraftContent, type RecordsDeps, type StoredContent } from './records.deps.js';

/**
 * What every records use case shares: who the writing specialist is, who may read a document, and how
 * a stored row becomes its wire form.
 * @param deps - the records dependencies
 * @returns the helpers
 */
export function createDocumentAccess(deps: RecordsDeps) {
  const { keyring, policy } = deps;
  const alg = deps.signingAlg ?? 'EdDSA';

  async function specialistPractitioner(ctx: RequestCtx, q: Queryable): Promise<string> {
    const actor = ctx.actor;
    if (actor.type === 'anonymous') throw new AppError('auth.unauthenticated');
    if (actor.type !== 'user' || actor.role !== 'specialist') throw new ForbiddenError('Only the specialist can write clinical records');
    const practitionerId = await repo.practitionerOfAccount(q, actor.id);
    if (!practitionerId) throw new ForbiddenError('The account is not linked to a specialist');
    return practitionerId;
  }

  /**
   * Who writes which document for a service, and in which facility's key.
   * Regulatory: Art. 20(1) — the providing specialist writes the sheet or the written consultation;
   * Art. 20(2), R-TM-42 — the requesting specialist writes the information for the patient.
   */
  function authorFacility(ctx: RequestCtx, svc: repo.ServiceRow, kind: DocumentKind, practitionerId: string): string {
    const facilityIds = ctx.actor.type === 'user' ? ctx.actor.facilityIds : [];
    if (kind === 'patient_information') {
      if (svc.requester_kind !== 'specialist') throw new AppError('rule.violated', { detail: 'Written information for the patient belongs to a specialist’s request (Art. 20(2))', meta: { rule: 'R-TM-42' } });
      if (svc.requester_practitioner_id !== practitionerId || !svc.requester_facility_id || !facilityIds.includes(svc.requester_facility_id)) {
        throw new ForbiddenError('Only the requesting specialist writes the information for the patient');
      }
      return svc.requester_facility_id;
    }
    if (kind !== closingKind(svc.requester_kind)) {
      throw new AppError('rule.violated', { detail: `This service closes with a ${closingKind(svc.requester_kind)} (R-TM-40)`, meta: { rule: 'R-TM-40', expected: closingKind(svc.requester_kind) } });
    }
    if (svc.practitioner_id !== practitionerId || !facilityIds.includes(svc.provider_facility_id)) throw new ForbiddenError('Only the providing specialist writes this document');
    return svc.provider_facility_id;
  }

  async function loadStored(ctx: RequestCtx, q: Queryable, row: repo.DocumentRow): Promise<StoredContent> {
    const value = await keyring.decryptJson<unknown>(ctx, q, facilityScope(row.facility_id), row.content_enc, contentContext(row.id));
    if (row.status === 'signed') return { state: 'signed', signed: SignedContentSchema.parse(value) };
    const draft = value as DraftContent;
    return { state: 'draft', draft: { ...draft, body: DocumentBodySchema.parse(draft.body) } };
  }

  async function toView(ctx: RequestCtx, q: Queryable, row: repo.DocumentRow): Promise<ClinicalDocument> {
    const stored = await loadStored(ctx, q, row);
    let signature: ClinicalDocument['signature'] = null;
    if (row.status === 'signed' && row.signature && row.signing_key_id && row.signed_at && row.content_sha256) {
      const key = await repo.findKey(q, row.signing_key_id);
      signature = { format: 'jws', level: key?.level ?? 'advanced', keyId: row.signing_key_id, alg: key?.alg ?? alg, signedAt: fromDate(row.signed_at).toString(), contentSha256: row.content_sha256, jws: row.signature };
    }
    const sub = row.status === 'signed' && row.kind !== 'patient_information' ? await repo.findSubmissionByDocument(q, row.id) : undefined;
    return {
      id: row.id,
      kind: row.kind,
      requestId: row.request_id,
      patientId: row.patient_id,
      facilityId: row.facility_id,
      authorPractitionerId: row.author_practitioner_id,
      status: row.status,
      revision: row.revision,
      replacesId: row.replaces_id,
      replacedById: row.replaced_by_id,
      body: stored.state === 'signed' ? stored.signed.body : stored.draft.body,
      content: stored.state === 'signed' ? stored.signed : null,
      signature,
      nhis: sub ? { status: sub.status, nrn: sub.nrn, attempts: sub.attempts, acknowledgedAt: sub.acknowledged_at ? fromDate(sub.acknowledged_at).toString() : null, lastError: sub.last_error } : null,
      createdAt: fromDate(row.created_at).toString(),
      updatedAt: fromDate(row.updated_at).toString(),
      version: row.version,
    };
  }

  /**
   * Read access to one document: its author always; a draft nobody else; a signed document whoever may
   * read the patient's clinical data (Art. 13), or for a consultation without personal data
   * (R-TM-18) the two specialists of the request.
   */
  async function assertCanRead(ctx: RequestCtx, q: Queryable, row: repo.DocumentRow): Promise<{ reason: string; facilityId?: string; onBehalfOf?: string }> {
    const actor = ctx.actor;
    if (actor.type === 'anonymous') throw new AppError('auth.unauthenticated');
    if (actor.type === 'user' && actor.id === row.author_account_id) return { reason: `author:${row.id}`, facilityId: row.facility_id };
    // Security: another author's draft answers as a document the caller may not read (no existence oracle).
    if (row.status === 'draft') throw new ForbiddenError('You have no access to this document');
    if (row.patient_id) {
      // Regulatory: Art. 21 — a supervision case reaches only the documents its facility recorded.
      const granted = await policy.assertCanReadPatient(ctx, q, row.patient_id, 'clinical', row.facility_id);
      return { reason: granted.reason, ...(granted.facilityId ? { facilityId: granted.facilityId } : {}), ...(granted.onBehalfOf ? { onBehalfOf: granted.onBehalfOf } : {}) };
    }
    const svc = await findService(q, row.request_id);
    const practitionerId = actor.type === 'user' && actor.role === 'specialist' ? await repo.practitionerOfAccount(q, actor.id) : undefined;
    if (svc && practitionerId && (practitionerId === svc.practitioner_id || practitionerId === svc.requester_practitioner_id)) return { reason: `request:${svc.id}` };
    throw new ForbiddenError('You have no access to this document');
  }

  /** Whoever may read the documents of a service: the patient's side and care (policy), or its two specialists. */
  async function assertCanSeeService(ctx: RequestCtx, q: Queryable, requestId: string): Promise<void> {
    const actor = ctx.actor;
    if (actor.type === 'anonymous') throw new AppError('auth.unauthenticated');
    const svc = await findService(q, requestId);
    // The service's own specialists write its documents, also after their care relationship closed.
    const practitionerId = svc && actor.type === 'user' && actor.role === 'specialist' ? await repo.practitionerOfAccount(q, actor.id) : undefined;
    if (svc && practitionerId && (practitionerId === svc.practitioner_id || practitionerId === svc.requester_practitioner_id)) return;
    if (svc?.patient_id) {
      await policy.assertCanReadPatient(ctx, q, svc.patient_id, 'clinical', svc.provider_facility_id);
      return;
    }
    throw new ForbiddenError('You have no access to this service');
  }

  async function readRow(ctx: RequestCtx, q: Queryable, id: string): Promise<repo.DocumentRow> {
    if (ctx.actor.type === 'anonymous') throw new AppError('auth.unauthenticated');
    const row = await repo.findDocument(q, id);
    // Security: authorisation before existence: an unknown id answers as a document the caller may not
    // read, so a 404 never tells a stranger which ids exist (docs/access.md).
    if (!row) throw new ForbiddenError('You have no access to this document');
    return row;
  }

  /** Audits one read of a document (json or pdf), in the reading transaction. */
  async function auditRead(ctx: RequestCtx, q: Queryable, row: repo.DocumentRow, access: { reason: string; facilityId?: string; onBehalfOf?: string }, format: 'json' | 'pdf'): Promise<void> {
    await deps.audit.record(q, ctx, { action: 'record.read', patientId: row.patient_id ?? undefined, facilityId: access.facilityId, onBehalfOf: access.onBehalfOf, subject: { type: 'clinical_document', id: row.id }, reason: access.reason, data: { kind: row.kind, revision: row.revision, format } });
  }

  return { specialistPractitioner, authorFacility, loadStored, toView, assertCanRead, assertCanSeeService, readRow, auditRead };
}

export type DocumentAccess = ReturnType<typeof createDocumentAccess>;

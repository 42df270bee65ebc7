import { fromDate, toDate } from '../../platform/clock.js';
import { withTransaction } from '../../platform/db/index.js';
import type { RequestCtx } from '../../platform/auth/request-context.js';
import { facilityScope } from '../../platform/crypto/keyring.js';
import { AppError, ForbiddenError, NotFoundError } from '../../platform/errors/app-error.js';
import { SignedContentSchema, type ClinicalDocument, type SignedContent } from '../../contracts/records.js';
import { findService } from './service-facts.js';
import { readCompletedAtIn } from '../requests/index.js';
import * as repo from './records.repo.js';
import { signingIssues } from './document-rules.js';
import { contentDigest, SIGNATURE_TYPE, type SignaturePayload } from './signing.js';
import { createPractitionerSigner } from './practitioner-signer.js';
import { contentContext, NHIS_SUBMIT, type RecordsDeps } from './records.deps.js';
import type { DocumentAccess } from './document-access.js';

/**
 * Signing a clinical document: snapshot, canonical form (RFC 8785), the author's signature, and the
 * NHIS submission queued through the outbox (docs/records.md).
 * @param deps - the records dependencies
 * @param access - the shared document helpers
 * @returns the signing use case
 */
export function createSignDocument(deps: RecordsDeps, access: DocumentAccess) {
  const { db, clock, ids, keyring, audit, policy } = deps;
  // The same signer as referrals, prescriptions and sick leave: qualified when a token holds the doctor's key.
  const signer = createPractitionerSigner({ clock, ids, keyring, audit, alg: deps.signingAlg, qualified: deps.qualified });
  const { loadStored, toView, readRow } = access;

  return {
    /**
     * Signs a draft: snapshots patient, performer and times, canonicalises (RFC 8785), signs the digest with
     * the author's key, freezes the row, and queues the NHIS submission (closing documents only).
     * @param ctx - the author
     * @param documentId - the draft
     * @param version - the draft version the author saw (If-Match)
     * @param code - a fresh TOTP code: the signature is confirmed with a second factor (docs/decisions.md#d5)
     * @returns the signed document
     * @throws {AppError} `records.incomplete` with field pointers; `state.bad_transition` before completion;
     *   `resource.version_mismatch`; `records.document_signed`; `auth.mfa_invalid`, `auth.locked`
     */
    async signDocument(ctx: RequestCtx, documentId: string, version: number, code: string): Promise<ClinicalDocument> {
      try {
        return await signInTransaction(ctx, documentId, version, code);
      } catch (err) {
        // A wrong code counts towards the account lock, recorded after the signing transaction rolled back.
        if (err instanceof AppError && err.code === 'auth.mfa_invalid' && err.meta?.['stepUp'] === true) throw await deps.stepUp.recordStepUpFailure(ctx);
        throw err;
      }
    },
  };

  async function signInTransaction(ctx: RequestCtx, documentId: string, version: number, code: string): Promise<ClinicalDocument> {
      return policy.guard(ctx, () =>
        withTransaction(db, async (tx) => {
          const row = await readRow(ctx, tx, documentId);
          if (ctx.actor.type !== 'user' || ctx.actor.id !== row.author_account_id) throw new ForbiddenError('Only the author signs the document');
          if (row.status === 'signed') throw new AppError('records.document_signed');
          if (row.version !== version) throw new AppError('resource.version_mismatch', { meta: { current: row.version } });
          const svc = await findService(tx, row.request_id, true);
          if (!svc) throw new NotFoundError('service_request', row.request_id);
          // Regulatory: Art. 17(2), 20(1) — the record is of a completed service.
          if (!['completed', 'documented'].includes(svc.status)) throw new AppError('state.bad_transition', { detail: 'Complete the service before signing', meta: { from: svc.status } });
          const stored = await loadStored(ctx, tx, row);
          if (stored.state !== 'draft') throw new AppError('records.document_signed');
          const body = stored.draft.body;
          const issues = signingIssues(row.kind, body);
          if (issues.length) throw new AppError('records.incomplete', { errors: issues });
          // The signature commits with its fresh second-factor confirmation, or not at all.
          const up = await deps.stepUp.confirmStepUp(tx, ctx, code, 'record.sign');

          const now = clock.now();
          const patient = row.patient_id ? await deps.patients.readPatientIn(tx, ctx, row.patient_id) : null;
          const performerId = row.author_practitioner_id;
          const performer = await repo.practitionerInfo(tx, performerId);
          const facility = await repo.facilityInfo(tx, row.facility_id);
          if (!performer || !facility) throw new NotFoundError('practitioner', performerId);
          const completedAt = await readCompletedAtIn(tx, row.request_id);
          let replaces: SignedContent['replaces'] = null;
          if (row.replaces_id) {
            const prev = await repo.findDocument(tx, row.replaces_id);
            if (!prev?.content_sha256) throw new NotFoundError('clinical_document', row.replaces_id);
            replaces = { documentId: prev.id, sha256: prev.content_sha256, reason: stored.draft.correctionReason ?? '' };
          }
          const content: SignedContent = SignedContentSchema.parse({
            schema: 'distansia.clinical-document/1',
            documentId: row.id,
            kind: row.kind,
            revision: row.revision,
            replaces,
            requestId: row.request_id,
            examination: { class: 'VR', urgency: svc.urgency, mode: svc.mode, completedAt: completedAt ? fromDate(completedAt).toString() : null },
            subject: patient
              ? { patientId: patient.id, identifierType: patient.identifierKind, identifier: patient.identifier, givenName: patient.givenName, ...(patient.middleName ? { middleName: patient.middleName } : {}), familyName: patient.familyName, birthDate: patient.birthDate, sex: patient.sex }
              : null,
            performer: {
              practitionerId: performerId,
              uin: performer.uin.trim(),
              givenName: performer.given_name,
              familyName: performer.family_name,
              qualification: svc.specialty_code,
              qualificationName: svc.specialty_name_bg,
              facilityId: facility.id,
              practiceNumber: facility.number.trim(),
              facilityName: facility.name,
            },
            body,
            signedAt: now.toString(),
          });
          const { sha256 } = contentDigest(content);
          const payload: SignaturePayload = { typ: SIGNATURE_TYPE, documentId: row.id, revision: row.revision, kind: row.kind, requestId: row.request_id, sha256, replaces: row.replaces_id, signedAt: content.signedAt, signer: { practitionerId: performerId, uin: content.performer.uin } };
          const sig = await signer.sign(ctx, tx, { practitionerId: performerId, facilityId: row.facility_id }, payload);
          const enc = await keyring.encryptJson(tx, facilityScope(row.facility_id), content, contentContext(row.id));
          if (!(await repo.signDraft(tx, { id: row.id, version, contentEnc: enc, sha256, signature: sig.jws, keyId: sig.keyId, signedAt: toDate(now) }))) {
            throw new AppError('resource.version_mismatch');
          }
          if (row.kind !== 'patient_information') {
            // Regulatory: Art. 17(1) — results go to the national record; the outbox retries until the NHIS acknowledges.
            const submissionId = ids.uuid();
            const operation = row.revision === 1 ? 'open_close' : 'correct';
            await repo.insertSubmission(tx, { id: submissionId, documentId: row.id, requestId: row.request_id, facilityId: row.facility_id, operation, nrn: null, now: toDate(now) });
            await deps.outbox.enqueue(tx, NHIS_SUBMIT, { submissionId });
          }
          // The diagnosis search ranks this doctor's usual codes first (docs/records.md#icd-10-search).
          await repo.countIcd10Uses(tx, ctx.actor.id, body.diagnoses.map((d) => d.code));
          await audit.record(tx, ctx, {
            action: 'record.signed',
            patientId: row.patient_id ?? undefined,
            facilityId: row.facility_id,
            subject: { type: 'clinical_document', id: row.id },
            reason: `request:${row.request_id}`,
            data: { kind: row.kind, revision: row.revision, keyId: sig.keyId, level: sig.level, stepUpId: up.stepUpId },
          });
          return toView(ctx, tx, (await repo.findDocument(tx, row.id)) as repo.DocumentRow);
        }),
      );
  }
}

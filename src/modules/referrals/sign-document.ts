import type { Temporal } from 'temporal-polyfill';
import { toDate } from '../../platform/clock.js';
import type { Queryable } from '../../platform/db/index.js';
import { facilityScope } from '../../platform/crypto/keyring.js';
import type { RequestCtx } from '../../platform/auth/request-context.js';
import { AppError, ForbiddenError } from '../../platform/errors/app-error.js';
import { contentDigest, SIGNATURE_TYPE, type SignaturePayload } from '../records/index.js';
import type { Encounter } from '../encounters/index.js';
import { contentContext, NHIS_DOCUMENT, type IssuerSnapshot, type NhisDocumentMessage, type ReferralsDeps } from './referrals.deps.js';
import type { DocKind, DocStatus } from './referrals.repo.js';
import * as repo from './referrals.repo.js';

// The steps a referral and an e-prescription share: a correction supersedes its old version, and a new
// version is signed, stored encrypted and queued for the NHIS in the issuing transaction.

/** The columns every signed version stores (referrals.repo.ts insertReferral / insertPrescription). */
export type SignedColumns = Pick<
  repo.DocRowBase,
  'id' | 'replaces_id' | 'revision' | 'patient_id' | 'facility_id' | 'practitioner_id' | 'encounter_id' | 'issued_on' | 'content_enc' | 'content_sha256' | 'signature' | 'signing_key_id' | 'lrn'
> & { signed_at: Date; createdBy: string; stepUpId: string; now: Date };

/** What a correction cites of the version it replaces. */
export type Replaces = { documentId: string; sha256: string } | null;

/**
 * A correction's old version: only its author corrects it, only an issued or refused one; an issued one
 * is cancelled in the NHIS (R007 / P007 through the outbox), a refused one is superseded.
 * @param texts - the refusals' details and the NHIS cancel reason, in the document's words
 * @returns what the new version cites and its revision
 */
export async function supersede(
  deps: Pick<ReferralsDeps, 'outbox'>,
  tx: Queryable,
  kind: DocKind,
  old: { id: string; status: DocStatus; patient_id: string; practitioner_id: string; content_sha256: string; revision: number } | undefined,
  by: { patientId: string; practitionerId: string },
  texts: { forbidden: string; notCorrectable: string; cancelReason: string },
): Promise<{ replaces: Replaces; revision: number }> {
  if (!old || old.patient_id !== by.patientId || old.practitioner_id !== by.practitionerId) throw new ForbiddenError(texts.forbidden);
  if (!['issued', 'rejected'].includes(old.status)) throw new AppError('state.bad_transition', { detail: texts.notCorrectable, meta: { from: old.status } });
  if (old.status === 'issued') {
    await repo.moveStatus(tx, kind, old.id, ['issued'], { status: 'cancelling', cancelReason: texts.cancelReason });
    await deps.outbox.enqueue(tx, NHIS_DOCUMENT, { kind, id: old.id, op: 'cancel' } satisfies NhisDocumentMessage);
  } else {
    await repo.moveStatus(tx, kind, old.id, ['rejected'], { status: 'superseded' });
  }
  return { replaces: { documentId: old.id, sha256: old.content_sha256 }, revision: old.revision + 1 };
}

/**
 * Signs a version's content with the doctor's key, stores it encrypted through `insert`, and queues it
 * for the NHIS. Regulatory: it counts as issued only when the NHIS acknowledges it (R001 → R002,
 * P001); the outbox retries.
 * @param doc - the document: `signedKind` is the signature's kind (`referral:<form>`, `prescription:<kind>`)
 * @returns the signing key's id
 */
export async function signStoreAndQueue(
  deps: Pick<ReferralsDeps, 'signer' | 'keyring' | 'outbox' | 'ids'>,
  ctx: RequestCtx,
  tx: Queryable,
  doc: { kind: DocKind; signedKind: string; id: string; revision: number; replaces: Replaces; encounter: Encounter; issuer: IssuerSnapshot; content: { signedAt: string }; up: { stepUpId: string; at: Temporal.Instant }; on: string; now: Temporal.Instant },
  insert: (columns: SignedColumns) => Promise<void>,
): Promise<{ keyId: string }> {
  const { id, encounter: e, issuer } = doc;
  const { sha256 } = contentDigest(doc.content);
  const payload: SignaturePayload = { typ: SIGNATURE_TYPE, documentId: id, revision: doc.revision, kind: doc.signedKind, requestId: e.requestId ?? e.id, sha256, replaces: doc.replaces?.documentId ?? null, signedAt: doc.content.signedAt, signer: { practitionerId: issuer.practitionerId, uin: issuer.uin } };
  const sig = await deps.signer.sign(ctx, tx, { practitionerId: issuer.practitionerId, facilityId: e.facilityId }, payload);
  const enc = await deps.keyring.encryptJson(tx, facilityScope(e.facilityId), doc.content, contentContext(doc.kind, id));
  await insert({
    id,
    replaces_id: doc.replaces?.documentId ?? null,
    revision: doc.revision,
    patient_id: e.patientId,
    facility_id: e.facilityId,
    practitioner_id: issuer.practitionerId,
    encounter_id: e.id,
    issued_on: doc.on,
    content_enc: enc,
    content_sha256: sha256,
    signature: sig.jws,
    signing_key_id: sig.keyId,
    signed_at: toDate(doc.up.at),
    lrn: deps.ids.uuid(),
    createdBy: ctx.actor.type === 'user' ? ctx.actor.id : '',
    stepUpId: doc.up.stepUpId,
    now: toDate(doc.now),
  });
  await deps.outbox.enqueue(tx, NHIS_DOCUMENT, { kind: doc.kind, id, op: 'issue' } satisfies NhisDocumentMessage);
  return { keyId: sig.keyId };
}

/** The rules a refusal names (`refuse` in issue-common.ts), or undefined for any other error. */
export function refusedRules(err: unknown): string[] | undefined {
  return err instanceof AppError && Array.isArray(err.meta?.['rules']) ? (err.meta['rules'] as { rule: string }[]).map((r) => r.rule) : undefined;
}

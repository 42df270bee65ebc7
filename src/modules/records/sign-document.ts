import { fromDate, Temporal, toDate } from '../../platform/clock.js';
import { withTransaction, type Queryable } from '../../platform/db/index.js';
import type { RequestCtx } from '../../platform/auth/request-context.js';
import { facilityScope } from '../../platform/crypto/keyring.js';
import { AppError, ForbiddenError, NotFoundError } from '../../platform/errors/app-error.js';
import { SignedContentSchema, type ClinicalDocument, type SignedContent } from '../../contracts/records.js';
import { findService } from './service-facts.js';
import { readCompletedAtIn } from '../requests/index.js';
import * as repo from './records.repo.js';
import { signingIssues } from './document-rules.js';
import { contentDigest, SIGNATURE_TYPE, type SignaturePayload, type SignatureResult } from './signing.js';
import { canonicalize } from './canonical-json.js';
import { createQualifiedSigning } from './qualified-signing.js';
import { createPractitionerSigner } from './practitioner-signer.js';
import { CARD_NHIS_WINDOW_SECONDS, contentContext, NHIS_SUBMIT, type RecordsDeps } from './records.deps.js';
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
  // The doctor's card through the local agent: the server prepares, checks and stores (docs/records.md#the-local-signer).
  const qualified = createQualifiedSigning({ clock, ids, audit, qualified: deps.qualified });
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
      return stepUpFailuresCounted(ctx, () => signInTransaction(ctx, documentId, version, code));
    },

    /**
     * The data the doctor's card signs through the local agent (docs/records.md#the-local-signer): the
     * draft is checked and snapshotted now, the certificate checked (trusted CA, this doctor's UIN) and
     * registered, and the JAdES signing input returned. Nothing is signed or frozen yet.
     * @param certificateChain - the card's certificate first, then intermediates (base64 DER)
     * @returns the signing input and its signing time
     * @throws {AppError} as signDocument, and `signing.certificate_untrusted`, `signing.certificate_not_signer`
     */
    async prepareAgentSignature(ctx: RequestCtx, documentId: string, version: number, certificateChain: string[]): Promise<{ signingInput: string; signedAt: string; keyId: string }> {
      return refusalsAudited(ctx, documentId, (seen) =>
        policy.guard(ctx, () =>
          withTransaction(db, async (tx) => {
            // JAdES signing times are whole seconds (sigT); the payload's time is the same instant.
            const now = Temporal.Instant.fromEpochMilliseconds(Math.floor(clock.now().epochMilliseconds / 1000) * 1000);
            const snap = await snapshot(ctx, tx, documentId, version, now, seen);
            const who = { practitionerId: snap.row.author_practitioner_id, facilityId: snap.row.facility_id, uin: snap.payload.signer.uin };
            const prepared = await qualified.agentSigningInput(ctx, tx, who, certificateChain, snap.payload);
            return { ...prepared, signedAt: snap.payload.signedAt };
          }),
        ),
      );
    },

    /**
     * Signs a draft with the signature the doctor's card made through the local agent over the prepared
     * signing input: verified (chain to SIGNING_CA_BUNDLE, the doctor's own certificate, exactly this
     * version's canonical content, fresh), stored as a qualified signature, and sent on to the NHIS.
     * @throws {AppError} as signDocument, and `signing.signature_invalid`, `signing.certificate_untrusted`,
     *   `signing.certificate_not_signer`, `signing.content_mismatch`, `signing.signature_stale` (audited)
     */
    async signWithAgent(ctx: RequestCtx, documentId: string, version: number, input: AgentSignature): Promise<ClinicalDocument> {
      return stepUpFailuresCounted(ctx, () => refusalsAudited(ctx, documentId, (seen) => signWithAgentInTransaction(ctx, documentId, version, input, seen)));
    },
  };

  async function stepUpFailuresCounted<T>(ctx: RequestCtx, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (err) {
      // A wrong code counts towards the account lock, recorded after the signing transaction rolled back.
      if (err instanceof AppError && err.code === 'auth.mfa_invalid' && err.meta?.['stepUp'] === true) throw await deps.stepUp.recordStepUpFailure(ctx);
      throw err;
    }
  }

  /** A refused qualified signature is audited after the transaction rolled back (the error code only). */
  async function refusalsAudited<T>(ctx: RequestCtx, documentId: string, run: (seen: (row: repo.DocumentRow) => void) => Promise<T>): Promise<T> {
    let row: repo.DocumentRow | undefined;
    try {
      return await run((r) => {
        row = r;
      });
    } catch (err) {
      if (err instanceof AppError && err.code.startsWith('signing.')) {
        await audit.recordStandalone(ctx, { action: 'record.signature_refused', outcome: 'denied', patientId: row?.patient_id ?? undefined, facilityId: row?.facility_id, subject: { type: 'clinical_document', id: documentId }, data: { code: err.code } });
      }
      throw err;
    }
  }

  /** A draft ready to sign, snapshotted at `now`: the row, its content and the payload to sign. */
  interface Snapshot {
    row: repo.DocumentRow;
    stored: { draft: { body: SignedContent['body'] } };
    content: SignedContent;
    sha256: string;
    payload: SignaturePayload;
  }

  /**
   * Checks the draft can be signed by this author at this version, and snapshots patient, performer and
   * times into the canonical content (RFC 8785) and the signature payload.
   */
  async function snapshot(ctx: RequestCtx, tx: Queryable, documentId: string, version: number, now: Temporal.Instant, seen?: (row: repo.DocumentRow) => void): Promise<Snapshot> {
    const row = await readRow(ctx, tx, documentId);
    seen?.(row);
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
    return { row, stored: { draft: { body } }, content, sha256, payload };
  }

  /**
   * Freezes the signed row, queues the NHIS submission and audits the signature. `nhisAfter`: when the
   * outbox may send it (the card sends it sooner while the doctor is at the screen, nhis-card-steps.ts).
   */
  async function persist(ctx: RequestCtx, tx: Queryable, snap: Snapshot, version: number, sig: SignatureResult, stepUpId: string, now: Temporal.Instant, nhisAfter?: Temporal.Instant): Promise<ClinicalDocument> {
    const { row, content, sha256 } = snap;
    const enc = await keyring.encryptJson(tx, facilityScope(row.facility_id), content, contentContext(row.id));
    if (!(await repo.signDraft(tx, { id: row.id, version, contentEnc: enc, sha256, signature: sig.jws, keyId: sig.keyId, signedAt: toDate(now) }))) {
      throw new AppError('resource.version_mismatch');
    }
    if (row.kind !== 'patient_information') {
      // Regulatory: Art. 17(1) — results go to the national record; the outbox retries until the NHIS acknowledges.
      const submissionId = ids.uuid();
      const operation = row.revision === 1 ? 'open_close' : 'correct';
      await repo.insertSubmission(tx, { id: submissionId, documentId: row.id, requestId: row.request_id, facilityId: row.facility_id, operation, nrn: null, now: toDate(clock.now()) });
      await deps.outbox.enqueue(tx, NHIS_SUBMIT, { submissionId }, nhisAfter);
    }
    // The diagnosis search ranks this doctor's usual codes first (docs/records.md#icd-10-search).
    await repo.countIcd10Uses(tx, row.author_account_id, snap.stored.draft.body.diagnoses.map((d) => d.code));
    await audit.record(tx, ctx, {
      action: 'record.signed',
      patientId: row.patient_id ?? undefined,
      facilityId: row.facility_id,
      subject: { type: 'clinical_document', id: row.id },
      reason: `request:${row.request_id}`,
      data: { kind: row.kind, revision: row.revision, keyId: sig.keyId, level: sig.level, stepUpId },
    });
    return toView(ctx, tx, (await repo.findDocument(tx, row.id)) as repo.DocumentRow);
  }

  async function signInTransaction(ctx: RequestCtx, documentId: string, version: number, code: string): Promise<ClinicalDocument> {
    return policy.guard(ctx, () =>
      withTransaction(db, async (tx) => {
        const now = clock.now();
        const snap = await snapshot(ctx, tx, documentId, version, now);
        // The signature commits with its fresh second-factor confirmation, or not at all.
        const up = await deps.stepUp.confirmStepUp(tx, ctx, code, 'record.sign');
        const sig = await signer.sign(ctx, tx, { practitionerId: snap.row.author_practitioner_id, facilityId: snap.row.facility_id }, snap.payload);
        return persist(ctx, tx, snap, version, sig, up.stepUpId, now);
      }),
    );
  }

  async function signWithAgentInTransaction(ctx: RequestCtx, documentId: string, version: number, input: AgentSignature, seen: (row: repo.DocumentRow) => void): Promise<ClinicalDocument> {
    return policy.guard(ctx, () =>
      withTransaction(db, async (tx) => {
        // The signing time is the one the server prepared (in the signed payload); only a recent one is taken.
        const signedAt = signedAtOf(input.signingInput);
        const snap = await snapshot(ctx, tx, documentId, version, signedAt, seen);
        const age = clock.now().since(signedAt).total('seconds');
        if (age > AGENT_SIGNATURE_MAX_AGE_S || age < -60) throw new AppError('signing.signature_stale');
        const who = { practitionerId: snap.row.author_practitioner_id, facilityId: snap.row.facility_id, uin: snap.payload.signer.uin };
        const { result, payload } = await qualified.checkAgentSignature(ctx, tx, who, input.signingInput, input.signature);
        // Security: the card signed exactly this version's canonical content, as the server snapshots it now.
        if (canonicalize(payload) !== canonicalize(snap.payload)) throw new AppError('signing.content_mismatch');
        const up = await deps.stepUp.confirmStepUp(tx, ctx, input.code, 'record.sign');
        // The card signs the NHIS messages too, from the doctor's screen; the outbox (server's key) waits a little.
        const nhisAfter = deps.nhis?.card ? clock.now().add({ seconds: CARD_NHIS_WINDOW_SECONDS }) : undefined;
        return persist(ctx, tx, snap, version, result, up.stepUpId, signedAt, nhisAfter);
      }),
    );
  }
}

/** A signature from the doctor's card through the local agent, as the browser sends it. */
export interface AgentSignature {
  code: string;
  signingInput: string;
  signature: string;
}

/** How long a prepared signing input stays acceptable: the doctor signs within minutes (card PIN, agent). */
export const AGENT_SIGNATURE_MAX_AGE_S = 600;

/**
 * The signing time in a prepared signing input's payload (not yet verified: the signature check follows).
 * @throws {AppError} `signing.signature_invalid` when it is unreadable
 */
function signedAtOf(signingInput: string): Temporal.Instant {
  try {
    const payload = JSON.parse(Buffer.from(signingInput.split('.')[1] ?? '', 'base64url').toString('utf8')) as { signedAt?: unknown };
    return Temporal.Instant.from(String(payload.signedAt));
  } catch {
    throw new AppError('signing.signature_invalid', { detail: 'The signed data is unreadable' });
  }
}

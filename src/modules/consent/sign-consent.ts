import { toDate } from '../../platform/clock.js';
import { withTransaction } from '../../platform/db/index.js';
import type { RequestCtx } from '../../platform/auth/request-context.js';
import { facilityScope } from '../../platform/crypto/keyring.js';
import { AppError, InvalidTransitionError, NotFoundError, type FieldIssue } from '../../platform/errors/app-error.js';
import type { Consent, ConsentPresentation, PresentConsentBody, SignConsentBody } from '../../contracts/consent.js';
import { findRequestFacts } from './request-facts.js';
import * as repo from './consent.repo.js';
import { CONSENT_HASH_VERSION, consentContentSha256, sha256Hex, type ConsentContent } from './consent-hash.js';
import { resolveSigner } from './parties.js';
import { SIGNABLE, MAX_DOCUMENT_BYTES, iso, textOf, documentMatches, type ConsentDeps } from './consent-common.js';
import type { ConsentCore } from './consent-core.js';

/**
 * Showing the form and signing it (Art. 10, 11, R-TM-24..26): the signer, step-up, content hash and audit in one transaction.
 * @param deps - the consent dependencies
 * @param core - the shared consent helpers
 */
export function createSignConsent(deps: ConsentDeps, core: ConsentCore) {
  const { db, clock, ids, audit, keyring, policy, stepUp } = deps;
  const { ctxKey, consentView } = core;

  return {
    /**
     * Shows the providing facility's published form to the person who will sign, and records that it
     * was shown (Art. 11, R-TM-24): a signature must reference this presentation.
     * @throws {AppError} `consent.template_missing`, `consent.no_personal_data`; 403 for non-signers
     */
    async presentConsent(ctx: RequestCtx, requestId: string, body: PresentConsentBody): Promise<ConsentPresentation> {
      return policy.guard(ctx, () =>
        withTransaction(db, async (tx) => {
          const r = await findRequestFacts(tx, requestId);
          if (!r) throw new NotFoundError('request', requestId);
          if (!r.patient_id) throw new AppError('consent.no_personal_data');
          const signer = await resolveSigner(tx, ctx, policy, { ...r, patient_id: r.patient_id });
          const t = await repo.findPublishedTemplate(tx, r.provider_facility_id, body.kind);
          if (!t?.text_sha256) throw new AppError('consent.template_missing');
          const id = ids.uuid();
          const now = clock.now();
          await repo.insertPresentation(tx, { id, templateId: t.id, requestId, viewer: signer.accountId, lang: body.lang, at: toDate(now) });
          await audit.record(tx, ctx, {
            action: 'consent.presented',
            patientId: r.patient_id,
            facilityId: r.provider_facility_id,
            subject: { type: 'consent_presentation', id },
            reason: `request:${requestId}`,
            ...(signer.onBehalfOf ? { onBehalfOf: signer.onBehalfOf } : {}),
            data: { kind: body.kind, templateVersion: t.version, lang: body.lang },
          });
          return { presentationId: id, presentedAt: now.toString(), requestId, lang: body.lang, template: { id: t.id, kind: t.kind, version: t.version, textSha256: t.text_sha256, ...textOf(t, body.lang) } };
        }),
      );
    },

    /**
     * Signs a consent that was shown first, with a fresh second-factor confirmation (docs/decisions.md#d5-d6).
     * Keeps the exact form version, signer, on whose behalf, time, method and a content hash.
     * @throws {AppError} `consent.not_presented`, `consent.template_invalid`, `consent.document_required`,
     *   `request.invalid` (R-TM-26 recording terms, R-TM-28 acknowledgement), `auth.mfa_invalid`,
     *   `consent.no_personal_data`, `resource.conflict` (an active one exists), `state.bad_transition`
     */
    async signConsent(ctx: RequestCtx, requestId: string, body: SignConsentBody): Promise<Consent> {
      try {
        return await policy.guard(ctx, () =>
          withTransaction(db, async (tx) => {
            const r = await findRequestFacts(tx, requestId);
            if (!r) throw new NotFoundError('request', requestId);
            if (!r.patient_id) throw new AppError('consent.no_personal_data');
            const patientId = r.patient_id;
            const signer = await resolveSigner(tx, ctx, policy, { ...r, patient_id: patientId });
            if (!SIGNABLE.has(r.status)) throw new InvalidTransitionError(r.status, 'consent');
            const p = await repo.findPresentation(tx, body.presentationId);
            // Regulatory: Art. 11 — the text signed is the one shown to this signer for this request.
            if (!p || p.request_id !== requestId || p.viewer_account_id !== signer.accountId) throw new AppError('consent.not_presented');
            const t = await repo.findTemplate(tx, p.template_id);
            if (!t || t.kind !== body.kind) throw new AppError('consent.not_presented');
            if (t.status !== 'published' || !t.text_sha256 || t.facility_id !== r.provider_facility_id) throw new AppError('consent.template_invalid', { detail: 'The form changed since it was shown; read the current version' });

            const issues: FieldIssue[] = [];
            if (body.kind === 'treatment' && body.healthInfoDutyAcknowledged !== true) {
              // Regulatory: R-TM-28 (Art. 12) — the signer confirms the duty to give complete health information.
              issues.push({ in: 'body', pointer: '#/healthInfoDutyAcknowledged', detail: 'Confirm the duty to provide complete health information (Art. 12)' });
            }
            if (body.kind === 'recording') {
              // Regulatory: R-TM-26 (Art. 19(2)) — reason, type and purpose are all required.
              const rec = body.recording;
              if (!rec?.reason.trim()) issues.push({ in: 'body', pointer: '#/recording/reason', detail: 'The reason for the recording is required' });
              if (!rec?.media.length) issues.push({ in: 'body', pointer: '#/recording/media', detail: 'The type of recording is required' });
              if (!rec?.purpose.trim()) issues.push({ in: 'body', pointer: '#/recording/purpose', detail: 'The purpose of the recording is required' });
            } else if (body.recording) {
              issues.push({ in: 'body', pointer: '#/recording', detail: 'Recording terms belong to a recording consent' });
            }
            if (signer.role !== 'specialist' && body.document) issues.push({ in: 'body', pointer: '#/document', detail: 'Only a requesting specialist attaches a document' });
            if (issues.length > 0) throw new AppError('request.invalid', { errors: issues });

            let document: Buffer | null = null;
            if (signer.role === 'specialist') {
              // Regulatory: docs/decisions.md#d5 — the requesting specialist records the consent with its document.
              if (!body.document) throw new AppError('consent.document_required');
              document = Buffer.from(body.document.contentBase64, 'base64');
              if (document.length === 0 || document.length > MAX_DOCUMENT_BYTES) throw new AppError('request.too_large');
              if (!documentMatches(document, body.document.contentType)) throw new AppError('file.type_mismatch');
            }
            if (await repo.findActiveConsent(tx, requestId, body.kind)) throw new AppError('resource.conflict', { detail: 'An active consent of this kind exists; withdraw it first' });

            const up = await stepUp.confirmStepUp(tx, ctx, body.code, `consent.sign:${body.kind}`);
            const signedAt = up.at;
            // Regulatory: R-TM-24 — shown strictly before signed (the database checks this again).
            if (signedAt.epochMilliseconds <= repo.asDate(p.presented_at).getTime()) throw new AppError('consent.not_presented', { detail: 'Signing must follow reading' });

            const id = ids.uuid();
            const scope = facilityScope(r.provider_facility_id);
            const recording = body.kind === 'recording' && body.recording ? { reason: body.recording.reason.trim(), media: [...new Set(body.recording.media)].sort(), purpose: body.recording.purpose.trim() } : null;
            const documentSha256 = document ? sha256Hex(document) : null;
            const content: ConsentContent = {
              kind: body.kind,
              requestId,
              patientId,
              facilityId: r.provider_facility_id,
              template: { id: t.id, version: t.version, textSha256: t.text_sha256, lang: p.lang, ...textOf(t, p.lang) },
              signer: { accountId: signer.accountId, role: signer.role },
              onBehalfOf: signer.onBehalfOf,
              presentation: { id: p.id, presentedAt: iso(p.presented_at) },
              signedAt: signedAt.toString(),
              method: 'totp-step-up',
              stepUpId: up.stepUpId,
              recording,
              documentSha256,
            };
            await repo.insertConsent(tx, {
              id,
              kind: body.kind,
              requestId,
              facilityId: r.provider_facility_id,
              patientId,
              templateId: t.id,
              templateVersion: t.version,
              presentationId: p.id,
              lang: p.lang,
              signerAccountId: signer.accountId,
              signerRole: signer.role,
              onBehalfOf: signer.onBehalfOf,
              representativeLinkId: signer.representativeLinkId,
              stepUpId: up.stepUpId,
              recordingReasonEnc: recording ? await keyring.encrypt(tx, scope, recording.reason, ctxKey(id, 'reason')) : null,
              recordingMedia: recording?.media ?? null,
              recordingPurposeEnc: recording ? await keyring.encrypt(tx, scope, recording.purpose, ctxKey(id, 'purpose')) : null,
              documentEnc: document ? await keyring.encrypt(tx, scope, document, ctxKey(id, 'document')) : null,
              documentContentType: body.document?.contentType ?? null,
              documentSha256,
              signedAt: toDate(signedAt),
              contentSha256: consentContentSha256(content),
              hashVersion: CONSENT_HASH_VERSION,
            });
            await audit.record(tx, ctx, {
              action: 'consent.signed',
              patientId,
              facilityId: r.provider_facility_id,
              subject: { type: 'consent', id },
              reason: `request:${requestId}`,
              ...(signer.onBehalfOf ? { onBehalfOf: signer.onBehalfOf } : {}),
              data: { kind: body.kind, signerRole: signer.role, stepUpId: up.stepUpId, templateVersion: t.version },
            });
            const row = await repo.findConsent(tx, id);
            if (!row) throw new AppError('internal');
            return consentView(ctx, tx, row);
          }),
        );
      } catch (err) {
        // Security: a wrong step-up code counts towards the account lock, recorded after the rollback.
        if (err instanceof AppError && err.code === 'auth.mfa_invalid' && err.meta?.stepUp === true) throw await stepUp.recordStepUpFailure(ctx);
        throw err;
      }
    },

  };
}
